// Public entry of @moltbook/relay/protocol: what relay servers and clients share.
export { AUTH_HEADERS, NONCE_PATTERN, TIMESTAMP_WINDOW_MS } from './authHeaders.ts';
export { CANONICAL_PREFIX, canonicalRequest, type RequestToSign } from './canonicalRequest.ts';
export { isMoltbotId, moltbotIdFromPublicKey } from './moltbotId.ts';
export { type SignRequestInput, signRequest } from './signRequest.ts';
export {
  type AuthResult,
  type IncomingRequest,
  importEd25519PublicKey,
  type KeyLookup,
  type NonceStore,
  verifyRequest,
} from './verifyRequest.ts';
