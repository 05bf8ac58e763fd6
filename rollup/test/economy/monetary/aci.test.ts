import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { WAD } from '../../../src/economy/math/fixedPoint.ts';
import {
  ACI_SIGNALS,
  type AciDecision,
  type AciSignal,
  type AciState,
  aciAdjustment,
  aciIndices,
  cloneAci,
  computeAci,
  decodeAci,
  type EpochSignals,
  encodeAci,
  newAci,
  type OraclePrice,
  rawSignals,
  recordEpochSignals,
  signalsDiverge,
} from '../../../src/economy/monetary/aci.ts';
import { ACI_PERIOD_SLOTS, ORACLE_MAX_AGE_SLOTS } from '../../../src/params/monetaryParams.ts';
import { U64_MAX } from '../../../src/params/txParams.ts';

const MOLT = 1_000_000n; // µMOLT
const USD = 1_000_000n; // µUSD
const POST_FEE = MOLT / 10n; // §10.2 "Create post 0.10"

/** A normal epoch: bounty 10 MOLT, 10 MOLT fees per agent, half staked, 5 MOLT per GB. */
const normal = (o: Partial<EpochSignals> = {}): EpochSignals => ({
  bountyAmounts: [10n * MOLT],
  feeRevenue: 1_000n * MOLT,
  activeAgents: 100n,
  staked: 300_000_000n * MOLT,
  circulating: 600_000_000n * MOLT,
  storageFeePerGb: 5n * MOLT,
  ...o,
});

/** A state with `epochs` normal epochs recorded (0 … epochs − 1): every index 1.0. */
function steady(epochs = 10): AciState {
  const s = newAci();
  for (let e = 0n; e < BigInt(epochs); e++) recordEpochSignals(s, e, normal());
  return s;
}

/**
 * A state (built as plain data) whose signal s had value before[s] in epochs 0-4 and after[s] in
 * epochs 5-9: its index is 2·after / (before + after).
 */
function shifted(pairs: Record<AciSignal, readonly [bigint, bigint]>): AciState {
  const s = newAci();
  s.lastEpoch = 9n;
  for (const name of ACI_SIGNALS) {
    const [before, after] = pairs[name];
    for (let i = 0; i < 10; i++)
      s.samples[name].push({ value: i < 5 ? before : after, outlier: false });
  }
  return s;
}
const all = (pair: readonly [bigint, bigint]) =>
  ({ bounty: pair, feeRevenue: pair, staking: pair, storage: pair }) as const;

const slotOf = (period: bigint) => period * ACI_PERIOD_SLOTS;
const oracle = (price: bigint, slot: bigint): OraclePrice => ({
  priceMicroUsdPerMolt: price,
  slot,
});
/** Decides period `period` with a fresh price. */
const decide = (s: AciState, period: bigint, price: bigint, postFee = POST_FEE): AciDecision =>
  aciAdjustment(s, {
    slot: slotOf(period),
    postFeeMicroMolt: postFee,
    oracle: oracle(price, slotOf(period)),
  });

