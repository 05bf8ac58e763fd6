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
  /**
   * Called on the main thread for every recorded entry, synchronously in the same message handler
   * as `onTick` and before the `record()` promise resolves, so that appending the entries of
   * `onTick` and `onRecord` to one list yields exactly the generator's order.
   */
  readonly onRecord?: (tickHeight: number, entry: PohEntry) => void;
}

export interface RecordResult {
  /** Tick height the entry belongs to: it comes after tick `tickHeight` and before the next. */
  readonly tickHeight: number;
  readonly entry: PohEntry;
}

/**
 * Runs the PoH generator on its own thread (Agave `PohService`) and brings its ticks and recorded
 * entries back to the main thread, in order. `reset()` moves the generator onto another chain;
 * once it returns, no callback or record sees an entry of the old chain.
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
  /** Bumped by every reset; events of an older generation belong to an abandoned chain. */
  #generation = 0;

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
          if (ev.generation !== this.#generation) break; // from before the last reset
          deps.onTick(ev.tickHeight, toEntry(ev.entry));
          break;
        case 'recorded': {
          const done = this.#records.get(ev.id);
          this.#records.delete(ev.id);
          if (ev.generation !== this.#generation) {
            // Mixed into the chain the last reset abandoned. reset() has already rejected every
            // record it knew of, so this is only a safety net.
            done?.reject(resetError());
            break;
          }
          const entry = toEntry(ev.entry);
          try {
            deps.onRecord?.(ev.tickHeight, entry);
          } finally {
            done?.resolve({ tickHeight: ev.tickHeight, entry });
          }
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

  /** Generation of the chain being produced: 0 at start, incremented by every `reset()`. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Continues PoH from `startHash` at `tickHeight` (the last entry hash and tick height of the
   * block to build on; Agave `PohRecorder::reset`). Records not yet delivered are rejected, events
   * of the old chain still in flight are dropped, and the next tick is due one `targetTickNs`
   * after the generator takes in the reset.
   */
  reset(startHash: Uint8Array, tickHeight: number): void {
    if (this.#stopped !== null) throw new Error('PohService is stopped');
    if (!(startHash instanceof Uint8Array) || startHash.length !== 32) {
      throw new RangeError('reset start hash must be 32 bytes');
    }
    if (!Number.isSafeInteger(tickHeight) || tickHeight < 0) {
      throw new RangeError('reset tick height must be a non-negative safe integer');
    }
    this.#generation += 1;
    // A record whose result has not reached this thread yet was either still queued in the worker
    // (dropped there) or mixed into the old chain: neither ends up in the new chain.
    this.#settlePending(resetError());
    this.#port.postMessage({
      type: 'reset',
      generation: this.#generation,
      startHash: Uint8Array.from(startHash),
      tickHeight,
    } satisfies PohControl);
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

function resetError(): Error {
  return new Error('PoH was reset before the record was delivered');
}

/** Entries cross the thread boundary as plain objects; give them back their Uint8Array types. */
function toEntry(e: PohEntry): PohEntry {
  return e.mixin === undefined
    ? { numHashes: e.numHashes, hash: new Uint8Array(e.hash) }
    : { numHashes: e.numHashes, hash: new Uint8Array(e.hash), mixin: new Uint8Array(e.mixin) };
}
