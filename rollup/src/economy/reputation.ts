import { BPS, ECONOMY_SLOTS_PER_EPOCH, MOLT, SLOTS_PER_DAY } from '../params/economyParams.ts';
import {
  BOUNTY_REPUTATION_CAP_BPS,
  BOUNTY_REPUTATION_CAP_FLOOR,
  BOUNTY_REPUTATION_PER_MOLT,
  DIVERSITY_FREE_UPVOTES,
  DIVERSITY_MAX_HALVINGS,
  DOWNVOTE_PROTECTION_BPS,
  DOWNVOTE_PROTECTION_SLOTS,
  EPOCH_GAIN_CAP_BPS,
  EPOCH_GAIN_CAP_FLOOR,
  INDEPENDENCE_LOOKBACK_EPOCHS,
  REPUTATION_DECAY_PER_DAY,
  STAKE_BONUS_REFERENCE,
  STAKE_BONUS_SLOPE_BPS,
  TEMPORAL_DIVERSITY_MAX_BOUNTY_BPS,
  TEMPORAL_DIVERSITY_THRESHOLD,
  VOTE_WEIGHT_FLOOR,
  VOTE_WEIGHT_FLOOR_MIN_STAKE,
  VOTING_DIVERSITY_KEEP_BPS,
  VOTING_DIVERSITY_MIN_VOTERS,
  VOTING_DIVERSITY_SHARE_BPS,
} from '../params/reputationParams.ts';
import type { EconomyState } from './economyState.ts';
import { log2Wad, mulWad, powWad, sqrtWad, WAD } from './math/fixedPoint.ts';
import { u64Key } from './recordCodec.ts';
import { type IdentityRecord, MAX_TOP_VOTERS, type VoterCount } from './records.ts';

/**
 * §12.3 reputation (docs/economy.md):
 *
 *   reputation = max(0, base) × 0.995^days × stake_log_bonus × (1 − penalty)
 *
 * `base` (IdentityRecord.reputation) moves by settled upvote gains, bounty credits, downvotes and
 * slashing; decay, stake bonus and the §12.1 penalty are applied when it is read, so nothing has
 * to run per identity per day. Upvote gains wait until the identity's epoch closes (the §12.3
 * item 4 voting-diversity discount needs the whole epoch); epochs close lazily, on the first touch
 * in a later epoch (`settleEpoch`), with values that depend only on the closed epoch, never on when
 * the identity is touched next.
 *
 * Everything is bigint WAD (10^18 = 1 point); nothing here throws on any value a transaction can
 * carry.
 */

/** Largest u32 (record counters saturate there instead of failing to encode). */
const U32_MAX = 0xffff_ffff;

/** The economy epoch of a slot (§7.3: 432,000 slots ≈ 2 days). */
export function epochOf(slot: bigint): bigint {
  return slot <= 0n ? 0n : slot / ECONOMY_SLOTS_PER_EPOCH;
}

/** The first slot of `epoch`. */
export function epochStartSlot(epoch: bigint): bigint {
  return epoch * ECONOMY_SLOTS_PER_EPOCH;
}

/** §12.3 `time_decay_factor = 0.995^(whole days since the last quality contribution)`, WAD. */
export function decayFactor(id: Readonly<IdentityRecord>, slot: bigint): bigint {
  const since = slot - id.lastQualitySlot;
  if (since < SLOTS_PER_DAY) return WAD;
  const days = since / SLOTS_PER_DAY;
  return memo(DECAY_MEMO, days, () => powWad(REPUTATION_DECAY_PER_DAY, days));
}

/**
 * §12.3 `stake_log_bonus = 1 + 0.1 × log2(staked_molt / 100)`, WAD, for stakes above 100 MOLT;
 * 1 at or below (the logarithm would make it a malus, down to −∞ at 0: an identity without the
 * minimum stake simply gets no bonus).
 */
export function stakeBonus(stake: bigint): bigint {
  if (stake <= STAKE_BONUS_REFERENCE) return WAD;
  return memo(
    BONUS_MEMO,
    stake,
    () => WAD + (log2Wad((stake * WAD) / STAKE_BONUS_REFERENCE) * STAKE_BONUS_SLOPE_BPS) / BPS,
  );
}

/**
 * Results of the two pure functions every vote evaluates (log2Wad costs ~30 µs, powWad ~4 µs;
 * stakes and day counts repeat). A cache of a pure function changes no result, only the time.
 */
const MEMO_LIMIT = 4_096;
const DECAY_MEMO = new Map<bigint, bigint>();
const BONUS_MEMO = new Map<bigint, bigint>();

function memo(cache: Map<bigint, bigint>, key: bigint, compute: () => bigint): bigint {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const v = compute();
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(key, v);
  return v;
}

