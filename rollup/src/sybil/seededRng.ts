import { hash } from 'node:crypto';
import { SybilError } from './sybilError.ts';

const SEED_BYTES = 32;
const DOMAIN = new TextEncoder().encode('moltbook.sybil.rng.v1');
const DRAWS_PER_BLOCK = 4;
const TWO_POW_53 = 2 ** 53;

/**
 * A deterministic PRNG returning floats in [0, 1), for algorithms that take an `rng()` (Louvain's
 * random node order). SHA-256 in counter mode:
 *
 *   block_i = SHA-256("moltbook.sybil.rng.v1" ‖ seed ‖ u64be(i)),  i = 0, 1, 2, …
 *
 * Each 32-byte block gives four draws; draw j reads bytes [8j, 8j+8) as a big-endian u64 and keeps
 * its top 53 bits: value = (u64 >> 11) / 2^53, so every double in [0, 1) with 53-bit spacing is
 * equally likely and the sequence is the same on every engine (only integer ops and one exact
 * division). Not for secrets: anyone who knows the seed knows every draw.
 */
export function seededRng(seed: Uint8Array): () => number {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) {
    const length = seed instanceof Uint8Array ? seed.length : -1;
    throw new SybilError('sybil.seed_length', `seed must be ${SEED_BYTES} bytes`, { length });
  }
  const input = new Uint8Array(DOMAIN.length + SEED_BYTES + 8);
  input.set(DOMAIN, 0);
  input.set(seed, DOMAIN.length);
  const counterView = new DataView(input.buffer, DOMAIN.length + SEED_BYTES, 8);
  let counter = 0n;
  let block = new DataView(new ArrayBuffer(0));
  let draw = DRAWS_PER_BLOCK;
  return () => {
    if (draw === DRAWS_PER_BLOCK) {
      counterView.setBigUint64(0, counter++);
      const digest = hash('sha256', input, 'buffer');
      block = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
      draw = 0;
    }
    const u64 = block.getBigUint64(8 * draw++);
    return Number(u64 >> 11n) / TWO_POW_53;
  };
}
