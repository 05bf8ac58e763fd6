import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { AUTH_HEADERS, NONCE_PATTERN, TIMESTAMP_WINDOW_MS } from './authHeaders.ts';
import { canonicalRequest } from './canonicalRequest.ts';
import { isMoltbotId } from './moltbotId.ts';

/** Remembers nonces until their timestamp leaves the window; `claim` is atomic. */
export interface NonceStore {
  /** Returns false when (id, nonce) was already claimed: the request is a replay. */
  claim(id: string, nonce: string, expiresAtMs: number): Promise<boolean>;
}

/** Looks up the identity key of a registered moltbot or device id. */
export type KeyLookup = (id: string) => Promise<KeyObject | null>;

export type AuthResult =
  | { readonly ok: true; readonly id: string }
  | {
      readonly ok: false;
      readonly status: 400 | 401;
      readonly code: string;
      readonly message: string;
    };

export interface IncomingRequest {
  readonly method: string;
  readonly pathWithQuery: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Uint8Array;
}

function header(h: IncomingRequest['headers'], name: string): string | null {
  const v = h[name];
  return typeof v === 'string' ? v : null;
}

const fail = (status: 400 | 401, code: string, message: string): AuthResult => ({
  ok: false,
  status,
  code,
  message,
});

/**
 * Authenticates a request in numbered steps; the first failing step answers, with a stable code.
 *  1. headers present and well-formed     → 400 auth.missing_header / auth.malformed_header
 *  2. timestamp inside the window          → 401 auth.expired
 *  3. id known                             → 401 auth.unknown_id
 *  4. signature over the canonical string  → 401 auth.signature_invalid
 *  5. nonce never seen (claimed last, so an attacker cannot burn nonces with bad signatures)
 *                                          → 401 auth.replayed
 */
export async function verifyRequest(
  req: IncomingRequest,
  deps: { readonly keys: KeyLookup; readonly nonces: NonceStore; readonly nowMs: () => number },
): Promise<AuthResult> {
  const id = header(req.headers, AUTH_HEADERS.id);
  const ts = header(req.headers, AUTH_HEADERS.timestamp);
  const nonce = header(req.headers, AUTH_HEADERS.nonce);
  const sig = header(req.headers, AUTH_HEADERS.signature);
  if (id === null || ts === null || nonce === null || sig === null) {
    return fail(
      400,
      'auth.missing_header',
      `requests need ${Object.values(AUTH_HEADERS).join(', ')}`,
    );
  }
  if (!isMoltbotId(id))
    return fail(400, 'auth.malformed_header', `${AUTH_HEADERS.id} must be 32 hex characters`);
  if (!/^(0|[1-9]\d{0,15})$/.test(ts))
    return fail(
      400,
      'auth.malformed_header',
      `${AUTH_HEADERS.timestamp} must be unix milliseconds`,
    );
  if (!NONCE_PATTERN.test(nonce))
    return fail(
      400,
      'auth.malformed_header',
      `${AUTH_HEADERS.nonce} must be 16-64 of [A-Za-z0-9_-]`,
    );
  const signature = Buffer.from(sig, 'base64');
  if (signature.length !== 64 || signature.toString('base64') !== sig) {
    return fail(
      400,
      'auth.malformed_header',
      `${AUTH_HEADERS.signature} must be a base64 Ed25519 signature`,
    );
  }
  const timestamp = Number(ts);
  const now = deps.nowMs();
  if (Math.abs(now - timestamp) > TIMESTAMP_WINDOW_MS) {
    return fail(401, 'auth.expired', 'timestamp is outside the allowed window; check the clock');
  }
  const key = await deps.keys(id);
  if (key === null) return fail(401, 'auth.unknown_id', 'unknown moltbot or device id');
  const message = canonicalRequest({
    method: req.method,
    pathWithQuery: req.pathWithQuery,
    timestamp,
    nonce,
    body: req.body,
  });
  let valid = false;
  try {
    valid = verify(null, message, key, signature);
  } catch {
    valid = false;
  }
  if (!valid) return fail(401, 'auth.signature_invalid', 'signature does not match the request');
  if (!(await deps.nonces.claim(id, nonce, timestamp + TIMESTAMP_WINDOW_MS))) {
    return fail(401, 'auth.replayed', 'this nonce was already used');
  }
  return { ok: true, id };
}

/** Re-exported for callers that hold a raw key: import it once and cache the KeyObject. */
export function importEd25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError('Ed25519 public key must be 32 bytes');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}
