import type { EconomyState } from '../economy/economyState.ts';
import { identityKey } from '../economy/economyState.ts';
import { bpsOf } from '../economy/fees.ts';
import type { PostRecord } from '../economy/records.ts';
import { epochOf } from '../economy/reputation.ts';
import { checkAnonRoot } from '../economy/zkActions.ts';
import { FEE_BPS } from '../params/economyParams.ts';
import {
  ANON_ACTIONS_PER_EPOCH,
  ANON_ROOT_TTL_SLOTS,
  PSEUDONYM_ACTIONS_PER_EPOCH,
} from '../params/privacyParams.ts';
import { U64_MAX } from '../params/txParams.ts';
import { FEED_DEFAULT_LIMIT, FEED_MAX_LIMIT } from '../params/visibilityParams.ts';
import type { FeedEntry, FeedQuery } from '../store/feedIndex.ts';
import { isCommunityName } from '../tx/txCodec.ts';
import { fromHex, toHex } from '../utils/hex.ts';
import {
  type BountyJson,
  bodyJson,
  bountyJson,
  type CommunityJson,
  communityJson,
  type IdentityJson,
  identityJson,
  type PostJson,
  postJson,
} from './economyJson.ts';
import { type FeedSort, getFeed } from './getFeed.ts';
import { type Commitment, commitmentParam } from './nodeRpcHandlers.ts';
import { RpcError } from './rpcError.ts';
import type { RpcHandler } from './rpcServer.ts';

export interface PrivacyJson {
  readonly slot: number;
  /** The economy epoch (decimal): anonymous scopes must name it. */
  readonly epoch: string;
  /** The latest anonymity-set root relayed from the L2 (hex), null before the first. */
  readonly currentRoot: string | null;
  readonly pseudonyms: string;
  readonly anonActionsPerEpoch: number;
  readonly pseudonymActionsPerEpoch: number;
  readonly rootTtlSlots: string;
  /** For a root asked about: 'ok', 'exec.unknown_root' or 'exec.expired_root'. */
  readonly root?: string;
}

export interface PseudonymJson {
  readonly id: string;
  /** The `pseudonymNonce` its next action must carry. */
  readonly nonce: string;
  readonly epoch: string;
  readonly actions: number;
  readonly identity: IdentityJson | null;
}

/** The node as the attention-economy RPC sees it (implemented by ValidatorNode). */
export interface EconomyRpcView {
  /** This validator's public key (hex): `getIdentity` without params. */
  readonly identity: string;
  /**
   * The state of the bank at `commitment` and its slot. Read it synchronously: a bank below a new
   * root is retired by compaction, which may happen at any await.
   */
  economyAt(commitment: Commitment): { readonly slot: number; readonly state: EconomyState };
  /** Feed index candidates of a query, newest first (consume synchronously). */
  feedCandidates(q: FeedQuery): Iterable<FeedEntry>;
  /** A content body by its SHA-256, or null when this node does not hold it. */
  contentBody(hash: Uint8Array): Promise<Uint8Array | null>;
}

export interface BaseFeeJson {
  readonly slot: number;
  /** B (§10.5), µMOLT: what the next transaction's fees are ratios of. */
  readonly baseFee: string;
  /** §10.2 action fees at B, µMOLT (storage fees come on top for content, §9.3). */
  readonly fees: {
    readonly post: string;
    readonly reply: string;
    readonly upvote: string;
    readonly downvote: string;
    readonly community: string;
    readonly profile: string;
    readonly other: string;
  };
}

export interface FeedJson {
  readonly slot: number;
  readonly posts: PostJson[];
}

function hex32Param(v: unknown, field: string): Uint8Array {
  const b = fromHex(v, 32);
  if (b === null) throw RpcError.invalidParams(field, `${field} must be 32 bytes of hex`);
  return b;
}

