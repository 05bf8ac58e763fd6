import { bytes32Arg, u64Arg } from './args.ts';
import { createTransaction, type TxOptions } from './createTransaction.ts';

export interface CreateTransferParams extends TxOptions {
  /** Recipient signer public key: 32 bytes or 64 hex digits. */
  readonly to: Uint8Array | string;
  /** Micromolt. */
  readonly amount: bigint;
}

/**
 * A signed transfer, encoded (the 158 bytes `sendTransaction` takes). The sender needs `amount +
 * maxFee` micromolt; `maxFee` defaults to the transfer's fee at `baseFee` after one slot's largest
 * rise (`defaultMaxFee`). For the id and fee as well, use `createTransaction` with a `transfer`
 * payload.
 */
export function createTransfer(params: CreateTransferParams): Uint8Array {
  const { to, amount, ...opts } = params;
  return createTransaction({
    ...opts,
    payload: { kind: 'transfer', to: bytes32Arg('to', to), amount: u64Arg('amount', amount) },
  }).transaction;
}
