/**
 * The Attention Cost Index (§10.6): four per-epoch signals → one dimensionless index → the USD
 * cost of a basic post → a ×0.90 / ×1.10 step of the ACI-adjusted fees every 6 hours.
 *
 * Unit coherence. The paper's `weighted_median(signal × 0.25, …)` mixes µMOLT amounts, µMOLT per
 * agent, a ratio and µMOLT per GB. Here each signal is first made an index against its own
 * history: index = (its 5-epoch TWA) / (its 10-epoch mean), a WAD where 1.0 means "as usual". The
 * equal-weight weighted median of the four indices is dimensionless, and
 *
 *   ACI (µUSD per basic post) = post fee (µMOLT) × MOLT price (µUSD per MOLT) / 10^6 × median index
 *
 * so with every signal at its baseline the ACI is exactly what a post costs in dollars, and the
 * signals move it by their (manipulation-resistant) median deviation. See docs/economy.md.
 *
 * Pure, integer-only. The state is plain data the state machine owns; `recordEpochSignals` and
 * `aciAdjustment` mutate it in place (clone it with `cloneAci` before speculative execution).
 */
import { ByteReader } from '../../codec/byteReader.ts';
import { ByteWriter } from '../../codec/byteWriter.ts';
import {
  ACI_BASELINE_EPOCHS,
  ACI_BOUNTY_TRIM_BPS,
  ACI_DECREASE_FACTOR_BPS,
  ACI_DIVERGENCE_BPS,
  ACI_INCREASE_FACTOR_BPS,
  ACI_LOWER_MICRO_USD,
  ACI_MIN_SIGNALS,
  ACI_OUTLIER_K_SIGMA,
  ACI_OUTLIER_MIN_SAMPLES,
  ACI_PERIOD_SLOTS,
  ACI_SIGNAL_WEIGHT_BPS,
  ACI_STATE_VERSION,
  ACI_TWA_EPOCHS,
  ACI_UPPER_MICRO_USD,
  MICROMOLT_PER_MOLT,
  ORACLE_MAX_AGE_SLOTS,
} from '../../params/monetaryParams.ts';
import { BPS, U64_MAX } from '../../params/txParams.ts';
import { WAD } from '../math/fixedPoint.ts';
import { isOutlier, median, trimmedValues, weightedMedian } from '../math/stats.ts';

/** The four §10.6 signals, in their canonical (encoding) order. */
export const ACI_SIGNALS = ['bounty', 'feeRevenue', 'staking', 'storage'] as const;
export type AciSignal = (typeof ACI_SIGNALS)[number];

/** One epoch's value of one signal, and whether the 3σ rule flagged it when it was recorded. */
export interface AciSample {
  readonly value: bigint;
  readonly outlier: boolean;
}

/** The ACI's part of the shard state. */
export interface AciState {
  /** Newest epoch recorded; null before the first. */
  lastEpoch: bigint | null;
  /**
   * Per signal, the samples of epochs lastEpoch − len + 1 … lastEpoch (oldest first, at most
   * ACI_BASELINE_EPOCHS, all four the same length); null where the epoch had no value.
   */
  readonly samples: Record<AciSignal, (AciSample | null)[]>;
  /** The 6 h period (slot / ACI_PERIOD_SLOTS) last decided by `aciAdjustment`; 0 at genesis. */
  lastAdjustmentPeriod: bigint;
}

/** What the state machine measured over one epoch (all µMOLT amounts are bigint ≥ 0). */
export interface EpochSignals {
  /** Amount of every bounty question posted in the epoch (§10.3), any order. */
  readonly bountyAmounts: readonly bigint[];
  /** Total fees paid in the epoch (§10.6 "Total fee revenue … per epoch"). */
  readonly feeRevenue: bigint;
  /** Agents that sent at least one transaction in the epoch. */
  readonly activeAgents: bigint;
  /** $MOLT staked at the end of the epoch. */
  readonly staked: bigint;
  /** Circulating $MOLT at the end of the epoch. */
  readonly circulating: bigint;
  /** The storage market's fee per GB at the end of the epoch (§9.3). */
  readonly storageFeePerGb: bigint;
}

