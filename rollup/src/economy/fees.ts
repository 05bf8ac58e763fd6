import {
  BPS,
  COMMIT_DEPOSIT_MULTIPLIER,
  FEE_BPS,
  STORAGE_CLASS,
  STORAGE_RATE_PER_BYTE,
} from '../params/economyParams.ts';
import { type ContentRef, isZkPayload, type TxPayload } from '../tx/transaction.ts';
import { isZeroHash } from './ids.ts';

/**
 * What a transaction costs (§9.3, §10.2, §14.3), as pure functions of its payload and the base
 * fee B (feeMarket.ts) at its position in the slot. The edge (validateTransaction step 6) and the
 * state machine use the same functions, so a transaction admitted with enough `maxFee` is only
 * refused later if B rose in between.
 */

/** §10.2: the action's fee as basis points of B. */
export function actionFeeBps(payload: TxPayload): bigint {
  switch (payload.kind) {
    case 'createPost':
    case 'zkPost':
      return FEE_BPS.post;
    case 'revealPost':
      return isZeroHash(payload.parent) ? FEE_BPS.post : FEE_BPS.reply;
    case 'reply':
    case 'zkReply':
    case 'answerBounty':
      return FEE_BPS.reply;
    case 'vote':
      return payload.direction === 'up' ? FEE_BPS.upvote : FEE_BPS.downvote;
    case 'createCommunity':
      return FEE_BPS.community;
    case 'updateProfile':
      return FEE_BPS.profile;
    case 'acceptAnswer':
      return FEE_BPS.acceptAnswer;
    case 'transfer':
    case 'flag':
    case 'boostBid':
    case 'createBounty':
    case 'commitPost':
      return FEE_BPS.other;
  }
}

/** `bps` of `amount`, rounded down. */
export function bpsOf(amount: bigint, bps: bigint): bigint {
  return (amount * bps) / BPS;
}

/** §9.3 `storage_fee = base_storage_rate × content_size_bytes × storage_duration`. */
export function storageFee(content: ContentRef): bigint {
  return STORAGE_RATE_PER_BYTE * BigInt(content.size) * STORAGE_CLASS[content.storage].units;
}

/** The content a payload stores, if any (its storage fee is part of the fee). */
export function contentOf(payload: TxPayload): ContentRef | null {
  switch (payload.kind) {
    case 'createPost':
    case 'reply':
    case 'updateProfile':
    case 'createBounty':
    case 'answerBounty':
    case 'revealPost':
    case 'zkPost':
    case 'zkReply':
      return payload.content;
    default:
      return null;
  }
}

/** The action fee alone: `actionFeeBps` of B. */
export function actionFee(payload: TxPayload, baseFee: bigint): bigint {
  return bpsOf(baseFee, actionFeeBps(payload));
}

/** Everything the sender pays as fees: action fee + storage fee. Compared with `maxFee`. */
export function txFee(payload: TxPayload, baseFee: bigint): bigint {
  const content = contentOf(payload);
  return actionFee(payload, baseFee) + (content === null ? 0n : storageFee(content));
}

/**
 * What an included transaction pays when its action breaks a rule (economyStateMachine.ts): the
 * smallest listed fee, an upvote's 1 % of B, burned. A rule broken still used block space.
 */
export function failureFee(baseFee: bigint): bigint {
  return bpsOf(baseFee, FEE_BPS.other);
}

/**
 * The most a transaction can be charged at base fee B: its fee if the action succeeds, the failure
 * fee if it breaks a rule (0 for a zero-knowledge action: the treasury pays its fee and a broken
 * rule makes it invalid, not failed — docs/privacy.md "Fees"). `maxFee` must cover it (else the transaction is not includable), so a
 * charge never exceeds `maxFee` — even for actions whose own fee is 0 (accepting an answer).
 */
export function txMaxCharge(payload: TxPayload, baseFee: bigint): bigint {
  if (isZkPayload(payload)) return 0n; // the treasury pays; the sender is charged nothing (§6.3)
  const fee = txFee(payload, baseFee);
  const floor = failureFee(baseFee);
  return fee > floor ? fee : floor;
}

/** §14.3 "Commitment requires deposit = 2x posting fee". */
export function commitDeposit(baseFee: bigint): bigint {
  return COMMIT_DEPOSIT_MULTIPLIER * bpsOf(baseFee, FEE_BPS.post);
}

/**
 * What the transaction moves out of the sender's balance besides fees (a transfer's amount, an
 * escrow, a deposit): the edge requires `balance ≥ value + maxFee`.
 */
export function txValue(payload: TxPayload, baseFee: bigint): bigint {
  switch (payload.kind) {
    case 'transfer':
    case 'createBounty':
    case 'boostBid':
      return payload.amount;
    case 'commitPost':
      return commitDeposit(baseFee);
    default:
      return 0n;
  }
}
