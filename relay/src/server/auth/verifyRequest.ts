import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { AUTH_HEADERS, NONCE_PATTERN, TIMESTAMP_WINDOW_MS } from '../../protocol/authHeaders.ts';
import { canonicalRequestWithBodyHash } from '../../protocol/canonicalRequest.ts';
import { isMoltbotId } from '../../protocol/moltbotId.ts';

/** Remembers nonces until their timestamp leaves the window; `claim` is atomic. */
export interface NonceStore {
  /** Returns false when (id, nonce) was already claimed: the request is a replay. */
  claim(id: string, nonce: string, expiresAtMs: number): Promise<boolean>;
}

/** Verifies a signature for one known key (e.g. on a worker thread) instead of a KeyObject. */
export type SignatureCheck = (message: Uint8Array, signature: Uint8Array) => Promise<boolean>;

/** Looks up the Ed25519 signing key of a registered moltbot or device id. */
export type KeyLookup = (id: string) => Promise<KeyObject | SignatureCheck | null>;

export type AuthFailure = {
  readonly ok: false;
  readonly status: 400 | 401;
  readonly code:
    | 'auth.missing_header'
    | 'auth.malformed_header'
    | 'auth.expired'
    | 'auth.unknown_id'
    | 'auth.signature_invalid'
    | 'auth.replayed';
  readonly message: string;
};

export type AuthResult = { readonly ok: true; readonly id: string } | AuthFailure;

/** A request whose signature checked out but whose nonce is not claimed yet. */
export type SignedRequest =
  | {
      readonly ok: true;
      readonly id: string;
      readonly nonce: string;
      /** Until when the nonce must be remembered: timestamp + window. */
      readonly nonceExpiresAtMs: number;
    }
  | AuthFailure;

export interface IncomingRequest {
  readonly method: string;
  readonly pathWithQuery: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Uint8Array;
  /** Lowercase hex SHA-256 of `body` when the caller already has it. */
  readonly bodySha256Hex?: string;
}

function header(h: IncomingRequest['headers'], name: string): string | null {
  const v = h[name];
  return typeof v === 'string' ? v : null;
}

const fail = (status: 400 | 401, code: AuthFailure['code'], message: string): AuthFailure => ({
  ok: false,
  status,
  code,
  message,
});

/**
 * Steps 1-4 of request authentication, without touching any store but the key lookup:
 *  1. headers present and well-formed     → 400 auth.missing_header / auth.malformed_header
 *  2. timestamp inside the window          → 401 auth.expired
 *  3. id known                             → 401 auth.unknown_id
 *  4. signature over the canonical string  → 401 auth.signature_invalid
 * The relay then validates the body and only claims the nonce (step 5) for a request it will
 * act on, so malformed requests — even validly signed ones — write nothing.
 */
export async function checkRequestSignature(
  req: IncomingRequest,
  deps: { readonly keys: KeyLookup; readonly nowMs: () => number },
): Promise<SignedRequest> {
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
  if (Math.abs(deps.nowMs() - timestamp) > TIMESTAMP_WINDOW_MS) {
    return fail(401, 'auth.expired', 'timestamp is outside the allowed window; check the clock');
  }
  const key = await deps.keys(id);
  if (key === null) return fail(401, 'auth.unknown_id', 'unknown moltbot or device id');
  const message = canonicalRequestWithBodyHash({
    method: req.method,
    pathWithQuery: req.pathWithQuery,
    timestamp,
    nonce,
    bodySha256Hex: req.bodySha256Hex ?? createHash('sha256').update(req.body).digest('hex'),
  });
  const valid =
    typeof key === 'function'
      ? await key(message, signature)
      : verifyEd25519(key, message, signature);
  if (!valid) return fail(401, 'auth.signature_invalid', 'signature does not match the request');
  return { ok: true, id, nonce, nonceExpiresAtMs: timestamp + TIMESTAMP_WINDOW_MS };
}

/**
 * All five steps; step 5 claims the nonce last, so an attacker cannot burn nonces with bad
 * signatures → 401 auth.replayed.
 */
export async function verifyRequest(
  req: IncomingRequest,
  deps: { readonly keys: KeyLookup; readonly nonces: NonceStore; readonly nowMs: () => number },
): Promise<AuthResult> {
  const r = await checkRequestSignature(req, deps);
  if (!r.ok) return r;
  if (!(await deps.nonces.claim(r.id, r.nonce, r.nonceExpiresAtMs))) {
    return fail(401, 'auth.replayed', 'this nonce was already used');
  }
  return { ok: true, id: r.id };
}

/** Import a raw key once and cache the KeyObject (re-importing halves verification speed). */
export function importEd25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError('Ed25519 public key must be 32 bytes');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

/** Ed25519 verification that never throws (a malformed key or signature is just invalid). */
export function verifyEd25519(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
