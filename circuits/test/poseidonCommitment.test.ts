import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { poseidon2 } from 'poseidon-lite';
import * as snarkjs from 'snarkjs';
import {
  BN254_BASE_FIELD_ORDER,
  BN254_SCALAR_FIELD_ORDER,
  type CompiledCircuit,
  calculateWitness,
  compileCircuit,
  type Groth16Proof,
  type LocalCeremony,
  localCeremony,
  proveGroth16,
  shutdownProver,
  verifyGroth16,
} from '../src/index.ts';
import { fixture } from './fixtures.ts';
import { hasErrorCode } from './hasErrorCode.ts';

const p = BN254_SCALAR_FIELD_ORDER;
const q = BN254_BASE_FIELD_ORDER;
const BOUNDARY = [0n, 1n, p - 1n];

let circuit: CompiledCircuit;
let ceremony: LocalCeremony;

before(async () => {
  circuit = await compileCircuit(fixture('poseidonCommitment.circom'));
  ceremony = await localCeremony(circuit, { power: 8, entropy: 'moltbook circuits test' });
});

after(shutdownProver);

async function commitmentOf(secret: bigint, salt: bigint, message: bigint): Promise<bigint> {
  const witness = await calculateWitness(circuit, { secret, salt, message });
  return witness.signal('main.commitment');
}

describe('poseidonCommitment circuit shape', () => {
  test('has the expected constraint count and public signals at --O2', () => {
    // Poseidon(2) is 240 constraints, the message square one more; a change here means the
    // fixture or the compiler flags changed.
    assert.equal(circuit.constraints, 241);
    assert.equal(circuit.outputs, 1);
    assert.equal(circuit.publicInputs, 1);
    assert.equal(circuit.privateInputs, 2);
    assert.equal(ceremony.keys.verificationKey.nPublic, 2);
  });
});

describe('poseidonCommitment witness against poseidon-lite', () => {
  test('fixed values', async () => {
    const cases: [bigint, bigint][] = [
      [1n, 2n],
      [42n, 1337n],
      [0xdeadbeefn, 2n ** 200n + 12345n],
    ];
    for (const [secret, salt] of cases) {
      const witness = await calculateWitness(circuit, { secret, salt, message: 7n });
      assert.equal(witness.values[0], 1n);
      assert.equal(witness.signal('main.commitment'), poseidon2([secret, salt]));
      assert.equal(witness.signal('main.message'), 7n);
    }
  });

  test('known answer: Poseidon(1, 2)', async () => {
    // circomlib's own test vector (circomlib/test/poseidoncircuit.js).
    assert.equal(
      await commitmentOf(1n, 2n, 0n),
      7853200120776062878684798364095072458815029376092732009249414926327459813530n,
    );
  });

  test('boundary values 0, 1, p - 1 in every position', async () => {
    for (const secret of BOUNDARY) {
      for (const salt of BOUNDARY) {
        assert.equal(
          await commitmentOf(secret, salt, p - 1n),
          poseidon2([secret, salt]),
          `secret=${secret} salt=${salt}`,
        );
      }
    }
  });

  test('the message is squared into the witness (the binding constraint exists)', async () => {
    for (const message of [...BOUNDARY, 123456789n]) {
      const witness = await calculateWitness(circuit, { secret: 1n, salt: 2n, message });
      assert.equal(witness.signal('main.messageSquare'), (message * message) % p);
    }
  });

  test('property: random field elements', async () => {
    const field = fc.bigInt({ min: 0n, max: p - 1n });
    await fc.assert(
      fc.asyncProperty(field, field, field, async (secret, salt, message) => {
        assert.equal(await commitmentOf(secret, salt, message), poseidon2([secret, salt]));
      }),
      { numRuns: 40 },
    );
  });
});

