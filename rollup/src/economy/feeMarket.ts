import { ByteReader } from '../codec/byteReader.ts';
import { ByteWriter } from '../codec/byteWriter.ts';
import { CodecError } from '../codec/codecError.ts';
import {
  BASE_FEE_PRECISION,
  DECREASE_WINDOW_SLOTS,
  FEE_ALPHA_DEN,
  FEE_ALPHA_NUM,
  INITIAL_BASE_FEE,
  MAX_BASE_FEE,
  MAX_SLOT_DECREASE_DEN,
  MAX_SLOT_DECREASE_NUM,
  MIN_BASE_FEE,
  REVERT_UNWIND_DEN,
  REVERT_UNWIND_NUM,
  REVERT_WINDOW_SLOTS,
  SLOT_INCREASE_CAP_DEN,
  SLOT_INCREASE_CAP_NUM,
  SPIKE_THRESHOLD_DEN,
  SPIKE_THRESHOLD_NUM,
  TARGET_UTILIZATION_DEN,
  TARGET_UTILIZATION_NUM,
} from '../params/feeParams.ts';
import { SLOT_GAS_LIMIT, U64_MAX } from '../params/txParams.ts';

/**
 * The shard's fee market (§10.5): one dynamic price, the base fee B — the current fee of creating
 * a post in µMOLT; the state machine charges every action a fixed ratio of it. Pure and
 * deterministic: bigint only, no clock, no randomness (STYLE.md "Numbers in consensus"). The
 * exact rules, with worked numbers, are in docs/economy.md; in short:
 *
 * - Utilization u = cumulative gas of the slot / SLOT_GAS_LIMIT; target 1/2 (= SLOT_GAS_TARGET).
 * - Increases, per transaction: while u > target, B ← ⌈B × (1 + α(u − target))⌉, capped at
 *   1.5 × the slot's starting B. Within a slot B never falls.
 * - Decreases, per slot boundary: a slot with gas G < target asks for a decrease of
 *   (1/3)(target − G)/target; at each boundary B is lowered by the mean of what the last 10 slots
 *   with a block asked for.
 * - Revert: a slot below target at most 5 slots after a spike (a slot whose B rose ≥ 25 %) unwinds
 *   half of the spike's increase, once.
 * - Skipped slots (no block) change nothing but count as time for the revert window.
 *
 * B is kept at BASE_FEE_PRECISION (10^-9 µMOLT) so that the tiny per-transaction steps survive
 * rounding at any B; `currentBaseFee` is the whole-µMOLT fee charged.
 */

/** `FeeMarketState.slot` before the first `beginSlot`. */
export const NO_SLOT = -1;

/** The spike the revert heuristic may still unwind (§10.5). Fees in 10^-9 µMOLT. */
export interface FeeSpike {
  /** The spike's last slot; the unwind window runs to slot + REVERT_WINDOW_SLOTS. */
  slot: number;
  /** B at the start of the spike's first slot. */
  beforeScaled: bigint;
  /** Highest B at the end of a slot of the spike. */
  peakScaled: bigint;
}

/** All fee values are µMOLT × BASE_FEE_PRECISION. Mutated in place, like the state machine's. */
export interface FeeMarketState {
  /** B, the base fee the next transaction pays (rounded down to µMOLT by `currentBaseFee`). */
  baseFeeScaled: bigint;
  /** The slot transactions are being recorded in; NO_SLOT before the first `beginSlot`. */
  slot: number;
  /** B when `slot` began: the reference of the per-slot cap and of spike detection. */
  slotStartScaled: bigint;
  /** Gas recorded in `slot` (saturates at 2^64 − 1, where B is at the cap whatever it is). */
  slotGas: bigint;
  /**
   * target − min(G, target) for each of the last DECREASE_WINDOW_SLOTS slots that had a block,
   * oldest first (0 for a slot at or above target). Gas, so independent of B and of the ACI.
   */
  deficits: bigint[];
  /** The spike still within its revert window, if any. */
  spike: FeeSpike | null;
}

const P = BASE_FEE_PRECISION;
const MIN_SCALED = MIN_BASE_FEE * P;
const MAX_SCALED = MAX_BASE_FEE * P;
/** §10.5 target as gas: SLOT_GAS_LIMIT × 1/2 = SLOT_GAS_TARGET. */
const TARGET_GAS = (SLOT_GAS_LIMIT * TARGET_UTILIZATION_NUM) / TARGET_UTILIZATION_DEN;
/** Denominator of α(u − target) = α_num (G·t_den − t_num·L) / (α_den · L · t_den). */
const STEP_DEN = FEE_ALPHA_DEN * SLOT_GAS_LIMIT * TARGET_UTILIZATION_DEN;
/** Denominator of the mean decrease: window × max_den × target gas. */
const DECREASE_DEN = BigInt(DECREASE_WINDOW_SLOTS) * MAX_SLOT_DECREASE_DEN * TARGET_GAS;

