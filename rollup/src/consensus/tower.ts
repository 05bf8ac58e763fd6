import {
  INITIAL_CONFIRMATION_COUNT,
  MAX_LOCKOUT_HISTORY,
  SWITCH_FORK_THRESHOLD,
  VOTE_THRESHOLD_DEPTH,
  VOTE_THRESHOLD_SIZE,
} from '../params/towerParams.ts';
import { ConsensusError } from './consensusError.ts';
import { exceedsFraction } from './stakeFraction.ts';

/** One vote in a tower (Agave `Lockout`): locked out of other forks for 2^confirmationCount slots. */
export interface Lockout {
  readonly slot: number;
  readonly confirmationCount: number;
}

/** 2^confirmationCount, exactly (bigint shift, no Math.pow). */
export function lockoutSlots(confirmationCount: number): number {
  return Number(1n << BigInt(confirmationCount));
}

/** Last slot this vote still locks (Agave `last_locked_out_slot`): slot + 2^confirmationCount. */
export function lastLockedOutSlot(l: Lockout): number {
  return l.slot + lockoutSlots(l.confirmationCount);
}

/** What the caller knows of the fork tree; `HeaviestSubtreeForkChoice` implements it. */
export interface SlotAncestry {
  /** Whether `slot` is in the tree (i.e. the root or one of its descendants). */
  contains(slot: number): boolean;
  /** Whether `ancestor` is a strict ancestor of `slot`. */
  isAncestor(ancestor: number, slot: number): boolean;
}

/** Why a slot may or may not be voted on (Agave `Tower::is_locked_out`, as a decision). */
export type LockoutDecision =
  | { readonly kind: 'free' }
  | { readonly kind: 'notRecent'; readonly lastVotedSlot: number }
  | { readonly kind: 'lockedOut'; readonly lockout: Lockout }
  | { readonly kind: 'notDescendantOfRoot'; readonly root: number };

/** Agave `ThresholdDecision`. */
export type ThresholdDecision =
  | { readonly kind: 'passed' }
  | {
      readonly kind: 'failedThreshold';
      readonly depth: number;
      readonly observedStake: bigint;
      readonly totalStake: bigint;
    };

/** Agave `SwitchForkDecision` (no duplicate-slot rollback: this layer has no duplicate slots). */
export type SwitchForkDecision =
  | { readonly kind: 'sameFork' }
  | { readonly kind: 'switchProof'; readonly lockedOutStake: bigint; readonly totalStake: bigint }
  | {
      readonly kind: 'failedSwitchThreshold';
      readonly lockedOutStake: bigint;
      readonly totalStake: bigint;
    };

/** A lockout seen in another validator's latest vote (its tower), for the switch check. */
export interface ObservedLockout {
  readonly validator: string;
  readonly stake: bigint;
  readonly lockout: Lockout;
}

export interface TowerState {
  /** The validator's Ed25519 key (32 bytes): whose tower this is. */
  readonly node: Uint8Array;
  readonly root: number | null;
  /** Oldest first; at most MAX_LOCKOUT_HISTORY. */
  readonly votes: readonly Lockout[];
}

function invalid(message: string): never {
  throw new ConsensusError('tower.invalid', message);
}

/** Checks the invariants every tower built by `recordVote` keeps (used on load and decode). */
export function assertTowerState(s: TowerState): void {
  if (!(s.node instanceof Uint8Array) || s.node.length !== 32) invalid('node key must be 32 bytes');
  if (s.votes.length > MAX_LOCKOUT_HISTORY) invalid(`more than ${MAX_LOCKOUT_HISTORY} votes`);
  if (s.root !== null && (!Number.isSafeInteger(s.root) || s.root < 0)) invalid('bad root');
  let prev = s.root ?? -1;
  for (const [i, v] of s.votes.entries()) {
    if (!Number.isSafeInteger(v.slot) || v.slot <= prev) invalid('vote slots must increase');
    if (
      !Number.isInteger(v.confirmationCount) ||
      v.confirmationCount < INITIAL_CONFIRMATION_COUNT ||
      v.confirmationCount > MAX_LOCKOUT_HISTORY
    )
      invalid(`bad confirmation count ${v.confirmationCount}`);
    if (!Number.isSafeInteger(lastLockedOutSlot(v))) invalid('lockout exceeds 2^53');
    // Each vote was the top of the tower, unexpired, when the one above it was pushed, and
    // lockouts only grow: it still locks through that slot (older votes may have expired since).
    const above = s.votes[i + 1];
    if (above !== undefined && lastLockedOutSlot(v) < above.slot)
      invalid(`vote ${v.slot} expired before vote ${above.slot} was pushed`);
    prev = v.slot;
  }
}