describe('poseidonCommitment Groth16 with the local ceremony', () => {
  const input = { secret: 31337n, salt: 271828n, message: 99n };
  let proof: Groth16Proof;
  let publicSignals: bigint[];

  before(async () => {
    ({ proof, publicSignals } = await proveGroth16(circuit, ceremony.keys, input));
  });

  const verify = (signals: readonly bigint[], pr: Groth16Proof = proof) =>
    verifyGroth16(ceremony.keys.verificationKey, signals, pr);

  test('a proof verifies and exposes [commitment, message]', async () => {
    assert.deepEqual(publicSignals, [poseidon2([input.secret, input.salt]), input.message]);
    assert.deepEqual(await verify(publicSignals), { kind: 'valid' });
  });

  test('a changed commitment fails', async () => {
    const [commitment, message] = publicSignals as [bigint, bigint];
    const other = poseidon2([input.secret, input.salt + 1n]);
    assert.deepEqual(await verify([other, message]), { kind: 'invalid', reason: 'rejected' });
    assert.deepEqual(await verify([(commitment + 1n) % p, message]), {
      kind: 'invalid',
      reason: 'rejected',
    });
  });

  test('a changed message fails (the proof is bound to it)', async () => {
    const [commitment, message] = publicSignals as [bigint, bigint];
    for (const other of [message + 1n, 0n, p - message]) {
      assert.deepEqual(await verify([commitment, other]), { kind: 'invalid', reason: 'rejected' });
    }
  });

  test('a non-canonical alias (signal + p) fails', async () => {
    const [commitment, message] = publicSignals as [bigint, bigint];
    assert.deepEqual(await verify([commitment + p, message]), {
      kind: 'invalid',
      reason: 'publicSignalOutOfField',
    });
    assert.deepEqual(await verify([commitment, message + p]), {
      kind: 'invalid',
      reason: 'publicSignalOutOfField',
    });
    // snarkjs itself also refuses it (its own range check), so the wrapper only adds the reason.
    assert.equal(
      await snarkjs.groth16.verify(ceremony.keys.verificationKey, [commitment + p, message], proof),
      false,
    );
  });

  test('a wrong number of public signals fails', async () => {
    assert.deepEqual(await verify(publicSignals.slice(0, 1)), {
      kind: 'invalid',
      reason: 'publicSignalCount',
    });
    assert.deepEqual(await verify([...publicSignals, 0n]), {
      kind: 'invalid',
      reason: 'publicSignalCount',
    });
  });

  test('tampered proof elements fail', async () => {
    const [ax, ay] = proof.pi_a;
    const [cx, cy] = proof.pi_c;
    const tampered: Groth16Proof[] = [
      // -A: still a point on the curve, so only the pairing check catches it.
      { ...proof, pi_a: [ax, (q - BigInt(ay)).toString(), '1'] },
      // A and C swapped: both valid points.
      { ...proof, pi_a: proof.pi_c, pi_c: proof.pi_a },
      // C moved off the curve.
      { ...proof, pi_c: [((BigInt(cx) + 1n) % q).toString(), cy, '1'] },
      // B's coordinates swapped within the pair.
      {
        ...proof,
        pi_b: [
          [proof.pi_b[0][1], proof.pi_b[0][0]],
          [proof.pi_b[1][1], proof.pi_b[1][0]],
          ['1', '0'],
        ],
      },
    ];
    for (const [i, bad] of tampered.entries()) {
      assert.deepEqual(
        await verify(publicSignals, bad),
        { kind: 'invalid', reason: 'rejected' },
        `#${i}`,
      );
    }
  });

  test('malformed proofs are refused without throwing', async () => {
    const malformed = [
      { ...proof, pi_a: ['abc', proof.pi_a[1], '1'] },
      { ...proof, pi_c: [q.toString(), proof.pi_c[1], '1'] },
      { ...proof, pi_b: proof.pi_b.slice(0, 2) },
      { ...proof, protocol: 'plonk' },
    ] as unknown as Groth16Proof[];
    for (const [i, bad] of malformed.entries()) {
      assert.deepEqual(
        await verify(publicSignals, bad),
        { kind: 'invalid', reason: 'malformedProof' },
        `#${i}`,
      );
    }
  });

  test('a proof for another input does not verify this input', async () => {
    const other = await proveGroth16(circuit, ceremony.keys, { ...input, salt: 1n });
    assert.deepEqual(await verify(other.publicSignals, other.proof), { kind: 'valid' });
    assert.deepEqual(await verify(publicSignals, other.proof), {
      kind: 'invalid',
      reason: 'rejected',
    });
  });
});

describe('poseidonCommitment inputs outside the field', () => {
  test('snarkjs alone silently reduces inputs mod p (why the wrapper refuses them)', async () => {
    // Documents the behaviour the wrapper guards against: circom_runtime's normalize() reduces
    // every input mod p, so secret = p + 5 yields the same commitment as secret = 5.
    const raw = async (secret: bigint): Promise<bigint | undefined> => {
      const wtns = { type: 'mem' as const };
      await snarkjs.wtns.calculate({ secret, salt: 2n, message: 0n }, circuit.wasmPath, wtns);
      return (await snarkjs.wtns.exportJson(wtns))[1];
    };
    assert.equal(await raw(p + 5n), poseidon2([5n, 2n]));
    assert.equal(await raw(-1n), poseidon2([p - 1n, 2n]));
  });

  test('the wrapper rejects x ≥ p and x < 0 with a typed error, for witness and proof', async () => {
    for (const secret of [p, p + 1n, 2n ** 256n, -1n, p.toString(), '-1']) {
      const bad = { secret, salt: 2n, message: 0n };
      await assert.rejects(
        calculateWitness(circuit, bad),
        hasErrorCode('circuits.input_out_of_field'),
      );
      await assert.rejects(
        proveGroth16(circuit, ceremony.keys, bad),
        hasErrorCode('circuits.input_out_of_field'),
      );
    }
    await assert.rejects(
      calculateWitness(circuit, { secret: 1n, salt: 2n, message: p }),
      hasErrorCode('circuits.input_out_of_field'),
    );
  });

  test('an input the circuit does not accept is a typed witness error', async () => {
    await assert.rejects(
      calculateWitness(circuit, { secret: 1n, message: 0n }),
      hasErrorCode('circuits.witness_failed'),
    );
    await assert.rejects(
      calculateWitness(circuit, { secret: 1n, salt: 2n, message: 0n, extra: 1n }),
      hasErrorCode('circuits.witness_failed'),
    );
  });

  test('asking for a signal the optimizer removed is a typed error', async () => {
    const witness = await calculateWitness(circuit, { secret: 1n, salt: 2n, message: 0n });
    assert.throws(() => witness.signal('main.hasher.out'), hasErrorCode('circuits.unknown_signal'));
    assert.throws(() => witness.signal('main.nope'), hasErrorCode('circuits.unknown_signal'));
  });
});
