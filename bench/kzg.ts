/**
 * KZG / DA benchmark (§9.2, DESIGN.md §7 "KZG commitments + cell proofs for one slot's payload
 * inside the 400 ms slot"). Run from the repo root: `node bench/kzg.ts` (or `npm run bench kzg`).
 *
 * Scenario: one full 128 KiB blob of seeded pseudo-random payload (blobCodec layout, every element
 * canonical). Per c-kzg precompute window (0 and 8) the single-thread figures are the median of
 * RUNS runs after one warm-up. c-kzg's setup cannot be reloaded within a thread, so each
 * precompute runs in its own worker thread (this file, re-entered with workerData). Then the
 * KzgWorkerPool throughput: commit + cells for BATCH distinct blobs at once, 1 and 2 workers.
 */
import { hash } from 'node:crypto';
import { loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import ckzg from 'c-kzg';
import { blobCodec } from '../rollup/src/da/blobCodec.ts';
import {
  commitBlob,
  computeCells,
  loadKzgSetup,
  recoverCells,
  verifyCells,
} from '../rollup/src/da/kzg.ts';
import { KzgWorkerPool } from '../rollup/src/da/kzgWorkerPool.ts';
import { BYTES_PER_BLOB, PAYLOAD_BYTES_PER_BLOB } from '../rollup/src/params/daParams.ts';
import { createReporter, median } from './lib/report.ts';

const RUNS = 5;
const BATCH = 8;
const PRECOMPUTES = [0, 8] as const;
const POOL_PRECOMPUTE = 8;
const POOL_SIZES = [1, 2] as const;
const SLOT_MS = 400; // §7.3

type Op = 'commit' | 'blobProof' | 'commitBlob' | 'cells' | 'verifyCells' | 'recover';

interface SingleThreadFigures {
  readonly setupMs: number;
  readonly setupRssMiB: number;
  readonly samples: Readonly<Record<Op, number[]>>;
}

/** Seeded pseudo-random bytes: SHA-256(label ‖ u32be(i)) blocks. */
function seededBytes(length: number, label: string): Uint8Array {
  const out = new Uint8Array(length);
  const prefix = new TextEncoder().encode(label);
  const input = new Uint8Array(prefix.length + 4);
  input.set(prefix);
  for (let block = 0, at = 0; at < length; block++, at += 32) {
    new DataView(input.buffer).setUint32(prefix.length, block);
    out.set(hash('sha256', input, 'buffer').subarray(0, Math.min(32, length - at)), at);
  }
  return out;
}

function seededBlob(label: string): Uint8Array {
  const [blob] = blobCodec.encode(seededBytes(PAYLOAD_BYTES_PER_BLOB, label));
  if (blob === undefined || blob.length !== BYTES_PER_BLOB) throw new Error('expected one blob');
  return blob;
}

function timeIt(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Worker side: one precompute window, every single-thread operation. */
function measureSingleThread(precompute: number): SingleThreadFigures {
  const rssBefore = process.memoryUsage().rss;
  const setupMs = timeIt(() => loadKzgSetup({ precompute }));
  const setupRssMiB = (process.memoryUsage().rss - rssBefore) / 2 ** 20;

  const blob = seededBlob('bench.kzg.blob');
  const { commitment } = commitBlob(blob);
  const { cells, proofs } = computeCells(blob);
  const all = cells.map((_, i) => i);
  const even = all.filter((i) => i % 2 === 0);
  // The two halves of commitBlob straight from c-kzg (the facade only offers them together).
  const ops = {
    commit: () => ckzg.blobToKzgCommitment(blob),
    blobProof: () => ckzg.computeBlobKzgProof(blob, commitment),
    commitBlob: () => commitBlob(blob),
    cells: () => computeCells(blob),
    verifyCells: () => {
      const commitments = all.map(() => commitment);
      if (!verifyCells({ commitments, cellIndices: all, cells, proofs })) throw new Error('verify');
    },
    recover: () =>
      recoverCells(
        even,
        even.map((i) => cells[i] as Uint8Array),
      ),
  };
  const samples: Record<keyof typeof ops, number[]> = {
    commit: [],
    blobProof: [],
    commitBlob: [],
    cells: [],
    verifyCells: [],
    recover: [],
  };
  for (let run = 0; run <= RUNS; run++) {
    for (const name of Object.keys(ops) as (keyof typeof ops)[]) {
      const ms = timeIt(ops[name]);
      if (run > 0) samples[name].push(ms); // run 0 is the warm-up
    }
  }
  return { setupMs, setupRssMiB, samples };
}

async function runInWorker(precompute: number): Promise<SingleThreadFigures> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { precompute } });
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

