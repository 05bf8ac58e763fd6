import { RecordReader, RecordWriter } from './recordCodec.ts';

/**
 * The records of the attention-economy state (docs/economy.md "State"), one table each, with
 * their canonical codecs. Records are plain mutable objects: the state machine changes them in
 * place after `getMut` (copy-on-write per fork, economy/state/layeredStore.ts). Money in µMOLT,
 * reputation in signed WAD (10^18 = 1 point), time in slots.
 */

// ------------------------------------------------------------------ accounts

/** A signer key's account (DESIGN.md §3): its nonce and balance, and the identity it acts for. */
export interface AccountRecord {
  readonly key: Uint8Array;
  nonce: bigint;
  balance: bigint;
  /** The identity this key is authorized for (L2 `SignerAuthorized`), 0 for none. */
  identity: bigint;
}

export const accountCodec = {
  encode: (a: AccountRecord) =>
    new RecordWriter().bytes32(a.key).u64(a.nonce).u64(a.balance).u64(a.identity).finish(),
  decode(b: Uint8Array): AccountRecord {
    const r = new RecordReader(b);
    const a = { key: r.bytes32(), nonce: r.u64(), balance: r.u64(), identity: r.u64() };
    r.end();
    return a;
  },
  clone: (a: AccountRecord): AccountRecord => ({ ...a }),
};

// ------------------------------------------------------------------ identities

export const IDENTITY_STATUS = { active: 0, frozen: 1, retired: 2 } as const;
export type IdentityStatus = keyof typeof IDENTITY_STATUS;
const STATUS_BY_ID: readonly IdentityStatus[] = ['active', 'frozen', 'retired'];

/** §17.3 free-tier state of an identity. */
export const FREE_TIER = { eligible: 0, active: 1, lost: 2, none: 3 } as const;
export type FreeTier = keyof typeof FREE_TIER;
const FREE_TIER_BY_ID: readonly FreeTier[] = ['eligible', 'active', 'lost', 'none'];

/** One voter's upvotes to an identity in the current epoch (§12.3 voting diversity). */
export interface VoterCount {
  readonly voter: bigint;
  count: number;
}

/**
 * A hardware identity as the shard knows it (mirrored from the L2 IdentityRegistry through the
 * beacon, DESIGN.md §4 step 5), with its §12.3 reputation and §17.3 newcomer state.
 */
export interface IdentityRecord {
  readonly id: bigint;
  status: IdentityStatus;
  /** Slot at which the shard learned of the registration (age for §12.3 / §17.3 rules). */
  registeredSlot: bigint;
  /** Stake on the L2 (µMOLT), for `stake_log_bonus` and the §17.3 "active 100 MOLT stake". */
  stake: bigint;
  /** §12.3 `base_reputation` (signed WAD), without decay and stake bonus. */
  reputation: bigint;
  /** Slot of the last quality contribution (decay starts there). */
  lastQualitySlot: bigint;
  /** Epoch the per-epoch counters below belong to. */
  epoch: bigint;
  /**
   * Reputation (reputationOf, WAD) at the first slot of `epoch`: the base of the epoch's caps, so
   * gains within an epoch never raise their own cap (reputation.ts `settleEpoch`).
   */
  epochRep: bigint;
  /** Reputation gained this epoch (cap: max(50, ½ epochRep)). */
  epochGain: bigint;
  /** Of which from bounties (cap: max(10, 20 % of epochRep)). */
  epochBountyGain: bigint;
  /** Upvote gain waiting for the end of the epoch (voting-diversity discount applies then). */
  pendingUpvoteGain: bigint;
  /** Upvotes received this epoch, and the top voters (at most 5) with their counts. */
  epochUpvotes: number;
  topVoters: VoterCount[];
  /** Lifetime reputation by source (§10.3 temporal diversity above 200). */
  fromUpvotes: bigint;
  fromBounties: bigint;
  /** Posts, replies, answers and votes made (§17.3 "< 100 total interactions"). */
  interactions: bigint;
  /** §17.3 free tier. */
  freeTier: FreeTier;
  /** Day (slot / SLOTS_PER_DAY) of `freePostsToday`. */
  freeDay: bigint;
  freePostsToday: number;
  /** Net vote weight received on free-tier posts in the first 7 days (signed WAD). */
  earlyNetVotes: bigint;
  /**
   * §12.1 graph anti-sybil hook: penalty in basis points (0 = none) on reputation, vote weight and
   * the gains made while flagged (reputation.ts `setSybilPenalty`).
   */
  penaltyBps: number;
  /** 1 + the last epoch counted in `totals.epochActiveAgents` (0: never counted). */
  activeEpoch: bigint;
}

