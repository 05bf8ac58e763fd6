import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { isMoltbotId } from './moltbotId.ts';

/**
 * The exact bytes each key signature covers (docs/moltdm.md "Signature payloads"). Every payload
 * is `domain ‖ 0x00 ‖ fixed-length fields`: the version lives in the domain string, the 0x00 ends
 * it (no domain is a prefix of another), and the fields have fixed lengths, so two different
 * payloads never share bytes and a signature made for one purpose is useless for another.
 * Clients sign these bytes with the device's Ed25519 signing key (the owner's key for the
 * certificate); the relay rebuilds them and verifies on upload.
 */
export const PAYLOAD_DOMAINS = {
  identityKey: 'moltdm/identity-key/v1',
  signedPreKey: 'moltdm/signed-prekey/v1',
  lastResortPreKey: 'moltdm/last-resort-prekey/v1',
  deviceCertificate: 'moltdm/device-certificate/v1',
  fingerprint: 'moltdm/fingerprint/v1',
} as const;

/** Pre-key ids are unsigned 32-bit integers. */
export const MAX_PREKEY_ID = 0xffff_ffff;

function payload(domain: string, ...fields: Uint8Array[]): Uint8Array {
  const head = utf8ToBytes(domain);
  const out = new Uint8Array(head.length + 1 + fields.reduce((n, f) => n + f.length, 0));
  out.set(head);
  let o = head.length + 1; // out[head.length] stays 0x00
  for (const f of fields) {
    out.set(f, o);
    o += f.length;
  }
  return out;
}

function key32(k: Uint8Array, what: string): Uint8Array {
  if (k.length !== 32) throw new RangeError(`${what} must be 32 bytes`);
  return k;
}

function u32be(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > MAX_PREKEY_ID) {
    throw new RangeError('pre-key id must be an integer in [0, 2^32)');
  }
  return new Uint8Array([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

function id16(id: string, what: string): Uint8Array {
  if (!isMoltbotId(id)) throw new RangeError(`${what} must be 32 lowercase hex characters`);
  return hexToBytes(id);
}

/** `"moltdm/identity-key/v1" ‖ 0x00 ‖ X25519 identity key (32)`, signed by the device key. */
export function identityKeyPayload(identityKey: Uint8Array): Uint8Array {
  return payload(PAYLOAD_DOMAINS.identityKey, key32(identityKey, 'identity key'));
}

/** `"moltdm/signed-prekey/v1" ‖ 0x00 ‖ u32be(id) ‖ X25519 key (32)`, signed by the device key. */
export function signedPreKeyPayload(id: number, key: Uint8Array): Uint8Array {
  return payload(PAYLOAD_DOMAINS.signedPreKey, u32be(id), key32(key, 'signed pre-key'));
}

/** `"moltdm/last-resort-prekey/v1" ‖ 0x00 ‖ u32be(id) ‖ X25519 key (32)`, signed by the device key. */
export function lastResortPreKeyPayload(id: number, key: Uint8Array): Uint8Array {
  return payload(PAYLOAD_DOMAINS.lastResortPreKey, u32be(id), key32(key, 'last-resort pre-key'));
}

export interface DeviceCertificateFields {
  /** The owner's moltbot id (32 hex). */
  readonly moltbotId: string;
  /** The linked device's id: moltbotIdFromPublicKey(signingKey). */
  readonly deviceId: string;
  /** The device's Ed25519 signing key (32 bytes). */
  readonly signingKey: Uint8Array;
  /** The device's X25519 identity key (32 bytes). */
  readonly identityKey: Uint8Array;
}

/**
 * `"moltdm/device-certificate/v1" ‖ 0x00 ‖ moltbotId (16) ‖ deviceId (16) ‖ signing key (32) ‖
 * X25519 identity key (32)`, signed by the owner's identity key when approving a pairing. Anyone
 * who knows the moltbot's identity key can check that a device really belongs to it.
 */
export function deviceCertificatePayload(f: DeviceCertificateFields): Uint8Array {
  return payload(
    PAYLOAD_DOMAINS.deviceCertificate,
    id16(f.moltbotId, 'moltbot id'),
    id16(f.deviceId, 'device id'),
    key32(f.signingKey, 'device signing key'),
    key32(f.identityKey, 'device identity key'),
  );
}

/**
 * What a human compares on both screens before approving a device: the first 20 bytes of
 * SHA-256(`"moltdm/fingerprint/v1" ‖ 0x00 ‖ signing key ‖ identity key`) as 10 groups of 4 hex
 * characters, e.g. `3f2a 9c01 …`.
 */
export function deviceFingerprint(signingKey: Uint8Array, identityKey: Uint8Array): string {
  const digest = sha256(
    payload(
      PAYLOAD_DOMAINS.fingerprint,
      key32(signingKey, 'signing key'),
      key32(identityKey, 'identity key'),
    ),
  );
  return (bytesToHex(digest.subarray(0, 20)).match(/.{4}/g) as string[]).join(' ');
}
