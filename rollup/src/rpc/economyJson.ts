import type { BountyRecord } from '../economy/bountyRecord.ts';
import { type EconomyState, identityKey } from '../economy/economyState.ts';
import { isZeroHash } from '../economy/ids.ts';
import { WAD } from '../economy/math/fixedPoint.ts';
import type {
  AuthorMode,
  CommunityRecord,
  FreeTier,
  IdentityRecord,
  IdentityStatus,
  Moderation,
  PostKind,
  PostRecord,
} from '../economy/records.ts';
import { reputationOf } from '../economy/reputation.ts';
import { visibilityScore } from '../economy/visibility.ts';
import { toHex } from '../utils/hex.ts';

/**
 * JSON shapes of the attention-economy RPC methods (docs/node.md "JSON-RPC"). Integers that may
 * pass 2^53 (µMOLT amounts, identity ids, counters) are decimal strings; slots and small counts are
 * numbers; reputation and scores (WAD fixed point) are decimal strings with 6 decimals, truncated.
 */

export interface PostJson {
  readonly id: string;
  readonly kind: PostKind;
  readonly mode: AuthorMode;
  /**
   * The author, decimal: the identity of a public post, the pseudonym's id (2^63 + n) of a
   * pseudonymous one, '0' for an anonymous one.
   */
  readonly author: string;
  /** The signer key that paid, hex. */
  readonly authorKey: string;
  readonly community: string;
  /** The post replied to, or null for a thread or bounty question. */
  readonly parent: string | null;
  readonly root: string;
  readonly contentHash: string;
  readonly size: number;
  readonly createdSlot: number;
  /** Slot after which storage nodes may drop the body; 0 = permanent (§9.3). */
  readonly expirySlot: number;
  /** Σ reputation-weighted up / down votes, points with 6 decimals. */
  readonly up: string;
  readonly down: string;
  readonly upCount: number;
  readonly downCount: number;
  readonly replies: number;
  readonly moderation: Moderation;
  /** Inside a won boost window (§10.4) at the slot read. */
  readonly boosted: boolean;
  /** §10.4 entropy in [0, 1000). */
  readonly entropy: number;
  /** §10.4 visibility score at the slot read, in [0, 1] with 6 decimals. */
  readonly visibility: string;
  /** The parsed body (§14.2); null when removed (§16.2), or when this node does not have it. */
  body: object | null;
}

export interface IdentityJson {
  readonly id: string;
  readonly status: IdentityStatus;
  /** L2 stake, µMOLT. */
  readonly stake: string;
  /** §12.3 reputation at the slot read, points with 6 decimals. */
  readonly reputation: string;
  readonly registeredSlot: number;
  readonly freeTier: FreeTier;
  readonly interactions: string;
}

export interface CommunityJson {
  readonly name: string;
  /** Identity that created it; '0' for a genesis community. */
  readonly creator: string;
  readonly createdSlot: number;
  readonly posts: string;
}

export interface BountyJson {
  readonly id: string;
  readonly asker: string;
  /** Escrow, µMOLT. */
  readonly amount: string;
  readonly deadline: number;
  readonly status: BountyRecord['status'];
  readonly path: BountyRecord['path'];
  readonly answers: readonly {
    readonly post: string;
    readonly answerer: string;
    readonly independentUpvotes: number;
  }[];
}

/** A WAD value as a decimal string with 6 decimals, truncated toward zero ("3.162277"). */
export function formatWad6(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const micro = a / (WAD / 1_000_000n);
  const s = `${micro / 1_000_000n}.${(micro % 1_000_000n).toString().padStart(6, '0')}`;
  return neg && micro !== 0n ? `-${s}` : s;
}

/**
 * The author record of a public or pseudonymous post (a pseudonym's reputation is its own, §6.3);
 * null for an anonymous post or an unknown identity.
 */
export function authorOf(state: EconomyState, p: Readonly<PostRecord>): IdentityRecord | null {
  if (p.mode === 'anonymous' || p.author === 0n) return null;
  return state.identities.get(identityKey(p.author)) ?? null;
}

/** A post as JSON at `slot`, without its body (`body: null`; the caller fills it in). */
export function postJson(state: EconomyState, p: Readonly<PostRecord>, slot: bigint): PostJson {
  return {
    id: toHex(p.id),
    kind: p.kind,
    mode: p.mode,
    author: p.mode === 'anonymous' ? '0' : p.author.toString(),
    authorKey: toHex(p.authorKey),
    community: p.community,
    parent: isZeroHash(p.parent) ? null : toHex(p.parent),
    root: toHex(p.root),
    contentHash: toHex(p.contentHash),
    size: p.size,
    createdSlot: Number(p.createdSlot),
    expirySlot: Number(p.expirySlot),
    up: formatWad6(p.up),
    down: formatWad6(p.down),
    upCount: p.upCount,
    downCount: p.downCount,
    replies: p.replies,
    moderation: p.moderation,
    boosted: p.boostUntil !== 0n && slot <= p.boostUntil,
    entropy: p.entropy,
    visibility: formatWad6(visibilityScore(p, authorOf(state, p), slot)),
    body: null,
  };
}

export function identityJson(i: Readonly<IdentityRecord>, slot: bigint): IdentityJson {
  return {
    id: i.id.toString(),
    status: i.status,
    stake: i.stake.toString(),
    reputation: formatWad6(reputationOf(i, slot)),
    registeredSlot: Number(i.registeredSlot),
    freeTier: i.freeTier,
    interactions: i.interactions.toString(),
  };
}

export function communityJson(c: Readonly<CommunityRecord>): CommunityJson {
  return {
    name: c.name,
    creator: c.creator.toString(),
    createdSlot: Number(c.createdSlot),
    posts: c.posts.toString(),
  };
}

export function bountyJson(b: Readonly<BountyRecord>): BountyJson {
  return {
    id: toHex(b.id),
    asker: b.asker.toString(),
    amount: b.amount.toString(),
    deadline: Number(b.deadline),
    status: b.status,
    path: b.path,
    answers: b.answers.map((a) => ({
      post: toHex(a.post),
      answerer: a.answerer.toString(),
      independentUpvotes: a.independentUpvotes,
    })),
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A stored body as the JSON object it is (it was checked before it was stored); null if not. */
export function bodyJson(bytes: Uint8Array | null): object | null {
  if (bytes === null) return null;
  try {
    const v: unknown = JSON.parse(utf8.decode(bytes));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}
