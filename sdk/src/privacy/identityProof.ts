import {
  createMembershipProof,
  type Groth16Proof,
  groth16ProofFromBytes,
  groth16ProofToBytes,
  groth16ProofToSolidity,
  type LeanImt,
  type LeanImtProof,
  loadMembershipVerificationKey,
  membershipNullifier,
  type SolidityGroth16Proof,
  verifyMembershipProof,
  zkIdentity,
} from '@moltbook/circuits';
import { InvalidParameterError } from '../errors/baseError.ts';

/**
 * A proof of membership in the anonymity set (§6.2), in every form its consumers take: the four
 * public signals, the snarkjs proof, the 256 bytes a rollup transaction carries, and the eight
 * words `AnonymitySet.validateProof` takes.
 */
export interface IdentityProof {
  readonly root: bigint;
  readonly nullifier: bigint;
  readonly scope: bigint;
  readonly message: bigint;
  readonly proof: Groth16Proof;
  /** `ZkAuth.proof` of a rollup transaction. */
  readonly proofBytes: Uint8Array;
  /** `IAnonymitySet.MembershipProof.points`. */
  readonly points: SolidityGroth16Proof;
}

export interface CreateIdentityProofParameters {
  /** The ZK identity secret (from the card, `zkSecretFromCard`), 0 < secret < l. */
  readonly secret: bigint;
  /** The scope: the nullifier is Poseidon(scope, secret). */
  readonly scope: bigint;
  /** The hash of the action (a field element): the proof is bound to it. */
  readonly message: bigint;
  /** The anonymity set (e.g. `fetchAnonymitySet`), or the commitment's path in it. */
  readonly tree?: LeanImt;
  readonly path?: LeanImtProof;
}

/**
 * Proves that the commitment of `secret` is in the anonymity set, with its nullifier for `scope`,
 * bound to `message` (Groth16 over circuits/membership.circom with the pinned keys; ~0.7 s on a
 * 2-core machine). Everything stays on this host: only the proof leaves it.
 *
 * ```ts
 * const tree = await fetchAnonymitySet({ client, address });
 * const proof = await createIdentityProof({ secret, scope, message, tree });
 * await anonymitySet.write.validateProof([{ root: proof.root, nullifier: proof.nullifier,
 *   scope: proof.scope, message: proof.message, points: proof.points }]);
 * ```
 *
 * @throws InvalidParameterError when neither `tree` nor `path` is given; CircuitsError
 *   (`circuits.leaf_not_found`, `circuits.invalid_secret`, …) from the prover.
 */
export async function createIdentityProof(
  params: CreateIdentityProofParameters,
): Promise<IdentityProof> {
  const { secret, scope, message } = params;
  const p =
    params.tree !== undefined
      ? await createMembershipProof({ secret, scope, message, tree: params.tree })
      : params.path !== undefined
        ? await createMembershipProof({ secret, scope, message, path: params.path })
        : (() => {
            throw new InvalidParameterError('tree', 'the anonymity set (tree) or a path in it');
          })();
  return {
    root: p.root,
    nullifier: p.nullifier,
    scope: p.scope,
    message: p.message,
    proof: p.proof,
    proofBytes: groth16ProofToBytes(p.proof),
    points: groth16ProofToSolidity(p.proof),
  };
}

/** What `verifyIdentityProof` needs: the public signals and the proof (snarkjs or 256 bytes). */
export interface VerifyIdentityProofParameters {
  readonly root: bigint;
  readonly nullifier: bigint;
  readonly scope: bigint;
  readonly message: bigint;
  readonly proof: Groth16Proof | Uint8Array;
}

/**
 * Whether a membership proof verifies for its four public signals against the pinned
 * verification key — what a rollup node checks before anything else. Whether its root is recent
 * and its nullifier unused is the verifier's bookkeeping (the AnonymitySet, the shard state).
 * Never throws for a bad proof.
 */
export async function verifyIdentityProof(params: VerifyIdentityProofParameters): Promise<boolean> {
  let proof: Groth16Proof;
  try {
    proof = params.proof instanceof Uint8Array ? groth16ProofFromBytes(params.proof) : params.proof;
  } catch {
    return false;
  }
  const vkey = await loadMembershipVerificationKey();
  const r = await verifyMembershipProof(
    proof,
    [params.root, params.nullifier, params.scope, params.message],
    vkey,
  );
  return r.kind === 'valid';
}

/** The identity commitment of a ZK secret (what registration puts in the anonymity set). */
export function identityCommitment(secret: bigint): bigint {
  return zkIdentity(secret).commitment;
}

export { membershipNullifier };
