import { RollupError } from '../utils/rollupError.ts';

/** Stable codes of a transaction rejected at the edge (validateTransaction.ts, steps 1-7). */
export type TxRejectCode =
  | 'tx.too_large'
  | 'tx.malformed'
  | 'tx.wrong_shard'
  | 'tx.signature_invalid'
  | 'tx.nonce_too_low'
  | 'tx.nonce_gap'
  | 'tx.fee_too_low'
  | 'tx.insufficient_balance'
  | 'tx.sender_cap';

/** A rejected transaction as an error, for callers that answer with one (RPC, gossip logs). */
export class TxError extends RollupError<TxRejectCode> {
  override readonly name = 'TxError';
}
