import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { WAD } from '../../../src/economy/math/fixedPoint.ts';
import {
  excludeOutliers,
  isOutlier,
  meanAndStdDev,
  median,
  timeWeightedAverage,
  trimmedValues,
  weightedMedian,
} from '../../../src/economy/math/stats.ts';

const asc = (v: readonly bigint[]) => [...v].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
/** Floor of a / 2 toward −∞, written differently from the implementation. */
const floorHalf = (a: bigint) => (a >= 0n ? a / 2n : -((-a + 1n) / 2n));
const values = fc.array(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), {
  minLength: 1,
  maxLength: 40,
});

describe('median', () => {
  it('odd count: the middle; even count: floor of the mean of the two middle', () => {
    assert.equal(median([5n]), 5n);
    assert.equal(median([3n, 1n, 2n]), 2n);
    assert.equal(median([4n, 1n, 2n, 3n]), 2n); // 2.5 → 2
    assert.equal(median([-4n, -1n, -2n, -3n]), -3n); // −2.5 → −3 (toward −∞)
    assert.equal(median([1n, 1n, 100n, 100n]), 50n);
    assert.throws(() => median([]), RangeError);
  });

  it('matches the sort-and-pick reference and leaves its input alone', () => {
    fc.assert(
      fc.property(values, (v) => {
        const copy = [...v];
        const s = asc(v);
        const n = s.length;
        const ref =
          n % 2 === 1
            ? (s[(n - 1) / 2] as bigint)
            : floorHalf((s[n / 2 - 1] as bigint) + (s[n / 2] as bigint));
        assert.equal(median(v), ref);
        assert.deepEqual(v, copy);
      }),
    );
  });
});

describe('weightedMedian', () => {
  it('tie rule: at exactly half the weight, the floor of the mean with the next value', () => {
    assert.equal(weightedMedian([1n, 2n, 3n, 4n], [1n, 1n, 1n, 1n]), 2n); // (2+3)/2 floor
    assert.equal(weightedMedian([10n, 20n], [3n, 1n]), 10n); // 3/4 of the weight at 10
    assert.equal(weightedMedian([10n, 20n], [1n, 1n]), 15n);
    assert.equal(weightedMedian([10n, 20n, 30n], [1n, 0n, 1n]), 20n); // zero weight ignored
    assert.equal(weightedMedian([30n, 10n, 20n], [2n, 1n, 1n]), 25n); // sorted: 10,20 | 30
    assert.equal(weightedMedian([7n, 7n, 9n], [1n, 1n, 2n]), 8n); // equal values merge
    assert.throws(() => weightedMedian([1n], [1n, 2n]), RangeError);
    assert.throws(() => weightedMedian([1n, 2n], [1n, -1n]), RangeError);
    assert.throws(() => weightedMedian([1n, 2n], [0n, 0n]), RangeError);
    assert.throws(() => weightedMedian([], []), RangeError);
  });

  it('equals the median of the list with each value repeated weight times', () => {
    fc.assert(
      fc.property(
        fc
          .array(
            fc.tuple(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: 0n, max: 5n })),
            {
              minLength: 1,
              maxLength: 12,
            },
          )
          .filter((e) => e.some(([, w]) => w > 0n)),
        (entries) => {
          const expanded = entries.flatMap(([v, w]) => Array.from({ length: Number(w) }, () => v));
          assert.equal(
            weightedMedian(
              entries.map(([v]) => v),
              entries.map(([, w]) => w),
            ),
            median(expanded),
          );
        },
      ),
    );
  });

  it('with equal weights is the median', () => {
    fc.assert(
      fc.property(values, fc.bigInt({ min: 1n, max: 10n ** 20n }), (v, w) => {
        assert.equal(
          weightedMedian(
            v,
            v.map(() => w),
          ),
          median(v),
        );
      }),
    );
  });
});

describe('trimmedValues', () => {
  it('drops floor(n × bps / 10,000) from each end, sorted', () => {
    const v = Array.from({ length: 25 }, (_, i) => BigInt(25 - i)); // 25 … 1
    assert.deepEqual(
      trimmedValues(v, 1_000n),
      Array.from({ length: 21 }, (_, i) => BigInt(i + 3)),
    ); // 2.5 → 2 per end
    assert.deepEqual(trimmedValues([9n, 1n, 5n], 1_000n), [1n, 5n, 9n]); // 0.3 → none
    assert.deepEqual(trimmedValues([], 1_000n), []);
    assert.deepEqual(trimmedValues([4n, 3n, 2n, 1n], 4_999n), [2n, 3n]);
    assert.throws(() => trimmedValues([1n], 5_000n), RangeError);
    assert.throws(() => trimmedValues([1n], -1n), RangeError);
  });

  it('keeps n − 2k values and never moves the median (§10.6: a trimmed median is the median)', () => {
    fc.assert(
      fc.property(values, fc.bigInt({ min: 0n, max: 4_999n }), (v, bps) => {
        const t = trimmedValues(v, bps);
        const k = Math.floor((v.length * Number(bps)) / 10_000);
        assert.equal(t.length, v.length - 2 * k);
        assert.deepEqual(t, asc(v).slice(k, v.length - k));
        assert.equal(median(t), median(v));
      }),
    );
  });
});

