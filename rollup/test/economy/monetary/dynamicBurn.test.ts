import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mulWad, sigmoidWad, WAD } from '../../../src/economy/math/fixedPoint.ts';
import {
  annualEmission,
  type BurnState,
  cloneBurn,
  closeBurnPeriod,
  damperDelayPeriods,
  damperWad,
  decodeBurn,
  effectiveBurnBps,
  encodeBurn,
  measuredDeflationWad,
  newBurn,
  phaseSlotReward,
  projectedAnnualEmission,
  recordFeeVolume,
  stepBurnRate,
  targetAnnualChange,
} from '../../../src/economy/monetary/dynamicBurn.ts';
import {
  ACI_PERIOD_SLOTS,
  DAMPER_DELAY_TAG,
  DAMPER_K_WAD,
  SLOTS_PER_YEAR,
} from '../../../src/params/monetaryParams.ts';

const MOLT = 1_000_000n;
const SUPPLY = 600_000_000n * MOLT;
const YEAR = SLOTS_PER_YEAR;
const HASH = new Uint8Array(32).fill(7);
const hashOf = (i: number) => createHash('sha256').update(`poh ${i}`).digest();

/** Closes the period before `period` at its first slot. */
const closeAt = (s: BurnState, period: bigint, supply = SUPPLY, pohHash: Uint8Array = HASH) =>
  closeBurnPeriod(s, { slot: period * ACI_PERIOD_SLOTS, circulatingSupply: supply, pohHash });

/** e^(num/den) × 10^60, by halving, Taylor and squaring (independent of fixedPoint.ts). */
function expRef(num: bigint, den: bigint): bigint {
  const G = 10n ** 90n;
  let m = 0n;
  while ((num < 0n ? -num : num) >> m >= den >> 12n) m += 1n;
  const r = (num * G) / (den << m);
  let sum = G;
  let term = G;
  for (let i = 1n; term !== 0n; i++) {
    term = (term * r) / (i * G);
    sum += term;
  }
  for (let i = 0n; i < m; i++) sum = (sum * sum) / G;
  return sum / 10n ** 30n;
}
/** 1 / (1 + e^(k·(d − 0.03))) × 10^60 for d = dBps / 10,000 and k = kNum. */
function damperRef(dBps: bigint, k: bigint): bigint {
  const S = 10n ** 60n;
  return (S * S) / (S + expRef(k * (dBps - 300n), 10_000n));
}

describe('§11.3 emission by phase', () => {
  it('1.52 / 0.76 / 0.38 / 0.19 MOLT per slot in 2-year phases, 0 from year 9', () => {
    const perYear = [
      119_836_800n,
      119_836_800n,
      59_918_400n,
      59_918_400n,
      29_959_200n,
      29_959_200n,
      14_979_600n,
      14_979_600n,
      0n,
      0n,
    ];
    perYear.forEach((molt, y) => {
      const slot = BigInt(y) * YEAR;
      assert.equal(annualEmission(slot), molt * MOLT, `year ${y + 1}`);
      assert.equal(annualEmission(slot + YEAR - 1n), molt * MOLT, `end of year ${y + 1}`);
      assert.equal(projectedAnnualEmission(slot), (molt * MOLT * 7n) / 10n); // 30 % burned at mint
    });
    assert.equal(YEAR, 78_840_000n);
    assert.equal(phaseSlotReward(0n), 1_520_000n);
    assert.equal(phaseSlotReward(2n * YEAR - 1n), 1_520_000n);
    assert.equal(phaseSlotReward(2n * YEAR), 760_000n);
    assert.equal(phaseSlotReward(8n * YEAR - 1n), 190_000n);
    assert.equal(phaseSlotReward(8n * YEAR), 0n);
    assert.equal(phaseSlotReward(10n ** 30n), 0n);
    // the phases sum to the Emission contract's 449,388,000 MOLT
    assert.equal(
      [0n, 2n, 4n, 6n].reduce((a, y) => a + 2n * annualEmission(y * YEAR), 0n),
      449_388_000n * MOLT,
    );
  });
});

