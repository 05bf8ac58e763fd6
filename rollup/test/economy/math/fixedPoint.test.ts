import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  bitLength,
  divWad,
  EXP_WAD_MAX_INPUT,
  expWad,
  floorDiv,
  isqrt,
  lnWad,
  log2Wad,
  mulDiv,
  mulWad,
  powWad,
  SIGMOID_WAD_SATURATION,
  sigmoidWad,
  sqrtWad,
  WAD,
} from '../../../src/economy/math/fixedPoint.ts';

/*
 * References: decimal fixed point at S = 10^100 (82 digits beyond a WAD ulp), computed with
 * algorithms different from the implementation's (which is binary, 2^320, log2 by squaring, exp by
 * ln 2 range reduction): ln by atanh series with ln 2 = Σ 1/(k 2^k); exp by halving + Taylor +
 * squaring. The reference error is below 10^-90, i.e. 10^-72 ulp.
 */
const S = 10n ** 100n;
const ULP = S / WAD; // one WAD ulp in reference units (10^82)
const REF_TOL = 10n ** 12n; // reference error allowance, 10^-70 ulp

/** ln 2 × S from Σ_{k≥1} 1 / (k 2^k), with 20 guard digits. */
const LN2_REF = (() => {
  const g = S * 10n ** 20n;
  let sum = 0n;
  let pow = 2n;
  for (let k = 1n; ; k++) {
    const term = g / (k * pow);
    if (term === 0n) break;
    sum += term;
    pow *= 2n;
  }
  return sum / 10n ** 20n;
})();

/** ln(x / WAD) × S for x > 0. */
function lnRef(x: bigint): bigint {
  const g = 10n ** 20n;
  const G = S * g; // guard digits
  // x / WAD = m × 2^e with m ∈ [1, 2)
  let e = 0n;
  let num = x;
  let den = WAD;
  while (num >= 2n * den) {
    den *= 2n;
    e += 1n;
  }
  while (num < den) {
    num *= 2n;
    e -= 1n;
  }
  const m = (num * G) / den;
  const z = ((m - G) * G) / (m + G); // (m−1)/(m+1) ≤ 1/3
  const z2 = (z * z) / G;
  let term = z;
  let sum = 0n;
  for (let i = 1n; term !== 0n; i += 2n) {
    sum += term / i;
    term = (term * z2) / G;
  }
  return e * LN2_REF + (2n * sum) / g;
}

/** e^(num / den) × S (den > 0). */
function expRefFrac(num: bigint, den: bigint): bigint {
  const G = 10n ** 160n; // working scale
  // r = num / den / 2^m with |r| < 2^-12
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
  return (sum * S) / G;
}

/** e^(x / WAD) × S. */
const expRef = (x: bigint) => expRefFrac(x, WAD);

/** Asserts lo ≤ exact − result × ULP < hi (reference units). */
function assertBetween(what: string, exact: bigint, result: bigint, lo: bigint, hi: bigint): void {
  const d = exact - result * ULP;
  assert.ok(
    d >= lo && d < hi,
    `${what}: exact − result = ${Number((d * 10n ** 6n) / ULP) / 1e6} ulp outside the bound`,
  );
}

const wadRange = (min: bigint, max: bigint) => fc.bigInt({ min, max });
const positives = fc.oneof(
  wadRange(1n, 1_000n), // tiny
  wadRange(WAD - 1_000n, WAD + 1_000n), // around 1.0
  wadRange(1n, WAD), // (0, 1]
  wadRange(WAD, 1n << 90n),
  wadRange(1n, 1n << 256n), // huge
);

describe('fixed point: the references', () => {
  it('agree with known constants (50 digits)', () => {
    const d50 = 10n ** 50n;
    assert.equal(LN2_REF / d50, 69314718055994530941723212145817656807550013436025n);
    assert.equal(expRef(WAD) / d50, 271828182845904523536028747135266249775724709369995n);
    assert.equal(lnRef(10n * WAD) / d50, 230258509299404568401799145468436420760110148862877n);
  });
});

