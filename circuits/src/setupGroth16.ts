import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { sha256File } from './artifactManifest.ts';
import { CircuitsError } from './circuitsError.ts';
import { materializeArtifacts } from './materializeArtifacts.ts';
import { packageVersion } from './packageDir.ts';
import type { PowersOfTau } from './preparePowersOfTau.ts';
import { assertEntropy } from './preparePowersOfTau.ts';
import { acquireProverCurve } from './shutdownProver.ts';

export type Groth16VerificationKey = snarkjs.Groth16VerificationKeyJson;

/** The fields of a CompiledCircuit the setup needs. */
export type SetupCircuit = {
  name: string;
  dir: string;
  r1csPath: string;
  constraints: number;
  publicInputs: number;
  outputs: number;
};

export type SetupGroth16Options = {
  /** Phase-2 contribution entropy (see PreparePowersOfTauOptions.entropy). */
  entropy: string;
  force?: boolean | undefined;
};

export type Groth16Keys = {
  zkeyPath: string;
  verificationKeyPath: string;
  verificationKey: Groth16VerificationKey;
  /** sha256 of the zkey, as recorded in the manifest. */
  zkeySha256: string;
  cached: boolean;
};

/**
 * The smallest powers-of-tau power that fits the circuit: snarkjs needs a domain of
 * 2^k ≥ constraints + public signals + 1 (zkey_new.js: `log2(nConstraints + nPubInputs +
 * nOutputs) + 1`).
 */
export function requiredPowerOfTau(
  circuit: Omit<SetupCircuit, 'name' | 'dir' | 'r1csPath'>,
): number {
  return (circuit.constraints + circuit.publicInputs + circuit.outputs).toString(2).length;
}

/**
 * A LOCAL Groth16 phase 2 for tests and development: `zkey new` from the circuit and the ptau,
 * one contribution, and the verification key. Files go to `<circuit.dir>/groth16-<key>/`, keyed
 * by the r1cs and ptau hashes and the entropy. Production runs a multi-party phase 2 on a public
 * ptau instead (see preparePowersOfTau).
 *
 * @throws CircuitsError `circuits.ptau_too_small` before any work when the ptau cannot hold the
 *   circuit (snarkjs itself would only log and leave an empty zkey), `circuits.setup_failed`.
 */
export async function setupGroth16(
  circuit: SetupCircuit,
  ptau: PowersOfTau,
  options: SetupGroth16Options,
): Promise<Groth16Keys> {
  const { entropy } = options;
  assertEntropy(entropy);
  assertPtauFits(circuit, ptau.power);
  const snarkjsVersion = await packageVersion('snarkjs');
  const r1csSha256 = await sha256File(circuit.r1csPath);
  const key = createHash('sha256')
    .update(
      JSON.stringify({ kind: 'groth16', r1csSha256, ptau: ptau.sha256, entropy, snarkjsVersion }),
    )
    .digest('hex');
  const zkeyFile = `${circuit.name}.zkey`;
  const vkeyFile = 'verification_key.json';

  const built = await materializeArtifacts({
    dir: join(circuit.dir, `groth16-${key.slice(0, 16)}`),
    kind: 'groth16',
    key,
    inputs: { r1csSha256, ptauSha256: ptau.sha256, ptauPower: ptau.power, snarkjs: snarkjsVersion },
    force: options.force,
    produce: async (workDir) => {
      const z0 = join(workDir, `${circuit.name}_0000.zkey`);
      const zkeyPath = join(workDir, zkeyFile);
      await acquireProverCurve();
      const created = await snarkjs.zKey.newZKey(circuit.r1csPath, ptau.path, z0);
      if (created === -1) {
        throw new CircuitsError(
          'circuits.setup_failed',
          `snarkjs zkey new refused ${circuit.name}.`,
        );
      }
      await snarkjs.zKey.contribute(z0, zkeyPath, 'moltbook local phase 2', entropy);
      await rm(z0);
      const vkey = await snarkjs.zKey.exportVerificationKey(zkeyPath);
      await writeFile(join(workDir, vkeyFile), `${JSON.stringify(vkey, null, 2)}\n`);
      return { files: [zkeyFile, vkeyFile] };
    },
  });

  const verificationKeyPath = join(built.dir, vkeyFile);
  const zkeyRecord = built.manifest.artifacts[zkeyFile];
  if (zkeyRecord === undefined) throw new Error(`manifest of ${built.dir} lacks ${zkeyFile}`);
  return {
    zkeyPath: join(built.dir, zkeyFile),
    verificationKeyPath,
    verificationKey: JSON.parse(
      await readFile(verificationKeyPath, 'utf8'),
    ) as Groth16VerificationKey,
    zkeySha256: zkeyRecord.sha256,
    cached: built.cached,
  };
}

export function assertPtauFits(
  circuit: Omit<SetupCircuit, 'dir' | 'r1csPath'>,
  power: number,
): void {
  const required = requiredPowerOfTau(circuit);
  if (required > power) {
    throw new CircuitsError(
      'circuits.ptau_too_small',
      `${circuit.name} needs powers of tau of at least 2^${required}, got 2^${power}.`,
      {
        details: `${circuit.constraints} constraints, ${circuit.publicInputs + circuit.outputs} public signals`,
      },
    );
  }
}
