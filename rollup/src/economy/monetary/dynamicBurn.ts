/**
 * The dynamic burn of §11.4: an integral controller that moves the burn share of fees by one
 * percentage point per 6 h ACI period toward a target change of the circulating supply, and a
 * sigmoid damper (§11.4 "circuit breaker") that scales the burn down when measured deflation runs
 * past 3 %/year, with each damper change taking effect after a PoH-drawn delay of 1-5 periods.
 *
 * The state machine:
 *  - records every fee as it is charged (`recordFeeVolume`);
 *  - calls `closeBurnPeriod` at the start of every slot, before that slot's fees (a no-op except
 *    at the first slot of a new 6 h period), with the circulating supply and the slot's PoH hash;
 *  - splits fees with `effectiveBurnBps(state)`.
 *
 * Pure, integer-only, never throws on what the state machine can feed it (RangeError only on
 * negative amounts, a slot outside [0, 2^64) or a PoH hash that is not 32 bytes). The state is plain data mutated in place;
 * clone it with `cloneBurn` before speculative execution.
 */
import { hash as nodeHash } from 'node:crypto';
import { ByteReader } from '../../codec/byteReader.ts';
import { ByteWriter } from '../../codec/byteWriter.ts';
import { HASH_BYTES } from '../../params/consensusParams.ts';
import {
  ACI_PERIOD_SLOTS,
  BURN_DEFLATION_WINDOW_PERIODS,
  BURN_FEE_WINDOW_PERIODS,
  BURN_GROWTH_PHASE_YEARS,
  BURN_RATE_INITIAL_BPS,
  BURN_RATE_MAX_BPS,
  BURN_RATE_MIN_BPS,
  BURN_RATE_STEP_BPS,
  BURN_STATE_VERSION,
  BURN_TARGET_DEFLATION_BPS,
  BURN_TOLERANCE_BPS,
  DAMPER_DELAY_MAX_PERIODS,
  DAMPER_DELAY_MIN_PERIODS,
  DAMPER_DELAY_TAG,
  DAMPER_K_WAD,
  DAMPER_MIDPOINT_WAD,
  EMISSION_BURN_SHARE_BPS,
  EMISSION_PHASE_SLOT_REWARDS,
  EMISSION_PHASE_YEARS,
  SLOTS_PER_YEAR,
} from '../../params/monetaryParams.ts';
import { BPS, U64_MAX } from '../../params/txParams.ts';
import { floorDiv, mulWad, sigmoidWad, WAD } from '../math/fixedPoint.ts';

/** A damper value waiting for its period (§11.4 "take effect after a random delay"). */
export interface DamperChange {
  readonly effectivePeriod: bigint;
  readonly damperWad: bigint;
}

/** One closed period's fee volume and length. */
export interface FeeWindowEntry {
  readonly slots: bigint;
  readonly splitFees: bigint;
  readonly fixedBurn: bigint;
}

/** The circulating supply at a period boundary. */
export interface SupplySample {
  readonly slot: bigint;
  readonly supply: bigint;
}

/** The dynamic burn's part of the shard state. */
export interface BurnState {
  /** The 6 h period being accumulated (slot / ACI_PERIOD_SLOTS). */
  period: bigint;
  /** The slot at which that period was opened (the first slot executed in it). */
  periodStartSlot: bigint;
  /** §11.4 burn_rate, bps, in [BURN_RATE_MIN_BPS, BURN_RATE_MAX_BPS]. */
  burnRateBps: bigint;
  /** The damper in force, WAD in [0, WAD]. */
  damperWad: bigint;
  /** Scheduled damper values, in the order they were scheduled (≤ DAMPER_DELAY_MAX_PERIODS). */
  readonly pendingDampers: DamperChange[];
  /** Fees of the open period whose split uses the burn rate, µMOLT. */
  periodSplitFees: bigint;
  /** µMOLT burned in the open period by fixed 100 %-burn rules (votes, communities, …). */
  periodFixedBurn: bigint;
  /** The last closed periods, oldest first (≤ BURN_FEE_WINDOW_PERIODS). */
  readonly feeWindow: FeeWindowEntry[];
  /** Supply at the last period boundaries, oldest first (≤ BURN_DEFLATION_WINDOW_PERIODS + 1). */
  readonly supplySamples: SupplySample[];
}

export interface FeeVolume {
  /** Fees split between burn, validators, storage and treasury with the dynamic burn rate. */
  readonly splitFees: bigint;
  /** Fees burned in full whatever the burn rate (§10.2 "100% burn" rows, bounty burns). */
  readonly fixedBurn: bigint;
}