describe('fixed point: floor arithmetic', () => {
  it('floorDiv rounds toward −∞ for every sign combination, RangeError on 0', () => {
    assert.equal(floorDiv(7n, 2n), 3n);
    assert.equal(floorDiv(-7n, 2n), -4n);
    assert.equal(floorDiv(7n, -2n), -4n);
    assert.equal(floorDiv(-7n, -2n), 3n);
    assert.equal(floorDiv(-8n, 2n), -4n);
    assert.throws(() => floorDiv(1n, 0n), RangeError);
    fc.assert(
      fc.property(
        fc.bigInt(),
        fc.bigInt().filter((b) => b !== 0n),
        (a, b) => {
          const q = floorDiv(a, b);
          // q ≤ a/b < q + 1, i.e. b·q ≤ a < b·(q+1) for b > 0 (reversed for b < 0)
          if (b > 0n) assert.ok(b * q <= a && a < b * (q + 1n));
          else assert.ok(b * q >= a && a > b * (q + 1n));
        },
      ),
    );
  });

  it('mulWad / divWad / mulDiv are exact floors', () => {
    assert.equal(mulWad(3n * WAD, WAD / 2n), (3n * WAD) / 2n);
    assert.equal(mulWad(-1n, 1n), -1n); // −10^-36 floors to −1 ulp
    assert.equal(divWad(WAD, 3n * WAD), 333_333_333_333_333_333n);
    assert.equal(divWad(-WAD, 3n * WAD), -333_333_333_333_333_334n);
    assert.equal(mulDiv(10n, 10n, 7n), 14n);
    assert.throws(() => divWad(1n, 0n), RangeError);
    assert.throws(() => mulDiv(1n, 1n, 0n), RangeError);
    const big = fc.bigInt({ min: -(1n << 200n), max: 1n << 200n });
    fc.assert(
      fc.property(big, big, (a, b) => {
        const r = mulWad(a, b);
        assert.ok(r * WAD <= a * b && a * b < (r + 1n) * WAD);
        if (b !== 0n) {
          const q = divWad(a, b);
          const lhs = a * WAD; // q ≤ a·WAD / b < q + 1
          if (b > 0n) assert.ok(q * b <= lhs && lhs < (q + 1n) * b);
          else assert.ok(q * b >= lhs && lhs > (q + 1n) * b);
        }
      }),
    );
  });

  it('isqrt is the exact floor √; sqrtWad = isqrt(x × WAD); RangeError below 0', () => {
    for (const [n, r] of [
      [0n, 0n],
      [1n, 1n],
      [2n, 1n],
      [3n, 1n],
      [4n, 2n],
      [99n, 9n],
      [100n, 10n],
    ] as const)
      assert.equal(isqrt(n), r);
    assert.equal(sqrtWad(4n * WAD), 2n * WAD);
    assert.equal(sqrtWad(2n * WAD), 1_414_213_562_373_095_048n); // √2 = 1.41421356237309504880…
    assert.equal(sqrtWad(0n), 0n);
    assert.equal(sqrtWad(1n), 1_000_000_000n); // √(10^-18) = 10^-9
    assert.throws(() => isqrt(-1n), RangeError);
    assert.throws(() => sqrtWad(-1n), RangeError);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 520n }), (n) => {
        const r = isqrt(n);
        assert.ok(r * r <= n && n < (r + 1n) * (r + 1n));
        const s = sqrtWad(n);
        assert.ok(s * s <= n * WAD && n * WAD < (s + 1n) * (s + 1n));
      }),
    );
  });

  it('bitLength', () => {
    assert.equal(bitLength(1n), 1);
    assert.equal(bitLength(255n), 8);
    assert.equal(bitLength(256n), 9);
    assert.equal(bitLength(1n << 1000n), 1001);
    assert.throws(() => bitLength(0n), RangeError);
  });
});

