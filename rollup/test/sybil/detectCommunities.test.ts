import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import type { Interaction } from '../../src/sybil/detectCommunities.ts';
import { detectCommunities } from '../../src/sybil/detectCommunities.ts';
import { seededRng } from '../../src/sybil/seededRng.ts';
import type { SybilErrorCode } from '../../src/sybil/sybilError.ts';
import { SybilError } from '../../src/sybil/sybilError.ts';

const isSybilError = (code: SybilErrorCode) => (error: unknown) =>
  error instanceof SybilError && error.code === code;

const seedOf = (n: number) => {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(28, n);
  return seed;
};

/**
 * `cliques` dense groups of `size` agents (ids clique·100 + k, every pair interacting both ways
 * with weight 3) joined in a ring by one weight-1 bridge from each clique to the next.
 */
function plantedCliques(
  cliques: number,
  size: number,
): { interactions: Interaction[]; truth: number[][] } {
  const interactions: Interaction[] = [];
  const truth: number[][] = [];
  for (let c = 0; c < cliques; c++) {
    const members = Array.from({ length: size }, (_, k) => c * 100 + k);
    truth.push(members);
    for (const from of members) {
      for (const to of members) if (from !== to) interactions.push({ from, to, weight: 3 });
    }
    interactions.push({ from: c * 100, to: ((c + 1) % cliques) * 100 + 1, weight: 1 });
  }
  return { interactions, truth };
}

describe('seededRng', () => {
  test('is SHA-256 counter mode as documented (independent reference: @noble/hashes)', () => {
    const seed = seedOf(7);
    const rng = seededRng(seed);
    const domain = new TextEncoder().encode('moltbook.sybil.rng.v1');
    for (let block = 0; block < 3; block++) {
      const input = new Uint8Array([...domain, ...seed, 0, 0, 0, 0, 0, 0, 0, block]);
      const digest = new DataView(sha256(input).buffer);
      for (let j = 0; j < 4; j++) {
        const expected = Number(digest.getBigUint64(8 * j) >> 11n) / 2 ** 53;
        assert.equal(rng(), expected);
      }
    }
  });

  test('draws lie in [0, 1) and depend on the seed', () => {
    const a = seededRng(seedOf(1));
    const b = seededRng(seedOf(2));
    const drawsA = Array.from({ length: 1000 }, () => a());
    const drawsB = Array.from({ length: 1000 }, () => b());
    assert.ok(drawsA.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(drawsA, drawsB);
    const mean = drawsA.reduce((s, x) => s + x, 0) / drawsA.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`); // a broken mapping skews this
  });

  test('rejects a seed that is not 32 bytes', () => {
    assert.throws(() => seededRng(new Uint8Array(31)), isSybilError('sybil.seed_length'));
    assert.throws(() => seededRng(new Uint8Array(33)), isSybilError('sybil.seed_length'));
  });
});

describe('detectCommunities', () => {
  test('recovers four planted cliques joined by bridges, for any seed', () => {
    const { interactions, truth } = plantedCliques(4, 8);
    fc.assert(
      fc.property(fc.nat(), (n) => {
        const result = detectCommunities({ interactions }, { seed: seedOf(n) });
        assert.equal(result.count, 4);
        assert.deepEqual(result.members, truth);
        assert.equal(result.communityOf.get(205), 2);
        assert.ok(result.modularity > 0.7, `modularity ${result.modularity}`);
      }),
      { numRuns: 20 },
    );
  });

  test('the same seed gives identical output, whatever the input order', () => {
    // A random graph: no planted structure, so Louvain's node order (the rng) changes the result.
    const draw = seededRng(seedOf(999));
    const interactions: Interaction[] = [];
    for (let i = 0; i < 600; i++) {
      const from = Math.floor(draw() * 200);
      const to = Math.floor(draw() * 200);
      if (from !== to) interactions.push({ from, to, weight: 1 + Math.floor(draw() * 3) });
    }
    const seed = seedOf(42);
    const first = detectCommunities({ interactions }, { seed });
    assert.deepEqual(detectCommunities({ interactions }, { seed }), first);
    assert.deepEqual(
      detectCommunities({ interactions: [...interactions].reverse() }, { seed }),
      first,
    );
    // ... and the seed does matter here, so the equalities above are not vacuous.
    const others = [1, 2, 3].map((n) => detectCommunities({ interactions }, { seed: seedOf(n) }));
    assert.ok(
      others.some((other) => JSON.stringify(other.members) !== JSON.stringify(first.members)),
    );
  });

  test('handles an empty graph, a lone agent and agents without interactions', () => {
    const empty = detectCommunities({ interactions: [] }, { seed: seedOf(0) });
    assert.deepEqual(empty, { communityOf: new Map(), members: [], count: 0, modularity: 0 });

    const lone = detectCommunities({ interactions: [], agents: [7] }, { seed: seedOf(0) });
    assert.deepEqual(lone, {
      communityOf: new Map([[7, 0]]),
      members: [[7]],
      count: 1,
      modularity: 0,
    });

    const pair = detectCommunities(
      { interactions: [{ from: 1, to: 2, weight: 5 }], agents: [9, 1] },
      { seed: seedOf(0) },
    );
    assert.deepEqual(pair.members, [[1, 2], [9]]);
    assert.deepEqual(
      [...pair.communityOf],
      [
        [1, 0],
        [2, 0],
        [9, 1],
      ],
    );
  });

  test('treats interactions as undirected: reversing every one changes nothing', () => {
    const seed = seedOf(3);
    const { interactions } = plantedCliques(3, 5);
    const flipped = interactions.map(({ from, to, weight }) => ({ from: to, to: from, weight }));
    assert.deepEqual(
      detectCommunities({ interactions: flipped }, { seed }),
      detectCommunities({ interactions }, { seed }),
    );
  });

  test('rejects invalid ids, weights, self-loops and resolutions with typed errors', () => {
    const seed = seedOf(0);
    const run = (interaction: Interaction) => () =>
      detectCommunities({ interactions: [interaction] }, { seed });
    assert.throws(run({ from: -1, to: 2, weight: 1 }), isSybilError('sybil.agent_id'));
    assert.throws(run({ from: 1.5, to: 2, weight: 1 }), isSybilError('sybil.agent_id'));
    assert.throws(run({ from: 1, to: 2, weight: 0 }), isSybilError('sybil.weight'));
    assert.throws(run({ from: 1, to: 2, weight: 0.5 }), isSybilError('sybil.weight'));
    assert.throws(run({ from: 3, to: 3, weight: 1 }), isSybilError('sybil.self_interaction'));
    const huge = { from: 1, to: 2, weight: Number.MAX_SAFE_INTEGER };
    assert.throws(
      () => detectCommunities({ interactions: [huge, { ...huge, from: 2, to: 1 }] }, { seed }),
      isSybilError('sybil.weight'),
    );
    assert.throws(
      () => detectCommunities({ interactions: [], agents: [Number.NaN] }, { seed }),
      isSybilError('sybil.agent_id'),
    );
    for (const resolution of [0, -1, Number.POSITIVE_INFINITY]) {
      assert.throws(
        () => detectCommunities({ interactions: [] }, { seed, resolution }),
        isSybilError('sybil.resolution'),
      );
    }
    assert.throws(
      () => detectCommunities({ interactions: [] }, { seed: new Uint8Array(16) }),
      isSybilError('sybil.seed_length'),
    );
  });
});
