import type { RelayLimits } from '../limits.ts';
import {
  normalizePairingToken,
  PAIRING_TTL_MAX_SECONDS,
  PAIRING_TTL_MIN_SECONDS,
} from '../pairingToken.ts';
import type {
  PairApproveRequest,
  PairInitRequest,
  PairRejectRequest,
  PairRequestRequest,
} from '../wireTypes.ts';
import {
  fail,
  readBase64,
  readInt,
  readObject,
  readString,
  type Validation,
  validated,
} from './fields.ts';
import { DEVICE_KEYS_WITH_SIGNING_KEY, readDeviceKeys, readSigningKey } from './validateKeys.ts';

/** Device names are shown to the owner: printable, no control or bidi-override characters. */
const DEVICE_NAME = /^[^\p{Cc}\p{Cf}\u2028\u2029]+$/u;

export function readPairingToken(v: unknown, field: string): string {
  const token = typeof v === 'string' ? normalizePairingToken(v) : null;
  if (token === null) fail(field, 'must be an 8-character pairing token');
  return token;
}

export function validatePairInit(v: unknown): Validation<PairInitRequest> {
  return validated(() => {
    const o = readObject(v, '', ['expiresInSeconds']);
    return o.expiresInSeconds === undefined
      ? {}
      : {
          expiresInSeconds: readInt(
            o.expiresInSeconds,
            'expiresInSeconds',
            PAIRING_TTL_MIN_SECONDS,
            PAIRING_TTL_MAX_SECONDS,
          ),
        };
  });
}

export function validatePairRequest(
  v: unknown,
  limits: Pick<RelayLimits, 'maxOneTimePreKeysPerUpload'>,
): Validation<PairRequestRequest> {
  return validated(() => {
    const o = readObject(v, '', ['token', 'name', 'device']);
    const token = readPairingToken(o.token, 'token');
    const name = readString(o.name, 'name', { max: 64, pattern: DEVICE_NAME });
    const d = readObject(o.device, 'device', DEVICE_KEYS_WITH_SIGNING_KEY);
    const device = {
      signingKey: readSigningKey(d.signingKey, 'device.signingKey'),
      ...readDeviceKeys(d, 'device', limits),
    };
    return { token, name, device };
  });
}

export function validatePairApprove(
  v: unknown,
  limits: Pick<RelayLimits, 'maxLinkBundleBytes'>,
): Validation<PairApproveRequest> {
  return validated(() => {
    const o = readObject(v, '', ['token', 'certificate', 'linkBundle']);
    return {
      token: readPairingToken(o.token, 'token'),
      certificate: readBase64(o.certificate, 'certificate', { bytes: 64 }),
      linkBundle: readBase64(o.linkBundle, 'linkBundle', {
        min: 1,
        max: limits.maxLinkBundleBytes,
      }),
    };
  });
}

export function validatePairReject(v: unknown): Validation<PairRejectRequest> {
  return validated(() => {
    const o = readObject(v, '', ['token']);
    return { token: readPairingToken(o.token, 'token') };
  });
}
