import assert from 'node:assert/strict';
import { CircuitsError, type CircuitsErrorCode } from '../src/index.ts';

/** An `assert.throws`/`assert.rejects` validator: a CircuitsError with exactly this code. */
export function hasErrorCode(code: CircuitsErrorCode) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof CircuitsError, `expected a CircuitsError, got ${String(err)}`);
    assert.equal(err.code, code);
    return true;
  };
}
