/**
 * Robust statistics on bigint for the monetary policy (§10.6): medians, trimming, the 3σ outlier
 * rule and time-weighted averages. Integer-only and deterministic; every rounding is stated.
 * Inputs are never mutated.
 */
import { floorDiv, isqrt, WAD } from './fixedPoint.ts';

/** Basis points in one (the unit of `fractionBps`). */
const BPS = 10_000n;

function sorted(values: readonly bigint[]): bigint[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The median; for an even count the floor (toward −∞) of the mean of the two middle values.
 * RangeError on an empty list.
 */
export function median(values: readonly bigint[]): bigint {
  const n = values.length;
  if (n === 0) throw new RangeError('median of an empty list');
  const s = sorted(values);
  const hi = s[n >> 1] as bigint;
  if (n % 2 === 1) return hi;
  return floorDiv((s[(n >> 1) - 1] as bigint) + hi, 2n);
}

/**
 * The weighted median. Entries are sorted by value (entries of equal value act as one with the
 * summed weight); zero weights are ignored. With W the total weight and C(k) the cumulative weight
 * up to the k-th smallest value, the result is the value of the first k with 2·C(k) ≥ W — except
 * when 2·C(k) = W exactly (the weight splits evenly there), where it is the floor of the mean of
 * that value and the next one. So equal weights give exactly `median`.
 *
 * RangeError if the lengths differ, a weight is negative or the total weight is 0.
 */
export function weightedMedian(values: readonly bigint[], weights: readonly bigint[]): bigint {
  if (values.length !== weights.length)
    throw new RangeError(`${values.length} values but ${weights.length} weights`);
  const entries: { value: bigint; weight: bigint }[] = [];
  let total = 0n;
  for (let i = 0; i < values.length; i++) {
    const weight = weights[i] as bigint;
    if (weight < 0n) throw new RangeError(`negative weight ${weight}`);
    if (weight === 0n) continue;
    entries.push({ value: values[i] as bigint, weight });
    total += weight;
  }
  if (total === 0n) throw new RangeError('weighted median of a zero total weight');
  entries.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  let cumulative = 0n;
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k] as { value: bigint; weight: bigint };
    cumulative += e.weight;
    if (2n * cumulative > total) return e.value;
    if (2n * cumulative === total) {
      // The remaining weight is total / 2 > 0, so a next entry exists.
      const next = entries[k + 1] as { value: bigint };
      return floorDiv(e.value + next.value, 2n);
    }
  }
  throw new Error('unreachable: cumulative weight reaches the total');
}

/**
 * The values sorted ascending with the lowest and the highest k = floor(n × fractionBps / 10,000)
 * dropped (so 10 % of 25 values drops 2 at each end, of 9 values none). `fractionBps` must be in
 * [0, 5,000): at least one value of a non-empty list survives. RangeError otherwise.
 */
export function trimmedValues(values: readonly bigint[], fractionBps: bigint): bigint[] {
  if (fractionBps < 0n || fractionBps >= BPS / 2n)
    throw new RangeError(`trim fraction must be in [0, 5000) bps: ${fractionBps}`);
  const k = Number((BigInt(values.length) * fractionBps) / BPS);
  return sorted(values).slice(k, values.length - k);
}

/** Sum, sum of squares and count: what the exact σ comparisons below work on. */
function moments(values: readonly bigint[]): { n: bigint; sum: bigint; sumSq: bigint } {
  let sum = 0n;
  let sumSq = 0n;
  for (const v of values) {
    sum += v;
    sumSq += v * v;
  }
  return { n: BigInt(values.length), sum, sumSq };
}

/**
 * Mean and population standard deviation (divisor n: the window is the whole population the 3σ
 * rule of §10.6 looks at), both as WAD multiples of the values' unit: meanWad = floor(Σv × WAD / n)
 * (toward −∞), stdDevWad = floor(√(n·Σv² − (Σv)²) × WAD / n), exact floors. RangeError if empty.
 */
export function meanAndStdDev(values: readonly bigint[]): { meanWad: bigint; stdDevWad: bigint } {
  if (values.length === 0) throw new RangeError('mean of an empty list');
  const { n, sum, sumSq } = moments(values);
  // σ × WAD = √(n·Q − S²) × WAD / n = √((n·Q − S²) × WAD²) / n; floor(floor(√a)/n) = floor(√a/n).
  return {
    meanWad: floorDiv(sum * WAD, n),
    stdDevWad: isqrt((n * sumSq - sum * sum) * WAD * WAD) / n,
  };
}

/**
 * Whether `value` lies strictly more than `kSigma` population standard deviations from the mean of
 * `reference`: |v − μ| > k·σ, decided exactly as (n·v − Σr)² > k²·(n·Σr² − (Σr)²), no rounding.
 * An empty reference flags nothing; a constant reference (σ = 0) flags every other value.
 * RangeError if kSigma < 0.
 */
export function isOutlier(value: bigint, reference: readonly bigint[], kSigma: bigint): boolean {
  if (kSigma < 0n) throw new RangeError(`negative kSigma ${kSigma}`);
  if (reference.length === 0) return false;
  const { n, sum, sumSq } = moments(reference);
  const dev = n * value - sum;
  return dev * dev > kSigma * kSigma * (n * sumSq - sum * sum);
}

/**
 * The values (in their order) that are not outliers against the mean and σ of `reference` (see
 * `isOutlier`; §10.6 passes the 10-epoch window and kSigma = 3).
 */
export function excludeOutliers(
  values: readonly bigint[],
  reference: readonly bigint[],
  kSigma: bigint,
): bigint[] {
  if (kSigma < 0n) throw new RangeError(`negative kSigma ${kSigma}`);
  return values.filter((v) => !isOutlier(v, reference, kSigma));
}

/** One sample of a time-weighted average: a value held for `weight` (a duration, e.g. slots). */
export interface WeightedSample {
  readonly value: bigint;
  readonly weight: bigint;
}

/**
 * floor(Σ value × weight / Σ weight) (toward −∞); null when the total weight is 0 (no samples).
 * RangeError on a negative weight.
 */
export function timeWeightedAverage(samples: readonly WeightedSample[]): bigint | null {
  let num = 0n;
  let den = 0n;
  for (const s of samples) {
    if (s.weight < 0n) throw new RangeError(`negative weight ${s.weight}`);
    num += s.value * s.weight;
    den += s.weight;
  }
  return den === 0n ? null : floorDiv(num, den);
}