export const MAX_TOP_VOTERS = 5;

export function newIdentity(id: bigint, slot: bigint, stake: bigint): IdentityRecord {
  return {
    id,
    status: 'active',
    registeredSlot: slot,
    stake,
    reputation: 0n,
    lastQualitySlot: slot,
    epoch: 0n,
    epochRep: 0n,
    epochGain: 0n,
    epochBountyGain: 0n,
    pendingUpvoteGain: 0n,
    epochUpvotes: 0,
    topVoters: [],
    fromUpvotes: 0n,
    fromBounties: 0n,
    interactions: 0n,
    freeTier: 'eligible',
    freeDay: 0n,
    freePostsToday: 0,
    earlyNetVotes: 0n,
    penaltyBps: 0,
    activeEpoch: 0n,
  };
}

export const identityCodec = {
  encode(i: IdentityRecord): Uint8Array {
    const w = new RecordWriter()
      .u64(i.id)
      .u8(IDENTITY_STATUS[i.status])
      .u64(i.registeredSlot)
      .u64(i.stake)
      .i256(i.reputation)
      .u64(i.lastQualitySlot)
      .u64(i.epoch)
      .i256(i.epochRep)
      .i256(i.epochGain)
      .i256(i.epochBountyGain)
      .i256(i.pendingUpvoteGain)
      .u32(i.epochUpvotes)
      .u8(i.topVoters.length);
    for (const v of i.topVoters) w.u64(v.voter).u32(v.count);
    return w
      .i256(i.fromUpvotes)
      .i256(i.fromBounties)
      .u64(i.interactions)
      .u8(FREE_TIER[i.freeTier])
      .u64(i.freeDay)
      .u32(i.freePostsToday)
      .i256(i.earlyNetVotes)
      .u32(i.penaltyBps)
      .u64(i.activeEpoch)
      .finish();
  },
  decode(b: Uint8Array): IdentityRecord {
    const r = new RecordReader(b);
    const id = r.u64();
    const status = STATUS_BY_ID[r.u8()];
    if (status === undefined) throw new RangeError('bad identity status');
    const registeredSlot = r.u64();
    const stake = r.u64();
    const reputation = r.i256();
    const lastQualitySlot = r.u64();
    const epoch = r.u64();
    const epochRep = r.i256();
    const epochGain = r.i256();
    const epochBountyGain = r.i256();
    const pendingUpvoteGain = r.i256();
    const epochUpvotes = r.u32();
    const n = r.u8();
    if (n > MAX_TOP_VOTERS) throw new RangeError('too many top voters');
    const topVoters: VoterCount[] = [];
    for (let k = 0; k < n; k++) topVoters.push({ voter: r.u64(), count: r.u32() });
    const fromUpvotes = r.i256();
    const fromBounties = r.i256();
    const interactions = r.u64();
    const freeTier = FREE_TIER_BY_ID[r.u8()];
    if (freeTier === undefined) throw new RangeError('bad free tier');
    const rec: IdentityRecord = {
      id,
      status,
      registeredSlot,
      stake,
      reputation,
      lastQualitySlot,
      epoch,
      epochRep,
      epochGain,
      epochBountyGain,
      pendingUpvoteGain,
      epochUpvotes,
      topVoters,
      fromUpvotes,
      fromBounties,
      interactions,
      freeTier,
      freeDay: r.u64(),
      freePostsToday: r.u32(),
      earlyNetVotes: r.i256(),
      penaltyBps: r.u32(),
      activeEpoch: r.u64(),
    };
    r.end();
    return rec;
  },
  clone: (i: IdentityRecord): IdentityRecord => ({
    ...i,
    topVoters: i.topVoters.map((v) => ({ ...v })),
  }),
};

