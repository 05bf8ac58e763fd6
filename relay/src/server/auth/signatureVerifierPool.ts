import { Worker } from 'node:worker_threads';

interface Pending {
  readonly key: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  readonly resolve: (ok: boolean) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Ed25519 request verification on worker threads. An Ed25519 verification is the largest single
 * cost of a request (~60 µs of ~250 µs, bench relay); moving it off the event loop lets the relay
 * use a second core. Requests of one event-loop turn go to a worker as one batch (one message
 * each way), round-robin over the workers.
 */
export class SignatureVerifierPool {
  readonly #workers: Worker[] = [];
  readonly #inFlight = new Map<number, Pending[]>();
  #queue: Pending[] = [];
  #scheduled = false;
  #nextBatch = 0;
  #next = 0;
  #closed = false;

  constructor(threads: number) {
    for (let i = 0; i < threads; i++) {
      const w = new Worker(new URL('./verifyWorker.ts', import.meta.url));
      w.unref();
      w.on('message', (m: { batch: number; results: Uint8Array }) => {
        const jobs = this.#inFlight.get(m.batch);
        this.#inFlight.delete(m.batch);
        jobs?.forEach((j, k) => {
          j.resolve(m.results[k] === 1);
        });
      });
      w.on('error', (err) => this.#fail(err));
      this.#workers.push(w);
    }
  }

  verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
    if (this.#closed) return Promise.reject(new Error('verifier pool is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ key, message, signature, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const jobs = this.#queue;
    this.#queue = [];
    if (jobs.length === 0) return;
    const worker = this.#workers[this.#next++ % this.#workers.length] as Worker;
    const batch = this.#nextBatch++;
    this.#inFlight.set(batch, jobs);
    // One transferred buffer per batch (structured-cloning an array of objects cost more than
    // the verifications saved): per job key(32) ‖ signature(64) ‖ u32 length ‖ message.
    const size = jobs.reduce((n, j) => n + 100 + j.message.length, 0);
    const packed = new Uint8Array(size);
    const view = new DataView(packed.buffer);
    let o = 0;
    for (const j of jobs) {
      packed.set(j.key, o);
      packed.set(j.signature, o + 32);
      view.setUint32(o + 96, j.message.length);
      packed.set(j.message, o + 100);
      o += 100 + j.message.length;
    }
    worker.postMessage({ batch, count: jobs.length, packed }, [packed.buffer]);
  }

  #fail(err: unknown): void {
    for (const jobs of this.#inFlight.values()) for (const j of jobs) j.reject(err);
    this.#inFlight.clear();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#fail(new Error('verifier pool closed'));
    for (const j of this.#queue) j.reject(new Error('verifier pool closed'));
    this.#queue = [];
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
