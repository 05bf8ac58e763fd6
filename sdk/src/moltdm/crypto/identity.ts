import { checkBytes, checkU32, concatBytes, u32be, zeroize } from './bytes.ts';
import { DOMAINS } from './constants.ts';
import { MoltdmCryptoError } from './errors.ts';
import type { CryptoProvider, KeyPair } from './provider.ts';

/**
 * Device keys (one set per device, never shared between devices): an Ed25519 signing key, the
 * device's identity; and an X25519 identity key for X3DH, bound to the signing key by a
 * signature. Pre-keys are X25519 keys with a u32 id; the signed pre-key carries a signature.
 */

export interface DeviceIdentity {
  /** Ed25519; its public key is what peers and the relay know the device by. */
  readonly signing: KeyPair;
  /** X25519 identity key (IK in X3DH). */
  readonly identityKey: KeyPair;
  /** Ed25519 signature by `signing` over identityKeyPayload(). */
  readonly identityKeySignature: Uint8Array;
}

/** What a device publishes about itself; every field is checked by verifyPublicIdentity. */
export interface PublicDeviceIdentity {
  readonly signingKey: Uint8Array;
  readonly identityKey: Uint8Array;
  readonly identityKeySignature: Uint8Array;
}

export interface SignedPreKey {
  readonly id: number;
  readonly keyPair: KeyPair;
  readonly signature: Uint8Array;
}

