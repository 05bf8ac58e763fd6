/**
 * Deterministic fixed-point arithmetic on bigint for everything that feeds a state root
 * (STYLE.md "Numbers in consensus"): no floating point, no `Math.*`. A WAD value `v` stands for
 * the real number v / 10^18.
 *
 * Rounding: every function returns the floor (toward −∞) of its exact result, or — for the
 * transcendental ones — the floor or one less; each states its bound. "ulp" is one unit of the
 * last place of the result, 10^-18 for WAD results. The bounds are asserted against independent
 * high-precision references in rollup/test/economy/math/fixedPoint.test.ts.
 *
 * Internally the transcendental functions work in binary fixed point with INTERNAL_BITS = 320
 * fractional bits, so their own rounding (≈ 2^-300 relative) is far below one WAD ulp; what is
 * left is the final floor.
 */

/** 1.0 in WAD fixed point. */
export const WAD = 10n ** 18n;

/** Fractional bits of the internal binary fixed point of log, exp and sigmoid. */
const INTERNAL_BITS = 320n;
const ONE = 1n << INTERNAL_BITS;

/** Fractional bits computed by the log2 digit loop (the result is truncated after them). */
const LOG2_FRACTION_BITS = 96n;

/** Largest `x` accepted by `expWad`: e^135 × 10^18 ≈ 4.3 × 10^76 < 2^255. */
export const EXP_WAD_MAX_INPUT = 135n * WAD;

/** Below this `expWad` returns 0 without computing: e^-42 × 10^18 ≈ 0.57 < 1 ulp. */
export const EXP_WAD_ZERO_BELOW = -42n * WAD;

/**
 * `sigmoidWad(x)` is 0 for x ≥ this (1/(1+e^64) ≈ 1.6 × 10^-28 < 1 ulp) and WAD − 1 for x ≤ −this
 * (1 − e^-64 floors to WAD − 1: the exact value is always strictly below 1).
 */
export const SIGMOID_WAD_SATURATION = 64n * WAD;

/** `powWad` results must stay below 2^256 ulp (base^n < 1.16 × 10^59). */
const POW_WAD_RESULT_LIMIT = 1n << 256n;

/** Floor division (toward −∞) for any signed operands; RangeError on a zero divisor. */
export function floorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero');
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** floor(a × b / WAD). Exact floor for any signed operands (−1.5 ulp → −2 ulp). */
export function mulWad(a: bigint, b: bigint): bigint {
  return floorDiv(a * b, WAD);
}

/** floor(a × WAD / b). Exact floor for any signed operands; RangeError if b = 0. */
export function divWad(a: bigint, b: bigint): bigint {
  return floorDiv(a * WAD, b);
}

/** floor(a × b / d) with the full-width product (bigint never overflows); RangeError if d = 0. */
export function mulDiv(a: bigint, b: bigint, d: bigint): bigint {
  return floorDiv(a * b, d);
}

/** Number of bits of a positive bigint (bitLength(1) = 1). */
export function bitLength(n: bigint): number {
  if (n <= 0n) throw new RangeError(`bitLength of a non-positive value: ${n}`);
  let bits = 0;
  let v = n;
  while (v >= 1n << 256n) {
    v >>= 256n;
    bits += 256;
  }
  while (v >= 1n << 16n) {
    v >>= 16n;
    bits += 16;
  }
  while (v > 0n) {
    v >>= 1n;
    bits += 1;
  }
  return bits;
}

