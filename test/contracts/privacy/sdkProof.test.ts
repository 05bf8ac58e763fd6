import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { shutdownProver, zkIdentity } from '@moltbook/circuits';
import {
  fetchAnonymitySet,
  identityCommitment,
  verifyIdentityProof,
  zkPostTx,
} from '@moltbook/sdk';
import { network } from 'hardhat';
import { applyTx, conservationHolds } from '../../../rollup/src/economy/economyStateMachine.ts';
import { applyL2Event } from '../../../rollup/src/economy/l2Events.ts';
import { MOLT } from '../../../rollup/src/params/economyParams.ts';
import { decodeTransaction } from '../../../rollup/src/tx/txCodec.ts';
import { toHex } from '../../../rollup/src/utils/hex.ts';
import { MembershipProofs } from '../../../rollup/src/zk/membershipProofs.ts';
import { COMMUNITY, pohOf, TxWorld } from '../../../rollup/test/economy/helpers/txWorld.ts';
import { Card, deployIdentityFixture } from '../helpers/identityFixture.ts';
import { deployAnonymitySet } from './anonymitySetFixture.ts';

/**
 * Issue 6's end-to-end requirement: a real proof made by the SDK — for a ZK identity derived on
 * the card, registered with the identity, mirrored into the AnonymitySet, the tree rebuilt by the
 * SDK from the contract's events — is accepted by the contract on the in-process L2 and by the
 * rollup node's state machine (root relayed as an L2 event, proof verified by MembershipProofs).
 */
describe('an SDK proof, verified by the AnonymitySet on op and by the node', async () => {
  const connection = await network.create('op');
  const fx = await deployIdentityFixture(connection);
  const zk = await deployAnonymitySet(connection, { identities: fx.registry.address });
  const publicClient = await connection.viem.getPublicClient();
  after(() => shutdownProver());

  const card = new Card();
  const secret = card.zkSecret();
  const [owner] = (await connection.viem.getWalletClients()).slice(1);
  if (owner === undefined) throw new Error('no wallet client 1');

  it('the card-derived commitment joins the set and the SDK rebuilds the same tree from events', async () => {
    assert.equal(identityCommitment(secret), zkIdentity(secret).commitment);
    await fx.registerIdentity(owner.account.address, {
      card,
      zkCommitment: identityCommitment(secret),
    });
    await fx.registerIdentity(owner.account.address); // someone else, for a set of two
    await zk.syncFromRegistry(fx.registry);
    const tree = await fetchAnonymitySet({ client: publicClient, address: zk.set.address });
    assert.equal(tree.size, 2);
    assert.equal(tree.root, await zk.set.read.root());
    assert.ok(tree.indexOf(identityCommitment(secret)) >= 0);
  });

  it('the SDK’s anonymous post verifies in TypeScript, on the contract (once) and in the node', async () => {
    const tree = await fetchAnonymitySet({ client: publicClient, address: zk.set.address });
    const tx = await zkPostTx({
      mode: 'anonymous',
      secret,
      tree,
      epoch: 0n,
      community: COMMUNITY,
      content: { title: 'From the set', body: 'Nobody can tell which member wrote this.' },
    });
    const p = tx.proof;
    assert.equal(await verifyIdentityProof(p), true);
    assert.equal(await verifyIdentityProof({ ...p, message: p.message + 1n }), false);

    // The contract: verifyProof (view) and validateProof, which spends the nullifier.
    const struct = {
      root: p.root,
      nullifier: p.nullifier,
      scope: p.scope,
      message: p.message,
      points: p.points,
    };
    assert.equal(await zk.set.read.verifyProof([struct]), true);
    await zk.set.write.validateProof([struct]);
    assert.equal(await zk.set.read.isNullifierUsed([p.scope, p.nullifier]), true);
    await assert.rejects(zk.set.write.validateProof([struct]), /NullifierUsed|nullifier/i);

    // The node: the root arrives as an L2 event; the transaction executes against it.
    const world = new TxWorld({ treasury: 1_000n * MOLT });
    world.begin(10n);
    const root = Uint8Array.from(Buffer.from(p.root.toString(16).padStart(64, '0'), 'hex'));
    applyL2Event(world.state, { kind: 'anonymityRoot', root }, world.slot);
    const proofs = await MembershipProofs.load();
    const signed = decodeTransaction(tx.transaction);
    await proofs.checkAll([signed]);
    const r = applyTx(
      world.state,
      { tx: signed, id: Buffer.from(tx.id, 'hex') },
      { slot: world.slot, pohHash: pohOf(world.slot), membership: proofs.verifier },
    );
    assert.equal(
      r.kind,
      'success',
      JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? `${v}` : v)),
    );
    assert.equal(world.state.posts.get(tx.postId)?.mode, 'anonymous');
    assert.equal(toHex(signed.sender).length, 64);
    assert.ok(conservationHolds(world.state));
  });
});
