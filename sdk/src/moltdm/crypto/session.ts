import { zeroize } from './bytes.ts';
import { DoubleRatchet } from './doubleRatchet.ts';
import { MoltdmCryptoError } from './errors.ts';
import type {
  DeviceIdentity,
  PreKeyBundle,
  PublicDeviceIdentity,
  SignedPreKey,
} from './identity.ts';
import type { CryptoProvider, KeyPair } from './provider.ts';
import { decodePreKeyMessage } from './wire.ts';
import { x3dhInitiate, x3dhRespond } from './x3dh.ts';

/** Where a responder keeps its pre-keys (the messaging client's persistent store). */
export interface PreKeyStore {
  signedPreKey(id: number): Promise<SignedPreKey | undefined>;
  oneTimePreKey(id: number): Promise<KeyPair | undefined>;
  /** Deletes the one-time pre-key for good; called once the first message has decrypted. */
  removeOneTimePreKey(id: number): Promise<void>;
  /** The last-resort pre-key by id (kept after use); optional if none was ever published. */
  lastResortPreKey?(id: number): Promise<SignedPreKey | undefined>;
}

/**
 * Opens a session to a device from its pre-key bundle: X3DH (verifying the bundle's signatures)
 * then the initiator's Double Ratchet. The first encrypt() yields the initial pre-key message.
 */
export async function initiateSession(
  p: CryptoProvider,
  identity: DeviceIdentity,
  bundle: PreKeyBundle,
): Promise<DoubleRatchet> {
  const x = await x3dhInitiate(p, identity, bundle);
  try {
    return await DoubleRatchet.initiate(p, {
      sharedSecret: x.sharedSecret,
      associatedData: x.associatedData,
      remoteSignedPreKey: bundle.signedPreKey.publicKey,
      preKeyHeader: x.header,
    });
  } finally {
    zeroize(x.sharedSecret);
  }
}

export interface AcceptedSession {
  readonly session: DoubleRatchet;
  readonly plaintext: Uint8Array;
  /** The initiator's device identity, its X25519 key verified against its signing key. */
  readonly initiator: PublicDeviceIdentity;
  readonly baseKey: Uint8Array;
}

/**
 * Responder side of the first message: looks up the named pre-keys (`crypto.unknown_prekey` if
 * gone), runs X3DH, decrypts the embedded first message, and only then deletes and wipes the
 * one-time pre-key. A replay of the same initial message therefore finds its one-time pre-key
 * gone; without one, the client must route pre-key messages by base key to the existing session.
 */
export async function acceptSession(
  p: CryptoProvider,
  identity: DeviceIdentity,
  preKeys: PreKeyStore,
  message: Uint8Array,
): Promise<AcceptedSession> {
  const pre = decodePreKeyMessage(message);
  const signedPreKey = await preKeys.signedPreKey(pre.signedPreKeyId);
  if (signedPreKey === undefined) {
    throw new MoltdmCryptoError('crypto.unknown_prekey', `signed pre-key ${pre.signedPreKeyId}`);
  }
  let oneTimePreKey: KeyPair | undefined;
  let fourthPreKey: KeyPair | undefined;
  if (pre.oneTimePreKeyId !== undefined) {
    oneTimePreKey = await preKeys.oneTimePreKey(pre.oneTimePreKeyId);
    if (oneTimePreKey === undefined) {
      throw new MoltdmCryptoError(
        'crypto.unknown_prekey',
        `one-time pre-key ${pre.oneTimePreKeyId}`,
      );
    }
    fourthPreKey = oneTimePreKey;
  } else if (pre.lastResortPreKeyId !== undefined) {
    fourthPreKey = (await preKeys.lastResortPreKey?.(pre.lastResortPreKeyId))?.keyPair;
    if (fourthPreKey === undefined) {
      throw new MoltdmCryptoError(
        'crypto.unknown_prekey',
        `last-resort pre-key ${pre.lastResortPreKeyId}`,
      );
    }
  }
  const x = await x3dhRespond(p, {
    identity,
    header: pre,
    signedPreKey,
    ...(fourthPreKey === undefined ? {} : { fourthPreKey }),
  });
  let session: DoubleRatchet;
  try {
    session = await DoubleRatchet.respond(p, {
      sharedSecret: x.sharedSecret,
      associatedData: x.associatedData,
      signedPreKey: signedPreKey.keyPair,
      baseKey: pre.baseKey,
    });
  } finally {
    zeroize(x.sharedSecret);
  }
  let plaintext: Uint8Array;
  try {
    plaintext = await session.decrypt(message);
  } catch (e) {
    session.destroy();
    throw e;
  }
  if (pre.oneTimePreKeyId !== undefined && oneTimePreKey !== undefined) {
    try {
      await preKeys.removeOneTimePreKey(pre.oneTimePreKeyId);
    } catch (e) {
      // Not deleted, so not accepted: the session must not outlive its one-time pre-key's use.
      session.destroy();
      zeroize(plaintext);
      throw e;
    }
    zeroize(oneTimePreKey.privateKey);
  }
  return { session, plaintext, initiator: pre.initiator, baseKey: pre.baseKey };
}
