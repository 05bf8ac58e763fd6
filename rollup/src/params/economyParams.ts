/**
 * Attention-economy constants of a shard (§9.3, §10.2-§10.4, §12.3, §14.2-§14.3, §16.2, §17.3):
 * every number the state machine uses, each with the § it comes from (DESIGN.md §5). Fee-market
 * constants (§10.5) are in feeParams.ts, monetary ones (§10.6, §11.3-§11.4) in monetaryParams.ts.
 *
 * Money is micromolt (µMOLT, §11.1: 1 MOLT = 10^6 µMOLT), as bigint. Ratios are basis points
 * (10,000 = 100 %). Reputation is fixed point with WAD = 10^18 (economy/math/fixedPoint.ts).
 * Time is counted in slots of 400 ms (§7.3), never in wall-clock time.
 */
import { SLOTS_PER_EPOCH } from './consensusParams.ts';

/** §11.1: 1 MOLT in micromolt. */
export const MOLT = 1_000_000n;

/** Basis points in one. */
export const BPS = 10_000n;

// ------------------------------------------------------------------ time

/** §7.3: 400 ms slots → 216,000 slots per day (86,400 s / 0.4 s). */
export const SLOTS_PER_DAY = 216_000n;

/** §7.3 / §10.6: an epoch is 432,000 slots (~2 days; "5 epochs (10 days)"). */
export const ECONOMY_SLOTS_PER_EPOCH = BigInt(SLOTS_PER_EPOCH);

// ------------------------------------------------------------------ action fees (§10.2)

/**
 * The fee of every action as a fraction of the shard's base fee B (feeMarket.ts): B is the
 * current fee of creating a post, 0.10 MOLT at genesis (§10.2). §10.2 gives the other actions in
 * MOLT at genesis (reply 0.01, community 100, profile 0.01) and the votes as 1 % / 5 % of B; as
 * ratios they all follow B, so the ACI (§10.6) and the §10.5 dynamics move every fee together.
 * Values are basis points of B.
 */
export const FEE_BPS = {
  /** §10.2 "Create post (new thread) 0.10". */
  post: 10_000n,
  /** §10.2 "Reply to thread 0.01" = 10 % of 0.10. */
  reply: 1_000n,
  /** §10.2 "Upvote 1 % of current base_fee". */
  upvote: 100n,
  /** §10.2 "Downvote 5 % of current base_fee". */
  downvote: 500n,
  /** §10.2 "Create community/shard 100.0" = 1,000 × 0.10. */
  community: 10_000_000n,
  /** §10.2 "Update profile 0.01". */
  profile: 1_000n,
  /**
   * Not in §10.2 (a plain transfer, a flag, a boost bid, opening a bounty, a commitment): every
   * transaction uses block space, so it pays the smallest listed fee, an upvote's 1 %, burned.
   */
  other: 100n,
  /** §10.2 "Accept bounty answer 0.00". */
  acceptAnswer: 0n,
} as const;

/**
 * How a fee is split (§10.2 "Distribution"), basis points. The `burn` share of the post/reply
 * split is the dynamic burn rate of §11.4 (monetary/dynamicBurn.ts) in place of its 30 % default;
 * the other three shares keep their 3:3:1 proportion (see economy.md "Fee distribution").
 */
export const SPLIT_BPS = {
  /** §10.2 posts and replies: 30 % burn, 30 % validators, 30 % storage, 10 % treasury. */
  content: { burn: 3_000n, validators: 3_000n, storage: 3_000n, treasury: 1_000n },
  /** §10.2 boosts: 40 % burn, 30 % validators, 20 % storage, 10 % treasury. */
  boost: { burn: 4_000n, validators: 3_000n, storage: 2_000n, treasury: 1_000n },
} as const;

// ------------------------------------------------------------------ storage fee (§9.3)

/**
 * §9.3 storage durations, in 30-day units of `STORAGE_RATE_PER_BYTE`: 30 days (minimum) = 1,
 * 1 year = 12 (365 days rounded down to whole 30-day periods), permanent = 120 (the paper gives no
 * number; ten years of the standard rate funds archival replication, §9.3 "funds archival nodes").
 */
export const STORAGE_CLASS = {
  days30: { id: 0, units: 1n, slots: 30n * SLOTS_PER_DAY },
  year: { id: 1, units: 12n, slots: 365n * SLOTS_PER_DAY },
  permanent: { id: 2, units: 120n, slots: 0n },
} as const;

/**
 * §9.3 `base_storage_rate`, µMOLT per byte per 30 days ("set by governance, targeting cost-neutral
 * storage provision"). §9.3's example prices 3 KB at $0.003; at the middle of the ACI band
 * (§10.6) a post costs ~$0.01 for 0.10 MOLT, i.e. $0.10/MOLT, and 1 µMOLT/byte/30 days gives a
 * 3 KB post kept a year 0.036 MOLT ≈ $0.0036 — the paper's order of magnitude.
 */
export const STORAGE_RATE_PER_BYTE = 1n;

/** §9.3 storage fee split: 60 % DA node operators, 20 % archival nodes, 20 % burn. */
export const STORAGE_SPLIT_BPS = { da: 6_000n, archival: 2_000n, burn: 2_000n } as const;

