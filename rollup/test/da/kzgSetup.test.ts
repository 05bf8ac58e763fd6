import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DaErrorCode } from '../../src/da/daError.ts';
import { DaError } from '../../src/da/daError.ts';
import { commitBlob, computeCells, loadKzgSetup, verifyCells } from '../../src/da/kzg.ts';
import { BYTES_PER_BLOB } from '../../src/params/daParams.ts';

const isDaError = (code: DaErrorCode) => (error: unknown) =>
  error instanceof DaError && error.code === code;

// One test: the setup is per thread and can be loaded once, so the steps depend on each other.
test('loadKzgSetup guards the per-thread c-kzg setup', () => {
  const blob = new Uint8Array(BYTES_PER_BLOB);
  assert.throws(() => commitBlob(blob), isDaError('da.setup_not_loaded'));
  assert.throws(() => computeCells(blob), isDaError('da.setup_not_loaded'));
  assert.throws(
    () => verifyCells({ commitments: [], cellIndices: [], cells: [], proofs: [] }),
    isDaError('da.setup_not_loaded'),
  );

  for (const precompute of [-1, 16, 1.5, Number.NaN]) {
    assert.throws(() => loadKzgSetup({ precompute }), isDaError('da.bad_precompute'));
  }

  assert.deepEqual(loadKzgSetup({ precompute: 0 }), { kind: 'loaded', precompute: 0 });
  assert.deepEqual(loadKzgSetup({ precompute: 0 }), { kind: 'alreadyLoaded', precompute: 0 });
  assert.throws(() => loadKzgSetup({ precompute: 8 }), isDaError('da.setup_conflict'));
  assert.equal(commitBlob(blob).commitment.length, 48);
});
