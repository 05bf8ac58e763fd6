import { MoltdmCryptoError } from './errors.ts';

/** Byte helpers shared by both providers and the protocol code: no `node:` imports here. */

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Compares without an early exit, so timing does not reveal where two secrets differ. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function isAllZero(a: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc |= a[i] as number;
  return acc === 0;
}

/** Overwrites secret bytes in place; pass every buffer that held a key once it is discarded. */
export function zeroize(...buffers: readonly (Uint8Array | null | undefined)[]): void {
  for (const b of buffers) b?.fill(0);
}

export function u32be(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

const utf8Encoder = new TextEncoder();
export function utf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

const HEX = '0123456789abcdef';
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    s += HEX[b >> 4] + (HEX[b & 15] as string);
  }
  return s;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new MoltdmCryptoError('crypto.bad_argument', 'hex string expected');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Edge check for every argument that must be a byte string of an exact length. */
export function checkBytes(name: string, value: unknown, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new MoltdmCryptoError('crypto.bad_argument', `${name} must be a Uint8Array`);
  }
  if (length !== undefined && value.length !== length) {
    throw new MoltdmCryptoError(
      'crypto.bad_argument',
      `${name} must be ${length} bytes, got ${value.length}`,
    );
  }
  return value;
}

/**
 * A private key that is all zero was discarded (zeroized) or never filled: refuse it instead of
 * computing with a known scalar.
 */
export function checkPrivateKey(name: string, value: unknown): Uint8Array {
  const key = checkBytes(name, value, 32);
  if (isAllZero(key)) {
    throw new MoltdmCryptoError('crypto.bad_argument', `${name} is all zero (discarded key?)`);
  }
  return key;
}

/** Edge check for counters and ids that travel as big-endian u32. */
export function checkU32(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new MoltdmCryptoError('crypto.bad_argument', `${name} must be an integer in 0..2^32-1`);
  }
  return value;
}