describe('§11.4 controller', () => {
  it('target: 0 in years 1-3, then −2 % of circulating supply', () => {
    assert.equal(targetAnnualChange(0n, SUPPLY), 0n);
    assert.equal(targetAnnualChange(3n * YEAR - 1n, SUPPLY), 0n);
    assert.equal(targetAnnualChange(3n * YEAR, SUPPLY), -12_000_000n * MOLT);
    assert.equal(targetAnnualChange(20n * YEAR, 999n), -19n); // floor of 2 %, then negated
  });

  it('steps ±1 pp outside target ± tolerance, holds inside (bounds included), clamps to [5 %, 50 %]', () => {
    const tol = 6n;
    assert.deepEqual(stepBurnRate(3_000n, 7n, 0n, tol), { burnRateBps: 3_100n, step: 'up' });
    assert.deepEqual(stepBurnRate(3_000n, 6n, 0n, tol), { burnRateBps: 3_000n, step: 'hold' });
    assert.deepEqual(stepBurnRate(3_000n, -6n, 0n, tol), { burnRateBps: 3_000n, step: 'hold' });
    assert.deepEqual(stepBurnRate(3_000n, -7n, 0n, tol), { burnRateBps: 2_900n, step: 'down' });
    assert.deepEqual(stepBurnRate(3_000n, -7n, -12n, tol), { burnRateBps: 3_000n, step: 'hold' });
    assert.deepEqual(stepBurnRate(3_000n, -19n, -12n, tol), { burnRateBps: 2_900n, step: 'down' });
    assert.deepEqual(stepBurnRate(5_000n, 100n, 0n, tol), { burnRateBps: 5_000n, step: 'up' });
    assert.deepEqual(stepBurnRate(500n, -100n, 0n, tol), { burnRateBps: 500n, step: 'down' });
  });

  it('year 1 without fees: too inflationary, +1 pp per 6 h period up to 50 %', () => {
    const s = newBurn({ circulatingSupply: SUPPLY });
    assert.equal(effectiveBurnBps(s), 3_000n); // §10.2 30 %
    const rates: bigint[] = [];
    for (let p = 1n; p <= 25n; p++) {
      const r = closeAt(s, p);
      assert.equal(r.kind, 'closed');
      if (r.kind === 'closed') {
        assert.equal(r.step, 'up');
        assert.equal(r.projection.annualChange, 83_885_760n * MOLT); // 70 % of 119,836,800
        rates.push(r.burnRateBps);
      }
    }
    assert.deepEqual(rates.slice(0, 3), [3_100n, 3_200n, 3_300n]);
    assert.equal(rates[19], 5_000n);
    assert.equal(rates[24], 5_000n);
  });

  it('year 1 with burn = emission: holds', () => {
    const s = newBurn({ circulatingSupply: SUPPLY });
    // 191,520 MOLT per period × 1,460 periods/year × 30 % = 83,885,760 MOLT = net emission
    recordFeeVolume(s, { splitFees: 191_520n * MOLT, fixedBurn: 0n });
    const r = closeAt(s, 1n);
    assert.equal(r.kind === 'closed' && r.step, 'hold');
    assert.deepEqual(r.kind === 'closed' && r.projection, {
      annualSplitFees: 279_619_200n * MOLT,
      annualFixedBurn: 0n,
      annualBurn: 83_885_760n * MOLT,
      annualEmission: 83_885_760n * MOLT,
      annualChange: 0n,
      target: 0n,
      tolerance: 6_000_000n * MOLT,
    });
  });

  it('fixed 100 % burns count fully; fees annualize over the last 4 periods', () => {
    const s = newBurn({ circulatingSupply: SUPPLY });
    recordFeeVolume(s, { splitFees: 0n, fixedBurn: 100n * MOLT });
    recordFeeVolume(s, { splitFees: 0n, fixedBurn: 100n * MOLT });
    closeAt(s, 1n);
    for (let p = 2n; p <= 5n; p++) {
      recordFeeVolume(s, { splitFees: 1_000n * MOLT, fixedBurn: 0n });
      const r = closeAt(s, p);
      if (p === 5n) {
        // window = periods 1-4 of 1,000 MOLT split fees each (period 0 has dropped out)
        assert.equal(r.kind === 'closed' && r.projection.annualFixedBurn, 0n);
        assert.equal(r.kind === 'closed' && r.projection.annualSplitFees, 1_460_000n * MOLT);
      }
      if (p === 2n) {
        // periods 0 and 1: 200 MOLT fixed burn and 1,000 MOLT split fees over 2 periods
        assert.equal(r.kind === 'closed' && r.projection.annualFixedBurn, 146_000n * MOLT);
      }
    }
    assert.throws(() => recordFeeVolume(s, { splitFees: -1n, fixedBurn: 0n }), RangeError);
  });

  it('year 4 with heavy fees: too deflationary, −1 pp per period down to 5 %', () => {
    const start = 3n * YEAR; // period 4,380
    const s = newBurn({ slot: start, circulatingSupply: SUPPLY });
    const first = start / ACI_PERIOD_SLOTS;
    let last: bigint | null = null;
    for (let i = 1n; i <= 30n; i++) {
      // 2M MOLT per period: even 5 % × damper(0) = 4.1 % burns 120M a year > 41.9M + 18M
      recordFeeVolume(s, { splitFees: 2_000_000n * MOLT, fixedBurn: 0n });
      const r = closeAt(s, first + i);
      assert.equal(r.kind === 'closed' && r.step, 'down');
      if (i === 1n) {
        assert.equal(r.kind === 'closed' && r.projection.target, -12_000_000n * MOLT);
        assert.equal(r.kind === 'closed' && r.projection.annualEmission, 41_942_880n * MOLT);
      }
      last = r.kind === 'closed' ? r.burnRateBps : null;
    }
    assert.equal(last, 500n);
  });

  it('projects with the effective (damped) rate', () => {
    const s = newBurn({ circulatingSupply: SUPPLY });
    s.damperWad = WAD / 2n; // as if a damper change had taken effect
    assert.equal(effectiveBurnBps(s), 1_500n);
    recordFeeVolume(s, { splitFees: 191_520n * MOLT, fixedBurn: 0n }); // balances at 30 %, not 15 %
    const r = closeAt(s, 1n);
    assert.equal(r.kind === 'closed' && r.projection.annualBurn, 41_942_880n * MOLT);
    assert.equal(r.kind === 'closed' && r.step, 'up');
  });

  it('closes once per period; a no-op inside it; one step however many periods were skipped', () => {
    const s = newBurn({ circulatingSupply: SUPPLY });
    const at = (slot: bigint) =>
      closeBurnPeriod(s, { slot, circulatingSupply: SUPPLY, pohHash: HASH }).kind;
    assert.equal(at(0n), 'notDue');
    assert.equal(at(53_999n), 'notDue');
    assert.equal(at(54_000n), 'closed');
    assert.equal(at(54_001n), 'notDue');
    assert.equal(at(10n * 54_000n + 5n), 'closed');
    assert.equal(s.burnRateBps, 3_200n);
    assert.equal(s.period, 10n);
    assert.equal(s.feeWindow.at(-1)?.slots, 9n * 54_000n + 5n);
  });
});