describe('ACI signals (§10.6)', () => {
  it('raw values: trimmed median bounty, fees per agent, staked/circulating, fee per GB', () => {
    const raw = rawSignals(
      normal({
        // 11 bounties: 10 % of 11 → 1 dropped at each end (the 1,000 MOLT whale and the 1 MOLT)
        bountyAmounts: [1000n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n].map((m) => m * MOLT),
        feeRevenue: 1_000n,
        activeAgents: 3n,
        staked: 1n,
        circulating: 3n,
        storageFeePerGb: 7n,
      }),
    );
    assert.deepEqual(raw, {
      bounty: 6n * MOLT,
      feeRevenue: 333n, // floor(1000 / 3) µMOLT per agent
      staking: 333_333_333_333_333_333n, // 1/3 WAD, floor
      storage: 7n,
    });
  });

  it('undefined signals are null; values above 2^64 − 1 saturate; negatives are RangeErrors', () => {
    assert.deepEqual(rawSignals(normal({ bountyAmounts: [], activeAgents: 0n, circulating: 0n })), {
      bounty: null,
      feeRevenue: null,
      staking: null,
      storage: 5n * MOLT,
    });
    assert.equal(rawSignals(normal({ storageFeePerGb: 1n << 80n })).storage, U64_MAX);
    for (const bad of [
      normal({ feeRevenue: -1n }),
      normal({ bountyAmounts: [-1n] }),
      normal({ staked: -1n }),
    ])
      assert.throws(() => rawSignals(bad), RangeError);
    assert.throws(() => recordEpochSignals(newAci(), -1n, normal()), RangeError);
    assert.throws(() => recordEpochSignals(newAci(), 1n << 64n, normal()), RangeError);
  });

  it('steady signals give every index exactly 1.0', () => {
    const s = steady();
    assert.deepEqual(aciIndices(s), { bounty: WAD, feeRevenue: WAD, staking: WAD, storage: WAD });
    // even after a single epoch (TWA = baseline)
    assert.deepEqual(aciIndices(steady(1)), aciIndices(s));
  });

  it('index = 5-epoch TWA / 10-epoch mean', () => {
    const s = newAci();
    const bounty = [9n, 11n, 9n, 11n, 9n, 12n, 12n, 12n, 12n, 12n];
    bounty.forEach((b, e) => {
      const r = recordEpochSignals(s, BigInt(e), normal({ bountyAmounts: [b * MOLT] }));
      assert.deepEqual(r.kind === 'recorded' && r.outliers, []);
    });
    // TWA of epochs 5-9 = 12 MOLT; mean of epochs 0-9 = 109 / 10 = 10.9 MOLT
    assert.equal(aciIndices(s).bounty, (12n * MOLT * WAD) / 10_900_000n);
    assert.equal(aciIndices(s).bounty, 1_100_917_431_192_660_550n);
    assert.equal(aciIndices(s).storage, WAD);
  });

  it('outliers: > 3σ from the mean of the 10 preceding epochs is flagged and left out', () => {
    const s = newAci();
    for (let e = 0n; e < 10n; e++)
      recordEpochSignals(s, e, normal({ bountyAmounts: [(e % 2n === 0n ? 9n : 11n) * MOLT] }));
    // μ = 10, σ = 1 MOLT: 13 MOLT is exactly 3σ (kept), a 1,000 MOLT bounty round is not
    const kept = cloneAci(s);
    const r13 = recordEpochSignals(kept, 10n, normal({ bountyAmounts: [13n * MOLT] }));
    assert.deepEqual(r13.kind === 'recorded' && r13.outliers, []);
    const r = recordEpochSignals(s, 10n, normal({ bountyAmounts: [1_000n * MOLT] }));
    assert.deepEqual(r.kind === 'recorded' && r.outliers, ['bounty']);
    assert.deepEqual(s.samples.bounty.at(-1), { value: 1_000n * MOLT, outlier: true });
    // TWA of epochs 6-9 (9, 11, 9, 11) = 10; baseline of epochs 1-9 (11, 9, …, 11) = 91/9 MOLT
    assert.equal(aciIndices(s).bounty, (90n * WAD) / 91n);
    // without the rule the index would be (40 + 1000) / 5 / (1094 / 10) ≈ 1.90
    assert.ok((aciIndices(s).bounty as bigint) < WAD);
  });

  it('the rule needs 3 earlier samples: the first epochs are never flagged', () => {
    const s = newAci();
    recordEpochSignals(s, 0n, normal());
    recordEpochSignals(s, 1n, normal());
    const r = recordEpochSignals(s, 2n, normal({ bountyAmounts: [1_000_000n * MOLT] }));
    assert.deepEqual(r.kind === 'recorded' && r.outliers, []);
    const r3 = recordEpochSignals(s, 3n, normal({ storageFeePerGb: 6n * MOLT }));
    assert.deepEqual(r3.kind === 'recorded' && r3.outliers, ['storage']); // σ = 0: any change
  });

  it('epochs must increase; skipped epochs count as epochs without values', () => {
    const s = steady(3);
    assert.deepEqual(recordEpochSignals(s, 2n, normal()), {
      kind: 'ignored',
      reason: 'epochNotAfterLast',
    });
    recordEpochSignals(s, 5n, normal());
    assert.deepEqual(
      s.samples.bounty.map((x) => x?.value ?? null),
      [10n * MOLT, 10n * MOLT, 10n * MOLT, null, null, 10n * MOLT],
    );
    recordEpochSignals(s, 10n ** 18n, normal()); // a huge gap is cheap and bounded
    assert.equal(s.samples.staking.length, 10);
    assert.equal(s.samples.staking.filter((x) => x !== null).length, 1);
    assert.equal(s.lastEpoch, 10n ** 18n);
  });
});

