import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageDir } from '../../src/packageDir.ts';

/** Poseidon's parameters for t = 3 (two inputs): round constants and MDS matrix. */
export type PoseidonT3Constants = {
  /** 65 rounds × 3 round constants, round-major. */
  C: readonly bigint[];
  /** The 3 × 3 MDS matrix, row-major: new[i] = Σ_j M[i][j] · state[j]. */
  M: readonly (readonly bigint[])[];
  fullRounds: number;
  partialRounds: number;
};

/**
 * The constants poseidon-lite hashes two inputs with (circomlib's Poseidon(2), the Grain LFSR
 * parameters of the Poseidon paper for BN254, t = 3, 8 full and 57 partial rounds), read from
 * poseidon-lite's own `constants/2.js` so the Solidity hasher can never drift from the TypeScript
 * reference it is tested against.
 */
export function poseidonT3Constants(): PoseidonT3Constants {
  const require = createRequire(import.meta.url);
  const file = join(packageDir('poseidon-lite'), 'constants', '2.js');
  const raw = (require(file) as { default: { C: string[]; M: string[][] } }).default;
  const decode = (b64: string): bigint => BigInt(`0x${Buffer.from(b64, 'base64').toString('hex')}`);
  const C = raw.C.map(decode);
  const M = raw.M.map((row) => row.map(decode));
  const fullRounds = 8;
  const partialRounds = 57;
  if (C.length !== (fullRounds + partialRounds) * 3 || M.length !== 3) {
    throw new Error(`unexpected poseidon-lite constants: ${C.length} C, ${M.length} M rows`);
  }
  return { C, M, fullRounds, partialRounds };
}
