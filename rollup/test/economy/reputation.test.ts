import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { EconomyState } from '../../src/economy/economyState.ts';
import { type IdentityRecord, identityCodec, newIdentity } from '../../src/economy/records.ts';
import {
  applySlashingPenalty,
  bountyGainCap,
  creditBounty,
  decayFactor,
  epochGainCap,
  epochOf,
  pairCount,
  prunePairs,
  recordDownvote,
  recordUpvote,
  reputationOf,
  setSybilPenalty,
  settleEpoch,
  stakeBonus,
  temporalDiversityRoom,
  votesConcentrated,
  voteWeightOf,
} from '../../src/economy/reputation.ts';
import { ECONOMY_SLOTS_PER_EPOCH, SLOTS_PER_DAY } from '../../src/params/economyParams.ts';
import { BOUNTY_FACTOR_BPS, SYBIL_PENALTY_BPS } from '../../src/params/reputationParams.ts';
import { agents, ident, MOLT, near, pts, WAD, world } from './helpers/reputationFixtures.ts';

const EPOCH = ECONOMY_SLOTS_PER_EPOCH;
const DAY = SLOTS_PER_DAY;
const U64 = (1n << 64n) - 1n;

/** Gives `id` a base of `points` whose last contribution is `slot`, as if its epoch began there. */
function withRep(id: IdentityRecord, points: bigint | number, slot: bigint): IdentityRecord {
  id.reputation = typeof points === 'bigint' ? points : pts(points);
  id.lastQualitySlot = slot;
  id.epoch = epochOf(slot);
  id.epochRep = reputationOf(id, slot);
  return id;
}

/** `n` upvotes from `voter` to `author` at `slot`; returns the weights. */
function upvotes(
  s: EconomyState,
  voter: bigint,
  author: bigint,
  slot: bigint,
  n: number,
): bigint[] {
  const out: bigint[] = [];
  for (let k = 0; k < n; k++) out.push(recordUpvote(s, ident(s, voter), ident(s, author), slot));
  return out;
}

describe('reputation: time (§7.3, §12.3)', () => {
  it('epochOf: 432,000 slots per epoch', () => {
    assert.equal(epochOf(0n), 0n);
    assert.equal(epochOf(431_999n), 0n);
    assert.equal(epochOf(432_000n), 1n);
    assert.equal(epochOf(10n * EPOCH + 5n), 10n);
  });

  it("decay: 0.995 per whole day; 0.995^139 ≈ ½ (the paper's half-life)", () => {
    const id = withRep(newIdentity(1n, 0n, 100n * MOLT), 100, 0n);
    assert.equal(reputationOf(id, DAY - 1n), pts(100)); // less than a day: no decay
    assert.ok(near(reputationOf(id, DAY), pts(995) / 10n, 1_000n)); // 99.5 (powWad floors)
    const r139 = reputationOf(id, 139n * DAY);
    const exact = (pts(100) * 995n ** 139n) / 1000n ** 139n;
    assert.ok(near(r139, exact, 1_000n), `${r139} vs ${exact}`); // decay floors to 1 ulp, × 100
    assert.ok(r139 > pts(49) + (pts(1) * 8n) / 10n && r139 < pts(50), `${r139}`); // 49.84
    // Half-life between 138 and 139 days, as §12.3 / Appendix C.4 say (~139).
    assert.ok(decayFactor(id, 138n * DAY) > WAD / 2n);
    assert.ok(decayFactor(id, 139n * DAY) < WAD / 2n);
  });

  it('a quality contribution (an upvote received) restarts the decay clock', () => {
    const s = world(agents(2));
    const author = withRep(ident(s, 1n), 100, 0n);
    withRep(ident(s, 2n), 100, 100n * DAY);
    assert.ok(reputationOf(author, 100n * DAY) < pts(61));
    recordUpvote(s, ident(s, 2n), author, 100n * DAY);
    assert.equal(author.lastQualitySlot, 100n * DAY);
    assert.equal(reputationOf(author, 100n * DAY), pts(100));
  });
});

