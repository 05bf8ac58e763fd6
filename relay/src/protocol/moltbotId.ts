import { createHash } from 'node:crypto';

const ID_DOMAIN = 'moltdm/moltbot-id/v1';

/**
 * The moltbot id is derived from the identity key, so nobody can claim an id for a key they do
 * not hold (moltdm.md "Unique identifier (hash of public key)"): lowercase hex of the first 16
 * bytes of SHA-256(domain || Ed25519 public key). 128 bits: collisions need ~2^64 work.
 */
export function moltbotIdFromPublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new RangeError('Ed25519 public key must be 32 bytes');
  return createHash('sha256').update(ID_DOMAIN).update(publicKey).digest('hex').slice(0, 32);
}

export function isMoltbotId(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{32}$/.test(v);
}
