import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  createMembershipProof,
  groth16ProofToBytes,
  LeanImt,
  membershipNullifier,
  shutdownProver,
  zkIdentity,
} from '@moltbook/circuits';
import { identityKey } from '../../src/economy/economyState.ts';
import { applyTx, conservationHolds } from '../../src/economy/economyStateMachine.ts';
import { zkActionMessage, zkScope } from '../../src/economy/identityModes.ts';
import { postIdOf } from '../../src/economy/ids.ts';
import { applyL2Event } from '../../src/economy/l2Events.ts';
import { epochOf } from '../../src/economy/reputation.ts';
import { MOLT } from '../../src/params/economyParams.ts';
import {
  ANON_ACTIONS_PER_EPOCH,
  ANON_ROOT_TTL_SLOTS,
  PSEUDONYM_ID_BASE,
} from '../../src/params/privacyParams.ts';
import { TX_VERSION } from '../../src/params/txParams.ts';
import type { SignedTransaction, ZkMode, ZkPayload } from '../../src/tx/transaction.ts';
import { encodeTransaction, txId } from '../../src/tx/txCodec.ts';
import { toHex } from '../../src/utils/hex.ts';
import { MembershipProofs } from '../../src/zk/membershipProofs.ts';
import { BODY, COMMUNITY, pohOf, show, TxWorld } from './helpers/txWorld.ts';

/**
 * §6.3 zero-knowledge posts and replies through the state machine, with real Groth16 proofs made
 * by the circuits package and verified by the node's MembershipProofs (issue 6 item 6).
 */

const SECRET = 123_456_789n;
const OTHER_SECRET = 987_654_321n;
const toBytes32 = (x: bigint) =>
  Uint8Array.from(Buffer.from(x.toString(16).padStart(64, '0'), 'hex'));
const toBig = (b: Uint8Array) => BigInt(`0x${toHex(b)}`);

let proofs: MembershipProofs;
const tree = new LeanImt();
let root: Uint8Array;

before(async () => {
  proofs = await MembershipProofs.load();
  tree.insert(zkIdentity(SECRET).commitment);
  tree.insert(zkIdentity(OTHER_SECRET).commitment);
  tree.insert(42n);
  root = toBytes32(tree.root);
});
after(() => shutdownProver());

/** A one-time envelope key (the SDK makes a fresh one per action). */
function ephemeralKey(): Uint8Array {
  const { publicKey } = generateKeyPairSync('ed25519');
  return new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32));
}

interface ZkOpts {
  readonly mode: ZkMode;
  readonly secret?: bigint;
  readonly epoch?: bigint;
  readonly index?: number;
  readonly pseudonymNonce?: bigint;
  readonly parent?: Uint8Array;
  readonly root?: Uint8Array;
}

/** A zkPost / zkReply transaction with a real proof for it. */
async function zkTx(w: TxWorld, o: ZkOpts): Promise<SignedTransaction> {
  const secret = o.secret ?? SECRET;
  const sender = ephemeralKey();
  const zk = {
    root: o.root ?? root,
    nullifier: new Uint8Array(32),
    epoch: o.mode === 'anonymous' ? (o.epoch ?? epochOf(w.slot)) : 0n,
    index: o.index ?? 0,
    pseudonymNonce: o.pseudonymNonce ?? 0n,
    proof: new Uint8Array(256),
  };
  const draft: ZkPayload =
    o.parent === undefined
      ? { kind: 'zkPost', mode: o.mode, community: COMMUNITY, content: BODY, zk }
      : { kind: 'zkReply', mode: o.mode, parent: o.parent, content: BODY, zk };
  const scope = toBig(zkScope(0, draft));
  // The nullifier is part of the message, so compute it first (Poseidon(scope, secret)).
  const withNullifier: ZkPayload = {
    ...draft,
    zk: { ...zk, nullifier: toBytes32(membershipNullifier(scope, secret)) },
  };
  const message = toBig(zkActionMessage(0, sender, withNullifier));
  const p = await createMembershipProof({ secret, scope, message, tree });
  const payload = {
    ...withNullifier,
    zk: { ...withNullifier.zk, proof: groth16ProofToBytes(p.proof) },
  };
  return {
    version: TX_VERSION,
    shard: 0,
    sender,
    nonce: 0n,
    maxFee: 0n,
    payload,
    signature: new Uint8Array(64),
  };
}

/** Applies `tx` the way the node does: verify the proofs first, then execute with the verdicts. */
async function run(w: TxWorld, tx: SignedTransaction) {
  await proofs.checkAll([tx]);
  const id = txId(encodeTransaction(tx));
  const r = applyTx(
    w.state,
    { tx, id },
    { slot: w.slot, pohHash: pohOf(w.slot), membership: proofs.verifier },
  );
  return { r, post: postIdOf(id) };
}

function world(): TxWorld {
  const w = new TxWorld({ treasury: 1_000n * MOLT });
  w.begin(10n);
  applyL2Event(w.state, { kind: 'anonymityRoot', root }, w.slot);
  return w;
}

