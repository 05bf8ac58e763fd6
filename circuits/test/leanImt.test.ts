import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { poseidon2 } from 'poseidon-lite';
import { LeanImt, leanImtRootOf, BN254_SCALAR_FIELD_ORDER as p } from '../src/index.ts';
import { hasErrorCode } from './hasErrorCode.ts';

const H = (a: bigint, b: bigint) => poseidon2([a, b]);

/** The LeanIMT root by its definition, level by level: pairs are hashed, a lone last node moves up. */
function naiveRoot(leaves: readonly bigint[]): bigint {
  if (leaves.length === 0) return 0n;
  let level = [...leaves];
  while (level.length > 1) {
    const next: bigint[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as bigint;
      const right = level[i + 1];
      next.push(right === undefined ? left : H(left, right));
    }
    level = next;
  }
  return level[0] as bigint;
}

const leavesOf = (n: number, offset = 1n) =>
  Array.from({ length: n }, (_, i) => BigInt(i) + offset);

describe('LeanImt', () => {
  test('small trees by hand: a node without a sibling moves up unhashed', () => {
    const [a, b, c, d, e] = [11n, 22n, 33n, 44n, 55n];
    assert.equal(new LeanImt().root, 0n);
    assert.equal(new LeanImt([a]).root, a);
    assert.equal(new LeanImt([a, b]).root, H(a, b));
    assert.equal(new LeanImt([a, b, c]).root, H(H(a, b), c));
    assert.equal(new LeanImt([a, b, c, d]).root, H(H(a, b), H(c, d)));
    assert.equal(new LeanImt([a, b, c, d, e]).root, H(H(H(a, b), H(c, d)), e));
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 8, 9].map((n) => new LeanImt(leavesOf(n)).depth),
      [0, 0, 1, 2, 2, 3, 3, 4],
    );
  });

  test('incremental insertion gives the level-by-level root for every size up to 70', () => {
    const tree = new LeanImt();
    for (let n = 1; n <= 70; n++) {
      tree.insert(BigInt(n) * 7919n);
      assert.equal(tree.root, naiveRoot(tree.leaves), `size ${n}`);
      assert.equal(tree.depth, n === 1 ? 0 : Math.ceil(Math.log2(n)));
    }
  });

  test('every path of every tree up to 33 leaves leads to the root; absent siblings only on the right edge', () => {
    for (let n = 1; n <= 33; n++) {
      const tree = new LeanImt(leavesOf(n, 1000n));
      for (let i = 0; i < n; i++) {
        const proof = tree.generateProof(i);
        assert.equal(proof.siblings.length, tree.depth);
        assert.equal(proof.root, tree.root);
        assert.equal(leanImtRootOf(proof), tree.root, `size ${n} leaf ${i}`);
        for (const [level, sibling] of proof.siblings.entries()) {
          const index = i >> level;
          if (sibling === undefined) {
            // Only the last node of a level with an odd count lacks a sibling, and it is a left node.
            assert.equal(index % 2, 0);
          }
        }
      }
    }
  });

  test('property: random leaves, random leaf, update', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 1n, max: p - 1n }), { minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.bigInt({ min: 0n, max: p - 1n }),
        (leaves, pick, replacement) => {
          const tree = new LeanImt(leaves);
          assert.equal(tree.root, naiveRoot(leaves));
          const index = pick % leaves.length;
          assert.equal(leanImtRootOf(tree.generateProof(index)), tree.root);
          tree.update(index, replacement);
          const updated = [...leaves];
          updated[index] = replacement;
          assert.equal(tree.root, naiveRoot(updated));
          assert.equal(leanImtRootOf(tree.generateProof(index)), tree.root);
        },
      ),
      { numRuns: 30 },
    );
  });

  test('bad leaves and indexes are typed errors', () => {
    const tree = new LeanImt([1n, 2n, 3n]);
    for (const leaf of [0n, -1n, p, p + 1n]) {
      assert.throws(() => tree.insert(leaf), hasErrorCode('circuits.invalid_leaf'));
    }
    assert.throws(() => tree.update(0, p), hasErrorCode('circuits.invalid_leaf'));
    tree.update(0, 0n); // removal is an update to 0
    for (const index of [-1, 3, 1.5]) {
      assert.throws(() => tree.generateProof(index), hasErrorCode('circuits.leaf_not_found'));
      assert.throws(() => tree.update(index, 1n), hasErrorCode('circuits.leaf_not_found'));
    }
    assert.equal(tree.indexOf(2n), 1);
    assert.equal(tree.indexOf(9n), -1);
  });
});
