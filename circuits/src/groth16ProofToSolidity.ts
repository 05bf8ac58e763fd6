import type { Groth16Proof } from './proveGroth16.ts';

/** The eight proof words a snarkjs-generated Solidity verifier takes, flattened. */
export type SolidityGroth16Proof = readonly [
  bigint,
  bigint,
  bigint,
  bigint,
  bigint,
  bigint,
  bigint,
  bigint,
];

/**
 * A snarkjs Groth16 proof as the generated verifier (contracts/verifiers/) and
 * `IAnonymitySet.MembershipProof.points` take it: A.x, A.y, B.x (imaginary, real), B.y
 * (imaginary, real), C.x, C.y. The G2 coordinates are swapped within each pair because the
 * EVM's pairing precompile (EIP-197) orders F_q² elements imaginary part first, snarkjs the
 * other way round (what `snarkjs zkey export soliditycalldata` prints).
 */
export function groth16ProofToSolidity(proof: Groth16Proof): SolidityGroth16Proof {
  const [ax, ay] = proof.pi_a;
  const [[bx0, bx1], [by0, by1]] = proof.pi_b;
  const [cx, cy] = proof.pi_c;
  return [ax, ay, bx1, bx0, by1, by0, cx, cy].map((s) =>
    BigInt(s),
  ) as unknown as SolidityGroth16Proof;
}
