import { type Digest, EMPTY_BUCKET_DIGEST, nodeDigest } from './stateHashing.ts';

/**
 * The records of one bucket as of one layer, with every level of their Merkle tree (the tree of
 * rollup/src/execution/merkleRoot.ts over the leaves in key order: pairs left to right, an odd
 * last node moves up unchanged). Immutable once built: layers share buckets, and a layer that
 * changes a bucket builds a new one from its parent's, sharing the unchanged digests.
 */
export interface Bucket {
  /** Sorted, non-empty. */
  readonly keys: readonly string[];
  /** Every level: the leaves (in key order), then each level up, the root last. */
  readonly nodes: readonly Digest[];
}

/** One record that changed in a bucket: its new leaf digest, or null when it was deleted. */
export interface LeafChange {
  readonly key: string;
  readonly leaf: Digest | null;
}

export function bucketDigest(b: Bucket | null): Digest {
  return b === null ? EMPTY_BUCKET_DIGEST : (b.nodes[b.nodes.length - 1] as Digest);
}

/**
 * `old` with `changes` (sorted by key, unique) applied. Nodes whose inputs did not move or change
 * are taken from `old` instead of hashed: an update re-hashes its path (≈ log2 n), an insert or a
 * delete the part of the tree right of it. Deleting a key the bucket lacks is a no-op. Returns
 * null for a bucket left empty.
 */
export function rebuildBucket(old: Bucket | null, changes: readonly LeafChange[]): Bucket | null {
  const oldKeys = old?.keys ?? [];
  const oldNodes = old?.nodes ?? [];
  const oldN = oldKeys.length;
  const keys: string[] = [];
  const nodes: Digest[] = [];
  // same[k] = 1: node k of the level being built is node k of the same level of `old`.
  const same = flags(oldN + changes.length);
  let i = 0;
  for (let c = 0; c < changes.length; c++) {
    const ch = changes[c] as LeafChange;
    for (; i < oldN && (oldKeys[i] as string) < ch.key; i++) {
      same[keys.length] = i === keys.length ? 1 : 0;
      keys.push(oldKeys[i] as string);
      nodes.push(oldNodes[i] as Digest);
    }
    if (i < oldN && oldKeys[i] === ch.key) i++;
    if (ch.leaf !== null) {
      same[keys.length] = keys.length < oldN && oldNodes[keys.length] === ch.leaf ? 1 : 0;
      keys.push(ch.key);
      nodes.push(ch.leaf);
    }
  }
  for (; i < oldN; i++) {
    same[keys.length] = i === keys.length ? 1 : 0;
    keys.push(oldKeys[i] as string);
    nodes.push(oldNodes[i] as Digest);
  }
  const n = keys.length;
  if (n === 0) return null;

  let size = n;
  let off = 0;
  let oldSize = oldN;
  let oldOff = 0;
  while (size > 1) {
    const upSize = (size + 1) >>> 1;
    const oldUpOff = oldOff + oldSize;
    // Flags of the level above are written in place: same[j] only after same[2j], same[2j+1] are read.
    for (let j = 0; j < upSize; j++) {
      const l = 2 * j;
      if (l + 1 < size) {
        // same[l + 1] implies l + 1 < oldSize: the old level paired the same two nodes here.
        if (same[l] === 1 && same[l + 1] === 1) {
          nodes.push(oldNodes[oldUpOff + j] as Digest);
          same[j] = 1;
        } else {
          nodes.push(nodeDigest(nodes[off + l] as Digest, nodes[off + l + 1] as Digest));
          same[j] = 0;
        }
      } else {
        // The odd last node moves up; so it did in `old` only if that level had the same size.
        nodes.push(nodes[off + l] as Digest);
        same[j] = same[l] === 1 && oldSize === size ? 1 : 0;
      }
    }
    off += size;
    size = upSize;
    oldOff = oldUpOff;
    oldSize = oldSize > 1 ? (oldSize + 1) >>> 1 : 0;
  }
  return { keys, nodes };
}

let scratchFlags = new Uint8Array(256);

/** The reused flag array, grown to at least `n` (one bucket is rebuilt at a time). */
function flags(n: number): Uint8Array {
  if (scratchFlags.length < n) scratchFlags = new Uint8Array(n + n);
  return scratchFlags;
}