/** The raw per-epoch value of each signal (null: undefined this epoch, e.g. no bounty posted). */
export type AciRawSignals = Record<AciSignal, bigint | null>;

export type RecordEpochResult =
  | {
      readonly kind: 'recorded';
      readonly raw: AciRawSignals;
      readonly outliers: readonly AciSignal[];
    }
  | { readonly kind: 'ignored'; readonly reason: 'epochNotAfterLast' };

/**
 * The MOLT/USD price as the beacon delivers it (DESIGN.md §4 item 5: L2 events reach the rollup
 * through the beacon). `slot` is the rollup slot at which the state machine applied it.
 */
export interface OraclePrice {
  readonly priceMicroUsdPerMolt: bigint;
  readonly slot: bigint;
}

export interface AciAdjustmentInput {
  /** The slot being executed. */
  readonly slot: bigint;
  /** What a basic post (§10.2 "Create post") costs now, µMOLT, as the fee market prices it. */
  readonly postFeeMicroMolt: bigint;
  /** The latest price the beacon delivered, or null if none ever arrived. */
  readonly oracle: OraclePrice | null;
}

/** Each signal's index (WAD, 1.0 = its 10-epoch mean), null when undefined. */
export type AciIndices = Record<AciSignal, bigint | null>;

/**
 * What `aciAdjustment` decided for one 6 h period. The fee market applies `adjust` to every
 * ACI-adjusted fee (§10.2) as fee × factorNum / factorDen; all other kinds leave fees unchanged.
 */
export type AciDecision =
  | { readonly kind: 'notDue'; readonly period: bigint }
  | {
      readonly kind: 'oracleUnavailable';
      readonly period: bigint;
      readonly reason: 'missing' | 'stale' | 'future' | 'zeroPrice';
    }
  | { readonly kind: 'insufficientSignals'; readonly period: bigint; readonly indices: AciIndices }
  | { readonly kind: 'frozen'; readonly period: bigint; readonly indices: AciIndices }
  | {
      readonly kind: 'none';
      readonly period: bigint;
      readonly indices: AciIndices;
      readonly aciMicroUsdWad: bigint;
    }
  | {
      readonly kind: 'adjust';
      readonly period: bigint;
      readonly indices: AciIndices;
      readonly aciMicroUsdWad: bigint;
      readonly direction: 'decrease' | 'increase';
      readonly factorNum: bigint;
      readonly factorDen: bigint;
    };

/** The genesis ACI state: no epoch recorded, period 0 decided. */
export function newAci(): AciState {
  return {
    lastEpoch: null,
    samples: { bounty: [], feeRevenue: [], staking: [], storage: [] },
    lastAdjustmentPeriod: 0n,
  };
}

/** A deep copy (samples are immutable objects, so copying the arrays is enough). */
export function cloneAci(state: AciState): AciState {
  return {
    lastEpoch: state.lastEpoch,
    samples: {
      bounty: [...state.samples.bounty],
      feeRevenue: [...state.samples.feeRevenue],
      staking: [...state.samples.staking],
      storage: [...state.samples.storage],
    },
    lastAdjustmentPeriod: state.lastAdjustmentPeriod,
  };
}

const saturate = (v: bigint): bigint => (v > U64_MAX ? U64_MAX : v);

function nonNegative(name: string, v: bigint): void {
  if (v < 0n) throw new RangeError(`${name} must be ≥ 0: ${v}`);
}

/** Epochs and slots are u64 in the encoding. */
function u64(name: string, v: bigint): void {
  if (v < 0n || v > U64_MAX) throw new RangeError(`${name} must be in [0, 2^64): ${v}`);
}

/**
 * The raw signal values of one epoch, each saturated at 2^64 − 1:
 * bounty = median of the amounts trimmed 10 % at each end (null if none); feeRevenue = floor(fee
 * revenue / active agents) µMOLT (null if no agent); staking = floor(staked × WAD / circulating)
 * (null if circulating is 0); storage = the fee per GB. RangeError on a negative input.
 */
