/**
 * Tower BFT and leader-schedule constants (§7.5). The paper gives the shape (lockouts that double,
 * 32 confirmations = final, 67 % optimistic confirmation); the exact numbers are Agave's, cited one
 * by one. Fractions are integer pairs: consensus never compares floating-point ratios.
 */

/** A stake ratio `numerator / denominator`, compared as `stake × den > total × num`. */
export interface StakeFraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/**
 * Agave `solana_vote_program::vote_state::MAX_LOCKOUT_HISTORY` = 31: votes a tower holds. The
 * 32nd confirmation pops the oldest vote into the root — §7.5 "after 32 successive confirmations a
 * slot is final".
 */
export const MAX_LOCKOUT_HISTORY = 31;

/** Agave `INITIAL_LOCKOUT` = 2: a fresh vote has confirmation count 1, lockout 2^1 slots. */
export const INITIAL_CONFIRMATION_COUNT = 1;

/**
 * Agave `core/src/consensus.rs` VOTE_THRESHOLD_DEPTH = 8: before voting, the vote 8 deep in the
 * tower (after the new vote is applied) must be backed by more than VOTE_THRESHOLD_SIZE of stake.
 */
export const VOTE_THRESHOLD_DEPTH = 8;

/** Agave VOTE_THRESHOLD_SIZE = 2/3 (§7.5 "67 %"): strictly more than two thirds of stake. */
export const VOTE_THRESHOLD_SIZE: StakeFraction = { numerator: 2n, denominator: 3n };

/**
 * Agave `core/src/consensus.rs` SWITCH_FORK_THRESHOLD = 0.38: a validator may switch its vote to
 * another fork only when more than 38 % of stake is locked out on forks other than its last vote.
 */
export const SWITCH_FORK_THRESHOLD: StakeFraction = { numerator: 38n, denominator: 100n };

/**
 * §7.5 optimistic confirmation at 67 %; Agave's `optimistic_confirmation_verifier` and
 * `cluster_info_vote_listener` use > 2/3 of epoch stake (VOTE_THRESHOLD_SIZE).
 */
export const OPTIMISTIC_CONFIRMATION_THRESHOLD: StakeFraction = {
  numerator: 2n,
  denominator: 3n,
};

/** Agave `leader_schedule.rs` NUM_CONSECUTIVE_LEADER_SLOTS = 4: a leader keeps 4 slots in a row. */
export const NUM_CONSECUTIVE_LEADER_SLOTS = 4;
