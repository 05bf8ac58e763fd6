import { concatBytes, equalBytes, zeroize } from './bytes.ts';
import { MoltdmCryptoError } from './errors.ts';
import {
  type DeviceIdentity,
  type PreKeyBundle,
  type PublicDeviceIdentity,
  publicIdentity,
  type SignedPreKey,
  verifyLastResortPreKey,
  verifyPublicIdentity,
  verifySignedPreKey,
} from './identity.ts';
import { kdfX3dh } from './kdf.ts';
import type { CryptoProvider, KeyPair } from './provider.ts';
import type { PreKeyMessageFields } from './wire.ts';

/**
 * X3DH (Signal, "The X3DH Key Agreement Protocol", §3) with the initiator's and responder's
 * X25519 identity keys each bound to their Ed25519 signing key.
 */

export interface X3dhResult {
  /** SK, 32 bytes: the Double Ratchet's first root key. */
  readonly sharedSecret: Uint8Array;
  /** AD = initiator (signingKey || identityKey) || responder (signingKey || identityKey). */
  readonly associatedData: Uint8Array;
}

export interface X3dhInitiation extends X3dhResult {
  /** What the initial message must carry so the responder can repeat the computation. */
  readonly header: PreKeyMessageFields;
}

/** AD (X3DH §3.3), fixed order: initiator first; each party signing key then X25519 key. */
export function x3dhAssociatedData(
  initiator: PublicDeviceIdentity,
  responder: PublicDeviceIdentity,
): Uint8Array {
  return concatBytes(
    initiator.signingKey,
    initiator.identityKey,
    responder.signingKey,
    responder.identityKey,
  );
}

/**
 * Initiator side (§3.3): verifies the bundle (identity key, signed pre-key and last-resort
 * pre-key signatures → `crypto.bad_signature`), then DH1 = DH(IK_A, SPK_B), DH2 = DH(EK_A, IK_B),
 * DH3 = DH(EK_A, SPK_B), and DH4 = DH(EK_A, OPK_B) with the one-time pre-key if the bundle has
 * one, else with the last-resort pre-key if it has that, else no DH4.
 * The ephemeral private key and every DH output are wiped before returning.
 */
export async function x3dhInitiate(
  p: CryptoProvider,
  identity: DeviceIdentity,
  bundle: PreKeyBundle,
): Promise<X3dhInitiation> {
  await verifyPublicIdentity(p, bundle.identity);
  await verifySignedPreKey(p, bundle.identity.signingKey, bundle.signedPreKey);
  const lastResort = bundle.oneTimePreKey === undefined ? bundle.lastResortPreKey : undefined;
  if (lastResort !== undefined) {
    await verifyLastResortPreKey(p, bundle.identity.signingKey, lastResort);
  }
  const fourth = bundle.oneTimePreKey ?? lastResort;
  const ephemeral = await p.x25519Generate();
  const dh: Uint8Array[] = [];
  try {
    dh.push(await p.x25519(identity.identityKey.privateKey, bundle.signedPreKey.publicKey));
    dh.push(await p.x25519(ephemeral.privateKey, bundle.identity.identityKey));
    dh.push(await p.x25519(ephemeral.privateKey, bundle.signedPreKey.publicKey));
    if (fourth !== undefined) dh.push(await p.x25519(ephemeral.privateKey, fourth.publicKey));
    const sharedSecret = await kdfX3dh(p, dh);
    const self = publicIdentity(identity);
    return {
      sharedSecret,
      associatedData: x3dhAssociatedData(self, bundle.identity),
      header: {
        initiator: self,
        baseKey: ephemeral.publicKey,
        signedPreKeyId: bundle.signedPreKey.id,
        ...(bundle.oneTimePreKey === undefined ? {} : { oneTimePreKeyId: bundle.oneTimePreKey.id }),
        ...(lastResort === undefined ? {} : { lastResortPreKeyId: lastResort.id }),
      },
    };
  } finally {
    zeroize(ephemeral.privateKey, ...dh);
  }
}

export interface X3dhRespondInput {
  readonly identity: DeviceIdentity;
  readonly header: PreKeyMessageFields;
  /** The signed pre-key the header names (the caller looked it up by id). */
  readonly signedPreKey: SignedPreKey;
  /** The pre-key the header names for DH4 (one-time or last-resort), when it names one. */
  readonly fourthPreKey?: KeyPair;
}

/**
 * Responder side: checks the initiator's identity-key signature, then repeats the DHs from its
 * own private keys. Deleting a one-time pre-key is the caller's job once the first message
 * decrypts (acceptSession does it), so a corrupted initial message does not burn the key; a
 * last-resort pre-key is never deleted.
 */
export async function x3dhRespond(p: CryptoProvider, input: X3dhRespondInput): Promise<X3dhResult> {
  const { identity, header, signedPreKey, fourthPreKey } = input;
  if (header.signedPreKeyId !== signedPreKey.id) {
    throw new MoltdmCryptoError('crypto.unknown_prekey', 'signed pre-key id mismatch');
  }
  const namesFourth =
    header.oneTimePreKeyId !== undefined || header.lastResortPreKeyId !== undefined;
  if (namesFourth !== (fourthPreKey !== undefined)) {
    throw new MoltdmCryptoError('crypto.unknown_prekey', 'DH4 pre-key missing or unexpected');
  }
  await verifyPublicIdentity(p, header.initiator);
  if (equalBytes(header.initiator.signingKey, identity.signing.publicKey)) {
    throw new MoltdmCryptoError('crypto.bad_argument', 'a device cannot open a session to itself');
  }
  const dh: Uint8Array[] = [];
  try {
    dh.push(await p.x25519(signedPreKey.keyPair.privateKey, header.initiator.identityKey));
    dh.push(await p.x25519(identity.identityKey.privateKey, header.baseKey));
    dh.push(await p.x25519(signedPreKey.keyPair.privateKey, header.baseKey));
    if (fourthPreKey !== undefined)
      dh.push(await p.x25519(fourthPreKey.privateKey, header.baseKey));
    return {
      sharedSecret: await kdfX3dh(p, dh),
      associatedData: x3dhAssociatedData(header.initiator, publicIdentity(identity)),
    };
  } finally {
    zeroize(...dh);
  }
}
