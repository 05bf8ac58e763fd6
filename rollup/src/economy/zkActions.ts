import {
  ANON_ACTIONS_PER_EPOCH,
  ANON_ROOT_TTL_SLOTS,
  PSEUDONYM_ACTIONS_PER_EPOCH,
  PSEUDONYM_ID_BASE,
} from '../params/privacyParams.ts';
import { intrinsicGas } from '../tx/intrinsicGas.ts';
import type { ZkPayload } from '../tx/transaction.ts';
import { toHex } from '../utils/hex.ts';
import type { EconomyState } from './economyState.ts';
import { identityKey } from './economyState.ts';
import type { EconomyContext, EconomyTx } from './execTypes.ts';
import { isFailure } from './execTypes.ts';
import { recordTx } from './feeMarket.ts';
import { actionFee, contentOf, storageFee } from './fees.ts';
import { livePost } from './guards.ts';
import { zkActionMessage, zkScope } from './identityModes.ts';
import { postIdOf } from './ids.ts';
import { distributeFee, distributeStorage } from './ledger.ts';
import { insertPost } from './posts.ts';
import { newIdentity, type PostRecord } from './records.ts';
import { epochOf, settleEpoch } from './reputation.ts';

/**
 * §6.3 pseudonymous and anonymous posts and replies (issue 6 item 6; docs/privacy.md "Rollup").
 *
 * A zero-knowledge action carries a membership proof instead of an identity's signature. The
 * envelope is signed by a one-time key that owns nothing (nonce 0, max fee 0), so nothing in it
 * points at an account. Its fee is paid by the treasury pool, bounded per identity by nullifier
 * quotas — the choice issue 6 offers as "fees waived under a per-epoch nullifier quota", kept
 * accountable: the fee is still charged and split as for any post, only the payer differs.
 *
 * - **anonymous**: scope (epoch, shard, kind, index < ANON_ACTIONS_PER_EPOCH); the nullifier is
 *   spent, so each identity has at most that many anonymous posts (and replies) per epoch, and
 *   none links to another. The post has no author: zero influence (INFLUENCE.anonymous).
 * - **pseudonymous**: the fixed pseudonym scope; the nullifier is the pseudonym, a stable author
 *   with its own identity record (reputation, like a public identity, but no governance), a
 *   `pseudonymNonce` that makes every action single-use, and PSEUDONYM_ACTIONS_PER_EPOCH.
 *
 * Every rule broken makes the transaction **invalid**, never failed: there is no account to take
 * a failure fee from, so a leader must leave it out (replay refuses a block that has it).
 */

export type ZkApplyResult =
  | { readonly kind: 'success'; readonly gas: bigint; readonly fee: bigint }
  | { readonly kind: 'invalid'; readonly code: ZkInvalidCode; readonly reason: string };

/** Stable codes of a refused zero-knowledge action. */
export type ZkInvalidCode =
  | 'exec.zk_envelope'
  | 'exec.unknown_root'
  | 'exec.expired_root'
  | 'exec.zk_epoch'
  | 'exec.zk_quota'
  | 'exec.nullifier_used'
  | 'exec.pseudonym_nonce'
  | 'exec.proof_invalid'
  | 'exec.unknown_community'
  | 'exec.unknown_post'
  | 'exec.post_removed'
  | 'exec.treasury_empty';

const invalid = (
  code: ZkInvalidCode,
  reason: string,
): Extract<ZkApplyResult, { kind: 'invalid' }> => ({
  kind: 'invalid',
  code,
  reason,
});

/** Whether `root` is one the shard accepts proofs against at `slot`, and why not. */
export function checkAnonRoot(
  state: EconomyState,
  root: Uint8Array,
  slot: bigint,
): 'ok' | 'exec.unknown_root' | 'exec.expired_root' {
  const r = state.anonRoots.get(toHex(root));
  if (r === undefined) return 'exec.unknown_root';
  if (r.replacedSlot !== 0n && slot - r.replacedSlot > ANON_ROOT_TTL_SLOTS)
    return 'exec.expired_root';
  return 'ok';
}

/** Applies a new anonymity-set root (the L2's `RootUpdated`, l2Events.ts). */
export function applyAnonRoot(state: EconomyState, root: Uint8Array, slot: bigint): boolean {
  if (root.length !== 32) return false;
  const key = toHex(root);
  const privacy = state.privacyMut();
  if (toHex(privacy.currentRoot) === key) return false;
  const previous = state.anonRoots.getMut(toHex(privacy.currentRoot));
  if (previous !== undefined) previous.replacedSlot = slot;
  // A root seen before (the set shrank back to an old state) becomes current again.
  const known = state.anonRoots.getMut(key);
  if (known !== undefined) known.replacedSlot = 0n;
  else state.anonRoots.set(key, { addedSlot: slot, replacedSlot: 0n });
  privacy.currentRoot = Uint8Array.from(root);
  return true;
}

const nullifierKey = (scope: Uint8Array, nullifier: Uint8Array) => toHex(scope) + toHex(nullifier);

/**
 * Every check of a zero-knowledge action that reads the state, cheapest first, without the proof
 * (the mempool runs it on admission, against its best state); null: it passes.
 */