/** `x × (1 − bps / 10^4)`, with `bps` clamped to [0, 10^4]. */
function keepAfterPenalty(x: bigint, bps: number): bigint {
  if (bps <= 0) return x;
  if (bps >= 10_000) return 0n;
  return (x * (BPS - BigInt(bps))) / BPS;
}

/** Reputation before the §12.1 penalty. */
function unpenalizedReputation(id: Readonly<IdentityRecord>, slot: bigint): bigint {
  if (id.reputation <= 0n) return 0n;
  return mulWad(mulWad(id.reputation, decayFactor(id, slot)), stakeBonus(id.stake));
}

/**
 * §12.3 reputation(agent) at `slot`: max(0, base) × 0.995^days × stake_log_bonus ×
 * (1 − penaltyBps / 10^4). WAD, ≥ 0. Gains of the open epoch are not in it yet.
 */
export function reputationOf(id: Readonly<IdentityRecord>, slot: bigint): bigint {
  return keepAfterPenalty(unpenalizedReputation(id, slot), id.penaltyBps);
}

/**
 * §12.3 `upvote_weight` before the diversity discount (and a downvote's weight): √reputation,
 * at least VOTE_WEIGHT_FLOOR (0.1) for an active identity staking ≥ 100 MOLT, then the §12.1
 * penalty ("voting power reduced by 50 %": the weight itself is halved). WAD.
 */
export function voteWeightOf(voter: Readonly<IdentityRecord>, slot: bigint): bigint {
  let w = sqrtWad(unpenalizedReputation(voter, slot));
  if (
    w < VOTE_WEIGHT_FLOOR &&
    voter.status === 'active' &&
    voter.stake >= VOTE_WEIGHT_FLOOR_MIN_STAKE
  )
    w = VOTE_WEIGHT_FLOOR;
  return keepAfterPenalty(w, voter.penaltyBps);
}

/** §12.3 item 3 `max_reputation_gain_per_epoch = max(50, 0.50 × current_reputation)`, WAD. */
export function epochGainCap(reputation: bigint): bigint {
  const half = (reputation * EPOCH_GAIN_CAP_BPS) / BPS;
  if (half < EPOCH_GAIN_CAP_FLOOR) return EPOCH_GAIN_CAP_FLOOR;
  return half;
}

/** §10.3 bounty reputation per epoch: max(10, 20 % of reputation), WAD. */
export function bountyGainCap(reputation: bigint): bigint {
  const fifth = (reputation * BOUNTY_REPUTATION_CAP_BPS) / BPS;
  if (fifth < BOUNTY_REPUTATION_CAP_FLOOR) return BOUNTY_REPUTATION_CAP_FLOOR;
  return fifth;
}

/**
 * §12.3 item 4: more than 60 % of the epoch's upvotes came from fewer than 5 voters, i.e. the 4
 * voters who upvoted most (`topVoters` is sorted by count) cast more than 60 % of them.
 */
export function votesConcentrated(id: Readonly<IdentityRecord>): boolean {
  if (id.epochUpvotes === 0) return false;
  let top = 0n;
  const n = VOTING_DIVERSITY_MIN_VOTERS - 1;
  for (let k = 0; k < n && k < id.topVoters.length; k++)
    top += BigInt((id.topVoters[k] as VoterCount).count);
  return top * BPS > BigInt(id.epochUpvotes) * VOTING_DIVERSITY_SHARE_BPS;
}

/**
 * Closes `id.epoch`: the pending upvote gain takes the voting-diversity discount, then the §12.1
 * penalty, then what is left of the epoch's cap (bounty credits of the epoch came first). Returns
 * the gain added to base.
 */
function closeEpoch(id: IdentityRecord): bigint {
  let gain = id.pendingUpvoteGain;
  if (gain <= 0n) return 0n;
  if (votesConcentrated(id)) gain = (gain * VOTING_DIVERSITY_KEEP_BPS) / BPS;
  gain = keepAfterPenalty(gain, id.penaltyBps);
  const room = epochGainCap(id.epochRep) - id.epochGain;
  if (gain > room) gain = room > 0n ? room : 0n;
  id.reputation += gain;
  id.fromUpvotes += gain;
  id.epochGain += gain;
  return gain;
}

/**
 * Brings `id` to the epoch of `slot`: when that is later than `id.epoch`, closes its epoch
 * (`closeEpoch`), resets the epoch counters and fixes the new epoch's cap base `epochRep` at the
 * reputation of the epoch's first slot. Counts the identity once per epoch in
 * `totals.epochActiveAgents`. Idempotent within an epoch; a slot of an earlier epoch changes
 * nothing but the count. The state machine calls it on every identity it touches, first.
 */