// ------------------------------------------------------------------ communities

export interface CommunityRecord {
  readonly name: string;
  readonly creator: bigint;
  readonly createdSlot: bigint;
  posts: bigint;
}

export const communityCodec = {
  encode: (c: CommunityRecord) =>
    new RecordWriter().str(c.name).u64(c.creator).u64(c.createdSlot).u64(c.posts).finish(),
  decode(b: Uint8Array): CommunityRecord {
    const r = new RecordReader(b);
    const c = { name: r.str(), creator: r.u64(), createdSlot: r.u64(), posts: r.u64() };
    r.end();
    return c;
  },
  clone: (c: CommunityRecord): CommunityRecord => ({ ...c }),
};

// ------------------------------------------------------------------ posts

export const POST_KIND = { post: 0, reply: 1, bountyQuestion: 2, bountyAnswer: 3 } as const;
export type PostKind = keyof typeof POST_KIND;
const POST_KIND_BY_ID: readonly PostKind[] = ['post', 'reply', 'bountyQuestion', 'bountyAnswer'];

/** §16.2: visible, hidden from feeds pending review, or soft-deleted (content withheld). */
export const MODERATION = { visible: 0, hidden: 1, removed: 2 } as const;
export type Moderation = keyof typeof MODERATION;
const MODERATION_BY_ID: readonly Moderation[] = ['visible', 'hidden', 'removed'];

/** §6.3 how the author appears: an identity, a pseudonym (nullifier) or anonymous. */
export const AUTHOR_MODE = { public: 0, pseudonymous: 1, anonymous: 2 } as const;
export type AuthorMode = keyof typeof AUTHOR_MODE;
const AUTHOR_MODE_BY_ID: readonly AuthorMode[] = ['public', 'pseudonymous', 'anonymous'];

export interface PostRecord {
  readonly id: Uint8Array;
  readonly kind: PostKind;
  readonly mode: AuthorMode;
  /** The author identity (public mode), else 0. */
  readonly author: bigint;
  /** The signer key that paid (refunds and escrow payouts go to its account). */
  readonly authorKey: Uint8Array;
  readonly community: string;
  /** The post replied to (zero for a thread or a bounty question). */
  readonly parent: Uint8Array;
  /** The thread's first post (itself for a thread). */
  readonly root: Uint8Array;
  readonly contentHash: Uint8Array;
  readonly size: number;
  /** Slot after which the body may be dropped by DA nodes (0 = permanent, §9.3). */
  readonly expirySlot: bigint;
  readonly createdSlot: bigint;
  /** §10.4 entropy in [0, 1000): Hash(post_id ‖ poh_hash) mod 1000. */
  readonly entropy: number;
  /** Σ reputation-weighted up / down votes (WAD) and their counts. */
  up: bigint;
  down: bigint;
  upCount: number;
  downCount: number;
  /** Σ flaggers' reputation (WAD, §14.2). */
  flagWeight: bigint;
  moderation: Moderation;
  replies: number;
  /** µMOLT paid for boosts won (§10.4), lifetime. */
  boost: bigint;
  /** Last slot of the boost window the post won (0: never boosted). */
  boostUntil: bigint;
}

