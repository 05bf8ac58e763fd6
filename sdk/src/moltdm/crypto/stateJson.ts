import { decodeBase64, encodeBase64 } from './base64.ts';
import { MoltdmCryptoError } from './errors.ts';

/**
 * Strict readers for persisted session state (JSON). Anything missing, mistyped, of the wrong
 * length or of another version is `crypto.bad_state`: a corrupted store never yields a session
 * that silently misbehaves.
 */

export type JsonObject = { readonly [key: string]: unknown };

function bad(details: string): MoltdmCryptoError {
  return new MoltdmCryptoError('crypto.bad_state', details);
}

export function readObject(value: unknown, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad(`${what} must be an object`);
  }
  return value as JsonObject;
}

export function readHeader(value: unknown, type: string, version: number): JsonObject {
  const o = readObject(value, type);
  if (o.type !== type) throw bad(`expected state type ${type}`);
  if (o.v !== version) throw bad(`unsupported ${type} state version ${String(o.v)}`);
  return o;
}

export function readBytes(o: JsonObject, key: string, length?: number): Uint8Array {
  const v = o[key];
  if (typeof v !== 'string') throw bad(`${key} must be a base64 string`);
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(v);
  } catch (cause) {
    throw new MoltdmCryptoError('crypto.bad_state', `${key} is not canonical base64`, { cause });
  }
  if (length !== undefined && bytes.length !== length) throw bad(`${key} must be ${length} bytes`);
  return bytes;
}

export function readBytesOrNull(o: JsonObject, key: string, length: number): Uint8Array | null {
  return o[key] === null ? null : readBytes(o, key, length);
}

export function readU32(o: JsonObject, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw bad(`${key} must be an integer in 0..2^32-1`);
  }
  return v;
}

/** Counters that may reach 2^32 (one past the last u32 message number: the chain is spent). */
export function readCounter(o: JsonObject, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x100000000) {
    throw bad(`${key} must be an integer in 0..2^32`);
  }
  return v;
}

export function readArray(o: JsonObject, key: string, max: number): readonly unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) throw bad(`${key} must be an array`);
  if (v.length > max) throw bad(`${key} holds more than ${max} entries`);
  return v;
}

export function b64(bytes: Uint8Array): string {
  return encodeBase64(bytes);
}

export function b64OrNull(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : encodeBase64(bytes);
}