describe('reputation: stake bonus (§12.3 stake_log_bonus)', () => {
  it('1 + 0.1·log2(stake / 100 MOLT): 1.0 at 100, 1.1 at 200, 1.3 at 800 MOLT', () => {
    assert.equal(stakeBonus(100n * MOLT), WAD);
    assert.equal(stakeBonus(200n * MOLT), (WAD * 11n) / 10n);
    assert.equal(stakeBonus(800n * MOLT), (WAD * 13n) / 10n);
    assert.equal(stakeBonus(1_600n * MOLT), (WAD * 14n) / 10n);
  });

  it('never below 1: stakes under 100 MOLT get no bonus (no malus)', () => {
    assert.equal(stakeBonus(0n), WAD);
    assert.equal(stakeBonus(50n * MOLT), WAD);
    assert.equal(stakeBonus(100n * MOLT - 1n), WAD);
    assert.ok(stakeBonus(100n * MOLT + 1n) >= WAD);
  });

  it('reputationOf multiplies base by the bonus', () => {
    const id = withRep(newIdentity(1n, 0n, 800n * MOLT), 100, 0n);
    assert.equal(reputationOf(id, 0n), pts(130));
  });
});

describe('reputation: never negative, penalties (§12.1, §12.3)', () => {
  it('a negative base reads as 0', () => {
    const id = withRep(newIdentity(1n, 0n, 100n * MOLT), -5, 0n);
    assert.equal(reputationOf(id, 0n), 0n);
  });

  it('§12.1 hook: a 50 % penalty halves reputation and vote weight; 0 lifts it', () => {
    const id = withRep(newIdentity(1n, 0n, 100n * MOLT), 400, 0n);
    setSybilPenalty(id, SYBIL_PENALTY_BPS);
    assert.equal(reputationOf(id, 0n), pts(200));
    assert.equal(voteWeightOf(id, 0n), pts(10)); // √400 = 20, halved: "voting power reduced by 50%"
    setSybilPenalty(id, 0);
    assert.equal(reputationOf(id, 0n), pts(400));
    assert.throws(() => setSybilPenalty(id, 10_001), RangeError);
    assert.throws(() => setSybilPenalty(id, -1), RangeError);
    assert.throws(() => setSybilPenalty(id, 0.5), RangeError);
  });

  it('§12.1 hook: gains settled while flagged are halved too', () => {
    const s = world(agents(2));
    withRep(ident(s, 2n), 100, EPOCH); // weight 10
    setSybilPenalty(ident(s, 1n), SYBIL_PENALTY_BPS);
    recordUpvote(s, ident(s, 2n), ident(s, 1n), EPOCH);
    // One voter = 100 % from < 5 voters → 80 % off, then the 50 % penalty: 10 × 0.2 × 0.5.
    settleEpoch(s, ident(s, 1n), 2n * EPOCH);
    assert.equal(ident(s, 1n).reputation, pts(1));
  });

  it('slashing penalty comes off base, uncapped', () => {
    const id = withRep(newIdentity(1n, 0n, 100n * MOLT), 20, 0n);
    applySlashingPenalty(id, pts(30));
    assert.equal(id.reputation, pts(-10));
    applySlashingPenalty(id, -pts(5)); // ignored
    assert.equal(id.reputation, pts(-10));
    assert.equal(reputationOf(id, 0n), 0n);
  });
});

describe('reputation: vote weight (§12.3 upvote_weight = √reputation)', () => {
  it('√reputation: 400 points vote with weight 20', () => {
    const id = withRep(newIdentity(1n, 0n, 100n * MOLT), 400, 0n);
    assert.equal(voteWeightOf(id, 0n), pts(20));
  });

  it('a staked newcomer (reputation 0) votes with 0.1; 100 of them weigh less than one agent at 500', () => {
    const fresh = newIdentity(1n, 0n, 100n * MOLT);
    assert.equal(voteWeightOf(fresh, 0n), WAD / 10n);
    assert.equal(voteWeightOf(newIdentity(2n, 0n, 100n * MOLT - 1n), 0n), 0n); // below min stake
    const established = withRep(newIdentity(3n, 0n, 100n * MOLT), 500, 0n);
    assert.ok(100n * voteWeightOf(fresh, 0n) < voteWeightOf(established, 0n)); // §12.1 layer 4
  });
});

