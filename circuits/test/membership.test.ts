import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type CircuitInput,
  calculateWitness,
  compileCircuit,
  createMembershipProof,
  groth16ProofToSolidity,
  LeanImt,
  BABY_JUBJUB_SUBGROUP_ORDER as l,
  loadMembershipArtifacts,
  MEMBERSHIP_TREE_DEPTH,
  type MembershipArtifacts,
  type MembershipProof,
  membershipCircuitInput,
  membershipNullifier,
  BN254_SCALAR_FIELD_ORDER as p,
  shutdownProver,
  verifyMembershipProof,
  zkIdentity,
} from '../src/index.ts';
import { fixture } from './fixtures.ts';
import { hasErrorCode } from './hasErrorCode.ts';

/** DESIGN.md §7: Semaphore v4's figure at depth 20 is the goal to beat. */
const CONSTRAINT_GOAL = 6431;
/** Per level above 20: Poseidon(2) (240) + index bit, presence bit, ordering, selection (4). */
const CONSTRAINTS_PER_LEVEL = 244;

let artifacts: MembershipArtifacts;
const members = [3n, 5n, 7n, 11n, 13n, 17n].map((s) => zkIdentity(s * 1_000_003n));
const tree = new LeanImt(members.map((m) => m.commitment));

before(async () => {
  artifacts = await loadMembershipArtifacts();
});

after(shutdownProver);

function inputFor(index: number, scope = 42n, message = 4242n, t: LeanImt = tree): CircuitInput {
  const member = members[index];
  if (member === undefined) throw new Error(`no member ${index}`);
  return membershipCircuitInput({
    secret: member.secret,
    path: t.generateProof(index),
    scope,
    message,
  });
}

async function outputs(input: CircuitInput) {
  const witness = await calculateWitness(artifacts.circuit, input);
  return {
    root: witness.signal('main.root'),
    nullifier: witness.signal('main.nullifier'),
    witness,
  };
}

describe('membership circuit (circuits/membership.circom, depth 20)', () => {
  test(`has 6,298 constraints, within the ${CONSTRAINT_GOAL.toLocaleString('en-US')} goal, and 4 public signals`, () => {
    assert.equal(artifacts.circuit.constraints, 6298);
    assert.ok(artifacts.circuit.constraints <= CONSTRAINT_GOAL);
    assert.equal(artifacts.manifest.circuit.constraints, artifacts.circuit.constraints);
    assert.equal(artifacts.manifest.circuit.maxDepth, MEMBERSHIP_TREE_DEPTH);
    assert.deepEqual(artifacts.manifest.circuit.publicSignals, [
      'root',
      'nullifier',
      'scope',
      'message',
    ]);
    assert.equal(artifacts.verificationKey.nPublic, 4);
  });

  test('computes the root and the nullifier of the TypeScript reference for every member', async () => {
    for (let size = 1; size <= members.length; size++) {
      const t = new LeanImt(members.slice(0, size).map((m) => m.commitment));
      for (let i = 0; i < size; i++) {
        const { root, nullifier } = await outputs(inputFor(i, 42n, 4242n, t));
        assert.equal(root, t.root, `size ${size} leaf ${i}`);
        assert.equal(nullifier, membershipNullifier(42n, members[i]?.secret ?? 0n));
      }
    }
  });

  test('scope and message at the field boundaries; the message is squared into the witness', async () => {
    for (const [scope, message] of [
      [0n, 0n],
      [p - 1n, p - 1n],
      [1n, p - 1n],
    ] as const) {
      const { root, nullifier, witness } = await outputs(inputFor(2, scope, message));
      assert.equal(root, tree.root);
      assert.equal(nullifier, membershipNullifier(scope, members[2]?.secret ?? 0n));
      assert.equal(witness.signal('main.messageSquare'), (message * message) % p);
    }
  });

  test('a wrong path computes another root: a changed sibling, index bit or presence bit', async () => {
    const good = inputFor(2) as Record<string, bigint | bigint[]>;
    const siblings = [...(good.siblings as bigint[])];
    siblings[0] = (siblings[0] as bigint) + 1n;
    const hasSibling = [...(good.hasSibling as bigint[])];
    hasSibling[1] = 0n;
    const absent = [...(good.hasSibling as bigint[])];
    absent[5] = 1n; // a level above the tree: hashing with a 0 sibling
    for (const bad of [
      { ...good, siblings },
      { ...good, leafIndex: 3n },
      { ...good, hasSibling },
      { ...good, hasSibling: absent },
    ]) {
      assert.notEqual((await outputs(bad)).root, tree.root);
    }
  });

  test('refuses a secret at or above the subgroup order l (same key, another nullifier)', async () => {
    const good = inputFor(0);
    const secret0 = members[0]?.secret ?? 0n;
    for (const secret of [l, l + 1n, l + secret0, 2n ** 251n, p - 1n]) {
      await assert.rejects(
        calculateWitness(artifacts.circuit, { ...good, secret }),
        hasErrorCode('circuits.witness_failed'),
        `secret=${secret}`,
      );
    }
    // l - 1 is in range: the witness exists (for another leaf, so another root).
    assert.notEqual((await outputs({ ...good, secret: l - 1n })).root, tree.root);
  });
});