export interface CloseBurnPeriodInput {
  /** The slot about to be executed. */
  readonly slot: bigint;
  /** Circulating $MOLT now, µMOLT. */
  readonly circulatingSupply: bigint;
  /** The PoH hash the slot starts from (32 bytes): the damper delay's randomness. */
  readonly pohHash: Uint8Array;
}

/** The §11.4 projection of one period close, all µMOLT per year (signed where it can be). */
export interface BurnProjection {
  readonly annualSplitFees: bigint;
  readonly annualFixedBurn: bigint;
  readonly annualBurn: bigint;
  readonly annualEmission: bigint;
  readonly annualChange: bigint;
  readonly target: bigint;
  readonly tolerance: bigint;
}

export type BurnStep = 'up' | 'down' | 'hold';

export type CloseBurnPeriodResult =
  | { readonly kind: 'notDue'; readonly period: bigint }
  | {
      readonly kind: 'closed';
      /** The period that was closed; the state now accumulates `nextPeriod`. */
      readonly period: bigint;
      readonly nextPeriod: bigint;
      readonly projection: BurnProjection;
      readonly step: BurnStep;
      readonly burnRateBps: bigint;
      readonly effectiveBurnRateBps: bigint;
      /** Annualized deflation measured over the supply window (WAD), null without two samples. */
      readonly deflationWad: bigint | null;
      readonly damperWad: bigint;
      readonly damperScheduled: DamperChange | null;
    };

/** The genesis state; `circulatingSupply`, when given, is the first supply sample. */
export function newBurn(
  opts: { readonly slot?: bigint; readonly circulatingSupply?: bigint } = {},
): BurnState {
  const slot = opts.slot ?? 0n;
  u64('slot', slot);
  const supplySamples: SupplySample[] = [];
  if (opts.circulatingSupply !== undefined) {
    nonNegative('circulatingSupply', opts.circulatingSupply);
    supplySamples.push({ slot, supply: saturate(opts.circulatingSupply) });
  }
  return {
    period: slot / ACI_PERIOD_SLOTS,
    periodStartSlot: slot,
    burnRateBps: BURN_RATE_INITIAL_BPS,
    damperWad: WAD,
    pendingDampers: [],
    periodSplitFees: 0n,
    periodFixedBurn: 0n,
    feeWindow: [],
    supplySamples,
  };
}

/** A deep copy (entries are immutable objects, so copying the arrays is enough). */
export function cloneBurn(state: BurnState): BurnState {
  return {
    ...state,
    pendingDampers: [...state.pendingDampers],
    feeWindow: [...state.feeWindow],
    supplySamples: [...state.supplySamples],
  };
}

const saturate = (v: bigint): bigint => (v > U64_MAX ? U64_MAX : v);

function nonNegative(name: string, v: bigint): void {
  if (v < 0n) throw new RangeError(`${name} must be ≥ 0: ${v}`);
}

/** Slots are u64 in the encoding. */
function u64(name: string, v: bigint): void {
  if (v < 0n || v > U64_MAX) throw new RangeError(`${name} must be in [0, 2^64): ${v}`);
}

/** Adds fees charged in the open period (sums saturate at 2^64 − 1). RangeError if negative. */
export function recordFeeVolume(state: BurnState, fees: FeeVolume): void {
  nonNegative('splitFees', fees.splitFees);
  nonNegative('fixedBurn', fees.fixedBurn);
  state.periodSplitFees = saturate(state.periodSplitFees + fees.splitFees);
  state.periodFixedBurn = saturate(state.periodFixedBurn + fees.fixedBurn);
}

/** §11.3 block reward of one slot, µMOLT: 1.52 / 0.76 / 0.38 / 0.19 MOLT per 2-year phase, then 0. */
export function phaseSlotReward(slot: bigint): bigint {
  nonNegative('slot', slot);
  const phase = slot / (EMISSION_PHASE_YEARS * SLOTS_PER_YEAR);
  return phase < BigInt(EMISSION_PHASE_SLOT_REWARDS.length)
    ? (EMISSION_PHASE_SLOT_REWARDS[Number(phase)] as bigint)
    : 0n;
}

/** §11.3 annual emission of the phase `slot` is in, µMOLT (119,836,800 MOLT in years 1-2). */
export function annualEmission(slot: bigint): bigint {
  return phaseSlotReward(slot) * SLOTS_PER_YEAR;
}