describe('zero-knowledge posts and replies (§6.3, issue 6 item 6)', () => {
  it('an anonymous post: paid by the treasury, no author, its nullifier spent; the same proof again is refused', async () => {
    const w = world();
    const treasury = w.state.totals().treasuryPool;
    const tx = await zkTx(w, { mode: 'anonymous' });
    const { r, post } = await run(w, tx);
    assert.equal(r.kind, 'success', show(r));
    const rec = w.state.posts.get(toHex(post));
    assert.equal(rec?.mode, 'anonymous');
    assert.equal(rec?.author, 0n);
    assert.ok(w.state.totals().treasuryPool < treasury, 'the treasury paid the fee');
    assert.equal(w.state.account(tx.sender).nonce, 0n, 'the one-time key keeps no account');
    assert.ok(conservationHolds(w.state));
    const again = await run(w, tx);
    assert.equal(again.r.kind, 'invalid');
    assert.equal((again.r as { code: string }).code, 'exec.nullifier_used');
  });

  it('anonymous quota: another index is a fresh, unlinkable nullifier; an index ≥ the quota is refused', async () => {
    const w = world();
    const a = await zkTx(w, { mode: 'anonymous', index: 1 });
    assert.equal((await run(w, a)).r.kind, 'success');
    const b = await zkTx(w, { mode: 'anonymous', index: ANON_ACTIONS_PER_EPOCH });
    const rb = (await run(w, b)).r;
    assert.equal((rb as { code: string }).code, 'exec.zk_quota');
    const c = await zkTx(w, { mode: 'anonymous', epoch: epochOf(w.slot) + 1n });
    assert.equal(((await run(w, c)).r as { code: string }).code, 'exec.zk_epoch');
  });

  it('a pseudonym: a stable author with its own record and nonce; votes earn it reputation; a replay is refused', async () => {
    const w = world();
    const first = await zkTx(w, { mode: 'pseudonymous' });
    const r1 = await run(w, first);
    assert.equal(r1.r.kind, 'success', show(r1.r));
    const rec = w.state.posts.get(toHex(r1.post));
    assert.equal(rec?.mode, 'pseudonymous');
    assert.equal(rec?.author, PSEUDONYM_ID_BASE + 1n);
    assert.equal(
      w.state.pseudonyms.get(toHex((first.payload as ZkPayload).zk.nullifier))?.nonce,
      1n,
    );
    // Replaying the same transaction: the pseudonym's nonce moved on.
    assert.equal(((await run(w, first)).r as { code: string }).code, 'exec.pseudonym_nonce');
    // Its second action, a reply, carries nonce 1 and keeps the same author.
    const second = await zkTx(w, { mode: 'pseudonymous', pseudonymNonce: 1n, parent: r1.post });
    const r2 = await run(w, second);
    assert.equal(r2.r.kind, 'success', show(r2.r));
    assert.equal(w.state.posts.get(toHex(r2.post))?.author, PSEUDONYM_ID_BASE + 1n);
    // A public identity's upvote reaches the pseudonym's identity record (§6.3: own reputation).
    w.pinBaseFee();
    const vote = w.do(1, { kind: 'vote', post: r1.post, direction: 'up' });
    assert.equal(vote.r.kind, 'success', show(vote.r));
    const pseudo = w.state.identities.get(identityKey(PSEUDONYM_ID_BASE + 1n));
    assert.ok(pseudo !== undefined && pseudo.pendingUpvoteGain + pseudo.epochGain > 0n);
    assert.ok(conservationHolds(w.state));
  });

  it('a proof bound to other content, another envelope or another secret does not verify', async () => {
    const w = world();
    const tx = await zkTx(w, { mode: 'anonymous', index: 2 });
    const p = tx.payload as ZkPayload;
    const otherContent = {
      ...tx,
      payload: { ...p, content: { ...p.content, hash: new Uint8Array(32).fill(9) } },
    };
    assert.equal(((await run(w, otherContent)).r as { code: string }).code, 'exec.proof_invalid');
    const otherSender = { ...tx, sender: ephemeralKey() };
    assert.equal(((await run(w, otherSender)).r as { code: string }).code, 'exec.proof_invalid');
    // Nothing was spent by the refused ones: the honest transaction still goes through.
    assert.equal((await run(w, tx)).r.kind, 'success');
  });

  it('roots: unknown refused; a replaced root stays valid for the TTL, then expires', async () => {
    const w = new TxWorld({ treasury: 1_000n * MOLT });
    w.begin(10n);
    const tx = await zkTx(w, { mode: 'anonymous' });
    assert.equal(((await run(w, tx)).r as { code: string }).code, 'exec.unknown_root');
    applyL2Event(w.state, { kind: 'anonymityRoot', root }, w.slot);
    applyL2Event(w.state, { kind: 'anonymityRoot', root: toBytes32(77n) }, 20n);
    w.begin(20n + ANON_ROOT_TTL_SLOTS + 1n);
    const late = await zkTx(w, { mode: 'anonymous' });
    assert.equal(((await run(w, late)).r as { code: string }).code, 'exec.expired_root');
  });

  it('without funds in the treasury or without a verifier the action is invalid, never charged', async () => {
    const w = new TxWorld();
    w.begin(10n);
    applyL2Event(w.state, { kind: 'anonymityRoot', root }, w.slot);
    const tx = await zkTx(w, { mode: 'anonymous' });
    assert.equal(((await run(w, tx)).r as { code: string }).code, 'exec.treasury_empty');
    const funded = world();
    const id = txId(encodeTransaction(tx));
    const r = applyTx(funded.state, { tx, id }, { slot: funded.slot, pohHash: pohOf(funded.slot) });
    assert.equal((r as { code: string }).code, 'exec.proof_invalid');
  });
});
