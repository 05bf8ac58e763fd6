import { poseidon2 } from 'poseidon-lite';
import {
  BABY_JUBJUB_BASE8,
  BABY_JUBJUB_SUBGROUP_ORDER,
  type BabyJubjubPoint,
  mulBabyJubjubPoint,
} from './babyJubjub.ts';
import { BN254_SCALAR_FIELD_ORDER } from './bn254.ts';
import { CircuitsError } from './circuitsError.ts';

/**
 * A ZK identity (§6.2, DESIGN.md §3): a secret scalar, its Baby Jubjub public key and the
 * identity commitment that joins the anonymity set at registration. How the secret is made is
 * not decided here (issue 6 item 1: the card derives it from its key with a KDF): any
 * 0 < secret < l works.
 */
export type ZkIdentity = {
  readonly secret: bigint;
  /** (Ax, Ay) = secret · Base8. */
  readonly publicKey: BabyJubjubPoint;
  /** Poseidon(Ax, Ay): the leaf of the anonymity set, `zkCommitment` of IdentityRegistered. */
  readonly commitment: bigint;
};

/**
 * The identity of `secret`: what circuits/lib/membership.circom computes from its private input.
 *
 * @throws CircuitsError `circuits.invalid_secret` unless 0 < secret < l (Baby Jubjub's subgroup
 *   order; the circuit refuses secret ≥ l, and 0 has the neutral point as key, whose commitment
 *   anyone can compute).
 */
export function zkIdentity(secret: bigint): ZkIdentity {
  assertZkSecret(secret);
  const publicKey = mulBabyJubjubPoint(BABY_JUBJUB_BASE8, secret);
  return { secret, publicKey, commitment: poseidon2([publicKey[0], publicKey[1]]) };
}

/**
 * The nullifier of `secret` in `scope`: Poseidon(scope, secret). One per identity and scope, and
 * unlinkable across scopes without the secret (§6.3 modes choose the scope).
 *
 * @throws CircuitsError `circuits.invalid_secret`, `circuits.input_out_of_field` (scope).
 */
export function membershipNullifier(scope: bigint, secret: bigint): bigint {
  assertZkSecret(secret);
  assertFieldElement(scope, 'scope');
  return poseidon2([scope, secret]);
}

export function assertZkSecret(secret: bigint): void {
  if (typeof secret !== 'bigint' || secret <= 0n || secret >= BABY_JUBJUB_SUBGROUP_ORDER) {
    throw new CircuitsError(
      'circuits.invalid_secret',
      'A ZK identity secret must be a bigint with 0 < secret < l (Baby Jubjub subgroup order).',
    );
  }
}

/** @throws CircuitsError `circuits.input_out_of_field` unless 0 ≤ value < p. */
export function assertFieldElement(value: bigint, name: string): void {
  if (typeof value !== 'bigint' || value < 0n || value >= BN254_SCALAR_FIELD_ORDER) {
    throw new CircuitsError(
      'circuits.input_out_of_field',
      `${name} must be a bigint field element (0 ≤ x < p).`,
    );
  }
}
