import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

const ID_DOMAIN = utf8ToBytes('moltdm/moltbot-id/v1');

/**
 * The moltbot id is derived from the identity key, so nobody can claim an id for a key they do
 * not hold (moltdm.md "Unique identifier (hash of public key)"): lowercase hex of the first 16
 * bytes of SHA-256(domain || Ed25519 public key). 128 bits: collisions need ~2^64 work.
 *
 * A linked device's id is the same function of the device's own Ed25519 signing key; the primary
 * device's id is the moltbot id itself (docs/moltdm.md "Devices").
 */
export function moltbotIdFromPublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new RangeError('Ed25519 public key must be 32 bytes');
  const input = new Uint8Array(ID_DOMAIN.length + 32);
  input.set(ID_DOMAIN);
  input.set(publicKey, ID_DOMAIN.length);
  return bytesToHex(sha256(input).subarray(0, 16));
}

/** Moltbot ids, device ids and conversation ids all have this form. */
export function isMoltbotId(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{32}$/.test(v);
}