describe('reputation: diversity discount (§12.3 item 1, C.3)', () => {
  it('the n-th upvote of a pair in an epoch is worth 0.5^(n − 10) after the 10th', () => {
    const s = world(agents(2));
    withRep(ident(s, 1n), 400, EPOCH); // weight 20
    const w = upvotes(s, 1n, 2n, EPOCH, 13);
    assert.deepEqual(w.slice(0, 10), Array(10).fill(pts(20)));
    assert.equal(w[10], pts(10));
    assert.equal(w[11], pts(5));
    assert.equal(w[12], pts(5) / 2n);
    assert.equal(pairCount(s, 1n, 1n, 2n), 13);
    assert.equal(ident(s, 2n).pendingUpvoteGain, pts(200 + 10 + 5) + pts(5) / 2n);
  });

  it('per pair and per epoch: a new epoch or another author starts at full weight', () => {
    const s = world(agents(3));
    withRep(ident(s, 1n), 400, EPOCH);
    upvotes(s, 1n, 2n, EPOCH, 12);
    assert.equal(recordUpvote(s, ident(s, 1n), ident(s, 3n), EPOCH), pts(20));
    withRep(ident(s, 1n), 400, 2n * EPOCH); // the voter's own decay aside
    assert.equal(recordUpvote(s, ident(s, 1n), ident(s, 2n), 2n * EPOCH), pts(20));
  });

  it('a self-vote counts nothing', () => {
    const s = world(agents(1));
    const id = ident(s, 1n);
    assert.equal(recordUpvote(s, id, id, 0n), 0n);
    assert.equal(recordDownvote(s, id, id, 0n), 0n);
    assert.equal(id.epochUpvotes, 0);
  });
});

describe('reputation: voting-diversity requirement (§12.3 item 4)', () => {
  /** Author 1 gets upvotes from voters by count (voter ids from 2), each of weight 1. */
  function epochFrom(counts: number[]): IdentityRecord {
    const s = world(agents(counts.length + 1));
    for (const [i] of counts.entries()) withRep(ident(s, BigInt(i + 2)), 1, EPOCH); // √1 = 1
    for (const [i, c] of counts.entries()) upvotes(s, BigInt(i + 2), 1n, EPOCH, c);
    const author = ident(s, 1n);
    settleEpoch(s, author, 2n * EPOCH);
    return author;
  }

  it('10 upvotes from 10 voters count in full', () => {
    assert.equal(epochFrom([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]).reputation, pts(10));
  });

  it('> 60 % from < 5 voters (7 of 10 from 4) → 80 % off', () => {
    assert.equal(epochFrom([3, 2, 1, 1, 1, 1, 1]).reputation, pts(2));
  });

  it('exactly 60 % from 4 voters is not "more than 60 %"', () => {
    assert.equal(epochFrom([3, 1, 1, 1, 1, 1, 1, 1]).reputation, pts(10));
  });

  it('all upvotes from one voter → 80 % off', () => {
    assert.equal(epochFrom([3]).reputation, (pts(3) * 2n) / 10n);
  });

  it('topVoters is the exact top 5 (Σ of the top k matches a model for every k)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 2, max: 13 }), { maxLength: 120 }), (voters) => {
        const s = world(agents(13));
        const author = ident(s, 1n);
        const model = new Map<number, number>();
        for (const v of voters) {
          recordUpvote(s, ident(s, BigInt(v)), author, 0n);
          model.set(v, (model.get(v) ?? 0) + 1);
          const sorted = [...model.values()].sort((a, b) => b - a);
          const got = author.topVoters.map((t) => t.count);
          assert.deepEqual(
            [...got].sort((a, b) => b - a),
            got,
          ); // kept sorted
          for (let k = 1; k <= 5; k++) {
            const sum = (xs: number[]) => xs.slice(0, k).reduce((a, b) => a + b, 0);
            assert.equal(sum(got), sum(sorted));
          }
        }
        assert.equal(author.epochUpvotes, voters.length);
        const top4 = [...model.values()].sort((a, b) => b - a).slice(0, 4);
        assert.equal(
          votesConcentrated(author),
          top4.reduce((a, b) => a + b, 0) * 10 > voters.length * 6,
        );
      }),
      { numRuns: 60 },
    );
  });
});

