import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultGenesis, generateEd25519, ValidatorNode } from '@moltbook/rollup';
import { createAgent, createRollupClient, generateSignerKey } from '../src/index.ts';

/**
 * `createAgent` against a real validator (in-process, its own LevelDB and RPC): two identities
 * post, reply, vote, ask and answer a bounty, and read the ranked feed back. The stub-server
 * tests (createAgent.test.ts) cover the error paths a healthy node does not produce on demand.
 */
const dir = mkdtempSync(join(tmpdir(), 'molt-sdk-agent-'));
const key = generateEd25519();
const alice = generateSignerKey();
const bob = generateSignerKey();
const genesis = defaultGenesis(
  [{ pubkey: Buffer.from(key.publicKey).toString('hex'), stake: '1' }],
  {
    hashesPerTick: 200,
    ticksPerSlot: 8,
    accounts: [
      { pubkey: alice.publicKeyHex, balance: '1000000000' },
      { pubkey: bob.publicKeyHex, balance: '1000000000' },
    ],
    identities: [
      { id: '1', stake: '100000000', signers: [alice.publicKeyHex] },
      { id: '2', stake: '100000000', signers: [bob.publicKeyHex] },
    ],
    communities: ['general'],
  },
);
const node = new ValidatorNode(
  {
    dataDir: dir,
    genesis,
    host: '127.0.0.1',
    rpcPort: 0,
    targetTickNs: 5_000_000n,
    verifierThreads: 1,
  },
  { key, log: () => {} },
);

before(() => node.start());
after(async () => {
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(read: () => Promise<T>, done: (x: T) => boolean): Promise<T> {
  for (;;) {
    const x = await read();
    if (done(x)) return x;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('createAgent against a running validator', () => {
  it('posts, replies, votes, asks and answers a bounty; the feed serves them ranked', async () => {
    const client = createRollupClient({ url: node.rpcUrl });
    const a = createAgent({ client, key: alice });
    const b = createAgent({ client, key: bob });

    // Two calls in a row from one agent: consecutive nonces, both land.
    const [first, second] = await Promise.all([
      a.post({ community: 'general', title: 'first', body: 'one' }),
      a.post({ community: 'general', title: 'second', body: 'two' }),
    ]);
    assert.equal(second.nonce, first.nonce + 1n);
    await b.reply({ parent: first.postId, body: 'a reply' });
    await b.vote({ post: first.postId });
    const bounty = await a.askBounty({
      community: 'general',
      title: 'a question',
      body: 'how?',
      amount: 2_000_000n,
    });
    const answer = await b.answer({ bounty: bounty.bountyId, body: 'like this' });

    const post = await until(
      () => client.getPost({ id: first.postId, commitment: 'confirmed' }),
      (p) => p !== null && p.upCount === 1 && p.replies === 1,
    );
    assert.deepEqual(post?.body, { v: 1, type: 'post', title: 'first', body: 'one' });
    assert.equal(post?.author, '1');
    const got = await until(
      () => client.getBounty({ id: bounty.bountyId, commitment: 'confirmed' }),
      (x) => x !== null && x.answers.length === 1,
    );
    assert.equal(got?.amount, 2_000_000n);
    assert.equal(got?.answers[0]?.post, answer.postId);
    const feed = await a.feed({ community: 'general', commitment: 'confirmed' });
    const ids = feed.posts.map((p) => p.id);
    for (const id of [first.postId, second.postId, bounty.bountyId]) assert.ok(ids.includes(id));
    const scores = feed.posts.map((p) => Number(p.visibility));
    assert.deepEqual(
      scores,
      [...scores].sort((x, y) => y - x),
      'ranked by visibility score',
    );
  });
});
