import { hash } from 'node:crypto';
import { LEAF_TAG, NODE_TAG } from '../../execution/merkleRoot.ts';
import { MAX_BUCKET_BITS } from './stateSchema.ts';

/**
 * The hashing every state root is made of (docs/economy.md, "State root"). Integer-only and
 * independent of the machine, the engine and the insertion order: two validators with the same
 * records compute the same bytes.
 */

/** Prefix of the store root preimage (never taken for a transfer-state, block or tx hash). */
export const STATE_ROOT_TAG = new TextEncoder().encode('moltbook/state/v2');
/** Singleton hash domain: neither a record leaf (0x00) nor an inner node (0x01). */
export const SINGLETON_TAG = 0x02;
/**
 * A SHA-256 output as 32 latin1 characters (one per byte). Hashes on the hot path are strings: a
 * string result of node:crypto costs a fraction of the Buffer it would otherwise allocate per
 * hash, copying a node is copying a pointer, and comparing two is `===` (bench stateStore).
 */
export type Digest = string;

/** Hash of a bucket with no record: `merkleRoot([])`, 32 zero bytes. */
export const EMPTY_BUCKET_DIGEST: Digest = '\0'.repeat(32);
/** Hash of an absent singleton. */
export const ABSENT_SINGLETON_HASH = new Uint8Array(32);

export function digestBytes(d: Digest): Uint8Array {
  return Buffer.from(d, 'latin1');
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Bucket of a key: the top `bits` bits of FNV-1a 32 over the key's ASCII bytes. The top bits,
 * not `mod 2^bits`: the low bits of a multiplicative hash depend only on the low bits of its
 * input bytes. Several times cheaper than SHA-256 (bench stateStore); an attacker who picks keys
 * can aim at one bucket with either (2^bits tries per key), so a cryptographic hash would buy
 * nothing — a crowded bucket only costs its own writers more hashes per insert.
 */
export function bucketOf(key: string, bits: number): number {
  let h = FNV_OFFSET_BASIS | 0; // int32 from the start: the loop stays in integer registers
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return bits === 0 ? 0 : h >>> (32 - bits);
}

let scratch = Buffer.allocUnsafe(512);

/** `SHA-256(LEAF_TAG ‖ u16 keyLength ‖ key ASCII bytes ‖ value bytes)`. */
export function leafDigest(key: string, value: Uint8Array): Digest {
  const n = 3 + key.length + value.length;
  if (scratch.length < n) scratch = Buffer.allocUnsafe(n + n);
  scratch[0] = LEAF_TAG;
  scratch[1] = key.length >>> 8;
  scratch[2] = key.length & 0xff;
  scratch.write(key, 3, 'latin1');
  scratch.set(value, 3 + key.length);
  return hash('sha256', scratch.subarray(0, n), 'binary');
}

const pair = new Uint8Array(65);
pair[0] = NODE_TAG;

/** `SHA-256(NODE_TAG ‖ left ‖ right)`: an inner node of a bucket or of a table's tree. */
export function nodeDigest(left: Digest, right: Digest): Digest {
  for (let i = 0; i < 32; i++) {
    pair[1 + i] = left.charCodeAt(i);
    pair[33 + i] = right.charCodeAt(i);
  }
  return hash('sha256', pair, 'binary');
}

/** `SHA-256(SINGLETON_TAG ‖ u8 id ‖ bytes)`. */
export function singletonHash(id: number, bytes: Uint8Array): Uint8Array {
  const buf = new Uint8Array(2 + bytes.length);
  buf[0] = SINGLETON_TAG;
  buf[1] = id;
  buf.set(bytes, 2);
  return hash('sha256', buf, 'buffer');
}

/** `zeroDigests[h]`: root of a perfect tree of 2^h empty buckets. */
const zeroDigests: Digest[] = [EMPTY_BUCKET_DIGEST];
for (let h = 1; h <= MAX_BUCKET_BITS; h++) {
  const below = zeroDigests[h - 1] as Digest;
  zeroDigests.push(nodeDigest(below, below));
}

export function emptySubtreeDigest(height: number): Digest {
  const z = zeroDigests[height];
  if (z === undefined) throw new RangeError(`no empty subtree of height ${height}`);
  return z;
}

/**
 * The store root: `SHA-256(STATE_ROOT_TAG ‖ table roots by ascending table id ‖ singleton hashes
 * by ascending singleton id)`, every hash 32 bytes (the schema fixes how many there are).
 */
export function composeRoot(
  tableRoots: readonly Uint8Array[],
  singletonHashes: readonly Uint8Array[],
): Uint8Array {
  const tag = STATE_ROOT_TAG.length;
  const buf = new Uint8Array(tag + 32 * (tableRoots.length + singletonHashes.length));
  buf.set(STATE_ROOT_TAG, 0);
  let at = tag;
  for (const h of tableRoots) {
    buf.set(h, at);
    at += 32;
  }
  for (const h of singletonHashes) {
    buf.set(h, at);
    at += 32;
  }
  return hash('sha256', buf, 'buffer');
}
