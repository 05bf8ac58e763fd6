/**
 * Reputation (§12.3, §12.1) and bounty (§10.3, §17.3) constants of a shard: every number
 * economy/reputation.ts and economy/bounties.ts use, each with the § it comes from (DESIGN.md §5).
 * Bounty amounts, durations and the newcomer-pool limits that the edge also checks live in
 * economyParams.ts; the rest is here.
 *
 * Reputation is signed fixed point with WAD = 10^18 = 1 point (economy/math/fixedPoint.ts), money
 * µMOLT, ratios basis points (10,000 = 100 %), time slots. The decisions behind the values that
 * the paper leaves open are in docs/economy.md.
 */
import { MOLT, SLOTS_PER_DAY } from './economyParams.ts';

/** One reputation point: WAD (params sit below economy/math, so it is spelled out here). */
export const POINT = 10n ** 18n;

// ------------------------------------------------------------------ reputation (§12.3)

/** §12.3 `time_decay_factor = 0.995^(days_since_last_quality_contribution)`, per day, WAD. */
export const REPUTATION_DECAY_PER_DAY = 995n * 10n ** 15n;

/** §12.3 `stake_log_bonus = 1 + 0.1 × log2(staked_molt / 100)`: the 100 MOLT reference. */
export const STAKE_BONUS_REFERENCE = 100n * MOLT;

/** §12.3 `stake_log_bonus`: the 0.1 slope, basis points (the bonus is never below 1). */
export const STAKE_BONUS_SLOPE_BPS = 1_000n;

/** §12.3 `max_reputation_gain_per_epoch = max(50, 0.50 × current_reputation)`: the floor. */
export const EPOCH_GAIN_CAP_FLOOR = 50n * POINT;

/** §12.3 `max_reputation_gain_per_epoch`: the 0.50 share, basis points. */
export const EPOCH_GAIN_CAP_BPS = 5_000n;

/**
 * §12.3 item 1 / Appendix C.3: upvotes of one voter to one author per epoch that count in full;
 * the n-th beyond it is worth `0.5^(n − 10)` (governance range [5, 20]).
 */
export const DIVERSITY_FREE_UPVOTES = 10;

/**
 * A diversity discount past this many halvings leaves less than 2^-128 of a vote (below one
 * WAD ulp for any reachable weight): the weight is 0 from there on.
 */
export const DIVERSITY_MAX_HALVINGS = 128;

/**
 * §12.3 item 4 "If >60% of an agent's upvotes in an epoch come from <5 unique voters": the share,
 * basis points (strictly above it triggers the discount).
 */
export const VOTING_DIVERSITY_SHARE_BPS = 6_000n;

/** §12.3 item 4 "<5 unique voters": the concentrated set is the top (5 − 1) = 4 voters. */
export const VOTING_DIVERSITY_MIN_VOTERS = 5;

/** §12.3 item 4 "those upvotes are discounted by 80%": the 20 % kept, basis points. */
export const VOTING_DIVERSITY_KEEP_BPS = 2_000n;

/** §12.3 item 2 "Downvotes on agents with <30 days of activity": the age, slots. */
export const DOWNVOTE_PROTECTION_SLOTS = 30n * SLOTS_PER_DAY;

/** §12.3 item 2 "… carry 20% weight", basis points. */
export const DOWNVOTE_PROTECTION_BPS = 2_000n;

/**
 * Vote weight of an active staked identity whose √reputation is below it (reputation < 0.01):
 * 0.1 point. §12.3 alone (`sqrt(0) = 0`) would make every newcomer's vote worthless; §12.1 layer 4
 * asks that "100 new accounts < 1 established account in influence": 100 × 0.1 = 10 < √500 ≈ 22.4,
 * the weight of §12.2's average (reputation 500) agent. docs/economy.md "Newcomer votes".
 */
export const VOTE_WEIGHT_FLOOR = POINT / 10n;

/** §12.1 layer 2 / Appendix C.5: the 100 MOLT stake an identity needs for the vote-weight floor. */
export const VOTE_WEIGHT_FLOOR_MIN_STAKE = 100n * MOLT;

/** §12.1 layer 5 "flagged agent clusters have voting power reduced by 50%", basis points. */
export const SYBIL_PENALTY_BPS = 5_000;

// ------------------------------------------------------------------ bounty reputation (§10.3, §12.3)

/**
 * §12.3 `base_reputation = … + sum bounty_earned(answer_j) × bounty_reputation_factor`: the paper
 * adds $MOLT earned to reputation points unconverted, so 1 MOLT earned = 1 point (WAD per MOLT).
 */
export const BOUNTY_REPUTATION_PER_MOLT = POINT;

/**
 * §12.3 `bounty_reputation_factor`, basis points: 1.0 for a community vote with ≥ 2 competing
 * answers, 0.5 for an asker selection, 0.25 when there was no competing answer (either path; §10.3
 * item 4's halving, docs/economy.md "Bounty reputation factor").
 */
export const BOUNTY_FACTOR_BPS = {
  communityVote: 10_000n,
  askerSelected: 5_000n,
  noCompetition: 2_500n,
} as const;

/** §10.3 item 4 "Fewer than 2 competing answers": the least number of answers that compete. */
export const BOUNTY_COMPETITION_MIN_ANSWERS = 2;

/** §10.3 "capped at 20% of an agent's total reputation per epoch", basis points. */
export const BOUNTY_REPUTATION_CAP_BPS = 2_000n;

/**
 * Floor of that cap: 10 points (20 % of §12.3's 50-point epoch floor). Without it an agent at
 * reputation 0 could never gain bounty reputation — the "zero-lockout bug" §12.3 fixes for the
 * epoch cap with its floor of 50. docs/economy.md "Bounty cap".
 */
export const BOUNTY_REPUTATION_CAP_FLOOR = 10n * POINT;

/** §10.3 temporal diversity: "Agents with reputation >200". */
export const TEMPORAL_DIVERSITY_THRESHOLD = 200n * POINT;

/**
 * §10.3 temporal diversity: "no more than 40% from bounties", basis points of the lifetime gains
 * (docs/economy.md "Temporal diversity" for why only this part of the rule is enforced).
 */
export const TEMPORAL_DIVERSITY_MAX_BOUNTY_BPS = 4_000n;

// ------------------------------------------------------------------ bounty resolution (§10.3)

/** §10.3 path 1 "ONLY IF the answer has received >=3 upvotes from independent agents". */
export const BOUNTY_INDEPENDENT_UPVOTES = 3;

/**
 * §10.3 "agents with no shared voting history with the answerer": neither upvoted the other in the
 * vote's epoch or in this many epochs before it (the pairs table keeps them).
 */
export const INDEPENDENCE_LOOKBACK_EPOCHS = 1n;

/** §10.3 path 2 "Top answer gets 80% of bounty, second gets 15%, 5% burned", basis points. */
export const BOUNTY_FIRST_BPS = 8_000n;
export const BOUNTY_SECOND_BPS = 1_500n;

/** §10.3 path 3 "No answers received: 90% refunded to asker, 10% burned", basis points. */
export const BOUNTY_NO_ANSWER_REFUND_BPS = 9_000n;

/**
 * Bounty amounts opened in an epoch that `totals.epochBounties` keeps (the first ones): enough
 * for the §10.6 ACI's bounty signal median, bounded so the totals record stays small.
 */
export const EPOCH_BOUNTY_SAMPLE = 1_024;
