import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EconomyState, identityKey } from '../../src/economy/economyState.ts';
import { WAD } from '../../src/economy/math/fixedPoint.ts';
import { newIdentity, type PostRecord } from '../../src/economy/records.ts';
import { visibilityScore } from '../../src/economy/visibility.ts';
import { FEED_SCORE_WINDOW } from '../../src/params/visibilityParams.ts';
import { getFeed } from '../../src/rpc/getFeed.ts';
import { FeedIndex, feedEntryOf } from '../../src/store/feedIndex.ts';
import { toHex } from '../../src/utils/hex.ts';

const SLOT = 10_000n;

function id(n: number): Uint8Array {
  const b = new Uint8Array(32);
  new DataView(b.buffer).setUint32(28, n);
  return b;
}

function record(n: number, o: Partial<PostRecord> = {}): PostRecord {
  return {
    id: id(n),
    kind: 'post',
    mode: 'public',
    author: 1n,
    authorKey: new Uint8Array(32),
    community: 'dev',
    parent: new Uint8Array(32),
    root: id(n),
    contentHash: new Uint8Array(32).fill(n & 0xff),
    size: 10,
    expirySlot: 0n,
    createdSlot: BigInt(n),
    entropy: 0,
    up: 0n,
    down: 0n,
    upCount: 0,
    downCount: 0,
    flagWeight: 0n,
    moderation: 'visible',
    replies: 0,
    boost: 0n,
    boostUntil: 0n,
    ...o,
  };
}

/** A state holding `posts` (identity 1 and 2 exist) and an index of them. */
function world(posts: PostRecord[], indexOnly: PostRecord[] = []) {
  const state = EconomyState.genesis(
    [],
    [
      { id: 1n, stake: 0n, signers: [] },
      { id: 2n, stake: 0n, signers: [] },
    ],
  );
  for (const p of posts) state.posts.set(toHex(p.id), p);
  const idx = new FeedIndex();
  for (const p of [...posts, ...indexOnly]) idx.add(feedEntryOf(p));
  return { state, idx };
}

const slots = (ps: PostRecord[]) => ps.map((p) => Number(p.createdSlot));

describe('getFeed (§10.4 ranked feeds)', () => {
  it('recency: newest first, hidden and removed posts and other forks’ posts skipped', () => {
    const { state, idx } = world(
      [
        record(1),
        record(2, { moderation: 'hidden' }),
        record(3),
        record(4, { moderation: 'removed' }),
        record(5),
      ],
      [record(6)], // in the index (another fork, a later slot), not in this state
    );
    const page = getFeed(idx.recent({ community: 'dev' }), state, SLOT, {
      sort: 'recency',
      limit: 10,
    });
    assert.deepEqual(slots(page), [5, 3, 1]);
  });

  it('recency paging never splits a slot: `before` the last post’s slot loses nothing', () => {
    // Slots 9, 8, 8, 8, 7: a page of 2 would end inside slot 8; it ends before it instead.
    const ps = [
      record(1, { createdSlot: 9n }),
      record(2, { createdSlot: 8n }),
      record(3, { createdSlot: 8n }),
      record(4, { createdSlot: 8n }),
      record(5, { createdSlot: 7n }),
    ];
    const { state, idx } = world(ps);
    const feed = (before?: bigint, limit = 2) =>
      getFeed(idx.recent(before === undefined ? {} : { before }), state, SLOT, {
        sort: 'recency',
        limit,
      });
    assert.deepEqual(slots(feed()), [9]);
    assert.deepEqual(slots(feed(9n)), [8, 8], 'one slot larger than the page: cut inside it');
    assert.deepEqual(slots(feed(9n, 4)), [8, 8, 8, 7]);
    assert.deepEqual(slots(feed(8n)), [7]);
    assert.deepEqual(slots(feed(9n, 3)), [8, 8, 8]);
  });

  it('score: ranked by visibilityScore at the slot, ties newest first', () => {
    const author = newIdentity(2n, 0n, 0n);
    author.reputation = 500n * WAD;
    author.lastQualitySlot = SLOT;
    const ps = [
      record(1, { createdSlot: SLOT - 100n, up: 50n * WAD }), // old but liked
      record(2, { createdSlot: SLOT - 50n }), // newer, nothing else
      record(3, { createdSlot: SLOT - 50n, author: 2n, entropy: 999 }), // good author, lucky
      record(4, { createdSlot: SLOT - 50n }), // ties with 2, newer id
    ];
    const { state, idx } = world(ps);
    state.identities.set(identityKey(2n), author);
    const page = getFeed(idx.recent({}), state, SLOT, { sort: 'score', limit: 10 });
    const scores = page.map((p) => visibilityScore(p, p.author === 2n ? author : null, SLOT));
    for (let i = 1; i < scores.length; i++)
      assert.ok((scores[i - 1] as bigint) >= (scores[i] as bigint), 'non-increasing');
    assert.deepEqual(slots(page).slice(0, 2), [Number(SLOT - 100n), Number(SLOT - 50n)]);
    assert.equal(toHex(page[1]?.id ?? new Uint8Array()), toHex(id(3)));
    assert.deepEqual([page[2]?.id[31], page[3]?.id[31]], [4, 2], 'equal scores: newer id first');
    assert.equal(getFeed(idx.recent({}), state, SLOT, { sort: 'score', limit: 1 }).length, 1);
  });

  it('score looks at the FEED_SCORE_WINDOW most recent visible candidates only', () => {
    const ps = Array.from({ length: FEED_SCORE_WINDOW + 1 }, (_, i) => record(i + 1));
    // The oldest post is the best, but outside the window.
    ps[0] = record(1, { up: 1_000_000n * WAD });
    const { state, idx } = world(ps);
    const page = getFeed(idx.recent({}), state, BigInt(FEED_SCORE_WINDOW + 1), {
      sort: 'score',
      limit: 100,
    });
    assert.ok(!page.some((p) => p.createdSlot === 1n));
    const older = getFeed(idx.recent({ before: 3n }), state, BigInt(FEED_SCORE_WINDOW + 1), {
      sort: 'score',
      limit: 1,
    });
    assert.deepEqual(slots(older), [1], 'before moves the window');
  });
});
