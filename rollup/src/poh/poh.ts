import { hash as nodeHash } from 'node:crypto';
import { HASH_BYTES } from '../params/consensusParams.ts';
import { bytesFromWords, sha256ChainWords, wordsFromBytes } from './sha256Chain.ts';

/**
 * One step of the PoH stream (§7.2). `numHashes` counts every hash since the previous entry,
 * the last of which mixed in `mixin` when there is one.
 */
export interface PohEntry {
  readonly numHashes: number;
  readonly hash: Uint8Array;
  /** Hash of the transaction batch mixed into the chain; absent for a tick. */
  readonly mixin?: Uint8Array;
}

/** `hash_n = SHA256(hash_{n-1})`. */
export function sha256(data: Uint8Array): Uint8Array {
  return nodeHash('sha256', data, 'buffer');
}

/** `hash_n = SHA256(hash_{n-1} || event_data)` (§7.2). */
export function sha256Mix(prev: Uint8Array, mixin: Uint8Array): Uint8Array {
  const buf = new Uint8Array(HASH_BYTES * 2);
  buf.set(prev, 0);
  buf.set(mixin, HASH_BYTES);
  return nodeHash('sha256', buf, 'buffer');
}

/** Hashes `n` times in sequence. */
export function hashChain(start: Uint8Array, n: number): Uint8Array {
  const s = wordsFromBytes(start);
  sha256ChainWords(s, n);
  return bytesFromWords(s);
}

export interface PohOpts {
  readonly startHash: Uint8Array;
  /** Hashes between two ticks, counting the hashes of recorded entries in between. */
  readonly hashesPerTick: number;
  /** Tick height of `startHash` (0 at genesis). */
  readonly tickHeight?: number;
}

/**
 * The pure Proof-of-History state machine, after Agave's `Poh` (poh/src/poh.rs): a hash chain
 * that emits a tick every `hashesPerTick` hashes and can mix in an event hash in between. It never
 * reads the clock; the service that drives it decides when to hash.
 */
export class Poh {
  /** The chain's current hash as eight big-endian words (the hot loop never leaves this form). */
  readonly #state: Int32Array;
  #numHashes = 0;
  #remaining: number;
  #tickHeight: number;
  readonly hashesPerTick: number;

  constructor(opts: PohOpts) {
    if (opts.startHash.length !== HASH_BYTES)
      throw new RangeError('poh start hash must be 32 bytes');
    if (!Number.isSafeInteger(opts.hashesPerTick) || opts.hashesPerTick < 2) {
      throw new RangeError('hashesPerTick must be an integer ≥ 2');
    }
    this.#state = wordsFromBytes(opts.startHash);
    this.hashesPerTick = opts.hashesPerTick;
    this.#remaining = opts.hashesPerTick;
    this.#tickHeight = opts.tickHeight ?? 0;
  }

  /** The hash the chain has reached. */
  get lastHash(): Uint8Array {
    return bytesFromWords(this.#state);
  }

  get tickHeight(): number {
    return this.#tickHeight;
  }

  /** Hashes still to go before the next tick. */
  get remainingHashes(): number {
    return this.#remaining;
  }

  /**
   * Hashes up to `maxNumHashes` times, stopping one hash short of the tick. Returns true when the
   * tick is due (the caller must `tick()` before it can `record()` again).
   */
  hash(maxNumHashes: number): boolean {
    const n = Math.min(this.#remaining - 1, maxNumHashes);
    sha256ChainWords(this.#state, n);
    this.#numHashes += n;
    this.#remaining -= n;
    return this.#remaining === 1;
  }

  /**
   * Mixes `mixin` into the chain and returns the entry, or null when the tick is due first (the
   * last hash of a tick period always belongs to the tick).
   */
  record(mixin: Uint8Array): PohEntry | null {
    if (mixin.length !== HASH_BYTES) throw new RangeError('poh mixin must be 32 bytes');
    if (this.#remaining === 1) return null;
    const hash = sha256Mix(bytesFromWords(this.#state), mixin);
    this.#state.set(wordsFromBytes(hash));
    const entry: PohEntry = { numHashes: this.#numHashes + 1, hash, mixin: Uint8Array.from(mixin) };
    this.#numHashes = 0;
    this.#remaining -= 1;
    return entry;
  }

  /** Hashes once; when that completes the tick period, returns the tick entry. */
  tick(): PohEntry | null {
    sha256ChainWords(this.#state, 1);
    this.#numHashes += 1;
    this.#remaining -= 1;
    if (this.#remaining !== 0) return null;
    const entry: PohEntry = { numHashes: this.#numHashes, hash: bytesFromWords(this.#state) };
    this.#remaining = this.hashesPerTick;
    this.#numHashes = 0;
    this.#tickHeight += 1;
    return entry;
  }
}
