import { createHash } from 'node:crypto';
import { LEAF_TAG, merkleRoot, NODE_TAG } from '../../execution/merkleRoot.ts';
import { bucketOf } from './stateHashing.ts';

/**
 * The root of one table computed with no cache at all, straight from the definition: records
 * grouped by bucket, each bucket the Merkle root (merkleRoot.ts) of its leaves
 * `SHA-256(LEAF_TAG ‖ u16 keyLength ‖ key ‖ value)` sorted by key, then the full binary tree over
 * the 2^bits bucket hashes. The reference the incremental tree is tested against; it shares only
 * `bucketOf` with it (the known-answer test checks that one by hand).
 */
export function referenceTableRoot(
  records: Iterable<readonly [string, Uint8Array]>,
  bits: number,
): Uint8Array {
  const buckets: [string, Uint8Array][][] = Array.from({ length: 1 << bits }, () => []);
  for (const [key, value] of records) {
    const leaf = createHash('sha256')
      .update(Uint8Array.of(LEAF_TAG, key.length >>> 8, key.length & 0xff))
      .update(Buffer.from(key, 'latin1'))
      .update(value)
      .digest();
    (buckets[bucketOf(key, bits)] as [string, Uint8Array][]).push([key, leaf]);
  }
  let level = buckets.map((b) =>
    merkleRoot(b.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).map((r) => r[1])),
  );
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as Uint8Array;
      const right = level[i + 1] as Uint8Array;
      next.push(
        createHash('sha256').update(Uint8Array.of(NODE_TAG)).update(left).update(right).digest(),
      );
    }
    level = next;
  }
  return level[0] as Uint8Array;
}
