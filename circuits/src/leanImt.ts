import { poseidon2 } from 'poseidon-lite';
import { BN254_SCALAR_FIELD_ORDER } from './bn254.ts';
import { CircuitsError } from './circuitsError.ts';

/**
 * The path of one leaf in a LeanIMT, level by level from the leaves up to the tree's depth:
 * `siblings[i]` is the sibling at level i, or undefined where the node has none (it is then the
 * last node of its level and moves up unchanged). Bit i of `leafIndex` says whether the node is
 * a right child at level i.
 */
export type LeanImtProof = {
  readonly root: bigint;
  readonly leaf: bigint;
  readonly leafIndex: number;
  readonly siblings: readonly (bigint | undefined)[];
};

/**
 * A Lean Incremental Merkle Tree (the LeanIMT of @zk-kit/lean-imt and Semaphore v4) over
 * Poseidon(2): leaves are appended, the tree is only as deep as its size needs
 * (⌈log2 size⌉), and a node without a sibling takes its child's value instead of being hashed
 * with a zero. The TypeScript reference of circuits/lib/leanImtRoot.circom and of
 * contracts/privacy/AnonymitySet.sol, which must compute the same roots.
 *
 * A leaf is a nonzero field element when inserted; `update` may set one to 0 (a removed
 * member: no commitment is 0, since that would take a Poseidon preimage).
 */
export class LeanImt {
  /** nodes[level][index]; nodes[depth] holds the root alone. */
  readonly #nodes: bigint[][] = [[]];

  constructor(leaves: Iterable<bigint> = []) {
    this.insertMany(leaves);
  }

  get size(): number {
    return this.#level(0).length;
  }

  get depth(): number {
    return this.#nodes.length - 1;
  }

  /** The root; 0 for the empty tree (as the contract reports it). */
  get root(): bigint {
    return this.#level(this.depth)[0] ?? 0n;
  }

  get leaves(): readonly bigint[] {
    return [...this.#level(0)];
  }

  /** The index of the first leaf equal to `leaf`, or -1. */
  indexOf(leaf: bigint): number {
    return this.#level(0).indexOf(leaf);
  }

  insert(leaf: bigint): void {
    assertLeaf(leaf, 'leaf', false);
    let index = this.size;
    while (2 ** this.depth < index + 1) this.#nodes.push([]);
    let node = leaf;
    for (let level = 0; level < this.depth; level++) {
      const nodes = this.#level(level);
      nodes[index] = node;
      if ((index & 1) === 1) node = poseidon2([nodes[index - 1] as bigint, node]);
      index >>= 1;
    }
    this.#nodes[this.depth] = [node];
  }

  insertMany(leaves: Iterable<bigint>): void {
    for (const leaf of leaves) this.insert(leaf);
  }

  /** Replaces the leaf at `index` (0 removes a member) and recomputes its path. */
  update(index: number, leaf: bigint): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new CircuitsError('circuits.leaf_not_found', `No leaf at index ${index}.`);
    }
    assertLeaf(leaf, 'leaf', true);
    let node = leaf;
    let i = index;
    for (let level = 0; level < this.depth; level++) {
      const nodes = this.#level(level);
      nodes[i] = node;
      const sibling = nodes[i ^ 1];
      if (sibling !== undefined) {
        node = (i & 1) === 1 ? poseidon2([sibling, node]) : poseidon2([node, sibling]);
      }
      i >>= 1;
    }
    this.#nodes[this.depth] = [node];
  }

  /** The path of the leaf at `index`. */
  generateProof(index: number): LeanImtProof {
    const leaf = this.#level(0)[index];
    if (!Number.isSafeInteger(index) || index < 0 || leaf === undefined) {
      throw new CircuitsError('circuits.leaf_not_found', `No leaf at index ${index}.`);
    }
    const siblings: (bigint | undefined)[] = [];
    let i = index;
    for (let level = 0; level < this.depth; level++) {
      siblings.push(this.#level(level)[i ^ 1]);
      i >>= 1;
    }
    return { root: this.root, leaf, leafIndex: index, siblings };
  }

  #level(level: number): bigint[] {
    const nodes = this.#nodes[level];
    if (nodes === undefined) throw new Error(`LeanImt: no level ${level}`);
    return nodes;
  }
}

/** The root a LeanIMT path leads to (the circuit's computation, in TypeScript). */
export function leanImtRootOf(proof: Omit<LeanImtProof, 'root'>): bigint {
  let node = proof.leaf;
  for (const [level, sibling] of proof.siblings.entries()) {
    if (sibling === undefined) continue;
    const isRight = Math.floor(proof.leafIndex / 2 ** level) % 2 === 1;
    node = isRight ? poseidon2([sibling, node]) : poseidon2([node, sibling]);
  }
  return node;
}

function assertLeaf(leaf: bigint, name: string, zeroAllowed: boolean): void {
  if (
    typeof leaf !== 'bigint' ||
    leaf < (zeroAllowed ? 0n : 1n) ||
    leaf >= BN254_SCALAR_FIELD_ORDER
  ) {
    throw new CircuitsError(
      'circuits.invalid_leaf',
      `${name} must be a field element (${zeroAllowed ? '0 ≤' : '0 <'} x < p).`,
    );
  }
}