export const postCodec = {
  encode: (p: PostRecord) =>
    new RecordWriter()
      .bytes32(p.id)
      .u8(POST_KIND[p.kind])
      .u8(AUTHOR_MODE[p.mode])
      .u64(p.author)
      .bytes32(p.authorKey)
      .str(p.community)
      .bytes32(p.parent)
      .bytes32(p.root)
      .bytes32(p.contentHash)
      .u32(p.size)
      .u64(p.expirySlot)
      .u64(p.createdSlot)
      .u32(p.entropy)
      .i256(p.up)
      .i256(p.down)
      .u32(p.upCount)
      .u32(p.downCount)
      .i256(p.flagWeight)
      .u8(MODERATION[p.moderation])
      .u32(p.replies)
      .u64(p.boost)
      .u64(p.boostUntil)
      .finish(),
  decode(b: Uint8Array): PostRecord {
    const r = new RecordReader(b);
    const id = r.bytes32();
    const kind = POST_KIND_BY_ID[r.u8()];
    const mode = AUTHOR_MODE_BY_ID[r.u8()];
    if (kind === undefined || mode === undefined) throw new RangeError('bad post kind or mode');
    const p = {
      id,
      kind,
      mode,
      author: r.u64(),
      authorKey: r.bytes32(),
      community: r.str(),
      parent: r.bytes32(),
      root: r.bytes32(),
      contentHash: r.bytes32(),
      size: r.u32(),
      expirySlot: r.u64(),
      createdSlot: r.u64(),
      entropy: r.u32(),
      up: r.i256(),
      down: r.i256(),
      upCount: r.u32(),
      downCount: r.u32(),
      flagWeight: r.i256(),
      moderation: 'visible' as Moderation,
      replies: 0,
      boost: 0n,
      boostUntil: 0n,
    };
    const m = MODERATION_BY_ID[r.u8()];
    if (m === undefined) throw new RangeError('bad moderation state');
    p.moderation = m;
    p.replies = r.u32();
    p.boost = r.u64();
    p.boostUntil = r.u64();
    r.end();
    return p;
  },
  clone: (p: PostRecord): PostRecord => ({ ...p }),
};

// ------------------------------------------------------------------ profiles

/** §10.2 "Update profile": the identity's current profile body, by reference. */
export interface ProfileRecord {
  readonly contentHash: Uint8Array;
  readonly size: number;
  readonly updatedSlot: bigint;
}

export const profileCodec = {
  encode: (p: ProfileRecord) =>
    new RecordWriter().bytes32(p.contentHash).u32(p.size).u64(p.updatedSlot).finish(),
  decode(b: Uint8Array): ProfileRecord {
    const r = new RecordReader(b);
    const p = { contentHash: r.bytes32(), size: r.u32(), updatedSlot: r.u64() };
    r.end();
    return p;
  },
  clone: (p: ProfileRecord): ProfileRecord => ({ ...p }),
};

// ------------------------------------------------------------------ votes and flags

/** One identity's vote on one post (key: voter ‖ post), so nobody votes twice. */
export interface VoteRecord {
  readonly direction: 'up' | 'down';
  /** The weight the vote carried (WAD), for the record and for reversals by moderation. */
  readonly weight: bigint;
}

export const voteCodec = {
  encode: (v: VoteRecord) =>
    new RecordWriter()
      .u8(v.direction === 'up' ? 1 : 2)
      .i256(v.weight)
      .finish(),
  decode(b: Uint8Array): VoteRecord {
    const r = new RecordReader(b);
    const d = r.u8();
    if (d !== 1 && d !== 2) throw new RangeError('bad vote direction');
    const v: VoteRecord = { direction: d === 1 ? 'up' : 'down', weight: r.i256() };
    r.end();
    return v;
  },
  clone: (v: VoteRecord): VoteRecord => ({ ...v }),
};

/** Upvotes of one voter to one author in one epoch (§12.3 diversity discount). */
export interface PairRecord {
  count: number;
}

export const pairCodec = {
  encode: (p: PairRecord) => new RecordWriter().u32(p.count).finish(),
  decode(b: Uint8Array): PairRecord {
    const r = new RecordReader(b);
    const p = { count: r.u32() };
    r.end();
    return p;
  },
  clone: (p: PairRecord): PairRecord => ({ ...p }),
};

/** A flag by one identity on one post (key: flagger ‖ post): one flag each. */
export interface FlagRecord {
  readonly weight: bigint;
}

export const flagCodec = {
  encode: (f: FlagRecord) => new RecordWriter().i256(f.weight).finish(),
  decode(b: Uint8Array): FlagRecord {
    const r = new RecordReader(b);
    const f = { weight: r.i256() };
    r.end();
    return f;
  },
  clone: (f: FlagRecord): FlagRecord => ({ ...f }),
};