export function checkZkAction(
  state: EconomyState,
  etx: Pick<EconomyTx, 'tx'>,
  p: ZkPayload,
  ctx: Pick<EconomyContext, 'slot'>,
): Extract<ZkApplyResult, { kind: 'invalid' }> | null {
  const { tx } = etx;
  if (tx.nonce !== 0n || tx.maxFee !== 0n)
    return invalid('exec.zk_envelope', 'a zero-knowledge action has nonce 0 and max fee 0');
  const root = checkAnonRoot(state, p.zk.root, ctx.slot);
  if (root !== 'ok') return invalid(root, `anonymity-set root ${toHex(p.zk.root)}`);
  const epoch = epochOf(ctx.slot);
  if (p.mode === 'anonymous') {
    if (p.zk.epoch !== epoch)
      return invalid('exec.zk_epoch', `scope epoch ${p.zk.epoch}, slot epoch ${epoch}`);
    if (p.zk.index >= ANON_ACTIONS_PER_EPOCH)
      return invalid('exec.zk_quota', `index ${p.zk.index} ≥ ${ANON_ACTIONS_PER_EPOCH} per epoch`);
    if (p.zk.pseudonymNonce !== 0n)
      return invalid('exec.zk_envelope', 'an anonymous action has pseudonym nonce 0');
    const scope = zkScope(tx.shard, p);
    if (state.nullifiers.has(nullifierKey(scope, p.zk.nullifier)))
      return invalid('exec.nullifier_used', 'this anonymous quota slot is spent');
  } else {
    if (p.zk.epoch !== 0n || p.zk.index !== 0)
      return invalid('exec.zk_envelope', 'a pseudonymous action has epoch 0 and index 0');
    const ps = state.pseudonyms.get(toHex(p.zk.nullifier));
    const nonce = ps?.nonce ?? 0n;
    if (p.zk.pseudonymNonce !== nonce)
      return invalid('exec.pseudonym_nonce', `nonce ${p.zk.pseudonymNonce}, pseudonym at ${nonce}`);
    if (ps !== undefined && ps.epoch === epoch && ps.actions >= PSEUDONYM_ACTIONS_PER_EPOCH)
      return invalid('exec.zk_quota', `${PSEUDONYM_ACTIONS_PER_EPOCH} actions per epoch`);
  }
  if (p.kind === 'zkPost') {
    if (!state.communities.has(p.community))
      return invalid('exec.unknown_community', `no community ${p.community}`);
  } else {
    const parent = livePost(state, p.parent);
    if (isFailure(parent)) return invalid(parent.code as ZkInvalidCode, parent.reason);
  }
  return null;
}

/** The pseudonym of `nullifier`, created (with its identity record) on its first action. */
function pseudonymOf(state: EconomyState, nullifier: Uint8Array, slot: bigint) {
  const key = toHex(nullifier);
  const found = state.pseudonyms.getMut(key);
  if (found !== undefined) return found;
  const privacy = state.privacyMut();
  privacy.pseudonyms += 1n;
  const id = PSEUDONYM_ID_BASE + privacy.pseudonyms;
  state.identities.set(identityKey(id), newIdentity(id, slot, 0n));
  state.pseudonyms.set(key, { id, nonce: 0n, epoch: 0n, actions: 0 });
  return state.pseudonyms.getMut(key) as NonNullable<ReturnType<typeof state.pseudonyms.getMut>>;
}

/**
 * Runs a zero-knowledge post or reply: checks (envelope, root, scope rules, quota, nullifier or
 * pseudonym nonce, target), then the proof's verdict (last: the costliest, and only for an
 * action that could otherwise run), then writes. Nothing is written unless it succeeds.
 */
export function applyZkTx(
  state: EconomyState,
  etx: EconomyTx,
  p: ZkPayload,
  ctx: EconomyContext,
): ZkApplyResult {
  const bad = checkZkAction(state, etx, p, ctx);
  if (bad !== null) return bad;
  const baseFee = state.baseFee();
  const action = actionFee(p, baseFee);
  const content = contentOf(p);
  const storage = content === null ? 0n : storageFee(content);
  if (state.totals().treasuryPool < action + storage)
    return invalid('exec.treasury_empty', 'the treasury pool cannot pay this action’s fee');
  const scope = zkScope(etx.tx.shard, p);
  const proof = {
    root: p.zk.root,
    nullifier: p.zk.nullifier,
    scope,
    message: zkActionMessage(etx.tx.shard, etx.tx.sender, p),
    proof: p.zk.proof,
  };
  if (ctx.membership === undefined || !ctx.membership.verify(proof))
    return invalid('exec.proof_invalid', 'the membership proof does not verify');

  const slot = ctx.slot;
  let author = 0n;
  if (p.mode === 'anonymous') {
    state.nullifiers.set(nullifierKey(scope, p.zk.nullifier), { slot });
  } else {
    const ps = pseudonymOf(state, p.zk.nullifier, slot);
    const epoch = epochOf(slot);
    if (ps.epoch !== epoch) {
      ps.epoch = epoch;
      ps.actions = 0;
    }
    ps.actions += 1;
    ps.nonce += 1n;
    author = ps.id;
    const record = state.identities.getMut(identityKey(ps.id));
    if (record !== undefined) {
      settleEpoch(state, record, slot);
      record.interactions += 1n;
    }
  }
  const postId = postIdOf(etx.id);
  const parent = p.kind === 'zkReply' ? (state.posts.get(toHex(p.parent)) as PostRecord) : null;
  insertPost(state, {
    id: postId,
    kind: p.kind === 'zkPost' ? 'post' : 'reply',
    mode: p.mode,
    author,
    authorKey: etx.tx.sender,
    community: parent === null ? (p as { community: string }).community : parent.community,
    parent,
    content: p.content,
    slot,
    pohHash: ctx.pohHash,
  });
  state.totalsMut().treasuryPool -= action + storage;
  distributeFee(state, action, 'content');
  if (content !== null) distributeStorage(state, storage, BigInt(content.size));
  const gas = intrinsicGas(p);
  recordTx(state.feeMarketMut(), gas);
  return { kind: 'success', gas, fee: 0n };
}
