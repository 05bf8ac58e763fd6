/**
 * In-process wake-up of long-polls: GET /messages registers a waiter for its device before it
 * queries the queue, and every committed write that adds rows for a device wakes that device's
 * waiters. Registering first means a row committed between the query and the wait cannot be
 * missed. Waiters are removed on wake, timeout, client disconnect and shutdown.
 */
export type WaitOutcome = 'woken' | 'timeout' | 'aborted';

export interface Waiter {
  /** Resolves on a wake, after `timeoutMs`, or when `signal` aborts, whichever comes first. */
  wait(timeoutMs: number, signal: AbortSignal): Promise<WaitOutcome>;
  /** Removes the waiter (idempotent); a pending wait resolves `aborted`. */
  cancel(): void;
}

export class LongPollWaiters {
  readonly #byDevice = new Map<string, Set<(o: WaitOutcome) => void>>();
  #count = 0;

  /** Waiters currently registered (the long-poll gauge). */
  get size(): number {
    return this.#count;
  }

  register(deviceId: string): Waiter {
    let settle: ((o: WaitOutcome) => void) | null = null;
    let outcome: WaitOutcome | null = null;
    let removed = false;
    const wake = (o: WaitOutcome) => {
      if (outcome === null) outcome = o;
      remove();
      settle?.(o);
    };
    const remove = () => {
      if (removed) return;
      removed = true;
      this.#count -= 1;
      const set = this.#byDevice.get(deviceId);
      set?.delete(wake);
      if (set?.size === 0) this.#byDevice.delete(deviceId);
    };
    let set = this.#byDevice.get(deviceId);
    if (set === undefined) {
      set = new Set();
      this.#byDevice.set(deviceId, set);
    }
    set.add(wake);
    this.#count += 1;
    return {
      wait: (timeoutMs, signal) => {
        if (outcome !== null) return Promise.resolve(outcome);
        if (signal.aborted) {
          wake('aborted');
          return Promise.resolve('aborted');
        }
        return new Promise<WaitOutcome>((resolve) => {
          const timer = setTimeout(() => wake('timeout'), timeoutMs);
          const onAbort = () => wake('aborted');
          signal.addEventListener('abort', onAbort, { once: true });
          settle = (o) => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            resolve(o);
          };
        });
      },
      cancel: () => wake('aborted'),
    };
  }

  /** Wakes every waiter of these devices (after their rows are committed). */
  wake(deviceIds: Iterable<string>): void {
    for (const d of deviceIds) {
      const set = this.#byDevice.get(d);
      if (set === undefined) continue;
      for (const w of [...set]) w('woken');
    }
  }

  /** Wakes everyone (shutdown): each poll answers with what it has. */
  wakeAll(): void {
    this.wake([...this.#byDevice.keys()]);
  }
}
