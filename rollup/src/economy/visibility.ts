import { BPS } from '../params/economyParams.ts';
import {
  AUTHOR_REPUTATION_HALF,
  BOOST_HALF,
  BOOST_SHARE_CAP_BPS,
  ENTROPY_RANGE,
  QUALITY_HALF,
  RECENCY_HALF_LIFE_SLOTS,
  VISIBILITY_WEIGHT_BPS as W,
} from '../params/visibilityParams.ts';
import { expWad, floorDiv, WAD } from './math/fixedPoint.ts';
import type { IdentityRecord, PostRecord } from './records.ts';
import { reputationOf } from './reputation.ts';

/**
 * §10.4 visibility score, as integer WAD arithmetic (docs/economy.md "Visibility"):
 *
 *   visibility = 0.45 quality + 0.20 recency + 0.10 boost + 0.15 author + 0.10 entropy
 *
 *   quality = q / (q + K)           q = max(0, up − down), reputation-weighted votes (§12.3)
 *   recency = 0.5^(age / H)         age = slot − createdSlot
 *   boost   = paid / (paid + P)     while slot ≤ boostUntil, else 0
 *   author  = r / (r + R)           r = reputationOf(author, slot); 0 without a public author
 *   entropy = entropy / 1000        Hash(post_id ‖ poh_hash) mod 1000 (posts.ts entropyOf)
 *
 * with the hard cap "boost_score <= 0.20 * total visibility_score": the boost part b is cut to
 * b ≤ 0.2 (rest + b), i.e. b ≤ rest / 4. Each part is in [0, 1] and the weights sum to 1, so the
 * score is in [0, 1]. Pure: a function of the post record, its author and the slot.
 */

/** ln 2 in WAD, floor (0.693147180559945309417…). */
export const LN2_WAD = 693_147_180_559_945_309n;

/** What the score reads of a post. */
export type VisibilityPost = Pick<
  PostRecord,
  'up' | 'down' | 'createdSlot' | 'boost' | 'boostUntil' | 'entropy'
>;

/** The five parts (each WAD in [0, 1], before weighting) and the capped total. */
export interface VisibilityParts {
  readonly quality: bigint;
  readonly recency: bigint;
  readonly boost: bigint;
  readonly author: bigint;
  readonly entropy: bigint;
  /** The weighted boost part after the §10.4 cap (what the total contains of it). */
  readonly boostWeighted: bigint;
  readonly total: bigint;
}

/** The smaller bigint (Math.min takes numbers only). */
function minOf(a: bigint, b: bigint): bigint {
  if (a < b) return a;
  return b;
}

/** x / (x + half) in WAD, for x ≥ 0 (0 for x ≤ 0). */
function saturate(x: bigint, half: bigint): bigint {
  return x <= 0n ? 0n : (x * WAD) / (x + half);
}

/** §10.4 quality: net reputation-weighted votes, normalised. */
export function qualityScore(post: Pick<PostRecord, 'up' | 'down'>): bigint {
  return saturate(post.up - post.down, QUALITY_HALF);
}

/** §10.4 recency: 0.5^(age / H) = e^(−ln 2 × age / H); 1 for a post of this slot or later. */
export function recencyScore(createdSlot: bigint, slot: bigint): bigint {
  const age = slot - createdSlot;
  if (age <= 0n) return WAD;
  // expWad returns 0 below e^-42 (under one ulp), so any age is safe here.
  return expWad(-floorDiv(LN2_WAD * age, RECENCY_HALF_LIFE_SLOTS));
}

/** §10.4 boost: the µMOLT paid for boosts, normalised, only while the boost window lasts. */
export function boostScore(post: Pick<PostRecord, 'boost' | 'boostUntil'>, slot: bigint): bigint {
  if (post.boostUntil === 0n || slot > post.boostUntil) return 0n;
  return saturate(post.boost, BOOST_HALF);
}

/** §10.4 author reputation: reputationOf (§12.3) at `slot`, normalised; 0 without an author. */
export function authorScore(author: Readonly<IdentityRecord> | null, slot: bigint): bigint {
  return author === null ? 0n : saturate(reputationOf(author, slot), AUTHOR_REPUTATION_HALF);
}

/** §10.4 entropy: entropy / 1000 (the record holds Hash(post_id ‖ poh_hash) mod 1000). */
export function entropyScore(entropy: number): bigint {
  const e = BigInt(Math.max(0, Math.min(Number(ENTROPY_RANGE) - 1, Math.trunc(entropy))));
  return (e * WAD) / ENTROPY_RANGE;
}

/** The five parts and the total (see the file comment). */
export function visibilityParts(
  post: Readonly<VisibilityPost>,
  author: Readonly<IdentityRecord> | null,
  slot: bigint,
): VisibilityParts {
  const quality = qualityScore(post);
  const recency = recencyScore(post.createdSlot, slot);
  const boost = boostScore(post, slot);
  const authorPart = authorScore(author, slot);
  const entropy = entropyScore(post.entropy);
  const rest =
    (quality * W.quality + recency * W.recency + authorPart * W.author + entropy * W.entropy) / BPS;
  // b ≤ c (rest + b)  ⟺  b ≤ c × rest / (1 − c), with c = BOOST_SHARE_CAP_BPS / BPS.
  const cap = (rest * BOOST_SHARE_CAP_BPS) / (BPS - BOOST_SHARE_CAP_BPS);
  const raw = (boost * W.boost) / BPS;
  const boostWeighted = minOf(raw, cap);
  return {
    quality,
    recency,
    boost,
    author: authorPart,
    entropy,
    boostWeighted,
    total: rest + boostWeighted,
  };
}

/** §10.4 visibility_score(post) at `slot`, WAD in [0, 1]. */
export function visibilityScore(
  post: Readonly<VisibilityPost>,
  author: Readonly<IdentityRecord> | null,
  slot: bigint,
): bigint {
  return visibilityParts(post, author, slot).total;
}
