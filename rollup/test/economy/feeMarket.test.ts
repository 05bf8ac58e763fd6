import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  beginSlot,
  cloneFeeMarket,
  currentBaseFee,
  decodeFeeMarket,
  encodeFeeMarket,
  FEE_MARKET_BYTES,
  type FeeMarketState,
  NO_SLOT,
  newFeeMarket,
  recordTx,
  scaleBaseFee,
} from '../../src/economy/feeMarket.ts';
import {
  BASE_FEE_PRECISION,
  DECREASE_WINDOW_SLOTS,
  INITIAL_BASE_FEE,
  MAX_BASE_FEE,
  MIN_BASE_FEE,
  TARGET_UTILIZATION_DEN,
  TARGET_UTILIZATION_NUM,
} from '../../src/params/feeParams.ts';
import { SLOT_GAS_LIMIT, SLOT_GAS_TARGET, TRANSFER_GAS } from '../../src/params/txParams.ts';

// Hand values below use L = 168,000,000 gas (capacity), T = 84,000,000 (target), α = 1/1000, and
// fees in µMOLT × 10^9 ("scaled"), exactly as docs/economy.md works them out.
const L = SLOT_GAS_LIMIT;
const T = SLOT_GAS_TARGET;
const P = BASE_FEE_PRECISION;
/** Gas of one transaction that alone pushes any slot to the 1.5× cap: factor 1 + 1199/2000. */
const FLOOD = 600n * L;
const µ = (molt: bigint) => molt * P;

/** Opens `slot` and records `gases` in it. */
function slotWith(s: FeeMarketState, slot: number, ...gases: bigint[]): void {
  beginSlot(s, slot);
  for (const g of gases) recordTx(s, g);
}

/** floor(v × num / den), the rounding of every decrease (reference arithmetic, not the module). */
const floorMul = (v: bigint, num: bigint, den: bigint) => (v * num) / den;

describe('fee market parameters', () => {
  it('the target is half the capacity and equals txParams SLOT_GAS_TARGET', () => {
    assert.equal(L, 168_000_000n);
    assert.equal((L * TARGET_UTILIZATION_NUM) / TARGET_UTILIZATION_DEN, T);
    assert.equal(T, 84_000_000n);
  });

  it('genesis B is 0.10 MOLT = 100,000 µMOLT and the scaled bounds fit the 16-byte fields', () => {
    assert.equal(INITIAL_BASE_FEE, 100_000n);
    assert.ok(MIN_BASE_FEE >= 1n);
    assert.ok(MAX_BASE_FEE * P < 1n << 128n);
    const s = newFeeMarket();
    assert.equal(currentBaseFee(s), 100_000n);
    assert.equal(s.baseFeeScaled, 100_000_000_000_000n);
    assert.equal(s.slot, NO_SLOT);
    assert.throws(() => newFeeMarket(0n), RangeError);
    assert.throws(() => newFeeMarket(MAX_BASE_FEE + 1n), RangeError);
  });
});

describe('§10.5 per-transaction increase', () => {
  it('B rises by α(u − 1/2) per transaction once the slot is past half its capacity', () => {
    const s = newFeeMarket();
    slotWith(s, 1, T); // u = 1/2 exactly: unchanged
    assert.equal(s.baseFeeScaled, µ(100_000n));
    recordTx(s, L / 4n); // u = 3/4: × (1 + 1/4000)
    assert.equal(s.baseFeeScaled, µ(100_025n));
    recordTx(s, L / 4n); // u = 1: × (1 + 1/2000) → 100,075.0125
    assert.equal(s.baseFeeScaled, 100_075_012_500_000n);
    assert.equal(currentBaseFee(s), 100_075n); // charged: rounded down to whole µMOLT
  });

  it('transactions at or below target never move B within the slot', () => {
    const s = newFeeMarket();
    beginSlot(s, 1);
    for (let i = 0; i < 100; i++) recordTx(s, T / 100n);
    recordTx(s, 0n);
    assert.equal(s.slotGas, T);
    assert.equal(s.baseFeeScaled, µ(100_000n));
  });

  it('increases round up, so B rises even at the 1 µMOLT floor', () => {
    // one gas past target: α(u − 1/2) = (2(T + 1) − L) / (2000 L) = 1/168,000,000,000
    const s = newFeeMarket(1n);
    slotWith(s, 1, T + 1n);
    assert.equal((P * 2n) / (2_000n * L), 0n); // +0.0059… scaled units: down would be 0
    assert.equal(s.baseFeeScaled, P + 1n);
    // a transfer past target: (2(T + 21,000) − L) / (2000 L) = 1/8,000,000, exact at 10^-9
    const t = newFeeMarket(1n);
    slotWith(t, 1, T, TRANSFER_GAS);
    assert.equal(t.baseFeeScaled, P + 125n);
    assert.equal(currentBaseFee(t), 1n);
  });
});

