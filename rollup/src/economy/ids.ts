import { hash as nodeHash } from 'node:crypto';

/**
 * Ids of economy records. A post's id is derived from the transaction that created it, so it is
 * known to the sender before inclusion and can never collide with another post's:
 * `SHA-256("moltbook/post/v1" ‖ txId)`. A bounty's id is its question post's id.
 */
const POST_TAG = new TextEncoder().encode('moltbook/post/v1');

export const ZERO_HASH = new Uint8Array(32);

export function postIdOf(txId: Uint8Array): Uint8Array {
  const buf = new Uint8Array(POST_TAG.length + 32);
  buf.set(POST_TAG);
  buf.set(txId, POST_TAG.length);
  return nodeHash('sha256', buf, 'buffer');
}

export function isZeroHash(b: Uint8Array): boolean {
  for (const x of b) if (x !== 0) return false;
  return true;
}
