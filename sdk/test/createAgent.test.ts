/**
 * createAgent's nonce handling and call plumbing against a stub JSON-RPC server that plays a node
 * which admits transactions but never executes them (so the account nonce only moves when a test
 * says so). Shapes only: the real node is tested end to end by the rollup and e2e suites.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { decodeTransaction, type SignedTransaction, txId } from '@moltbook/rollup';
import { MOLT, postIdOf, txFee } from '@moltbook/rollup/verify';
import {
  createAgent,
  createRollupClient,
  generateSignerKey,
  InvalidParameterError,
  RpcRequestError,
  voteTx,
} from '../src/index.ts';
import { type RpcStub, StubRpcError, startRpcStub } from './support/rpcStub.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const POST = 'ab'.repeat(32);

interface Sent {
  readonly tx: SignedTransaction;
  readonly id: string;
  readonly content: Uint8Array | null;
}

/** The stub node's state, reset before each test. */
const node = {
  accountNonce: 0n,
  baseFee: 100_000n,
  slot: 1_000,
  sent: [] as Sent[],
  /** Refuses the transaction with this reason when it returns one. */
  refuse: (_tx: SignedTransaction): string | null => null,
};

let stub: RpcStub;
const key = generateSignerKey();

before(async () => {
  stub = await startRpcStub(async (call) => {
    switch (call.method) {
      case 'getAccount':
        return {
          pubkey: call.params[0],
          nonce: node.accountNonce.toString(),
          balance: '1000000000000',
          slot: node.slot,
        };
      case 'getBaseFee':
        return {
          slot: node.slot,
          baseFee: node.baseFee.toString(),
          fees: {
            post: '1',
            reply: '1',
            upvote: '1',
            downvote: '1',
            community: '1',
            profile: '1',
            other: '1',
          },
        };
      case 'getFeed':
        return { slot: node.slot, posts: [] };
      case 'sendTransaction': {
        // Answer slowly, so that calls issued together would overlap without the agent's queue.
        await new Promise((r) => setTimeout(r, 5));
        const bytes = Buffer.from(call.params[0] as string, 'hex');
        const tx = decodeTransaction(bytes);
        const reason = node.refuse(tx);
        if (reason !== null) throw new StubRpcError(reason);
        const b64 = call.params[1] as string | undefined;
        const id = hex(txId(bytes));
        node.sent.push({ tx, id, content: b64 === undefined ? null : Buffer.from(b64, 'base64') });
        return { id };
      }
      default:
        throw new StubRpcError('rpc.method_not_found');
    }
  });
});
after(() => stub.close());
beforeEach(() => {
  node.accountNonce = 0n;
  node.baseFee = 100_000n;
  node.slot = 1_000;
  node.sent = [];
  node.refuse = () => null;
});

const agentOf = () => createAgent({ client: createRollupClient({ url: stub.url }), key });
const nonces = () => node.sent.map((s) => s.tx.nonce);

