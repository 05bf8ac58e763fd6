import {
  CONTENT_BODY_MAX,
  CONTENT_LANG_MAX,
  CONTENT_LINK_MAX,
  CONTENT_LINKS_MAX,
  CONTENT_NAME_MAX,
  CONTENT_TAG_MAX,
  CONTENT_TAGS_MAX,
  CONTENT_TITLE_MAX,
  CONTENT_VERSION,
} from '../params/contentParams.ts';
import { MAX_CONTENT_BYTES } from '../params/economyParams.ts';
import type { TxPayload } from '../tx/transaction.ts';
import { RollupError } from '../utils/rollupError.ts';
import { isZeroHash } from './ids.ts';

/**
 * §14.2 "Posts are stored as structured JSON with explicit fields, not free-form text. The SDK
 * parses fields programmatically." The format, version 1 (docs/economy.md "Content schema"):
 *
 *   { "v": 1, "type": "post" | "reply" | "question" | "answer" | "profile",
 *     "title"?: string, "body": string, "tags"?: string[], "lang"?: string,
 *     "links"?: string[], "name"?: string }
 *
 * A body is UTF-8 (strict), one JSON object, no unknown or duplicate keys, at most
 * MAX_CONTENT_BYTES. Bodies are content, not state (§9.1): nodes check them at the edge (RPC and
 * gossip) against the hash and size a transaction commits to; the state machine never reads them.
 */

export type ContentType = 'post' | 'reply' | 'question' | 'answer' | 'profile';
const CONTENT_TYPES: ReadonlySet<string> = new Set<ContentType>([
  'post',
  'reply',
  'question',
  'answer',
  'profile',
]);

/** A parsed body: only the fields it has, each checked. */
export interface ContentBody {
  readonly v: 1;
  readonly type: ContentType;
  readonly title?: string;
  /** Required except for profiles. */
  readonly body?: string;
  readonly tags?: readonly string[];
  readonly lang?: string;
  readonly links?: readonly string[];
  /** Profiles only: the display name. */
  readonly name?: string;
}

/** Stable codes of a body refused by `parseContent`. */
export type ContentErrorCode =
  | 'content.utf8'
  | 'content.json'
  | 'content.schema'
  | 'content.too_large';

/** A body that is not valid content; `code` says which check failed. */
export class ContentError extends RollupError<ContentErrorCode> {
  override readonly name = 'ContentError';
}

const FIELDS: ReadonlySet<string> = new Set([
  'v',
  'type',
  'title',
  'body',
  'tags',
  'lang',
  'links',
  'name',
]);
const TAG = /^[a-z0-9-]+$/;
/** BCP 47 in its common shape: a 2-8 letter language subtag, then 1-8 alphanumeric subtags. */
const LANG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;
/**
 * A link is exactly its characters: no ASCII spaces or controls (C0, DEL, C1) that a URL parser
 * would trim or escape away, so the link a reader sees is the one that was hashed.
 */
const URL_CHARS = /^[\x21-\x7e\u00a0-\uffff]+$/;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function schema(message: string): ContentError {
  return new ContentError('content.schema', message);
}

/**
 * Parses and checks a body, in order: size (`content.too_large`), UTF-8 (`content.utf8`), JSON
 * (`content.json`), then the schema (`content.schema`: an object, no duplicate or unknown keys,
 * every field's type and limits, and `expected` when given). Throws ContentError and nothing
 * else, whatever the bytes.
 */
export function parseContent(bytes: Uint8Array, expected?: ContentType): ContentBody {
  if (bytes.length > MAX_CONTENT_BYTES)
    throw new ContentError('content.too_large', `${bytes.length} bytes > ${MAX_CONTENT_BYTES}`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ContentError('content.utf8', 'the body is not valid UTF-8');
  }
  let json: unknown;
  try {
    // A byte order mark is kept by the decoder (ignoreBOM) and refused here: RFC 8259 §8.1.
    json = JSON.parse(text);
  } catch {
    throw new ContentError('content.json', 'the body is not one JSON value');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw schema('the body must be a JSON object');
  const dup = duplicateKey(text);
  if (dup !== null) throw schema(`duplicate key ${JSON.stringify(dup.slice(0, 64))}`);
  const o = json as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!FIELDS.has(k)) throw schema(`unknown field ${JSON.stringify(k.slice(0, 64))}`);
  if (o.v !== CONTENT_VERSION) throw schema(`"v" must be ${CONTENT_VERSION}`);
  if (typeof o.type !== 'string' || !CONTENT_TYPES.has(o.type))
    throw schema('"type" must be post, reply, question, answer or profile');
  const type = o.type as ContentType;
  if (expected !== undefined && type !== expected)
    throw schema(`this transaction takes a "${expected}" body, not "${type}"`);

  const out: {
    v: 1;
    type: ContentType;
    title?: string;
    body?: string;
    tags?: string[];
    lang?: string;
    links?: string[];
    name?: string;
  } = { v: 1, type };
  const titled = type === 'post' || type === 'question';
  if (o.title !== undefined) out.title = text1(o.title, 'title', CONTENT_TITLE_MAX);
  if (titled && (out.title === undefined || out.title.length === 0))
    throw schema(`a ${type} needs a non-empty "title"`);
  if (o.body !== undefined) out.body = text1(o.body, 'body', CONTENT_BODY_MAX);
  else if (type !== 'profile') throw schema(`a ${type} needs a "body"`);
  if (o.tags !== undefined) out.tags = tags(o.tags);
  if (o.lang !== undefined) {
    if (typeof o.lang !== 'string' || o.lang.length > CONTENT_LANG_MAX || !LANG.test(o.lang))
      throw schema(
        `"lang" must be a BCP 47 language tag of at most ${CONTENT_LANG_MAX} characters`,
      );
    out.lang = o.lang;
  }
  if (o.links !== undefined) out.links = links(o.links);
  if (o.name !== undefined) {
    if (type !== 'profile') throw schema('"name" belongs to profiles only');
    out.name = text1(o.name, 'name', CONTENT_NAME_MAX);
  }
  return out;
}

