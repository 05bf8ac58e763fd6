/**
 * Strict standard base64 (RFC 4648 §4, with padding), without `node:` imports so browsers can use
 * it. "Strict" means one spelling per byte string: padding required, no whitespace, unused bits of
 * the last character zero. The relay refuses any other spelling (`request.bad_base64`), so a value
 * and its re-encoding are always equal and signatures over decoded bytes cannot be malleated.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Sextet of one character, or -1 for a character outside the alphabet. */
function sextet(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? (DECODE[c] as number) : -1;
}

/** Length in bytes of what `s` decodes to, or null when `s` is not canonical base64. */
export function base64DecodedLength(s: string): number | null {
  const n = s.length;
  if (n % 4 !== 0) return null;
  if (n === 0) return 0;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const body = n - pad;
  for (let i = 0; i < body; i++) if (sextet(s, i) < 0) return null;
  // The last data character carries 4 (one byte in the group) or 2 (two bytes) unused low bits.
  const last = sextet(s, body - 1);
  if (pad === 2 && (last & 0x0f) !== 0) return null;
  if (pad === 1 && (last & 0x03) !== 0) return null;
  return (n / 4) * 3 - pad;
}

export function isCanonicalBase64(s: string): boolean {
  return base64DecodedLength(s) !== null;
}

/** Decodes canonical base64; throws RangeError on anything else (validate first at the edge). */
export function base64ToBytes(s: string): Uint8Array {
  const len = base64DecodedLength(s);
  if (len === null) throw new RangeError('not canonical base64');
  const out = new Uint8Array(len);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const a = sextet(s, i);
    const b = sextet(s, i + 1);
    const c = s[i + 2] === '=' ? 0 : sextet(s, i + 2);
    const d = s[i + 3] === '=' ? 0 : sextet(s, i + 3);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    if (o < len) out[o++] = v >> 16;
    if (o < len) out[o++] = (v >> 8) & 0xff;
    if (o < len) out[o++] = v & 0xff;
  }
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += `${ALPHABET[v >> 18]}${ALPHABET[(v >> 12) & 63]}${ALPHABET[(v >> 6) & 63]}${ALPHABET[v & 63]}`;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = (bytes[i] as number) << 16;
    out += `${ALPHABET[v >> 18]}${ALPHABET[(v >> 12) & 63]}==`;
  } else if (rest === 2) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += `${ALPHABET[v >> 18]}${ALPHABET[(v >> 12) & 63]}${ALPHABET[(v >> 6) & 63]}=`;
  }
  return out;
}
