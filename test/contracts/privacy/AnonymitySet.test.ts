import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createMembershipProof,
  LeanImt,
  loadMembershipArtifacts,
  MEMBERSHIP_TREE_DEPTH,
  type MembershipProof,
  membershipNullifier,
  BN254_SCALAR_FIELD_ORDER as p,
  shutdownProver,
  verifyMembershipProof,
  zkIdentity,
} from '@moltbook/circuits';
import { network } from 'hardhat';
import { getAddress } from 'viem';
import {
  CARD_TYPE,
  cardMessage,
  cardRef,
  deployIdentityFixture,
  type RegisteredIdentity,
  randomHash,
} from '../helpers/identityFixture.ts';
import {
  deployAnonymitySet,
  REGISTRAR_ROLE,
  ROOT_EXPIRY,
  toMembershipProofStruct,
} from './anonymitySetFixture.ts';

// Secrets of the ZK identities registered below (issue 6 item 1 will derive them on the card).
const SECRETS = [0x5eed01n, 0x5eed02n, 0x5eed03n];
const [ALICE, BOB, CAROL] = SECRETS.map((s) => zkIdentity(s)) as [
  ReturnType<typeof zkIdentity>,
  ReturnType<typeof zkIdentity>,
  ReturnType<typeof zkIdentity>,
];

