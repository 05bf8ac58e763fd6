/**
 * The client's attention-economy methods against a small in-process JSON-RPC stub: what each
 * sends, how it types and checks what it gets back, and how errors surface. The stub only
 * answers the shapes the node's RPC documents; the real node is tested end to end by the rollup
 * and e2e suites (and the transfer path by createRollupClient.test.ts here).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
// The node's own JSON types: the fixtures below must keep its shapes (checked by tsc).
import type {
  BountyJson,
  CommunityJson,
  IdentityJson,
  PostJson,
} from '../../rollup/src/rpc/economyJson.ts';
import type { BaseFeeJson } from '../../rollup/src/rpc/economyRpcHandlers.ts';
import {
  createPostTx,
  createRollupClient,
  generateSignerKey,
  HttpRequestError,
  InvalidContentError,
  InvalidParameterError,
  type RollupClient,
  RpcRequestError,
  voteTx,
} from '../src/index.ts';
import { RAW, type RpcStub, type StubCall, StubRpcError, startRpcStub } from './support/rpcStub.ts';

const H = (c: string) => c.repeat(64);
const POST_JSON = {
  id: H('a'),
  kind: 'reply',
  mode: 'public',
  author: '42',
  authorKey: H('b'),
  community: 'general',
  parent: H('c'),
  root: H('c'),
  contentHash: H('d'),
  size: 61,
  createdSlot: 120,
  expirySlot: 6_480_120,
  up: '12.500000',
  down: '0.000000',
  upCount: 3,
  downCount: 0,
  replies: 1,
  moderation: 'visible',
  boosted: false,
  entropy: 512,
  visibility: '0.731000',
  body: { v: 1, type: 'reply', body: 'Use a Mutex.' },
} satisfies PostJson;
const BASE_FEE_JSON = {
  slot: 77,
  baseFee: '100000',
  fees: {
    post: '100000',
    reply: '10000',
    upvote: '1000',
    downvote: '5000',
    community: '100000000',
    profile: '10000',
    other: '1000',
  },
} satisfies BaseFeeJson;
const IDENTITY_JSON = {
  id: '42',
  status: 'active',
  stake: '100000000',
  reputation: '-3.250000',
  registeredSlot: 10,
  freeTier: 'eligible',
  interactions: '17',
} satisfies IdentityJson;
const BOUNTY_JSON = {
  id: H('e'),
  asker: '7',
  amount: '3000000',
  deadline: 216_100,
  status: 'open',
  path: 'open',
  answers: [{ post: H('f'), answerer: '42', independentUpvotes: 2 }],
} satisfies BountyJson;

let stub: RpcStub;
let client: RollupClient;
/** What the stub answers next, per method (a function of the call). */
let answers: Record<string, (call: StubCall) => unknown> = {};

before(async () => {
  stub = await startRpcStub((call) => {
    const a = answers[call.method];
    if (a === undefined) throw new StubRpcError('rpc.method_not_found', 'no', -32601);
    return a(call);
  });
  client = createRollupClient({ url: stub.url });
});
after(() => stub.close());
beforeEach(() => {
  answers = {};
  stub.calls.length = 0;
});

const last = () => {
  const call = stub.calls.at(-1);
  assert.ok(call !== undefined, 'a request was sent');
  return call;
};