describe('the membership template at other depths', () => {
  test('depth 4: full paths, absent siblings inside the path, a tree too deep', async () => {
    const small = await compileCircuit(fixture('membershipDepth4.circom'));
    assert.equal(small.constraints, 6298 - 16 * CONSTRAINTS_PER_LEVEL);
    const secrets = Array.from({ length: 16 }, (_, i) => BigInt(i + 1) * 7919n);
    const identities = secrets.map((s) => zkIdentity(s));
    for (const size of [16, 11]) {
      const t = new LeanImt(identities.slice(0, size).map((m) => m.commitment));
      for (const index of [0, size - 1, size >> 1]) {
        const input = membershipCircuitInput({
          secret: secrets[index] as bigint,
          path: t.generateProof(index),
          scope: 1n,
          message: 2n,
          maxDepth: 4,
        });
        const witness = await calculateWitness(small, input);
        assert.equal(witness.signal('main.root'), t.root, `size ${size} leaf ${index}`);
      }
    }
    const tooDeep = new LeanImt([...identities.map((m) => m.commitment), 1n]);
    assert.throws(
      () =>
        membershipCircuitInput({
          secret: secrets[0] as bigint,
          path: tooDeep.generateProof(0),
          scope: 1n,
          message: 2n,
          maxDepth: 4,
        }),
      hasErrorCode('circuits.tree_too_deep'),
    );
  });

  test('depth 32 (the largest): 244 constraints per level more than depth 20, same roots', async () => {
    const big = await compileCircuit(fixture('membershipDepth32.circom'));
    assert.equal(big.constraints, 6298 + 12 * CONSTRAINTS_PER_LEVEL);
    const input = membershipCircuitInput({
      secret: members[4]?.secret ?? 0n,
      path: tree.generateProof(4),
      scope: 9n,
      message: 10n,
      maxDepth: 32,
    });
    assert.equal((await calculateWitness(big, input)).signal('main.root'), tree.root);
  });
});