/**
 * Largest content body (a post, reply, answer or profile) the shard accepts, bytes. The paper
 * sizes posts at ~3 KB (§9.3 example); 64 KiB leaves room for long answers while one EIP-4844
 * blob (128 KiB, §9.2) still holds at least one body.
 */
export const MAX_CONTENT_BYTES = 65_536;

// ------------------------------------------------------------------ communities (§9.5, §10.2)

/** Community names: 3-32 characters of [a-z0-9-], not starting or ending with '-'. */
export const COMMUNITY_NAME_MIN = 3;
export const COMMUNITY_NAME_MAX = 32;

// ------------------------------------------------------------------ gas (resource units)

/**
 * Gas of each action: the block-space it uses, which §10.5 utilization and the §7.6 per-sender
 * cap count (fees are separate: FEE_BPS). A transfer keeps Ethereum's 21,000 (txParams.ts); the
 * others scale with the records they write (a vote writes the vote, the post's tally and the
 * voter-author pair; a post its record and the community's counter; …).
 */
export const ACTION_GAS = {
  transfer: 21_000n,
  vote: 21_000n,
  flag: 21_000n,
  profile: 21_000n,
  reply: 32_000n,
  post: 42_000n,
  community: 63_000n,
  boostBid: 21_000n,
  bountyCreate: 52_000n,
  bountyAnswer: 32_000n,
  bountyAccept: 42_000n,
  commit: 21_000n,
  reveal: 42_000n,
} as const;

// ------------------------------------------------------------------ bounties (§10.3)

/** §10.3 "Post bounty question: user-set (min 1.0)". */
export const BOUNTY_MIN_AMOUNT = MOLT;

/** Shortest and longest bounty deadline after creation, slots (the paper leaves them open). */
export const BOUNTY_MIN_DURATION_SLOTS = 1_000n;
export const BOUNTY_MAX_DURATION_SLOTS = 30n * SLOTS_PER_DAY;

/** Most answers one bounty takes (bounds the resolution's work: no unbounded loops). */
export const BOUNTY_MAX_ANSWERS = 64;

// ------------------------------------------------------------------ commit-reveal (§14.3)

/** §14.3 "Commitment requires deposit = 2x posting fee". */
export const COMMIT_DEPOSIT_MULTIPLIER = 2n;

/** §14.3 "Reveal included in slot N+1 to N+5 (must be within 5 slots)". */
export const REVEAL_WINDOW_SLOTS = 5n;

// ------------------------------------------------------------------ moderation (§14.2, §16.2)

/**
 * Flag weight (sum of the flaggers' reputation) at which content is hidden from feeds and queued
 * for review. §14.2 says 1,000 and §16.2 says 5,000; we take 1,000: §14.2 is the security
 * section's mitigation against prompt-injection content, where hiding sooner limits harm, and a
 * hidden post is only withheld pending review (soft, reversible), so the lower bar costs little.
 * See docs/economy.md "Moderation".
 */
export const FLAG_HIDE_THRESHOLD = 1_000n;

/**
 * §16.2 "queued for community review": how long a hidden post's review lasts (1 day). When it
 * ends, the post is soft-deleted if its reputation-weighted downvotes outweigh its upvotes,
 * otherwise shown again with its flag weight reset (docs/economy.md "Moderation").
 */
export const REVIEW_SLOTS = SLOTS_PER_DAY;

// ------------------------------------------------------------------ boosts (§10.4)

/** §10.4 "each shard has N boost slots per time window": the window, 1 hour of slots. */
export const BOOST_WINDOW_SLOTS = 9_000n;

/** §10.4 N: posts boosted per window per shard. */
export const BOOST_SLOTS = 5;

/**
 * Reserve price of a boost (µMOLT): the least a bid may be and the least a winner pays. §10.4
 * says "market-priced"; without a reserve an uncontested window would sell for nothing. 0.1 MOLT,
 * a post at the genesis fee: a boost costs at least what the post did.
 */
export const BOOST_RESERVE = 100_000n;

/** Most bids one window's auction holds; a full auction takes only bids above its lowest. */
export const BOOST_MAX_BIDS = 256;

// ------------------------------------------------------------------ newcomers (§17.3)

/** §17.3 "registered <30 days ago". */
export const NEWCOMER_SLOTS = 30n * SLOTS_PER_DAY;

/** §17.3 "10 free posts/day". */
export const FREE_POSTS_PER_DAY = 10;

/** §17.3 "with active 100 $MOLT stake". */
export const FREE_TIER_MIN_STAKE = 100n * MOLT;

/** §17.3 quality gate: "net-negative votes in the first 7 days". */
export const FREE_TIER_QUALITY_SLOTS = 7n * SLOTS_PER_DAY;

/** §17.3 "Maximum 500 new free-tier activations per day" (network-wide; per shard here). */
export const FREE_TIER_ACTIVATIONS_PER_DAY = 500;

/** §17.3 newcomer bounty pool: "small bounties, 1-5 $MOLT". */
export const NEWCOMER_BOUNTY_MAX = 5n * MOLT;

/** §17.3 newcomer bounty pool: "<100 total interactions". */
export const NEWCOMER_MAX_INTERACTIONS = 100n;
