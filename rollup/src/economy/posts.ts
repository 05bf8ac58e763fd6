import { hash as nodeHash } from 'node:crypto';
import { STORAGE_CLASS } from '../params/economyParams.ts';
import type { ContentRef } from '../tx/transaction.ts';
import { toHex } from '../utils/hex.ts';
import type { EconomyState } from './economyState.ts';
import { ZERO_HASH } from './ids.ts';
import type { AuthorMode, PostKind, PostRecord } from './records.ts';

/** §10.4 "Entropy derived from: Hash(post_id || poh_hash_at_creation) mod 1000". */
export function entropyOf(postId: Uint8Array, pohHash: Uint8Array): number {
  const buf = new Uint8Array(64);
  buf.set(postId);
  buf.set(pohHash, 32);
  const h = nodeHash('sha256', buf, 'buffer');
  // The first 8 bytes as a u64, mod 1000: the bias of 2^64 mod 1000 is below 10^-16.
  return Number(new DataView(h.buffer, h.byteOffset, 8).getBigUint64(0) % 1000n);
}

export interface NewPost {
  readonly id: Uint8Array;
  readonly kind: PostKind;
  readonly mode: AuthorMode;
  readonly author: bigint;
  readonly authorKey: Uint8Array;
  readonly community: string;
  /** The post replied to, or null for a thread / bounty question. */
  readonly parent: PostRecord | null;
  readonly content: ContentRef;
  readonly slot: bigint;
  readonly pohHash: Uint8Array;
}

/**
 * Inserts a post, reply, bounty question or answer (the caller checked every rule: community
 * exists, parent exists and is not removed, fees paid) and counts it in its community and its
 * parent. Returns the record.
 */
export function insertPost(state: EconomyState, n: NewPost): PostRecord {
  const storage = STORAGE_CLASS[n.content.storage];
  const post: PostRecord = {
    id: n.id,
    kind: n.kind,
    mode: n.mode,
    author: n.author,
    authorKey: n.authorKey.slice(),
    community: n.community,
    parent: n.parent === null ? ZERO_HASH : n.parent.id,
    root: n.parent === null ? n.id : n.parent.root,
    contentHash: n.content.hash.slice(),
    size: n.content.size,
    expirySlot: storage.slots === 0n ? 0n : n.slot + storage.slots,
    createdSlot: n.slot,
    entropy: entropyOf(n.id, n.pohHash),
    up: 0n,
    down: 0n,
    upCount: 0,
    downCount: 0,
    flagWeight: 0n,
    moderation: 'visible',
    replies: 0,
    boost: 0n,
    boostUntil: 0n,
  };
  state.posts.set(toHex(n.id), post);
  const community = state.communities.getMut(n.community);
  if (community !== undefined) community.posts += 1n;
  if (n.parent !== null) {
    const parent = state.posts.getMut(toHex(n.parent.id));
    if (parent !== undefined) parent.replies += 1;
  }
  return post;
}