/**
 * §11.4 projected_annual_emission: what the phase's emission adds to circulating supply per year,
 * µMOLT — the §11.3 rate less the 30 % the Emission contract burns (§11.6 note), floor.
 */
export function projectedAnnualEmission(slot: bigint): bigint {
  return (annualEmission(slot) * (BPS - EMISSION_BURN_SHARE_BPS)) / BPS;
}

/**
 * §11.4 target_annual_change, µMOLT per year: 0 in years 1-3 (slot < 3 × SLOTS_PER_YEAR), then
 * −floor(2 % of the circulating supply).
 */
export function targetAnnualChange(slot: bigint, circulatingSupply: bigint): bigint {
  if (slot / SLOTS_PER_YEAR < BURN_GROWTH_PHASE_YEARS) return 0n;
  return -((circulatingSupply * BURN_TARGET_DEFLATION_BPS) / BPS);
}

/**
 * One §11.4 controller step: +1 pp when the projected change is above target + tolerance (too
 * inflationary), −1 pp when below target − tolerance (too deflationary), clamped to [5 %, 50 %].
 */
export function stepBurnRate(
  burnRateBps: bigint,
  projectedChange: bigint,
  target: bigint,
  tolerance: bigint,
): { burnRateBps: bigint; step: BurnStep } {
  const step: BurnStep =
    projectedChange > target + tolerance
      ? 'up'
      : projectedChange < target - tolerance
        ? 'down'
        : 'hold';
  const moved =
    step === 'up'
      ? burnRateBps + BURN_RATE_STEP_BPS
      : step === 'down'
        ? burnRateBps - BURN_RATE_STEP_BPS
        : burnRateBps;
  // bigint clamp (Math.min/max take numbers only)
  if (moved < BURN_RATE_MIN_BPS) return { burnRateBps: BURN_RATE_MIN_BPS, step };
  if (moved > BURN_RATE_MAX_BPS) return { burnRateBps: BURN_RATE_MAX_BPS, step };
  return { burnRateBps: moved, step };
}

/** §11.4 damper(d) = 1 / (1 + e^(k·(d − 0.03))) for an annualized deflation d (WAD, signed). */
export function damperWad(deflationWad: bigint): bigint {
  return sigmoidWad(mulWad(DAMPER_K_WAD, deflationWad - DAMPER_MIDPOINT_WAD));
}

/**
 * §11.4 delay of a damper change, in ACI periods: the first 8 bytes of SHA-256(DAMPER_DELAY_TAG ‖
 * pohHash), big-endian, mod 5, + 1 — uniform on 1..5 up to a bias of 2^-64. RangeError unless the
 * hash is 32 bytes.
 */
export function damperDelayPeriods(pohHash: Uint8Array): bigint {
  if (pohHash.length !== HASH_BYTES) throw new RangeError(`PoH hash must be ${HASH_BYTES} bytes`);
  const tag = new TextEncoder().encode(DAMPER_DELAY_TAG);
  const msg = new Uint8Array(tag.length + pohHash.length);
  msg.set(tag);
  msg.set(pohHash, tag.length);
  const digest = nodeHash('sha256', msg, 'buffer');
  const draw = new DataView(digest.buffer, digest.byteOffset, 8).getBigUint64(0);
  const span = DAMPER_DELAY_MAX_PERIODS - DAMPER_DELAY_MIN_PERIODS + 1n;
  return (draw % span) + DAMPER_DELAY_MIN_PERIODS;
}

/**
 * The burn share the state machine applies to split fees, bps: burn_rate × damper, rounded to the
 * nearest bps (half up) so that a damper a hair below 1 keeps 30 % at 30 %. It may go below the
 * 5 % clamp of burn_rate: the damper is a circuit breaker on top of the controller.
 */
export function effectiveBurnBps(state: BurnState): bigint {
  return (state.burnRateBps * state.damperWad + WAD / 2n) / WAD;
}

/**
 * Annualized deflation over the supply window, WAD: (S_old − S_new) / S_old × SLOTS_PER_YEAR /
 * slots between them, floor. Null without two samples, a zero old supply or no slots between.
 */
export function measuredDeflationWad(samples: readonly SupplySample[]): bigint | null {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined || samples.length < 2) return null;
  const slots = last.slot - first.slot;
  if (first.supply === 0n || slots <= 0n) return null;
  return floorDiv((first.supply - last.supply) * SLOTS_PER_YEAR * WAD, slots * first.supply);
}

