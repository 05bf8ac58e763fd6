import { createHash } from 'node:crypto';
import {
  CONTENT_BODY_MAX,
  CONTENT_LANG_MAX,
  CONTENT_LINK_MAX,
  CONTENT_LINKS_MAX,
  CONTENT_NAME_MAX,
  CONTENT_TAG_MAX,
  CONTENT_TAGS_MAX,
  CONTENT_TITLE_MAX,
  type ContentBody,
  ContentError,
  type ContentRef,
  type ContentType,
  codePoints,
  MAX_CONTENT_BYTES,
  parseContent as nodeParseContent,
  type StorageClass,
} from '@moltbook/rollup/verify';
import { InvalidContentError } from '../errors/baseError.ts';

export type { ContentBody, ContentType };

/**
 * The §14.2 schema's limits (the rollup's contentParams.ts). Lengths of text fields count Unicode
 * code points; the whole encoding is also bounded by MAX_CONTENT_BYTES.
 */
export const CONTENT_LIMITS = {
  title: CONTENT_TITLE_MAX,
  body: CONTENT_BODY_MAX,
  tags: CONTENT_TAGS_MAX,
  tag: CONTENT_TAG_MAX,
  lang: CONTENT_LANG_MAX,
  links: CONTENT_LINKS_MAX,
  link: CONTENT_LINK_MAX,
  name: CONTENT_NAME_MAX,
  bytes: MAX_CONTENT_BYTES,
} as const;

const TYPES: readonly string[] = ['post', 'reply', 'question', 'answer', 'profile'];
/** Every allowed field, in canonical (sorted) order. */
const FIELDS = ['body', 'lang', 'links', 'name', 'tags', 'title', 'type', 'v'] as const;
const TAG = /^[a-z0-9-]+$/;
/** BCP 47 in its common shape, as the node takes it (`en`, `pt-BR`, `zh-Hant-TW`). */
const LANG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;
/** A link is exactly its characters: no spaces or controls a URL parser would trim or escape. */
const URL_CHARS = /^[\x21-\x7e\u00a0-\uffff]+$/;

export interface EncodedContent {
  /** The validated body, fields in canonical order. */
  readonly body: ContentBody;
  /** Canonical JSON, UTF-8: what `sendTransaction` sends beside the transaction. */
  readonly bytes: Uint8Array;
  /** SHA-256 of `bytes`. */
  readonly hash: Uint8Array;
  /** `bytes.length`, 1..MAX_CONTENT_BYTES. */
  readonly size: number;
  /** The reference a transaction carries, for `storage` (default `days30`, §9.3's minimum). */
  ref(storage?: StorageClass): ContentRef;
}

function text(field: string, v: unknown, max: number): string {
  if (typeof v !== 'string') throw new InvalidContentError(field, `a string of at most ${max}`);
  const n = codePoints(v);
  if (n < 0) throw new InvalidContentError(field, 'well-formed Unicode (no lone surrogate)');
  if (n > max) throw new InvalidContentError(field, `at most ${max} characters, not ${n}`);
  return v;
}

function list(
  field: string,
  v: unknown,
  max: number,
  check: (s: string) => boolean,
  item: string,
): string[] {
  if (!Array.isArray(v) || v.length > max)
    throw new InvalidContentError(field, `an array of at most ${max} items, each ${item}`);
  return v.map((x, i) => {
    if (typeof x !== 'string' || !check(x)) throw new InvalidContentError(`${field}[${i}]`, item);
    return x;
  });
}

function isTag(t: string): boolean {
  return t.length >= 1 && t.length <= CONTENT_TAG_MAX && TAG.test(t);
}

