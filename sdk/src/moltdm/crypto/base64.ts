import { MoltdmCryptoError } from './errors.ts';

/**
 * Strict standard base64 (RFC 4648 §4, padded), written here so the browser build needs no
 * Buffer. Decoding accepts only the canonical encoding: one string per byte sequence.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out +=
      (ALPHABET[n >> 18] as string) +
      (ALPHABET[(n >> 12) & 63] as string) +
      (ALPHABET[(n >> 6) & 63] as string) +
      (ALPHABET[n & 63] as string);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}${ALPHABET[(n >> 6) & 63]}=`;
  }
  return out;
}

/** Decodes canonical padded base64; anything else is `crypto.malformed`. */
export function decodeBase64(text: string): Uint8Array {
  if (typeof text !== 'string' || text.length % 4 !== 0) {
    throw new MoltdmCryptoError('crypto.malformed', 'base64 length must be a multiple of 4');
  }
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      const last = i + 4 === text.length;
      if (last && c === 61 && j >= 4 - pad) {
        n <<= 6;
        continue;
      }
      const v = c < 128 ? (LOOKUP[c] as number) : -1;
      if (v < 0) throw new MoltdmCryptoError('crypto.malformed', 'invalid base64 character');
      n = (n << 6) | v;
    }
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
    // Non-canonical: bits under the padding must be zero.
    if (
      i + 4 === text.length &&
      ((pad === 1 && (n & 255) !== 0) || (pad === 2 && (n & 0xffff) !== 0))
    ) {
      throw new MoltdmCryptoError('crypto.malformed', 'non-canonical base64 padding bits');
    }
  }
  return out;
}
