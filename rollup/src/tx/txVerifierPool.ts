import { Worker } from 'node:worker_threads';
import type { TxVerifyRequest, TxVerifyResponse } from './txVerifierWorker.ts';
import type { TxValidation } from './validateTransaction.ts';

/** Most transactions handed to a worker in one message. */
const MAX_BATCH = 256;

interface Pending {
  readonly bytes: Uint8Array;
  readonly resolve: (v: TxValidation) => void;
  readonly reject: (e: Error) => void;
}

/**
 * Edge validation steps 1-4 of incoming transactions on worker threads (Agave's sigverify stage):
 * `verify` calls made in the same event-loop turn are batched, split across the workers, and
 * answered in order. Signature checks are ~60× the cost of executing a transfer, so this keeps
 * them off the thread that runs PoH bookkeeping, execution and consensus.
 */
export class TxVerifierPool {
  readonly #workers: Worker[];
  readonly #inflight = new Map<number, { items: Pending[] }>();
  #queue: Pending[] = [];
  #scheduled = false;
  #nextId = 0;
  #next = 0;
  #closed = false;

  constructor(opts: { readonly threads: number; readonly shard: number }) {
    if (!Number.isSafeInteger(opts.threads) || opts.threads < 1)
      throw new RangeError('threads must be a positive integer');
    this.#workers = Array.from({ length: opts.threads }, () => {
      const w = new Worker(new URL('./txVerifierWorker.ts', import.meta.url), {
        workerData: { shard: opts.shard },
      });
      w.on('message', (res: TxVerifyResponse) => this.#onResult(res));
      w.on('error', (err) => this.#failAll(err));
      return w;
    });
  }

  /** Steps 1-4 of `validateTransaction` for `bytes`, on a worker. */
  verify(bytes: Uint8Array): Promise<TxValidation> {
    if (this.#closed) return Promise.reject(new Error('TxVerifierPool is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ bytes, resolve, reject });
      if (this.#queue.length >= MAX_BATCH * this.#workers.length) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const all = this.#queue;
    this.#queue = [];
    const per = Math.max(1, Math.min(MAX_BATCH, Math.ceil(all.length / this.#workers.length)));
    for (let at = 0; at < all.length; at += per) {
      const items = all.slice(at, at + per);
      const id = this.#nextId++;
      this.#inflight.set(id, { items });
      const w = this.#workers[this.#next++ % this.#workers.length] as Worker;
      w.postMessage({ id, txs: items.map((p) => p.bytes) } satisfies TxVerifyRequest);
    }
  }

  #onResult(res: TxVerifyResponse): void {
    const job = this.#inflight.get(res.id);
    if (job === undefined) return;
    this.#inflight.delete(res.id);
    for (const [i, p] of job.items.entries()) {
      const r = res.results[i];
      if (r === undefined) p.reject(new Error('worker answered fewer results'));
      else p.resolve(r.kind === 'valid' ? { ...r, tx: r.tx, bytes: p.bytes } : r);
    }
  }

  #failAll(err: Error): void {
    for (const job of this.#inflight.values()) for (const p of job.items) p.reject(err);
    this.#inflight.clear();
    for (const p of this.#queue) p.reject(err);
    this.#queue = [];
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#failAll(new Error('TxVerifierPool is closed'));
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
