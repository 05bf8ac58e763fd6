import { type Bucket, bucketDigest, type LeafChange, rebuildBucket } from './bucket.ts';
import { type Digest, emptySubtreeDigest, nodeDigest } from './stateHashing.ts';

/**
 * A table's fixed-shape binary Merkle tree over its 2^bits bucket hashes (bucket i is leaf i;
 * inner node = `SHA-256(NODE_TAG ‖ left ‖ right)`), cached and shared copy-on-write between
 * layers. It is stored as a 16-ary radix tree whose nodes each pack 4 levels of the binary tree
 * (31 digests) and point to 16 children (or, at the bottom, 16 buckets): a layer that
 * changes k buckets copies at most k nodes per level and hashes k × bits inner nodes at most; a
 * child layer starts from its parent's tree by pointer.
 */

/** Binary levels packed in one node (its fan-out is 2^NODE_BITS). */
const NODE_BITS = 4;

export interface TreeNode {
  /** The layer token allowed to mutate this node in place; any other layer copies it first. */
  readonly owner: object | null;
  /** Heap-ordered local binary tree: node i (1-based) at index i - 1, slot s at 2^bits + s. */
  readonly hashes: Digest[];
  /** Children at inner depths, buckets at the bottom depth (null: empty bucket). */
  readonly kids: (TreeNode | Bucket | null)[];
}

/** The shape of a table's tree: binary levels per radix depth, top first. */
export interface TreeLayout {
  readonly bits: number;
  /** Binary levels of a node at each depth: NODE_BITS, except possibly the top. */
  readonly levels: readonly number[];
  /** Bucket-index bits below each depth. */
  readonly shifts: readonly number[];
  /** The tree with no record, shared by every empty table of this shape (owner null). */
  readonly empty: TreeNode;
}

const layouts = new Map<number, TreeLayout>();

export function treeLayout(bits: number): TreeLayout {
  const cached = layouts.get(bits);
  if (cached !== undefined) return cached;
  const levels: number[] = [];
  let rest = bits;
  while (rest > NODE_BITS) {
    levels.push(NODE_BITS);
    rest -= NODE_BITS;
  }
  levels.push(rest);
  levels.reverse();
  const shifts = levels.map((_, d) => levels.slice(d + 1).reduce((a, b) => a + b, 0));
  const emptyAt = (d: number): TreeNode => {
    const l = levels[d] as number;
    const below = shifts[d] as number;
    const hashes: Digest[] = [];
    for (let i = 1; i < 1 << (l + 1); i++) {
      const depthInNode = 31 - Math.clz32(i);
      hashes.push(emptySubtreeDigest(l - depthInNode + below));
    }
    const kid = d + 1 < levels.length ? emptyAt(d + 1) : null;
    return { owner: null, hashes, kids: new Array<TreeNode | Bucket | null>(1 << l).fill(kid) };
  };
  const layout = { bits, levels, shifts, empty: emptyAt(0) };
  layouts.set(bits, layout);
  return layout;
}

export function treeRoot(node: TreeNode): Digest {
  return node.hashes[0] as Digest;
}

/** The records of one bucket that changed since the tree was built. */
export interface BucketUpdate {
  readonly index: number;
  /** Sorted by key, unique. */
  readonly changes: readonly LeafChange[];
}

/**
 * The tree with `updates` (sorted by bucket index, unique) applied: nodes owned by `token` are
 * changed in place, others are copied (and then owned by `token`). Touches only the paths of the
 * updated buckets.
 */
export function updateTree(
  root: TreeNode,
  layout: TreeLayout,
  token: object,
  updates: readonly BucketUpdate[],
): TreeNode {
  if (updates.length === 0) return root;
  return updateNode(root, 0, layout, token, updates, 0, updates.length);
}

function updateNode(
  node: TreeNode,
  depth: number,
  layout: TreeLayout,
  token: object,
  updates: readonly BucketUpdate[],
  lo: number,
  hi: number,
): TreeNode {
  const n: TreeNode =
    node.owner === token
      ? node
      : { owner: token, hashes: node.hashes.slice(), kids: node.kids.slice() };
  const bits = layout.levels[depth] as number;
  const shift = layout.shifts[depth] as number;
  const mask = (1 << bits) - 1;
  const bottom = depth === layout.levels.length - 1;
  const dirty: number[] = [];
  for (let i = lo; i < hi; ) {
    const slot = ((updates[i] as BucketUpdate).index >>> shift) & mask;
    let j = i + 1;
    while (j < hi && (((updates[j] as BucketUpdate).index >>> shift) & mask) === slot) j++;
    let h: Digest;
    if (bottom) {
      const b = rebuildBucket(n.kids[slot] as Bucket | null, (updates[i] as BucketUpdate).changes);
      n.kids[slot] = b;
      h = bucketDigest(b);
    } else {
      const kid = updateNode(n.kids[slot] as TreeNode, depth + 1, layout, token, updates, i, j);
      n.kids[slot] = kid;
      h = treeRoot(kid);
    }
    const heap = (1 << bits) + slot;
    n.hashes[heap - 1] = h;
    dirty.push(heap);
    i = j;
  }
  // Re-hash the local inner nodes above the changed slots, one level at a time.
  let level = dirty;
  while ((level[0] as number) > 1) {
    const up: number[] = [];
    for (const x of level) {
      const p = x >>> 1;
      if (up.length === 0 || up[up.length - 1] !== p) up.push(p);
    }
    for (const p of up)
      n.hashes[p - 1] = nodeDigest(n.hashes[2 * p - 1] as Digest, n.hashes[2 * p] as Digest);
    level = up;
  }
  return n;
}