// ------------------------------------------------------------------ commit-reveal (§14.3)

export interface CommitmentRecord {
  readonly sender: Uint8Array;
  readonly deposit: bigint;
  readonly slot: bigint;
}

export const commitmentCodec = {
  encode: (c: CommitmentRecord) =>
    new RecordWriter().bytes32(c.sender).u64(c.deposit).u64(c.slot).finish(),
  decode(b: Uint8Array): CommitmentRecord {
    const r = new RecordReader(b);
    const c = { sender: r.bytes32(), deposit: r.u64(), slot: r.u64() };
    r.end();
    return c;
  },
  clone: (c: CommitmentRecord): CommitmentRecord => ({ ...c }),
};

// ------------------------------------------------------------------ boost auctions (§10.4)

export interface BoostBid {
  readonly post: Uint8Array;
  readonly bidder: Uint8Array;
  readonly amount: bigint;
}

/** The sealed-at-close bids of one auction window (key: window number). */
export interface AuctionRecord {
  bids: BoostBid[];
  settled: boolean;
}

export const auctionCodec = {
  encode(a: AuctionRecord): Uint8Array {
    const w = new RecordWriter().u32(a.bids.length);
    for (const b of a.bids) w.bytes32(b.post).bytes32(b.bidder).u64(b.amount);
    return w.u8(a.settled ? 1 : 0).finish();
  },
  decode(bytes: Uint8Array): AuctionRecord {
    const r = new RecordReader(bytes);
    const n = r.count(65_536);
    const bids: BoostBid[] = [];
    for (let k = 0; k < n; k++)
      bids.push({ post: r.bytes32(), bidder: r.bytes32(), amount: r.u64() });
    const s = r.u8();
    if (s > 1) throw new RangeError('bad auction flag');
    r.end();
    return { bids, settled: s === 1 };
  },
  clone: (a: AuctionRecord): AuctionRecord => ({ bids: [...a.bids], settled: a.settled }),
};

// ------------------------------------------------------------------ deadlines

/** What is due at a slot: bounty deadlines, reveal windows, auction closes, moderation reviews. */
export const DUE_KIND = {
  bountyDeadline: 1,
  revealExpiry: 2,
  auctionClose: 3,
  reviewClose: 4,
} as const;
export type DueKind = keyof typeof DUE_KIND;
const DUE_KIND_BY_ID: Record<number, DueKind> = {
  1: 'bountyDeadline',
  2: 'revealExpiry',
  3: 'auctionClose',
  4: 'reviewClose',
};

export interface DueItem {
  readonly kind: DueKind;
  /** A bounty id, a commitment, a post, or an auction window (u64 big-endian in the last 8 bytes). */
  readonly ref: Uint8Array;
}

export interface DueRecord {
  items: DueItem[];
}

export const dueCodec = {
  encode(d: DueRecord): Uint8Array {
    const w = new RecordWriter().u32(d.items.length);
    for (const i of d.items) w.u8(DUE_KIND[i.kind]).bytes32(i.ref);
    return w.finish();
  },
  decode(bytes: Uint8Array): DueRecord {
    const r = new RecordReader(bytes);
    const n = r.count(1 << 20);
    const items: DueItem[] = [];
    for (let k = 0; k < n; k++) {
      const kind = DUE_KIND_BY_ID[r.u8()];
      if (kind === undefined) throw new RangeError('bad due kind');
      items.push({ kind, ref: r.bytes32() });
    }
    r.end();
    return { items };
  },
  clone: (d: DueRecord): DueRecord => ({ items: [...d.items] }),
};

// ------------------------------------------------------------------ totals (conservation)

/**
 * Where every µMOLT of the shard is, besides account balances (the conservation law of
 * docs/economy.md): Σ balances + escrowed + deposits + pools + burned = supply.
 */