describe('§10.5 per-slot cap', () => {
  it('B stops at 1.5 × the slot start; later transactions of the slot pay the capped fee', () => {
    const s = newFeeMarket();
    slotWith(s, 1, FLOOD); // 100,000 × 1.5995 = 159,950 → capped at 150,000
    assert.equal(currentBaseFee(s), 150_000n);
    for (let i = 0; i < 10; i++) {
      recordTx(s, TRANSFER_GAS);
      assert.equal(currentBaseFee(s), 150_000n);
    }
  });

  it('overflow pays the next slot’s B: nothing is locked at an earlier slot’s price', () => {
    const s = newFeeMarket();
    slotWith(s, 1, FLOOD); // slot 1 capped at 150,000; a tx that did not fit would have paid it
    assert.equal(currentBaseFee(s), 150_000n);
    slotWith(s, 2, FLOOD); // the new slot's cap: 150,000 × 1.5
    assert.equal(currentBaseFee(s), 225_000n);
    // the overflowed transaction, executed now, pays the current B
    assert.equal(currentBaseFee(s), 225_000n);
    // and after a quiet slot its fee follows B down as well: slot 3 empty, spike unwound
    beginSlot(s, 3);
    beginSlot(s, 4); // unwind (225,000 − 100,000)/2 → 162,500, then × 29/30
    assert.equal(s.baseFeeScaled, floorMul(µ(162_500n), 29n, 30n));
    assert.equal(currentBaseFee(s), 157_083n);
  });
});

describe('§10.5 decrease smoothing (10-slot rolling average)', () => {
  it('one empty slot lowers B by 1/30 at each of the next 10 boundaries, then stops', () => {
    const s = newFeeMarket();
    beginSlot(s, 1); // empty: asks for 1/3, spread over 10 boundaries
    let expected = µ(100_000n);
    for (let slot = 2; slot <= 11; slot++) {
      slotWith(s, slot, T); // slots 2.. at target: they ask for nothing
      expected = floorMul(expected, 29n, 30n);
      assert.equal(s.baseFeeScaled, expected, `slot ${slot}`);
    }
    assert.equal(currentBaseFee(s), 71_247n); // (29/30)^10 = 0.71247…
    beginSlot(s, 12); // slot 1 left the window
    assert.equal(s.baseFeeScaled, expected);
    assert.equal(s.baseFeeScaled, 71_247_139_375_804n);
  });

  it('a half-empty slot asks for half as much: × 59/60 at the next boundary', () => {
    const s = newFeeMarket();
    slotWith(s, 1, T / 2n);
    beginSlot(s, 2);
    assert.equal(s.baseFeeScaled, floorMul(µ(100_000n), 59n, 60n));
    assert.equal(currentBaseFee(s), 98_333n);
  });

  it('sustained empty slots: boundary k lowers by k/30 until the window is full, then 1/3', () => {
    const s = newFeeMarket();
    beginSlot(s, 1);
    let expected = µ(100_000n);
    for (let k = 1n; k <= 12n; k++) {
      beginSlot(s, Number(k) + 1);
      const inWindow = k < 10n ? k : 10n;
      expected = floorMul(expected, 30n - inWindow, 30n);
      assert.equal(s.baseFeeScaled, expected, `boundary ${k}`);
    }
    // (29·28·…·20)/30^10 = 0.12309… after ten boundaries, then × 2/3 per slot
    assert.equal(currentBaseFee(s), 5_470n);
  });

  it('B never falls within a slot, even while a decrease is pending', () => {
    const s = newFeeMarket();
    beginSlot(s, 1);
    beginSlot(s, 2); // slot 1 empty: decreases pending for 9 more boundaries
    const start = s.baseFeeScaled;
    for (let i = 0; i < 50; i++) {
      const before = s.baseFeeScaled;
      recordTx(s, TRANSFER_GAS * 100n);
      assert.ok(s.baseFeeScaled >= before);
    }
    assert.ok(s.baseFeeScaled > start);
  });

  it('never below the floor', () => {
    const s = newFeeMarket(2n);
    for (let slot = 1; slot <= 40; slot++) beginSlot(s, slot);
    assert.equal(s.baseFeeScaled, MIN_BASE_FEE * P);
    assert.equal(currentBaseFee(s), MIN_BASE_FEE);
  });
});