/**
 * A validator's vote tower (§7.5 Tower BFT; Agave `core/src/consensus.rs` `Tower` over
 * `TowerVoteState`). Pure and synchronous: the node persists it with `signTower` after every vote.
 */
export class Tower {
  readonly node: Uint8Array;
  #root: number | null;
  #votes: Lockout[];

  constructor(state: TowerState) {
    assertTowerState(state);
    this.node = Uint8Array.from(state.node);
    this.#root = state.root;
    this.#votes = state.votes.map((v) => ({
      slot: v.slot,
      confirmationCount: v.confirmationCount,
    }));
  }

  /** An empty tower for a validator that has never voted. */
  static empty(node: Uint8Array): Tower {
    return new Tower({ node, root: null, votes: [] });
  }

  get root(): number | null {
    return this.#root;
  }

  get votes(): readonly Lockout[] {
    return this.#votes.slice();
  }

  get lastVotedSlot(): number | null {
    return this.#votes.at(-1)?.slot ?? null;
  }

  state(): TowerState {
    return { node: this.node, root: this.#root, votes: this.votes };
  }

  clone(): Tower {
    return new Tower(this.state());
  }

  /** Agave `nth_recent_lockout`: 0 is the latest vote. */
  nthRecentLockout(position: number): Lockout | undefined {
    return this.#votes[this.#votes.length - 1 - position];
  }

  /**
   * Agave `process_next_vote_slot`: pop from the top the votes whose lockout ended before `slot`
   * (an expired vote under a live one stays, as in Agave), root the oldest vote when the tower is
   * full, push `slot` with confirmation count 1, then add a
   * confirmation to every vote that has at least as many votes stacked on it as it has
   * confirmations (`double_lockouts`: depth > i + confirmationCount).
   */
  #apply(slot: number): number | null {
    for (let top = this.#votes.at(-1); top !== undefined && lastLockedOutSlot(top) < slot; ) {
      this.#votes.pop();
      top = this.#votes.at(-1);
    }
    let newRoot: number | null = null;
    if (this.#votes.length === MAX_LOCKOUT_HISTORY) {
      newRoot = (this.#votes.shift() as Lockout).slot;
      this.#root = newRoot;
    }
    this.#votes.push({ slot, confirmationCount: INITIAL_CONFIRMATION_COUNT });
    const depth = this.#votes.length;
    this.#votes = this.#votes.map((v, i) =>
      depth > i + v.confirmationCount
        ? { slot: v.slot, confirmationCount: v.confirmationCount + 1 }
        : v,
    );
    return newRoot;
  }

  /**
   * Whether voting on `slot` respects this tower (Agave `is_locked_out`): the vote must be newer
   * than the last one, and after simulating it every vote left in the tower, and the root, must
   * be `slot` itself or one of its ancestors (`ancestors`: the strict ancestors of `slot`).
   */
  checkLockout(slot: number, ancestors: ReadonlySet<number>): LockoutDecision {
    const last = this.lastVotedSlot ?? this.#root;
    if (last !== null && slot <= last) return { kind: 'notRecent', lastVotedSlot: last };
    const sim = this.clone();
    sim.#apply(slot);
    for (const v of sim.#votes) {
      if (v.slot !== slot && !ancestors.has(v.slot)) return { kind: 'lockedOut', lockout: v };
    }
    if (sim.#root !== null && sim.#root !== slot && !ancestors.has(sim.#root))
      return { kind: 'notDescendantOfRoot', root: sim.#root };
    return { kind: 'free' };
  }

  isLockedOut(slot: number, ancestors: ReadonlySet<number>): boolean {
    return this.checkLockout(slot, ancestors).kind !== 'free';
  }

  /**
   * Records this validator's vote on `slot` (Agave `record_bank_vote`) after `checkLockout`; a
   * vote that check refuses throws (`tower.vote_not_recent`, `tower.lockout_violation`): the
   * caller must never sign it. Returns the new root when the vote finalized one (§7.5: the 32nd
   * confirmation).
   */
  recordVote(slot: number, ancestors: ReadonlySet<number>): { readonly newRoot: number | null } {
    if (!Number.isSafeInteger(slot) || slot < 0)
      throw new ConsensusError('tower.vote_not_recent', `bad slot ${slot}`);
    const decision = this.checkLockout(slot, ancestors);
    if (decision.kind === 'notRecent')
      throw new ConsensusError(
        'tower.vote_not_recent',
        `slot ${slot} is not after ${decision.lastVotedSlot}`,
      );
    if (decision.kind !== 'free')
      throw new ConsensusError(
        'tower.lockout_violation',
        `slot ${slot} is locked out (${decision.kind})`,
      );
    return { newRoot: this.#apply(slot) };
  }

  /**
   * Agave `check_vote_stake_threshold` at VOTE_THRESHOLD_DEPTH: simulate the vote on `slot`; the
   * vote then 8 deep must be backed by more than 2/3 of `totalStake` (`votedStake(s)`: stake that
   * voted on s or a descendant). Passes when the tower is shallower, and — as Agave — when that
   * vote is deeper than 8 confirmations and already had them before: the new vote popped votes
   * and adds it no lockout, so there is nothing new to check (Agave's "bounce back" case).
   */
  checkVoteStakeThreshold(
    slot: number,
    votedStake: (slot: number) => bigint,
    totalStake: bigint,
  ): ThresholdDecision {
    const sim = this.clone();
    sim.#apply(slot);
    const threshold = sim.nthRecentLockout(VOTE_THRESHOLD_DEPTH);
    if (threshold === undefined) return { kind: 'passed' };
    if (
      threshold.confirmationCount > VOTE_THRESHOLD_DEPTH &&
      this.#votes.some(
        (v) => v.slot === threshold.slot && v.confirmationCount === threshold.confirmationCount,
      )
    )
      return { kind: 'passed' };
    const observedStake = votedStake(threshold.slot);
    if (exceedsFraction(observedStake, totalStake, VOTE_THRESHOLD_SIZE)) return { kind: 'passed' };
    return { kind: 'failedThreshold', depth: VOTE_THRESHOLD_DEPTH, observedStake, totalStake };
  }

  /**
   * Agave `make_check_switch_threshold_decision`, simplified to one slot per block: voting on
   * `switchSlot`, which does not descend from the last vote, needs more than 38 % of stake locked
   * out on other forks — validators with a lockout on a slot of the tree that is neither the last
   * vote, nor its ancestor, nor its descendant, and whose lockout reaches the last voted slot.
   * Each validator counts once. Switching back to an ancestor of the last vote always fails (in
   * Agave only duplicate-slot rollback allows it). O(lockouts) ancestry queries.
   */
  checkSwitchThreshold(
    switchSlot: number,
    ancestry: SlotAncestry,
    lockouts: readonly ObservedLockout[],
    totalStake: bigint,
  ): SwitchForkDecision {
    const last = this.lastVotedSlot;
    if (last === null || switchSlot === last || ancestry.isAncestor(last, switchSlot))
      return { kind: 'sameFork' };
    if (ancestry.isAncestor(switchSlot, last))
      return { kind: 'failedSwitchThreshold', lockedOutStake: 0n, totalStake };
    const counted = new Set<string>();
    let lockedOutStake = 0n;
    for (const { validator, stake, lockout } of lockouts) {
      const s = lockout.slot;
      if (counted.has(validator) || lastLockedOutSlot(lockout) < last) continue;
      if (!ancestry.contains(s) || s === last) continue;
      if (ancestry.isAncestor(s, last) || ancestry.isAncestor(last, s)) continue;
      counted.add(validator);
      lockedOutStake += stake;
    }
    return exceedsFraction(lockedOutStake, totalStake, SWITCH_FORK_THRESHOLD)
      ? { kind: 'switchProof', lockedOutStake, totalStake }
      : { kind: 'failedSwitchThreshold', lockedOutStake, totalStake };
  }
}
