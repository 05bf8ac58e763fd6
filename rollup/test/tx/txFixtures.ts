import { createPrivateKey, createPublicKey } from 'node:crypto';
import { type Ed25519KeyPair, rawPublicKey } from '../../src/crypto/ed25519.ts';
import { INITIAL_BASE_FEE } from '../../src/params/feeParams.ts';
import { TX_VERSION } from '../../src/params/txParams.ts';
import { SignerKeyCache } from '../../src/tx/signerKeyCache.ts';
import { signTransaction } from '../../src/tx/signTransaction.ts';
import type { SignedTransaction, UnsignedTransaction } from '../../src/tx/transaction.ts';
import { encodeTransaction } from '../../src/tx/txCodec.ts';
import {
  type AccountView,
  type TxValidationContext,
  type ValidTx,
  validateTransaction,
} from '../../src/tx/validateTransaction.ts';

/** PKCS#8 DER prefix of an Ed25519 private key (RFC 8410); the 32-byte seed follows. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A deterministic Ed25519 key from a 32-byte seed (a test factory: same seed, same key). */
export function keyFromSeed(seed: Uint8Array): Ed25519KeyPair {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
}

/** Key number `i` of the fixtures (seed = i as 32 bytes, big-endian). */
export function testKey(i: number): Ed25519KeyPair {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(28, i);
  return keyFromSeed(seed);
}

/** A well-formed transfer from `from` with `overrides` applied, signed by `from`. */
export function testTransfer(
  from: Ed25519KeyPair,
  overrides: Partial<UnsignedTransaction> & {
    readonly to?: Uint8Array;
    readonly amount?: bigint;
  } = {},
): SignedTransaction {
  const { to, amount, ...rest } = overrides;
  const tx: UnsignedTransaction = {
    version: TX_VERSION,
    shard: 0,
    sender: from.publicKey,
    nonce: 0n,
    maxFee: 10_000n,
    payload: {
      kind: 'transfer',
      to: to ?? new Uint8Array(32).fill(0xbb),
      amount: amount ?? 1_000n,
    },
    ...rest,
  };
  return signTransaction(tx, from.privateKey);
}

const RICH: AccountView = { nonce: 0n, balance: 10n ** 15n };

/**
 * A validation context on shard 0 at the genesis base fee (a transfer then costs 1,000 µMOLT)
 * where every sender is rich with nonce 0.
 */
export function testContext(overrides: Partial<TxValidationContext> = {}): TxValidationContext {
  return {
    shard: 0,
    baseFee: INITIAL_BASE_FEE,
    account: () => RICH,
    keys: new SignerKeyCache(),
    ...overrides,
  };
}

/** Validates a tx that must be valid (a test factory for the mempool). */
export function validTx(tx: SignedTransaction, ctx: TxValidationContext = testContext()): ValidTx {
  const r = validateTransaction(encodeTransaction(tx), ctx);
  if (r.kind !== 'valid') throw new Error(`fixture invalid: ${r.code} ${r.reason}`);
  return { tx: r.tx, id: r.id, bytes: r.bytes };
}