describe('AnonymitySet on op: identities from the registry, real proofs from circuits/', async () => {
  const connection = await network.create('op');
  const { viem, networkHelpers } = connection;
  const fx = await deployIdentityFixture(connection);
  const zk = await deployAnonymitySet(connection, { identities: fx.registry.address });
  const { set, hasher, publicClient } = zk;
  const wallets = await viem.getWalletClients();
  const owner = (i: number) => getAddress(wallets[i]?.account.address ?? '0x');

  let proof: MembershipProof;
  const registered: RegisteredIdentity[] = [];

  before(async () => {
    for (const [i, identity] of [ALICE, BOB, CAROL].entries()) {
      registered.push(
        await fx.registerIdentity(owner(i + 1), { zkCommitment: identity.commitment }),
      );
    }
    await zk.syncFromRegistry(fx.registry);
    proof = await createMembershipProof({
      secret: BOB.secret,
      tree: zk.tree,
      scope: 1n,
      message: 100n,
    });
  });

  after(shutdownProver);

  it('PoseidonT3 is poseidon-lite’s Poseidon(2) (the circuit’s hash)', async () => {
    // circomlib's known answer for Poseidon(1, 2).
    assert.equal(
      await hasher.read.hash([1n, 2n]),
      7853200120776062878684798364095072458815029376092732009249414926327459813530n,
    );
    const pairs: [bigint, bigint][] = [
      [ALICE.commitment, BOB.commitment],
      [p - 1n, p - 1n],
      [1n, p - 1n],
      [123456789n, 987654321n],
    ];
    for (const [a, b] of pairs) {
      assert.equal(await hasher.read.hash([a, b]), new LeanImt([a, b]).root);
    }
    const withZero = new LeanImt([5n, 6n]);
    withZero.update(0, 0n);
    assert.equal(await hasher.read.hash([0n, 6n]), withZero.root);
    await viem.assertions.revertWithCustomError(
      hasher.read.hash([p, 1n]),
      hasher,
      'PoseidonT3__NotAFieldElement',
    );
  });

  it('mirrors the registry: one leaf per identity, in identity order, the TypeScript tree’s root', async () => {
    assert.equal(await set.read.size(), 3n);
    assert.equal(await set.read.depth(), 2n);
    assert.equal(
      await set.read.root(),
      new LeanImt([ALICE, BOB, CAROL].map((i) => i.commitment)).root,
    );
    assert.equal(await set.read.root(), zk.tree.root);
    assert.deepEqual(await set.read.leafOf([2n]), [true, 1n]);
    assert.deepEqual(await set.read.rootStatus([zk.tree.root]), [true, 2n ** 256n - 1n]);
    assert.equal(MEMBERSHIP_TREE_DEPTH, 20); // MoltConstants.ANONYMITY_SET_MAX_DEPTH
  });

  it('the registrar cannot add an identity twice, nor one the registry does not know', async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(
      zk.set.write.addMembers([[1n], [999n]]),
      set,
      'AnonymitySet__AlreadyMember',
      [1n, 0n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      zk.set.write.addMembers([[42n], [999n]]),
      set,
      'AnonymitySet__IdentityNotActive',
      [42n],
    );
    const outsider = wallets[9];
    if (outsider === undefined) throw new Error('no wallet 9');
    await viem.assertions.revertWithCustomErrorWithArgs(
      set.write.addMembers([[42n], [999n]], { account: outsider.account }),
      set,
      'AccessControlUnauthorizedAccount',
      [getAddress(outsider.account.address), REGISTRAR_ROLE],
    );
  });

  it('a proof made by the TypeScript prover verifies in TypeScript and on the L2, and validates once', async () => {
    const { verificationKey } = await loadMembershipArtifacts();
    assert.deepEqual(
      await verifyMembershipProof(proof.proof, proof.publicSignals, verificationKey),
      {
        kind: 'valid',
      },
    );
    const struct = toMembershipProofStruct(proof);
    assert.equal(await set.read.verifyProof([struct]), true);
    const sent = set.write.validateProof([struct]);
    await viem.assertions.emitWithArgs(sent, set, 'ProofValidated', [1n, proof.nullifier, 100n]);
    const hash = await sent;
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, 'success');
    assert.equal(await set.read.isNullifierUsed([1n, proof.nullifier]), true);
    assert.equal(proof.nullifier, membershipNullifier(1n, BOB.secret));
  });

  it('a nullifier is spent once per scope: refused again in its scope, accepted in another', async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(
      set.write.validateProof([toMembershipProofStruct(proof)]),
      set,
      'AnonymitySet__NullifierUsed',
      [1n, proof.nullifier],
    );
    // Another message in the same scope has the same nullifier: still refused.
    const sameScope = await createMembershipProof({
      secret: BOB.secret,
      tree: zk.tree,
      scope: 1n,
      message: 101n,
    });
    assert.equal(sameScope.nullifier, proof.nullifier);
    await viem.assertions.revertWithCustomErrorWithArgs(
      set.write.validateProof([toMembershipProofStruct(sameScope)]),
      set,
      'AnonymitySet__NullifierUsed',
      [1n, proof.nullifier],
    );
    const otherScope = await createMembershipProof({
      secret: BOB.secret,
      tree: zk.tree,
      scope: 2n,
      message: 100n,
    });
    assert.notEqual(otherScope.nullifier, proof.nullifier);
    await set.write.validateProof([toMembershipProofStruct(otherScope)]);
    assert.equal(await set.read.isNullifierUsed([2n, otherScope.nullifier]), true);
  });

  it('message binding: the same proof for another message is refused', async () => {
    const fresh = await createMembershipProof({
      secret: CAROL.secret,
      tree: zk.tree,
      scope: 3n,
      message: 7n,
    });
    const struct = { ...toMembershipProofStruct(fresh), message: 8n };
    assert.equal(await set.read.verifyProof([struct]), false);
    await viem.assertions.revertWithCustomError(
      set.write.validateProof([struct]),
      set,
      'AnonymitySet__InvalidProof',
    );
    assert.equal(await set.read.isNullifierUsed([3n, fresh.nullifier]), false);
    // Nor for another scope or nullifier.
    for (const bad of [
      { ...toMembershipProofStruct(fresh), scope: 4n },
      { ...toMembershipProofStruct(fresh), nullifier: fresh.nullifier + 1n },
    ]) {
      assert.equal(await set.read.verifyProof([bad]), false);
    }
    await set.write.validateProof([toMembershipProofStruct(fresh)]);
  });

  it('wrong and out-of-field roots and signals are refused with their own errors', async () => {
    const struct = toMembershipProofStruct(proof);
    const otherRoot = new LeanImt([ALICE.commitment, BOB.commitment]).root; // never the set's
    await viem.assertions.revertWithCustomErrorWithArgs(
      set.write.validateProof([{ ...struct, scope: 9n, root: otherRoot }]),
      set,
      'AnonymitySet__UnknownRoot',
      [otherRoot],
    );
    for (const field of ['root', 'nullifier', 'scope', 'message'] as const) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        set.write.validateProof([{ ...struct, [field]: p + 1n }]),
        set,
        'AnonymitySet__InputOutOfField',
        [p + 1n],
      );
    }
  });

  it('after a new registration the old root verifies for an hour, then is stale', async () => {
    const before1 = await createMembershipProof({
      secret: ALICE.secret,
      tree: zk.tree,
      scope: 5n,
      message: 1n,
    });
    const before2 = await createMembershipProof({
      secret: ALICE.secret,
      tree: zk.tree,
      scope: 6n,
      message: 1n,
    });
    const oldRoot = zk.tree.root;
    const dave = zkIdentity(0x5eed04n);
    await fx.registerIdentity(owner(4), { zkCommitment: dave.commitment });
    const { receipt } = await zk.syncFromRegistry(fx.registry);
    const block = await publicClient.getBlock({ blockNumber: receipt?.blockNumber ?? 0n });
    assert.equal(await set.read.root(), zk.tree.root);
    assert.notEqual(oldRoot, zk.tree.root);
    assert.deepEqual(await set.read.rootStatus([oldRoot]), [true, block.timestamp + ROOT_EXPIRY]);

    await set.write.validateProof([toMembershipProofStruct(before1)]);
    await networkHelpers.time.increaseTo(block.timestamp + ROOT_EXPIRY);
    await viem.assertions.revertWithCustomErrorWithArgs(
      set.write.validateProof([toMembershipProofStruct(before2)]),
      set,
      'AnonymitySet__StaleRoot',
      [oldRoot, block.timestamp + ROOT_EXPIRY],
    );
    // The newest member proves against the current root, which never expires.
    const daveProof = await createMembershipProof({
      secret: dave.secret,
      tree: zk.tree,
      scope: 6n,
      message: 1n,
    });
    await set.write.validateProof([toMembershipProofStruct(daveProof)]);
  });

  it('anyone removes a retired (cloned) identity: its secret no longer proves membership', async () => {
    const carol = registered[2];
    if (carol === undefined) throw new Error('carol not registered');
    const stillValid = await createMembershipProof({
      secret: CAROL.secret,
      tree: zk.tree,
      scope: 8n,
      message: 1n,
    });
    // §5.4: two card messages with one counter freeze the identity; governance retires it.
    const clone = carol.card.clone();
    const a = carol.card.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
    const b = clone.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
    await fx.gateway.write.reportClone([
      carol.identityId,
      cardRef(carol),
      cardMessage(a),
      cardMessage(b),
    ]);
    const index = zk.tree.indexOf(CAROL.commitment);
    const siblings = zk.tree
      .generateProof(index)
      .siblings.filter((s): s is bigint => s !== undefined);
    const outsider = wallets[9];
    if (outsider === undefined) throw new Error('no wallet 9');
    await viem.assertions.revertWithCustomErrorWithArgs(
      set.write.removeMember([carol.identityId, CAROL.commitment, siblings], {
        account: outsider.account,
      }),
      set,
      'AnonymitySet__NotRetired',
      [carol.identityId],
    );
    await fx.registry.write.resolveClone([carol.identityId, carol.deviceIdHash, 1]); // SlashAndRetire

    const sent = set.write.removeMember([carol.identityId, CAROL.commitment, siblings], {
      account: outsider.account,
    });
    await viem.assertions.emitWithArgs(sent, set, 'MemberRemoved', [
      carol.identityId,
      BigInt(index),
    ]);
    zk.tree.update(index, 0n);
    assert.equal(await set.read.root(), zk.tree.root);
    assert.deepEqual(await set.read.leafOf([carol.identityId]), [false, BigInt(index)]);
    await assert.rejects(
      createMembershipProof({ secret: CAROL.secret, tree: zk.tree, scope: 8n, message: 1n }),
      (err: unknown) => (err as { code?: string }).code === 'circuits.leaf_not_found',
    );
    // A proof made before the removal names the old root: accepted for its window, like any.
    await set.write.validateProof([toMembershipProofStruct(stillValid)]);
    // Everyone else proves against the new root.
    const bob = await createMembershipProof({
      secret: BOB.secret,
      tree: zk.tree,
      scope: 8n,
      message: 1n,
    });
    await set.write.validateProof([toMembershipProofStruct(bob)]);
  });
});

describe('AnonymitySet batches on op: any batching gives the TypeScript LeanImt’s roots', async () => {
  const connection = await network.create('op');
  const { viem } = connection;
  const lookup = await viem.deployContract('IdentityLookupForTests');
  const zk = await deployAnonymitySet(connection, { identities: lookup.address });

  it('batches of 1, 2, 3, 5, 8, 13 and 1 members (33 leaves)', async () => {
    let next = 1n;
    for (const count of [1, 2, 3, 5, 8, 13, 1]) {
      const ids = Array.from({ length: count }, (_, i) => next + BigInt(i));
      for (const id of ids)
        await lookup.write.setIdentity([
          getAddress(`0x${(0x1000n + id).toString(16).padStart(40, '0')}`),
          id,
          true,
        ]);
      const commitments = ids.map((id) => zkIdentity(id * 7919n).commitment);
      await zk.addMembers(ids, commitments);
      next += BigInt(count);
      assert.equal(await zk.set.read.root(), zk.tree.root, `after ${next - 1n} leaves`);
      assert.equal(await zk.set.read.depth(), BigInt(zk.tree.depth));
    }
    const proofOf = zk.tree.generateProof(20);
    assert.equal(proofOf.root, await zk.set.read.root());
  });
});
