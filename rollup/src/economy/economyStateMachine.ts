import { U64_MAX } from '../params/txParams.ts';
import { intrinsicGas } from '../tx/intrinsicGas.ts';
import { isZkPayload, type TxPayload } from '../tx/transaction.ts';
import { toHex } from '../utils/hex.ts';
import { boostBid, closeAuction } from './boosts.ts';
import { acceptAnswer, answerBounty, createBounty, resolveBountyDue } from './bounties.ts';
import { commitPost, expireCommitment, revealPost } from './commitReveal.ts';
import { createCommunity, createPost, flag, reply, updateProfile, vote } from './content.ts';
import { refU64, takeDue } from './dues.ts';
import type { EconomyState } from './economyState.ts';
import { identityKey } from './economyState.ts';
import type { ActionInput, EconomyContext, EconomyTx, ExecFailure } from './execTypes.ts';
import { beginSlot as feesBeginSlot, recordTx } from './feeMarket.ts';
import { actionFee, contentOf, failureFee, storageFee, txFee, txMaxCharge } from './fees.ts';
import { postIdOf } from './ids.ts';
import { credit, debit, distributeFee, distributeStorage, type FeeSplit } from './ledger.ts';
import { closeReview } from './moderation.ts';
import { onSlot as monetaryOnSlot } from './monetaryPolicy.ts';
import { freeTierQuote, useFreeTier } from './newcomers.ts';
import type { IdentityRecord } from './records.ts';
import { settleEpoch } from './reputation.ts';
import { applyZkTx, type ZkInvalidCode } from './zkActions.ts';

/**
 * The attention economy as one deterministic state machine (issue 5): `beginSlot` once per block
 * before its transactions (deadlines, fee-market roll-over, monetary periods), then `applyTx`
 * per transaction. Pure: no I/O, clock, floats or unseeded randomness; the same blocks give the
 * same `state.root()` everywhere.
 *
 * A transaction is, in order (Ethereum's validity checks, then Agave's fee-payer rule):
 * - invalid (state untouched, a block holding it is invalid): nonce ≠ the account's, or the most
 *   it can be charged (`txMaxCharge`: its fee, at least the failure fee) above `maxFee` or the
 *   balance;
 * - failed (included: nonce + 1, the failure fee — an upvote's, burned — and nothing else) when
 *   the action breaks a rule, with a stable `exec.*` code;
 * - success: nonce + 1, the fee split per §10.2/§9.3, the action applied.
 * Either way the fee market records the action's gas (§10.5).
 *
 * Zero-knowledge posts and replies (§6.3) take their own path (zkActions.ts): no account, the
 * treasury pays, and a broken rule makes them invalid.
 */

/** Outcome of one transaction. */
export type EconomyApplyResult =
  | { readonly kind: 'success'; readonly gas: bigint; readonly fee: bigint }
  | {
      readonly kind: 'failed';
      readonly code: ExecFailure['code'];
      readonly reason: string;
      readonly gas: bigint;
      readonly fee: bigint;
    }
  | {
      readonly kind: 'invalid';
      readonly code:
        | 'exec.nonce_mismatch'
        | 'exec.fee_too_low'
        | 'exec.cannot_pay_fee'
        | ZkInvalidCode;
      readonly reason: string;
    };

/**
 * Runs what is due before the block's transactions: every slot since the last block (skipped
 * slots included) has its deadlines processed in slot order, then the fee market and the
 * monetary policy roll forward to `ctx.slot`. The walk costs one lookup per skipped slot, which
 * is bounded by PoH: a block can only skip slots whose ticks it carries (replay.ts checks them),
 * i.e. 400 ms of hashing per slot against ~1 µs here.
 */
export function beginSlot(state: EconomyState, ctx: EconomyContext): void {
  const last = state.totals().lastSlot;
  if (ctx.slot <= last) return;
  for (let s = last + 1n; s <= ctx.slot; s++) {
    for (const item of takeDue(state, s)) {
      switch (item.kind) {
        case 'bountyDeadline':
          resolveBountyDue(state, item.ref, s);
          break;
        case 'revealExpiry':
          expireCommitment(state, item.ref);
          break;
        case 'auctionClose':
          closeAuction(state, refU64(item.ref));
          break;
        case 'reviewClose':
          closeReview(state, item.ref);
          break;
      }
    }
  }
  state.totalsMut().lastSlot = ctx.slot;
  monetaryOnSlot(state, ctx);
  feesBeginSlot(state.feeMarketMut(), Number(ctx.slot));
}

/** Which §10.2 split an action's fee takes. */
function splitOf(payload: TxPayload): FeeSplit {
  switch (payload.kind) {
    case 'createPost':
    case 'reply':
    case 'revealPost':
    case 'answerBounty':
      return 'content';
    default:
      return 'burn';
  }
}