export function settleEpoch(state: EconomyState, id: IdentityRecord, slot: bigint): void {
  const e = epochOf(slot);
  if (e > id.epoch) {
    closeEpoch(id);
    id.epoch = e;
    id.epochGain = 0n;
    id.epochBountyGain = 0n;
    id.pendingUpvoteGain = 0n;
    id.epochUpvotes = 0;
    id.topVoters = [];
    id.epochRep = reputationOf(id, epochStartSlot(e));
  }
  if (id.activeEpoch <= e) {
    id.activeEpoch = e + 1n;
    const t = state.totalsMut();
    if (t.epochActiveAgents < U32_MAX) t.epochActiveAgents += 1;
  }
}

/** Key of the pairs table: epoch ‖ voter ‖ author (u64 hex each, so a prefix scan is by epoch). */
export function pairKey(epoch: bigint, voter: bigint, author: bigint): string {
  return u64Key(epoch) + u64Key(voter) + u64Key(author);
}

/** Upvotes `voter` gave `author` in `epoch` (0 when none). */
export function pairCount(
  state: EconomyState,
  epoch: bigint,
  voter: bigint,
  author: bigint,
): number {
  return state.pairs.get(pairKey(epoch, voter, author))?.count ?? 0;
}

/** a comes before b in `topVoters`: more upvotes first, then the lower identity id. */
function before(a: VoterCount, b: VoterCount): boolean {
  return a.count > b.count || (a.count === b.count && a.voter < b.voter);
}

/**
 * Keeps `topVoters` the exact top MAX_TOP_VOTERS voters of the epoch. Counts only grow, by one:
 * every voter outside the list has at most the list's smallest count, so a voter can only enter
 * by passing it (the Σ of the top k is exact for every k ≤ 5, which is what item 4 uses).
 */
function noteTopVoter(author: IdentityRecord, voter: bigint, count: number): void {
  const list = author.topVoters;
  let i = list.findIndex((v) => v.voter === voter);
  if (i >= 0) (list[i] as VoterCount).count = count;
  else if (list.length < MAX_TOP_VOTERS) {
    list.push({ voter, count });
    i = list.length - 1;
  } else {
    const last = list[list.length - 1] as VoterCount;
    if (count <= last.count) return;
    i = list.length - 1;
    list[i] = { voter, count };
  }
  while (i > 0 && before(list[i] as VoterCount, list[i - 1] as VoterCount)) {
    const t = list[i] as VoterCount;
    list[i] = list[i - 1] as VoterCount;
    list[i - 1] = t;
    i--;
  }
}

/**
 * An upvote by `voter` on content of `author` (the state machine checked it is allowed): weight =
 * voteWeightOf(voter) × diversity discount (0.5^(n − 10) for the n-th upvote of this voter to this
 * author in the epoch, n > 10); counts the pair, the author's epoch upvotes and top voters, adds
 * the weight to the author's pending gain, and makes the slot the author's last quality
 * contribution. Returns the weight (WAD) for the post's tally; 0 for a self-vote (no change).
 */
export function recordUpvote(
  state: EconomyState,
  voter: IdentityRecord,
  author: IdentityRecord,
  slot: bigint,
): bigint {
  if (voter.id === author.id) return 0n;
  settleEpoch(state, voter, slot);
  settleEpoch(state, author, slot);
  const key = pairKey(epochOf(slot), voter.id, author.id);
  const pair = state.pairs.getMut(key);
  let n = 1;
  if (pair === undefined) state.pairs.set(key, { count: 1 });
  else {
    n = pair.count < U32_MAX ? pair.count + 1 : pair.count;
    pair.count = n;
  }
  let weight = voteWeightOf(voter, slot);
  if (n > DIVERSITY_FREE_UPVOTES) {
    const halvings = n - DIVERSITY_FREE_UPVOTES;
    weight = halvings > DIVERSITY_MAX_HALVINGS ? 0n : weight >> BigInt(halvings);
  }
  if (author.epochUpvotes < U32_MAX) author.epochUpvotes += 1;
  noteTopVoter(author, voter.id, n);
  author.pendingUpvoteGain += weight;
  if (weight > 0n && slot > author.lastQualitySlot) author.lastQualitySlot = slot;
  return weight;
}

/**
 * A downvote by `voter` on content of `author`: weight = voteWeightOf(voter), × 20 % while the
 * author is younger than 30 days (§12.3 item 2); subtracted from the author's base at once
 * (losses are not capped and not deferred). Returns the weight; 0 for a self-vote (no change).
 */