describe('§11.4 damper', () => {
  it(`k = ${DAMPER_K_WAD / WAD}: damper(3 %) = 0.5, (5 %) ≈ 0.27 (−73 %), (8 %) ≈ 0.076 (−92 %)`, () => {
    const k = DAMPER_K_WAD / WAD;
    const ULP = 10n ** 42n; // 10^60 reference scale / WAD
    for (const [bps, approx] of [
      [300n, 500_000_000_000_000_000n],
      [500n, 268_941_421_369_995_120n],
      [800n, 75_858_180_021_243_551n],
      [0n, 817_574_476_193_643_659n],
      [200n, 622_459_331_201_854_564n],
      [-2_000n, 999_989_870_009_019_126n],
    ] as const) {
      const r = damperWad(bps * 10n ** 14n);
      const d = damperRef(bps, k) - r * ULP;
      assert.ok(d > -ULP && d < ULP, `damper(${bps} bps) = ${r}`);
      assert.equal(r, approx);
    }
    assert.equal(damperWad(10n ** 30n), 0n); // saturates, never throws
    assert.equal(damperWad(-(10n ** 30n)), WAD - 1n);
  });

  it("the paper's k = 10 cannot give its stated ~70 % / ~95 % cuts; k = 50 is within 3 pp of both", () => {
    const cutPct = (k: bigint, dBps: bigint) =>
      Number(
        (100n * (WAD - sigmoidWad(mulWad(k * WAD, dBps * 10n ** 14n - 3n * 10n ** 16n)))) / WAD,
      );
    assert.deepEqual([cutPct(10n, 500n), cutPct(10n, 800n)], [54, 62]); // 54.98 %, 62.25 %
    assert.deepEqual([cutPct(50n, 500n), cutPct(50n, 800n)], [73, 92]); // 73.1 %, 92.4 %
    assert.ok(Math.abs(cutPct(50n, 500n) - 70) <= 3 && Math.abs(cutPct(50n, 800n) - 95) <= 3);
  });

  it('delay = SHA-256(tag ‖ PoH hash)[0..8] mod 5 + 1: in 1..5, deterministic, all values occur', () => {
    const seen = new Set<bigint>();
    for (let i = 0; i < 200; i++) {
      const h = hashOf(i);
      const d = damperDelayPeriods(h);
      const ref =
        (createHash('sha256').update(DAMPER_DELAY_TAG).update(h).digest().readBigUInt64BE(0) % 5n) +
        1n;
      assert.equal(d, ref);
      assert.equal(damperDelayPeriods(Uint8Array.from(h)), d);
      seen.add(d);
    }
    assert.deepEqual([...seen].sort(), [1n, 2n, 3n, 4n, 5n]);
    assert.throws(() => damperDelayPeriods(new Uint8Array(31)), RangeError);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (h) => {
        const d = damperDelayPeriods(h);
        assert.ok(d >= 1n && d <= 5n);
      }),
    );
  });

  it('measured deflation: (S_old − S_new) / S_old annualized over the slots between', () => {
    assert.equal(
      measuredDeflationWad([
        { slot: 0n, supply: 1_000_000n * MOLT },
        { slot: 216_000n, supply: 999_000n * MOLT }, // −0.1 % in a day
      ]),
      365n * 10n ** 15n, // 36.5 % a year
    );
    assert.equal(
      measuredDeflationWad([
        { slot: 0n, supply: 1_000n },
        { slot: 78_840_000n, supply: 1_100n },
      ]),
      -WAD / 10n, // 10 % inflation
    );
    assert.equal(measuredDeflationWad([{ slot: 0n, supply: 1n }]), null);
    assert.equal(
      measuredDeflationWad([
        { slot: 0n, supply: 0n },
        { slot: 1n, supply: 1n },
      ]),
      null,
    );
  });

  it('a damper change takes effect after the PoH-drawn delay, not before', () => {
    const start = 584_000_000n * MOLT;
    const s = newBurn({ circulatingSupply: start });
    const delay = damperDelayPeriods(HASH);
    // supply falls by 20,000 MOLT = 1/29,200 of the start per period: 5 % a year
    const supplyAt = (p: bigint) => start - p * 20_000n * MOLT;
    const first = closeAt(s, 1n, supplyAt(1n));
    assert.equal(first.kind === 'closed' && first.deflationWad, 5n * 10n ** 16n);
    const scheduled = first.kind === 'closed' ? first.damperScheduled : null;
    assert.deepEqual(scheduled, {
      effectivePeriod: 1n + delay,
      damperWad: damperWad(5n * 10n ** 16n),
    });
    for (let p = 2n; p < 1n + delay; p++) {
      closeAt(s, p, supplyAt(p));
      assert.equal(s.damperWad, WAD, `period ${p}`);
    }
    const r = closeAt(s, 1n + delay, supplyAt(1n + delay));
    assert.equal(s.damperWad, damperWad(5n * 10n ** 16n));
    // burn_rate rose 1 pp per period meanwhile (year 1, no fees): round(burn_rate × 0.2689)
    assert.equal(s.burnRateBps, 3_000n + (1n + delay) * 100n);
    assert.equal(
      r.kind === 'closed' && r.effectiveBurnRateBps,
      (s.burnRateBps * 268_941_421_369_995_120n + WAD / 2n) / WAD,
    );
    assert.ok(s.pendingDampers.length <= 5);
  });

  it('the last due change wins; changes scheduled before it are dropped as stale', () => {
    const s = newBurn({ slot: 8n * ACI_PERIOD_SLOTS });
    s.pendingDampers.push(
      { effectivePeriod: 10n, damperWad: 1n },
      { effectivePeriod: 9n, damperWad: 2n },
      { effectivePeriod: 12n, damperWad: 3n },
    );
    closeAt(s, 9n);
    assert.equal(s.damperWad, 2n);
    assert.deepEqual(s.pendingDampers, [{ effectivePeriod: 12n, damperWad: 3n }]);
  });

  it('the effective rate rounds to the nearest bps: a damper a hair below 1 keeps 30 %', () => {
    const s = newBurn();
    s.damperWad = WAD - 10n ** 13n;
    assert.equal(effectiveBurnBps(s), 3_000n);
    s.damperWad = damperWad(-2n * 10n ** 17n); // 20 % inflation: 0.99999…
    assert.equal(effectiveBurnBps(s), 3_000n);
    s.damperWad = 0n;
    assert.equal(effectiveBurnBps(s), 0n);
  });
});

