import type { Groth16Proof } from './proveGroth16.ts';
import type { Groth16VerificationKey } from './setupGroth16.ts';
import { type VerifyGroth16ReturnType, verifyGroth16 } from './verifyGroth16.ts';

/**
 * Verifies a membership proof against `[root, nullifier, scope, message]` (see
 * MEMBERSHIP_PUBLIC_SIGNALS) with the circuit's verification key (MembershipArtifacts or
 * circuits/ceremony/membership/verification_key.json). Says only whether the proof is valid for
 * these signals: whether the root is a recent anonymity-set root and the nullifier unused in its
 * scope is the verifier's own bookkeeping (AnonymitySet on the L2; the rollup node). Never throws
 * for a bad proof.
 */
export function verifyMembershipProof(
  proof: Groth16Proof,
  publicSignals: readonly bigint[],
  verificationKey: Groth16VerificationKey,
): Promise<VerifyGroth16ReturnType> {
  return verifyGroth16(verificationKey, publicSignals, proof);
}
