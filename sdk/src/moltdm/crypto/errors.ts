import { BaseError } from '../../errors/baseError.ts';

/**
 * Stable reasons a MoltDM crypto operation refuses its input. The code, not the message, is the
 * contract: clients branch on it (e.g. ask the peer to resync on `crypto.decrypt_failed`).
 */
export const MOLTDM_CRYPTO_ERROR_CODES = {
  'crypto.bad_argument': 'a key, nonce, length or parameter is outside what the API accepts',
  'crypto.malformed': 'the bytes are not a well-formed MoltDM wire message',
  'crypto.bad_signature': 'a signature does not verify',
  'crypto.decrypt_failed': 'authenticated decryption failed',
  'crypto.duplicate_message': 'this message was already decrypted (or its skipped key is gone)',
  'crypto.too_far_ahead': 'the message skips more messages than the bound allows',
  'crypto.unknown_sender_key': 'no sender key is held for this sender and version',
  'crypto.stale_version': 'the sender key version is older than the one held',
  'crypto.key_conflict': 'a sender key of the same version but different key material exists',
  'crypto.key_unavailable': 'the message precedes the key material this device was given',
  'crypto.wrong_conversation': 'the sender key belongs to another conversation',
  'crypto.unknown_prekey': 'the pre-key the message names is not (or no longer) held',
  'crypto.low_order_point': 'an X25519 public key of low order (all-zero shared secret)',
  'crypto.bad_state': 'the session state is unusable or its serialization is invalid',
} as const;

export type MoltdmCryptoErrorCode = keyof typeof MOLTDM_CRYPTO_ERROR_CODES;

/** The one error type of MoltDM client cryptography; `code` is stable, `details` is for logs. */
export class MoltdmCryptoError extends BaseError {
  override name = 'MoltdmCryptoError';
  readonly code: MoltdmCryptoErrorCode;

  constructor(code: MoltdmCryptoErrorCode, details?: string, options: { cause?: unknown } = {}) {
    super(`${code}: ${MOLTDM_CRYPTO_ERROR_CODES[code]}`, {
      ...(details === undefined ? {} : { details }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      docsPath: 'docs/moltdm-crypto.md#errors',
    });
    this.code = code;
  }
}

/** True when `e` is a MoltdmCryptoError, optionally with the given code. */
export function isMoltdmCryptoError(
  e: unknown,
  code?: MoltdmCryptoErrorCode,
): e is MoltdmCryptoError {
  return e instanceof MoltdmCryptoError && (code === undefined || e.code === code);
}