describe('§10.5 fee revert heuristic', () => {
  it('a slot below target right after a spike unwinds half of it, then smoothing applies', () => {
    const s = newFeeMarket();
    slotWith(s, 1, FLOOD); // spike: 100,000 → 150,000 (+50 % ≥ 25 %)
    beginSlot(s, 2); // closes slot 1: over target, no decrease
    assert.equal(currentBaseFee(s), 150_000n);
    assert.deepEqual(s.spike, { slot: 1, beforeScaled: µ(100_000n), peakScaled: µ(150_000n) });
    beginSlot(s, 3); // slot 2 empty: 150,000 − 25,000 = 125,000, then × 29/30
    assert.equal(s.baseFeeScaled, floorMul(µ(125_000n), 29n, 30n));
    assert.equal(currentBaseFee(s), 120_833n);
    assert.equal(s.spike, null);
  });

  it('at most once per spike', () => {
    const s = newFeeMarket();
    slotWith(s, 1, FLOOD);
    beginSlot(s, 2);
    beginSlot(s, 3); // unwound here
    const afterUnwind = s.baseFeeScaled;
    beginSlot(s, 4); // slot 3 empty too: only smoothing (two empty slots in the window)
    assert.equal(s.baseFeeScaled, floorMul(afterUnwind, 28n, 30n));
  });

  it('the window is 5 slot numbers: skipped slots count, slots at target only age the spike', () => {
    const dipAt = (slot: number, fillBetween: boolean): bigint => {
      const s = newFeeMarket();
      slotWith(s, 1, FLOOD);
      if (fillBetween) for (let k = 2; k < slot; k++) slotWith(s, k, T);
      beginSlot(s, slot); // empty
      beginSlot(s, slot + 1);
      return currentBaseFee(s);
    };
    const unwound = 120_833n; // (150,000 − 25,000) × 29/30
    const kept = 145_000n; // 150,000 × 29/30
    assert.equal(dipAt(6, false), unwound); // slots 2-5 skipped: 6 − 1 = 5
    assert.equal(dipAt(7, false), kept); // 7 − 1 = 6: the spike expired
    assert.equal(dipAt(6, true), unwound);
    assert.equal(dipAt(7, true), kept);
  });

  it('consecutive spikes form one spike from the first start to the highest peak', () => {
    const s = newFeeMarket();
    slotWith(s, 1, FLOOD); // 100,000 → 150,000
    slotWith(s, 2, FLOOD); // 150,000 → 225,000
    beginSlot(s, 3);
    assert.deepEqual(s.spike, { slot: 2, beforeScaled: µ(100_000n), peakScaled: µ(225_000n) });
    beginSlot(s, 4); // 225,000 − 62,500 = 162,500, then × 29/30
    assert.equal(s.baseFeeScaled, 157_083_333_333_333n);
  });

  it('the peak is the highest slot end of the spike, not the last', () => {
    const s = newFeeMarket();
    for (let slot = 0; slot <= 6; slot++) beginSlot(s, slot); // 7 empty slots in the window
    slotWith(s, 7, FLOOD);
    const start = s.slotStartScaled;
    const peak = floorMul(start, 3n, 2n);
    assert.equal(s.baseFeeScaled, peak);
    slotWith(s, 8, 250n * L + L / 2n); // × 23/30 at the boundary, then × 5/4: a spike again
    const low = floorMul(peak, 23n, 30n);
    assert.equal(s.slotStartScaled, low);
    const end = (low * 5n + 3n) / 4n; // rounded up
    assert.equal(s.baseFeeScaled, end);
    assert.ok(end < peak);
    beginSlot(s, 9);
    assert.deepEqual(s.spike, { slot: 8, beforeScaled: start, peakScaled: peak });
  });

  it('a spike is a rise of at least 25 % within the slot', () => {
    // one tx with u − 1/2 = 250: × (1 + 250/1000) = 5/4 exactly
    const at = newFeeMarket();
    slotWith(at, 1, 250n * L + L / 2n);
    assert.equal(at.baseFeeScaled, µ(125_000n));
    beginSlot(at, 2);
    assert.deepEqual(at.spike, { slot: 1, beforeScaled: µ(100_000n), peakScaled: µ(125_000n) });
    // one gas less: × (5/4 − 1/(1000 L)), rounded up, is 595 scaled units short of +25 %
    const below = newFeeMarket();
    slotWith(below, 1, 250n * L + L / 2n - 1n);
    assert.equal(below.baseFeeScaled, µ(125_000n) - 595n);
    beginSlot(below, 2);
    assert.equal(below.spike, null);
  });

  it('the unwind stops at the spike’s start and never raises B', () => {
    // Ten empty slots fill the window with deficits, so smoothing keeps pulling B down after the
    // spike: B_end of the spike slot × 21/30 lands just above the spike's start.
    const s = newFeeMarket();
    for (let slot = 0; slot <= 9; slot++) beginSlot(s, slot);
    beginSlot(s, 10);
    const start = s.baseFeeScaled;
    recordTx(s, FLOOD);
    const peak = floorMul(start, 3n, 2n);
    assert.equal(s.baseFeeScaled, peak);
    const clone = cloneFeeMarket(s);

    beginSlot(s, 11); // window: 9 empty slots + slot 10 → × 21/30
    assert.equal(s.baseFeeScaled, floorMul(peak, 21n, 30n));
    beginSlot(s, 12); // slot 11 empty: unwind (peak − start)/2 > room → B = start, then × 21/30
    assert.equal(s.baseFeeScaled, floorMul(start, 21n, 30n));

    slotWith(clone, 11, T); // slot 11 at target
    beginSlot(clone, 12); // × 22/30: now below the spike's start
    const low = floorMul(floorMul(peak, 21n, 30n), 22n, 30n);
    assert.equal(clone.baseFeeScaled, low);
    assert.ok(low < start);
    assert.notEqual(clone.spike, null);
    beginSlot(clone, 13); // slot 12 empty: the spike is consumed, B is not raised to its start
    assert.equal(clone.spike, null);
    assert.equal(clone.baseFeeScaled, floorMul(low, 22n, 30n));
  });
});