export interface TotalsRecord {
  /** Genesis balances + L2 deposits + emission credited. */
  supply: bigint;
  burned: bigint;
  /** Bounty escrows and open boost bids. */
  escrowed: bigint;
  /** §14.3 commitment deposits. */
  deposits: bigint;
  /** §10.2 validators' share, paid out per epoch by the beacon (a later issue). */
  validatorsPool: bigint;
  /** §10.2 storage share and §9.3's 60 % to DA node operators. */
  daPool: bigint;
  /** §9.3's 20 % to archival nodes. */
  archivalPool: bigint;
  /** §10.2 treasury share; pays the §17.3 newcomer free tier. */
  treasuryPool: bigint;
  /** §17.3 free-tier activations: the day counted and how many that day. */
  activationDay: bigint;
  activationsToday: number;
  /** Last slot `beginSlot` ran for (deadlines processed up to it). */
  lastSlot: bigint;
  /** Σ identity stakes mirrored from the L2 (§10.6 staking signal). */
  staked: bigint;
  /** §10.6 signal inputs of the current epoch (`epoch`), reset when it rolls. */
  epoch: bigint;
  epochFeeRevenue: bigint;
  epochActiveAgents: number;
  epochStorageFees: bigint;
  epochStorageBytes: bigint;
  /** Bounty amounts opened this epoch (the first EPOCH_BOUNTY_SAMPLE of them). */
  epochBounties: bigint[];
  /** §10.6 MOLT/USD oracle price delivered by the beacon (µUSD per MOLT; 0 = none yet). */
  oraclePrice: bigint;
  /** Slot at which the state machine applied that price. */
  oracleSlot: bigint;
}

export function newTotals(supply: bigint): TotalsRecord {
  return {
    supply,
    burned: 0n,
    escrowed: 0n,
    deposits: 0n,
    validatorsPool: 0n,
    daPool: 0n,
    archivalPool: 0n,
    treasuryPool: 0n,
    activationDay: 0n,
    activationsToday: 0,
    lastSlot: 0n,
    staked: 0n,
    epoch: 0n,
    epochFeeRevenue: 0n,
    epochActiveAgents: 0,
    epochStorageFees: 0n,
    epochStorageBytes: 0n,
    epochBounties: [],
    oraclePrice: 0n,
    oracleSlot: 0n,
  };
}

export const totalsCodec = {
  encode(t: TotalsRecord): Uint8Array {
    const w = new RecordWriter()
      .u64(t.supply)
      .u64(t.burned)
      .u64(t.escrowed)
      .u64(t.deposits)
      .u64(t.validatorsPool)
      .u64(t.daPool)
      .u64(t.archivalPool)
      .u64(t.treasuryPool)
      .u64(t.activationDay)
      .u32(t.activationsToday)
      .u64(t.lastSlot)
      .u64(t.staked)
      .u64(t.epoch)
      .u64(t.epochFeeRevenue)
      .u32(t.epochActiveAgents)
      .u64(t.epochStorageFees)
      .u64(t.epochStorageBytes)
      .u32(t.epochBounties.length);
    for (const b of t.epochBounties) w.u64(b);
    return w.u64(t.oraclePrice).u64(t.oracleSlot).finish();
  },
  decode(bytes: Uint8Array): TotalsRecord {
    const r = new RecordReader(bytes);
    const t = newTotals(r.u64());
    t.burned = r.u64();
    t.escrowed = r.u64();
    t.deposits = r.u64();
    t.validatorsPool = r.u64();
    t.daPool = r.u64();
    t.archivalPool = r.u64();
    t.treasuryPool = r.u64();
    t.activationDay = r.u64();
    t.activationsToday = r.u32();
    t.lastSlot = r.u64();
    t.staked = r.u64();
    t.epoch = r.u64();
    t.epochFeeRevenue = r.u64();
    t.epochActiveAgents = r.u32();
    t.epochStorageFees = r.u64();
    t.epochStorageBytes = r.u64();
    const n = r.count(1 << 16);
    for (let k = 0; k < n; k++) t.epochBounties.push(r.u64());
    t.oraclePrice = r.u64();
    t.oracleSlot = r.u64();
    r.end();
    return t;
  },
  clone: (t: TotalsRecord): TotalsRecord => ({ ...t, epochBounties: [...t.epochBounties] }),
};