describe('fixed point: log2Wad and lnWad (asserted: 0 ≤ exact − result < 1 + 10^-9 ulp)', () => {
  const lo = -REF_TOL;
  const hi = ULP + ULP / 10n ** 9n;

  it('exact at powers of two and at 1.0; RangeError at ≤ 0', () => {
    for (let k = -59n; k <= 190n; k++) {
      const x = k >= 0n ? WAD << k : WAD >> -k;
      if ((k >= 0n ? x >> k : x << -k) !== WAD) continue; // 2^k not representable
      assert.equal(log2Wad(x), k * WAD, `log2(2^${k})`);
    }
    assert.equal(lnWad(WAD), 0n);
    assert.equal(log2Wad(3n * WAD), 1_584_962_500_721_156_181n); // 1.5849625007211561814537…
    assert.equal(lnWad(2n * WAD), 693_147_180_559_945_309n); // 0.6931471805599453094172…
    assert.equal(log2Wad(1n), -59_794_705_707_972_522_262n); // log2(10^-18) = −59.7947057079725222616…
    for (const bad of [0n, -1n, -WAD]) {
      assert.throws(() => log2Wad(bad), RangeError);
      assert.throws(() => lnWad(bad), RangeError);
    }
  });

  it('match the reference over tiny, near-1, fractional and huge inputs', () => {
    fc.assert(
      fc.property(positives, (x) => {
        const ln = lnRef(x);
        assertBetween(`lnWad(${x})`, ln, lnWad(x), lo, hi);
        assertBetween(`log2Wad(${x})`, (ln * S) / LN2_REF, log2Wad(x), lo, hi);
      }),
      { numRuns: 300 },
    );
  });

  it('are monotone (non-decreasing)', () => {
    fc.assert(
      fc.property(positives, positives, (a, b) => {
        const [x, y] = a <= b ? [a, b] : [b, a];
        assert.ok(log2Wad(x) <= log2Wad(y));
        assert.ok(lnWad(x) <= lnWad(y));
      }),
    );
  });
});

describe('fixed point: expWad (asserted: −10^-9 ≤ exact − result < 1 + 10^-9 ulp)', () => {
  const lo = -ULP / 10n ** 9n;
  const hi = ULP + ULP / 10n ** 9n;

  it('edge values', () => {
    assert.equal(expWad(0n), WAD);
    assert.equal(expWad(WAD), 2_718_281_828_459_045_235n); // e = 2.71828182845904523536…
    assert.equal(expWad(-WAD), 367_879_441_171_442_321n); // 1/e = 0.36787944117144232159…
    assert.equal(expWad(-42n * WAD - 1n), 0n);
    assert.equal(expWad(-(10n ** 40n)), 0n);
    assert.equal(expWad(-41n * WAD), 1n); // e^-41 = 1.56 × 10^-18
    assert.ok(expWad(EXP_WAD_MAX_INPUT) < 1n << 255n);
    assert.throws(() => expWad(EXP_WAD_MAX_INPUT + 1n), RangeError);
  });

  it('matches the reference over [−42, 135]', () => {
    const xs = fc.oneof(
      fc.bigInt({ min: -42n * WAD, max: EXP_WAD_MAX_INPUT }),
      fc.bigInt({ min: -1_000n, max: 1_000n }),
      fc.bigInt({ min: -WAD, max: WAD }),
      fc.constantFrom(-42n * WAD, EXP_WAD_MAX_INPUT, 1n, -1n),
    );
    fc.assert(
      fc.property(xs, (x) => assertBetween(`expWad(${x})`, expRef(x), expWad(x), lo, hi)),
      { numRuns: 300 },
    );
  });

  it('is monotone and inverts lnWad within the combined bound', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: WAD / 1_000n, max: 1_000n * WAD }), (x) => {
        // e^(ln x): ln is ≤ 1 ulp low, e^ has slope x there, so ≤ x × 1 ulp + 1 ulp low
        const back = expWad(lnWad(x));
        assert.ok(back <= x + 1n && x - back <= (x * 2n) / WAD + 2n, `${x} → ${back}`);
      }),
    );
  });
});

