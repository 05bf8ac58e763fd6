import { HeaviestSubtreeForkChoice } from '../consensus/heaviestSubtreeForkChoice.ts';
import { checkOptimisticConfirmation } from '../consensus/optimisticConfirmation.ts';
import type {
  LockoutDecision,
  ObservedLockout,
  SwitchForkDecision,
  ThresholdDecision,
  Tower,
} from '../consensus/tower.ts';
import { type SignedVote, voteSlot } from '../consensus/vote.ts';
import type { EconomyState } from '../economy/economyState.ts';
import type { ValidTx } from '../tx/validateTransaction.ts';
import type { SignedBlock } from '../types/block.ts';
import { toHex } from '../utils/hex.ts';

/**
 * A replayed block and the state after it (Agave's `Bank`). The root bank of a fresh chain is the
 * genesis: slot 0, no block, its hash is the genesis hash and its last PoH hash too.
 */
export interface Bank {
  readonly slot: number;
  readonly hash: Uint8Array;
  readonly hashHex: string;
  readonly parentSlot: number;
  /** PoH hash the bank ends on: the next block's `pohStart`. */
  readonly lastHash: Uint8Array;
  readonly tickHeight: number;
  readonly block: SignedBlock | null;
  readonly state: EconomyState;
  /** The block's transactions, validated (what goes back to the mempool if the fork loses). */
  readonly txs: readonly ValidTx[];
}

/** What the node should do about voting now (Agave `select_vote_and_reset_forks`), typed. */
export type VoteDecision =
  | { readonly kind: 'vote'; readonly slot: number; readonly switched: boolean }
  | {
      readonly kind: 'noVote';
      readonly slot: number;
      readonly reason:
        | { readonly kind: 'alreadyVoted' }
        | { readonly kind: 'lockout'; readonly decision: LockoutDecision }
        | { readonly kind: 'switch'; readonly decision: SwitchForkDecision }
        | { readonly kind: 'threshold'; readonly decision: ThresholdDecision };
    };

export type VoteIntake =
  | { readonly kind: 'applied'; readonly slot: number }
  /** Kept: the voted block is not here yet; counted when it is added. */
  | { readonly kind: 'pending'; readonly slot: number }
  | {
      readonly kind: 'ignored';
      readonly reason: 'unknownValidator' | 'notNewer' | 'belowRoot' | 'hashMismatch';
    };

export interface ForksOpts {
  readonly root: Bank;
  /** Epoch stakes by validator key (hex). */
  readonly stakes: ReadonlyMap<string, bigint>;
  readonly tower: Tower;
}

/**
 * The unrooted part of the chain a validator has replayed: banks by slot under the root, the
 * heaviest-subtree fork choice, every validator's latest vote, and this validator's tower. Pure
 * and synchronous; the node does the I/O around it. One bank per slot: a second block for a slot
 * is equivocation, which the node turns into evidence and keeps out of here.
 */
export class Forks {
  readonly #banks = new Map<number, Bank>();
  readonly #stakes: ReadonlyMap<string, bigint>;
  readonly totalStake: bigint;
  readonly tower: Tower;
  #forkChoice: HeaviestSubtreeForkChoice;
  #root: Bank;
  /** Latest vote per validator (hex key), counted or waiting for its block. */
  readonly #latest = new Map<string, SignedVote>();
  /** Slots declared duplicate (equivocated): never voted on, switching away needs no proof. */
  readonly #duplicates = new Set<number>();
  #confirmed = 0;

  constructor(opts: ForksOpts) {
    this.#stakes = opts.stakes;
    this.totalStake = [...opts.stakes.values()].reduce((a, b) => a + b, 0n);
    this.tower = opts.tower;
    this.#root = opts.root;
    this.#banks.set(opts.root.slot, opts.root);
    this.#forkChoice = new HeaviestSubtreeForkChoice({ root: opts.root.slot, stakes: opts.stakes });
    this.#confirmed = opts.root.slot;
  }

  get root(): Bank {
    return this.#root;
  }

  bank(slot: number): Bank | undefined {
    return this.#banks.get(slot);
  }