/**
 * The type of body a transaction's content must have, or null for a payload without content. A
 * §14.3 reveal carries a post when it starts a thread (zero parent), a reply otherwise.
 */
export function contentTypeFor(payload: TxPayload): ContentType | null {
  switch (payload.kind) {
    case 'createPost':
    case 'zkPost':
      return 'post';
    case 'reply':
    case 'zkReply':
      return 'reply';
    case 'createBounty':
      return 'question';
    case 'answerBounty':
      return 'answer';
    case 'updateProfile':
      return 'profile';
    case 'revealPost':
      return isZeroHash(payload.parent) ? 'post' : 'reply';
    default:
      return null;
  }
}

/** Number of Unicode code points of `s`, or -1 when it holds a lone surrogate (not Unicode). */
export function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = s.charCodeAt(i + 1);
    if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return -1;
    i += 1;
  }
  return n;
}

/** A string of at most `max` code points that is well-formed Unicode (no lone surrogates). */
function text1(v: unknown, field: string, max: number): string {
  if (typeof v !== 'string') throw schema(`"${field}" must be a string`);
  const n = codePoints(v);
  if (n < 0) throw schema(`"${field}" holds a lone surrogate`);
  if (n > max) throw schema(`"${field}" is longer than ${max} characters`);
  return v;
}

function tags(v: unknown): string[] {
  if (!Array.isArray(v) || v.length > CONTENT_TAGS_MAX)
    throw schema(`"tags" must be a list of at most ${CONTENT_TAGS_MAX} tags`);
  return v.map((t) => {
    if (typeof t !== 'string' || t.length < 1 || t.length > CONTENT_TAG_MAX || !TAG.test(t))
      throw schema(`each tag must be 1-${CONTENT_TAG_MAX} characters of [a-z0-9-]`);
    return t;
  });
}

function links(v: unknown): string[] {
  if (!Array.isArray(v) || v.length > CONTENT_LINKS_MAX)
    throw schema(`"links" must be a list of at most ${CONTENT_LINKS_MAX} URLs`);
  return v.map((l) => {
    if (
      typeof l !== 'string' ||
      l.length > CONTENT_LINK_MAX ||
      !URL_CHARS.test(l) ||
      codePoints(l) < 0
    )
      throw schema(`each link must be an https URL of at most ${CONTENT_LINK_MAX} characters`);
    let url: URL;
    try {
      url = new URL(l);
    } catch {
      throw schema('each link must be an https URL');
    }
    if (url.protocol !== 'https:' || url.hostname === '')
      throw schema('each link must be an https URL');
    return l;
  });
}

/**
 * The first key that appears twice in one object of `text` (already known to be valid JSON), or
 * null. JSON.parse keeps the last of duplicate keys silently, so two readers of the same body
 * could disagree on it; keys are compared decoded (`"a"` and `"\u0061"` are the same key).
 * Iterative: nesting depth costs no stack.
 */
function duplicateKey(text: string): string | null {
  const stack: { keys: Set<string> | null; expectKey: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: in valid JSON a backslash always starts an escape, so skip two characters.
      let j = i + 1;
      for (;;) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) j += 2;
        else if (d === 0x22) break;
        else j += 1;
      }
      const top = stack.at(-1);
      if (top !== undefined && top.keys !== null && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return key;
        top.keys.add(key);
        top.expectKey = false;
      }
      i = j;
    } else if (c === 0x7b) stack.push({ keys: new Set(), expectKey: true });
    else if (c === 0x5b) stack.push({ keys: null, expectKey: false });
    else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x2c) {
      const top = stack.at(-1);
      if (top !== undefined && top.keys !== null) top.expectKey = true;
    }
  }
  return null;
}
