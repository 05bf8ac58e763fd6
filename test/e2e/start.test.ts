import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createRollupClient } from '@moltbook/sdk';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START = join(ROOT, 'scripts', 'start.ts');
const dir = mkdtempSync(join(tmpdir(), 'molt-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function startNetwork(args: string[]): {
  child: ChildProcess;
  output: () => string;
  ready: Promise<string>;
} {
  const child = spawn(process.execPath, [START, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

async function jsonRpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return ((await res.json()) as { result: unknown }).result;
}

describe('npm start (scripts/start.ts)', () => {
  it('brings up the L2 with contracts and a validator with verifiable 400 ms slots; Ctrl-C exits 0', async () => {
    const net = startNetwork(['--l2-port', '0', '--rpc-port', '0', '--data-dir', join(dir, 'net')]);
    const banner = await net.ready;
    const l2Url =
      banner.match(/L2 JSON-RPC\s+(http:\/\/\S+)/)?.[1] ?? assert.fail(`no L2 URL in:\n${banner}`);
    const rollupUrl =
      banner.match(/Rollup RPC\s+(http:\/\/\S+)/)?.[1] ??
      assert.fail(`no rollup URL in:\n${banner}`);
    const token =
      banner.match(/MoltToken\s+(0x[0-9a-fA-F]{40})/)?.[1] ??
      assert.fail(`no MoltToken address in:\n${banner}`);

    // The L2 is a real JSON-RPC endpoint with the contract deployed at the printed address.
    assert.equal(typeof (await jsonRpc(l2Url, 'eth_chainId')), 'string');
    const code = (await jsonRpc(l2Url, 'eth_getCode', [token, 'latest'])) as string;
    assert.ok(code.length > 2, 'MoltToken has code');

    // The validator's slots verify as a light client checks them: PoH, signature, continuity.
    const client = createRollupClient({ url: rollupUrl });
    const { genesis } = await client.getGenesis();
    assert.equal(genesis.ticksPerSlot, 64);
    let slot = await client.getSlot();
    while (slot === null || slot < 2) {
      await new Promise((r) => setTimeout(r, 50));
      slot = await client.getSlot();
    }
    assert.equal((await client.getVerifiedChain({ from: 0, to: 2, genesis })).length, 3);

    const exit = new Promise<number | null>((r) => net.child.on('exit', (c) => r(c)));
    net.child.kill('SIGINT');
    assert.equal(await exit, 0);
    assert.match(net.output(), /stopped cleanly/);
    // Everything it listened on is released.
    await assert.rejects(fetch(rollupUrl));
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
