import { CodecError } from '../codec/codecError.ts';
import { verifyEd25519 } from '../crypto/ed25519.ts';
import { txMaxCharge, txValue } from '../economy/fees.ts';
import { MAX_TX_BYTES, NONCE_WINDOW, SLOT_GAS_LIMIT, senderGasCap } from '../params/txParams.ts';
import { toHex } from '../utils/hex.ts';
import { intrinsicGas } from './intrinsicGas.ts';
import type { SignerKeyCache } from './signerKeyCache.ts';
import type { SignedTransaction } from './transaction.ts';
import { decodeTransaction, SIGNATURE_BYTES, signingMessage, txId } from './txCodec.ts';
import type { TxRejectCode } from './txError.ts';

/** What edge validation reads of an account (absent accounts: nonce 0, balance 0). */
export interface AccountView {
  readonly nonce: bigint;
  readonly balance: bigint;
}

export interface TxValidationContext {
  /** The shard this validator serves. */
  readonly shard: number;
  /** Current base fee B, µMOLT (§10.5: the fee of a post; every action's fee is a ratio of it). */
  readonly baseFee: bigint;
  /** Account state of a sender as of the latest state the validator knows. */
  readonly account: (sender: Uint8Array) => AccountView;
  /** Imported signer keys, shared across calls (see SignerKeyCache). */
  readonly keys: SignerKeyCache;
  /** Gas capacity of a slot; SLOT_GAS_LIMIT unless a test or genesis says otherwise. */
  readonly slotGasLimit?: bigint;
  /** Gas this sender already has in the slot being built or checked (0 at the RPC edge). */
  readonly senderGasUsed?: bigint;
}

/** A transaction that passed every step; `id` is the hex SHA-256 of `bytes`. */
export interface ValidTx {
  readonly tx: SignedTransaction;
  readonly id: string;
  readonly bytes: Uint8Array;
}

export type TxValidation =
  | ({ readonly kind: 'valid' } & ValidTx)
  | {
      readonly kind: 'rejected';
      /** Number of the failed step (1-7), as in the list below. */
      readonly step: number;
      readonly code: TxRejectCode;
      readonly reason: string;
      /** For `tx.malformed`: the codec's own code (`codec.truncated`, …). */
      readonly codecCode?: string;
    };

function reject(
  step: number,
  code: TxRejectCode,
  reason: string,
): Extract<TxValidation, { kind: 'rejected' }> {
  return { kind: 'rejected', step, code, reason };
}

/**
 * Validates untrusted transaction bytes at the edge (RPC, gossip, the leader's block building),
 * in order, stopping at the first failure:
 *
 * 1. size ≤ MAX_TX_BYTES (`tx.too_large`) — before anything is parsed;
 * 2. decode (`tx.malformed`, with the codec's code);
 * 3. shard id = ours (`tx.wrong_shard`);
 * 4. Ed25519 signature of the sender over the domain-separated message (`tx.signature_invalid`);
 * 5. nonce ≥ the account's (`tx.nonce_too_low`) and ≤ it + NONCE_WINDOW (`tx.nonce_gap`);
 * 6. max fee ≥ the most it can be charged at the current base fee (`tx.fee_too_low`, economy/fees.ts
 *    txMaxCharge: its fee, at least the failure fee), balance ≥
 *    value (amount, escrow, deposit) + max fee (`tx.insufficient_balance`);
 * 7. §7.6 per-sender cap: senderGasUsed + the action's gas ≤ 5 % of the slot's gas (`tx.sender_cap`).
 *
 * Never throws on hostile bytes: every defect is a typed rejection.
 */
export function validateTransaction(bytes: Uint8Array, ctx: TxValidationContext): TxValidation {
  const v = validateStateless(bytes, ctx);
  if (v.kind === 'rejected') return v;
  const stateful = validateAgainstState(v.tx, ctx);
  return stateful ?? v;
}

/**
 * Steps 1-4 alone (size, decode, shard, signature): what needs no state, so it can run on a
 * worker thread (TxVerifierPool); steps 5-7 then run against the state with `validateAgainstState`.
 */
export function validateStateless(
  bytes: Uint8Array,
  ctx: Pick<TxValidationContext, 'shard' | 'keys'>,
): TxValidation {
  // 1. size
  if (bytes.length > MAX_TX_BYTES)
    return reject(1, 'tx.too_large', `${bytes.length} bytes > ${MAX_TX_BYTES}`);
  // 2. decode
  let tx: SignedTransaction;
  try {
    tx = decodeTransaction(bytes);
  } catch (err) {
    if (!(err instanceof CodecError)) throw err;
    return { ...reject(2, 'tx.malformed', err.message), codecCode: err.code };
  }
  // 3. shard
  if (tx.shard !== ctx.shard)
    return reject(3, 'tx.wrong_shard', `shard ${tx.shard}, this validator serves ${ctx.shard}`);
  // 4. signature (the encoding is canonical, so the unsigned encoding is the prefix)
  const key = ctx.keys.get(tx.sender);
  const message = signingMessage(tx.shard, bytes.subarray(0, bytes.length - SIGNATURE_BYTES));
  if (key === null || !verifyEd25519(key, message, tx.signature))
    return reject(4, 'tx.signature_invalid', 'signature does not verify for the sender key');
  return { kind: 'valid', tx, id: toHex(txId(bytes)), bytes };
}

/**
 * Steps 5-7 alone, for a transaction whose bytes already passed steps 1-4 on this node (a leader
 * building from its mempool, where every tx was validated on admission): null when it passes.
 */
export function validateAgainstState(
  tx: SignedTransaction,
  ctx: Pick<TxValidationContext, 'account' | 'baseFee' | 'slotGasLimit' | 'senderGasUsed'>,
): Extract<TxValidation, { kind: 'rejected' }> | null {
  // 5. nonce
  const account = ctx.account(tx.sender);
  if (tx.nonce < account.nonce)
    return reject(5, 'tx.nonce_too_low', `nonce ${tx.nonce} < account nonce ${account.nonce}`);
  if (tx.nonce > account.nonce + NONCE_WINDOW)
    return reject(
      5,
      'tx.nonce_gap',
      `nonce ${tx.nonce} > account nonce ${account.nonce} + ${NONCE_WINDOW}`,
    );
  // 6. fee
  const fee = txMaxCharge(tx.payload, ctx.baseFee);
  if (tx.maxFee < fee)
    return reject(
      6,
      'tx.fee_too_low',
      `max fee ${tx.maxFee} < fee ${fee} at base fee ${ctx.baseFee}`,
    );
  const cost = txValue(tx.payload, ctx.baseFee) + tx.maxFee;
  if (account.balance < cost)
    return reject(6, 'tx.insufficient_balance', `balance ${account.balance} < ${cost}`);
  // 7. §7.6 per-sender gas cap
  const gas = intrinsicGas(tx.payload);
  const cap = senderGasCap(ctx.slotGasLimit ?? SLOT_GAS_LIMIT);
  const used = ctx.senderGasUsed ?? 0n;
  if (used + gas > cap)
    return reject(7, 'tx.sender_cap', `sender gas ${used} + ${gas} > cap ${cap} (§7.6)`);
  return null;
}
