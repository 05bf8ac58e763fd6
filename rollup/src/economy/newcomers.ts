import {
  FREE_POSTS_PER_DAY,
  FREE_TIER_ACTIVATIONS_PER_DAY,
  FREE_TIER_MIN_STAKE,
  FREE_TIER_QUALITY_SLOTS,
  NEWCOMER_SLOTS,
  SLOTS_PER_DAY,
} from '../params/economyParams.ts';
import type { EconomyState } from './economyState.ts';
import type { IdentityRecord } from './records.ts';

/**
 * §17.3 newcomer onboarding: the free tier (10 posts a day for 30 days, paid by the treasury
 * pool), its quality gate (net-negative votes in the first 7 days end it) and the per-day cap on
 * activations. Identities registered less than 30 days ago with at least 100 MOLT staked are
 * eligible; the first post that would use the tier activates it, if fewer than 500 identities
 * activated that day (otherwise the identity stays eligible and may try another day).
 */

/** Whether `id` is a newcomer at `slot` (registered < 30 days ago). */
export function isNewcomer(id: Readonly<IdentityRecord>, slot: bigint): boolean {
  return slot < id.registeredSlot + NEWCOMER_SLOTS;
}

/**
 * The action fee of a new thread the treasury would cover for `id` at `slot` (0 or `fee`), without
 * changing anything; `useFreeTier` then commits it once the post succeeded. `fee` is the action
 * fee (storage is never free).
 */
export function freeTierQuote(
  state: EconomyState,
  id: Readonly<IdentityRecord>,
  slot: bigint,
  fee: bigint,
): bigint {
  if (fee === 0n || id.status !== 'active' || !isNewcomer(id, slot)) return 0n;
  if (id.stake < FREE_TIER_MIN_STAKE) return 0n;
  if (id.freeTier !== 'eligible' && id.freeTier !== 'active') return 0n;
  const t = state.totals();
  if (t.treasuryPool < fee) return 0n;
  const day = slot / SLOTS_PER_DAY;
  if (id.freeTier === 'active' && id.freeDay === day && id.freePostsToday >= FREE_POSTS_PER_DAY)
    return 0n;
  if (
    id.freeTier === 'eligible' &&
    t.activationDay === day &&
    t.activationsToday >= FREE_TIER_ACTIVATIONS_PER_DAY
  )
    return 0n;
  return fee;
}

/** Commits a `freeTierQuote` of `fee` > 0: the treasury pays, the counters move. */
export function useFreeTier(
  state: EconomyState,
  id: IdentityRecord,
  slot: bigint,
  fee: bigint,
): void {
  const t = state.totalsMut();
  const day = slot / SLOTS_PER_DAY;
  if (id.freeTier === 'eligible') {
    if (t.activationDay !== day) {
      t.activationDay = day;
      t.activationsToday = 0;
    }
    t.activationsToday += 1;
    id.freeTier = 'active';
  }
  if (id.freeDay !== day) {
    id.freeDay = day;
    id.freePostsToday = 0;
  }
  id.freePostsToday += 1;
  t.treasuryPool -= fee;
}

/**
 * §17.3 quality gate: votes on a free-tier newcomer's content during its first 7 days add up;
 * once the sum is negative the tier is lost for that identity. `signedWeight` is the vote's
 * weight, negative for a downvote.
 */
export function noteVoteOnNewcomer(
  author: IdentityRecord,
  signedWeight: bigint,
  slot: bigint,
): void {
  if (author.freeTier !== 'active') return;
  if (slot >= author.registeredSlot + FREE_TIER_QUALITY_SLOTS) return;
  author.earlyNetVotes += signedWeight;
  if (author.earlyNetVotes < 0n) author.freeTier = 'lost';
}
