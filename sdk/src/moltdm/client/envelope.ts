import { MoltdmClientError } from './clientError.ts';

/**
 * What travels inside every encrypted item (Double Ratchet or sender-key plaintext): UTF-8 JSON
 * with a version, a type `t`, the conversation `cid` (checked against the relay's routing field,
 * so the relay cannot move a message between conversations), a random message id `mid` (the id
 * every device and reaction uses; also the relay's clientMessageId) and the sender's clock `ts`.
 */

export interface AttachmentRef {
  /** Relay attachment id. */
  readonly id: string;
  /** AES-256-GCM key, base64. */
  readonly key: string;
  /** SHA-256 of the uploaded ciphertext, base64: checked before decrypting. */
  readonly sha256: string;
  /** Plaintext size in bytes. */
  readonly size: number;
  readonly name?: string;
  readonly type?: string;
}

/** How a linked device proves it belongs to its moltbot, sent with its pre-key messages. */
export interface DeviceProof {
  /** The moltbot's Ed25519 identity key (base64): hashes to the moltbot id. */
  readonly owner: string;
  /** The owner's signature over deviceCertificatePayload (base64). */
  readonly cert: string;
}

export type ConversationKind = 'direct' | 'group';

interface Base {
  readonly v: 1;
  readonly cid: string;
  readonly mid: string;
  readonly ts: number;
  readonly dev?: DeviceProof;
}

export type Envelope =
  | (Base & {
      readonly t: 'msg';
      readonly ck: ConversationKind;
      readonly text?: string;
      readonly att?: readonly AttachmentRef[];
      readonly re?: string;
      readonly title?: string;
    })
  | (Base & {
      readonly t: 'reaction';
      readonly ck: ConversationKind;
      readonly target: string;
      readonly emoji: string;
      readonly remove?: boolean;
    })
  | (Base & { readonly t: 'receipt'; readonly targets: readonly string[] })
  /** A sender-key distribution (base64), only ever inside a pairwise session. */
  | (Base & { readonly t: 'skd'; readonly dist: string; readonly title?: string })
  /** "Send me your current sender key for cid" (after crypto.unknown_sender_key). */
  | (Base & { readonly t: 'key_request' })
  /** "I could not decrypt your message; this new session replaces the old one." */
  | (Base & { readonly t: 'resync'; readonly reason: string })
  /** Between one's own devices: a message request was accepted or declined elsewhere. */
  | (Base & { readonly t: 'sync'; readonly consent: 'accepted' | 'declined' });

export type EnvelopeType = Envelope['t'];

/** Envelopes larger than this are refused before encryption (the relay's item limit is 64 KiB). */
export const MAX_ENVELOPE_BYTES = 60_000;
const MAX_TEXT = 50_000;
const MAX_ID = 64;
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const B64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

export function encodeEnvelope(e: Envelope): Uint8Array {
  const bytes = new TextEncoder().encode(JSON.stringify(e));
  if (bytes.length > MAX_ENVELOPE_BYTES) {
    throw new MoltdmClientError('client.too_large', `envelope of ${bytes.length} bytes`);
  }
  return bytes;
}

function bad(why: string): never {
  throw new MoltdmClientError('client.bad_envelope', why);
}

function str(o: Record<string, unknown>, k: string, max: number, re?: RegExp): string {
  const v = o[k];
  if (typeof v !== 'string' || v.length > max || (re !== undefined && !re.test(v))) bad(k);
  return v;
}

function optStr(o: Record<string, unknown>, k: string, max: number): string | undefined {
  return o[k] === undefined ? undefined : str(o, k, max);
}

function kind(o: Record<string, unknown>): ConversationKind {
  if (o.ck !== 'direct' && o.ck !== 'group') bad('ck');
  return o.ck;
}

function attachment(v: unknown): AttachmentRef {
  if (typeof v !== 'object' || v === null) bad('att');
  const o = v as Record<string, unknown>;
  const size = o.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) bad('att.size');
  const name = optStr(o, 'name', 255);
  const type = optStr(o, 'type', 255);
  return {
    id: str(o, 'id', MAX_ID, ID_RE),
    key: str(o, 'key', 44, B64_RE),
    sha256: str(o, 'sha256', 44, B64_RE),
    size,
    ...(name === undefined ? {} : { name }),
    ...(type === undefined ? {} : { type }),
  };
}

function proof(v: unknown): DeviceProof | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null) bad('dev');
  const o = v as Record<string, unknown>;
  return { owner: str(o, 'owner', 44, B64_RE), cert: str(o, 'cert', 88, B64_RE) };
}

/** Strict decoding: every field typed and bounded; anything else is `client.bad_envelope`. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    bad('not UTF-8 JSON');
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) bad('not an object');
  if (o.v !== 1) bad('version');
  const ts = o.ts;
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < 0) bad('ts');
  const dev = proof(o.dev);
  const base = {
    v: 1 as const,
    cid: str(o, 'cid', 32, /^[0-9a-f]{32}$/),
    mid: str(o, 'mid', MAX_ID, ID_RE),
    ts,
    ...(dev === undefined ? {} : { dev }),
  };
  switch (o.t) {
    case 'msg': {
      const att = o.att;
      if (att !== undefined && (!Array.isArray(att) || att.length > 16)) bad('att');
      const text = optStr(o, 'text', MAX_TEXT);
      const re = o.re === undefined ? undefined : str(o, 're', MAX_ID, ID_RE);
      const title = optStr(o, 'title', 200);
      return {
        ...base,
        t: 'msg',
        ck: kind(o),
        ...(text === undefined ? {} : { text }),
        ...(att === undefined ? {} : { att: att.map(attachment) }),
        ...(re === undefined ? {} : { re }),
        ...(title === undefined ? {} : { title }),
      };
    }
    case 'reaction': {
      if (o.remove !== undefined && typeof o.remove !== 'boolean') bad('remove');
      return {
        ...base,
        t: 'reaction',
        ck: kind(o),
        target: str(o, 'target', MAX_ID, ID_RE),
        emoji: str(o, 'emoji', 32),
        ...(o.remove === true ? { remove: true } : {}),
      };
    }
    case 'receipt': {
      const targets = o.targets;
      if (!Array.isArray(targets) || targets.length === 0 || targets.length > 500) bad('targets');
      for (const m of targets) if (typeof m !== 'string' || !ID_RE.test(m)) bad('targets');
      return { ...base, t: 'receipt', targets: targets as string[] };
    }
    case 'skd': {
      const title = optStr(o, 'title', 200);
      return {
        ...base,
        t: 'skd',
        dist: str(o, 'dist', 1024, B64_RE),
        ...(title === undefined ? {} : { title }),
      };
    }
    case 'key_request':
      return { ...base, t: 'key_request' };
    case 'resync':
      return { ...base, t: 'resync', reason: str(o, 'reason', 64) };
    case 'sync': {
      if (o.consent !== 'accepted' && o.consent !== 'declined') bad('consent');
      return { ...base, t: 'sync', consent: o.consent };
    }
    default:
      return bad('t');
  }
}

/** 16 random bytes as base64url (22 characters): message ids and clientMessageIds. */
export function newMessageId(random: Uint8Array): string {
  let s = '';
  for (const b of random) s += String.fromCharCode(b);
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
