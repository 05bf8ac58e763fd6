import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BN254_SCALAR_FIELD_ORDER, type CircuitsError, toCircuitInput } from '../src/index.ts';
import { hasErrorCode } from './hasErrorCode.ts';

const p = BN254_SCALAR_FIELD_ORDER;

describe('toCircuitInput', () => {
  test('accepts every encoding of canonical field elements and returns bigints', () => {
    assert.deepEqual(
      toCircuitInput({
        a: 0n,
        b: p - 1n,
        c: 42,
        d: '123',
        e: '0xff',
        f: [1n, '2', 3],
        g: [
          [0n, 1n],
          [2n, 3n],
        ],
        h: Number.MAX_SAFE_INTEGER,
        i: '-0',
      }),
      {
        a: 0n,
        b: p - 1n,
        c: 42n,
        d: 123n,
        e: 255n,
        f: [1n, 2n, 3n],
        g: [
          [0n, 1n],
          [2n, 3n],
        ],
        h: 9007199254740991n,
        i: 0n,
      },
    );
  });

  test('refuses values outside [0, p) with circuits.input_out_of_field, naming the signal', () => {
    for (const value of [
      p,
      p + 1n,
      2n ** 256n,
      -1n,
      -1,
      p.toString(),
      `0x${p.toString(16)}`,
      '-5',
    ]) {
      assert.throws(
        () => toCircuitInput({ x: value }),
        hasErrorCode('circuits.input_out_of_field'),
      );
    }
    assert.throws(
      () =>
        toCircuitInput({
          arr: [
            [1n, 2n],
            [3n, p],
          ],
        }),
      (err: unknown) => {
        assert.equal((err as CircuitsError).code, 'circuits.input_out_of_field');
        assert.match((err as CircuitsError).message, /arr\[1\]\[1\]/);
        return true;
      },
    );
  });

  test('refuses non-integers with circuits.input_invalid', () => {
    const bad: unknown[] = [
      1.5,
      Number.NaN,
      Infinity,
      2 ** 53,
      '',
      ' 1',
      '1e3',
      '007',
      '0x',
      'abc',
      null,
      {},
      true,
    ];
    for (const value of bad) {
      assert.throws(
        () => toCircuitInput({ x: value as bigint }),
        hasErrorCode('circuits.input_invalid'),
        String(value),
      );
    }
  });

  test('property: canonical elements pass unchanged in any encoding; x + k·p never passes', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: p - 1n }),
        fc.bigInt({ min: 1n, max: 2n ** 64n }),
        (x, k) => {
          assert.deepEqual(toCircuitInput({ x, d: x.toString(), h: `0x${x.toString(16)}` }), {
            x,
            d: x,
            h: x,
          });
          assert.throws(
            () => toCircuitInput({ x: x + k * p }),
            hasErrorCode('circuits.input_out_of_field'),
          );
          if (x > 0n) {
            assert.throws(
              () => toCircuitInput({ x: -x }),
              hasErrorCode('circuits.input_out_of_field'),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
