import { RollupError } from '../utils/rollupError.ts';

/** Stable dotted codes of the consensus layer's errors. */
export type ConsensusErrorCode =
  /** A validator list is malformed: bad pubkey hex, negative stake, duplicate key. */
  | 'leader_schedule.invalid_validator'
  /** No validator has positive stake, or the total does not fit the 128-bit sampler. */
  | 'leader_schedule.no_stake'
  /** Epoch, slots per epoch or seed out of range. */
  | 'leader_schedule.invalid_params'
  /** `leaderAt` asked for a slot outside the schedule's epoch. */
  | 'leader_schedule.slot_out_of_epoch'
  /** A vote for a slot not after the tower's last vote. */
  | 'tower.vote_not_recent'
  /** A vote for a slot the tower is locked out of. */
  | 'tower.lockout_violation'
  /** A tower or vote read from bytes breaks an invariant a real tower keeps. */
  | 'tower.invalid'
  /** Fork tree misuse by the caller (unknown parent, duplicate slot, unknown root). */
  | 'fork_choice.unknown_slot'
  | 'fork_choice.duplicate_slot'
  | 'fork_choice.invalid_parent'
  /** Evidence bytes that do not decode. */
  | 'evidence.malformed';

export class ConsensusError extends RollupError<ConsensusErrorCode> {
  override readonly name = 'ConsensusError';
}
