import {
  encodeTransaction,
  MIN_BASE_FEE,
  signTransaction,
  TRANSFER_GAS,
  TX_VERSION,
} from '@moltbook/rollup/verify';
import { InvalidParameterError } from '../errors/baseError.ts';
import type { SignerKey } from './generateSignerKey.ts';

const U64_MAX = (1n << 64n) - 1n;

/** A 32-byte key given as bytes or hex (`0x` optional); InvalidParameterError otherwise. */
export function pubkeyArg(name: string, v: unknown): Uint8Array {
  if (v instanceof Uint8Array) {
    if (v.length !== 32) throw new InvalidParameterError(name, '32 bytes');
    return v;
  }
  if (typeof v === 'string') {
    const s = v.startsWith('0x') ? v.slice(2) : v;
    if (/^[0-9a-fA-F]{64}$/.test(s)) return new Uint8Array(Buffer.from(s, 'hex'));
  }
  throw new InvalidParameterError(name, '32 bytes (Uint8Array or 64 hex digits)');
}

function u64Arg(name: string, v: unknown): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > U64_MAX)
    throw new InvalidParameterError(name, 'a bigint in [0, 2^64)');
  return v;
}

export interface CreateTransferParams {
  /** The sender's signer key (pays amount + fee). */
  readonly key: SignerKey;
  /** Recipient signer public key: 32 bytes or 64 hex digits. */
  readonly to: Uint8Array | string;
  /** Micromolt. */
  readonly amount: bigint;
  /** Must equal the sender's account nonce when the transfer executes (see getAccount). */
  readonly nonce: bigint;
  /** Micromolt per gas unit, ≥ the node's base fee (default MIN_BASE_FEE = 1). */
  readonly maxFeePerGas?: bigint;
  /** Shard id (default 0); part of the signed message. */
  readonly shard?: number;
}

/**
 * A signed transfer, encoded (the bytes `sendTransaction` takes). Gas limit TRANSFER_GAS (21,000):
 * the sender needs `amount + 21,000 × maxFeePerGas` micromolt.
 */
export function createTransfer(params: CreateTransferParams): Uint8Array {
  const shard = params.shard ?? 0;
  if (!Number.isSafeInteger(shard) || shard < 0 || shard > 0xffff_ffff)
    throw new InvalidParameterError('shard', 'an integer in [0, 2^32)');
  const sender = pubkeyArg('key.publicKeyHex', params.key.publicKeyHex);
  const signed = signTransaction(
    {
      version: TX_VERSION,
      shard,
      sender,
      nonce: u64Arg('nonce', params.nonce),
      maxFeePerGas: u64Arg('maxFeePerGas', params.maxFeePerGas ?? MIN_BASE_FEE),
      gasLimit: TRANSFER_GAS,
      payload: {
        kind: 'transfer',
        to: pubkeyArg('to', params.to),
        amount: u64Arg('amount', params.amount),
      },
    },
    params.key.privateKey,
  );
  return encodeTransaction(signed);
}