describe('dynamic-burn state: canonical encoding, clone, robustness', () => {
  type Op =
    | { readonly fees: bigint; readonly fixed: bigint }
    | { readonly step: bigint; readonly supply: bigint; readonly hash: Uint8Array };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      fees: fc.oneof(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 1n << 70n }),
      ),
      fixed: fc.bigInt({ min: 0n, max: 10n ** 12n }),
    }),
    fc.record({
      step: fc.oneof(
        fc.bigInt({ min: 0n, max: 200_000n }),
        fc.bigInt({ min: 0n, max: 10n * YEAR }),
      ),
      supply: fc.oneof(
        fc.bigInt({ min: SUPPLY - 10n ** 13n, max: SUPPLY }),
        fc.bigInt({ min: 0n, max: 1n << 70n }),
      ),
      hash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    }),
  );
  function run(ops: readonly Op[]): BurnState {
    const s = newBurn({ circulatingSupply: SUPPLY });
    let slot = 0n;
    for (const o of ops) {
      if ('fees' in o) recordFeeVolume(s, { splitFees: o.fees, fixedBurn: o.fixed });
      else {
        slot += o.step;
        closeBurnPeriod(s, { slot, circulatingSupply: o.supply, pohHash: o.hash });
      }
      assert.ok(s.burnRateBps >= 500n && s.burnRateBps <= 5_000n);
      assert.ok(s.damperWad >= 0n && s.damperWad <= WAD);
      assert.ok(effectiveBurnBps(s) <= 5_000n);
      assert.ok(s.pendingDampers.length <= 5 && s.feeWindow.length <= 4);
      assert.ok(s.supplySamples.length <= 5);
    }
    return s;
  }

  it('never throws, stays in bounds, round-trips canonically and deterministically', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const s = run(ops);
        const bytes = encodeBurn(s);
        const back = decodeBurn(bytes);
        assert.deepEqual(back, s);
        assert.deepEqual(encodeBurn(back), bytes);
        assert.deepEqual(encodeBurn(run(ops)), bytes);
      }),
      { numRuns: 200 },
    );
  });

  it('clone is independent', () => {
    const s = newBurn({ circulatingSupply: SUPPLY });
    const before = encodeBurn(s);
    const c = cloneBurn(s);
    recordFeeVolume(c, { splitFees: 5n, fixedBurn: 5n });
    closeAt(c, 1n, SUPPLY / 2n);
    assert.deepEqual(encodeBurn(s), before);
    assert.notDeepEqual(encodeBurn(c), before);
  });

  it('decoding rejects malformed bytes with RangeError', () => {
    const s = newBurn({ circulatingSupply: SUPPLY });
    closeAt(s, 1n, SUPPLY - 10n ** 12n);
    const good = encodeBurn(s);
    assert.ok(s.pendingDampers.length === 1);
    const patched = (at: number, bytes: number[]) => {
      const b = Uint8Array.from(good);
      b.set(bytes, at);
      return b;
    };
    const u64 = (v: bigint) => [...Buffer.from(v.toString(16).padStart(16, '0'), 'hex')];
    const bad: Uint8Array[] = [
      new Uint8Array(0),
      patched(0, [2]), // version
      Uint8Array.from([...good, 0]),
      patched(1 + 16, u64(499n)), // burn rate below 5 %
      patched(1 + 16, u64(5_001n)),
      patched(1 + 24, u64(WAD + 1n)), // damper above 1
      patched(1 + 48, [6]), // 6 pending dampers
      patched(1 + 48 + 1 + 8, u64(WAD + 1n)), // a pending damper above 1
    ];
    for (let cut = 1; cut < good.length; cut++) bad.push(good.subarray(0, cut));
    for (const b of bad)
      assert.throws(() => decodeBurn(b), RangeError, Buffer.from(b).toString('hex'));
    assert.deepEqual(decodeBurn(good), s);
  });

  it('RangeError only on negative inputs, a slot outside u64 or a PoH hash not of 32 bytes', () => {
    const s = newBurn();
    assert.throws(
      () => closeBurnPeriod(s, { slot: 1n, circulatingSupply: 1n, pohHash: new Uint8Array(8) }),
      RangeError,
    );
    assert.throws(
      () => closeBurnPeriod(s, { slot: -1n, circulatingSupply: 1n, pohHash: HASH }),
      RangeError,
    );
    assert.throws(
      () => closeBurnPeriod(s, { slot: 1n, circulatingSupply: -1n, pohHash: HASH }),
      RangeError,
    );
    assert.throws(() => newBurn({ slot: -1n }), RangeError);
    assert.throws(
      () => closeBurnPeriod(s, { slot: 1n << 64n, circulatingSupply: 1n, pohHash: HASH }),
      RangeError,
    );
  });
});