describe('the docs/economy.md timeline', () => {
  it('reproduces every figure of the worked example', () => {
    const s = newFeeMarket();
    slotWith(s, 1, FLOOD);
    assert.equal(s.baseFeeScaled, µ(150_000n));
    slotWith(s, 2, FLOOD);
    assert.equal(s.slotStartScaled, µ(150_000n));
    assert.equal(s.baseFeeScaled, µ(225_000n));
    slotWith(s, 3, T / 2n);
    assert.deepEqual(s.spike, { slot: 2, beforeScaled: µ(100_000n), peakScaled: µ(225_000n) });
    slotWith(s, 4, T); // 225,000 − 62,500 = 162,500, × 59/60
    assert.equal(s.slotStartScaled, 159_791_666_666_666n);
    assert.equal(s.spike, null);
    recordTx(s, L / 8n); // u = 5/8: × 8001/8000, rounded up
    assert.equal(s.baseFeeScaled, 159_811_640_625_000n);
    beginSlot(s, 10); // slot 3's half deficit still in the window: × 59/60
    assert.equal(s.baseFeeScaled, 157_148_113_281_250n);
    beginSlot(s, 11); // slot 10 empty: × (1 − 1.5/30)
    assert.equal(s.baseFeeScaled, 149_290_707_617_187n);
    assert.equal(currentBaseFee(s), 149_290n);
  });
});