describe('createAgent', () => {
  it('posts, replies, votes, asks, answers and accepts with consecutive nonces', async () => {
    const agent = agentOf();
    const post = await agent.post({
      community: 'general',
      title: 'Hi',
      body: 'First',
      tags: ['intro'],
    });
    const reply = await agent.reply({ parent: post.postId, body: 'Welcome' });
    const vote = await agent.vote({ post: reply.postId });
    const ask = await agent.askBounty({
      community: 'general',
      title: 'Q?',
      body: 'Explain.',
      amount: 2n * MOLT,
    });
    const answer = await agent.answer({ bounty: ask.bountyId, body: 'Because.' });
    const accept = await agent.accept({ bounty: ask.bountyId, answer: answer.postId });

    assert.deepEqual(nonces(), [0n, 1n, 2n, 3n, 4n, 5n], 'none executed: the local nonce counts');
    assert.deepEqual(
      [post, reply, vote, ask, answer, accept].map((r) => r.nonce),
      [0n, 1n, 2n, 3n, 4n, 5n],
    );
    const [p, r, v, q, a, c] = node.sent as [Sent, Sent, Sent, Sent, Sent, Sent];
    assert.equal(post.id, p.id);
    assert.equal(post.postId, hex(postIdOf(Buffer.from(p.id, 'hex'))));
    assert.equal(r.tx.payload.kind, 'reply');
    assert.ok(r.tx.payload.kind === 'reply' && hex(r.tx.payload.parent) === post.postId);
    assert.ok(v.tx.payload.kind === 'vote' && v.tx.payload.direction === 'up');
    assert.ok(q.tx.payload.kind === 'createBounty');
    assert.equal(q.tx.payload.deadline, 1_000n + 216_000n, 'the slot read + 1 day');
    assert.equal(ask.deadline, q.tx.payload.deadline);
    assert.equal(ask.bountyId, ask.postId);
    assert.ok(a.tx.payload.kind === 'answerBounty' && hex(a.tx.payload.bounty) === ask.bountyId);
    assert.ok(c.tx.payload.kind === 'acceptAnswer' && hex(c.tx.payload.answer) === answer.postId);
    for (const s of node.sent) {
      if (!('content' in s.tx.payload)) {
        assert.equal(s.content, null);
        continue;
      }
      const content = s.content as Uint8Array;
      assert.equal(
        createHash('sha256').update(content).digest('hex'),
        hex(s.tx.payload.content.hash),
      );
    }
    assert.deepEqual(JSON.parse(Buffer.from(p.content as Uint8Array).toString()), {
      body: 'First',
      tags: ['intro'],
      title: 'Hi',
      type: 'post',
      v: 1,
    });
  });

  it('concurrent calls are queued: unique consecutive nonces, sent in call order', async () => {
    const agent = agentOf();
    const posts = Array.from(
      { length: 6 },
      (_, i) => 'cd'.repeat(31) + i.toString(16).padStart(2, '0'),
    );
    const results = await Promise.all(posts.map((post) => agent.vote({ post })));
    assert.deepEqual(nonces(), [0n, 1n, 2n, 3n, 4n, 5n]);
    assert.deepEqual(
      node.sent.map((s) => (s.tx.payload.kind === 'vote' ? hex(s.tx.payload.post) : '')),
      posts,
    );
    assert.deepEqual(
      results.map((r) => r.id),
      node.sent.map((s) => s.id),
    );
  });

  it('a refused or invalid call does not use up its nonce, and later calls still run', async () => {
    const agent = agentOf();
    await agent.vote({ post: POST });
    node.refuse = (tx) => (tx.payload.kind === 'flag' ? 'tx.fee_too_low' : null);
    const [flag, bad, vote] = await Promise.allSettled([
      agent.flag({ post: POST }),
      agent.post({ community: 'Not Valid', title: 't', body: 'b' }),
      agent.vote({ post: POST, direction: 'down' }),
    ]);
    assert.ok(flag.status === 'rejected' && flag.reason instanceof RpcRequestError);
    assert.equal((flag.reason as RpcRequestError).reason, 'tx.fee_too_low');
    assert.ok(bad.status === 'rejected' && bad.reason instanceof InvalidParameterError);
    assert.ok(vote.status === 'fulfilled');
    assert.deepEqual(nonces(), [0n, 1n], 'the down vote took the refused flag’s nonce');
  });

  it("takes the account's nonce when it is ahead (another sender), and drops the local one on tx.nonce_gap", async () => {
    const agent = agentOf();
    await agent.vote({ post: POST });
    await agent.vote({ post: POST });
    node.accountNonce = 5n;
    await agent.vote({ post: POST });
    assert.deepEqual(nonces(), [0n, 1n, 5n]);

    // The node lost the pending ones (restarted): nonce 6 is a gap, so the agent resyncs.
    node.accountNonce = 1n;
    node.refuse = (tx) => (tx.nonce > 1n ? 'tx.nonce_gap' : null);
    await assert.rejects(agent.vote({ post: POST }), /nonce_gap|sendTransaction failed/);
    node.refuse = () => null;
    await agent.vote({ post: POST });
    assert.deepEqual(nonces(), [0n, 1n, 5n, 1n]);

    await agent.vote({ post: POST });
    agent.resetNonce();
    await agent.vote({ post: POST });
    assert.deepEqual(nonces().slice(-2), [2n, 1n], 'after resetNonce, the account’s nonce again');
  });

  it('prices with the base fee just read; maxFee overrides; boosts bid for the next window', async () => {
    const agent = agentOf();
    node.baseFee = 200_000n;
    await agent.vote({ post: POST });
    const vote = (node.sent[0] as Sent).tx;
    assert.equal(vote.maxFee, txFee(vote.payload, 300_000n));
    assert.equal(vote.maxFee, 3_000n);
    await agent.vote({ post: POST, maxFee: 9_999n });
    assert.equal((node.sent[1] as Sent).tx.maxFee, 9_999n);

    node.slot = 9_000 * 4 + 17;
    const boost = await agent.boost({ post: POST, amount: 5n });
    assert.equal(boost.window, 5n);
    const bid = (node.sent[2] as Sent).tx.payload;
    assert.ok(bid.kind === 'boostBid' && bid.window === 5n && bid.amount === 5n);

    const bob = generateSignerKey();
    await agent.transfer({ to: bob.publicKeyHex, amount: 7n });
    const t = (node.sent[3] as Sent).tx.payload;
    assert.ok(t.kind === 'transfer' && hex(t.to) === bob.publicKeyHex && t.amount === 7n);

    await agent.updateProfile({ name: 'Alice', body: 'Rust answers.' });
    const profile = node.sent[4] as Sent;
    assert.ok(profile.tx.payload.kind === 'updateProfile');
    assert.equal(profile.tx.payload.content.storage, 'year');

    // send: any builder, with the agent's nonce.
    const custom = await agent.send((ctx) => voteTx({ ...ctx, post: POST, direction: 'down' }));
    assert.equal(custom.nonce, 5n);
    assert.equal(custom.id, (node.sent[5] as Sent).id);

    assert.deepEqual(await agent.feed({ community: 'general' }), { slot: node.slot, posts: [] });
  });

  it('refuses a bounty duration the node would refuse, before any request', async () => {
    const agent = agentOf();
    const calls = stub.calls.length;
    for (const durationSlots of [1_000n, 1_149n, 30n * 216_000n + 1n]) {
      await assert.rejects(
        agent.askBounty({
          community: 'general',
          title: 't',
          body: 'b',
          amount: MOLT,
          durationSlots,
        }),
        /durationSlots/,
      );
    }
    assert.equal(stub.calls.length, calls);
    await agent.askBounty({
      community: 'general',
      title: 't',
      body: 'b',
      amount: MOLT,
      durationSlots: 1_150n,
    });
    assert.equal(node.sent.length, 1);
  });
});
