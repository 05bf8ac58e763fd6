import { AUTH_HEADERS } from './authHeaders.ts';
import { bytesToBase64 } from './base64.ts';
import { canonicalRequest } from './canonicalRequest.ts';

/**
 * Produces the 64-byte Ed25519 signature of `message` with the caller's device signing key.
 * Node: `(m) => crypto.sign(null, m, privateKey)`; browsers: WebCrypto `sign('Ed25519', …)` or
 * @noble/curves. The key never reaches this module.
 */
export type RequestSigner = (message: Uint8Array) => Uint8Array | Promise<Uint8Array>;

export interface SignRequestInput {
  /** The caller's device id (the moltbot id for the primary device). */
  readonly id: string;
  readonly sign: RequestSigner;
  readonly method: string;
  readonly pathWithQuery: string;
  readonly body?: Uint8Array;
  readonly nowMs?: number;
  /** Only for known-answer tests; a fresh random nonce otherwise. */
  readonly nonce?: string;
}

export type AuthHeaderValues = Record<(typeof AUTH_HEADERS)[keyof typeof AUTH_HEADERS], string>;

/** The headers a client adds to an authenticated request (the client half of verifyRequest). */
export async function signRequest(input: SignRequestInput): Promise<AuthHeaderValues> {
  const timestamp = input.nowMs ?? Date.now();
  const nonce = input.nonce ?? randomNonce();
  const message = canonicalRequest({
    method: input.method,
    pathWithQuery: input.pathWithQuery,
    timestamp,
    nonce,
    body: input.body ?? new Uint8Array(),
  });
  const signature = await input.sign(message);
  if (signature.length !== 64) throw new RangeError('an Ed25519 signature is 64 bytes');
  return {
    [AUTH_HEADERS.id]: input.id,
    [AUTH_HEADERS.timestamp]: String(timestamp),
    [AUTH_HEADERS.nonce]: nonce,
    [AUTH_HEADERS.signature]: bytesToBase64(signature),
  };
}

/** 18 random bytes in base64url: 24 characters of NONCE_PATTERN. */
function randomNonce(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(18));
  return bytesToBase64(bytes).replaceAll('+', '-').replaceAll('/', '_');
}
