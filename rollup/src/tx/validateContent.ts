import { hash as nodeHash } from 'node:crypto';
import {
  type ContentBody,
  ContentError,
  type ContentErrorCode,
  contentTypeFor,
  parseContent,
} from '../economy/contentSchema.ts';
import { contentOf } from '../economy/fees.ts';
import type { ContentRef, TxPayload } from './transaction.ts';

/** Stable codes of a body refused at the edge (RPC `sendTransaction`, `content` gossip). */
export type ContentRejectCode =
  | 'content.missing'
  | 'content.size_mismatch'
  | 'content.hash_mismatch'
  | ContentErrorCode;

export type ContentValidation =
  /** The payload references no content (a vote, a transfer, …). */
  | { readonly kind: 'none' }
  | {
      readonly kind: 'valid';
      readonly ref: ContentRef;
      readonly bytes: Uint8Array;
      readonly body: ContentBody;
    }
  | { readonly kind: 'rejected'; readonly code: ContentRejectCode; readonly reason: string };

/**
 * Checks a transaction's content body against the ContentRef it signed (§9.1, §14.2), in order,
 * stopping at the first failure:
 *
 * 1. a payload with content needs its body (`content.missing`);
 * 2. the body has the referenced size (`content.size_mismatch`) — before hashing it;
 * 3. its SHA-256 is the referenced hash (`content.hash_mismatch`);
 * 4. it is a valid body of the type the payload takes (economy/contentSchema.ts: `content.utf8`,
 *    `content.json`, `content.schema`, `content.too_large`).
 *
 * Never throws on hostile bytes.
 */
export function validateContent(payload: TxPayload, body: Uint8Array | null): ContentValidation {
  const ref = contentOf(payload);
  const type = contentTypeFor(payload);
  if (ref === null || type === null) return { kind: 'none' };
  if (body === null)
    return { kind: 'rejected', code: 'content.missing', reason: 'the transaction needs its body' };
  if (body.length !== ref.size)
    return {
      kind: 'rejected',
      code: 'content.size_mismatch',
      reason: `the body has ${body.length} bytes, the transaction says ${ref.size}`,
    };
  if (Buffer.compare(nodeHash('sha256', body, 'buffer'), ref.hash) !== 0)
    return {
      kind: 'rejected',
      code: 'content.hash_mismatch',
      reason: 'the SHA-256 of the body is not the transaction’s content hash',
    };
  try {
    return { kind: 'valid', ref, bytes: body, body: parseContent(body, type) };
  } catch (err) {
    if (!(err instanceof ContentError)) throw err;
    return { kind: 'rejected', code: err.code, reason: err.message };
  }
}
