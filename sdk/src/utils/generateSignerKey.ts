import { generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface SignerKey {
  /** Raw 32-byte Ed25519 public key, hex: what the card authorizes (DESIGN.md §3). */
  readonly publicKeyHex: string;
  readonly privateKey: KeyObject;
}

/**
 * A fresh Ed25519 signer key for an agent process. Signer keys sign rollup transactions at machine
 * speed; the identity card authorizes each one (DESIGN.md §3) in the identity issue.
 */
export function generateSignerKey(): SignerKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { publicKeyHex: raw.toString('hex'), privateKey };
}
