import { deviceFingerprint } from '../protocol/keyPayloads.ts';
import type { Validation } from '../protocol/validate/fields.ts';
import type {
  DeviceBundleWire,
  DeviceKeysWire,
  DeviceWire,
  OneTimePreKeyWire,
  PreKeyWire,
  SignedPreKeyWire,
} from '../protocol/wireTypes.ts';
import type {
  DeviceKeys,
  DeviceRecord,
  OneTimeKey,
  PreKey,
  SignedKey,
} from '../store/relayStore.ts';
import { errorReply } from './http/reply.ts';
import type { Parsed } from './route.ts';

/** Validated base64 only (the protocol validators ran first). */
export const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
export const b64 = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

export const signedFromWire = (s: SignedPreKeyWire): SignedKey => ({
  id: s.id,
  key: unb64(s.key),
  signature: unb64(s.signature),
});
export const oneTimeFromWire = (o: OneTimePreKeyWire): OneTimeKey => ({
  id: o.id,
  key: unb64(o.key),
});

export function keysFromWire(w: DeviceKeysWire): DeviceKeys {
  return {
    identityKey: unb64(w.identityKey),
    identityKeySignature: unb64(w.identityKeySignature),
    signedPreKey: signedFromWire(w.signedPreKey),
    lastResortPreKey: signedFromWire(w.lastResortPreKey),
    oneTimePreKeys: w.oneTimePreKeys.map(oneTimeFromWire),
  };
}

const signedToWire = (s: SignedKey): SignedPreKeyWire => ({
  id: s.id,
  key: b64(s.key),
  signature: b64(s.signature),
});

function preKeyToWire(p: PreKey): PreKeyWire {
  return p.kind === 'one_time'
    ? { kind: 'one_time', id: p.id, key: b64(p.key) }
    : { kind: 'last_resort', id: p.id, key: b64(p.key), signature: b64(p.signature) };
}

export function bundleToWire(d: DeviceRecord, preKey: PreKey): DeviceBundleWire {
  return {
    deviceId: d.deviceId,
    kind: d.kind,
    signingKey: b64(d.signingKey),
    identityKey: b64(d.identityKey),
    identityKeySignature: b64(d.identityKeySignature),
    certificate: d.certificate === null ? null : b64(d.certificate),
    signedPreKey: signedToWire(d.signedPreKey),
    preKey: preKeyToWire(preKey),
  };
}

export function deviceToWire(d: DeviceRecord): DeviceWire {
  return {
    deviceId: d.deviceId,
    moltbotId: d.moltbotId,
    kind: d.kind,
    name: d.name,
    signingKey: b64(d.signingKey),
    identityKey: b64(d.identityKey),
    fingerprint: deviceFingerprint(d.signingKey, d.identityKey),
    certificate: d.certificate === null ? null : b64(d.certificate),
    createdAt: d.createdAt,
    revokedAt: d.revokedAt,
    oneTimePreKeyCount: d.oneTimePreKeyCount,
  };
}

/** Parses a JSON body; `request.malformed_json` when it is not JSON (or not UTF-8). */
export function parseJson(body: Uint8Array): Parsed<unknown> {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return {
      ok: false,
      reply: errorReply('request.malformed_json', 'body is not valid UTF-8 JSON'),
    };
  }
}

/** JSON body → protocol validator → Parsed. */
export function parseBody<T>(body: Uint8Array, validate: (v: unknown) => Validation<T>): Parsed<T> {
  const json = parseJson(body);
  if (!json.ok) return json;
  const v = validate(json.value);
  if (v.ok) return v;
  return { ok: false, reply: errorReply(v.code, v.message, { field: v.field }) };
}

/** Routes without a body accept none (an empty body, or `{}` from clients that always send one). */
export function noBody<T>(body: Uint8Array, value: T): Parsed<T> {
  if (body.length === 0) return { ok: true, value };
  const json = parseJson(body);
  if (!json.ok) return json;
  const v = json.value;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0) {
    return { ok: true, value };
  }
  return {
    ok: false,
    reply: errorReply('request.invalid_body', 'this route takes no body', { field: '' }),
  };
}

/**
 * Strict query parsing: only `allowed` names, each at most once; values are returned raw.
 */
export function readQuery(
  query: URLSearchParams,
  allowed: readonly string[],
): Parsed<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of query) {
    if (!allowed.includes(k) || Object.hasOwn(out, k)) {
      return {
        ok: false,
        reply: errorReply(
          'request.invalid_query',
          `unknown or repeated query parameter '${k.slice(0, 32)}'`,
        ),
      };
    }
    out[k] = v;
  }
  return { ok: true, value: out };
}

/** A decimal integer in [min, max] without sign, leading zeros or exponent. */
export function queryInt(
  raw: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): Parsed<number> {
  if (raw === undefined) return { ok: true, value: fallback };
  if (!/^(0|[1-9]\d{0,15})$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    return {
      ok: false,
      reply: errorReply('request.invalid_query', `${name} must be an integer in [${min}, ${max}]`),
    };
  }
  return { ok: true, value: Number(raw) };
}
