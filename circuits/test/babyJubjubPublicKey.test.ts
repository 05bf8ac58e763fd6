import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  BABY_JUBJUB_BASE8,
  type CompiledCircuit,
  calculateWitness,
  compileCircuit,
  BABY_JUBJUB_SUBGROUP_ORDER as l,
  mulBabyJubjubPoint,
  BN254_SCALAR_FIELD_ORDER as p,
  shutdownProver,
} from '../src/index.ts';
import { fixture } from './fixtures.ts';
import { hasErrorCode } from './hasErrorCode.ts';

let publicKey: CompiledCircuit;
let longRun: CompiledCircuit;
let shortRuns: CompiledCircuit;

before(async () => {
  publicKey = await compileCircuit(fixture('babyJubjubPublicKey.circom'));
  longRun = await compileCircuit(fixture('assertBitsAtMostLongRun.circom'));
  shortRuns = await compileCircuit(fixture('assertBitsAtMostShortRuns.circom'));
});

after(shutdownProver);

async function passes(circuit: CompiledCircuit, input: Record<string, bigint>): Promise<boolean> {
  try {
    await calculateWitness(circuit, input);
    return true;
  } catch (err) {
    hasErrorCode('circuits.witness_failed')(err);
    return false;
  }
}

describe('AssertBitsAtMost (lib/assertBitsAtMost.circom)', () => {
  test('accepts exactly x ≤ 61 over all 6-bit x (a long run of ones)', async () => {
    for (let x = 0n; x < 64n; x++) assert.equal(await passes(longRun, { x }), x <= 61n, `x=${x}`);
  });

  test('accepts exactly x ≤ 38 over all 6-bit x (short runs)', async () => {
    for (let x = 0n; x < 64n; x++) assert.equal(await passes(shortRuns, { x }), x <= 38n, `x=${x}`);
  });

  test('costs one constraint per run of zeros and at most three per run of ones', () => {
    // 6 Num2Bits constraints. 61 = 1111·0·1: IsEqual over the run of ones (2; its product with
    // the constant eq = 1 is linear), the zero (1), the last one (1).
    assert.equal(longRun.constraints, 6 + 2 + 1 + 1);
    // 38 = 1·00·11·0: the first one (linear: eq = 1 · bit), 00 (1), 11 (2), 0 (1).
    assert.equal(shortRuns.constraints, 6 + 0 + 1 + 2 + 1);
  });
});

describe('BabyJubjubPublicKey (lib/babyJubjubPublicKey.circom)', () => {
  const keyOf = async (secret: bigint) => {
    const witness = await calculateWitness(publicKey, { secret });
    return [witness.signal('main.Ax'), witness.signal('main.Ay')];
  };

  test('matches secret · Base8 of the TypeScript reference at the boundaries and at random', async () => {
    for (const secret of [0n, 1n, 2n, l - 1n, l - 2n, 2n ** 250n]) {
      assert.deepEqual(await keyOf(secret), [...mulBabyJubjubPoint(BABY_JUBJUB_BASE8, secret)]);
    }
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 0n, max: l - 1n }), async (secret) => {
        assert.deepEqual(await keyOf(secret), [...mulBabyJubjubPoint(BABY_JUBJUB_BASE8, secret)]);
      }),
      { numRuns: 10 },
    );
  });

  test('refuses secret ≥ l: at l, just above, up to 2^251 and beyond, up to p - 1', async () => {
    for (const secret of [
      l,
      l + 1n,
      l + 2n ** 100n,
      2n ** 251n - 1n,
      2n ** 251n,
      2n ** 252n,
      p - 1n,
    ]) {
      assert.equal(await passes(publicKey, { secret }), false, `secret=${secret}`);
    }
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: l, max: p - 1n }), async (secret) => {
        assert.equal(await passes(publicKey, { secret }), false);
      }),
      { numRuns: 10 },
    );
  });

  test('costs 251 (bits) + 168 (range, l - 1 has 120 runs) + 518 (fixed-base multiplication)', () => {
    assert.equal(publicKey.constraints, 251 + 168 + 518);
  });
});