describe('§10.6 ACI scaling', () => {
  it('scales B, the slot start and the armed spike, so the unwind stays consistent', () => {
    const s = newFeeMarket();
    slotWith(s, 1, FLOOD);
    beginSlot(s, 2);
    scaleBaseFee(s, 9n, 10n);
    assert.equal(currentBaseFee(s), 135_000n);
    assert.deepEqual(s.spike, { slot: 1, beforeScaled: µ(90_000n), peakScaled: µ(135_000n) });
    beginSlot(s, 3); // 135,000 − (135,000 − 90,000)/2 = 112,500, then × 29/30
    assert.equal(s.baseFeeScaled, µ(108_750n));
  });

  it('mid-slot, the cap scales with the slot start', () => {
    const s = newFeeMarket();
    slotWith(s, 1, T + L / 4n); // 100,025
    scaleBaseFee(s, 11n, 10n);
    assert.equal(s.slotStartScaled, µ(110_000n));
    assert.equal(s.baseFeeScaled, 110_027_500_000_000n);
    recordTx(s, FLOOD);
    assert.equal(currentBaseFee(s), 165_000n);
  });

  it('stays within the floor and the ceiling, and rejects a non-positive ratio', () => {
    const low = newFeeMarket(1n);
    scaleBaseFee(low, 9n, 10n);
    assert.equal(low.baseFeeScaled, P);
    const high = newFeeMarket(MAX_BASE_FEE);
    scaleBaseFee(high, 11n, 10n);
    assert.equal(currentBaseFee(high), MAX_BASE_FEE);
    assert.throws(() => scaleBaseFee(low, 0n, 10n), RangeError);
    assert.throws(() => scaleBaseFee(low, 1n, 0n), RangeError);
    assert.throws(() => scaleBaseFee(low, -1n, -1n), RangeError);
  });
});

describe('slot gaps', () => {
  it('skipped slots leave B and the smoothing window alone', () => {
    const a = newFeeMarket();
    const b = newFeeMarket();
    slotWith(a, 1, T / 2n);
    slotWith(b, 1, T / 2n);
    beginSlot(a, 2);
    beginSlot(b, 1_000_000);
    assert.equal(a.baseFeeScaled, floorMul(µ(100_000n), 59n, 60n)); // one boundary, not 999,999
    assert.equal(b.baseFeeScaled, a.baseFeeScaled);
    assert.deepEqual(b.deficits, a.deficits);
    beginSlot(b, Number.MAX_SAFE_INTEGER); // the last slot there is
    assert.equal(b.slot, Number.MAX_SAFE_INTEGER);
  });

  it('the first slot may be any slot; slots must increase', () => {
    const s = newFeeMarket();
    assert.throws(() => recordTx(s, 1n), RangeError); // no slot open
    beginSlot(s, 5);
    assert.throws(() => beginSlot(s, 5), RangeError);
    assert.throws(() => beginSlot(s, 4), RangeError);
    assert.throws(() => beginSlot(s, 6.5), RangeError);
    assert.throws(() => beginSlot(s, Number.MAX_SAFE_INTEGER + 1), RangeError);
    assert.throws(() => recordTx(s, -1n), RangeError);
    assert.equal(s.slot, 5);
  });

  it('clone is independent', () => {
    const s = newFeeMarket();
    slotWith(s, 1, FLOOD);
    beginSlot(s, 2);
    const c = cloneFeeMarket(s);
    beginSlot(s, 3);
    scaleBaseFee(s, 11n, 10n);
    assert.equal(c.baseFeeScaled, µ(150_000n));
    assert.equal(c.deficits[DECREASE_WINDOW_SLOTS - 1], 0n);
    assert.notEqual(c.spike, null);
    assert.equal(c.spike?.peakScaled, µ(150_000n));
  });
});