/** An identity id: a decimal string (or a safe integer) in [1, 2^64 − 1]. */
function identityIdParam(v: unknown, field: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1) return BigInt(v);
  if (typeof v === 'string' && /^[1-9][0-9]{0,19}$/.test(v) && BigInt(v) <= U64_MAX)
    return BigInt(v);
  throw RpcError.invalidParams(field, `${field} must be an identity id: a decimal string ≥ 1`);
}

function communityParam(v: unknown, field: string): string {
  if (typeof v !== 'string' || !isCommunityName(v))
    throw RpcError.invalidParams(field, `${field} must be a community name: 3-32 of [a-z0-9-]`);
  return v;
}

const FEED_KEYS = new Set(['community', 'author', 'sort', 'limit', 'before']);

interface FeedParams extends FeedQuery {
  readonly sort: FeedSort;
  readonly limit: number;
}

function feedParam(v: unknown): FeedParams {
  if (v === undefined || v === null) return { sort: 'score', limit: FEED_DEFAULT_LIMIT };
  if (typeof v !== 'object' || Array.isArray(v))
    throw RpcError.invalidParams('query', 'the feed query must be an object');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!FEED_KEYS.has(k))
      throw RpcError.invalidParams('query', `unknown feed query field ${k.slice(0, 32)}`);
  const sort = o.sort ?? 'score';
  if (sort !== 'score' && sort !== 'recency')
    throw RpcError.invalidParams('sort', 'sort must be "score" or "recency"');
  const limit = o.limit ?? FEED_DEFAULT_LIMIT;
  if (
    typeof limit !== 'number' ||
    !Number.isSafeInteger(limit) ||
    limit < 1 ||
    limit > FEED_MAX_LIMIT
  )
    throw RpcError.invalidParams('limit', `limit must be an integer in [1, ${FEED_MAX_LIMIT}]`);
  let before: bigint | undefined;
  if (o.before !== undefined) {
    if (typeof o.before !== 'number' || !Number.isSafeInteger(o.before) || o.before < 0)
      throw RpcError.invalidParams('before', 'before must be a non-negative slot');
    before = BigInt(o.before);
  }
  return {
    sort,
    limit,
    ...(o.community === undefined ? {} : { community: communityParam(o.community, 'community') }),
    ...(o.author === undefined ? {} : { author: identityIdParam(o.author, 'author') }),
    ...(before === undefined ? {} : { before }),
  };
}

/** Fills in the bodies of `json` (removed posts keep null: §16.2, the content is withheld). */
async function withBodies(
  view: EconomyRpcView,
  records: readonly PostRecord[],
  json: PostJson[],
): Promise<PostJson[]> {
  await Promise.all(
    records.map(async (r, i) => {
      if (r.moderation === 'removed') return;
      (json[i] as PostJson).body = bodyJson(await view.contentBody(r.contentHash));
    }),
  );
  return json;
}

/**
 * The attention-economy API (issue 5 item 4): fees, posts, ranked feeds, identities, communities
 * and bounties, read from the bank at the requested commitment (default `processed`). Every
 * param is validated here, at the edge (`rpc.invalid_params.<field>`).
 */
