import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateEd25519 } from '../../src/crypto/ed25519.ts';
import { defaultGenesis } from '../../src/genesis/genesis.ts';
import { ValidatorNode } from '../../src/node/validatorNode.ts';
import { toHex } from '../../src/utils/hex.ts';
import {
  content,
  postIdOfTxId,
  refusal,
  send,
  signedTx,
  waitForNonce,
  waitForPost,
} from '../helpers/economyTx.ts';
import { rpcCall } from '../helpers/rpc.ts';
import { testKey } from '../tx/txFixtures.ts';

/**
 * One validator taking the attention economy over RPC (issue 5, "Done when"): posts with their
 * bodies, replies, votes and a bounty; ranked feeds; bodies refused with their codes; bodies and
 * feeds kept across a restart.
 */

const dir = mkdtempSync(join(tmpdir(), 'molt-economy-rpc-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const key = generateEd25519();
const [alice, bob, carol] = [testKey(11), testKey(12), testKey(13)] as const;
const STAKE = '100000000'; // 100 MOLT: the §C.5 minimum, so each vote weighs at least 0.1
const genesis = defaultGenesis([{ pubkey: toHex(key.publicKey), stake: '1000000000' }], {
  hashesPerTick: 200,
  ticksPerSlot: 8,
  accounts: [alice, bob, carol].map((k) => ({
    pubkey: toHex(k.publicKey),
    balance: '1000000000', // 1,000 MOLT
  })),
  identities: [alice, bob, carol].map((k, i) => ({
    id: String(i + 1),
    stake: STAKE,
    signers: [toHex(k.publicKey)],
  })),
  communities: ['dev'],
});

function node(): ValidatorNode {
  return new ValidatorNode(
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
}

const post1 = content({
  v: 1,
  type: 'post',
  title: 'PoH on ARM',
  body: 'Numbers inside.',
  tags: ['poh'],
});
const post2 = content({ v: 1, type: 'post', title: 'Second thread', body: 'Later.' });
const reply1 = content({ v: 1, type: 'reply', body: 'Thanks!' });

type Post = Record<string, unknown> & { id: string; createdSlot: number; visibility: string };

describe('attention economy over RPC (one validator)', { timeout: 120_000 }, () => {
  let n: ValidatorNode;
  let url: string;
  const ids: Record<string, string> = {};
  before(async () => {
    n = node();
    await n.start();
    url = n.rpcUrl;
  });
  after(async () => {
    await n?.stop();
  });

  it('serves fees, identities, communities and accounts from genesis', async () => {
    const fee = (await rpcCall(url, 'getBaseFee', [])) as {
      slot: number;
      baseFee: string;
      fees: Record<string, string>;
    };
    const b = BigInt(fee.baseFee);
    assert.ok(b > 0n && b <= 100_000n, 'B starts at 0.10 MOLT and only falls while idle');
    assert.deepEqual(fee.fees, {
      post: String(b),
      reply: String(b / 10n),
      upvote: String(b / 100n),
      downvote: String((b * 5n) / 100n),
      community: String(b * 1_000n),
      profile: String(b / 10n),
      other: String(b / 100n),
    });
    assert.equal(typeof fee.slot, 'number');
    assert.deepEqual(await rpcCall(url, 'getIdentity', ['2']), {
      id: '2',
      status: 'active',
      stake: STAKE,
      reputation: '0.000000',
      registeredSlot: 0,
      freeTier: 'eligible',
      interactions: '0',
    });
    assert.equal(await rpcCall(url, 'getIdentity', ['99']), null);
    assert.deepEqual(await rpcCall(url, 'getIdentity', []), { identity: toHex(key.publicKey) });
    assert.deepEqual(await rpcCall(url, 'getCommunity', ['dev']), {
      name: 'dev',
      creator: '0',
      createdSlot: 0,
      posts: '0',
    });
    assert.equal(await rpcCall(url, 'getCommunity', ['nope']), null);
    const a = (await rpcCall(url, 'getAccount', [toHex(alice.publicKey)])) as { identity: string };
    assert.equal(a.identity, '1');
    const stranger = (await rpcCall(url, 'getAccount', [toHex(generateEd25519().publicKey)])) as {
      identity: string;
    };
    assert.equal(stranger.identity, '0');
  });

  it('refuses a post whose body is missing, or not the one its transaction references', async () => {
    const tx = (c: ReturnType<typeof content>) =>
      signedTx(alice, 0n, { kind: 'createPost', community: 'dev', content: c.ref });
    assert.deepEqual(await send(url, tx(post1)), { reason: 'content.missing' });
    assert.deepEqual(await send(url, tx(post1), post2.bytes), { reason: 'content.size_mismatch' });
    const sameSize = content({
      v: 1,
      type: 'post',
      title: 'PoH on ARM',
      body: 'Numbers inside!',
      tags: ['poh'],
    });
    assert.equal(sameSize.bytes.length, post1.bytes.length);
    assert.deepEqual(await send(url, tx(post1), sameSize.bytes), {
      reason: 'content.hash_mismatch',
    });
    // Hash and size right, but a reply body for a new thread; then bodies that are not content.
    assert.deepEqual(await send(url, tx(reply1), reply1.bytes), { reason: 'content.schema' });
    const notJson = content('{"v":1,');
    assert.deepEqual(await send(url, tx(notJson), notJson.bytes), { reason: 'content.json' });
    const notUtf8 = content(Uint8Array.of(0x7b, 0xc0, 0xaf, 0x7d));
    assert.deepEqual(await send(url, tx(notUtf8), notUtf8.bytes), { reason: 'content.utf8' });
    // A body beside a transaction that references none, and a body that is not base64.
    const transfer = signedTx(alice, 0n, { kind: 'transfer', to: bob.publicKey, amount: 1n });
    assert.deepEqual(await send(url, transfer, post1.bytes), { reason: 'content.unexpected' });
    assert.equal(
      await refusal(url, 'sendTransaction', [toHex(tx(post1)), 'not base64!']),
      'rpc.invalid_params.content',
    );
    // Nothing was admitted: alice's nonce is unused.
    const a = (await rpcCall(url, 'getAccount', [toHex(alice.publicKey)])) as { nonce: string };
    assert.equal(a.nonce, '0');
  });

  it('takes a post with its body, a reply and votes; getPost serves the body', async () => {
    const sent = await send(
      url,
      signedTx(alice, 0n, { kind: 'createPost', community: 'dev', content: post1.ref }),
      post1.bytes,
    );
    assert.ok('id' in sent, JSON.stringify(sent));
    ids.p1 = postIdOfTxId(sent.id);
    const p1 = await waitForPost(url, ids.p1);
    assert.deepEqual(p1.body, JSON.parse(new TextDecoder().decode(post1.bytes)));
    assert.equal(p1.kind, 'post');
    assert.equal(p1.mode, 'public');
    assert.equal(p1.author, '1');
    assert.equal(p1.authorKey, toHex(alice.publicKey));
    assert.equal(p1.community, 'dev');
    assert.equal(p1.parent, null);
    assert.equal(p1.root, ids.p1);
    assert.equal(p1.contentHash, toHex(post1.ref.hash));
    assert.equal(p1.size, post1.bytes.length);
    assert.equal(p1.moderation, 'visible');
    assert.equal(p1.boosted, false);
    assert.match(p1.visibility as string, /^0\.\d{6}$/);

    const again = await send(
      url,
      signedTx(carol, 0n, { kind: 'createPost', community: 'dev', content: post2.ref }),
      post2.bytes,
    );
    assert.ok('id' in again);
    ids.p2 = postIdOfTxId(again.id);
    const r = await send(
      url,
      signedTx(bob, 0n, { kind: 'reply', parent: Buffer.from(ids.p1, 'hex'), content: reply1.ref }),
      reply1.bytes,
    );
    assert.ok('id' in r);
    ids.r1 = postIdOfTxId(r.id);
    await waitForPost(url, ids.p2);
    const reply = await waitForPost(url, ids.r1);
    assert.equal(reply.parent, ids.p1);
    assert.equal(reply.root, ids.p1);
    assert.equal(reply.kind, 'reply');

    const vote = (k: typeof alice, nonce: bigint, post: string, direction: 'up' | 'down') =>
      send(url, signedTx(k, nonce, { kind: 'vote', post: Buffer.from(post, 'hex'), direction }));
    assert.ok('id' in (await vote(bob, 1n, ids.p1, 'up')));
    assert.ok('id' in (await vote(carol, 1n, ids.p1, 'up')));
    assert.ok('id' in (await vote(alice, 1n, ids.p2, 'down')));
    await waitForNonce(url, bob.publicKey, 2n);
    await waitForNonce(url, carol.publicKey, 2n);
    await waitForNonce(url, alice.publicKey, 2n);
    const voted = (await rpcCall(url, 'getPost', [ids.p1])) as Post;
    // Two staked newcomers: the 0.1 vote-weight floor each (§12.3, reputationParams).
    assert.equal(voted.up, '0.200000');
    assert.equal(voted.upCount, 2);
    assert.equal(voted.replies, 1);
    const down = (await rpcCall(url, 'getPost', [ids.p2])) as Post;
    assert.equal(down.downCount, 1);
    // A body the node holds needs no upload: carol replies with bob's reply body, sending none.
    const r2 = await send(
      url,
      signedTx(carol, 2n, {
        kind: 'reply',
        parent: Buffer.from(ids.p1, 'hex'),
        content: reply1.ref,
      }),
    );
    assert.ok('id' in r2, JSON.stringify(r2));
    const reply2 = await waitForPost(url, postIdOfTxId(r2.id));
    assert.deepEqual(reply2.body, { v: 1, type: 'reply', body: 'Thanks!' });
    assert.equal(((await rpcCall(url, 'getPost', [ids.p1])) as Post).replies, 2);
    // Without a body the checks on the transaction still apply (bob's reply is executed).
    assert.deepEqual(
      await send(
        url,
        signedTx(bob, 0n, {
          kind: 'reply',
          parent: Buffer.from(ids.p1, 'hex'),
          content: reply1.ref,
        }),
      ),
      { reason: 'tx.nonce_too_low' },
    );
  });

  it('getFeed: threads of a community by score and by recency, an author’s everything, paging', async () => {
    const score = (await rpcCall(url, 'getFeed', [{ community: 'dev' }])) as {
      slot: number;
      posts: Post[];
    };
    assert.deepEqual(score.posts.map((p) => p.id).sort(), [ids.p1, ids.p2].sort(), 'threads only');
    const v = score.posts.map((p) => Number(p.visibility));
    assert.ok((v[0] as number) >= (v[1] as number), `ranked by visibility: ${v}`);
    for (const p of score.posts) assert.ok(p.body !== null, 'bodies come with the feed');

    const recent = (await rpcCall(url, 'getFeed', [{ community: 'dev', sort: 'recency' }])) as {
      posts: Post[];
    };
    assert.deepEqual(
      recent.posts.map((p) => p.id),
      [ids.p2, ids.p1],
    );
    const page1 = (await rpcCall(url, 'getFeed', [
      { community: 'dev', sort: 'recency', limit: 1 },
    ])) as { posts: Post[] };
    assert.deepEqual(
      page1.posts.map((p) => p.id),
      [ids.p2],
    );
    const page2 = (await rpcCall(url, 'getFeed', [
      { community: 'dev', sort: 'recency', limit: 1, before: page1.posts[0]?.createdSlot },
    ])) as { posts: Post[] };
    assert.deepEqual(
      page2.posts.map((p) => p.id),
      [ids.p1],
    );

    const bobs = (await rpcCall(url, 'getFeed', [{ author: '2', sort: 'recency' }])) as {
      posts: Post[];
    };
    assert.deepEqual(
      bobs.posts.map((p) => p.id),
      [ids.r1],
      'an author feed has replies',
    );
    const all = (await rpcCall(url, 'getFeed', [])) as { posts: Post[] };
    assert.equal(all.posts.length, 2, 'no query: every thread of the shard');
    const none = (await rpcCall(url, 'getFeed', [{ community: 'other' }])) as { posts: Post[] };
    assert.deepEqual(none.posts, []);
  });

  it('takes a bounty and an answer; getBounty serves them', async () => {
    const slot = (await rpcCall(url, 'getSlot', [])) as number;
    const q = content({ v: 1, type: 'question', title: 'Why 400 ms slots?', body: '§7.3' });
    const sent = await send(
      url,
      signedTx(alice, 2n, {
        kind: 'createBounty',
        community: 'dev',
        content: q.ref,
        amount: 2_000_000n,
        deadline: BigInt(slot + 5_000),
        minReputation: 0,
        newcomerOnly: false,
      }),
      q.bytes,
    );
    assert.ok('id' in sent, JSON.stringify(sent));
    ids.q = postIdOfTxId(sent.id);
    assert.equal((await waitForPost(url, ids.q)).kind, 'bountyQuestion');
    const a = content({ v: 1, type: 'answer', body: 'Network round trips.' });
    const ans = await send(
      url,
      signedTx(bob, 2n, {
        kind: 'answerBounty',
        bounty: Buffer.from(ids.q, 'hex'),
        content: a.ref,
      }),
      a.bytes,
    );
    assert.ok('id' in ans);
    ids.a = postIdOfTxId(ans.id);
    assert.equal((await waitForPost(url, ids.a)).kind, 'bountyAnswer');
    assert.deepEqual(await rpcCall(url, 'getBounty', [ids.q]), {
      id: ids.q,
      asker: '1',
      amount: '2000000',
      deadline: slot + 5_000,
      status: 'open',
      path: 'open',
      answers: [{ post: ids.a, answerer: '2', independentUpvotes: 0 }],
    });
    assert.equal(await rpcCall(url, 'getBounty', [ids.p1]), null, 'a post is not a bounty');
    const comm = (await rpcCall(url, 'getCommunity', ['dev'])) as { posts: string };
    assert.equal(comm.posts, '6', 'every post in it: 2 threads, 2 replies, a question, an answer');
  });

  it('validates every param at the edge', async () => {
    const cases: [string, unknown[], string][] = [
      ['getPost', ['zz'], 'rpc.invalid_params.post'],
      ['getPost', [ids.p1, 'final'], 'rpc.invalid_params.commitment'],
      ['getFeed', [{ limit: 0 }], 'rpc.invalid_params.limit'],
      ['getFeed', [{ limit: 101 }], 'rpc.invalid_params.limit'],
      ['getFeed', [{ sort: 'hot' }], 'rpc.invalid_params.sort'],
      ['getFeed', [{ community: 'A!' }], 'rpc.invalid_params.community'],
      ['getFeed', [{ author: '0' }], 'rpc.invalid_params.author'],
      ['getFeed', [{ before: -1 }], 'rpc.invalid_params.before'],
      ['getFeed', [{ page: 2 }], 'rpc.invalid_params.query'],
      ['getFeed', ['dev'], 'rpc.invalid_params.query'],
      ['getIdentity', ['0'], 'rpc.invalid_params.id'],
      ['getIdentity', ['1e3'], 'rpc.invalid_params.id'],
      ['getIdentity', ['18446744073709551616'], 'rpc.invalid_params.id'],
      ['getCommunity', ['Dev'], 'rpc.invalid_params.name'],
      ['getBounty', [42], 'rpc.invalid_params.bounty'],
      ['getBaseFee', ['soon'], 'rpc.invalid_params.commitment'],
    ];
    for (const [method, params, reason] of cases)
      assert.equal(
        await refusal(url, method, params),
        reason,
        `${method}(${JSON.stringify(params)})`,
      );
    assert.equal(await rpcCall(url, 'getPost', ['00'.repeat(32)]), null);
  });

  it('keeps bodies and feeds across a restart', async () => {
    await n.stop();
    n = node();
    await n.start();
    url = n.rpcUrl;
    const p1 = await waitForPost(url, ids.p1 as string);
    assert.deepEqual(p1.body, JSON.parse(new TextDecoder().decode(post1.bytes)));
    const recent = (await rpcCall(url, 'getFeed', [{ community: 'dev', sort: 'recency' }])) as {
      posts: Post[];
    };
    assert.deepEqual(
      recent.posts.map((p) => p.id),
      [ids.q, ids.p2, ids.p1],
      'the feed index is rebuilt from the chain',
    );
  });
});
