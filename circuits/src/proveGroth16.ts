import * as snarkjs from 'snarkjs';
import { calculateWtns } from './calculateWitness.ts';
import { CircuitsError } from './circuitsError.ts';
import { acquireProverCurve } from './shutdownProver.ts';
import type { CircuitInput } from './toCircuitInput.ts';

export type Groth16Proof = snarkjs.Groth16ProofJson;

export type ProveGroth16ReturnType = {
  /** snarkjs's JSON form (decimal strings), ready for a verifier or for calldata. */
  proof: Groth16Proof;
  /** Outputs first, then public inputs, in declaration order. */
  publicSignals: bigint[];
};

/**
 * Witness + Groth16 proof. This is exactly what snarkjs's `groth16.fullProve` does
 * (wtns.calculate into memory, then groth16.prove), split in two so a rejected input surfaces as
 * `circuits.witness_failed` and a broken key as `circuits.prove_failed`, and with the input checked
 * by toCircuitInput first.
 */
export async function proveGroth16(
  circuit: { wasmPath: string },
  keys: { zkeyPath: string },
  input: CircuitInput,
): Promise<ProveGroth16ReturnType> {
  const wtns = await calculateWtns(circuit.wasmPath, input);
  await acquireProverCurve();
  try {
    const { proof, publicSignals } = await snarkjs.groth16.prove(keys.zkeyPath, wtns);
    return { proof, publicSignals: publicSignals.map((s) => BigInt(s)) };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new CircuitsError('circuits.prove_failed', `Groth16 proving failed: ${reason}`, {
      cause,
    });
  }
}