/** floor(total × SLOTS_PER_YEAR / slots), 0 over 0 slots. */
function annualize(total: bigint, slots: bigint): bigint {
  return slots === 0n ? 0n : (total * SLOTS_PER_YEAR) / slots;
}

/**
 * Closes the open 6 h period if `slot` is in a later one (else `notDue`, nothing changes). In order:
 *  1. the period's fees join the fee window (last 4 periods) and the supply joins the supply window;
 *  2. the last pending damper value whose period has come takes effect, and every value scheduled
 *     before it is dropped (it is stale);
 *  3. the damper for the deflation measured over the supply window is computed; if it differs
 *     from the last value scheduled (or in force), it is scheduled for nextPeriod + delay, the
 *     delay drawn from `pohHash`;
 *  4. the controller projects the year with the effective burn rate (after step 2) and steps
 *     burn_rate by at most 1 pp — once per call, however many periods passed without a block.
 */
export function closeBurnPeriod(
  state: BurnState,
  input: CloseBurnPeriodInput,
): CloseBurnPeriodResult {
  u64('slot', input.slot);
  nonNegative('circulatingSupply', input.circulatingSupply);
  if (input.pohHash.length !== HASH_BYTES)
    throw new RangeError(`PoH hash must be ${HASH_BYTES} bytes`);
  const nextPeriod = input.slot / ACI_PERIOD_SLOTS;
  if (nextPeriod <= state.period) return { kind: 'notDue', period: state.period };
  const closed = state.period;
  const supply = saturate(input.circulatingSupply);

  // 1. windows
  const elapsed = input.slot > state.periodStartSlot ? input.slot - state.periodStartSlot : 0n;
  state.feeWindow.push({
    slots: elapsed,
    splitFees: state.periodSplitFees,
    fixedBurn: state.periodFixedBurn,
  });
  if (state.feeWindow.length > BURN_FEE_WINDOW_PERIODS)
    state.feeWindow.splice(0, state.feeWindow.length - BURN_FEE_WINDOW_PERIODS);
  state.supplySamples.push({ slot: input.slot, supply });
  if (state.supplySamples.length > BURN_DEFLATION_WINDOW_PERIODS + 1)
    state.supplySamples.splice(0, state.supplySamples.length - BURN_DEFLATION_WINDOW_PERIODS - 1);

  // 2. due damper change
  let due = -1;
  state.pendingDampers.forEach((c, i) => {
    if (c.effectivePeriod <= nextPeriod) due = i;
  });
  if (due >= 0) {
    state.damperWad = (state.pendingDampers[due] as DamperChange).damperWad;
    state.pendingDampers.splice(0, due + 1);
  }

  // 3. schedule the damper for the measured deflation
  const deflationWad = measuredDeflationWad(state.supplySamples);
  let damperScheduled: DamperChange | null = null;
  if (deflationWad !== null) {
    const target = damperWad(deflationWad);
    const latest = state.pendingDampers.at(-1)?.damperWad ?? state.damperWad;
    if (target !== latest) {
      damperScheduled = {
        effectivePeriod: nextPeriod + damperDelayPeriods(input.pohHash),
        damperWad: target,
      };
      state.pendingDampers.push(damperScheduled);
    }
  }

  // 4. controller
  let slots = 0n;
  let split = 0n;
  let fixed = 0n;
  for (const e of state.feeWindow) {
    slots += e.slots;
    split += e.splitFees;
    fixed += e.fixedBurn;
  }
  const annualSplitFees = annualize(split, slots);
  const annualFixedBurn = annualize(fixed, slots);
  const annualBurn = (annualSplitFees * effectiveBurnBps(state)) / BPS + annualFixedBurn;
  const emission = projectedAnnualEmission(input.slot);
  const annualChange = emission - annualBurn;
  const target = targetAnnualChange(input.slot, supply);
  const tolerance = (supply * BURN_TOLERANCE_BPS) / BPS;
  const stepped = stepBurnRate(state.burnRateBps, annualChange, target, tolerance);
  state.burnRateBps = stepped.burnRateBps;

  state.period = nextPeriod;
  state.periodStartSlot = input.slot;
  state.periodSplitFees = 0n;
  state.periodFixedBurn = 0n;
  return {
    kind: 'closed',
    period: closed,
    nextPeriod,
    projection: {
      annualSplitFees,
      annualFixedBurn,
      annualBurn,
      annualEmission: emission,
      annualChange,
      target,
      tolerance,
    },
    step: stepped.step,
    burnRateBps: state.burnRateBps,
    effectiveBurnRateBps: effectiveBurnBps(state),
    deflationWad,
    damperWad: state.damperWad,
    damperScheduled,
  };
}