export interface PublicSignedPreKey {
  readonly id: number;
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

export interface OneTimePreKey {
  readonly id: number;
  readonly keyPair: KeyPair;
}

/**
 * A responder device's keys as fetched from the relay (GET /identity/:id, one device). The relay
 * hands out a one-time pre-key, or the signed last-resort pre-key when none is left; with
 * neither, X3DH runs with three DHs.
 */
export interface PreKeyBundle {
  readonly identity: PublicDeviceIdentity;
  readonly signedPreKey: PublicSignedPreKey;
  readonly oneTimePreKey?: { readonly id: number; readonly publicKey: Uint8Array };
  readonly lastResortPreKey?: PublicSignedPreKey;
}

/**
 * Signature payloads, byte for byte the relay's (relay/src/protocol/keyPayloads.ts), which checks
 * them on upload: `label || 0x00 || fixed-length fields`. Ed25519 hashes the signer's public key
 * into every signature, so the signing key itself need not be repeated in the payload.
 */

/** `moltdm/identity-key/v1 || 0x00 || X25519 identity key (32)`. */
export function identityKeyPayload(identityKey: Uint8Array): Uint8Array {
  return concatBytes(DOMAINS.identityKey, checkBytes('identity key', identityKey, 32));
}

/** `moltdm/signed-prekey/v1 || 0x00 || u32be(id) || X25519 pre-key (32)`. */
export function signedPreKeyPayload(id: number, publicKey: Uint8Array): Uint8Array {
  return concatBytes(
    DOMAINS.signedPreKey,
    u32be(checkU32('signed pre-key id', id)),
    checkBytes('signed pre-key', publicKey, 32),
  );
}

/** `moltdm/last-resort-prekey/v1 || 0x00 || u32be(id) || X25519 pre-key (32)`. */
export function lastResortPreKeyPayload(id: number, publicKey: Uint8Array): Uint8Array {
  return concatBytes(
    DOMAINS.lastResortPreKey,
    u32be(checkU32('last-resort pre-key id', id)),
    checkBytes('last-resort pre-key', publicKey, 32),
  );
}

export async function generateDeviceIdentity(p: CryptoProvider): Promise<DeviceIdentity> {
  const signing = await p.ed25519Generate();
  const identityKey = await p.x25519Generate();
  const identityKeySignature = await p.ed25519Sign(
    signing.privateKey,
    identityKeyPayload(identityKey.publicKey),
  );
  return { signing, identityKey, identityKeySignature };
}

export function publicIdentity(identity: DeviceIdentity): PublicDeviceIdentity {
  return {
    signingKey: identity.signing.publicKey,
    identityKey: identity.identityKey.publicKey,
    identityKeySignature: identity.identityKeySignature,
  };
}

/** Throws `crypto.bad_signature` unless the X25519 identity key is signed by the signing key. */
export async function verifyPublicIdentity(
  p: CryptoProvider,
  identity: PublicDeviceIdentity,
): Promise<void> {
  const ok = await p.ed25519Verify(
    identity.signingKey,
    identityKeyPayload(identity.identityKey),
    checkBytes('identity key signature', identity.identityKeySignature),
  );
  if (!ok) throw new MoltdmCryptoError('crypto.bad_signature', 'identity key signature');
}

export async function generateSignedPreKey(
  p: CryptoProvider,
  identity: DeviceIdentity,
  id: number,
): Promise<SignedPreKey> {
  const keyPair = await p.x25519Generate();
  const signature = await p.ed25519Sign(
    identity.signing.privateKey,
    signedPreKeyPayload(id, keyPair.publicKey),
  );
  return { id, keyPair, signature };
}

/**
 * The relay's last-resort pre-key (handed out when no one-time pre-key is left; never deleted).
 * X3DH then uses it as DH4 like a one-time key, after checking its signature.
 */
export async function generateLastResortPreKey(
  p: CryptoProvider,
  identity: DeviceIdentity,
  id: number,
): Promise<SignedPreKey> {
  const keyPair = await p.x25519Generate();
  const signature = await p.ed25519Sign(
    identity.signing.privateKey,
    lastResortPreKeyPayload(id, keyPair.publicKey),
  );
  return { id, keyPair, signature };
}

/** Throws `crypto.bad_signature` unless `preKey` is signed by `signingKey`. */
export async function verifySignedPreKey(
  p: CryptoProvider,
  signingKey: Uint8Array,
  preKey: PublicSignedPreKey,
): Promise<void> {
  const ok = await p.ed25519Verify(
    signingKey,
    signedPreKeyPayload(preKey.id, preKey.publicKey),
    checkBytes('signed pre-key signature', preKey.signature),
  );
  if (!ok) throw new MoltdmCryptoError('crypto.bad_signature', 'signed pre-key signature');
}

/** Throws `crypto.bad_signature` unless the last-resort `preKey` is signed by `signingKey`. */
export async function verifyLastResortPreKey(
  p: CryptoProvider,
  signingKey: Uint8Array,
  preKey: PublicSignedPreKey,
): Promise<void> {
  const ok = await p.ed25519Verify(
    signingKey,
    lastResortPreKeyPayload(preKey.id, preKey.publicKey),
    checkBytes('last-resort pre-key signature', preKey.signature),
  );
  if (!ok) throw new MoltdmCryptoError('crypto.bad_signature', 'last-resort pre-key signature');
}

/** `count` fresh one-time pre-keys with ids firstId, firstId + 1, … (all u32). */
export async function generateOneTimePreKeys(
  p: CryptoProvider,
  firstId: number,
  count: number,
): Promise<OneTimePreKey[]> {
  checkU32('first one-time pre-key id', firstId);
  if (!Number.isInteger(count) || count < 0 || count > 1000) {
    throw new MoltdmCryptoError('crypto.bad_argument', 'count must be 0..1000');
  }
  checkU32('last one-time pre-key id', firstId + Math.max(0, count - 1));
  const keys: OneTimePreKey[] = [];
  for (let i = 0; i < count; i++) keys.push({ id: firstId + i, keyPair: await p.x25519Generate() });
  return keys;
}

/** Wipes every private key of a device identity; the object is unusable afterwards. */
export function destroyDeviceIdentity(identity: DeviceIdentity): void {
  zeroize(identity.signing.privateKey, identity.identityKey.privateKey);
}
