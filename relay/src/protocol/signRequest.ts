import { type KeyObject, randomBytes, sign } from 'node:crypto';
import { AUTH_HEADERS } from './authHeaders.ts';
import { canonicalRequest } from './canonicalRequest.ts';

export interface SignRequestInput {
  readonly id: string;
  readonly key: KeyObject;
  readonly method: string;
  readonly pathWithQuery: string;
  readonly body?: Uint8Array;
  readonly nowMs?: number;
}

/** The headers a client adds to an authenticated request (the client half of verifyRequest). */
export function signRequest(input: SignRequestInput): Record<string, string> {
  const timestamp = input.nowMs ?? Date.now();
  const nonce = randomBytes(18).toString('base64url');
  const message = canonicalRequest({
    method: input.method,
    pathWithQuery: input.pathWithQuery,
    timestamp,
    nonce,
    body: input.body ?? new Uint8Array(),
  });
  return {
    [AUTH_HEADERS.id]: input.id,
    [AUTH_HEADERS.timestamp]: String(timestamp),
    [AUTH_HEADERS.nonce]: nonce,
    [AUTH_HEADERS.signature]: sign(null, message, input.key).toString('base64'),
  };
}
