import type { CompiledCircuit } from './compileCircuit.ts';
import {
  assertEntropy,
  assertPower,
  type PowersOfTau,
  preparePowersOfTau,
} from './preparePowersOfTau.ts';
import { assertPtauFits, type Groth16Keys, setupGroth16 } from './setupGroth16.ts';

export type LocalCeremonyOptions = {
  /** log2 of the powers-of-tau size; tests use 2^8..2^10. At least requiredPowerOfTau(circuit). */
  power: number;
  /** One string; phase 1 and phase 2 each get a labelled derivation of it. */
  entropy: string;
  /** Where the shared ptau goes (default `circuits/build/`); keys go next to the circuit. */
  buildDir?: string | undefined;
  force?: boolean | undefined;
};

export type LocalCeremony = { ptau: PowersOfTau; keys: Groth16Keys };

/**
 * Everything a circuit needs to be proven and verified locally: a cached powers of tau of the
 * given size, then a cached Groth16 setup for the circuit. FOR TESTS AND DEVELOPMENT ONLY: one
 * party ran both phases and could forge proofs. Production uses a public phase 1 and a
 * multi-party phase 2 (see preparePowersOfTau).
 */
export async function localCeremony(
  circuit: CompiledCircuit,
  options: LocalCeremonyOptions,
): Promise<LocalCeremony> {
  // Fail before minutes of work, not after.
  assertPower(options.power);
  assertEntropy(options.entropy);
  assertPtauFits(circuit, options.power);
  const ptau = await preparePowersOfTau({
    power: options.power,
    entropy: `${options.entropy}/phase1`,
    buildDir: options.buildDir,
    force: options.force,
  });
  const keys = await setupGroth16(circuit, ptau, {
    entropy: `${options.entropy}/phase2`,
    force: options.force,
  });
  return { ptau, keys };
}
