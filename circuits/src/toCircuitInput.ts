import { BN254_SCALAR_FIELD_ORDER } from './bn254.ts';
import { CircuitsError } from './circuitsError.ts';

/**
 * A value for one input signal (or an array signal, nested for multi-dimensional arrays).
 * Strings are canonical decimal (`"42"`) or `0x` hex; numbers must be safe integers.
 */
export type SignalValue = bigint | number | string | readonly SignalValue[];

export type CircuitInput = { readonly [signal: string]: SignalValue };

/** The same input with every value a canonical field element, ready for snarkjs. */
export type FieldInput = { [signal: string]: FieldValue };
export type FieldValue = bigint | FieldValue[];

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const HEX = /^0x[0-9a-fA-F]+$/;

/**
 * Checks and converts a circuit input at the edge, before snarkjs sees it. snarkjs (through
 * circom_runtime's `normalize`) silently reduces every input modulo p, so `p + 5` and `5` give
 * the same witness and negative numbers wrap around. Two encodings of one value are a
 * malleability hazard for anything that hashes or compares inputs outside the circuit (a
 * nullifier keyed by the raw input, a signature over it), so only the canonical representative
 * 0 ≤ x < p is accepted.
 *
 * @throws CircuitsError `circuits.input_out_of_field` for x < 0 or x ≥ p,
 *   `circuits.input_invalid` for anything that is not an integer.
 */
export function toCircuitInput(input: CircuitInput): FieldInput {
  const out: FieldInput = {};
  for (const [name, value] of Object.entries(input)) out[name] = toFieldValue(value, name);
  return out;
}

function toFieldValue(value: SignalValue, path: string): FieldValue {
  if (Array.isArray(value)) {
    return (value as readonly SignalValue[]).map((v, i) => toFieldValue(v, `${path}[${i}]`));
  }
  const n = toBigInt(value as bigint | number | string, path);
  if (n < 0n || n >= BN254_SCALAR_FIELD_ORDER) {
    throw new CircuitsError(
      'circuits.input_out_of_field',
      `Input ${path} = ${n} is not a canonical field element (0 ≤ x < p).`,
      { details: `p = ${BN254_SCALAR_FIELD_ORDER}` },
    );
  }
  return n;
}

function toBigInt(value: bigint | number | string, path: string): bigint {
  switch (typeof value) {
    case 'bigint':
      return value;
    case 'number':
      if (Number.isSafeInteger(value)) return BigInt(value);
      break;
    case 'string':
      if (DECIMAL.test(value) || HEX.test(value)) return BigInt(value);
      // A leading minus is still an integer: report it as out of field, not as malformed.
      if (value.startsWith('-') && DECIMAL.test(value.slice(1))) return -BigInt(value.slice(1));
      break;
  }
  throw new CircuitsError(
    'circuits.input_invalid',
    `Input ${path} must be a bigint, a safe integer or a decimal/0x string, got ${describe(value)}.`,
  );
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : `${typeof value} ${String(value)}`;
}