// Math.min/max do not take bigints.
function minN(a: bigint, b: bigint): bigint {
  if (a < b) return a;
  return b;
}

function maxN(a: bigint, b: bigint): bigint {
  if (a > b) return a;
  return b;
}

function clampN(v: bigint, lo: bigint, hi: bigint): bigint {
  return minN(maxN(v, lo), hi);
}

/** A fee market at `initialBaseFee` µMOLT (§10.2 genesis: 0.10 MOLT). */
export function newFeeMarket(initialBaseFee: bigint = INITIAL_BASE_FEE): FeeMarketState {
  if (initialBaseFee < MIN_BASE_FEE || initialBaseFee > MAX_BASE_FEE)
    throw new RangeError(
      `initial base fee ${initialBaseFee} outside [${MIN_BASE_FEE}, ${MAX_BASE_FEE}]`,
    );
  const b = initialBaseFee * P;
  return {
    baseFeeScaled: b,
    slot: NO_SLOT,
    slotStartScaled: b,
    slotGas: 0n,
    deficits: new Array<bigint>(DECREASE_WINDOW_SLOTS).fill(0n),
    spike: null,
  };
}

export function cloneFeeMarket(s: Readonly<FeeMarketState>): FeeMarketState {
  return {
    baseFeeScaled: s.baseFeeScaled,
    slot: s.slot,
    slotStartScaled: s.slotStartScaled,
    slotGas: s.slotGas,
    deficits: [...s.deficits],
    spike: s.spike === null ? null : { ...s.spike },
  };
}

/** B in whole µMOLT (rounded down): what the next transaction's fee ratio applies to. */
export function currentBaseFee(s: Readonly<FeeMarketState>): bigint {
  return s.baseFeeScaled / P;
}

/** §10.5 per-slot cap: the most B may reach in a slot that started at `startScaled`. */
function slotCap(startScaled: bigint): bigint {
  return minN((startScaled * SLOT_INCREASE_CAP_NUM) / SLOT_INCREASE_CAP_DEN, MAX_SCALED);
}

/**
 * Opens `slot`, which must be after the current one, before its first transaction. Closes the
 * current slot first: revert heuristic, then decrease smoothing (docs/economy.md). Slots
 * between the two had no block: they leave B and the smoothing window alone and only age the
 * spike (the revert window counts slot numbers).
 */
export function beginSlot(s: FeeMarketState, slot: number): void {
  if (!Number.isSafeInteger(slot) || slot < 0) throw new RangeError(`bad slot ${slot}`);
  if (slot <= s.slot) throw new RangeError(`slot ${slot} does not follow slot ${s.slot}`);
  if (s.slot !== NO_SLOT) closeSlot(s);
  if (s.spike !== null && slot - s.spike.slot > REVERT_WINDOW_SLOTS) s.spike = null;
  s.slot = slot;
  s.slotStartScaled = s.baseFeeScaled;
  s.slotGas = 0n;
}

function closeSlot(s: FeeMarketState): void {
  const below = s.slotGas < TARGET_GAS;
  // §10.5 fee revert heuristic. An armed spike is at most REVERT_WINDOW_SLOTS old (beginSlot).
  if (below) {
    if (s.spike !== null) {
      const unwind =
        ((s.spike.peakScaled - s.spike.beforeScaled) * REVERT_UNWIND_NUM) / REVERT_UNWIND_DEN;
      const room = s.baseFeeScaled - s.spike.beforeScaled; // never below the spike's start
      if (room > 0n) s.baseFeeScaled -= minN(unwind, room);
      s.spike = null;
    }
  } else if (
    s.baseFeeScaled * SPIKE_THRESHOLD_DEN >=
    s.slotStartScaled * (SPIKE_THRESHOLD_DEN + SPIKE_THRESHOLD_NUM)
  ) {
    const peak = s.baseFeeScaled;
    s.spike =
      s.spike === null
        ? { slot: s.slot, beforeScaled: s.slotStartScaled, peakScaled: peak }
        : {
            slot: s.slot,
            beforeScaled: s.spike.beforeScaled,
            peakScaled: maxN(peak, s.spike.peakScaled),
          };
  }
  // §10.5 decrease smoothing: the mean of the last window's requested decreases.
  s.deficits.shift();
  s.deficits.push(below ? TARGET_GAS - s.slotGas : 0n);
  let sum = 0n;
  for (const d of s.deficits) sum += d;
  if (sum > 0n) {
    const lowered = (s.baseFeeScaled * (DECREASE_DEN - MAX_SLOT_DECREASE_NUM * sum)) / DECREASE_DEN;
    s.baseFeeScaled = maxN(lowered, MIN_SCALED);
  }
}

