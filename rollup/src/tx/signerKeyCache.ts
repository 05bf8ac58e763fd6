import type { KeyObject } from 'node:crypto';
import { importPublicKey } from '../crypto/ed25519.ts';
import { SIGNER_KEY_CACHE_SIZE } from '../params/txParams.ts';

/**
 * Imported signer public keys by raw key, so a validator imports each sender's key once
 * (crypto/ed25519.ts says re-importing halves the verify rate; `npm run bench execution` measures
 * ~10 % on Node 22 here). Bounded: when full, the oldest half is dropped (Map iteration is
 * insertion order), which costs nothing per lookup.
 */
export class SignerKeyCache {
  readonly #keys = new Map<string, KeyObject | null>();
  readonly #max: number;

  constructor(opts: { readonly maxKeys?: number } = {}) {
    this.#max = opts.maxKeys ?? SIGNER_KEY_CACHE_SIZE;
  }

  /** The KeyObject of a 32-byte raw key, or null when node:crypto refuses it. */
  get(raw: Uint8Array): KeyObject | null {
    const id = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
    const hit = this.#keys.get(id);
    if (hit !== undefined) return hit;
    let key: KeyObject | null;
    try {
      key = importPublicKey(raw);
    } catch {
      key = null;
    }
    if (this.#keys.size >= this.#max) {
      let drop = this.#keys.size >> 1;
      for (const k of this.#keys.keys()) {
        if (drop-- <= 0) break;
        this.#keys.delete(k);
      }
    }
    this.#keys.set(id, key);
    return key;
  }

  get size(): number {
    return this.#keys.size;
  }
}
