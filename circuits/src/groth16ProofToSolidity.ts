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

/** Bytes of a proof in the wire form of `groth16ProofToBytes`. */
export const GROTH16_PROOF_BYTES = 256;

/**
 * The proof as 256 bytes: the eight words of `groth16ProofToSolidity`, each 32 bytes big-endian —
 * the form rollup transactions carry (`ZkAuth.proof`), one ABI word each for the verifier.
 */
export function groth16ProofToBytes(proof: Groth16Proof): Uint8Array {
  const out = new Uint8Array(GROTH16_PROOF_BYTES);
  groth16ProofToSolidity(proof).forEach((word, i) => {
    let x = word;
    for (let j = 31; j >= 0; j--) {
      out[i * 32 + j] = Number(x & 0xffn);
      x >>= 8n;
    }
  });
  return out;
}

/**
 * The snarkjs proof of 256 wire bytes (the inverse of `groth16ProofToBytes`). Says nothing about
 * validity: coordinates are only read, `verifyGroth16` checks them.
 *
 * @throws RangeError unless `bytes` is 256 bytes long.
 */
export function groth16ProofFromBytes(bytes: Uint8Array): Groth16Proof {
  if (bytes.length !== GROTH16_PROOF_BYTES)
    throw new RangeError(`a Groth16 proof is ${GROTH16_PROOF_BYTES} bytes, got ${bytes.length}`);
  const words: bigint[] = [];
  for (let i = 0; i < 8; i++) {
    let x = 0n;
    for (let j = 0; j < 32; j++) x = (x << 8n) | BigInt(bytes[i * 32 + j] as number);
    words.push(x);
  }
  return groth16ProofFromSolidity(words as unknown as SolidityGroth16Proof);
}

/** The snarkjs proof of the eight Solidity words (the inverse of `groth16ProofToSolidity`). */
export function groth16ProofFromSolidity(words: SolidityGroth16Proof): Groth16Proof {
  const [ax, ay, bx1, bx0, by1, by0, cx, cy] = words.map(String) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    pi_a: [ax, ay, '1'],
    pi_b: [
      [bx0, bx1],
      [by0, by1],
      ['1', '0'],
    ],
    pi_c: [cx, cy, '1'],
    protocol: 'groth16',
    curve: 'bn128',
  } as Groth16Proof;
}
