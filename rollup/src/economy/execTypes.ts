import type { SignedTransaction } from '../tx/transaction.ts';
import type { MembershipVerifier } from './identityModes.ts';
import type { AccountRecord, IdentityRecord } from './records.ts';

/** Per-block inputs of execution: the same for the leader and every validator replaying. */
export interface EconomyContext {
  /** The block's slot. */
  readonly slot: bigint;
  /**
   * The PoH hash the block starts from (its parent's last hash): the randomness of §10.4 entropy,
   * §11.4 damper delays and §14.3 reveals — unknown before the parent block, fixed for the block.
   */
  readonly pohHash: Uint8Array;
  /**
   * Verdicts on the block's membership proofs (§6, zkActions.ts), computed before execution;
   * absent: every proof is refused (a node without the privacy layer).
   */
  readonly membership?: MembershipVerifier;
}

/** A transaction as the state machine gets it: decoded, signature checked, with its id. */
export interface EconomyTx {
  readonly tx: SignedTransaction;
  /** SHA-256 of the signed encoding (txId). */
  readonly id: Uint8Array;
}

/** Stable codes of a transaction that was included but whose action broke a rule. */
export type ExecFailureCode =
  | 'exec.insufficient_balance'
  | 'exec.no_identity'
  | 'exec.identity_inactive'
  | 'exec.community_exists'
  | 'exec.unknown_community'
  | 'exec.unknown_post'
  | 'exec.post_removed'
  | 'exec.self_vote'
  | 'exec.already_voted'
  | 'exec.already_flagged'
  | 'exec.bounty_amount'
  | 'exec.bounty_deadline'
  | 'exec.unknown_bounty'
  | 'exec.bounty_closed'
  | 'exec.bounty_reputation'
  | 'exec.bounty_full'
  | 'exec.bounty_self_answer'
  | 'exec.bounty_already_answered'
  | 'exec.bounty_newcomer_only'
  | 'exec.bounty_not_independent'
  | 'exec.not_asker'
  | 'exec.unknown_answer'
  | 'exec.commitment_exists'
  | 'exec.unknown_commitment'
  | 'exec.reveal_window'
  | 'exec.auction_window'
  | 'exec.auction_full'
  | 'exec.bid_too_low'
  | 'exec.not_author';

/** An action that broke a rule: included, pays the failure fee, changes nothing else. */
export interface ExecFailure {
  readonly code: ExecFailureCode;
  readonly reason: string;
}

export function failure(code: ExecFailureCode, reason: string): ExecFailure {
  return { code, reason };
}

/**
 * What an action handler gets: the sender's account (already charged the fee, mutable), its
 * identity (mutable, null when the key is bound to none), the block context and the transaction.
 * A handler checks every rule BEFORE its first write and returns an ExecFailure without writing
 * anything when one fails (the caller then refunds the action fee and charges the failure fee).
 */
export interface ActionInput {
  readonly etx: EconomyTx;
  readonly ctx: EconomyContext;
  readonly sender: AccountRecord;
  readonly identity: IdentityRecord | null;
  /** Base fee B at this transaction's position (§10.5). */
  readonly baseFee: bigint;
}

/** Narrows a handler's result (a record or an ExecFailure). */
export function isFailure(x: unknown): x is ExecFailure {
  return typeof x === 'object' && x !== null && 'code' in x && 'reason' in x && !('id' in x);
}