function isLink(l: string): boolean {
  if (l.length > CONTENT_LINK_MAX || !URL_CHARS.test(l) || codePoints(l) < 0) return false;
  try {
    const url = new URL(l);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Checks a value against the §14.2 schema, field by field, and returns it as a ContentBody with
 * its fields in canonical order; InvalidContentError (`reason` `content.schema`) naming the first
 * field at fault. Fields that are `undefined` count as absent. The same rules as the node's
 * (rollup economy/contentSchema.ts), which `encodeContent` also runs on the bytes.
 */
export function validateContent(value: unknown): ContentBody {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidContentError('body', 'an object');
  const o = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(o))
    if (v !== undefined && !(FIELDS as readonly string[]).includes(k))
      throw new InvalidContentError(k, `no such field (allowed: ${FIELDS.join(', ')})`);
  if (o.v !== 1) throw new InvalidContentError('v', '1');
  if (typeof o.type !== 'string' || !TYPES.includes(o.type))
    throw new InvalidContentError('type', `one of ${TYPES.join(', ')}`);
  const type = o.type as ContentType;
  const out: Record<string, unknown> = { type, v: 1 };
  if (o.title !== undefined) out.title = text('title', o.title, CONTENT_TITLE_MAX);
  if ((type === 'post' || type === 'question') && !out.title)
    throw new InvalidContentError('title', `a non-empty title for a ${type}`);
  if (o.body !== undefined) out.body = text('body', o.body, CONTENT_BODY_MAX);
  else if (type !== 'profile') throw new InvalidContentError('body', `a body for a ${type}`);
  if (o.tags !== undefined)
    out.tags = list('tags', o.tags, CONTENT_TAGS_MAX, isTag, 'a tag of 1-32 of [a-z0-9-]');
  if (o.lang !== undefined) {
    if (typeof o.lang !== 'string' || o.lang.length > CONTENT_LANG_MAX || !LANG.test(o.lang))
      throw new InvalidContentError('lang', `a BCP 47 language tag of at most ${CONTENT_LANG_MAX}`);
    out.lang = o.lang;
  }
  if (o.links !== undefined)
    out.links = list(
      'links',
      o.links,
      CONTENT_LINKS_MAX,
      isLink,
      `an https URL of at most ${CONTENT_LINK_MAX}`,
    );
  if (o.name !== undefined) {
    if (type !== 'profile') throw new InvalidContentError('name', 'no name outside a profile');
    out.name = text('name', o.name, CONTENT_NAME_MAX);
  }
  const sorted: Record<string, unknown> = {};
  for (const k of FIELDS) if (out[k] !== undefined) sorted[k] = out[k];
  return sorted as unknown as ContentBody;
}

function fromNode(err: unknown): never {
  if (err instanceof ContentError) throw new InvalidContentError('body', err.message, err.code);
  throw err;
}

/**
 * Validates a body (validateContent) and encodes it canonically: JSON without whitespace, object
 * keys sorted, UTF-8. Equal bodies give equal bytes whatever their key order, so equal hashes.
 * InvalidContentError `content.too_large` above MAX_CONTENT_BYTES (64 KiB). The bytes then go
 * through the node's own parser, so what this accepts the node accepts.
 */
export function encodeContent(body: ContentBody): EncodedContent {
  const canonical = validateContent(body);
  const bytes = new TextEncoder().encode(JSON.stringify(canonical));
  if (bytes.length > MAX_CONTENT_BYTES)
    throw new InvalidContentError(
      'body',
      `at most ${MAX_CONTENT_BYTES} bytes encoded, not ${bytes.length}`,
      'content.too_large',
    );
  try {
    nodeParseContent(bytes, canonical.type);
  } catch (err) {
    fromNode(err);
  }
  const hash = new Uint8Array(createHash('sha256').update(bytes).digest());
  const size = bytes.length;
  return {
    body: canonical,
    bytes,
    hash,
    size,
    ref: (storage = 'days30') => ({ hash: Uint8Array.from(hash), size, storage }),
  };
}

/**
 * The inverse, for bodies read from elsewhere (DA, a peer): the node's parser — size, strict
 * UTF-8, JSON, no duplicate keys, the schema, and the type `expected` when given.
 * InvalidContentError (`field` `body`) with the node's code: `content.too_large`, `content.utf8`,
 * `content.json` or `content.schema`.
 */
export function parseContent(bytes: Uint8Array, expected?: ContentType): ContentBody {
  try {
    return nodeParseContent(bytes, expected);
  } catch (err) {
    return fromNode(err);
  }
}
