import { CircuitsError } from './circuitsError.ts';
import type { LeanImtProof } from './leanImt.ts';
import { MEMBERSHIP_TREE_DEPTH } from './membershipArtifacts.ts';
import type { CircuitInput } from './toCircuitInput.ts';
import { assertFieldElement, assertZkSecret } from './zkIdentity.ts';

export type MembershipCircuitInputParameters = {
  secret: bigint;
  /** The path of the prover's commitment (LeanImt.generateProof). */
  path: LeanImtProof;
  scope: bigint;
  message: bigint;
  /** The circuit's MAX_DEPTH (default 20, circuits/membership.circom). */
  maxDepth?: number | undefined;
};

/**
 * The private and public inputs of circuits/lib/membership.circom for a LeanIMT path: the path is
 * padded to `maxDepth` levels, `hasSibling` marks the levels where the node has a sibling, and
 * the siblings of the other levels are 0 (ignored by the circuit).
 *
 * @throws CircuitsError `circuits.invalid_secret`, `circuits.input_out_of_field`,
 *   `circuits.tree_too_deep` (the path is longer than `maxDepth`).
 */
export function membershipCircuitInput(params: MembershipCircuitInputParameters): CircuitInput {
  const { secret, path, scope, message } = params;
  const maxDepth = params.maxDepth ?? MEMBERSHIP_TREE_DEPTH;
  assertZkSecret(secret);
  assertFieldElement(scope, 'scope');
  assertFieldElement(message, 'message');
  if (path.siblings.length > maxDepth || path.leafIndex >= 2 ** maxDepth) {
    throw new CircuitsError(
      'circuits.tree_too_deep',
      `The tree is ${path.siblings.length} levels deep; the circuit takes at most ${maxDepth}.`,
    );
  }
  const hasSibling: bigint[] = [];
  const siblings: bigint[] = [];
  for (let level = 0; level < maxDepth; level++) {
    const sibling = path.siblings[level];
    hasSibling.push(sibling === undefined ? 0n : 1n);
    siblings.push(sibling ?? 0n);
  }
  return {
    secret,
    leafIndex: BigInt(path.leafIndex),
    hasSibling,
    siblings,
    scope,
    message,
  };
}
