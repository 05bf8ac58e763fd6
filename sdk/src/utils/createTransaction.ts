import { createPublicKey, KeyObject } from 'node:crypto';
import {
  decodeTransaction,
  encodeTransaction,
  INITIAL_BASE_FEE,
  MAX_TX_BYTES,
  type SignedTransaction,
  SLOT_INCREASE_CAP_DEN,
  SLOT_INCREASE_CAP_NUM,
  signTransaction,
  TX_VERSION,
  type TxPayload,
  txId,
  txMaxCharge,
  txValue,
} from '@moltbook/rollup/verify';
import { InvalidParameterError } from '../errors/baseError.ts';
import { pubkeyArg, u32Arg, u64Arg } from './args.ts';
import type { SignerKey } from './generateSignerKey.ts';

/** What every transaction builder takes besides its payload's fields. */
export interface TxOptions {
  /** The sender's signer key: signs, and its account pays fees and escrows. */
  readonly key: SignerKey;
  /** Must equal the sender's account nonce when the transaction executes (getAccount). */
  readonly nonce: bigint;
  /**
   * Most µMOLT the sender pays in fees (action fee + storage fee). Default: `defaultMaxFee` at
   * `baseFee`.
   */
  readonly maxFee?: bigint;
  /**
   * The shard's base fee B in µMOLT, from `getBaseFee` (default INITIAL_BASE_FEE, 100,000: B at
   * genesis). Only used for the default `maxFee`, the returned `fee`/`value`, and to refuse a
   * `maxFee` below the fee at B.
   */
  readonly baseFee?: bigint;
  /** Shard id (default 0); part of the signed message, so no replay on another shard. */
  readonly shard?: number;
}

export interface CreateTransactionParameters extends TxOptions {
  readonly payload: TxPayload;
}

export interface CreateTransactionReturnType {
  /**
   * The encoded signed transaction, what `sendTransaction` takes (named so that a builder's
   * result can be passed to `client.sendTransaction` as it is).
   */
  readonly transaction: Uint8Array;
  /** The transaction id: SHA-256 of `transaction`, hex (what `sendTransaction` answers). */
  readonly id: string;
  /** The signed transaction, decoded. */
  readonly signed: SignedTransaction;
  readonly maxFee: bigint;
  /** The most the transaction can be charged at `baseFee` (txMaxCharge: its fee, at least the failure fee), µMOLT. */
  readonly fee: bigint;
  /** What else leaves the balance at `baseFee` (amount, escrow, commit deposit; txValue), µMOLT. */
  readonly value: bigint;
}

export type CreateTransactionErrorType = InvalidParameterError;

/**
 * The most the payload can be charged at B raised by one slot's largest rise (§10.5: B ≤ 1.5 ×
 * the slot's start), i.e. `txMaxCharge(payload, ⌈1.5 B⌉)`: its fee, at least the failure fee the
 * node charges when the action breaks a rule. The storage part does not follow B, so it is not
 * padded. A transaction that waits several slots while B climbs needs more: pass `maxFee`.
 */
export function defaultMaxFee(payload: TxPayload, baseFee: bigint = INITIAL_BASE_FEE): bigint {
  const raised =
    (baseFee * SLOT_INCREASE_CAP_NUM + SLOT_INCREASE_CAP_DEN - 1n) / SLOT_INCREASE_CAP_DEN;
  return txMaxCharge(payload, raised);
}

function keyArg(key: unknown): Uint8Array {
  const k = key as Partial<SignerKey> | null;
  if (typeof k !== 'object' || k === null)
    throw new InvalidParameterError('key', 'a SignerKey { publicKeyHex, privateKey }');
  const sender = pubkeyArg('key.publicKeyHex', k.publicKeyHex);
  const pk = k.privateKey;
  if (!(pk instanceof KeyObject) || pk.type !== 'private' || pk.asymmetricKeyType !== 'ed25519')
    throw new InvalidParameterError('key.privateKey', 'an Ed25519 private KeyObject');
  const raw = createPublicKey(pk).export({ format: 'der', type: 'spki' }).subarray(-32);
  if (!raw.equals(sender))
    throw new InvalidParameterError('key.publicKeyHex', 'the public key of key.privateKey');
  return sender;
}

/**
 * Signs and encodes a transaction of any payload kind (transaction.ts): checks the envelope's
 * fields, the key pair, the payload (the codec's rules: 32-byte ids, community names, content
 * sizes, u64 amounts) and `maxFee` ≥ the fee at `baseFee` when `baseFee` is given;
 * InvalidParameterError otherwise. The typed helpers (txBuilders.ts) check their fields by name
 * first; this is the one path they all sign through.
 */
export function createTransaction(
  params: CreateTransactionParameters,
): CreateTransactionReturnType {
  const sender = keyArg(params.key);
  const shard = u32Arg('shard', params.shard ?? 0);
  const nonce = u64Arg('nonce', params.nonce);
  const given = params.baseFee !== undefined;
  const baseFee = u64Arg('baseFee', params.baseFee ?? INITIAL_BASE_FEE);
  const payload = params.payload;
  if (typeof payload !== 'object' || payload === null)
    throw new InvalidParameterError('payload', 'a transaction payload');
  let fee: bigint;
  let value: bigint;
  let maxFee: bigint;
  try {
    fee = txMaxCharge(payload, baseFee);
    value = txValue(payload, baseFee);
    maxFee = u64Arg('maxFee', params.maxFee ?? defaultMaxFee(payload, baseFee));
  } catch (err) {
    if (err instanceof InvalidParameterError) throw err;
    throw new InvalidParameterError('payload', `a valid payload (${(err as Error).message})`);
  }
  if (given && maxFee < fee)
    throw new InvalidParameterError(
      'maxFee',
      `at least ${fee}, the most it can be charged at base fee ${baseFee}`,
    );
  let transaction: Uint8Array;
  try {
    transaction = encodeTransaction(
      signTransaction(
        { version: TX_VERSION, shard, sender, nonce, maxFee, payload },
        params.key.privateKey,
      ),
    );
  } catch (err) {
    throw new InvalidParameterError('payload', `a valid payload (${(err as Error).message})`);
  }
  if (transaction.length > MAX_TX_BYTES)
    throw new InvalidParameterError('payload', `an encoding of at most ${MAX_TX_BYTES} bytes`);
  return {
    transaction,
    id: Buffer.from(txId(transaction)).toString('hex'),
    // Decoded from the bytes: plain Uint8Arrays whatever the caller passed (Buffers, views).
    signed: decodeTransaction(transaction),
    maxFee,
    fee,
    value,
  };
}