describe('encoding', () => {
  it('has a fixed 171-byte layout', () => {
    const s = newFeeMarket();
    const bytes = encodeFeeMarket(s);
    assert.equal(bytes.length, FEE_MARKET_BYTES);
    assert.equal(FEE_MARKET_BYTES, 171);
    const hex = Buffer.from(bytes).toString('hex');
    // version 1, no slot, B = 10^14 = 0x5af3107a4000 as u128, twice
    assert.equal(hex.slice(0, 20), `01${'00'.repeat(9)}`);
    const b = `${'0'.repeat(20)}5af3107a4000`;
    assert.equal(hex.slice(20, 84), b + b);
    assert.equal(hex.slice(84), '00'.repeat(171 - 42));

    slotWith(s, 1, FLOOD);
    beginSlot(s, 2);
    const spiked = encodeFeeMarket(s);
    assert.deepEqual(decodeFeeMarket(spiked), s);
    assert.equal(spiked[1], 1);
    assert.equal(spiked[FEE_MARKET_BYTES - 41], 1); // has-spike tag
  });

  it('decode rejects truncated, extended and malformed bytes with RangeError', () => {
    const s = newFeeMarket();
    slotWith(s, 1, FLOOD);
    beginSlot(s, 2); // B = slot start = 150,000; spike of slot 1 armed
    const good = encodeFeeMarket(s);
    assert.deepEqual(decodeFeeMarket(good), s);
    const u128 = (b: Uint8Array, at: number, v: bigint) => {
      for (let i = 15; i >= 0; i--) b[at + i] = Number((v >> BigInt(8 * (15 - i))) & 0xffn);
      return b;
    };
    const byte = (at: number, v: number) => (b: Uint8Array) => {
      b[at] = v;
      return b;
    };
    const bad = (why: string, mutate: (b: Uint8Array) => Uint8Array, from = good) => {
      const b = from.slice();
      assert.throws(() => decodeFeeMarket(mutate(b)), RangeError, why);
    };
    // layout: 0 version | 1 slot tag | 2 slot | 10 B | 26 start | 42 gas | 50 deficits |
    // 130 spike tag | 131 spike slot | 139 before | 155 peak
    bad('truncated', (b) => b.subarray(0, b.length - 1));
    bad('extended', () => new Uint8Array([...good, 0]));
    bad('empty', () => new Uint8Array(0));
    bad('version', byte(0, 2));
    bad('slot tag', byte(1, 2));
    bad('absent slot with a value', byte(1, 0));
    bad('slot beyond 2^53', byte(2, 0xff));
    bad('B = 0', (b) => u128(b, 10, 0n));
    bad('B above the ceiling', (b) => u128(b, 10, (MAX_BASE_FEE + 1n) * P));
    bad('B below the slot start', (b) => u128(b, 10, µ(150_000n) - 1n));
    bad('B above the slot cap', (b) => u128(b, 10, µ(225_000n) + 1n));
    bad('deficit above target', byte(50, 0xff));
    bad('spike tag', byte(130, 2));
    bad('absent spike with values', byte(130, 0));
    bad('spike as old as the slot', byte(138, 2));
    bad('spike older than the window', byte(9, 7));
    bad('spike peak below its start', (b) => u128(b, 155, µ(100_000n) - 1n));
    bad('spike peak 0', (b) => b.fill(0, 155));
    // before the first slot: no gas, no spike, B = start, no deficits
    const fresh = encodeFeeMarket(newFeeMarket());
    bad('gas before the first slot', byte(49, 1), fresh);
    bad('deficit before the first slot', byte(57, 1), fresh);
    bad('B ≠ start before the first slot', (b) => u128(b, 10, µ(100_001n)), fresh);
    // the boundaries themselves are valid
    const edge = good.slice();
    u128(edge, 10, µ(225_000n));
    assert.equal(decodeFeeMarket(edge).baseFeeScaled, µ(225_000n));
  });
});

