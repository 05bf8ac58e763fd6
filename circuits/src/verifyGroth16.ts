import * as snarkjs from 'snarkjs';
import { BN254_BASE_FIELD_ORDER, BN254_SCALAR_FIELD_ORDER } from './bn254.ts';
import type { Groth16Proof } from './proveGroth16.ts';
import type { Groth16VerificationKey } from './setupGroth16.ts';
import { acquireProverCurve } from './shutdownProver.ts';

export type VerifyGroth16ReturnType =
  | { kind: 'valid' }
  | {
      kind: 'invalid';
      /**
       * publicSignalCount: not the key's nPublic. publicSignalOutOfField: some x ≥ p or x < 0 (a
       * non-canonical alias of a valid signal must not verify). malformedProof: wrong shape or a
       * coordinate that is not a canonical base-field element. rejected: snarkjs said no (a point
       * off the curve, or the pairing check failed).
       */
      reason: 'publicSignalCount' | 'publicSignalOutOfField' | 'malformedProof' | 'rejected';
    };

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * Verifies a Groth16 proof with snarkjs after checking what snarkjs does not (the number of
 * public signals) or only reports as `false` (field ranges, the proof's shape), so a caller
 * learns why a proof was refused. Never throws for a bad proof: proofs are untrusted input.
 */
export async function verifyGroth16(
  verificationKey: Groth16VerificationKey,
  publicSignals: readonly bigint[],
  proof: Groth16Proof,
): Promise<VerifyGroth16ReturnType> {
  if (publicSignals.length !== verificationKey.nPublic) {
    return { kind: 'invalid', reason: 'publicSignalCount' };
  }
  if (publicSignals.some((s) => typeof s !== 'bigint' || s < 0n || s >= BN254_SCALAR_FIELD_ORDER)) {
    return { kind: 'invalid', reason: 'publicSignalOutOfField' };
  }
  if (!isWellFormed(proof)) return { kind: 'invalid', reason: 'malformedProof' };
  await acquireProverCurve();
  let ok: boolean;
  try {
    ok = await snarkjs.groth16.verify(verificationKey, publicSignals, proof);
  } catch {
    return { kind: 'invalid', reason: 'malformedProof' };
  }
  return ok ? { kind: 'valid' } : { kind: 'invalid', reason: 'rejected' };
}

function isWellFormed(proof: unknown): boolean {
  if (typeof proof !== 'object' || proof === null) return false;
  const p = proof as Record<string, unknown>;
  return (
    p.protocol === 'groth16' &&
    p.curve === 'bn128' &&
    isTuple(p.pi_a, 3, isCoordinate) &&
    isTuple(p.pi_b, 3, (pair) => isTuple(pair, 2, isCoordinate)) &&
    isTuple(p.pi_c, 3, isCoordinate)
  );
}

function isTuple(value: unknown, length: number, item: (v: unknown) => boolean): boolean {
  return Array.isArray(value) && value.length === length && value.every(item);
}

function isCoordinate(value: unknown): boolean {
  return typeof value === 'string' && DECIMAL.test(value) && BigInt(value) < BN254_BASE_FIELD_ORDER;
}