export function economyRpcHandlers(view: EconomyRpcView): Record<string, RpcHandler> {
  return {
    getBaseFee: async (params): Promise<BaseFeeJson> => {
      const { slot, state } = view.economyAt(commitmentParam(params[0]));
      const b = state.baseFee();
      const fee = (bps: bigint) => bpsOf(b, bps).toString();
      return {
        slot,
        baseFee: b.toString(),
        fees: {
          post: fee(FEE_BPS.post),
          reply: fee(FEE_BPS.reply),
          upvote: fee(FEE_BPS.upvote),
          downvote: fee(FEE_BPS.downvote),
          community: fee(FEE_BPS.community),
          profile: fee(FEE_BPS.profile),
          other: fee(FEE_BPS.other),
        },
      };
    },
    getPost: async (params): Promise<PostJson | null> => {
      const id = hex32Param(params[0], 'post');
      const { slot, state } = view.economyAt(commitmentParam(params[1]));
      const p = state.posts.get(toHex(id));
      if (p === undefined) return null;
      const [json] = await withBodies(view, [p], [postJson(state, p, BigInt(slot))]);
      return json as PostJson;
    },
    getFeed: async (params): Promise<FeedJson> => {
      const q = feedParam(params[0]);
      const { slot, state } = view.economyAt(commitmentParam(params[1]));
      const at = BigInt(slot);
      const records = getFeed(view.feedCandidates(q), state, at, q);
      const json = records.map((p) => postJson(state, p, at));
      return { slot, posts: await withBodies(view, records, json) };
    },
    getIdentity: async (params): Promise<IdentityJson | { identity: string } | null> => {
      // Without params: this validator's key, as before identities were served.
      if (params.length === 0) return { identity: view.identity };
      const id = identityIdParam(params[0], 'id');
      const { slot, state } = view.economyAt(commitmentParam(params[1]));
      const i = state.identities.get(identityKey(id));
      return i === undefined ? null : identityJson(i, BigInt(slot));
    },
    getCommunity: async (params): Promise<CommunityJson | null> => {
      const name = communityParam(params[0], 'name');
      const { state } = view.economyAt(commitmentParam(params[1]));
      const c = state.communities.get(name);
      return c === undefined ? null : communityJson(c);
    },
    /**
     * §6 privacy state: the current anonymity-set root, the epoch anonymous scopes name, and the
     * quotas. With a root as first param, also whether proofs against it are accepted now.
     */
    getPrivacy: async (params): Promise<PrivacyJson> => {
      const root =
        params[0] === undefined || params[0] === null ? null : hex32Param(params[0], 'root');
      const { slot, state } = view.economyAt(commitmentParam(params[1]));
      const p = state.privacy();
      const current = p.currentRoot.some((b) => b !== 0) ? toHex(p.currentRoot) : null;
      return {
        slot,
        epoch: epochOf(BigInt(slot)).toString(),
        currentRoot: current,
        pseudonyms: p.pseudonyms.toString(),
        anonActionsPerEpoch: ANON_ACTIONS_PER_EPOCH,
        pseudonymActionsPerEpoch: PSEUDONYM_ACTIONS_PER_EPOCH,
        rootTtlSlots: ANON_ROOT_TTL_SLOTS.toString(),
        ...(root === null ? {} : { root: checkAnonRoot(state, root, BigInt(slot)) }),
      };
    },
    /** A pseudonym by its nullifier (§6.3): its record and its identity record (reputation). */
    getPseudonym: async (params): Promise<PseudonymJson | null> => {
      const nullifier = hex32Param(params[0], 'nullifier');
      const { slot, state } = view.economyAt(commitmentParam(params[1]));
      const ps = state.pseudonyms.get(toHex(nullifier));
      if (ps === undefined) return null;
      const i = state.identities.get(identityKey(ps.id));
      return {
        id: ps.id.toString(),
        nonce: ps.nonce.toString(),
        epoch: ps.epoch.toString(),
        actions: ps.actions,
        identity: i === undefined ? null : identityJson(i, BigInt(slot)),
      };
    },
    /** Whether an anonymous nullifier is spent in its scope (an SDK picks a free quota index). */
    isNullifierSpent: async (params): Promise<boolean> => {
      const scope = hex32Param(params[0], 'scope');
      const nullifier = hex32Param(params[1], 'nullifier');
      const { state } = view.economyAt(commitmentParam(params[2]));
      return state.nullifiers.has(toHex(scope) + toHex(nullifier));
    },
    getBounty: async (params): Promise<BountyJson | null> => {
      const id = hex32Param(params[0], 'bounty');
      const { state } = view.economyAt(commitmentParam(params[1]));
      const b = state.bounties.get(toHex(id));
      return b === undefined ? null : bountyJson(b);
    },
  };
}
