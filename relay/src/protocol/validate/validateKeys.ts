import { base64ToBytes } from '../base64.ts';
import { isAcceptableEd25519PublicKey } from '../ed25519Key.ts';
import { MAX_PREKEY_ID } from '../keyPayloads.ts';
import type { RelayLimits } from '../limits.ts';
import type {
  DeviceKeysWire,
  OneTimePreKeyWire,
  PreKeysUploadRequest,
  RegisterRequest,
  SignedPreKeyWire,
} from '../wireTypes.ts';
import {
  fail,
  failWith,
  readArray,
  readBase64,
  readInt,
  readObject,
  type Validation,
  validated,
} from './fields.ts';

type KeyLimits = Pick<RelayLimits, 'maxOneTimePreKeysPerUpload'>;

const KEY = { bytes: 32 } as const;
const SIG = { bytes: 64 } as const;

export function readSignedPreKey(v: unknown, field: string): SignedPreKeyWire {
  const o = readObject(v, field, ['id', 'key', 'signature']);
  return {
    id: readInt(o.id, `${field}.id`, 0, MAX_PREKEY_ID),
    key: readBase64(o.key, `${field}.key`, KEY),
    signature: readBase64(o.signature, `${field}.signature`, SIG),
  };
}

export function readOneTimePreKeys(
  v: unknown,
  field: string,
  limits: KeyLimits,
  min: number,
): OneTimePreKeyWire[] {
  const list = readArray(v, field, min, limits.maxOneTimePreKeysPerUpload).map((x, i) => {
    const o = readObject(x, `${field}[${i}]`, ['id', 'key']);
    return {
      id: readInt(o.id, `${field}[${i}].id`, 0, MAX_PREKEY_ID),
      key: readBase64(o.key, `${field}[${i}].key`, KEY),
    };
  });
  return list;
}

const DEVICE_KEY_FIELDS = [
  'identityKey',
  'identityKeySignature',
  'signedPreKey',
  'lastResortPreKey',
  'oneTimePreKeys',
] as const;

/** The key bundle of a device, read from an object whose keys the caller already checked. */
export function readDeviceKeys(
  o: Record<string, unknown>,
  field: string,
  limits: KeyLimits,
): DeviceKeysWire {
  const at = (k: string) => (field ? `${field}.${k}` : k);
  return {
    identityKey: readBase64(o.identityKey, at('identityKey'), KEY),
    identityKeySignature: readBase64(o.identityKeySignature, at('identityKeySignature'), SIG),
    signedPreKey: readSignedPreKey(o.signedPreKey, at('signedPreKey')),
    lastResortPreKey: readSignedPreKey(o.lastResortPreKey, at('lastResortPreKey')),
    oneTimePreKeys: readOneTimePreKeys(o.oneTimePreKeys, at('oneTimePreKeys'), limits, 0),
  };
}

/** Body of POST /identity/register (form only; the relay then checks every signature). */
export function validateRegisterRequest(
  v: unknown,
  limits: KeyLimits,
): Validation<RegisterRequest> {
  return validated(() => {
    const o = readObject(v, '', ['publicKey', 'device']);
    const publicKey = readSigningKey(o.publicKey, 'publicKey');
    const device = readDeviceKeys(
      readObject(o.device, 'device', DEVICE_KEY_FIELDS),
      'device',
      limits,
    );
    return { publicKey, device };
  });
}

export const DEVICE_KEYS_WITH_SIGNING_KEY = [...DEVICE_KEY_FIELDS, 'signingKey'] as const;

/** An Ed25519 signing key: 32 bytes, canonical, not of small order (see ed25519Key.ts). */
export function readSigningKey(v: unknown, field: string): string {
  const s = readBase64(v, field, KEY);
  if (!isAcceptableEd25519PublicKey(base64ToBytes(s))) {
    failWith('keys.weak_key', field, 'is a small-order or non-canonical Ed25519 key');
  }
  return s;
}

/** Body of POST /identity/:moltbotId/prekeys: at least one of the three fields. */
export function validatePreKeysUpload(
  v: unknown,
  limits: KeyLimits,
): Validation<PreKeysUploadRequest> {
  return validated(() => {
    const o = readObject(v, '', ['oneTimePreKeys', 'signedPreKey', 'lastResortPreKey']);
    if (
      o.oneTimePreKeys === undefined &&
      o.signedPreKey === undefined &&
      o.lastResortPreKey === undefined
    ) {
      fail('', 'needs oneTimePreKeys, signedPreKey or lastResortPreKey');
    }
    return {
      ...(o.oneTimePreKeys === undefined
        ? {}
        : { oneTimePreKeys: readOneTimePreKeys(o.oneTimePreKeys, 'oneTimePreKeys', limits, 1) }),
      ...(o.signedPreKey === undefined
        ? {}
        : { signedPreKey: readSignedPreKey(o.signedPreKey, 'signedPreKey') }),
      ...(o.lastResortPreKey === undefined
        ? {}
        : { lastResortPreKey: readSignedPreKey(o.lastResortPreKey, 'lastResortPreKey') }),
    };
  });
}
