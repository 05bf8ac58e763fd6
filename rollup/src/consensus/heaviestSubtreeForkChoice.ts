import { ConsensusError } from './consensusError.ts';
import type { SlotAncestry } from './tower.ts';

interface ForkNode {
  readonly slot: number;
  parent: ForkNode | null;
  readonly children: ForkNode[];
  /** Stake whose latest vote is this slot. */
  stakeVotedAt: bigint;
  /** Stake whose latest vote is this slot or a descendant (Agave `stake_voted_subtree`). */
  stakeVotedSubtree: bigint;
  /** Heaviest leaf of this subtree (Agave `best_slot`). */
  bestSlot: number;
}

interface LatestVote {
  readonly slot: number;
  /** False once setRoot pruned the slot: the vote then weighs nothing until the next one. */
  counted: boolean;
}

/** What happened to a vote handed to `addVote`. */
export type AddVoteResult =
  | { readonly kind: 'applied'; readonly previousSlot: number | null }
  | { readonly kind: 'ignored'; readonly reason: 'unknownValidator' | 'unknownSlot' | 'notNewer' };

export interface ForkChoiceOpts {
  /** The rooted slot the tree starts from. */
  readonly root: number;
  /** Epoch stakes by validator key (hex). A validator's whole stake follows its latest vote. */
  readonly stakes: ReadonlyMap<string, bigint>;
}

/** `a` beats `b` as best child: heavier, or as heavy and a lower slot (Agave's tie-break). */
function better(a: ForkNode, b: ForkNode): boolean {
  return (
    a.stakeVotedSubtree > b.stakeVotedSubtree ||
    (a.stakeVotedSubtree === b.stakeVotedSubtree && a.slot < b.slot)
  );
}

/**
 * Heaviest-subtree fork choice (§7.5, §7.7 "most stake-weighted attestations"; Agave
 * `core/src/consensus/heaviest_subtree_fork_choice.rs`), one block per slot. Each validator's
 * stake sits on its latest (highest-slot) vote only; a subtree weighs the stake voted in it;
 * `bestSlot()` walks from the root to the heaviest child, ties to the lower slot, down to a leaf.
 *
 * Work: a vote moves stake along two root paths and recomputes the best child of every node on
 * them, O(depth × children); `addSlot` recomputes one root path; `bestSlot()` is O(1);
 * `setRoot` is O(pruned nodes + validators). Depth is bounded by the unrooted slots (≈ 32 + forks).
 */
export class HeaviestSubtreeForkChoice implements SlotAncestry {
  readonly #nodes = new Map<number, ForkNode>();
  readonly #stakes: ReadonlyMap<string, bigint>;
  readonly #latest = new Map<string, LatestVote>();
  #root: ForkNode;

  constructor(opts: ForkChoiceOpts) {
    if (!Number.isSafeInteger(opts.root) || opts.root < 0)
      throw new ConsensusError('fork_choice.invalid_parent', `bad root ${opts.root}`);
    for (const [k, v] of opts.stakes) if (v < 0n) throw new RangeError(`negative stake for ${k}`);
    this.#stakes = new Map(opts.stakes);
    this.#root = this.#newNode(opts.root, null);
  }

