import type { KeyObject } from 'node:crypto';
import { signEd25519 } from '../crypto/ed25519.ts';
import type { SignedTransaction, UnsignedTransaction } from './transaction.ts';
import { txSigningMessage } from './txCodec.ts';

/** Signs with the sender's Ed25519 signer key (deterministic: RFC 8032). */
export function signTransaction(tx: UnsignedTransaction, key: KeyObject): SignedTransaction {
  return { ...tx, signature: signEd25519(key, txSigningMessage(tx)) };
}
