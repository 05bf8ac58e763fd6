import { hash as nodeHash } from 'node:crypto';
import { REVEAL_WINDOW_SLOTS } from '../params/economyParams.ts';
import type { CommitPostPayload, RevealPostPayload } from '../tx/transaction.ts';
import { encodePayload } from '../tx/txCodec.ts';
import { toHex } from '../utils/hex.ts';
import { scheduleDue } from './dues.ts';
import type { EconomyState } from './economyState.ts';
import { type ActionInput, type ExecFailure, failure, isFailure } from './execTypes.ts';
import { commitDeposit } from './fees.ts';
import { livePost, requireIdentity } from './guards.ts';
import { isZeroHash } from './ids.ts';
import { debit } from './ledger.ts';
import { insertPost } from './posts.ts';
import type { PostRecord } from './records.ts';

/**
 * §14.3 commit-reveal posting. A commitment (slot N) escrows 2× the posting fee; the reveal, in
 * slots N+1..N+5, must hash to it, refunds the deposit and creates the post, whose entropy comes
 * from the reveal slot's PoH hash and whose order is the commitment's slot. A commitment not
 * revealed by N+5 has its deposit burned at N+6.
 */
const COMMIT_TAG = new TextEncoder().encode('moltbook/commit/v1');

/** `SHA-256("moltbook/commit/v1" ‖ sender ‖ canonical revealPost payload)`. */
export function revealCommitment(sender: Uint8Array, reveal: RevealPostPayload): Uint8Array {
  const body = encodePayload(reveal);
  const buf = new Uint8Array(COMMIT_TAG.length + 32 + body.length);
  buf.set(COMMIT_TAG);
  buf.set(sender, COMMIT_TAG.length);
  buf.set(body, COMMIT_TAG.length + 32);
  return nodeHash('sha256', buf, 'buffer');
}

export function commitPost(
  state: EconomyState,
  input: ActionInput,
  p: CommitPostPayload,
): ExecFailure | null {
  const id = requireIdentity(input);
  if (isFailure(id)) return id;
  const key = toHex(p.commitment);
  if (state.commitments.has(key)) return failure('exec.commitment_exists', 'commitment exists');
  const deposit = commitDeposit(input.baseFee);
  if (input.sender.balance < deposit)
    return failure(
      'exec.insufficient_balance',
      `deposit ${deposit} > balance ${input.sender.balance}`,
    );
  debit(input.sender, deposit);
  state.totalsMut().deposits += deposit;
  state.commitments.set(key, {
    sender: Uint8Array.from(input.sender.key),
    deposit,
    slot: input.ctx.slot,
  });
  scheduleDue(state, input.ctx.slot + REVEAL_WINDOW_SLOTS + 1n, 'revealExpiry', p.commitment);
  return null;
}

export function revealPost(
  state: EconomyState,
  input: ActionInput,
  p: RevealPostPayload,
  postId: Uint8Array,
): ExecFailure | null {
  const id = requireIdentity(input);
  if (isFailure(id)) return id;
  const commitment = revealCommitment(input.sender.key, p);
  const key = toHex(commitment);
  const c = state.commitments.get(key);
  if (c === undefined) return failure('exec.unknown_commitment', 'no such commitment');
  const slot = input.ctx.slot;
  if (slot <= c.slot || slot > c.slot + REVEAL_WINDOW_SLOTS)
    return failure(
      'exec.reveal_window',
      `reveal in slots ${c.slot + 1n}..${c.slot + REVEAL_WINDOW_SLOTS}`,
    );
  let parent: PostRecord | null = null;
  let community = p.community;
  if (!isZeroHash(p.parent)) {
    const found = livePost(state, p.parent);
    if (isFailure(found)) return found;
    if (p.community !== '')
      return failure('exec.unknown_community', 'a reply takes its parent’s community');
    parent = found;
    community = found.community;
  } else if (!state.communities.has(p.community))
    return failure('exec.unknown_community', `no community ${p.community}`);

  state.commitments.delete(key);
  state.totalsMut().deposits -= c.deposit;
  input.sender.balance += c.deposit;
  insertPost(state, {
    id: postId,
    kind: parent === null ? 'post' : 'reply',
    mode: 'public',
    author: id.id,
    authorKey: input.sender.key,
    community,
    parent,
    content: p.content,
    slot: c.slot,
    pohHash: input.ctx.pohHash,
  });
  id.interactions += 1n;
  return null;
}

/** N+6: an unrevealed commitment's deposit is burned (§14.3). */
export function expireCommitment(state: EconomyState, commitment: Uint8Array): void {
  const key = toHex(commitment);
  const c = state.commitments.get(key);
  if (c === undefined) return;
  state.commitments.delete(key);
  const t = state.totalsMut();
  t.deposits -= c.deposit;
  t.burned += c.deposit;
}
