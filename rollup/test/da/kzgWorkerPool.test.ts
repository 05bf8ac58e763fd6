import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { DaErrorCode } from '../../src/da/daError.ts';
import { DaError } from '../../src/da/daError.ts';
import { commitBlob, computeCells, loadKzgSetup, verifyCells } from '../../src/da/kzg.ts';
import { KzgWorkerPool } from '../../src/da/kzgWorkerPool.ts';
import type { KzgWorkerData } from '../../src/da/kzgWorkerProtocol.ts';
import { BYTES_PER_BLOB, CELLS_PER_EXT_BLOB } from '../../src/params/daParams.ts';
import { randomBlob } from './randomBlob.ts';

const isDaError = (code: DaErrorCode) => (error: unknown) =>
  error instanceof DaError && error.code === code;

const REAL_WORKER = new URL('../../src/da/kzgWorker.ts', import.meta.url);
const realWorker = (workerData: KzgWorkerData) => new Worker(REAL_WORKER, { workerData });

/** A worker written inline: `body` runs in a CommonJS worker with `port` = parentPort. */
const fakeWorker = (body: string) =>
  new Worker(`const port = require('node:worker_threads').parentPort; ${body}`, { eval: true });

loadKzgSetup({ precompute: 0 });

describe('KzgWorkerPool', () => {
  const pool = new KzgWorkerPool({ size: 2, precompute: 0 });
  after(() => pool.close());

  test('answers with the same commitment, proofs and cells as the in-thread facade', async () => {
    const blobs = ['p0', 'p1', 'p2'].map((label) => randomBlob(`pool-${label}`));
    // Three at once on two workers: also checks each answer reaches its own request.
    const results = await Promise.all(blobs.map((blob) => pool.commitAndComputeCells(blob)));
    for (const [i, blob] of blobs.entries()) {
      const result = results[i];
      assert.ok(result);
      const expected = commitBlob(blob);
      assert.deepEqual(result.commitment, expected.commitment);
      assert.deepEqual(result.blobProof, expected.proof);
      assert.equal(result.cells.length, CELLS_PER_EXT_BLOB);
      assert.equal(result.cellProofs.length, CELLS_PER_EXT_BLOB);
      const indices = result.cells.map((_, index) => index);
      const commitments = indices.map(() => expected.commitment);
      const { cells, cellProofs: proofs } = result;
      assert.equal(verifyCells({ commitments, cellIndices: indices, cells, proofs }), true);
    }
    const inThread = computeCells(blobs[0] as Uint8Array);
    assert.deepEqual(results[0]?.cells, inThread.cells);
    assert.deepEqual(results[0]?.cellProofs, inThread.proofs);
  });

  test('leaves the caller’s blob intact (it sends a copy)', async () => {
    const blob = randomBlob('pool-copy');
    const before = blob.slice();
    await pool.commitAndComputeCells(blob);
    assert.equal(blob.buffer.byteLength, BYTES_PER_BLOB); // not detached
    assert.deepEqual(blob, before);
  });

  test('a bad request rejects with a typed error and the pool still serves', async () => {
    await assert.rejects(
      pool.commitAndComputeCells(new Uint8Array(BYTES_PER_BLOB - 1)),
      isDaError('da.blob_length'),
    );
    // Right length, but an element ≥ the field modulus: refused inside the worker.
    const nonCanonical = new Uint8Array(BYTES_PER_BLOB).fill(0xff);
    await assert.rejects(
      pool.commitAndComputeCells(nonCanonical),
      isDaError('da.non_canonical_element'),
    );
    const blob = randomBlob('pool-after-error');
    const result = await pool.commitAndComputeCells(blob);
    assert.deepEqual(result.commitment, commitBlob(blob).commitment);
  });

  test('a worker that dies fails its request with da.worker_failed and is replaced', async () => {
    let spawned = 0;
    const dying = new KzgWorkerPool(
      { size: 1, precompute: 0 },
      {
        createWorker: (workerData) => {
          spawned++;
          if (spawned > 1) return realWorker(workerData);
          return fakeWorker(
            `port.postMessage({ kind: 'ready' }); port.on('message', () => process.exit(3));`,
          );
        },
      },
    );
    try {
      const blob = randomBlob('pool-dying');
      await assert.rejects(dying.commitAndComputeCells(blob), isDaError('da.worker_failed'));
      const result = await dying.commitAndComputeCells(blob);
      assert.deepEqual(result.commitment, commitBlob(blob).commitment);
      assert.equal(spawned, 2);
    } finally {
      await dying.close();
    }
  });

  test('a worker that cannot load the setup fails ready() and every request', async () => {
    const broken = new KzgWorkerPool(
      { size: 1 },
      {
        createWorker: () =>
          fakeWorker(`
            const error = { code: 'da.kzg_failed', message: 'no setup', details: {} };
            port.postMessage({ kind: 'setupFailed', error });
            port.close();
          `),
      },
    );
    try {
      const request = broken.commitAndComputeCells(new Uint8Array(BYTES_PER_BLOB));
      await assert.rejects(broken.ready(), isDaError('da.kzg_failed'));
      await assert.rejects(request, isDaError('da.kzg_failed'));
      await assert.rejects(
        broken.commitAndComputeCells(new Uint8Array(BYTES_PER_BLOB)),
        isDaError('da.worker_failed'),
      );
    } finally {
      await broken.close();
    }
  });

  test('close() rejects queued and later requests with da.pool_closed', async () => {
    const closing = new KzgWorkerPool({ size: 1, precompute: 0 });
    const blob = randomBlob('pool-close');
    // One in flight, one queued; the assertions attach before close() rejects them.
    const pending = [closing.commitAndComputeCells(blob), closing.commitAndComputeCells(blob)].map(
      (request) => assert.rejects(request, isDaError('da.pool_closed')),
    );
    await closing.close();
    await Promise.all(pending);
    await assert.rejects(closing.commitAndComputeCells(blob), isDaError('da.pool_closed'));
    await closing.close(); // idempotent
  });

  test('rejects a bad size or precompute at construction', () => {
    assert.throws(() => new KzgWorkerPool({ size: 0 }), RangeError);
    assert.throws(() => new KzgWorkerPool({ precompute: 16 }), isDaError('da.bad_precompute'));
  });
});
