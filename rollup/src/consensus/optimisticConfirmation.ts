import { OPTIMISTIC_CONFIRMATION_THRESHOLD } from '../params/towerParams.ts';
import { exceedsFraction } from './stakeFraction.ts';

export type OptimisticConfirmation =
  | { readonly kind: 'confirmed'; readonly votedStake: bigint; readonly totalStake: bigint }
  | { readonly kind: 'notConfirmed'; readonly votedStake: bigint; readonly totalStake: bigint };

/**
 * §7.5 optimistic confirmation ("67 % stake-weighted votes", ~1 s soft finality): more than 2/3 of
 * the epoch's stake has voted on the slot or a descendant — a vote on a descendant votes for the
 * whole fork below it. The node passes `forkChoice.stakeVotedSubtree(slot)` as `votedStake`.
 */
export function checkOptimisticConfirmation(
  votedStake: bigint,
  totalStake: bigint,
): OptimisticConfirmation {
  return exceedsFraction(votedStake, totalStake, OPTIMISTIC_CONFIRMATION_THRESHOLD)
    ? { kind: 'confirmed', votedStake, totalStake }
    : { kind: 'notConfirmed', votedStake, totalStake };
}
