/**
 * Every error the relay answers with: a stable dotted code and its HTTP status. The body is
 * always `{ "error": { "code", "message", …details } }` (docs/moltdm.md "Errors"). Codes never
 * change meaning; new ones may be added.
 */
export const ERROR_CODES = {
  // Transport and shape of the request
  'request.not_found': 404,
  'request.method_not_allowed': 405,
  'request.body_too_large': 413,
  'request.malformed_json': 400,
  'request.invalid_body': 400,
  'request.bad_base64': 400,
  'request.invalid_query': 400,
  'request.invalid_path': 400,
  'request.unsupported_media_type': 415,
  // Authentication (docs/moltdm.md "Verification steps")
  'auth.missing_header': 400,
  'auth.malformed_header': 400,
  'auth.expired': 401,
  'auth.unknown_id': 401,
  'auth.signature_invalid': 401,
  'auth.replayed': 401,
  'auth.device_revoked': 403,
  'auth.forbidden': 403,
  // Identities and keys
  'identity.already_registered': 409,
  'identity.id_mismatch': 400,
  'identity.not_found': 404,
  'keys.signature_invalid': 400,
  'keys.weak_key': 400,
  'keys.duplicate_prekey_id': 409,
  'keys.pool_full': 409,
  // Pairing
  'pair.token_not_found': 404,
  'pair.token_expired': 410,
  'pair.token_used': 409,
  'pair.not_submitted': 409,
  'pair.device_exists': 409,
  'pair.certificate_invalid': 400,
  // Devices
  'device.not_found': 404,
  'device.cannot_revoke_primary': 400,
  // Conversations
  'conversation.not_found': 404,
  'conversation.not_admin': 403,
  'conversation.not_member': 404,
  'conversation.already_member': 409,
  'conversation.too_many_members': 400,
  'conversation.add_refused': 403,
  // Messages
  'message.recipient_unknown': 404,
  'message.recipient_revoked': 409,
  'message.recipient_not_member': 403,
  'message.recipient_is_sender': 400,
  'message.duplicate_recipient': 400,
  'message.client_id_conflict': 409,
  'message.expiry_invalid': 400,
  'message.not_found': 404,
  // Attachments
  'attachment.not_found': 404,
  // Limits and the server itself
  rate_limited: 429,
  'server.shutting_down': 503,
  internal: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    /** Present on some codes: the offending field path (`items[3].ciphertext`). */
    readonly field?: string;
    /** Present on recipient errors: the device ids at fault. */
    readonly deviceIds?: readonly string[];
    /** Present on membership errors: the moltbot ids at fault. */
    readonly moltbotIds?: readonly string[];
    /** Present on `rate_limited`: which limit (`sender`, `pair`, `pairing_guess`, …). */
    readonly limit?: string;
    /** Present on `rate_limited`: also sent as the Retry-After header (whole seconds). */
    readonly retryAfterSeconds?: number;
  };
}

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && Object.hasOwn(ERROR_CODES, v);
}
