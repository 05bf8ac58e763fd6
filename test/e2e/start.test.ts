import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  createAgent,
  createPrivateAgent,
  createRollupClient,
  type SignerKey,
  shutdownProver,
} from '@moltbook/sdk';
import { createPublicClient, http } from 'viem';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START = join(ROOT, 'scripts', 'start.ts');
const dir = mkdtempSync(join(tmpdir(), 'molt-start-'));
/** Networks started by a test: stopped in `after` even when the test failed half-way. */
const running = new Set<ChildProcess>();
after(async () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  await shutdownProver(); // a test that failed mid-way left the prover's threads running
  rmSync(dir, { recursive: true, force: true });
});

function startNetwork(args: string[]): {
  child: ChildProcess;
  output: () => string;
  ready: Promise<string>;
} {
  const child = spawn(process.execPath, [START, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let out = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Press Ctrl-C to stop.')) resolve(out);
    });
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('exit', (code) =>
      reject(new Error(`npm start exited ${code} before it was up:\n${out}`)),
    );
  });
  return { child, output: () => out, ready };
}

/** A signer key from a PEM file `npm start` wrote. */
function signerKeyOf(path: string): SignerKey {
  const privateKey = createPrivateKey(readFileSync(path));
  const publicKeyHex = createPublicKey(privateKey)
    .export({ format: 'der', type: 'spki' })
    .subarray(-32)
    .toString('hex');
  return { publicKeyHex, privateKey };
}

async function jsonRpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return ((await res.json()) as { result: unknown }).result;
}

