import { type Cipher, createCipheriv } from 'node:crypto';

/** Keystream bytes fetched from OpenSSL per refill; one ChaCha20 block is 64 bytes. */
const REFILL_BYTES = 4096;
const TWO_POW_128 = 1n << 128n;

/**
 * A deterministic integer PRNG: the ChaCha20 keystream of RFC 8439 (key = the 32-byte seed, nonce
 * = 12 zero bytes, block counter from 0), read as consecutive big-endian 128-bit integers. Agave
 * samples its leader schedule from ChaCha20 too (`rand_chacha::ChaChaRng::from_seed`), although
 * its word order differs; ours is the RFC stream, which any ChaCha20 library reproduces.
 *
 * node:crypto's `chacha20` takes a 16-byte IV = u32le(counter) ‖ nonce, so 16 zero bytes.
 */
export class ChaChaRng {
  readonly #cipher: Cipher;
  readonly #zeros = new Uint8Array(REFILL_BYTES);
  #buf = new Uint8Array(0);
  #pos = 0;

  constructor(seed: Uint8Array) {
    if (seed.length !== 32) throw new RangeError('ChaCha20 seed must be 32 bytes');
    this.#cipher = createCipheriv('chacha20', seed, new Uint8Array(16));
  }

  /** The next `n` keystream bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (this.#pos === this.#buf.length) {
        this.#buf = new Uint8Array(this.#cipher.update(this.#zeros));
        this.#pos = 0;
      }
      const take = Math.min(n - filled, this.#buf.length - this.#pos);
      out.set(this.#buf.subarray(this.#pos, this.#pos + take), filled);
      filled += take;
      this.#pos += take;
    }
    return out;
  }

  /** A uniform integer in [0, 2^128): the next 16 keystream bytes, big-endian. */
  nextU128(): bigint {
    const b = this.bytes(16);
    const view = new DataView(b.buffer);
    return (view.getBigUint64(0) << 64n) | view.getBigUint64(8);
  }

  /**
   * A uniform integer in [0, bound) without modulo bias: draws above the largest multiple of
   * `bound` below 2^128 are rejected and redrawn (for stakes far below 2^128 that almost never
   * happens). `bound` must be in [1, 2^128].
   */
  nextBelow(bound: bigint): bigint {
    if (bound < 1n || bound > TWO_POW_128) throw new RangeError('bound must be in [1, 2^128]');
    const limit = TWO_POW_128 - (TWO_POW_128 % bound);
    for (;;) {
      const r = this.nextU128();
      if (r < limit) return r % bound;
    }
  }
}
