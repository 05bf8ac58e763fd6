import { Worker } from 'node:worker_threads';
import { packEntries } from './packEntries.ts';
import type { PohEntry } from './poh.ts';
import type { PohRules, PohVerdict } from './verifyEntries.ts';
import { verifyEntryShape } from './verifyEntries.ts';

export interface PohVerifierPoolOpts {
  /** Worker threads; the chain is cut into this many contiguous pieces. */
  readonly threads: number;
  /** Below this many hashes a sequence is verified by one worker (thread hand-off costs ~0.1 ms). */
  readonly minHashesPerThread?: number;
}

interface Job {
  readonly resolve: (badIndex: number) => void;
  readonly reject: (err: Error) => void;
}

interface WorkerSlot {
  readonly worker: Worker;
  readonly jobs: Map<number, Job>;
}

/**
 * Verifies PoH sequences in parallel (§7.2 "parallelizable verification"). Every entry carries
 * the hash it ends on, so each piece of the chain can be checked independently from the hash of
 * the entry before it: n threads verify a slot n times faster (Agave `EntrySlice::verify`).
 */
export class PohVerifierPool {
  readonly #slots: WorkerSlot[];
  readonly #minHashes: number;
  #nextId = 0;
  #closed = false;

  constructor(opts: PohVerifierPoolOpts) {
    if (!Number.isSafeInteger(opts.threads) || opts.threads < 1) {
      throw new RangeError('threads must be a positive integer');
    }
    this.#minHashes = opts.minHashesPerThread ?? 50_000;
    this.#slots = [];
    for (let i = 0; i < opts.threads; i++) {
      const worker = new Worker(new URL('./pohVerifierWorker.ts', import.meta.url));
      const slot: WorkerSlot = { worker, jobs: new Map() };
      worker.on('message', (msg: { id: number; bad: number }) => {
        const job = slot.jobs.get(msg.id);
        slot.jobs.delete(msg.id);
        job?.resolve(msg.bad);
      });
      worker.on('error', (err) => {
        for (const job of slot.jobs.values()) job.reject(err);
        slot.jobs.clear();
      });
      worker.unref();
      this.#slots.push(slot);
    }
  }

  /** Verifies `entries` starting at `start`: shape on this thread, hashes on the workers. */
  async verify(
    start: Uint8Array,
    entries: readonly PohEntry[],
    rules: PohRules,
  ): Promise<PohVerdict> {
    if (this.#closed) throw new Error('PohVerifierPool is closed');
    if (start.length !== 32)
      return { kind: 'malformedEntry', index: -1, reason: 'start hash must be 32 bytes' };
    const shape = verifyEntryShape(entries, rules);
    if (shape.kind !== 'valid') return shape;
    const pieces = Math.max(
      1,
      Math.min(this.#slots.length, Math.floor(shape.hashes / this.#minHashes)),
    );
    const bounds = splitByHashes(entries, shape.hashes, pieces);
    const results = await Promise.all(
      bounds.map(([from, to], k) => {
        const pieceStart = from === 0 ? start : (entries[from - 1] as PohEntry).hash;
        return this.#run(k, pieceStart, entries.slice(from, to)).then((bad) =>
          bad === -1 ? -1 : from + bad,
        );
      }),
    );
    const bad = results.filter((i) => i !== -1);
    return bad.length === 0 ? shape : { kind: 'hashMismatch', index: Math.min(...bad) };
  }

  #run(k: number, start: Uint8Array, entries: readonly PohEntry[]): Promise<number> {
    const slot = this.#slots[k % this.#slots.length] as WorkerSlot;
    const id = this.#nextId++;
    const packed = packEntries(start, entries);
    return new Promise((resolve, reject) => {
      slot.jobs.set(id, { resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage({ id, packed }, [packed]);
    }).finally(() => {
      if (slot.jobs.size === 0) slot.worker.unref();
    }) as Promise<number>;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}

/** Cuts entries into `pieces` contiguous ranges of roughly equal hash counts. */
function splitByHashes(
  entries: readonly PohEntry[],
  total: number,
  pieces: number,
): [number, number][] {
  const out: [number, number][] = [];
  const target = Math.ceil(total / pieces);
  let from = 0;
  let acc = 0;
  for (let i = 0; i < entries.length; i++) {
    acc += (entries[i] as PohEntry).numHashes;
    if (acc >= target && out.length < pieces - 1) {
      out.push([from, i + 1]);
      from = i + 1;
      acc = 0;
    }
  }
  if (from < entries.length || out.length === 0) out.push([from, entries.length]);
  return out;
}