export function rawSignals(signals: EpochSignals): AciRawSignals {
  for (const a of signals.bountyAmounts) nonNegative('bounty amount', a);
  nonNegative('feeRevenue', signals.feeRevenue);
  nonNegative('activeAgents', signals.activeAgents);
  nonNegative('staked', signals.staked);
  nonNegative('circulating', signals.circulating);
  nonNegative('storageFeePerGb', signals.storageFeePerGb);
  const bounties = signals.bountyAmounts;
  return {
    bounty:
      bounties.length === 0 ? null : saturate(median(trimmedValues(bounties, ACI_BOUNTY_TRIM_BPS))),
    feeRevenue:
      signals.activeAgents === 0n ? null : saturate(signals.feeRevenue / signals.activeAgents),
    staking:
      signals.circulating === 0n ? null : saturate((signals.staked * WAD) / signals.circulating),
    storage: saturate(signals.storageFeePerGb),
  };
}

/**
 * Records epoch `epoch`'s signals. Each value is flagged an outlier when it lies > 3σ from the mean
 * of the same signal's values over the 10 preceding epochs (the window excludes the value itself:
 * with it included no value of 10 can ever be 3σ out, since max |z| = 9/√10 ≈ 2.85). Flagged values
 * are kept (the rolling mean is of raw values) but left out of the TWA and the baseline. Epochs
 * skipped since the last record count as epochs without values. An epoch not after the last one
 * is ignored. RangeError only on negative inputs or an epoch ≥ 2^64.
 */
export function recordEpochSignals(
  state: AciState,
  epoch: bigint,
  signals: EpochSignals,
): RecordEpochResult {
  u64('epoch', epoch);
  const raw = rawSignals(signals);
  if (state.lastEpoch !== null && epoch <= state.lastEpoch)
    return { kind: 'ignored', reason: 'epochNotAfterLast' };
  const gap = state.lastEpoch === null ? 0n : epoch - state.lastEpoch - 1n;
  const fill = gap > BigInt(ACI_BASELINE_EPOCHS) ? ACI_BASELINE_EPOCHS : Number(gap);
  const outliers: AciSignal[] = [];
  for (const name of ACI_SIGNALS) {
    const history = state.samples[name];
    for (let i = 0; i < fill; i++) history.push(null);
    if (history.length > ACI_BASELINE_EPOCHS)
      history.splice(0, history.length - ACI_BASELINE_EPOCHS);
    const value = raw[name];
    if (value === null) history.push(null);
    else {
      const reference = history.flatMap((s) => (s === null ? [] : [s.value]));
      const outlier =
        reference.length >= ACI_OUTLIER_MIN_SAMPLES &&
        isOutlier(value, reference, ACI_OUTLIER_K_SIGMA);
      if (outlier) outliers.push(name);
      history.push({ value, outlier });
    }
    if (history.length > ACI_BASELINE_EPOCHS)
      history.splice(0, history.length - ACI_BASELINE_EPOCHS);
  }
  state.lastEpoch = epoch;
  return { kind: 'recorded', raw, outliers };
}

/**
 * Σ value × weight and Σ weight of the non-outlier samples: the numerator and denominator of their
 * time-weighted average. Every epoch lasts SLOTS_PER_EPOCH slots, so each weighs the same (1).
 */
function twaParts(samples: readonly (AciSample | null)[]): { num: bigint; den: bigint } {
  let num = 0n;
  let den = 0n;
  for (const s of samples) {
    if (s === null || s.outlier) continue;
    num += s.value;
    den += 1n;
  }
  return { num, den };
}

/**
 * Each signal's index, WAD: (time-weighted average of the non-outlier values of the last 5 epochs)
 * / (average of the non-outlier values of the last 10), computed as one exact ratio of sums and
 * floored once. Null when the last 5 epochs have no such value or the baseline is 0.
 */
export function aciIndices(state: AciState): AciIndices {
  const out: Record<AciSignal, bigint | null> = {
    bounty: null,
    feeRevenue: null,
    staking: null,
    storage: null,
  };
  for (const name of ACI_SIGNALS) {
    const history = state.samples[name];
    const twa = twaParts(history.slice(-ACI_TWA_EPOCHS));
    const base = twaParts(history.slice(-ACI_BASELINE_EPOCHS));
    if (twa.den === 0n || base.num === 0n) continue;
    out[name] = (twa.num * base.den * WAD) / (twa.den * base.num);
  }
  return out;
}