  #newNode(slot: number, parent: ForkNode | null): ForkNode {
    const node: ForkNode = {
      slot,
      parent,
      children: [],
      stakeVotedAt: 0n,
      stakeVotedSubtree: 0n,
      bestSlot: slot,
    };
    this.#nodes.set(slot, node);
    return node;
  }

  get root(): number {
    return this.#root.slot;
  }

  /** The slot to build on and vote for: the heaviest leaf. */
  bestSlot(): number {
    return this.#root.bestSlot;
  }

  contains(slot: number): boolean {
    return this.#nodes.has(slot);
  }

  isAncestor(ancestor: number, slot: number): boolean {
    for (let n = this.#nodes.get(slot)?.parent; n != null; n = n.parent)
      if (n.slot === ancestor) return true;
    return false;
  }

  /** Strict ancestors of `slot` down to the root (the set `Tower.checkLockout` takes). */
  ancestors(slot: number): Set<number> {
    const out = new Set<number>();
    for (let n = this.#nodes.get(slot)?.parent; n != null; n = n.parent) out.add(n.slot);
    return out;
  }

  parentOf(slot: number): number | null {
    return this.#nodes.get(slot)?.parent?.slot ?? null;
  }

  /** Stake whose latest vote is `slot` or a descendant (optimistic confirmation, threshold). */
  stakeVotedSubtree(slot: number): bigint {
    return this.#nodes.get(slot)?.stakeVotedSubtree ?? 0n;
  }

  stakeVotedAt(slot: number): bigint {
    return this.#nodes.get(slot)?.stakeVotedAt ?? 0n;
  }

  /** Every slot in the tree, ascending. */
  slots(): number[] {
    return [...this.#nodes.keys()].sort((a, b) => a - b);
  }

  /** Adds a (validated) block's slot under its parent; the caller's bug if either is wrong. */
  addSlot(slot: number, parent: number): void {
    const p = this.#nodes.get(parent);
    if (p === undefined)
      throw new ConsensusError('fork_choice.unknown_slot', `parent ${parent} not in the tree`);
    if (this.#nodes.has(slot))
      throw new ConsensusError('fork_choice.duplicate_slot', `slot ${slot} already in the tree`);
    if (!Number.isSafeInteger(slot) || slot <= parent)
      throw new ConsensusError('fork_choice.invalid_parent', `slot ${slot} not above ${parent}`);
    p.children.push(this.#newNode(slot, p));
    this.#refreshBestUp(p);
  }

  /**
   * Counts `validator`'s vote on `slot` if it is newer than its latest one: its stake leaves the
   * old slot's root path and joins the new one (Agave `add_votes`).
   */
  addVote(validator: string, slot: number): AddVoteResult {
    const stake = this.#stakes.get(validator);
    if (stake === undefined) return { kind: 'ignored', reason: 'unknownValidator' };
    const target = this.#nodes.get(slot);
    if (target === undefined) return { kind: 'ignored', reason: 'unknownSlot' };
    const prev = this.#latest.get(validator);
    if (prev !== undefined && prev.slot >= slot) return { kind: 'ignored', reason: 'notNewer' };
    this.#latest.set(validator, { slot, counted: true });
    const old = prev?.counted === true ? this.#nodes.get(prev.slot) : undefined;
    if (old !== undefined) {
      old.stakeVotedAt -= stake;
      for (let n: ForkNode | null = old; n !== null; n = n.parent) n.stakeVotedSubtree -= stake;
    }
    target.stakeVotedAt += stake;
    for (let n: ForkNode | null = target; n !== null; n = n.parent) n.stakeVotedSubtree += stake;
    // Old path first: where the paths meet, the new path's pass recomputes again, bottom-up.
    if (old !== undefined) this.#refreshBestUp(old);
    this.#refreshBestUp(target);
    return { kind: 'applied', previousSlot: prev?.slot ?? null };
  }

  #refreshBestUp(from: ForkNode): void {
    for (let n: ForkNode | null = from; n !== null; n = n.parent) {
      let best: ForkNode | undefined;
      for (const c of n.children) if (best === undefined || better(c, best)) best = c;
      n.bestSlot = best === undefined ? n.slot : best.bestSlot;
    }
  }

  /**
   * Makes `slot` the root (it was finalized): everything not descending from it is dropped, and
   * votes on dropped slots stop weighing until their validator votes again.
   */
  setRoot(slot: number): void {
    const newRoot = this.#nodes.get(slot);
    if (newRoot === undefined)
      throw new ConsensusError('fork_choice.unknown_slot', `root ${slot} not in the tree`);
    if (newRoot === this.#root) return;
    const stack: ForkNode[] = [this.#root];
    while (stack.length > 0) {
      const n = stack.pop() as ForkNode;
      if (n === newRoot) continue;
      this.#nodes.delete(n.slot);
      stack.push(...n.children);
    }
    newRoot.parent = null;
    this.#root = newRoot;
    for (const v of this.#latest.values())
      if (v.counted && !this.#nodes.has(v.slot)) v.counted = false;
  }
}