async function poolBlobsPerSecond(size: number): Promise<number> {
  const pool = new KzgWorkerPool({ size, precompute: POOL_PRECOMPUTE });
  try {
    await pool.ready();
    const blobs = Array.from({ length: BATCH }, (_, i) => seededBlob(`bench.kzg.pool.${i}`));
    await Promise.all(blobs.slice(0, size).map((blob) => pool.commitAndComputeCells(blob)));
    const samples: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      await Promise.all(blobs.map((blob) => pool.commitAndComputeCells(blob)));
      samples.push(performance.now() - start);
    }
    return BATCH / (median(samples) / 1000);
  } finally {
    await pool.close();
  }
}

async function main(): Promise<void> {
  // Other processes on the machine skew every figure (the pool most); the load before the bench
  // starts tells whether the machine was quiet.
  const loadAtStart = `1-min load at start ${(loadavg()[0] ?? 0).toFixed(2)}`;
  const report = createReporter();
  const blob = { blob_bytes: BYTES_PER_BLOB, runs: RUNS };
  for (const precompute of PRECOMPUTES) {
    const f = await runInWorker(precompute);
    const p = { ...blob, precompute };
    report.emit({
      name: 'kzg.setup.load_ms',
      value: f.setupMs,
      unit: 'ms',
      params: { precompute },
    });
    report.emit({
      name: 'kzg.setup.rss',
      value: f.setupRssMiB,
      unit: 'MiB',
      params: { precompute },
    });
    const ms = (name: string, samples: number[], extra: Record<string, number> = {}) =>
      report.emit({ name, value: median(samples), unit: 'ms', params: { ...p, ...extra } });
    ms('kzg.blob_to_commitment_ms', f.samples.commit);
    ms('kzg.compute_blob_proof_ms', f.samples.blobProof);
    ms('kzg.facade.commit_blob_ms', f.samples.commitBlob);
    ms('kzg.compute_cells_and_proofs_ms', f.samples.cells, { cells: 128 });
    ms('kzg.verify_cell_batch_ms', f.samples.verifyCells, { cells: 128 });
    ms('kzg.recover_cells_ms', f.samples.recover, { from_cells: 64 });
  }
  const throughput: number[] = [];
  for (const size of POOL_SIZES) {
    const value = await poolBlobsPerSecond(size);
    throughput.push(value);
    const params = { workers: size, blobs: BATCH, precompute: POOL_PRECOMPUTE, runs: RUNS };
    report.emit({ name: 'kzg.pool.commit_and_cells', value, unit: 'blobs/s', params });
    report.emit({
      name: 'kzg.pool.blobs_per_slot',
      value: (value * SLOT_MS) / 1000,
      unit: 'blobs',
      params: { ...params, slot_ms: SLOT_MS },
    });
  }
  const [one, two] = throughput as [number, number];
  report.emit({
    name: 'kzg.pool.speedup_2_vs_1',
    value: two / one,
    unit: 'x',
    params: { blobs: BATCH },
  });
  const when = new Date().toISOString();
  report.table(`KZG / DA (c-kzg 4.1.0, Node ${process.versions.node}, ${when}, ${loadAtStart})`);
}

if (isMainThread) {
  await main();
} else {
  parentPort?.postMessage(measureSingleThread((workerData as { precompute: number }).precompute));
}