/** floor(√n), exact, by Newton's iteration from above. RangeError if n < 0. */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError(`isqrt of a negative value: ${n}`);
  if (n < 2n) return n;
  // 2^ceil(bits/2) ≥ √n: Newton's iteration decreases monotonically to floor(√n) from there.
  let x = 1n << BigInt((bitLength(n) + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** √x for a WAD x ≥ 0: floor(√(x × WAD)), the exact floor. RangeError if x < 0. */
export function sqrtWad(x: bigint): bigint {
  if (x < 0n) throw new RangeError(`sqrtWad of a negative value: ${x}`);
  return isqrt(x * WAD);
}

/** ln 2 × 2^(INTERNAL_BITS + 64), from ln 2 = 2 atanh(1/3) = Σ 2 / ((2i+1) 3^(2i+1)). */
function ln2Scaled(): bigint {
  const scale = 1n << (INTERNAL_BITS + 64n);
  let sum = 0n;
  let pow = 3n; // 3^(2i+1)
  for (let i = 0n; ; i++) {
    const term = (2n * scale) / ((2n * i + 1n) * pow);
    if (term === 0n) break;
    sum += term;
    pow *= 9n;
  }
  return sum;
}

/** ln 2 × 2^INTERNAL_BITS, floor (computed once with 64 guard bits, integer-only). */
const LN2 = ln2Scaled() >> 64n;

/**
 * log2(x / WAD) for x > 0 as an integer scaled by 2^LOG2_FRACTION_BITS: integer part exact, the
 * fraction truncated, so exact − 2^-96 < result ≤ exact (+ ≈ 2^-200 of internal rounding).
 */
function log2Scaled(x: bigint): bigint {
  // Integer part n = floor(log2(x / WAD)): 2^n × WAD ≤ x < 2^(n+1) × WAD.
  let n = BigInt(bitLength(x) - bitLength(WAD));
  const atLeast = (k: bigint) => (k >= 0n ? x >= WAD << k : x << -k >= WAD);
  while (!atLeast(n)) n -= 1n;
  while (atLeast(n + 1n)) n += 1n;
  // y = x / (WAD × 2^n) ∈ [1, 2) in fixed point with INTERNAL_BITS fractional bits.
  const shift = INTERNAL_BITS - n;
  let y = shift >= 0n ? (x << shift) / WAD : (x >> -shift) / WAD;
  const two = ONE << 1n;
  let frac = 0n;
  // Binary digits of log2(y): square, and a square ≥ 2 means the next digit is 1.
  for (let i = 0n; i < LOG2_FRACTION_BITS; i++) {
    y = (y * y) >> INTERNAL_BITS;
    frac <<= 1n;
    if (y >= two) {
      y >>= 1n;
      frac |= 1n;
    }
  }
  return (n << LOG2_FRACTION_BITS) + frac;
}

/**
 * log2(x) for a WAD x > 0, as a signed WAD. Error: the result is floor(exact) or floor(exact) − 1,
 * never above the exact value (exact − result < 1 + 10^-10 ulp). RangeError if x ≤ 0.
 */
export function log2Wad(x: bigint): bigint {
  if (x <= 0n) throw new RangeError(`log2Wad of a non-positive value: ${x}`);
  return floorDiv(log2Scaled(x) * WAD, 1n << LOG2_FRACTION_BITS);
}

/**
 * ln(x) for a WAD x > 0, as a signed WAD: log2(x) × ln 2. Error: floor(exact) or floor(exact) − 1
 * (exact − result < 1 + 10^-10 ulp); lnWad(WAD) = 0 exactly. RangeError if x ≤ 0.
 */
export function lnWad(x: bigint): bigint {
  if (x <= 0n) throw new RangeError(`lnWad of a non-positive value: ${x}`);
  return floorDiv(log2Scaled(x) * LN2 * WAD, 1n << (LOG2_FRACTION_BITS + INTERNAL_BITS));
}

/**
 * e^(x / WAD) × 2^INTERNAL_BITS for WAD x in [EXP_WAD_ZERO_BELOW, EXP_WAD_MAX_INPUT]: relative
 * error ≈ 2^-300. Range reduction e^x = 2^k × e^r with k = round(x / ln 2), |r| ≤ ln 2 / 2, then
 * the Taylor series of e^r to the last internal bit.
 */
function expScaled(x: bigint): bigint {
  const xs = floorDiv(x << INTERNAL_BITS, WAD);
  const k = floorDiv(xs + (LN2 >> 1n), LN2);
  const r = xs - k * LN2;
  let sum = ONE;
  let term = ONE;
  for (let i = 1n; term !== 0n; i++) {
    term = (term * r) / (i << INTERNAL_BITS); // truncates toward 0: |error| < 1 internal unit
    sum += term;
  }
  return k >= 0n ? sum << k : sum >> -k;
}

/**
 * e^x for a signed WAD x, as a WAD. Error: |result − exact| < 1 ulp (the result is floor(exact)
 * except when exact lies within ≈ 2^-40 ulp of an integer); expWad(0) = WAD exactly. Returns 0 for
 * x < EXP_WAD_ZERO_BELOW (exact < 0.58 ulp). RangeError if x > EXP_WAD_MAX_INPUT (135.0).
 */
export function expWad(x: bigint): bigint {
  if (x > EXP_WAD_MAX_INPUT) throw new RangeError(`expWad input above 135 WAD: ${x}`);
  if (x < EXP_WAD_ZERO_BELOW) return 0n;
  return (expScaled(x) * WAD) >> INTERNAL_BITS;
}

/**
 * base^n for a WAD base ≥ 0 and an integer n ≥ 0, by square-and-multiply in 384-bit binary fixed
 * point (every step floors, so the result never exceeds the exact value). Error: for base ≤ WAD
 * (decay factors such as §12.3's 0.995^days) the result is floor(exact) or floor(exact) − 1; for
 * base > WAD the same while n < 2^64. powWad(b, 0) = WAD (also for b = 0), powWad(0, n > 0) = 0.
 * RangeError if base < 0, n < 0, or the result would reach 2^256 ulp (≈ 1.16 × 10^59).
 */
export function powWad(base: bigint, n: bigint): bigint {
  if (base < 0n) throw new RangeError(`powWad of a negative base: ${base}`);
  if (n < 0n) throw new RangeError(`powWad with a negative exponent: ${n}`);
  if (n === 0n) return WAD;
  if (base === 0n) return 0n;
  const bits = 384n;
  // Any intermediate power above this already puts the result beyond the limit (base > 1 then).
  const limit = POW_WAD_RESULT_LIMIT << bits;
  let b = (base << bits) / WAD;
  let acc = 1n << bits;
  let e = n;
  for (;;) {
    if (e & 1n) {
      acc = (acc * b) >> bits;
      if (acc >= limit) throw new RangeError('powWad result exceeds 2^256 ulp');
    }
    e >>= 1n;
    if (e === 0n || acc === 0n) break;
    b = (b * b) >> bits;
    if (b === 0n) {
      acc = 0n;
      break;
    }
    if (b >= limit) throw new RangeError('powWad result exceeds 2^256 ulp');
  }
  const result = (acc * WAD) >> bits;
  if (result >= POW_WAD_RESULT_LIMIT) throw new RangeError('powWad result exceeds 2^256 ulp');
  return result;
}

/**
 * The logistic damper 1 / (1 + e^x) for a signed WAD x, as a WAD in [0, WAD). Error: |result −
 * exact| < 1 ulp (floor(exact) except within ≈ 2^-200 ulp of an integer); sigmoidWad(0) = WAD / 2
 * exactly. Saturates outside ±SIGMOID_WAD_SATURATION (64): 0 above, WAD − 1 below. Never throws.
 */
export function sigmoidWad(x: bigint): bigint {
  if (x >= SIGMOID_WAD_SATURATION) return 0n;
  if (x <= -SIGMOID_WAD_SATURATION) return WAD - 1n;
  return (WAD * ONE) / (ONE + expScaled(x));
}
