import { base64DecodedLength } from '../base64.ts';
import { isMoltbotId } from '../moltbotId.ts';

/** Result of validating untrusted input: the typed value, or the first problem found. */
export type Validation<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly code: 'request.invalid_body' | 'request.bad_base64' | 'keys.weak_key';
      readonly message: string;
      /** Path of the offending field, e.g. `items[2].ciphertext`; empty for the whole body. */
      readonly field: string;
    };

/** Internal control flow of the field readers; never escapes `validated`. */
class InvalidField extends Error {
  readonly code: 'request.invalid_body' | 'request.bad_base64' | 'keys.weak_key';
  readonly field: string;
  constructor(code: InvalidField['code'], field: string, message: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

/** Runs a reader over untrusted input and turns its first complaint into a Validation. */
export function validated<T>(read: () => T): Validation<T> {
  try {
    return { ok: true, value: read() };
  } catch (err) {
    if (err instanceof InvalidField) {
      return { ok: false, code: err.code, message: err.message, field: err.field };
    }
    throw err;
  }
}

/** Refuses the input with a code other than request.invalid_body. */
export function failWith(code: InvalidField['code'], field: string, message: string): never {
  throw new InvalidField(code, field, `${field || 'body'}: ${message}`);
}

/** Refuses the input: `field` is the path shown to the client. */
export function fail(field: string, message: string): never {
  throw new InvalidField('request.invalid_body', field, `${field || 'body'}: ${message}`);
}

/** A plain JSON object holding only `allowed` keys (unknown keys are refused, not ignored). */
export function readObject(
  v: unknown,
  field: string,
  allowed: readonly string[],
): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, 'must be an object');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) fail(field ? `${field}.${k}` : k, 'unknown field');
  }
  return o;
}

export function readString(
  v: unknown,
  field: string,
  opts: { readonly min?: number; readonly max: number; readonly pattern?: RegExp },
): string {
  if (typeof v !== 'string') fail(field, 'must be a string');
  const min = opts.min ?? 1;
  if (v.length < min || v.length > opts.max) fail(field, `must be ${min}-${opts.max} characters`);
  if (opts.pattern !== undefined && !opts.pattern.test(v)) fail(field, 'has an invalid format');
  return v;
}

export function readInt(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    fail(field, `must be an integer in [${min}, ${max}]`);
  }
  return v;
}

/** 32 lowercase hex characters: moltbot, device and conversation ids. */
export function readId(v: unknown, field: string): string {
  if (!isMoltbotId(v)) fail(field, 'must be 32 lowercase hex characters');
  return v;
}

/** Canonical base64 whose decoded length is `bytes` exactly, or within [min, max]. */
export function readBase64(
  v: unknown,
  field: string,
  size: { readonly bytes: number } | { readonly min: number; readonly max: number },
): string {
  if (typeof v !== 'string') fail(field, 'must be a base64 string');
  // Cheap length bound before scanning, so a huge string is refused in O(1).
  const maxBytes = 'bytes' in size ? size.bytes : size.max;
  if (v.length > Math.ceil(maxBytes / 3) * 4)
    fail(field, `must decode to at most ${maxBytes} bytes`);
  const n = base64DecodedLength(v);
  if (n === null) {
    throw new InvalidField('request.bad_base64', field, `${field}: not canonical standard base64`);
  }
  if ('bytes' in size ? n !== size.bytes : n < size.min || n > size.max) {
    fail(
      field,
      'bytes' in size
        ? `must decode to ${size.bytes} bytes`
        : `must decode to ${size.min}-${size.max} bytes`,
    );
  }
  return v;
}

export function readArray(v: unknown, field: string, min: number, max: number): unknown[] {
  if (!Array.isArray(v)) fail(field, 'must be an array');
  if (v.length < min || v.length > max) fail(field, `must hold ${min}-${max} entries`);
  return v;
}

export function readIdList(v: unknown, field: string, min: number, max: number): string[] {
  const ids = readArray(v, field, min, max).map((x, i) => readId(x, `${field}[${i}]`));
  if (new Set(ids).size !== ids.length) fail(field, 'must not repeat an id');
  return ids;
}
