import { U64_MAX } from '../params/txParams.ts';
import { intrinsicGas } from '../tx/intrinsicGas.ts';
import type { SignedTransaction } from '../tx/transaction.ts';
import { toHex } from '../utils/hex.ts';
import type { ApplyResult, ExecutionContext, StateMachine } from './stateMachine.ts';
import type { TransferState } from './transferState.ts';

/**
 * The minimal state machine behind the execution interface: transfers of micromolt between
 * signer-key accounts.
 *
 * - Invalid (state untouched, a block holding it is invalid): nonce ≠ the account's, gas limit
 *   below the payload's gas, max fee per gas below the base fee, or a sender that does not exist
 *   or cannot pay `gasLimit × baseFee` — Ethereum's upfront validity checks.
 * - Otherwise included: nonce + 1 and fee = gasUsed × baseFee charged and burned (counted in
 *   `burned`, DESIGN.md §4 step 6). If the sender then cannot cover `amount`, the transfer
 *   `failed` but the fee stays paid and the nonce stays bumped — Agave charges the fee payer of a
 *   failed transaction, Ethereum keeps the nonce and gas of a reverted one.
 * - The whole fee is burned: there is no priority tip to the leader yet.
 */
export const transferStateMachine: StateMachine<TransferState> = {
  apply(state: TransferState, tx: SignedTransaction, ctx: ExecutionContext): ApplyResult {
    const payload = tx.payload;
    if (payload.kind !== 'transfer')
      return { kind: 'invalid', code: 'exec.unsupported_payload', reason: payload.kind };
    const fromId = toHex(tx.sender);
    const from = state.get(fromId);
    const nonce = from?.nonce ?? 0n;
    if (tx.nonce !== nonce || nonce === U64_MAX)
      return {
        kind: 'invalid',
        code: 'exec.nonce_mismatch',
        reason: `nonce ${tx.nonce}, account ${nonce}`,
      };
    const gasUsed = intrinsicGas(payload);
    if (tx.gasLimit < gasUsed)
      return {
        kind: 'invalid',
        code: 'exec.gas_limit_too_low',
        reason: `${tx.gasLimit} < ${gasUsed}`,
      };
    if (tx.maxFeePerGas < ctx.baseFee)
      return {
        kind: 'invalid',
        code: 'exec.fee_too_low',
        reason: `${tx.maxFeePerGas} < base fee ${ctx.baseFee}`,
      };
    if (from === undefined || from.balance < tx.gasLimit * ctx.baseFee)
      return {
        kind: 'invalid',
        code: 'exec.cannot_pay_fee',
        reason: `balance ${from?.balance ?? 0n} < ${tx.gasLimit} × ${ctx.baseFee}`,
      };
    const fee = gasUsed * ctx.baseFee;
    from.nonce += 1n;
    from.balance -= fee;
    state.burn(fee);
    state.touch(fromId);
    if (payload.amount > from.balance)
      return {
        kind: 'failed',
        code: 'exec.insufficient_balance',
        reason: `amount ${payload.amount} > balance ${from.balance} after the fee`,
        gasUsed,
        fee,
      };
    const toId = toHex(payload.to);
    const to = state.getOrCreate(toId, payload.to);
    from.balance -= payload.amount;
    to.balance += payload.amount;
    state.touch(toId);
    return { kind: 'success', gasUsed, fee };
  },

  stateRoot(state: TransferState): Uint8Array {
    return state.root();
  },
};
