import {
  deviceCertificatePayload,
  identityKeyPayload,
  lastResortPreKeyPayload,
  signedPreKeyPayload,
} from '../protocol/keyPayloads.ts';
import type { DeviceKeys, SignedKey } from '../store/relayStore.ts';
import { importEd25519PublicKey, verifyEd25519 } from './auth/verifyRequest.ts';

/** The first signature that fails, named by its field, or null when all verify. */
export function checkDeviceKeySignatures(
  signingKey: Uint8Array,
  keys: Pick<DeviceKeys, 'identityKey' | 'identityKeySignature'> & {
    readonly signedPreKey: SignedKey | null;
    readonly lastResortPreKey: SignedKey | null;
  },
): string | null {
  const key = importEd25519PublicKey(signingKey);
  if (!verifyEd25519(key, identityKeyPayload(keys.identityKey), keys.identityKeySignature)) {
    return 'identityKeySignature';
  }
  return checkPreKeySignatures(key, keys);
}

export function checkPreKeySignatures(
  key: ReturnType<typeof importEd25519PublicKey>,
  keys: { readonly signedPreKey: SignedKey | null; readonly lastResortPreKey: SignedKey | null },
): string | null {
  const spk = keys.signedPreKey;
  if (spk !== null && !verifyEd25519(key, signedPreKeyPayload(spk.id, spk.key), spk.signature)) {
    return 'signedPreKey.signature';
  }
  const lr = keys.lastResortPreKey;
  if (lr !== null && !verifyEd25519(key, lastResortPreKeyPayload(lr.id, lr.key), lr.signature)) {
    return 'lastResortPreKey.signature';
  }
  return null;
}

export function checkDeviceCertificate(input: {
  readonly ownerKey: Uint8Array;
  readonly moltbotId: string;
  readonly deviceId: string;
  readonly signingKey: Uint8Array;
  readonly identityKey: Uint8Array;
  readonly certificate: Uint8Array;
}): boolean {
  return verifyEd25519(
    importEd25519PublicKey(input.ownerKey),
    deviceCertificatePayload(input),
    input.certificate,
  );
}
