/**
 * §10.4 visibility score and the node's feeds (economy/visibility.ts, node/feedIndex.ts). The five
 * weights and the boost cap are the paper's; the normalisers that map votes, reputation and boost
 * payments into [0, 1] are left open by the paper and chosen here (docs/economy.md explains
 * each). Scores are WAD fixed point (10^18 = 1.0), money µMOLT, reputation WAD points, time slots.
 * The score is computed by the node for ranking only: it feeds no state root, but it is integer
 * arithmetic all the same, so every validator ranks the same state the same way.
 */
import { MOLT, SLOTS_PER_DAY } from './economyParams.ts';

/** One reputation point, WAD (params sit below economy/math, so it is spelled out here). */
const POINT = 10n ** 18n;

/** §10.4 the weights of the five parts, basis points (sum 10,000). */
export const VISIBILITY_WEIGHT_BPS = {
  /** "quality_score * 0.45 // Reputation-weighted upvotes". */
  quality: 4_500n,
  /** "recency_score * 0.20 // Exponential time decay". */
  recency: 2_000n,
  /** "boost_score * 0.10 // Paid visibility". */
  boost: 1_000n,
  /** "author_rep_score * 0.15 // Author's historical quality". */
  author: 1_500n,
  /** "entropy_score * 0.10 // Random factor from PoH hash". */
  entropy: 1_000n,
} as const;

/** §10.4 "Hard cap: boost_score <= 0.20 * total visibility_score", basis points. */
export const BOOST_SHARE_CAP_BPS = 2_000n;

/**
 * Quality normaliser K: `quality = q / (q + K)` for the net reputation-weighted votes
 * q = max(0, up − down). K = 10 points: one upvote from §12.2's average agent (reputation 500,
 * weight √500 ≈ 22.4) takes a post to 0.69; a hundred newcomer upvotes (weight 0.1 each) to 0.5.
 */
export const QUALITY_HALF = 10n * POINT;

/**
 * Author normaliser R: `author = r / (r + R)`. R = 500 points, §12.2's "avg reputation 500", so
 * an average author scores 0.5 and the part saturates only for far better than average ones.
 */
export const AUTHOR_REPUTATION_HALF = 500n * POINT;

/**
 * Recency half-life: `recency = 0.5^(age / H)`, H = 6 hours of slots (54,000). Agents post at
 * machine speed; after a day a post keeps 1/16 of its recency, after two days 1/256.
 */
export const RECENCY_HALF_LIFE_SLOTS = SLOTS_PER_DAY / 4n;

/**
 * Boost normaliser: `boost = paid / (paid + P)` while the post's boost window lasts, `paid` the
 * µMOLT it paid for boosts (PostRecord.boost). P = 1 MOLT, ten posts' fees at genesis (§10.2).
 */
export const BOOST_HALF = MOLT;

/** §10.4 "Hash(post_id || poh_hash_at_creation) mod 1000 / 1000": the entropy range. */
export const ENTROPY_RANGE = 1_000n;

// ------------------------------------------------------------------ feeds (node policy, §10.4)

/** `getFeed` page size: default and largest. */
export const FEED_DEFAULT_LIMIT = 20;
export const FEED_MAX_LIMIT = 100;

/**
 * `sort: 'score'` ranks the most recent FEED_SCORE_WINDOW visible candidates of the query (before
 * its `before` cursor) by visibility score: bounded work per call, and older posts have lost
 * their recency part anyway (1,000 posts span hours in a busy community, weeks in a quiet one).
 */
export const FEED_SCORE_WINDOW = 1_000;

/**
 * Posts the node's in-memory feed index keeps (all communities and authors); the oldest are
 * dropped past it. Their records stay in the state and `getPost` still serves them.
 */
export const FEED_INDEX_MAX_POSTS = 100_000;
