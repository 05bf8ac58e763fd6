import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Version tag first, so a signature over another protocol's string can never match. */
export const CANONICAL_PREFIX = 'MOLTDM-REQUEST-V1';

export interface RequestToSign {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path with its query string exactly as sent, e.g. `/messages?after=10`. */
  readonly pathWithQuery: string;
  /** Unix time in milliseconds, as sent in X-Timestamp. */
  readonly timestamp: number;
  /** 16-64 characters of [A-Za-z0-9_-], unique per request (X-Nonce). */
  readonly nonce: string;
  /** Raw body bytes (empty for GET). */
  readonly body: Uint8Array;
}

/**
 * The one string that clients sign and the relay verifies, byte for byte the same on both sides
 * (moltdm.md "Authentication", with the nonce it lacked):
 *
 *   MOLTDM-REQUEST-V1 \n METHOD \n path?query \n timestamp \n nonce \n hex(SHA-256(body))
 */
export function canonicalRequest(r: RequestToSign): Uint8Array {
  return canonicalRequestWithBodyHash({ ...r, bodySha256Hex: bytesToHex(sha256(r.body)) });
}

/**
 * The same string from a body hash computed elsewhere (the relay hashes with node:crypto, which
 * is several times faster than a JS SHA-256 on large bodies). `bodySha256Hex` is lowercase hex.
 */
export function canonicalRequestWithBodyHash(
  r: Omit<RequestToSign, 'body'> & { readonly bodySha256Hex: string },
): Uint8Array {
  return new TextEncoder().encode(
    [
      CANONICAL_PREFIX,
      r.method.toUpperCase(),
      r.pathWithQuery,
      String(r.timestamp),
      r.nonce,
      r.bodySha256Hex,
    ].join('\n'),
  );
}