describe('ACI adjustment (§10.6)', () => {
  it('ACI = post fee × price × median index; > $0.05 → × 0.90, < $0.001 → × 1.10', () => {
    const s = steady();
    // 0.10 MOLT × $1 = $0.10 per post
    const d1 = decide(s, 1n, 1n * USD);
    assert.deepEqual(d1, {
      kind: 'adjust',
      period: 1n,
      indices: { bounty: WAD, feeRevenue: WAD, staking: WAD, storage: WAD },
      aciMicroUsdWad: 100_000n * WAD,
      direction: 'decrease',
      factorNum: 9_000n,
      factorDen: 10_000n,
    });
    // the fee market applies it: 100,000 µMOLT → 90,000
    assert.equal(d1.kind === 'adjust' && (POST_FEE * d1.factorNum) / d1.factorDen, 90_000n);
    // 0.10 MOLT × $0.009999 = $0.0009999 → increase
    const d2 = decide(s, 2n, 9_999n);
    assert.equal(d2.kind === 'adjust' && d2.direction, 'increase');
    assert.deepEqual(d2.kind === 'adjust' && [d2.factorNum, d2.factorDen], [11_000n, 10_000n]);
    assert.equal(d2.kind === 'adjust' && d2.aciMicroUsdWad, 999_900_000_000_000_000_000n);
  });

  it('inside the band — bounds included — nothing changes', () => {
    const s = steady();
    const at = (period: bigint, price: bigint) => decide(s, period, price).kind;
    assert.equal(at(1n, USD / 2n), 'none'); // exactly $0.05
    assert.equal(at(2n, USD / 2n + 1n), 'adjust'); // $0.05000001
    assert.equal(at(3n, USD / 100n), 'none'); // exactly $0.001
    assert.equal(at(4n, USD / 100n - 1n), 'adjust');
    assert.equal(at(5n, USD / 10n), 'none'); // $0.01
    const d = decide(s, 6n, USD / 10n);
    assert.equal(d.kind === 'none' && d.aciMicroUsdWad, 10_000n * WAD);
  });

  it('the median index scales the ACI: elevated signals (index 1.2) push $0.045 out of the band', () => {
    const s = shifted(all([10n, 15n])); // index 2·15/25 = 1.2
    assert.deepEqual(aciIndices(s), {
      bounty: (12n * WAD) / 10n,
      feeRevenue: (12n * WAD) / 10n,
      staking: (12n * WAD) / 10n,
      storage: (12n * WAD) / 10n,
    });
    const d = decide(s, 1n, 450_000n); // 0.10 × $0.45 = $0.045, × 1.2 = $0.054
    assert.equal(d.kind === 'adjust' && d.aciMicroUsdWad, 54_000n * WAD);
    assert.equal(decide(steady(), 1n, 450_000n).kind, 'none');
  });

  it('one manipulated signal barely moves the median of four', () => {
    const honest = shifted({
      bounty: [10n, 10n],
      feeRevenue: [10n, 10n],
      staking: [10n, 10n],
      storage: [10n, 1_000_000n], // index ≈ 2.0
    });
    // median of (1, 1, 1, ~2) = 1.0: the ACI is the plain dollar cost of a post
    assert.equal(computeAci(aciIndices(honest), POST_FEE, USD), 100_000n * WAD);
  });

  it('the decision is taken once per 6 h period (54,000 slots); period 0 is genesis', () => {
    const s = steady();
    const at = (slot: bigint) =>
      aciAdjustment(s, { slot, postFeeMicroMolt: POST_FEE, oracle: oracle(USD, slot) }).kind;
    assert.equal(ACI_PERIOD_SLOTS, 54_000n);
    assert.equal(at(0n), 'notDue');
    assert.equal(at(53_999n), 'notDue');
    assert.equal(at(54_000n), 'adjust');
    assert.equal(at(107_999n), 'notDue');
    assert.equal(at(108_000n), 'adjust');
    assert.equal(at(54_000n), 'notDue'); // never backwards
    assert.equal(at(54_000n * 10n + 7n), 'adjust'); // skipped periods are not caught up
    assert.equal(s.lastAdjustmentPeriod, 10n);
  });

  it('oracle: a price older than 1 h (9,000 slots), from the future, zero or missing pauses', () => {
    const s = steady();
    assert.equal(ORACLE_MAX_AGE_SLOTS, 9_000n);
    const at = (period: bigint, o: OraclePrice | null) =>
      aciAdjustment(s, { slot: slotOf(period), postFeeMicroMolt: POST_FEE, oracle: o });
    assert.equal(at(1n, oracle(USD, slotOf(1n) - 9_000n)).kind, 'adjust');
    assert.deepEqual(at(2n, oracle(USD, slotOf(2n) - 9_001n)), {
      kind: 'oracleUnavailable',
      period: 2n,
      reason: 'stale',
    });
    const reasons = [
      at(4n, null),
      at(5n, oracle(USD, slotOf(5n) + 1n)),
      at(6n, oracle(0n, slotOf(6n))),
    ].map((d) => d.kind === 'oracleUnavailable' && d.reason);
    assert.deepEqual(reasons, ['missing', 'future', 'zeroPrice']);
    // a paused period is spent: a fresh price later in the same period does not re-decide it
    assert.equal(at(6n, oracle(USD, slotOf(6n))).kind, 'notDue');
    assert.equal(at(7n, oracle(USD, slotOf(7n))).kind, 'adjust');
  });

  it('freeze: when every pair of indices diverges by > 50 %, fees stay where they are', () => {
    // indices 0.3, 0.5, 0.8, 1.3: each ≥ 1.6× the next lower one
    const diverged = shifted({
      bounty: [17n, 3n],
      feeRevenue: [3n, 1n],
      staking: [3n, 2n],
      storage: [7n, 13n],
    });
    assert.deepEqual(aciIndices(diverged), {
      bounty: (3n * WAD) / 10n,
      feeRevenue: WAD / 2n,
      staking: (8n * WAD) / 10n,
      storage: (13n * WAD) / 10n,
    });
    const d = decide(diverged, 1n, 100n * USD); // an ACI of $10 would otherwise cut fees
    assert.equal(d.kind, 'frozen');
    // one pair within 50 % (0.8 vs 1.1): not frozen; median (0.5 + 0.8) / 2 = 0.65
    const mixed = shifted({
      bounty: [17n, 3n],
      feeRevenue: [3n, 1n],
      staking: [3n, 2n],
      storage: [9n, 11n],
    });
    const m = decide(mixed, 1n, USD);
    assert.equal(m.kind === 'adjust' && m.aciMicroUsdWad, 65_000n * WAD);
    // signals reconverge → adjustments resume
    assert.equal(decide(steady(), 2n, 100n * USD).kind, 'adjust');
  });

  it('divergence is strict and pairwise', () => {
    assert.equal(signalsDiverge([WAD, (3n * WAD) / 2n]), false); // exactly 50 %
    assert.equal(signalsDiverge([WAD, (3n * WAD) / 2n + 1n]), true);
    assert.equal(signalsDiverge([4n * WAD, WAD, 2n * WAD + 1n]), true);
    assert.equal(signalsDiverge([4n * WAD, WAD, (14n * WAD) / 10n]), false); // 1 vs 1.4: close
    assert.equal(signalsDiverge([0n, WAD, 2n * WAD]), true); // 0 diverges from anything positive
    assert.equal(signalsDiverge([0n, 0n, WAD]), false);
    assert.equal(signalsDiverge([WAD]), false);
    assert.equal(signalsDiverge([]), false);
  });

  it('needs 3 defined indices', () => {
    const s = newAci();
    for (let e = 0n; e < 10n; e++)
      recordEpochSignals(s, e, normal({ bountyAmounts: [], activeAgents: 0n }));
    const d = decide(s, 1n, USD);
    assert.equal(d.kind, 'insufficientSignals');
    assert.deepEqual(d.kind === 'insufficientSignals' && d.indices, {
      bounty: null,
      feeRevenue: null,
      staking: WAD,
      storage: WAD,
    });
    recordEpochSignals(s, 10n, normal({ activeAgents: 0n }));
    assert.equal(decide(s, 2n, USD).kind, 'adjust'); // bounty now defined: 3 signals
    // a signal whose baseline is 0 (no storage market yet) has no index
    const z = steady();
    for (let e = 10n; e < 20n; e++) recordEpochSignals(z, e, normal({ storageFeePerGb: 0n }));
    assert.equal(aciIndices(z).storage, null);
    assert.equal(computeAci({ ...aciIndices(z), staking: null }, POST_FEE, USD), null);
  });

  it('RangeError only on a negative post fee or a slot outside u64', () => {
    assert.throws(
      () => aciAdjustment(newAci(), { slot: 1n << 64n, postFeeMicroMolt: 1n, oracle: null }),
      RangeError,
    );
    assert.throws(
      () => aciAdjustment(newAci(), { slot: -1n, postFeeMicroMolt: 1n, oracle: null }),
      RangeError,
    );
    assert.throws(
      () => aciAdjustment(newAci(), { slot: 1n, postFeeMicroMolt: -1n, oracle: null }),
      RangeError,
    );
  });
});