export function applyTx(
  state: EconomyState,
  etx: EconomyTx,
  ctx: EconomyContext,
): EconomyApplyResult {
  const { tx } = etx;
  if (isZkPayload(tx.payload)) return applyZkTx(state, etx, tx.payload, ctx);
  const senderHex = toHex(tx.sender);
  const seen = state.accounts.get(senderHex);
  const nonce = seen?.nonce ?? 0n;
  if (tx.nonce !== nonce || nonce === U64_MAX)
    return {
      kind: 'invalid',
      code: 'exec.nonce_mismatch',
      reason: `nonce ${tx.nonce}, account ${nonce}`,
    };
  const baseFee = state.baseFee();
  const fee = txFee(tx.payload, baseFee);
  const charge = txMaxCharge(tx.payload, baseFee);
  if (tx.maxFee < charge)
    return {
      kind: 'invalid',
      code: 'exec.fee_too_low',
      reason: `fee ${charge} > max fee ${tx.maxFee}`,
    };
  if (seen === undefined || seen.balance < charge)
    return {
      kind: 'invalid',
      code: 'exec.cannot_pay_fee',
      reason: `balance ${seen?.balance ?? 0n} < fee ${charge}`,
    };

  const sender = state.accounts.getMut(senderHex) as typeof seen;
  sender.nonce += 1n;
  const identity =
    sender.identity === 0n ? null : (state.identities.getMut(identityKey(sender.identity)) ?? null);
  if (identity !== null) settleEpoch(state, identity, ctx.slot);
  const gas = intrinsicGas(tx.payload);

  // Charge the fee first (handlers see the balance left for escrows and deposits), with the
  // §17.3 free tier paying a newcomer's new-thread fee from the treasury pool.
  const action = actionFee(tx.payload, baseFee);
  const waived =
    identity !== null && isNewThread(tx.payload)
      ? freeTierQuote(state, identity, ctx.slot, action)
      : 0n;
  const paid = fee - waived;
  debit(sender, paid);

  const input: ActionInput = { etx, ctx, sender, identity, baseFee };
  const failed = dispatch(state, input);
  if (failed !== null) {
    // Nothing of the action was written: give the fee back and take the failure fee instead.
    sender.balance += paid;
    const failFee = failureFee(baseFee); // ≤ charge ≤ maxFee and ≤ the balance (checked above)
    debit(sender, failFee);
    distributeFee(state, failFee, 'burn');
    recordTx(state.feeMarketMut(), gas);
    return { kind: 'failed', code: failed.code, reason: failed.reason, gas, fee: failFee };
  }
  if (waived > 0n && identity !== null) useFreeTier(state, identity, ctx.slot, waived);
  distributeFee(state, action, splitOf(tx.payload));
  const content = contentOf(tx.payload);
  if (content !== null) distributeStorage(state, storageFee(content), BigInt(content.size));
  recordTx(state.feeMarketMut(), gas);
  return { kind: 'success', gas, fee: paid };
}

function isNewThread(p: TxPayload): boolean {
  return p.kind === 'createPost' || (p.kind === 'revealPost' && p.community !== '');
}

function dispatch(state: EconomyState, input: ActionInput): ExecFailure | null {
  const { tx, id } = input.etx;
  const p = tx.payload;
  switch (p.kind) {
    case 'transfer': {
      if (input.sender.balance < p.amount)
        return {
          code: 'exec.insufficient_balance',
          reason: `amount ${p.amount} > balance ${input.sender.balance} after the fee`,
        };
      debit(input.sender, p.amount);
      credit(state, p.to, p.amount);
      return null;
    }
    case 'createCommunity':
      return createCommunity(state, input, p);
    case 'createPost':
      return createPost(state, input, p, postIdOf(id));
    case 'reply':
      return reply(state, input, p, postIdOf(id));
    case 'vote':
      return vote(state, input, p);
    case 'updateProfile':
      return updateProfile(state, input, p);
    case 'flag':
      return flag(state, input, p);
    case 'boostBid':
      return boostBid(state, input, p);
    case 'createBounty':
      return createBounty(state, input, p, postIdOf(id));
    case 'answerBounty':
      return answerBounty(state, input, p, postIdOf(id));
    case 'acceptAnswer':
      return acceptAnswer(state, input, p);
    case 'commitPost':
      return commitPost(state, input, p);
    case 'revealPost':
      return revealPost(state, input, p, postIdOf(id));
    case 'zkPost':
    case 'zkReply':
      throw new Error('unreachable: zero-knowledge actions run in applyZkTx');
  }
}

/** Conservation check (tests, debug): every µMOLT accounted for. */
export function conservationHolds(state: EconomyState): boolean {
  const t = state.totals();
  const held =
    state.totalBalance() +
    t.escrowed +
    t.deposits +
    t.validatorsPool +
    t.daPool +
    t.archivalPool +
    t.treasuryPool +
    t.burned;
  return held === t.supply;
}

export type { IdentityRecord };