/**
 * §10.6 Fallback: true when every pair of the given indices diverges, i.e. for each pair a ≤ b,
 * b × 10,000 > a × (10,000 + ACI_DIVERGENCE_BPS). Fewer than two indices never diverge.
 */
export function signalsDiverge(indices: readonly bigint[]): boolean {
  if (indices.length < 2) return false;
  for (let i = 0; i < indices.length; i++) {
    for (let j = i + 1; j < indices.length; j++) {
      const a = indices[i] as bigint;
      const b = indices[j] as bigint;
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      if (hi * BPS <= lo * (BPS + ACI_DIVERGENCE_BPS)) return false;
    }
  }
  return true;
}

/**
 * The ACI in micro-USD per basic post, WAD: floor(postFee × price × index / 10^6), with `index` the
 * equal-weight weighted median of the available indices. Null with fewer than ACI_MIN_SIGNALS.
 */
export function computeAci(
  indices: AciIndices,
  postFeeMicroMolt: bigint,
  priceMicroUsdPerMolt: bigint,
): bigint | null {
  const available = ACI_SIGNALS.flatMap((n) => (indices[n] === null ? [] : [indices[n]]));
  if (available.length < ACI_MIN_SIGNALS) return null;
  const index = weightedMedian(
    available,
    available.map(() => ACI_SIGNAL_WEIGHT_BPS),
  );
  return (postFeeMicroMolt * priceMicroUsdPerMolt * index) / MICROMOLT_PER_MOLT;
}

/**
 * The §10.6 decision for the 6 h period containing `input.slot`, at most once per period: the
 * first call in a new period decides it (and marks it decided, whatever the outcome — paused
 * periods are not caught up later); later calls in the same or an earlier period return `notDue`.
 *
 * In order: the price must exist, be positive, not come from a later slot and be at most
 * ORACLE_MAX_AGE_SLOTS old (else `oracleUnavailable`); at least 3 indices must be defined (else
 * `insufficientSignals`); they must not all diverge (else `frozen`: fees stay where they are); then
 * ACI > $0.05 → `adjust` × 0.90, ACI < $0.001 → `adjust` × 1.10, otherwise `none`.
 * RangeError only on a negative post fee or a slot outside [0, 2^64).
 */
export function aciAdjustment(state: AciState, input: AciAdjustmentInput): AciDecision {
  u64('slot', input.slot);
  nonNegative('postFeeMicroMolt', input.postFeeMicroMolt);
  const period = input.slot / ACI_PERIOD_SLOTS;
  if (period <= state.lastAdjustmentPeriod) return { kind: 'notDue', period };
  state.lastAdjustmentPeriod = period;

  const oracle = input.oracle;
  if (oracle === null) return { kind: 'oracleUnavailable', period, reason: 'missing' };
  if (oracle.slot > input.slot) return { kind: 'oracleUnavailable', period, reason: 'future' };
  if (input.slot - oracle.slot > ORACLE_MAX_AGE_SLOTS)
    return { kind: 'oracleUnavailable', period, reason: 'stale' };
  if (oracle.priceMicroUsdPerMolt <= 0n)
    return { kind: 'oracleUnavailable', period, reason: 'zeroPrice' };

  const indices = aciIndices(state);
  const available = ACI_SIGNALS.flatMap((n) => (indices[n] === null ? [] : [indices[n]]));
  if (available.length < ACI_MIN_SIGNALS) return { kind: 'insufficientSignals', period, indices };
  if (signalsDiverge(available)) return { kind: 'frozen', period, indices };

  const aciMicroUsdWad = computeAci(indices, input.postFeeMicroMolt, oracle.priceMicroUsdPerMolt);
  if (aciMicroUsdWad === null) return { kind: 'insufficientSignals', period, indices };
  if (aciMicroUsdWad > ACI_UPPER_MICRO_USD * WAD)
    return {
      kind: 'adjust',
      period,
      indices,
      aciMicroUsdWad,
      direction: 'decrease',
      factorNum: ACI_DECREASE_FACTOR_BPS,
      factorDen: BPS,
    };
  if (aciMicroUsdWad < ACI_LOWER_MICRO_USD * WAD)
    return {
      kind: 'adjust',
      period,
      indices,
      aciMicroUsdWad,
      direction: 'increase',
      factorNum: ACI_INCREASE_FACTOR_BPS,
      factorDen: BPS,
    };
  return { kind: 'none', period, indices, aciMicroUsdWad };
}