  banks(): Bank[] {
    return [...this.#banks.values()].sort((a, b) => a.slot - b.slot);
  }

  /** The heaviest bank: where the next block is built and the next vote goes. */
  best(): Bank {
    return this.#banks.get(this.#forkChoice.bestSlot()) as Bank;
  }

  /** Highest slot on the best fork that more than 2/3 of stake voted on (§7.5), monotonic. */
  get confirmedSlot(): number {
    return this.#confirmed;
  }

  isDuplicate(slot: number): boolean {
    return this.#duplicates.has(slot);
  }

  /** Adds a replayed bank whose parent is here, then counts votes that were waiting for it. */
  add(bank: Bank): void {
    this.#forkChoice.addSlot(bank.slot, bank.parentSlot);
    this.#banks.set(bank.slot, bank);
    for (const [validator, vote] of this.#latest) {
      if (voteSlot(vote) === bank.slot) this.#count(validator, vote);
    }
    this.#refreshConfirmed();
  }

  /**
   * Marks `slot` duplicate: the bank and its descendants leave the tree (they are re-added by
   * nobody: children of a duplicate slot are orphans), as Agave does with an unconfirmed duplicate.
   * Returns the removed banks.
   */
  markDuplicate(slot: number): Bank[] {
    this.#duplicates.add(slot);
    if (!this.#banks.has(slot) || slot === this.#root.slot) return [];
    const removed = new Set<number>([slot]);
    for (const b of this.banks()) if (removed.has(b.parentSlot)) removed.add(b.slot);
    const removedBanks = this.banks().filter((b) => removed.has(b.slot));
    // Rebuild the fork choice without them (rare path: equivocation).
    const fc = new HeaviestSubtreeForkChoice({ root: this.#root.slot, stakes: this.#stakes });
    for (const b of this.banks()) {
      if (b.slot === this.#root.slot) continue;
      if (removed.has(b.slot)) this.#banks.delete(b.slot);
      else fc.addSlot(b.slot, b.parentSlot);
    }
    this.#forkChoice = fc;
    for (const [validator, vote] of this.#latest) this.#count(validator, vote);
    return removedBanks;
  }

  /** Takes a verified vote (signature and validator checked by the caller). */
  addVote(vote: SignedVote): VoteIntake {
    const validator = toHex(vote.validator);
    if (!this.#stakes.has(validator)) return { kind: 'ignored', reason: 'unknownValidator' };
    const slot = voteSlot(vote);
    const prev = this.#latest.get(validator);
    if (prev !== undefined && voteSlot(prev) >= slot)
      return { kind: 'ignored', reason: 'notNewer' };
    if (slot <= this.#root.slot) return { kind: 'ignored', reason: 'belowRoot' };
    const bank = this.#banks.get(slot);
    if (bank !== undefined && Buffer.compare(bank.hash, vote.hash) !== 0)
      return { kind: 'ignored', reason: 'hashMismatch' };
    this.#latest.set(validator, vote);
    if (bank === undefined) return { kind: 'pending', slot };
    this.#count(validator, vote);
    this.#refreshConfirmed();
    return { kind: 'applied', slot };
  }

  /** Latest vote of one validator (hex key), counted or pending. */
  latestVote(validator: string): SignedVote | undefined {
    return this.#latest.get(validator);
  }

  /** Latest vote of every validator (persisted so a restart counts them again). */
  latestVotes(): SignedVote[] {
    return [...this.#latest.values()];
  }

  #count(validator: string, vote: SignedVote): void {
    const slot = voteSlot(vote);
    const bank = this.#banks.get(slot);
    if (bank === undefined || Buffer.compare(bank.hash, vote.hash) !== 0) return;
    this.#forkChoice.addVote(validator, slot);
  }

  #refreshConfirmed(): void {
    // Walk up from the best leaf: the first slot with > 2/3 of stake in its subtree.
    for (let s: number | null = this.#forkChoice.bestSlot(); s !== null && s > this.#confirmed; ) {
      const c = checkOptimisticConfirmation(this.#forkChoice.stakeVotedSubtree(s), this.totalStake);
      if (c.kind === 'confirmed') {
        this.#confirmed = s;
        return;
      }
      s = this.#forkChoice.parentOf(s);
    }
  }

  ancestors(slot: number): Set<number> {
    return this.#forkChoice.ancestors(slot);
  }

  /** Whether `ancestor` is `slot` or one of its ancestors. */
  onFork(ancestor: number, slot: number): boolean {
    return ancestor === slot || this.#forkChoice.isAncestor(ancestor, slot);
  }

  /** The lockouts other validators' latest votes commit them to (the switch-threshold input). */
  #observedLockouts(): ObservedLockout[] {
    const out: ObservedLockout[] = [];
    for (const [validator, vote] of this.#latest) {
      const stake = this.#stakes.get(validator) ?? 0n;
      for (const lockout of vote.lockouts) out.push({ validator, stake, lockout });
    }
    return out;
  }

  /**
   * Whether to vote on the best bank now (Agave `select_vote_and_reset_forks` +
   * `check_vote_stake_threshold`): not yet voted at or above it, not locked out, a switch proof
   * when it leaves the fork of the last vote (none needed when that vote was on a duplicate
   * slot), and more than 2/3 of stake at depth 8.
   */
  selectVote(): VoteDecision {
    const best = this.best();
    const slot = best.slot;
    const last = this.tower.lastVotedSlot ?? this.tower.root;
    if (slot === this.#root.slot || (last !== null && slot <= last))
      return { kind: 'noVote', slot, reason: { kind: 'alreadyVoted' } };
    const ancestors = this.#forkChoice.ancestors(slot);
    const lockout = this.tower.checkLockout(slot, ancestors);
    if (lockout.kind !== 'free')
      return { kind: 'noVote', slot, reason: { kind: 'lockout', decision: lockout } };
    let switched = false;
    const lastVote = this.tower.lastVotedSlot;
    if (lastVote !== null && !ancestors.has(lastVote) && !this.#duplicates.has(lastVote)) {
      const decision = this.tower.checkSwitchThreshold(
        slot,
        this.#forkChoice,
        this.#observedLockouts(),
        this.totalStake,
      );
      if (decision.kind === 'failedSwitchThreshold')
        return { kind: 'noVote', slot, reason: { kind: 'switch', decision } };
      switched = decision.kind === 'switchProof';
    }
    const threshold = this.tower.checkVoteStakeThreshold(
      slot,
      (s) => this.#forkChoice.stakeVotedSubtree(s),
      this.totalStake,
    );
    if (threshold.kind !== 'passed')
      return { kind: 'noVote', slot, reason: { kind: 'threshold', decision: threshold } };
    return { kind: 'vote', slot, switched };
  }

  /**
   * Records this validator's own vote (after `selectVote` said so and before it is signed and
   * sent). Returns the new root bank when the vote rooted one (§7.5: 32 confirmations).
   */
  recordOwnVote(slot: number): { newRoot: Bank | null } {
    const { newRoot } = this.tower.recordVote(slot, this.#forkChoice.ancestors(slot));
    if (newRoot === null) return { newRoot: null };
    const bank = this.#banks.get(newRoot);
    return { newRoot: bank ?? null };
  }

  /** Counts this validator's own signed vote like anyone else's. */
  countOwnVote(vote: SignedVote): void {
    this.#latest.set(toHex(vote.validator), vote);
    this.#count(toHex(vote.validator), vote);
    this.#refreshConfirmed();
  }

  /**
   * Makes `bank` (a descendant of the root) the root: banks not descending from it are dropped.
   * Returns the newly rooted chain (ascending, excluding the old root) and the dropped banks.
   */
  setRoot(bank: Bank): { rooted: Bank[]; pruned: Bank[] } {
    const oldRoot = this.#root;
    const rooted: Bank[] = [];
    for (let b: Bank | undefined = bank; b !== undefined && b.slot > oldRoot.slot; ) {
      rooted.unshift(b);
      b = this.#banks.get(b.parentSlot);
    }
    this.#forkChoice.setRoot(bank.slot);
    const pruned: Bank[] = [];
    for (const b of this.#banks.values()) {
      if (this.#forkChoice.contains(b.slot)) continue;
      this.#banks.delete(b.slot);
      // The old root and the newly rooted chain stay on disk: they are the finalized chain.
      if (b !== oldRoot && !rooted.includes(b)) pruned.push(b);
    }
    this.#root = bank;
    if (this.#confirmed < bank.slot) this.#confirmed = bank.slot;
    for (const d of this.#duplicates) if (d <= bank.slot) this.#duplicates.delete(d);
    return { rooted, pruned };
  }
}