describe('economy RPC methods (stub server: shapes only)', () => {
  it('getBaseFee: µMOLT decimal strings become bigints; commitment is passed on', async () => {
    answers.getBaseFee = () => BASE_FEE_JSON;
    const f = await client.getBaseFee();
    assert.deepEqual(last().params, []);
    assert.equal(f.slot, 77);
    assert.equal(f.baseFee, 100_000n);
    assert.deepEqual(f.fees, {
      post: 100_000n,
      reply: 10_000n,
      upvote: 1_000n,
      downvote: 5_000n,
      community: 100_000_000n,
      profile: 10_000n,
      other: 1_000n,
    });
    await client.getBaseFee({ commitment: 'finalized' });
    assert.deepEqual(last().params, ['finalized']);
    answers.getBaseFee = () => ({ ...BASE_FEE_JSON, baseFee: 100000 });
    await assert.rejects(client.getBaseFee(), (err: unknown) => {
      assert.ok(err instanceof HttpRequestError);
      assert.match(err.details ?? '', /baseFee is not a decimal integer string/);
      return true;
    });
  });

  it('getPost: typed post with its body; null for none; checks the id before sending', async () => {
    answers.getPost = () => POST_JSON;
    const p = await client.getPost({ id: Buffer.from(H('a'), 'hex'), commitment: 'confirmed' });
    assert.deepEqual(last().params, [H('a'), 'confirmed']);
    assert.deepEqual(p, POST_JSON, 'every field as served (points stay strings)');
    answers.getPost = () => ({ ...POST_JSON, parent: null, kind: 'post' });
    assert.equal((await client.getPost({ id: `0x${H('A')}` }))?.parent, null);
    assert.deepEqual(last().params, [H('a')], 'hex is lowercased, 0x dropped');
    answers.getPost = () => null;
    assert.equal(await client.getPost({ id: H('a') }), null);

    const calls = stub.calls.length;
    await assert.rejects(client.getPost({ id: 'abc' }), InvalidParameterError);
    await assert.rejects(
      client.getPost({ id: H('a'), commitment: 'safe' as 'confirmed' }),
      InvalidParameterError,
    );
    assert.equal(stub.calls.length, calls, 'nothing sent');

    for (const broken of [
      { ...POST_JSON, kind: 'poll' },
      { ...POST_JSON, up: 12.5 },
      { ...POST_JSON, id: H('A') },
      { ...POST_JSON, body: 'text' },
      { ...POST_JSON, boosted: 'no' },
      { ...POST_JSON, createdSlot: -1 },
      [POST_JSON],
    ]) {
      answers.getPost = () => broken;
      await assert.rejects(client.getPost({ id: H('a') }), HttpRequestError);
    }
  });

  it('getFeed: sends only the filters given, checks them, parses every post', async () => {
    answers.getFeed = () => ({ slot: 90, posts: [POST_JSON, { ...POST_JSON, id: H('1') }] });
    const feed = await client.getFeed();
    assert.deepEqual(last().params, [{}]);
    assert.equal(feed.slot, 90);
    assert.deepEqual(
      feed.posts.map((p) => p.id),
      [H('a'), H('1')],
    );
    await client.getFeed({
      community: 'general',
      author: 42n,
      sort: 'recency',
      limit: 100,
      before: 80,
      commitment: 'confirmed',
    });
    assert.deepEqual(last().params, [
      { community: 'general', author: '42', sort: 'recency', limit: 100, before: 80 },
      'confirmed',
    ]);
    const calls = stub.calls.length;
    for (const bad of [
      { limit: 0 },
      { limit: 101 },
      { limit: 1.5 },
      { sort: 'hot' },
      { community: 'General' },
      { author: -1n },
      { author: 0n },
      { author: '0x2a' },
      { before: -1 },
    ]) {
      await assert.rejects(
        client.getFeed(bad as never),
        InvalidParameterError,
        Object.keys(bad)[0],
      );
    }
    assert.equal(stub.calls.length, calls);
    answers.getFeed = () => ({ slot: 90, posts: [{ ...POST_JSON, moderation: 'gone' }] });
    await assert.rejects(client.getFeed(), HttpRequestError);
    answers.getFeed = () => ({ slot: 90 });
    await assert.rejects(client.getFeed(), HttpRequestError);
  });

  it('getIdentity, getCommunity, getBounty: typed records or null', async () => {
    answers.getIdentity = () => IDENTITY_JSON;
    const id = await client.getIdentity({ id: 42n });
    assert.deepEqual(last().params, ['42']);
    assert.deepEqual(id, {
      ...IDENTITY_JSON,
      stake: 100_000_000n,
      interactions: 17n,
    });
    answers.getIdentity = () => null;
    assert.equal(await client.getIdentity({ id: '7', commitment: 'finalized' }), null);
    assert.deepEqual(last().params, ['7', 'finalized']);
    await assert.rejects(client.getIdentity({ id: 'seven' }), InvalidParameterError);
    await assert.rejects(client.getIdentity({ id: 0n }), InvalidParameterError);
    answers.getIdentity = () => ({ ...IDENTITY_JSON, reputation: 'high' });
    await assert.rejects(client.getIdentity({ id: 1n }), HttpRequestError);

    answers.getCommunity = () =>
      ({ name: 'general', creator: '1', createdSlot: 3, posts: '1024' }) satisfies CommunityJson;
    assert.deepEqual(await client.getCommunity({ name: 'general' }), {
      name: 'general',
      creator: '1',
      createdSlot: 3,
      posts: 1024n,
    });
    assert.deepEqual(last().params, ['general']);
    answers.getCommunity = () => null;
    assert.equal(await client.getCommunity({ name: 'nope' }), null);
    await assert.rejects(client.getCommunity({ name: 'a b' }), InvalidParameterError);

    answers.getBounty = () => BOUNTY_JSON;
    const b = await client.getBounty({ id: H('e') });
    assert.deepEqual(b, { ...BOUNTY_JSON, amount: 3_000_000n });
    answers.getBounty = () => null;
    assert.equal(await client.getBounty({ id: H('e') }), null);
    answers.getBounty = () => ({ ...BOUNTY_JSON, answers: [{ post: 'x' }] });
    await assert.rejects(client.getBounty({ id: H('e') }), HttpRequestError);
    answers.getBounty = () => ({ ...BOUNTY_JSON, path: 'lottery' });
    await assert.rejects(client.getBounty({ id: H('e') }), HttpRequestError);
  });

  it('getAccount: the identity the key is bound to, null when the node serves none', async () => {
    const account = { pubkey: H('b'), nonce: '3', balance: '10', slot: 5 };
    answers.getAccount = () => ({ ...account, identity: '42' });
    assert.equal((await client.getAccount({ pubkey: H('b') })).identity, '42');
    answers.getAccount = () => ({ ...account, identity: '0' });
    assert.equal((await client.getAccount({ pubkey: H('b') })).identity, null, "'0': none");
    answers.getAccount = () => account;
    assert.equal((await client.getAccount({ pubkey: H('b') })).identity, null);
    answers.getAccount = () => ({ ...account, identity: 42 });
    await assert.rejects(client.getAccount({ pubkey: H('b') }), HttpRequestError);
  });

  it('sendTransaction: the body goes base64 beside the hex, and must be the one referenced', async () => {
    const key = generateSignerKey();
    const post = createPostTx({
      key,
      nonce: 0n,
      community: 'general',
      content: { title: 'Hi', body: 'there' },
    });
    answers.sendTransaction = () => ({ id: post.id });
    assert.deepEqual(await client.sendTransaction(post), { id: post.id });
    const [txHex, contentB64] = last().params as [string, string];
    assert.equal(txHex, Buffer.from(post.transaction).toString('hex'));
    assert.deepEqual(new Uint8Array(Buffer.from(contentB64, 'base64')), post.content);

    const vote = voteTx({ key, nonce: 1n, post: post.postId, direction: 'up' });
    await client.sendTransaction(vote);
    assert.equal(last().params.length, 1, 'no body, no second parameter');

    // No body: sent without one (the node uses its own copy if it has it, else content.missing).
    await client.sendTransaction({ transaction: post.transaction });
    assert.equal(last().params.length, 1);

    const calls = stub.calls.length;
    const other = createPostTx({
      key,
      nonce: 0n,
      community: 'general',
      content: { title: 'Hi', body: 'therE' },
    });
    const refused: [() => Promise<unknown>, string][] = [
      [
        () => client.sendTransaction({ transaction: vote.transaction, content: post.content }),
        'content.unexpected',
      ],
      [
        () => client.sendTransaction({ ...post, content: post.content.map((b) => b ^ 1) }),
        'content.hash_mismatch',
      ],
      [
        () => client.sendTransaction({ ...post, content: post.content.subarray(1) }),
        'content.size_mismatch',
      ],
      [() => client.sendTransaction({ ...post, content: other.content }), 'content.hash_mismatch'],
      [
        () => client.sendTransaction({ ...post, content: new Uint8Array(70_000) }),
        'content.size_mismatch',
      ],
    ];
    for (const [send, reason] of refused) {
      await assert.rejects(send(), (err: unknown) => {
        assert.ok(err instanceof InvalidContentError, reason);
        assert.equal(err.reason, reason);
        return true;
      });
    }
    await assert.rejects(
      client.sendTransaction({ ...post, content: 'text' as unknown as Uint8Array }),
      InvalidParameterError,
    );
    assert.equal(stub.calls.length, calls, 'nothing sent');

    // What does not decode is the node's to judge.
    answers.sendTransaction = () => {
      throw new StubRpcError('tx.malformed', 'truncated');
    };
    await assert.rejects(
      client.sendTransaction({ transaction: new Uint8Array([2, 0]) }),
      (err: unknown) => err instanceof RpcRequestError && err.reason === 'tx.malformed',
    );
  });

  it("surfaces the node's content.* and mempool.* refusals as RpcRequestError reasons", async () => {
    const key = generateSignerKey();
    const post = createPostTx({
      key,
      nonce: 0n,
      community: 'abc',
      content: { title: 't', body: 'b' },
    });
    for (const reason of [
      'content.schema',
      'content.json',
      'mempool.duplicate',
      'tx.fee_too_low',
    ]) {
      answers.sendTransaction = () => {
        throw new StubRpcError(reason, `refused: ${reason}`);
      };
      await assert.rejects(client.sendTransaction(post), (err: unknown) => {
        assert.ok(err instanceof RpcRequestError);
        assert.equal(err.reason, reason);
        assert.equal(err.code, -32003);
        assert.match(err.shortMessage, /^sendTransaction failed: refused/);
        return true;
      });
    }
    answers.sendTransaction = () => ({ [RAW]: 'not json' });
    await assert.rejects(client.sendTransaction(post), HttpRequestError);
    answers.sendTransaction = () => ({ hash: post.id });
    await assert.rejects(client.sendTransaction(post), HttpRequestError);
  });
});