// ───────────────────────────── canonical encoding ─────────────────────────────

/**
 * Canonical bytes of the dynamic-burn state (for the state root), every integer u64be:
 * u8 version ‖ period ‖ periodStartSlot ‖ burnRateBps ‖ damperWad ‖ periodSplitFees ‖
 * periodFixedBurn ‖ u8 n ‖ n × (effectivePeriod ‖ damperWad) ‖ u8 n ‖ n × (slots ‖ splitFees ‖
 * fixedBurn) ‖ u8 n ‖ n × (slot ‖ supply).
 */
export function encodeBurn(state: BurnState): Uint8Array {
  const w = new ByteWriter(128 + 24 * BURN_FEE_WINDOW_PERIODS);
  w.u8(BURN_STATE_VERSION)
    .u64n(state.period)
    .u64n(state.periodStartSlot)
    .u64n(state.burnRateBps)
    .u64n(state.damperWad)
    .u64n(state.periodSplitFees)
    .u64n(state.periodFixedBurn);
  w.u8(state.pendingDampers.length);
  for (const c of state.pendingDampers) w.u64n(c.effectivePeriod).u64n(c.damperWad);
  w.u8(state.feeWindow.length);
  for (const e of state.feeWindow) w.u64n(e.slots).u64n(e.splitFees).u64n(e.fixedBurn);
  w.u8(state.supplySamples.length);
  for (const s of state.supplySamples) w.u64n(s.slot).u64n(s.supply);
  return w.finish();
}

function readU64n(r: ByteReader): bigint {
  const b = r.fixed(8);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
}

function count(r: ByteReader, max: number, what: string): number {
  const n = r.u8();
  if (n > max) throw new RangeError(`${n} ${what} (at most ${max})`);
  return n;
}

/**
 * Decodes `encodeBurn` bytes. RangeError on anything it cannot produce: unknown version,
 * truncation, trailing bytes, a burn rate outside [5 %, 50 %], a damper above WAD, or more
 * pending dampers, fee-window entries or supply samples than the state ever holds.
 */
export function decodeBurn(bytes: Uint8Array): BurnState {
  try {
    const r = new ByteReader(bytes);
    const version = r.u8();
    if (version !== BURN_STATE_VERSION)
      throw new RangeError(`unknown dynamic-burn state version ${version}`);
    const state = newBurn();
    state.period = readU64n(r);
    state.periodStartSlot = readU64n(r);
    state.burnRateBps = readU64n(r);
    state.damperWad = readU64n(r);
    state.periodSplitFees = readU64n(r);
    state.periodFixedBurn = readU64n(r);
    if (state.burnRateBps < BURN_RATE_MIN_BPS || state.burnRateBps > BURN_RATE_MAX_BPS)
      throw new RangeError(`burn rate ${state.burnRateBps} bps outside [500, 5000]`);
    const damperOk = (d: bigint) => d <= WAD;
    if (!damperOk(state.damperWad)) throw new RangeError(`damper ${state.damperWad} above WAD`);
    const nPending = count(r, Number(DAMPER_DELAY_MAX_PERIODS), 'pending dampers');
    for (let i = 0; i < nPending; i++) {
      const change = { effectivePeriod: readU64n(r), damperWad: readU64n(r) };
      if (!damperOk(change.damperWad)) throw new RangeError(`damper ${change.damperWad} above WAD`);
      state.pendingDampers.push(change);
    }
    const nFees = count(r, BURN_FEE_WINDOW_PERIODS, 'fee-window entries');
    for (let i = 0; i < nFees; i++)
      state.feeWindow.push({ slots: readU64n(r), splitFees: readU64n(r), fixedBurn: readU64n(r) });
    const nSupply = count(r, BURN_DEFLATION_WINDOW_PERIODS + 1, 'supply samples');
    for (let i = 0; i < nSupply; i++)
      state.supplySamples.push({ slot: readU64n(r), supply: readU64n(r) });
    r.end();
    return state;
  } catch (err) {
    if (err instanceof RangeError) throw err;
    const code = (err as { code?: unknown }).code;
    throw new RangeError(
      `malformed dynamic-burn state: ${typeof code === 'string' ? `${code}: ` : ''}${(err as Error).message}`,
      { cause: err },
    );
  }
}