/**
 * Records an included transaction's gas in the open slot and applies §10.5's per-transaction
 * increase: while the slot's utilization u is above target, B ← ⌈B × (1 + α(u − target))⌉,
 * capped at 1.5 × the slot's starting B (and MAX_BASE_FEE). At or below target B is unchanged.
 */
export function recordTx(s: FeeMarketState, gasUsed: bigint): void {
  if (s.slot === NO_SLOT) throw new RangeError('recordTx before the first beginSlot');
  if (gasUsed < 0n) throw new RangeError(`negative gas ${gasUsed}`);
  const gas = s.slotGas + gasUsed;
  s.slotGas = minN(gas, U64_MAX);
  const excess = s.slotGas * TARGET_UTILIZATION_DEN - TARGET_UTILIZATION_NUM * SLOT_GAS_LIMIT;
  if (excess <= 0n) return;
  const num = s.baseFeeScaled * (STEP_DEN + FEE_ALPHA_NUM * excess);
  const raised = (num + STEP_DEN - 1n) / STEP_DEN; // rounded up: B rises at any size
  const cap = slotCap(s.slotStartScaled);
  s.baseFeeScaled = minN(raised, cap);
}

/**
 * §10.6 ACI adjustment: B ← B × num/den (0.90 = 9/10, 1.10 = 11/10), rounded down and kept in
 * [MIN_BASE_FEE, MAX_BASE_FEE]. The slot's start and the armed spike scale with it, so the
 * per-slot cap and the revert heuristic keep their meaning; B stays within the slot's cap.
 */
export function scaleBaseFee(s: FeeMarketState, num: bigint, den: bigint): void {
  if (num <= 0n || den <= 0n) throw new RangeError(`bad scale ${num}/${den}`);
  const scale = (v: bigint): bigint => clampN((v * num) / den, MIN_SCALED, MAX_SCALED);
  s.slotStartScaled = scale(s.slotStartScaled);
  const b = scale(s.baseFeeScaled);
  const cap = slotCap(s.slotStartScaled);
  s.baseFeeScaled = clampN(b, s.slotStartScaled, cap);
  if (s.spike !== null) {
    s.spike.beforeScaled = scale(s.spike.beforeScaled);
    s.spike.peakScaled = scale(s.spike.peakScaled);
  }
}

const FEE_MARKET_VERSION = 1;
/** Length of every encoding: the layout is fixed (see encodeFeeMarket). */
export const FEE_MARKET_BYTES = 1 + 9 + 16 + 16 + 8 + 8 * DECREASE_WINDOW_SLOTS + 9 + 16 + 16;

function writeU128(w: ByteWriter, v: bigint): void {
  if (v < 0n || v >> 128n !== 0n) throw new RangeError(`u128 out of range: ${v}`);
  w.u64n(v >> 64n).u64n(v & U64_MAX);
}

function readU64n(r: ByteReader): bigint {
  const b = r.fixed(8);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
}

function readU128(r: ByteReader): bigint {
  const hi = readU64n(r);
  return (hi << 64n) | readU64n(r);
}

/**
 * Canonical bytes (what the state root commits to), big-endian, 171 bytes:
 * u8 version (1) ‖ u8 has-slot ‖ u64 slot ‖ u128 B ‖ u128 slot start ‖ u64 slot gas ‖
 * 10 × u64 deficits (oldest first) ‖ u8 has-spike ‖ u64 spike slot ‖ u128 before ‖ u128 peak.
 * Absent slot and spike are all-zero fields.
 */
