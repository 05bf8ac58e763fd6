// Public entry of @moltbook/relay/protocol: what relay servers and clients share. Browser-safe:
// nothing here imports `node:` modules (hashing is @noble/hashes; signing is the caller's).
export { AUTH_HEADERS, NONCE_PATTERN, TIMESTAMP_WINDOW_MS } from './authHeaders.ts';
export {
  base64DecodedLength,
  base64ToBytes,
  bytesToBase64,
  isCanonicalBase64,
} from './base64.ts';
export {
  CANONICAL_PREFIX,
  canonicalRequest,
  canonicalRequestWithBodyHash,
  type RequestToSign,
} from './canonicalRequest.ts';
export { isAcceptableEd25519PublicKey } from './ed25519Key.ts';
export { ERROR_CODES, type ErrorBody, type ErrorCode, isErrorCode } from './errorCodes.ts';
export {
  type DeviceCertificateFields,
  deviceCertificatePayload,
  deviceFingerprint,
  identityKeyPayload,
  lastResortPreKeyPayload,
  MAX_PREKEY_ID,
  PAYLOAD_DOMAINS,
  signedPreKeyPayload,
} from './keyPayloads.ts';
export {
  CLIENT_MESSAGE_ID_PATTERN,
  DEFAULT_LIMITS,
  MESSAGE_TYPES,
  type MessageType,
  type RateLimits,
  type RateRule,
  type RelayLimits,
  type RelayLimitsOverride,
  resolveLimits,
} from './limits.ts';
export { isMoltbotId, moltbotIdFromPublicKey } from './moltbotId.ts';
export {
  isPairingToken,
  normalizePairingToken,
  PAIRING_TOKEN_ALPHABET,
  PAIRING_TOKEN_LENGTH,
  PAIRING_TTL_DEFAULT_SECONDS,
  PAIRING_TTL_MAX_SECONDS,
  PAIRING_TTL_MIN_SECONDS,
} from './pairingToken.ts';
export {
  type AuthHeaderValues,
  type RequestSigner,
  type SignRequestInput,
  signRequest,
} from './signRequest.ts';
export type { Validation } from './validate/fields.ts';
export {
  validateAddMembers,
  validateBlock,
  validateCreateConversation,
} from './validate/validateConversations.ts';
export { validatePreKeysUpload, validateRegisterRequest } from './validate/validateKeys.ts';
export { validateAck, validateSendMessage } from './validate/validateMessages.ts';
export {
  validatePairApprove,
  validatePairInit,
  validatePairReject,
  validatePairRequest,
} from './validate/validatePairing.ts';
export type * from './wireTypes.ts';