describe('meanAndStdDev (population σ, WAD, exact floors)', () => {
  it('known values', () => {
    assert.deepEqual(meanAndStdDev([2n, 4n, 4n, 4n, 5n, 5n, 7n, 9n]), {
      meanWad: 5n * WAD,
      stdDevWad: 2n * WAD,
    });
    assert.deepEqual(meanAndStdDev([1n, 2n]), { meanWad: (3n * WAD) / 2n, stdDevWad: WAD / 2n });
    assert.deepEqual(meanAndStdDev([7n]), { meanWad: 7n * WAD, stdDevWad: 0n });
    assert.equal(meanAndStdDev([-1n, -2n]).meanWad, -(3n * WAD) / 2n);
    assert.equal(meanAndStdDev([0n, 1n, 1n]).meanWad, 666_666_666_666_666_666n);
    assert.throws(() => meanAndStdDev([]), RangeError);
  });

  it('brackets the exact mean and σ', () => {
    fc.assert(
      fc.property(values, (v) => {
        const { meanWad, stdDevWad } = meanAndStdDev(v);
        const n = BigInt(v.length);
        const sum = v.reduce((a, b) => a + b, 0n);
        // meanWad ≤ Σ·WAD / n < meanWad + 1
        assert.ok(meanWad * n <= sum * WAD && sum * WAD < (meanWad + 1n) * n);
        // σ² = Σ(n·v − S)² / n³; σWad ≤ σ·WAD < σWad + 1
        const ss = v.reduce((a, x) => a + (n * x - sum) ** 2n, 0n);
        const lhs = ss * WAD * WAD;
        assert.ok(stdDevWad ** 2n * n ** 3n <= lhs && lhs < (stdDevWad + 1n) ** 2n * n ** 3n);
      }),
    );
  });
});

describe('3σ outlier rule', () => {
  /** Reference: n·(n·v − S)² > k²·Σ(n·r − S)², i.e. (v − μ)² > k²·Σ(r − μ)²/n. */
  const ref = (v: bigint, r: readonly bigint[], k: bigint) => {
    const n = BigInt(r.length);
    const s = r.reduce((a, b) => a + b, 0n);
    return n * (n * v - s) ** 2n > k * k * r.reduce((a, x) => a + (n * x - s) ** 2n, 0n);
  };

  it('known values: μ = 100, σ = 10', () => {
    const window = [90n, 110n, 90n, 110n, 90n, 110n, 90n, 110n, 90n, 110n];
    assert.equal(isOutlier(130n, window, 3n), false); // exactly 3σ is kept
    assert.equal(isOutlier(131n, window, 3n), true);
    assert.equal(isOutlier(70n, window, 3n), false);
    assert.equal(isOutlier(69n, window, 3n), true);
    assert.deepEqual(excludeOutliers([50n, 100n, 131n, 69n, 129n], window, 3n), [100n, 129n]);
    assert.equal(isOutlier(5n, [], 3n), false); // nothing to compare with
    assert.equal(isOutlier(5n, [4n, 4n, 4n], 3n), true); // σ = 0: any other value
    assert.equal(isOutlier(4n, [4n, 4n, 4n], 3n), false);
    assert.throws(() => isOutlier(1n, [1n], -1n), RangeError);
    assert.throws(() => excludeOutliers([1n], [1n], -1n), RangeError);
  });

  it('matches the reference', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.array(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), { maxLength: 15 }),
        fc.bigInt({ min: 0n, max: 5n }),
        (v, r, k) => {
          assert.equal(isOutlier(v, r, k), r.length > 0 && ref(v, r, k));
        },
      ),
    );
  });

  it('a value inside its own 10-sample window is never 3σ out (max |z| = 9/√10)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), {
          minLength: 10,
          maxLength: 10,
        }),
        (w) => {
          assert.deepEqual(excludeOutliers(w, w, 3n), w);
        },
      ),
    );
  });
});

describe('timeWeightedAverage', () => {
  it('floor(Σ v·w / Σ w); null without weight', () => {
    assert.equal(
      timeWeightedAverage([
        { value: 10n, weight: 3n },
        { value: 20n, weight: 1n },
      ]),
      12n,
    ); // 12.5
    assert.equal(
      timeWeightedAverage([
        { value: -10n, weight: 1n },
        { value: -5n, weight: 1n },
      ]),
      -8n,
    ); // −7.5
    assert.equal(timeWeightedAverage([{ value: 1n, weight: 0n }]), null);
    assert.equal(timeWeightedAverage([]), null);
    assert.throws(() => timeWeightedAverage([{ value: 1n, weight: -1n }]), RangeError);
  });

  it('lies between the smallest and largest weighted value and brackets the exact average', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            value: fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
            weight: fc.bigInt({ min: 1n, max: 432_000n }),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        (samples) => {
          const avg = timeWeightedAverage(samples) as bigint;
          const num = samples.reduce((a, s) => a + s.value * s.weight, 0n);
          const den = samples.reduce((a, s) => a + s.weight, 0n);
          assert.ok(avg * den <= num && num < (avg + 1n) * den);
          const vs = asc(samples.map((s) => s.value));
          assert.ok((vs[0] as bigint) <= avg && avg <= (vs[vs.length - 1] as bigint));
        },
      ),
    );
  });
});
