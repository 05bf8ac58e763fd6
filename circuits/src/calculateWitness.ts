import * as snarkjs from 'snarkjs';
import { CircuitsError } from './circuitsError.ts';
import { readSymbols } from './readSymbols.ts';
import { type CircuitInput, toCircuitInput } from './toCircuitInput.ts';

export type WitnessCircuit = { wasmPath: string; symPath: string };

export type Witness = {
  /** Wire values in r1cs order; values[0] is the constant 1, then outputs, public, private. */
  values: readonly bigint[];
  /** The value of a named signal, e.g. `main.commitment`. */
  signal(name: string): bigint;
};

/**
 * Runs the circuit's witness generator (the circom-generated WASM, through snarkjs, in memory):
 * the reference point for witness tests. Also checks every `===` and `assert` the circuit makes.
 *
 * @throws CircuitsError `circuits.input_out_of_field` / `circuits.input_invalid` (see
 *   toCircuitInput) before the generator runs, `circuits.witness_failed` when it rejects the
 *   input (a failed assertion, a missing or extra signal), `circuits.unknown_signal` from
 *   `signal()`.
 */
export async function calculateWitness(
  circuit: WitnessCircuit,
  input: CircuitInput,
): Promise<Witness> {
  const wtns = await calculateWtns(circuit.wasmPath, input);
  const values = await snarkjs.wtns.exportJson(wtns);
  const symbols = await readSymbols(circuit.symPath);
  return {
    values,
    signal(name) {
      const index = symbols.get(name);
      const value = index === undefined ? undefined : values[index];
      if (value === undefined) {
        throw new CircuitsError(
          'circuits.unknown_signal',
          `No signal ${name} in the witness (unknown, or removed by the optimizer).`,
        );
      }
      return value;
    },
  };
}

/** The binary witness (`.wtns` in memory) for an input checked by toCircuitInput. */
export async function calculateWtns(
  wasmPath: string,
  input: CircuitInput,
): Promise<snarkjs.FileRef> {
  const fieldInput = toCircuitInput(input);
  const wtns: snarkjs.FileRef = { type: 'mem' };
  try {
    await snarkjs.wtns.calculate(fieldInput, wasmPath, wtns);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new CircuitsError('circuits.witness_failed', `Witness generation failed: ${reason}`, {
      ...(cause instanceof Error ? { details: cause.message } : {}),
      cause,
    });
  }
  return wtns;
}
