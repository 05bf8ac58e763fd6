import { CircuitsError } from './circuitsError.ts';
import type { LeanImt, LeanImtProof } from './leanImt.ts';
import { loadMembershipArtifacts, type MembershipArtifacts } from './membershipArtifacts.ts';
import { membershipCircuitInput } from './membershipCircuitInput.ts';
import { type Groth16Proof, proveGroth16 } from './proveGroth16.ts';
import { zkIdentity } from './zkIdentity.ts';

/** [root, nullifier, scope, message]: the circuit's public signals, in the verifier's order. */
export type MembershipPublicSignals = readonly [
  root: bigint,
  nullifier: bigint,
  scope: bigint,
  message: bigint,
];

export type MembershipProof = {
  root: bigint;
  nullifier: bigint;
  scope: bigint;
  message: bigint;
  proof: Groth16Proof;
  publicSignals: MembershipPublicSignals;
};

export type CreateMembershipProofParameters = {
  /** The ZK identity secret, 0 < secret < l. */
  secret: bigint;
  /** The action's context: the nullifier is Poseidon(scope, secret) (§6.3 modes pick it). */
  scope: bigint;
  /** The hash of the action, as a field element: the proof is bound to it. */
  message: bigint;
} & (
  | {
      /** The anonymity set; the proof is for its current root. */
      tree: LeanImt;
      path?: undefined;
    }
  | {
      /** The path of the secret's commitment (e.g. from a tree the caller keeps elsewhere). */
      path: LeanImtProof;
      tree?: undefined;
    }
);

export type CreateMembershipProofOptions = {
  /** Circuit and keys (default: loadMembershipArtifacts(), the checked-in ceremony). */
  artifacts?: MembershipArtifacts | undefined;
};

/**
 * A Groth16 proof that the commitment of `secret` is a member of the anonymity set, with its
 * nullifier for `scope`, bound to `message` (§6.2). Checks the inputs first (secret range, field
 * elements, the commitment's presence in the tree or the path's leaf), then proves with the
 * pinned circuit and keys.
 *
 * @throws CircuitsError `circuits.invalid_secret`, `circuits.input_out_of_field`,
 *   `circuits.leaf_not_found` (the commitment is not in the tree, or is not the path's leaf),
 *   `circuits.tree_too_deep`, `circuits.artifact_mismatch`, `circuits.witness_failed`,
 *   `circuits.prove_failed`.
 */
export async function createMembershipProof(
  params: CreateMembershipProofParameters,
  options: CreateMembershipProofOptions = {},
): Promise<MembershipProof> {
  const { commitment } = zkIdentity(params.secret);
  let path: LeanImtProof;
  if (params.tree !== undefined) {
    const index = params.tree.indexOf(commitment);
    if (index < 0) {
      throw new CircuitsError(
        'circuits.leaf_not_found',
        'The identity commitment of this secret is not in the tree.',
      );
    }
    path = params.tree.generateProof(index);
  } else {
    path = params.path;
    if (path.leaf !== commitment) {
      throw new CircuitsError(
        'circuits.leaf_not_found',
        "The path's leaf is not the identity commitment of this secret.",
      );
    }
  }
  const artifacts = options.artifacts ?? (await loadMembershipArtifacts());
  const input = membershipCircuitInput({
    secret: params.secret,
    path,
    scope: params.scope,
    message: params.message,
    maxDepth: artifacts.manifest.circuit.maxDepth,
  });
  const { proof, publicSignals } = await proveGroth16(
    artifacts.circuit,
    { zkeyPath: artifacts.zkeyPath },
    input,
  );
  const [root, nullifier, scope, message] = publicSignals;
  if (
    root === undefined ||
    nullifier === undefined ||
    scope === undefined ||
    message === undefined
  ) {
    throw new Error(`membership circuit returned ${publicSignals.length} public signals`);
  }
  return {
    root,
    nullifier,
    scope,
    message,
    proof,
    publicSignals: [root, nullifier, scope, message],
  };
}