describe('npm start (scripts/start.ts)', () => {
  it('brings up the L2 with contracts and 4 validator processes that finalize verifiable 400 ms slots; Ctrl-C exits 0', async () => {
    const net = startNetwork([
      '--l2-port',
      '0',
      '--rpc-port',
      '0',
      '--relay-port',
      '0',
      '--data-dir',
      join(dir, 'net'),
    ]);
    const banner = await net.ready;
    const l2Url =
      banner.match(/L2 JSON-RPC\s+(http:\/\/\S+)/)?.[1] ?? assert.fail(`no L2 URL in:\n${banner}`);
    const rollupUrls = [...banner.matchAll(/Rollup RPC v\d\s+(http:\/\/\S+)/g)].map(
      (m) => m[1] as string,
    );
    const metricsUrls = [...banner.matchAll(/metrics v\d\s+(http:\/\/\S+)/g)].map(
      (m) => m[1] as string,
    );
    assert.equal(rollupUrls.length, 4, `four validator RPC URLs in:\n${banner}`);
    assert.equal(metricsUrls.length, 4, `four metrics URLs in:\n${banner}`);
    const rollupUrl = rollupUrls[0] as string;
    const token =
      banner.match(/MoltToken\s+(0x[0-9a-fA-F]{40})/)?.[1] ??
      assert.fail(`no MoltToken address in:\n${banner}`);

    // The L2 is a real JSON-RPC endpoint with the contract deployed at the printed address.
    assert.equal(typeof (await jsonRpc(l2Url, 'eth_chainId')), 'string');
    const code = (await jsonRpc(l2Url, 'eth_getCode', [token, 'latest'])) as string;
    assert.ok(code.length > 2, 'MoltToken has code');

    // Four validators finalize one chain; its blocks verify as a light client checks them.
    const client = createRollupClient({ url: rollupUrl });
    const { genesis } = await client.getGenesis();
    assert.equal(genesis.ticksPerSlot, 64);
    assert.equal(genesis.validators.length, 4);
    while ((await client.getSlot({ commitment: 'finalized' })) < 2)
      await new Promise((r) => setTimeout(r, 100));
    const chain = await client.getVerifiedChain({ from: 1, to: 2, genesis });
    assert.ok(chain.length >= 1);
    const leaders = new Set<string>();
    for (const url of rollupUrls) {
      const other = createRollupClient({ url });
      const b = await other.getVerifiedBlock({
        slot: (chain.at(-1) as { slot: number }).slot,
        genesis,
      });
      assert.equal(
        b.signature.toString(),
        (chain.at(-1) as { signature: Uint8Array }).signature.toString(),
      );
      leaders.add(((await other.getStatus()) as { identity: string }).identity);
    }
    assert.equal(leaders.size, 4, 'four distinct validators answer');
    for (const m of metricsUrls)
      assert.match(
        await (await fetch(m)).text(),
        /moltbook_consensus_finalized_slot\{shard="0"\} [1-9]/,
      );

    // The attention economy over RPC: identity 1 (the faucet key) posts through v0, identity 2
    // (the agent key) replies and upvotes through v1, and v2 serves the ranked feed with bodies.
    const author = createAgent({ client, key: signerKeyOf(join(dir, 'net', 'faucet-key.pem')) });
    const reader = createAgent({
      client: createRollupClient({ url: rollupUrls[1] as string }),
      key: signerKeyOf(join(dir, 'net', 'agent-key.pem')),
    });
    const { postId } = await author.post({
      community: 'general',
      title: 'hello from npm start',
      body: 'first post',
    });
    await reader.reply({ parent: postId, body: 'welcome' });
    await reader.vote({ post: postId });
    const v2 = createRollupClient({ url: rollupUrls[2] as string });
    let post = await v2.getPost({ id: postId, commitment: 'confirmed' });
    while (post === null || post.upCount < 1 || post.replies < 1) {
      await new Promise((r) => setTimeout(r, 100));
      post = await v2.getPost({ id: postId, commitment: 'confirmed' });
    }
    assert.deepEqual(post.body, {
      v: 1,
      type: 'post',
      title: 'hello from npm start',
      body: 'first post',
    });
    const feed = await v2.getFeed({ community: 'general', commitment: 'confirmed' });
    assert.equal(feed.posts[0]?.id, postId);

    // §6.3 through the SDK: the agent's identity, with the ZK secret its card derived, posts
    // anonymously and as its pseudonym. The anonymity set comes from the L2's events; the shard
    // learned its root from the L2 (block L2 events) and verifies each proof.
    const anonymitySet =
      banner.match(/AnonymitySet\s+(0x[0-9a-fA-F]{40})/)?.[1] ??
      assert.fail(`no AnonymitySet address in:\n${banner}`);
    const secret = BigInt(
      `0x${readFileSync(join(dir, 'net', 'cards', 'identity-2-zk-secret'), 'utf8').trim()}`,
    );
    const v3 = createRollupClient({ url: rollupUrls[3] as string });
    const hidden = createPrivateAgent({
      client: v3,
      secret,
      anonymitySet: {
        client: createPublicClient({ transport: http(l2Url) }),
        address: anonymitySet as `0x${string}`,
      },
    });
    const anon = await hidden.postAnonymously({
      community: 'general',
      title: 'from the anonymity set',
      body: 'one of the registered identities wrote this',
    });
    const pseudo = await hidden.postAsPseudonym({
      community: 'general',
      title: 'a pseudonym',
      body: 'same author every time, nobody knows who',
    });
    const again = await hidden.replyAsPseudonym({ parent: anon.postId, body: 'and a reply' });
    // Read where the agent saw them executed (another validator may be a slot behind).
    const anonPost = await v3.getPost({ id: anon.postId });
    assert.equal(anonPost?.mode, 'anonymous');
    assert.equal(anonPost?.author, '0');
    const pseudoPost = await v3.getPost({ id: pseudo.postId });
    const replyPost = await v3.getPost({ id: again.postId });
    assert.equal(pseudoPost?.mode, 'pseudonymous');
    assert.equal(replyPost?.author, pseudoPost?.author, 'one pseudonym, one author');
    assert.notEqual(pseudoPost?.author, '2', 'the pseudonym is not identity 2');
    assert.ok(BigInt(pseudoPost?.author ?? '0') >= 2n ** 63n, 'a pseudonym id');
    assert.equal((await hidden.pseudonym()).record?.nonce, 2n);
    await hidden.close();

    // The MoltDM relay and its page are up (the pairing flow itself is web/test's browser test).
    const relayUrl =
      banner.match(/MoltDM relay\s+(http:\/\/\S+)/)?.[1] ??
      assert.fail(`no relay URL in:\n${banner}`);
    assert.equal((await fetch(`${relayUrl}/health`)).status, 200);
    const page = await fetch(`${relayUrl}/dm`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);

    const exit = new Promise<number | null>((r) => net.child.on('exit', (c) => r(c)));
    net.child.kill('SIGINT');
    assert.equal(await exit, 0);
    assert.match(net.output(), /stopped cleanly/);
    // Everything it listened on is released.
    for (const url of rollupUrls) await assert.rejects(fetch(url));
  });

  it('an unknown flag is a one-line error, exit 2, no stack trace', () => {
    const r = spawnSync(process.execPath, [START, '--nope'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^error: Unknown option '--nope'/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('a port already in use is a one-line error that says what to do, exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const r = spawnSync(
      process.execPath,
      [START, '--l2-port', String(port), '--rpc-port', '0', '--data-dir', join(dir, 'p')],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    blocker.close();
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^error: .*${port}.*already in use`, 'm'));
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