describe('reputation: epoch cap (§12.3 item 3)', () => {
  it('floor 50: an agent at 0 gains at most 50 in an epoch', () => {
    const s = world(agents(11));
    for (let v = 2n; v <= 11n; v++) withRep(ident(s, v), 10_000, EPOCH); // weight 100 each
    for (let v = 2n; v <= 11n; v++) upvotes(s, v, 1n, EPOCH, 1);
    assert.equal(ident(s, 1n).pendingUpvoteGain, pts(1_000));
    settleEpoch(s, ident(s, 1n), 2n * EPOCH);
    assert.equal(ident(s, 1n).reputation, pts(50));
    assert.equal(ident(s, 1n).fromUpvotes, pts(50));
  });

  it('0.5 × reputation above 100: an agent at 400 gains at most 200', () => {
    assert.equal(epochGainCap(pts(400)), pts(200));
    assert.equal(epochGainCap(pts(100)), pts(50));
    assert.equal(epochGainCap(0n), pts(50));
    const s = world(agents(11));
    withRep(ident(s, 1n), 400, EPOCH);
    for (let v = 2n; v <= 11n; v++) withRep(ident(s, v), 10_000, EPOCH);
    for (let v = 2n; v <= 11n; v++) upvotes(s, v, 1n, EPOCH, 1);
    settleEpoch(s, ident(s, 1n), 2n * EPOCH);
    assert.equal(ident(s, 1n).reputation, pts(600));
  });

  it("the cap is fixed at the epoch's start: gains inside it do not raise it", () => {
    const s = world(agents(1));
    const id = withRep(ident(s, 1n), 400, EPOCH);
    creditBounty(s, id, 80n * MOLT, BOUNTY_FACTOR_BPS.communityVote, EPOCH); // 80 = 20 % of 400
    assert.equal(id.reputation, pts(400)); // above 200 with no upvote history: temporal rule
    id.fromUpvotes = pts(400);
    creditBounty(s, id, 80n * MOLT, BOUNTY_FACTOR_BPS.communityVote, EPOCH);
    assert.equal(id.reputation, pts(480));
    assert.equal(id.epochRep, pts(400)); // cap base unchanged: cap still 200, bounty cap 80
    assert.equal(creditBounty(s, id, 80n * MOLT, BOUNTY_FACTOR_BPS.communityVote, EPOCH), 0n);
  });

  it('settlement is lazy but does not depend on when the identity is next touched', () => {
    const run = (settleAt: bigint) => {
      const s = world(agents(11));
      for (let v = 2n; v <= 11n; v++) withRep(ident(s, v), 25, EPOCH); // weight 5
      for (let v = 2n; v <= 11n; v++) upvotes(s, v, 1n, EPOCH, 1);
      settleEpoch(s, ident(s, 1n), settleAt);
      return ident(s, 1n);
    };
    const soon = run(2n * EPOCH);
    const late = run(90n * EPOCH);
    assert.equal(soon.reputation, pts(50));
    assert.equal(late.reputation, soon.reputation);
    assert.equal(late.epoch, 90n);
  });

  it('each identity is counted once per epoch in totals.epochActiveAgents', () => {
    const s = world(agents(2));
    const before = s.totals().epochActiveAgents;
    settleEpoch(s, ident(s, 1n), EPOCH);
    settleEpoch(s, ident(s, 1n), EPOCH + 5n);
    settleEpoch(s, ident(s, 2n), EPOCH + 9n);
    assert.equal(s.totals().epochActiveAgents, before + 2);
    settleEpoch(s, ident(s, 1n), 2n * EPOCH);
    assert.equal(s.totals().epochActiveAgents, before + 3);
  });

  it('identities of epoch 0 are counted in epoch 0 too', () => {
    const s = world(agents(1));
    settleEpoch(s, ident(s, 1n), 5n);
    assert.equal(s.totals().epochActiveAgents, 1);
  });
});

describe('reputation: downvotes (§12.3 item 2)', () => {
  it('subtract √reputation from base at once; 20 % on authors younger than 30 days', () => {
    const s = world(agents(2));
    withRep(ident(s, 1n), 400, 0n); // weight 20
    withRep(ident(s, 2n), 100, 0n); // registered at slot 0
    const young = 29n * DAY;
    ident(s, 1n).lastQualitySlot = young;
    assert.equal(recordDownvote(s, ident(s, 1n), ident(s, 2n), young), pts(4));
    assert.equal(ident(s, 2n).reputation, pts(96));
    const old = 30n * DAY;
    ident(s, 1n).lastQualitySlot = old;
    assert.equal(recordDownvote(s, ident(s, 1n), ident(s, 2n), old), pts(20));
    assert.equal(ident(s, 2n).reputation, pts(76));
  });

  it('losses are not capped and may take base below 0 (reputation reads 0)', () => {
    const s = world(agents(2));
    withRep(ident(s, 1n), 10_000, 40n * DAY); // weight 100
    withRep(ident(s, 2n), 60, 40n * DAY);
    recordDownvote(s, ident(s, 1n), ident(s, 2n), 40n * DAY);
    assert.equal(ident(s, 2n).reputation, pts(-40));
    assert.equal(reputationOf(ident(s, 2n), 40n * DAY), 0n);
  });
});