// ───────────────────────────── canonical encoding ─────────────────────────────

const SAMPLE_NONE = 0;
const SAMPLE_VALUE = 1;
const SAMPLE_OUTLIER = 2;

/**
 * Canonical bytes of the ACI state (for the state root): u8 version ‖ u8 hasLastEpoch (0 | 1) ‖
 * [u64be lastEpoch] ‖ u64be lastAdjustmentPeriod ‖ u8 count ‖ for each signal in ACI_SIGNALS order,
 * count × (u8 tag: 0 none | 1 value | 2 outlier value ‖ [u64be value]).
 */
export function encodeAci(state: AciState): Uint8Array {
  const count = state.samples.bounty.length;
  for (const name of ACI_SIGNALS) {
    if (state.samples[name].length !== count)
      throw new RangeError('ACI signal histories differ in length');
  }
  const w = new ByteWriter(32 + 4 * count * 9);
  w.u8(ACI_STATE_VERSION);
  if (state.lastEpoch === null) w.u8(0);
  else w.u8(1).u64n(state.lastEpoch);
  w.u64n(state.lastAdjustmentPeriod).u8(count);
  for (const name of ACI_SIGNALS) {
    for (const s of state.samples[name]) {
      if (s === null) w.u8(SAMPLE_NONE);
      else w.u8(s.outlier ? SAMPLE_OUTLIER : SAMPLE_VALUE).u64n(s.value);
    }
  }
  return w.finish();
}

/** A big-endian u64 as a bigint (ByteReader's u64 stops at 2^53). */
function readU64n(r: ByteReader): bigint {
  const b = r.fixed(8);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
}

/** Runs a decoder, turning any malformation (CodecError included) into a RangeError. */
function decodeOrRangeError<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof RangeError) throw err;
    const code = (err as { code?: unknown }).code;
    throw new RangeError(
      `malformed ${what}: ${typeof code === 'string' ? `${code}: ` : ''}${(err as Error).message}`,
      { cause: err },
    );
  }
}

/**
 * Decodes `encodeAci` bytes. RangeError on anything `encodeAci` cannot produce: unknown version,
 * truncation, trailing bytes, bad tags, more than ACI_BASELINE_EPOCHS samples, samples without a
 * last epoch or more samples than epochs up to it.
 */
export function decodeAci(bytes: Uint8Array): AciState {
  return decodeOrRangeError('ACI state', () => {
    const r = new ByteReader(bytes);
    const version = r.u8();
    if (version !== ACI_STATE_VERSION) throw new RangeError(`unknown ACI state version ${version}`);
    const has = r.u8();
    if (has > 1) throw new RangeError(`bad lastEpoch tag ${has}`);
    const lastEpoch = has === 1 ? readU64n(r) : null;
    const lastAdjustmentPeriod = readU64n(r);
    const count = r.u8();
    if (count > ACI_BASELINE_EPOCHS) throw new RangeError(`${count} samples per signal`);
    if (lastEpoch === null ? count !== 0 : count === 0 || BigInt(count) > lastEpoch + 1n)
      throw new RangeError(`${count} samples do not fit last epoch ${lastEpoch}`);
    const state = newAci();
    state.lastEpoch = lastEpoch;
    state.lastAdjustmentPeriod = lastAdjustmentPeriod;
    for (const name of ACI_SIGNALS) {
      for (let i = 0; i < count; i++) {
        const tag = r.u8();
        if (tag === SAMPLE_NONE) state.samples[name].push(null);
        else if (tag === SAMPLE_VALUE || tag === SAMPLE_OUTLIER)
          state.samples[name].push({ value: readU64n(r), outlier: tag === SAMPLE_OUTLIER });
        else throw new RangeError(`bad sample tag ${tag}`);
      }
    }
    r.end();
    return state;
  });
}