describe('membership proofs with the checked-in keys', () => {
  const scope = 2026n;
  let proof: MembershipProof;

  before(async () => {
    proof = await createMembershipProof({
      secret: members[3]?.secret ?? 0n,
      tree,
      scope,
      message: 77n,
    });
  });

  const verify = (signals: readonly bigint[], pr = proof.proof) =>
    verifyMembershipProof(pr, signals, artifacts.verificationKey);

  test('a valid proof: public signals [root, nullifier, scope, message]', async () => {
    assert.deepEqual(proof.publicSignals, [
      tree.root,
      membershipNullifier(scope, members[3]?.secret ?? 0n),
      scope,
      77n,
    ]);
    assert.deepEqual(
      [proof.root, proof.nullifier, proof.scope, proof.message],
      proof.publicSignals,
    );
    assert.deepEqual(await verify(proof.publicSignals), { kind: 'valid' });
  });

  test('a wrong root, nullifier or scope is rejected', async () => {
    const [root, nullifier, s, message] = proof.publicSignals;
    const other = new LeanImt([...tree.leaves, 99n]).root;
    for (const signals of [
      [other, nullifier, s, message],
      [root, nullifier + 1n, s, message],
      [root, nullifier, s + 1n, message],
      [root, membershipNullifier(s + 1n, members[3]?.secret ?? 0n), s + 1n, message],
    ]) {
      assert.deepEqual(await verify(signals), { kind: 'invalid', reason: 'rejected' });
    }
  });

  test('message binding: the proof does not verify for any other message', async () => {
    const [root, nullifier, s] = proof.publicSignals;
    for (const message of [78n, 76n, 0n, p - 1n]) {
      assert.deepEqual(await verify([root, nullifier, s, message]), {
        kind: 'invalid',
        reason: 'rejected',
      });
    }
    assert.deepEqual(await verify([root, nullifier, s, 77n + p]), {
      kind: 'invalid',
      reason: 'publicSignalOutOfField',
    });
  });

  test('nullifiers: one per identity and scope, whatever the message; another scope, another one', async () => {
    const again = await createMembershipProof({
      secret: members[3]?.secret ?? 0n,
      path: tree.generateProof(3),
      scope,
      message: 78n,
    });
    assert.equal(again.nullifier, proof.nullifier);
    assert.deepEqual(await verify(again.publicSignals, again.proof), { kind: 'valid' });
    const otherScope = await createMembershipProof({
      secret: members[3]?.secret ?? 0n,
      tree,
      scope: scope + 1n,
      message: 77n,
    });
    assert.notEqual(otherScope.nullifier, proof.nullifier);
    assert.deepEqual(await verify(otherScope.publicSignals, otherScope.proof), { kind: 'valid' });
  });

  test('the Solidity form swaps the G2 coordinates within each pair', () => {
    const words = groth16ProofToSolidity(proof.proof);
    assert.equal(words.length, 8);
    assert.deepEqual(words.slice(0, 2), proof.proof.pi_a.slice(0, 2).map(BigInt));
    assert.deepEqual(words.slice(2, 6), [
      BigInt(proof.proof.pi_b[0][1]),
      BigInt(proof.proof.pi_b[0][0]),
      BigInt(proof.proof.pi_b[1][1]),
      BigInt(proof.proof.pi_b[1][0]),
    ]);
    assert.deepEqual(words.slice(6), proof.proof.pi_c.slice(0, 2).map(BigInt));
  });

  test('inputs are checked before proving', async () => {
    const base = { tree, scope: 1n, message: 1n };
    for (const secret of [0n, -1n, l, l + 1n]) {
      await assert.rejects(
        createMembershipProof({ ...base, secret }),
        hasErrorCode('circuits.invalid_secret'),
      );
    }
    await assert.rejects(
      createMembershipProof({ ...base, secret: 424242n }),
      hasErrorCode('circuits.leaf_not_found'),
    );
    await assert.rejects(
      createMembershipProof({
        secret: members[0]?.secret ?? 0n,
        path: tree.generateProof(1),
        scope: 1n,
        message: 1n,
      }),
      hasErrorCode('circuits.leaf_not_found'),
    );
    await assert.rejects(
      createMembershipProof({ ...base, secret: members[0]?.secret ?? 0n, scope: p }),
      hasErrorCode('circuits.input_out_of_field'),
    );
    await assert.rejects(
      createMembershipProof({ ...base, secret: members[0]?.secret ?? 0n, message: -1n }),
      hasErrorCode('circuits.input_out_of_field'),
    );
  });
});