describe('reputation: bounty credit (§10.3, §12.3)', () => {
  it('1 MOLT earned = 1 point × factor (1.0 / 0.5 / 0.25)', () => {
    const s = world(agents(3));
    assert.equal(
      creditBounty(s, ident(s, 1n), 10n * MOLT, BOUNTY_FACTOR_BPS.communityVote, 0n),
      pts(10),
    );
    assert.equal(
      creditBounty(s, ident(s, 2n), 10n * MOLT, BOUNTY_FACTOR_BPS.askerSelected, 0n),
      pts(5),
    );
    assert.equal(
      creditBounty(s, ident(s, 3n), 10n * MOLT, BOUNTY_FACTOR_BPS.noCompetition, 0n),
      pts(5) / 2n,
    );
    assert.equal(ident(s, 1n).reputation, pts(10));
    assert.equal(ident(s, 1n).fromBounties, pts(10));
  });

  it('capped at 20 % of reputation per epoch (floor 10 points)', () => {
    assert.equal(bountyGainCap(0n), pts(10));
    assert.equal(bountyGainCap(pts(1_000)), pts(200));
    const s = world(agents(2));
    const fresh = ident(s, 1n);
    assert.equal(creditBounty(s, fresh, 20n * MOLT, BOUNTY_FACTOR_BPS.communityVote, 0n), pts(10));
    assert.equal(creditBounty(s, fresh, 20n * MOLT, BOUNTY_FACTOR_BPS.communityVote, 0n), 0n);
    const big = withRep(ident(s, 2n), 1_000, EPOCH);
    big.fromUpvotes = pts(1_000);
    assert.equal(
      creditBounty(s, big, 500n * MOLT, BOUNTY_FACTOR_BPS.communityVote, EPOCH),
      pts(200),
    );
  });

  it('bounty gains come first in the epoch cap; upvote gains get the rest', () => {
    const s = world(agents(10));
    const a = withRep(ident(s, 1n), 40, EPOCH); // cap 50, bounty cap 10
    creditBounty(s, a, 10n * MOLT, BOUNTY_FACTOR_BPS.communityVote, EPOCH);
    for (let v = 2n; v <= 10n; v++) withRep(ident(s, v), 25, EPOCH); // weight 5
    for (let v = 2n; v <= 10n; v++) upvotes(s, v, 1n, EPOCH, 1); // 45 pending, 9 voters
    settleEpoch(s, a, 2n * EPOCH);
    assert.equal(a.reputation, pts(40 + 50));
    assert.equal(a.fromUpvotes, pts(40));
  });

  it('temporal diversity above 200: bounties ≤ 40 % of lifetime gains', () => {
    const s = world(agents(2));
    const a = withRep(ident(s, 1n), 300, EPOCH);
    a.fromUpvotes = pts(300);
    a.fromBounties = pts(200); // already 40 %
    assert.equal(temporalDiversityRoom(a), 0n);
    assert.equal(creditBounty(s, a, 50n * MOLT, BOUNTY_FACTOR_BPS.communityVote, EPOCH), 0n);
    a.fromUpvotes = pts(600); // room: (0.4·600 − 0.6·200) / 0.6 = 200
    assert.equal(temporalDiversityRoom(a), pts(200));
    assert.equal(creditBounty(s, a, 50n * MOLT, BOUNTY_FACTOR_BPS.communityVote, EPOCH), pts(50));
    // Below 200 the rule does not apply.
    const b = withRep(ident(s, 2n), 150, EPOCH);
    b.fromBounties = pts(150);
    assert.equal(creditBounty(s, b, 20n * MOLT, BOUNTY_FACTOR_BPS.communityVote, EPOCH), pts(20));
  });
});

