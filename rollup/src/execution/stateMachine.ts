import type { SignedTransaction } from '../tx/transaction.ts';

/** What a slot gives every transaction it executes. */
export interface ExecutionContext {
  /** §10.5 base fee of this transaction, micromolt per gas unit. */
  readonly baseFee: bigint;
}

/** Why an included transaction failed: it still bumps the nonce and pays its fee. */
export type ExecFailureCode = 'exec.insufficient_balance';

/** Why a transaction cannot be included at all: a block holding it is invalid. */
export type ExecInvalidCode =
  | 'exec.nonce_mismatch'
  | 'exec.gas_limit_too_low'
  | 'exec.fee_too_low'
  | 'exec.cannot_pay_fee'
  | 'exec.unsupported_payload';

/**
 * Outcome of applying one transaction, after Ethereum's receipt status and Agave's fee-payer rule:
 * `success` and `failed` are both included (nonce + 1, fee charged and burned); `invalid` leaves
 * the state untouched and must not be in a block.
 */
export type ApplyResult =
  | { readonly kind: 'success'; readonly gasUsed: bigint; readonly fee: bigint }
  | {
      readonly kind: 'failed';
      readonly code: ExecFailureCode;
      readonly reason: string;
      readonly gasUsed: bigint;
      readonly fee: bigint;
    }
  | { readonly kind: 'invalid'; readonly code: ExecInvalidCode; readonly reason: string };

/**
 * The pluggable execution interface the node calls (issue 4 item 3): the minimal transfer machine
 * today, the attention economy later. Implementations are pure — no I/O, clock or floats — and
 * deterministic: the same history gives the same `stateRoot` on every machine. `apply` mutates
 * `state` in place (the node clones a state before executing a fork it may abandon).
 */
export interface StateMachine<State> {
  apply(state: State, tx: SignedTransaction, ctx: ExecutionContext): ApplyResult;
  /** 32-byte commitment to the whole state, the block's `stateRoot` (§7.3). */
  stateRoot(state: State): Uint8Array;
}