describe('ACI state: canonical encoding, clone, robustness', () => {
  const amount = fc.oneof(
    fc.bigInt({ min: 0n, max: 1_000n * MOLT }),
    fc.bigInt({ min: 0n, max: 1n << 70n }),
    fc.constant(0n),
  );
  const epochSignals = fc.record({
    bountyAmounts: fc.array(amount, { maxLength: 12 }),
    feeRevenue: amount,
    activeAgents: fc.bigInt({ min: 0n, max: 1_000n }),
    staked: amount,
    circulating: amount,
    storageFeePerGb: amount,
  });
  type Op =
    | { readonly record: bigint; readonly signals: EpochSignals }
    | {
        readonly slotStep: bigint;
        readonly postFee: bigint;
        readonly price: { readonly price: bigint; readonly age: bigint } | null;
      };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ record: fc.bigInt({ min: 0n, max: 3n }), signals: epochSignals }),
    fc.record({
      slotStep: fc.bigInt({ min: 0n, max: 200_000n }),
      postFee: amount,
      price: fc.option(fc.record({ price: amount, age: fc.bigInt({ min: -10n, max: 20_000n }) })),
    }),
  );

  /** Applies random operations; nothing the state machine can feed may throw. */
  function run(ops: readonly Op[]): AciState {
    const s = newAci();
    let epoch = 0n;
    let slot = 0n;
    for (const o of ops) {
      if ('record' in o) {
        epoch += o.record;
        recordEpochSignals(s, epoch, o.signals);
      } else {
        slot += o.slotStep;
        const p = o.price;
        const at = p === null ? null : oracle(p.price, slot - p.age < 0n ? 0n : slot - p.age);
        aciAdjustment(s, { slot, postFeeMicroMolt: o.postFee, oracle: at });
      }
    }
    return s;
  }

  it('round-trips, is canonical and deterministic; nothing throws', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const s = run(ops);
        const bytes = encodeAci(s);
        const back = decodeAci(bytes);
        assert.deepEqual(back, s);
        assert.deepEqual(encodeAci(back), bytes);
        assert.deepEqual(encodeAci(run(ops)), bytes);
        assert.deepEqual(aciIndices(back), aciIndices(s));
      }),
      { numRuns: 200 },
    );
  });

  it('clone is independent', () => {
    const s = steady();
    const c = cloneAci(s);
    recordEpochSignals(c, 10n, normal({ bountyAmounts: [] }));
    decide(c, 1n, USD);
    assert.equal(s.lastEpoch, 9n);
    assert.equal(s.lastAdjustmentPeriod, 0n);
    assert.deepEqual(encodeAci(s), encodeAci(steady()));
  });

  it('decoding rejects malformed bytes with RangeError', () => {
    const good = encodeAci(steady(3));
    const bad: Uint8Array[] = [
      new Uint8Array(0),
      Uint8Array.from([2, ...good.subarray(1)]), // version
      Uint8Array.from([...good, 0]), // trailing byte
      Uint8Array.from([1, 2]), // lastEpoch tag
      Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), // samples without a last epoch
      Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 3]), // 3 > epoch 1 + 1
      Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 11]), // > 10
    ];
    for (let cut = 1; cut < good.length; cut++) bad.push(good.subarray(0, cut));
    const tagAt = 1 + 1 + 8 + 8 + 1; // first sample tag
    const badTag = Uint8Array.from(good);
    badTag[tagAt] = 3;
    bad.push(badTag);
    for (const b of bad)
      assert.throws(() => decodeAci(b), RangeError, `${Buffer.from(b).toString('hex')}`);
    assert.deepEqual(decodeAci(encodeAci(newAci())), newAci());
  });
});