describe('fixed point: sigmoidWad = 1/(1+e^x) (asserted: |exact − result| < 1 + 10^-9 ulp)', () => {
  it('edge values and saturation', () => {
    assert.equal(sigmoidWad(0n), WAD / 2n);
    assert.equal(sigmoidWad(SIGMOID_WAD_SATURATION), 0n);
    assert.equal(sigmoidWad(10n ** 40n), 0n);
    assert.equal(sigmoidWad(-SIGMOID_WAD_SATURATION), WAD - 1n);
    assert.equal(sigmoidWad(-(10n ** 40n)), WAD - 1n);
    assert.equal(sigmoidWad(WAD), 268_941_421_369_995_120n); // 0.26894142136999512074…
  });

  it('matches the reference and is symmetric: σ(x) + σ(−x) ∈ {WAD − 1, WAD}', () => {
    const xs = fc.oneof(
      fc.bigInt({ min: -SIGMOID_WAD_SATURATION, max: SIGMOID_WAD_SATURATION }),
      fc.bigInt({ min: -WAD, max: WAD }),
      fc.bigInt({ min: -1_000n, max: 1_000n }),
    );
    fc.assert(
      fc.property(xs, (x) => {
        const exact = (S * S) / (S + expRef(x));
        const r = sigmoidWad(x);
        const d = exact - r * ULP;
        assert.ok(d > -ULP / 10n ** 9n && d < ULP + ULP / 10n ** 9n, `sigmoid(${x})`);
        const sum = r + sigmoidWad(-x);
        assert.ok(sum === WAD || sum === WAD - 1n, `σ(${x}) + σ(−x) = ${sum}`);
      }),
      { numRuns: 300 },
    );
  });

  it('is non-increasing', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -70n * WAD, max: 70n * WAD }),
        fc.bigInt({ min: 0n, max: WAD }),
        (x, dx) => {
          assert.ok(sigmoidWad(x + dx) <= sigmoidWad(x));
        },
      ),
    );
  });
});

describe('fixed point: powWad (asserted: result = floor(exact) or floor(exact) − 1)', () => {
  /** floor(base^n / WAD^(n−1)): the exact WAD power. */
  const exactPow = (base: bigint, n: bigint) => (n === 0n ? WAD : base ** n / WAD ** (n - 1n));

  it('§12.3 0.995^days: half-life ~139 days, exact-rational reference', () => {
    const d = 995n * 10n ** 15n;
    for (const days of [0n, 1n, 2n, 30n, 138n, 139n, 365n, 1_000n, 3_650n]) {
      const r = powWad(d, days);
      const f = exactPow(d, days);
      assert.ok(r === f || r === f - 1n, `0.995^${days}: ${r} vs ${f}`);
    }
    assert.ok(powWad(d, 138n) > WAD / 2n && powWad(d, 139n) < WAD / 2n); // C.4 half-life
  });

  it('edge values and RangeErrors', () => {
    assert.equal(powWad(0n, 0n), WAD);
    assert.equal(powWad(0n, 5n), 0n);
    assert.equal(powWad(WAD, 10n ** 30n), WAD);
    assert.equal(powWad(2n * WAD, 10n), 1024n * WAD);
    assert.equal(powWad(WAD / 2n, 3n), WAD / 8n);
    assert.equal(powWad(WAD - 1n, 1n << 200n), 0n); // (1 − 10^-18)^(2^200) underflows
    assert.equal(powWad(2n * WAD, 190n), (1n << 190n) * WAD);
    assert.throws(() => powWad(2n * WAD, 200n), RangeError); // 2^200 × 10^18 ≥ 2^256
    assert.throws(() => powWad(-WAD, 2n), RangeError);
    assert.throws(() => powWad(WAD, -1n), RangeError);
  });

  it('matches the exact rational power for random bases and exponents', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt({ min: 0n, max: WAD }), fc.bigInt({ min: WAD, max: 3n * WAD })),
        fc.bigInt({ min: 0n, max: 150n }),
        (base, n) => {
          const f = exactPow(base, n);
          if (f >= 1n << 256n) return void assert.throws(() => powWad(base, n), RangeError);
          const r = powWad(base, n);
          assert.ok(r === f || r === f - 1n, `${base}^${n}: ${r} vs ${f}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches the reference for large exponents of decay factors', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: WAD / 2n, max: WAD }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        (base, n) => {
          // exact = e^(n ln base), reference error ≈ 10^-85 relative
          const exact = expRefFrac(n * lnRef(base), S);
          assertBetween(`${base}^${n}`, exact, powWad(base, n), -REF_TOL, ULP + ULP / 10n ** 9n);
        },
      ),
      { numRuns: 100 },
    );
  });
});