describe('reputation: pairs table', () => {
  it('prunePairs keeps the current and previous epoch only', () => {
    const s = world(agents(2));
    for (const e of [1n, 2n, 3n]) recordUpvote(s, ident(s, 1n), ident(s, 2n), e * EPOCH);
    assert.equal(prunePairs(s, 3n), 1);
    assert.equal(pairCount(s, 1n, 1n, 2n), 0);
    assert.equal(pairCount(s, 2n, 1n, 2n), 1);
    assert.equal(pairCount(s, 3n, 1n, 2n), 1);
    assert.equal(prunePairs(s, 1n), 0);
  });
});

// ------------------------------------------------------------------ properties

type Op =
  | { kind: 'up'; voter: number; author: number; dt: bigint }
  | { kind: 'down'; voter: number; author: number; dt: bigint }
  | { kind: 'bounty'; author: number; earned: bigint; factor: bigint; dt: bigint };

const N = 6;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('up' as const),
      voter: fc.integer({ min: 1, max: N }),
      author: fc.integer({ min: 1, max: N }),
      dt: fc.bigInt({ min: 0n, max: EPOCH / 8n }),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('down' as const),
      voter: fc.integer({ min: 1, max: N }),
      author: fc.integer({ min: 1, max: N }),
      dt: fc.bigInt({ min: 0n, max: EPOCH / 8n }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('bounty' as const),
      author: fc.integer({ min: 1, max: N }),
      earned: fc.bigInt({ min: 0n, max: 500n * MOLT }),
      factor: fc.constantFrom(...Object.values(BOUNTY_FACTOR_BPS)),
      dt: fc.bigInt({ min: 0n, max: EPOCH / 8n }),
    }),
    weight: 2,
  },
);
// Voters up to 100,000 points (weight ≤ 316) so the caps bind within a few upvotes.
const startArb = fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: N, maxLength: N });

/** Runs `ops` from a world whose identities start at `start` points; returns state and downvotes. */
function run(start: number[], ops: Op[], check?: (s: EconomyState, before: Snapshot[]) => void) {
  const s = world(agents(N, 800n * MOLT));
  start.forEach((p, i) => {
    const id = withRep(ident(s, BigInt(i + 1)), p, 0n);
    id.fromUpvotes = pts(p); // a history, so the temporal-diversity rule has something to share
  });
  const downs = new Map<number, bigint>();
  let slot = 0n;
  for (const op of ops) {
    slot += op.dt;
    const before = snapshot(s);
    if (op.kind === 'up')
      recordUpvote(s, ident(s, BigInt(op.voter)), ident(s, BigInt(op.author)), slot);
    else if (op.kind === 'down') {
      const w = recordDownvote(s, ident(s, BigInt(op.voter)), ident(s, BigInt(op.author)), slot);
      downs.set(op.author, (downs.get(op.author) ?? 0n) + w);
    } else creditBounty(s, ident(s, BigInt(op.author)), op.earned, op.factor, slot);
    check?.(s, before);
  }
  return { s, downs, slot };
}

interface Snapshot {
  gains: bigint;
  epoch: bigint;
  epochGain: bigint;
  epochRep: bigint;
}

function snapshot(s: EconomyState): Snapshot[] {
  const out: Snapshot[] = [];
  for (let i = 1; i <= N; i++) {
    const id = ident(s, BigInt(i));
    out.push({
      gains: id.fromUpvotes + id.fromBounties,
      epoch: id.epoch,
      epochGain: id.epochGain,
      epochRep: id.epochRep,
    });
  }
  return out;
}