export function recordDownvote(
  state: EconomyState,
  voter: IdentityRecord,
  author: IdentityRecord,
  slot: bigint,
): bigint {
  if (voter.id === author.id) return 0n;
  settleEpoch(state, voter, slot);
  settleEpoch(state, author, slot);
  let weight = voteWeightOf(voter, slot);
  if (slot < author.registeredSlot + DOWNVOTE_PROTECTION_SLOTS)
    weight = (weight * DOWNVOTE_PROTECTION_BPS) / BPS;
  author.reputation -= weight;
  return weight;
}

/**
 * Bounty reputation (§12.3 `bounty_earned × bounty_reputation_factor`, §10.3 caps): `earned` µMOLT
 * → points at 1 point per MOLT, × `factorBps`, × the §12.1 penalty, then the least of: the
 * bounty cap's room (max(10, 20 % of epochRep) per epoch), the epoch cap's room, and — above
 * reputation 200 — the §10.3 temporal-diversity room (bounties ≤ 40 % of lifetime gains). Added
 * to base at once; a win is a quality contribution. Returns the points credited (WAD).
 */
export function creditBounty(
  state: EconomyState,
  author: IdentityRecord,
  earned: bigint,
  factorBps: bigint,
  slot: bigint,
): bigint {
  settleEpoch(state, author, slot);
  if (earned <= 0n || factorBps <= 0n) return 0n;
  const factor = factorBps > BPS ? BPS : factorBps;
  let points = (earned * BOUNTY_REPUTATION_PER_MOLT * factor) / (MOLT * BPS);
  points = keepAfterPenalty(points, author.penaltyBps);
  points = atMost(points, bountyGainCap(author.epochRep) - author.epochBountyGain);
  points = atMost(points, epochGainCap(author.epochRep) - author.epochGain);
  if (reputationOf(author, slot) > TEMPORAL_DIVERSITY_THRESHOLD)
    points = atMost(points, temporalDiversityRoom(author));
  if (slot > author.lastQualitySlot) author.lastQualitySlot = slot;
  if (points <= 0n) return 0n;
  author.reputation += points;
  author.fromBounties += points;
  author.epochGain += points;
  author.epochBountyGain += points;
  return points;
}

/**
 * §10.3 temporal diversity: the most bounty reputation x that keeps bounties ≤ 40 % of lifetime
 * gains, (B + x) ≤ 0.4 (U + B + x) ⇔ x ≤ (0.4 U − 0.6 B) / 0.6.
 */
export function temporalDiversityRoom(id: Readonly<IdentityRecord>): bigint {
  const u = id.fromUpvotes > 0n ? id.fromUpvotes : 0n;
  const b = id.fromBounties > 0n ? id.fromBounties : 0n;
  const max = TEMPORAL_DIVERSITY_MAX_BOUNTY_BPS;
  const room = (max * u - (BPS - max) * b) / (BPS - max);
  return room > 0n ? room : 0n;
}

/** min(x, room), with a negative room meaning none left. */
function atMost(x: bigint, room: bigint): bigint {
  const r = room > 0n ? room : 0n;
  return x < r ? x : r;
}

/**
 * §12.1 hook: the graph anti-sybil analysis (a later issue) sets the penalty of a flagged identity
 * (SYBIL_PENALTY_BPS = 5,000 for the paper's 50 %; 0 lifts it). It scales reputationOf, the vote
 * weight, and the gains settled while it is set. RangeError unless an integer in [0, 10,000].
 */
export function setSybilPenalty(id: IdentityRecord, bps: number): void {
  if (!Number.isSafeInteger(bps) || bps < 0 || bps > 10_000)
    throw new RangeError(`sybil penalty must be 0..10000 bps, got ${bps}`);
  id.penaltyBps = bps;
}

/** §12.3 `− Σ slashing_penalty(violation_k)`: `points` (WAD, ≥ 0) off base, uncapped. */
export function applySlashingPenalty(id: IdentityRecord, points: bigint): void {
  if (points > 0n) id.reputation -= points;
}

/**
 * Deletes the pair records no rule reads any more: those of epochs before `epoch` −
 * INDEPENDENCE_LOOKBACK_EPOCHS (the diversity discount reads the vote's epoch, bounty independence
 * that and the one before). The state machine calls it once when an epoch begins; a full scan of
 * the table. Returns how many were deleted.
 */
export function prunePairs(state: EconomyState, epoch: bigint): number {
  if (epoch <= INDEPENDENCE_LOOKBACK_EPOCHS) return 0;
  const keep = u64Key(epoch - INDEPENDENCE_LOOKBACK_EPOCHS);
  let deleted = 0;
  for (const [key] of state.pairs.entries()) {
    if (key.slice(0, 16) >= keep) break; // entries() is in key order, and keys start with the epoch
    state.pairs.delete(key);
    deleted++;
  }
  return deleted;
}
