import { createHash } from 'node:crypto';
import type { CryptoProvider } from '../../../src/moltdm/crypto/provider.ts';

/**
 * A provider whose randomness is a SHA-256 counter stream from `seed`, for frozen transcripts:
 * every other primitive is the real one. Tests only — never use a seeded provider for keys.
 */
export function seededProvider(base: CryptoProvider, seed: string): CryptoProvider {
  let counter = 0;
  const next = (length: number): Uint8Array => {
    const out = new Uint8Array(length);
    for (let o = 0; o < length; o += 32) {
      const block = createHash('sha256').update(`${seed}/${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, length - o)), o);
    }
    return out;
  };
  return {
    ...base,
    name: `${base.name}+seeded`,
    async randomBytes(length) {
      return next(length);
    },
    async x25519Generate() {
      const privateKey = next(32);
      return { privateKey, publicKey: await base.x25519PublicKey(privateKey) };
    },
    async ed25519Generate() {
      const privateKey = next(32);
      return { privateKey, publicKey: await base.ed25519PublicKey(privateKey) };
    },
  };
}