describe('reputation: properties', () => {
  it('gain per epoch ≤ max(50, ½ reputation at the epoch start); bounty gain ≤ its cap', () => {
    fc.assert(
      fc.property(startArb, fc.array(opArb, { minLength: 30, maxLength: 120 }), (start, ops) => {
        const verify = (s: EconomyState, before: Snapshot[]) => {
          for (let i = 1; i <= N; i++) {
            const id = ident(s, BigInt(i));
            const b = before[i - 1] as Snapshot;
            assert.ok(id.epochGain <= epochGainCap(id.epochRep));
            assert.ok(id.epochBountyGain <= bountyGainCap(id.epochRep));
            if (id.epoch > b.epoch) {
              // The closed epoch's settled gain plus what it had: within its own cap.
              const closed = id.fromUpvotes + id.fromBounties - b.gains - id.epochGain;
              assert.ok(b.epochGain + closed <= epochGainCap(b.epochRep));
            }
          }
        };
        const { s, downs, slot } = run(start, ops, verify);
        // Close every epoch and check the last one as well.
        const before = snapshot(s);
        for (let i = 1; i <= N; i++) settleEpoch(s, ident(s, BigInt(i)), slot + EPOCH);
        verify(s, before);
        // Base moved only by the credited gains and the downvotes.
        for (let i = 1; i <= N; i++) {
          const id = ident(s, BigInt(i));
          const start0 = pts(start[i - 1] as number);
          assert.equal(
            id.reputation,
            start0 + (id.fromUpvotes - start0) + id.fromBounties - (downs.get(i) ?? 0n),
          );
        }
      }),
      { numRuns: 150 },
    );
  });

  it('reputationOf ≥ 0, ≤ max(0, base) × stake bonus, and non-increasing in time', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }),
        fc.bigInt({ min: 0n, max: U64 }),
        fc.bigInt({ min: 0n, max: U64 }),
        fc.bigInt({ min: 0n, max: U64 }),
        fc.bigInt({ min: 0n, max: U64 }),
        fc.integer({ min: 0, max: 10_000 }),
        (base, stake, last, s1, s2, penalty) => {
          const id = newIdentity(1n, 0n, stake);
          id.reputation = base;
          id.lastQualitySlot = last;
          id.penaltyBps = penalty;
          const [a, b] = s1 <= s2 ? [s1, s2] : [s2, s1];
          const ra = reputationOf(id, a);
          const rb = reputationOf(id, b);
          assert.ok(ra >= 0n && rb >= 0n);
          assert.ok(ra >= rb);
          const bound = ((base > 0n ? base : 0n) * stakeBonus(stake)) / WAD;
          assert.ok(ra <= bound);
          assert.ok(voteWeightOf(id, a) >= 0n);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('deterministic: the same operations give the same state root', () => {
    fc.assert(
      fc.property(startArb, fc.array(opArb, { minLength: 10, maxLength: 60 }), (start, ops) => {
        const a = run(start, ops).s.root();
        const b = run(start, ops).s.root();
        assert.deepEqual(a, b);
      }),
      { numRuns: 30 },
    );
  });

  it('no input throws, and every record still encodes', () => {
    const anyId = fc.record({
      reputation: fc.bigInt({ min: -(1n << 128n), max: 1n << 128n }),
      stake: fc.bigInt({ min: 0n, max: U64 }),
      registered: fc.bigInt({ min: 0n, max: U64 }),
      last: fc.bigInt({ min: 0n, max: U64 }),
      penalty: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(
      fc.property(
        anyId,
        anyId,
        fc.bigInt({ min: 0n, max: U64 - EPOCH }),
        fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }),
        fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }),
        (x, y, slot, earned, factor) => {
          const s = world(agents(2));
          for (const [i, r] of [x, y].entries()) {
            const id = ident(s, BigInt(i + 1));
            id.reputation = r.reputation;
            id.stake = r.stake;
            id.registeredSlot = r.registered;
            id.lastQualitySlot = r.last;
            id.penaltyBps = r.penalty;
          }
          const a = ident(s, 1n);
          const b = ident(s, 2n);
          settleEpoch(s, a, slot);
          recordUpvote(s, a, b, slot);
          recordDownvote(s, b, a, slot);
          creditBounty(s, b, earned, factor, slot);
          settleEpoch(s, b, slot + EPOCH);
          identityCodec.decode(identityCodec.encode(a));
          identityCodec.decode(identityCodec.encode(b));
          s.root();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('identity codec round-trips the reputation fields', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }),
        fc.bigInt({ min: 0n, max: U64 }),
        fc.array(fc.record({ voter: fc.bigInt({ min: 0n, max: U64 }), count: fc.nat() }), {
          maxLength: 5,
        }),
        (rep, e, top) => {
          const id = newIdentity(7n, 3n, 5n);
          id.reputation = rep;
          id.epochRep = rep;
          id.activeEpoch = e;
          id.topVoters = top.map((t) => ({ voter: t.voter, count: t.count }));
          assert.deepEqual(identityCodec.decode(identityCodec.encode(id)), id);
        },
      ),
    );
  });
});
