import { checkBytes } from './bytes.ts';
import { MoltdmCryptoError } from './errors.ts';
import { AES_KEY_LENGTH, AES_NONCE_LENGTH, HKDF_MAX_INFO, HKDF_MAX_LENGTH } from './provider.ts';

/** Argument checks both providers run before touching a primitive, so they fail identically. */

export function checkRandomLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0 || length > 65536) {
    throw new MoltdmCryptoError('crypto.bad_argument', 'random length must be 0..65536');
  }
}

export function checkHkdf(ikm: unknown, salt: unknown, info: unknown, length: number): void {
  checkBytes('ikm', ikm);
  checkBytes('salt', salt);
  const i = checkBytes('info', info);
  if (i.length > HKDF_MAX_INFO) {
    throw new MoltdmCryptoError('crypto.bad_argument', `hkdf info longer than ${HKDF_MAX_INFO}`);
  }
  if (!Number.isSafeInteger(length) || length < 1 || length > HKDF_MAX_LENGTH) {
    throw new MoltdmCryptoError('crypto.bad_argument', `hkdf length must be 1..${HKDF_MAX_LENGTH}`);
  }
}

export function checkAesGcm(key: unknown, nonce: unknown, data: unknown, ad: unknown): void {
  checkBytes('AES-256-GCM key', key, AES_KEY_LENGTH);
  checkBytes('AES-GCM nonce', nonce, AES_NONCE_LENGTH);
  checkBytes('AES-GCM data', data);
  checkBytes('AES-GCM associated data', ad);
}