// ------------------------------------------------------------------ properties

type Op =
  | { readonly kind: 'tx'; readonly gas: bigint }
  | { readonly kind: 'slot'; readonly gap: number }
  | { readonly kind: 'scale'; readonly num: bigint; readonly den: bigint };

const gasArb = fc.oneof(
  fc.constant(0n),
  fc.constantFrom(TRANSFER_GAS, T, L, FLOOD),
  fc.bigInt({ min: 0n, max: L }),
  fc.bigInt({ min: 0n, max: 1n << 80n }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: gasArb.map((gas) => ({ kind: 'tx', gas }) as const) },
  {
    weight: 3,
    arbitrary: fc
      .oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 ** 40 }))
      .map((gap) => ({ kind: 'slot', gap }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom([9n, 10n], [11n, 10n]),
        fc.tuple(fc.bigInt({ min: 1n, max: 1n << 70n }), fc.bigInt({ min: 1n, max: 1n << 70n })),
      )
      .map(([num, den]) => ({ kind: 'scale', num, den }) as const),
  },
);
const initialArb = fc.oneof(
  fc.constant(INITIAL_BASE_FEE),
  fc.bigInt({ min: MIN_BASE_FEE, max: 1_000n }),
  fc.bigInt({ min: MIN_BASE_FEE, max: MAX_BASE_FEE }),
);

/** Runs `ops` (a first slot is always begun), calling `check` after each. */
function run(
  initial: bigint,
  ops: readonly Op[],
  check: (s: FeeMarketState, op: Op | null, prev: FeeMarketState) => void = () => {},
): FeeMarketState {
  const s = newFeeMarket(initial);
  beginSlot(s, 0);
  for (const op of ops) {
    const prev = cloneFeeMarket(s);
    if (op.kind === 'tx') recordTx(s, op.gas);
    else if (op.kind === 'scale') scaleBaseFee(s, op.num, op.den);
    else beginSlot(s, Math.min(s.slot + op.gap, Number.MAX_SAFE_INTEGER - 1) + 1);
    check(s, op, prev);
  }
  return s;
}

