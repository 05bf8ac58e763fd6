import { Worker } from 'node:worker_threads';
import { BYTES_PER_BLOB } from '../params/daParams.ts';
import type { CommitAndCells } from './commitAndCellsCodec.ts';
import { commitAndCellsCodec } from './commitAndCellsCodec.ts';
import { DaError } from './daError.ts';
import type { KzgWorkerData, KzgWorkerResponse, SerializedDaError } from './kzgWorkerProtocol.ts';

export interface KzgWorkerPoolOptions {
  /** Worker threads; each holds its own trusted setup (+96 MiB at precompute 8). Default 1. */
  readonly size?: number;
  /** c-kzg precompute window per worker, 0..15. Default 8 (see docs/da.md for the figures). */
  readonly precompute?: number;
}

export interface KzgWorkerPoolDeps {
  /** Starts one worker; tests inject failing workers here. Default: kzgWorker.ts. */
  readonly createWorker?: (workerData: KzgWorkerData) => Worker;
}

interface Job {
  readonly id: number;
  readonly blob: Uint8Array;
  readonly resolve: (result: CommitAndCells) => void;
  readonly reject: (error: DaError) => void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | undefined;
  ready: boolean;
  readonly readiness: Deferred;
}

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: DaError) => void;
}

const WORKER_URL = new URL('./kzgWorker.ts', import.meta.url);
const DEFAULT_PRECOMPUTE = 8;

/**
 * Runs c-kzg off the main event loop: the binding is synchronous and one blob's commitment plus
 * cell proofs takes ~250-350 ms (bench/kzg.ts), far too long to block a node's networking and
 * consensus.
 *
 * Each worker loads the setup once and takes one blob at a time; requests queue FIFO. A request
 * the worker refuses rejects with the worker's DaError and the worker keeps serving; a worker that
 * dies rejects its in-flight request with `da.worker_failed` and is replaced (unless it died while
 * loading the setup, which would only die again). Results arrive as one transferred buffer.
 */
export class KzgWorkerPool {
  readonly #createWorker: (workerData: KzgWorkerData) => Worker;
  readonly #workerData: KzgWorkerData;
  #slots: Slot[] = [];
  #queue: Job[] = [];
  #nextId = 1;
  #closed = false;

  constructor(opts: KzgWorkerPoolOptions, deps: KzgWorkerPoolDeps = {}) {
    const size = opts.size ?? 1;
    const precompute = opts.precompute ?? DEFAULT_PRECOMPUTE;
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`KzgWorkerPool size must be a positive integer, got ${size}`);
    }
    if (!Number.isInteger(precompute) || precompute < 0 || precompute > 15) {
      throw new DaError('da.bad_precompute', 'precompute must be an integer in [0, 15]', {
        details: { precompute: String(precompute) },
      });
    }
    this.#workerData = { precompute };
    this.#createWorker =
      deps.createWorker ?? ((workerData) => new Worker(WORKER_URL, { workerData }));
    for (let i = 0; i < size; i++) this.#spawn();
  }

  /** Resolves once every live worker has loaded the setup; rejects if one could not. */
  async ready(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => slot.readiness.promise));
  }

  /** Commitment, blob proof, 128 cells and 128 cell proofs of one blob (the blob is copied). */
  commitAndComputeCells(blob: Uint8Array): Promise<CommitAndCells> {
    if (this.#closed) return Promise.reject(new DaError('da.pool_closed', 'pool is closed'));
    if (!(blob instanceof Uint8Array) || blob.length !== BYTES_PER_BLOB) {
      const length = blob instanceof Uint8Array ? blob.length : -1;
      return Promise.reject(
        new DaError('da.blob_length', `blob is ${length} bytes, expected ${BYTES_PER_BLOB}`, {
          details: { length, expected: BYTES_PER_BLOB },
        }),
      );
    }
    if (this.#slots.length === 0) {
      return Promise.reject(new DaError('da.worker_failed', 'no worker could load the setup'));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, blob: blob.slice(), resolve, reject });
      this.#pump();
    });
  }

  /** Rejects queued and in-flight requests with `da.pool_closed` and terminates every worker. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const slots = this.#slots;
    this.#slots = [];
    const closed = () => new DaError('da.pool_closed', 'pool closed before the request finished');
    for (const job of this.#queue.splice(0)) job.reject(closed());
    for (const slot of slots) {
      slot.job?.reject(closed());
      slot.readiness.reject(closed());
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  #spawn(): void {
    const worker = this.#createWorker(this.#workerData);
    const slot: Slot = { worker, job: undefined, ready: false, readiness: deferred() };
    slot.readiness.promise.catch(() => {}); // observed through ready(); never unhandled
    worker.on('message', (message: KzgWorkerResponse) => this.#onMessage(slot, message));
    worker.on('error', (error) => {
      this.#fail(slot, new DaError('da.worker_failed', 'worker threw', { cause: error }));
    });
    worker.on('exit', (exitCode) => {
      this.#fail(slot, new DaError('da.worker_failed', 'worker exited', { details: { exitCode } }));
    });
    this.#slots.push(slot);
  }

  #onMessage(slot: Slot, message: KzgWorkerResponse): void {
    switch (message.kind) {
      case 'ready':
        slot.ready = true;
        slot.readiness.resolve();
        return;
      case 'setupFailed':
        this.#fail(slot, revive(message.error));
        return;
      case 'result':
      case 'error': {
        const job = slot.job;
        if (job === undefined || job.id !== message.id) {
          this.#fail(slot, new DaError('da.worker_failed', 'worker answered an unknown request'));
          return;
        }
        slot.job = undefined;
        if (message.kind === 'error') job.reject(revive(message.error));
        else settle(job, message.bytes);
        this.#pump();
        return;
      }
    }
  }

  #fail(slot: Slot, error: DaError): void {
    const at = this.#slots.indexOf(slot);
    if (at === -1) return; // already handled (error is followed by exit) or pool closed
    this.#slots.splice(at, 1);
    slot.job?.reject(error);
    slot.readiness.reject(error);
    void slot.worker.terminate();
    if (!this.#closed && slot.ready) this.#spawn();
    if (this.#slots.length === 0) {
      for (const job of this.#queue.splice(0)) job.reject(error);
    }
    this.#pump();
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (slot.job !== undefined) continue;
      const job = this.#queue.shift();
      if (job === undefined) return;
      slot.job = job;
      // The worker queues messages until its setup is loaded, so idle-but-loading slots take work.
      slot.worker.postMessage({ id: job.id, blob: job.blob }, [job.blob.buffer as ArrayBuffer]);
    }
  }
}

function settle(job: Job, bytes: Uint8Array): void {
  try {
    job.resolve(commitAndCellsCodec.unpack(bytes));
  } catch (error) {
    job.reject(error instanceof DaError ? error : new DaError('da.worker_failed', String(error)));
  }
}

function revive(error: SerializedDaError): DaError {
  return new DaError(error.code, error.message, { details: error.details });
}

function deferred(): Deferred {
  let resolve: () => void = () => {};
  let reject: (error: DaError) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
