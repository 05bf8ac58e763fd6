import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lnWad, WAD } from '../../src/economy/math/fixedPoint.ts';
import { type IdentityRecord, newIdentity } from '../../src/economy/records.ts';
import {
  authorScore,
  boostScore,
  entropyScore,
  LN2_WAD,
  qualityScore,
  recencyScore,
  type VisibilityPost,
  visibilityParts,
  visibilityScore,
} from '../../src/economy/visibility.ts';
import { MOLT } from '../../src/params/economyParams.ts';
import {
  AUTHOR_REPUTATION_HALF,
  BOOST_HALF,
  QUALITY_HALF,
  RECENCY_HALF_LIFE_SLOTS,
  VISIBILITY_WEIGHT_BPS,
} from '../../src/params/visibilityParams.ts';

const pts = (n: bigint | number) => BigInt(n) * WAD;
const H = RECENCY_HALF_LIFE_SLOTS;
const SLOT = 1_000_000n;

/** |a − b| ≤ tol (WAD ulps). */
function near(a: bigint, b: bigint, tol = 4n, what = ''): void {
  const d = a > b ? a - b : b - a;
  assert.ok(d <= tol, `${what} ${a} ≉ ${b} (±${tol})`);
}

function post(o: Partial<VisibilityPost> = {}): VisibilityPost {
  return { up: 0n, down: 0n, createdSlot: SLOT, boost: 0n, boostUntil: 0n, entropy: 0, ...o };
}

/** An identity whose reputation at SLOT is `points` (no decay, stake without bonus). */
function author(points: bigint | number): IdentityRecord {
  const id = newIdentity(1n, 0n, 100n * MOLT);
  id.reputation = pts(points);
  id.lastQualitySlot = SLOT;
  return id;
}

describe('visibility: the parts (§10.4)', () => {
  it('weights are the paper’s and sum to 1', () => {
    const w = VISIBILITY_WEIGHT_BPS;
    assert.deepEqual(
      [w.quality, w.recency, w.boost, w.author, w.entropy],
      [4_500n, 2_000n, 1_000n, 1_500n, 1_000n],
    );
    assert.equal(w.quality + w.recency + w.boost + w.author + w.entropy, 10_000n);
  });

  it('quality = q / (q + 10), q = max(0, up − down) in points', () => {
    assert.equal(qualityScore({ up: 0n, down: 0n }), 0n);
    assert.equal(qualityScore({ up: pts(3), down: pts(5) }), 0n, 'net negative counts as 0');
    assert.equal(qualityScore({ up: QUALITY_HALF, down: 0n }), WAD / 2n);
    assert.equal(qualityScore({ up: pts(30), down: pts(10) }), (2n * WAD) / 3n);
    // One upvote from an average agent (reputation 500: weight √500 ≈ 22.36).
    near(qualityScore({ up: 22_360_679_774_997_896_964n, down: 0n }), 690_983_005_625_052_575n, 2n);
  });

  it('recency halves every 6 hours (54,000 slots)', () => {
    assert.equal(H, 54_000n);
    near(LN2_WAD, lnWad(2n * WAD), 1n, 'ln 2');
    assert.equal(recencyScore(SLOT, SLOT), WAD);
    assert.equal(recencyScore(SLOT + 5n, SLOT), WAD, 'a post from the future is fresh, not > 1');
    near(recencyScore(SLOT, SLOT + H), WAD / 2n, 2n, '1 half-life');
    near(recencyScore(SLOT, SLOT + 4n * H), WAD / 16n, 2n, '1 day');
    near(recencyScore(SLOT, SLOT + H / 2n), 707_106_781_186_547_524n, 2n, '√½');
    assert.equal(recencyScore(0n, 10n ** 12n), 0n, 'very old posts have no recency left');
  });

  it('boost counts only inside the boost window, normalised by 1 MOLT', () => {
    assert.equal(BOOST_HALF, MOLT);
    assert.equal(boostScore({ boost: MOLT, boostUntil: SLOT }, SLOT), WAD / 2n);
    assert.equal(boostScore({ boost: 3n * MOLT, boostUntil: SLOT + 9n }, SLOT), (3n * WAD) / 4n);
    assert.equal(boostScore({ boost: MOLT, boostUntil: SLOT - 1n }, SLOT), 0n, 'window over');
    assert.equal(boostScore({ boost: 0n, boostUntil: 0n }, SLOT), 0n, 'never boosted');
  });

  it('author = r / (r + 500) with r = reputationOf at the slot; 0 without a public author', () => {
    assert.equal(AUTHOR_REPUTATION_HALF, pts(500));
    assert.equal(authorScore(author(500), SLOT), WAD / 2n);
    assert.equal(authorScore(author(1_500), SLOT), (3n * WAD) / 4n);
    assert.equal(authorScore(author(0), SLOT), 0n);
    assert.equal(authorScore(null, SLOT), 0n);
    // 0.995^days decay (§12.3) lowers it as the author stays silent.
    assert.ok(authorScore(author(500), SLOT + 216_000n * 30n) < WAD / 2n);
  });

  it('entropy = entropy / 1000', () => {
    assert.equal(entropyScore(0), 0n);
    assert.equal(entropyScore(250), WAD / 4n);
    assert.equal(entropyScore(999), (999n * WAD) / 1000n);
  });
});