describe('fee market properties', () => {
  it('no sequence of gas values, slot gaps and scalings throws; B stays in [floor, ceiling]', () => {
    fc.assert(
      fc.property(initialArb, fc.array(opArb, { maxLength: 80 }), (initial, ops) => {
        run(initial, ops, (s, op, prev) => {
          assert.ok(s.baseFeeScaled >= MIN_BASE_FEE * P && s.baseFeeScaled <= MAX_BASE_FEE * P);
          const b = currentBaseFee(s);
          assert.ok(b >= MIN_BASE_FEE && b <= MAX_BASE_FEE);
          // a slot boundary only ever lowers B (smoothing, unwind)
          if (op?.kind === 'slot') assert.ok(s.baseFeeScaled <= prev.baseFeeScaled);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('within a slot B is non-decreasing and at most 1.5 × the slot start', () => {
    fc.assert(
      fc.property(initialArb, fc.array(opArb, { maxLength: 80 }), (initial, ops) => {
        run(initial, ops, (s, op, prev) => {
          if (op?.kind !== 'tx') return;
          assert.equal(s.slotStartScaled, prev.slotStartScaled);
          assert.ok(s.baseFeeScaled >= prev.baseFeeScaled);
          assert.ok(currentBaseFee(s) >= currentBaseFee(prev));
          assert.ok(2n * s.baseFeeScaled <= 3n * s.slotStartScaled);
          // the charged, whole-µMOLT fee as well: B ≤ 1.5 × start in exact rationals
          assert.ok(2n * currentBaseFee(s) * P <= 3n * s.slotStartScaled);
          // B = ⌈B_prev × (1 + α(u − 1/2))⌉ unless capped, u = G / L (exact rationals)
          const g = prev.slotGas + op.gas;
          const excess = 2n * (g < 1n << 64n ? g : (1n << 64n) - 1n) - L;
          const d = 2_000n * L;
          const exact = prev.baseFeeScaled * (d + (excess > 0n ? excess : 0n));
          const cap = (3n * s.slotStartScaled) / 2n;
          assert.ok((s.baseFeeScaled - 1n) * d < exact); // never above the rounded-up value
          if (s.baseFeeScaled !== cap && s.baseFeeScaled !== MAX_BASE_FEE * P)
            assert.ok(s.baseFeeScaled * d >= exact); // and exactly it when not capped
        });
      }),
      { numRuns: 300 },
    );
  });

  it('slots exactly at target, however split and spaced, leave B unchanged (no drift)', () => {
    const slotArb = fc.record({
      gap: fc.integer({ min: 1, max: 1_000 }),
      cuts: fc.array(fc.bigInt({ min: 0n, max: T }), { maxLength: 20 }),
    });
    fc.assert(
      fc.property(initialArb, fc.array(slotArb, { maxLength: 30 }), (initial, slots) => {
        const s = newFeeMarket(initial);
        let slot = 0;
        for (const { gap, cuts } of slots) {
          slot += gap;
          beginSlot(s, slot);
          // split T into transactions at the sorted cut points
          const points = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          let at = 0n;
          for (const p of [...points, T]) {
            recordTx(s, p - at);
            at = p;
          }
          assert.equal(s.slotGas, T);
        }
        beginSlot(s, slot + 1);
        assert.equal(s.baseFeeScaled, initial * P);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic: the same sequence twice gives the same encoded state', () => {
    fc.assert(
      fc.property(initialArb, fc.array(opArb, { maxLength: 80 }), (initial, ops) => {
        const a = encodeFeeMarket(run(initial, ops));
        const b = encodeFeeMarket(run(initial, ops));
        assert.deepEqual(a, b);
      }),
      { numRuns: 200 },
    );
  });

  it('encode/decode round-trips every reachable state', () => {
    fc.assert(
      fc.property(initialArb, fc.array(opArb, { maxLength: 80 }), (initial, ops) => {
        run(initial, ops, (s) => {
          const bytes = encodeFeeMarket(s);
          assert.equal(bytes.length, FEE_MARKET_BYTES);
          const back = decodeFeeMarket(bytes);
          assert.deepEqual(back, s);
          assert.deepEqual(encodeFeeMarket(back), bytes);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('decode answers garbage, truncations and extensions with RangeError only', () => {
    const valid = fc
      .tuple(initialArb, fc.array(opArb, { maxLength: 30 }))
      .map(([initial, ops]) => encodeFeeMarket(run(initial, ops)));
    const mutated = fc.oneof(
      fc.uint8Array({ maxLength: 2 * FEE_MARKET_BYTES }),
      fc.uint8Array({ minLength: FEE_MARKET_BYTES, maxLength: FEE_MARKET_BYTES }),
      fc.tuple(valid, fc.nat(FEE_MARKET_BYTES - 1)).map(([b, n]) => b.subarray(0, n)),
      fc
        .tuple(valid, fc.uint8Array({ minLength: 1, maxLength: 8 }))
        .map(([b, extra]) => new Uint8Array([...b, ...extra])),
      fc
        .tuple(valid, fc.nat(FEE_MARKET_BYTES - 1), fc.integer({ min: 1, max: 255 }))
        .map(([b, i, x]) => {
          const c = b.slice();
          c[i] = (c[i] ?? 0) ^ x;
          return c;
        }),
    );
    fc.assert(
      fc.property(mutated, (bytes) => {
        try {
          const s = decodeFeeMarket(bytes);
          // accepted: must be canonical
          assert.deepEqual(encodeFeeMarket(s), bytes);
        } catch (e) {
          assert.ok(e instanceof RangeError, String(e));
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