export function encodeFeeMarket(s: Readonly<FeeMarketState>): Uint8Array {
  if (s.deficits.length !== DECREASE_WINDOW_SLOTS)
    throw new RangeError(`${s.deficits.length} deficits, expected ${DECREASE_WINDOW_SLOTS}`);
  const w = new ByteWriter(FEE_MARKET_BYTES);
  w.u8(FEE_MARKET_VERSION);
  if (s.slot === NO_SLOT) w.u8(0).u64(0);
  else w.u8(1).u64(s.slot);
  writeU128(w, s.baseFeeScaled);
  writeU128(w, s.slotStartScaled);
  w.u64n(s.slotGas);
  for (const d of s.deficits) w.u64n(d);
  if (s.spike === null) {
    w.u8(0).u64(0);
    writeU128(w, 0n);
    writeU128(w, 0n);
  } else {
    w.u8(1).u64(s.spike.slot);
    writeU128(w, s.spike.beforeScaled);
    writeU128(w, s.spike.peakScaled);
  }
  return w.finish();
}

/**
 * Decodes `encodeFeeMarket` bytes. RangeError on any malformed input: wrong length or version, a
 * non-canonical absent field, or a state the rules cannot reach (B outside its bounds or its
 * slot's cap, a deficit above target, a spike outside its window).
 */
export function decodeFeeMarket(bytes: Uint8Array): FeeMarketState {
  if (bytes.length !== FEE_MARKET_BYTES)
    throw new RangeError(`fee market: ${bytes.length} bytes, expected ${FEE_MARKET_BYTES}`);
  let s: FeeMarketState;
  try {
    s = readFeeMarket(new ByteReader(bytes));
  } catch (e) {
    if (e instanceof CodecError) throw new RangeError(`fee market: ${e.message}`, { cause: e });
    throw e;
  }
  checkFeeMarket(s);
  return s;
}

function readTag(r: ByteReader, what: string): boolean {
  const tag = r.u8();
  if (tag > 1) throw new RangeError(`fee market: bad ${what} tag ${tag}`);
  return tag === 1;
}

function readFeeMarket(r: ByteReader): FeeMarketState {
  const version = r.u8();
  if (version !== FEE_MARKET_VERSION)
    throw new RangeError(`fee market: unknown version ${version}`);
  const hasSlot = readTag(r, 'slot');
  const slotValue = r.u64();
  if (!hasSlot && slotValue !== 0) throw new RangeError('fee market: absent slot not zero');
  const baseFeeScaled = readU128(r);
  const slotStartScaled = readU128(r);
  const slotGas = readU64n(r);
  const deficits: bigint[] = [];
  for (let i = 0; i < DECREASE_WINDOW_SLOTS; i++) deficits.push(readU64n(r));
  const hasSpike = readTag(r, 'spike');
  const spikeSlot = r.u64();
  const beforeScaled = readU128(r);
  const peakScaled = readU128(r);
  r.end();
  if (!hasSpike && (spikeSlot !== 0 || beforeScaled !== 0n || peakScaled !== 0n))
    throw new RangeError('fee market: absent spike not zero');
  return {
    baseFeeScaled,
    slot: hasSlot ? slotValue : NO_SLOT,
    slotStartScaled,
    slotGas,
    deficits,
    spike: hasSpike ? { slot: spikeSlot, beforeScaled, peakScaled } : null,
  };
}

function checkFee(v: bigint, what: string): void {
  if (v < MIN_SCALED || v > MAX_SCALED)
    throw new RangeError(`fee market: ${what} ${v} out of range`);
}

/** The invariants every reachable state keeps (decode rejects the rest). */
function checkFeeMarket(s: FeeMarketState): void {
  checkFee(s.baseFeeScaled, 'base fee');
  checkFee(s.slotStartScaled, 'slot start fee');
  if (s.baseFeeScaled < s.slotStartScaled || s.baseFeeScaled > slotCap(s.slotStartScaled))
    throw new RangeError('fee market: base fee outside its slot cap');
  for (const d of s.deficits)
    if (d > TARGET_GAS) throw new RangeError(`fee market: deficit ${d} above target`);
  if (s.slot === NO_SLOT) {
    if (
      s.slotGas !== 0n ||
      s.spike !== null ||
      s.baseFeeScaled !== s.slotStartScaled ||
      s.deficits.some((d) => d !== 0n)
    )
      throw new RangeError('fee market: activity before the first slot');
    return;
  }
  if (s.spike !== null) {
    const age = s.slot - s.spike.slot;
    if (age < 1 || age > REVERT_WINDOW_SLOTS)
      throw new RangeError(`fee market: spike ${age} slots old`);
    checkFee(s.spike.beforeScaled, 'spike start');
    checkFee(s.spike.peakScaled, 'spike peak');
    if (s.spike.peakScaled < s.spike.beforeScaled)
      throw new RangeError('fee market: spike peak below its start');
  }
}
