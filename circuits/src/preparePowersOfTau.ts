import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { CircuitsError } from './circuitsError.ts';
import { DEFAULT_BUILD_DIR } from './defaultBuildDir.ts';
import { materializeArtifacts } from './materializeArtifacts.ts';
import { packageVersion } from './packageDir.ts';
import { acquireProverCurve } from './shutdownProver.ts';

/** snarkjs's bn128 ceremonies stop at 2^28. */
export const MAX_PTAU_POWER = 28;

export type PreparePowersOfTauOptions = {
  /** log2 of the largest circuit domain the file supports (see requiredPowerOfTau). */
  power: number;
  /**
   * Contribution entropy; required so nothing ever prompts. snarkjs mixes 64 bytes of OS
   * randomness into it, so the output differs on every run: the cache, not the entropy, is what
   * makes repeated runs reuse the same file.
   */
  entropy: string;
  /** Default `circuits/build/`; files go to `<buildDir>/ptau/pot<power>-<key>/`. */
  buildDir?: string | undefined;
  force?: boolean | undefined;
};

export type PowersOfTau = {
  power: number;
  path: string;
  sha256: string;
  cached: boolean;
};

/**
 * A LOCAL, single-contributor phase-1 ceremony ("powers of tau") for tests and development:
 * new accumulator → one contribution → prepare phase 2. Whoever ran it could have kept the toxic
 * waste, so proofs made with keys derived from it prove nothing to anyone else.
 *
 * Production replaces this with a public phase-1 file from a large multi-party ceremony (e.g.
 * the Hermez `powersOfTau28_hez_final_*.ptau` files, derived from the Perpetual Powers of Tau,
 * pinned by their published hash) and a multi-party phase 2 per circuit, closed by a public
 * random beacon (docs/privacy.md will describe it).
 *
 * Cost grows with 2^power; preparing phase 2 dominates (2^8 ≈ 3.5 s, 2^10 ≈ 11 s, 2^13 ≈ 105 s
 * on a 2-core machine), which is why the result is cached.
 */
export async function preparePowersOfTau(options: PreparePowersOfTauOptions): Promise<PowersOfTau> {
  const { power, entropy } = options;
  assertPower(power);
  assertEntropy(entropy);
  const snarkjsVersion = await packageVersion('snarkjs');
  const key = createHash('sha256')
    .update(JSON.stringify({ kind: 'ptau', curve: 'bn128', power, entropy, snarkjsVersion }))
    .digest('hex');
  const file = `pot${power}_final.ptau`;
  const built = await materializeArtifacts({
    dir: join(options.buildDir ?? DEFAULT_BUILD_DIR, 'ptau', `pot${power}-${key.slice(0, 16)}`),
    kind: 'ptau',
    key,
    inputs: { curve: 'bn128', power, snarkjs: snarkjsVersion, contributions: 1 },
    force: options.force,
    produce: async (workDir) => {
      const p0 = join(workDir, `pot${power}_0000.ptau`);
      const p1 = join(workDir, `pot${power}_0001.ptau`);
      const curve = await acquireProverCurve();
      await snarkjs.powersOfTau.newAccumulator(curve, power, p0);
      await snarkjs.powersOfTau.contribute(p0, p1, 'moltbook local phase 1', entropy);
      await snarkjs.powersOfTau.preparePhase2(p1, join(workDir, file));
      await rm(p0);
      await rm(p1);
      return { files: [file] };
    },
  });
  const record = built.manifest.artifacts[file];
  if (record === undefined) throw new Error(`manifest of ${built.dir} lacks ${file}`);
  return { power, path: join(built.dir, file), sha256: record.sha256, cached: built.cached };
}

export function assertPower(power: number): void {
  if (!Number.isInteger(power) || power < 1 || power > MAX_PTAU_POWER) {
    throw new CircuitsError(
      'circuits.invalid_option',
      `Powers-of-tau power must be an integer in 1..${MAX_PTAU_POWER}, got ${power}.`,
    );
  }
}

/** An empty entropy would make snarkjs prompt on stdin and hang a test run. */
export function assertEntropy(entropy: string): void {
  if (typeof entropy !== 'string' || entropy.length === 0) {
    throw new CircuitsError(
      'circuits.invalid_option',
      'Ceremony entropy must be a non-empty string.',
    );
  }
}