describe('visibility: worked numbers', () => {
  it('0.45 × ⅔ + 0.20 × ½ + 0.15 × ½ + 0.10 × ¼ = 0.5', () => {
    // up 30, down 10 → quality ⅔; one half-life old → ½; author 500 → ½; entropy 250 → ¼.
    const p = post({ up: pts(30), down: pts(10), createdSlot: SLOT - H, entropy: 250 });
    const v = visibilityParts(p, author(500), SLOT);
    near(v.total, WAD / 2n, 4n, 'total');
    assert.equal(v.boostWeighted, 0n);
  });

  it('a boosted post: + 0.10 × ½ = 0.55 (under the cap)', () => {
    const p = post({
      up: pts(30),
      down: pts(10),
      createdSlot: SLOT - H,
      entropy: 250,
      boost: MOLT,
      boostUntil: SLOT,
    });
    const v = visibilityParts(p, author(500), SLOT);
    assert.equal(v.boostWeighted, WAD / 20n);
    near(v.total, (55n * WAD) / 100n, 4n, 'total');
  });

  it('the 20 % cap: an old, unvoted post cannot buy more than a fifth of its score', () => {
    // Recency 0, no votes, no author, entropy 500: rest = 0.10 × 0.5 = 0.05. A 1,000 MOLT boost
    // would add ~0.10; the cap allows rest / 4 = 0.0125, so total = 0.0625 and boost is 20 % of it.
    const p = post({ createdSlot: 0n, entropy: 500, boost: 1_000n * MOLT, boostUntil: 10n ** 12n });
    const v = visibilityParts(p, null, 10n ** 11n);
    assert.equal(v.recency, 0n);
    assert.equal(v.boostWeighted, WAD / 80n);
    assert.equal(v.total, (625n * WAD) / 10_000n);
    assert.equal(v.boostWeighted * 5n, v.total, 'exactly 20 %');
    // Nothing else: nothing to amplify, so nothing bought.
    assert.equal(
      visibilityScore(
        post({ createdSlot: 0n, boost: 10n ** 12n, boostUntil: 10n ** 12n }),
        null,
        10n ** 11n,
      ),
      0n,
    );
  });

  it('the best possible post scores at most 1', () => {
    const p = post({ up: pts(10n ** 12n), entropy: 999, boost: 10n ** 15n, boostUntil: SLOT });
    const v = visibilityScore(p, author(10n ** 9n), SLOT);
    assert.ok(v <= WAD && v > (99n * WAD) / 100n, String(v));
  });
});

describe('visibility: properties', () => {
  const arbPost = fc.record({
    up: fc.bigInt({ min: 0n, max: pts(10_000) }),
    down: fc.bigInt({ min: 0n, max: pts(10_000) }),
    age: fc.bigInt({ min: 0n, max: 20n * H }),
    boost: fc.bigInt({ min: 0n, max: 10_000n * MOLT }),
    boosted: fc.boolean(),
    entropy: fc.integer({ min: 0, max: 999 }),
    rep: fc.option(fc.bigInt({ min: 0n, max: 100_000n }), { nil: null }),
  });
  type Arb = typeof arbPost extends fc.Arbitrary<infer T> ? T : never;
  const build = (a: Arb) => ({
    p: post({
      up: a.up,
      down: a.down,
      createdSlot: SLOT - a.age,
      boost: a.boost,
      boostUntil: a.boosted ? SLOT : 0n,
      entropy: a.entropy,
    }),
    who: a.rep === null ? null : author(a.rep),
  });

  it('in [0, 1], and the boost part never above 20 % of the total', () => {
    fc.assert(
      fc.property(arbPost, (a) => {
        const { p, who } = build(a);
        const v = visibilityParts(p, who, SLOT);
        assert.ok(v.total >= 0n && v.total <= WAD);
        // boostWeighted ≤ 0.2 total, up to the floor of the cap (1 ulp).
        assert.ok(v.boostWeighted * 5n <= v.total + 5n, `${v.boostWeighted} vs ${v.total}`);
      }),
      { numRuns: 1_000 },
    );
  });

  it('monotone: more upvote weight, less downvote weight, younger, better author, more boost', () => {
    fc.assert(
      fc.property(
        arbPost,
        fc.bigInt({ min: 0n, max: pts(1_000) }),
        fc.bigInt({ min: 0n, max: H }),
        (a, d, dt) => {
          const { p, who } = build(a);
          const base = visibilityScore(p, who, SLOT);
          assert.ok(visibilityScore({ ...p, up: p.up + d }, who, SLOT) >= base, 'up');
          assert.ok(visibilityScore({ ...p, down: p.down + d }, who, SLOT) <= base, 'down');
          assert.ok(
            visibilityScore({ ...p, createdSlot: p.createdSlot - dt }, who, SLOT) <= base,
            'age',
          );
          assert.ok(visibilityScore({ ...p, boost: p.boost + d }, who, SLOT) >= base, 'boost');
          if (who !== null) {
            const better = author(0);
            better.reputation = who.reputation + d;
            assert.ok(visibilityScore(p, better, SLOT) >= base, 'author');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
