import { hash as nodeHash } from 'node:crypto';

/** Domain tags: a leaf hash can never be taken for an inner node's, nor the reverse. */
export const LEAF_TAG = 0x00;
export const NODE_TAG = 0x01;

/** Root of no leaves. */
export const EMPTY_MERKLE_ROOT = new Uint8Array(32);

/**
 * Binary Merkle root of already-hashed leaves (each `SHA-256(LEAF_TAG ‖ …)`), in the given order:
 * inner node = `SHA-256(NODE_TAG ‖ left ‖ right)`; an odd last node moves up unchanged (no
 * duplication, so no CVE-2012-2459-style second tree with the same root).
 */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_MERKLE_ROOT;
  let level = leaves;
  const buf = new Uint8Array(65);
  buf[0] = NODE_TAG;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      buf.set(level[i] as Uint8Array, 1);
      buf.set(level[i + 1] as Uint8Array, 33);
      next.push(nodeHash('sha256', buf, 'buffer'));
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1] as Uint8Array);
    level = next;
  }
  return level[0] as Uint8Array;
}
