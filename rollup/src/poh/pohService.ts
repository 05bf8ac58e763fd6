import { MessageChannel, Worker } from 'node:worker_threads';
import type { PohEntry } from './poh.ts';
import type { PohControl, PohEvent, PohWorkerData } from './pohWorker.ts';

export interface PohServiceOpts {
  readonly startHash: Uint8Array;
  readonly tickHeight: number;
  readonly hashesPerTick: number;
  /** Minimum duration of a tick in ns (pacing); 0n hashes as fast as the core allows. */
  readonly targetTickNs: bigint;
  /** Hashes between two polls for records; smaller = lower record latency. Default 256. */
  readonly batch?: number;
}

export interface PohServiceDeps {
  /** Called on the main thread for every tick, in order. */
  readonly onTick: (tickHeight: number, entry: PohEntry) => void;
}

export interface RecordResult {
  /** Tick height the entry belongs to: it comes after tick `tickHeight` and before the next. */
  readonly tickHeight: number;
  readonly entry: PohEntry;
}

/**
 * Runs the PoH generator on its own thread (Agave `PohService`) and brings its ticks and recorded
 * entries back to the main thread, in order.
 */
export class PohService {
  readonly #worker: Worker;
  readonly #port: MessageChannel['port1'];
  readonly #records = new Map<
    number,
    { resolve: (r: RecordResult) => void; reject: (e: Error) => void }
  >();
  #nextId = 0;
  #stopped: Promise<{ tickHeight: number; hash: Uint8Array }> | null = null;
  #resolveStopped!: (v: { tickHeight: number; hash: Uint8Array }) => void;
  #failure: Error | null = null;

  constructor(opts: PohServiceOpts, deps: PohServiceDeps) {
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    const data: PohWorkerData = {
      startHash: Uint8Array.from(opts.startHash),
      tickHeight: opts.tickHeight,
      hashesPerTick: opts.hashesPerTick,
      targetTickNs: opts.targetTickNs,
      batch: opts.batch ?? 256,
      port: port2,
    };
    const stopped = new Promise<{ tickHeight: number; hash: Uint8Array }>((resolve) => {
      this.#resolveStopped = resolve;
    });
    this.#worker = new Worker(new URL('./pohWorker.ts', import.meta.url), {
      workerData: data,
      transferList: [port2],
    });
    this.#worker.on('error', (err) => {
      this.#failure = err;
      this.#settlePending(err);
      this.#resolveStopped({ tickHeight: -1, hash: new Uint8Array(32) });
    });
    port1.on('message', (ev: PohEvent) => {
      switch (ev.type) {
        case 'tick':
          deps.onTick(ev.tickHeight, toEntry(ev.entry));
          break;
        case 'recorded': {
          const done = this.#records.get(ev.id);
          this.#records.delete(ev.id);
          done?.resolve({ tickHeight: ev.tickHeight, entry: toEntry(ev.entry) });
          break;
        }
        case 'stopped':
          // Records the worker had not taken in when it stopped are not in the chain.
          this.#settlePending(new Error('PohService stopped before the record was mixed in'));
          this.#resolveStopped({ tickHeight: ev.tickHeight, hash: new Uint8Array(ev.hash) });
          break;
      }
    });
    this.#stoppedPromise = stopped;
  }

  readonly #stoppedPromise: Promise<{ tickHeight: number; hash: Uint8Array }>;

  /** Mixes `mixin` (the hash of a transaction batch) into the PoH stream. */
  record(mixin: Uint8Array): Promise<RecordResult> {
    if (this.#stopped !== null) return Promise.reject(new Error('PohService is stopped'));
    if (mixin.length !== 32) return Promise.reject(new RangeError('mixin must be 32 bytes'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#records.set(id, { resolve, reject });
      this.#port.postMessage({ type: 'record', id, mixin } satisfies PohControl);
    });
  }

  #settlePending(err: Error): void {
    for (const r of this.#records.values()) r.reject(err);
    this.#records.clear();
  }

  /** Stops the generator; resolves with the final tick height and hash once the thread is gone. */
  async stop(): Promise<{ tickHeight: number; hash: Uint8Array }> {
    if (this.#stopped === null) {
      this.#port.postMessage({ type: 'stop' } satisfies PohControl);
      this.#stopped = this.#stoppedPromise.then(async (r) => {
        this.#port.close();
        await this.#worker.terminate();
        if (this.#failure !== null) throw this.#failure;
        return r;
      });
    }
    return this.#stopped;
  }
}

/** Entries cross the thread boundary as plain objects; give them back their Uint8Array types. */
function toEntry(e: PohEntry): PohEntry {
  return e.mixin === undefined
    ? { numHashes: e.numHashes, hash: new Uint8Array(e.hash) }
    : { numHashes: e.numHashes, hash: new Uint8Array(e.hash), mixin: new Uint8Array(e.mixin) };
}
