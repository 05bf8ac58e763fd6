import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type FeedEntry, FeedIndex, type FeedQuery } from '../../src/store/feedIndex.ts';

function entry(n: number, o: Partial<FeedEntry> = {}): FeedEntry {
  return {
    id: n.toString(16).padStart(64, '0'),
    slot: BigInt(n),
    community: 'dev',
    author: 1n,
    thread: true,
    ...o,
  };
}

const ids = (idx: FeedIndex, q: FeedQuery = {}) => [...idx.recent(q)].map((e) => Number(e.slot));

describe('FeedIndex (§10.4 feeds by community and author)', () => {
  it('lists newest first: a community’s threads, an author’s everything, the shard’s threads', () => {
    const idx = new FeedIndex();
    idx.add(entry(1));
    idx.add(entry(2, { community: 'ai', author: 2n }));
    idx.add(entry(3, { thread: false })); // a reply by 1 in dev
    idx.add(entry(4, { author: 2n }));
    idx.add(entry(5, { author: 0n })); // pseudonymous: no author feed
    assert.deepEqual(ids(idx, { community: 'dev' }), [5, 4, 1]);
    assert.deepEqual(ids(idx, { community: 'ai' }), [2]);
    assert.deepEqual(ids(idx, { author: 1n }), [3, 1]);
    assert.deepEqual(ids(idx, { author: 2n }), [4, 2]);
    assert.deepEqual(ids(idx, { author: 2n, community: 'dev' }), [4]);
    assert.deepEqual(ids(idx, { author: 0n }), []);
    assert.deepEqual(ids(idx), [5, 4, 2, 1]);
    assert.deepEqual(ids(idx, { community: 'none' }), []);
  });

  it('before: only posts created before the slot', () => {
    const idx = new FeedIndex();
    for (let i = 1; i <= 6; i++) idx.add(entry(i));
    assert.deepEqual(ids(idx, { before: 4n }), [3, 2, 1]);
    assert.deepEqual(ids(idx, { before: 1n }), []);
    assert.deepEqual(ids(idx, { before: 100n }), [6, 5, 4, 3, 2, 1]);
  });

  it('orders out-of-order arrivals (forks) and ties in a slot by post id; adds are idempotent', () => {
    const idx = new FeedIndex();
    idx.add(entry(5));
    idx.add(entry(2));
    idx.add({ ...entry(9), slot: 2n });
    idx.add(entry(2));
    assert.equal(idx.size, 3);
    assert.deepEqual(
      [...idx.recent({})].map((e) => [Number(e.slot), e.id.slice(-1)]),
      [
        [5, '5'],
        [2, '9'],
        [2, '2'],
      ],
    );
  });

  it('is bounded: past maxPosts the oldest go, from every list', () => {
    const idx = new FeedIndex(100);
    for (let i = 1; i <= 250; i++) idx.add(entry(i, { author: BigInt(1 + (i % 3)) }));
    assert.ok(idx.size <= 100 && idx.size >= 99, String(idx.size));
    const kept = ids(idx, { community: 'dev' });
    assert.equal(kept[0], 250, 'the newest stays');
    assert.equal(kept.length, idx.size);
    assert.ok(!idx.has(entry(1).id));
    for (const a of [1n, 2n, 3n])
      for (const s of ids(idx, { author: a })) assert.ok(s >= 250 - idx.size);
  });

  it('load: any order in, the newest maxPosts kept, same lists as adding one by one', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            n: fc.integer({ min: 1, max: 500 }),
            community: fc.constantFrom('dev', 'ai'),
            author: fc.bigInt({ min: 0n, max: 3n }),
            thread: fc.boolean(),
          }),
          { maxLength: 80 },
        ),
        (xs) => {
          const es = xs.map((x) => entry(x.n, x));
          const byLoad = new FeedIndex(1_000);
          byLoad.load([...es].reverse());
          const byAdd = new FeedIndex(1_000);
          for (const e of es) byAdd.add(e);
          for (const q of [
            {},
            { community: 'dev' },
            { author: 1n },
            { author: 2n, community: 'ai' },
          ])
            assert.deepEqual(
              [...byLoad.recent(q)].map((e) => e.id),
              [...byAdd.recent(q)].map((e) => e.id),
            );
        },
      ),
      { numRuns: 200 },
    );
    const small = new FeedIndex(3);
    small.load([5, 1, 4, 2, 3].map((n) => entry(n)));
    assert.deepEqual(ids(small), [5, 4, 3]);
  });
});
