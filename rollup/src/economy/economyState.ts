import type { AccountView } from '../tx/validateTransaction.ts';
import { toHex } from '../utils/hex.ts';
import { type BountyRecord, bountyCodec } from './bountyRecord.ts';
import {
  cloneFeeMarket,
  currentBaseFee,
  decodeFeeMarket,
  encodeFeeMarket,
  type FeeMarketState,
  newFeeMarket,
} from './feeMarket.ts';
import { type AciState, cloneAci, decodeAci, encodeAci, newAci } from './monetary/aci.ts';
import {
  type BurnState,
  cloneBurn,
  decodeBurn,
  encodeBurn,
  newBurn,
} from './monetary/dynamicBurn.ts';
import {
  type AnonRootRecord,
  anonRootCodec,
  type NullifierRecord,
  newPrivacy,
  nullifierCodec,
  type PrivacyRecord,
  type PseudonymRecord,
  privacyCodec,
  pseudonymCodec,
} from './privacyRecords.ts';
import {
  type AccountRecord,
  type AuctionRecord,
  accountCodec,
  auctionCodec,
  type CommitmentRecord,
  type CommunityRecord,
  commitmentCodec,
  communityCodec,
  type DueRecord,
  dueCodec,
  type FlagRecord,
  flagCodec,
  type IdentityRecord,
  identityCodec,
  newIdentity,
  newTotals,
  type PairRecord,
  type PostRecord,
  type ProfileRecord,
  pairCodec,
  postCodec,
  profileCodec,
  type TotalsRecord,
  totalsCodec,
  type VoteRecord,
  voteCodec,
} from './records.ts';
import { LayeredStore, type Table, type TableSpec } from './state/layeredStore.ts';

/**
 * Buckets of the tables that grow with use (accounts, identities, posts, votes, pairs, flags):
 * 2^16, sized for millions of records (state/layeredStore.ts: log2(records / 4) keeps buckets
 * small, and the root cost per change is the bucket's). Part of the root, so fixed here.
 */
const BIG = 16;

/** The tables of the economy state, with stable ids (the root commits to them in id order). */
export const TABLES = {
  accounts: {
    name: 'accounts',
    id: 1,
    codec: accountCodec,
    bucketBits: BIG,
  } as TableSpec<AccountRecord>,
  identities: {
    name: 'identities',
    id: 2,
    codec: identityCodec,
    bucketBits: BIG,
  } as TableSpec<IdentityRecord>,
  communities: { name: 'communities', id: 3, codec: communityCodec } as TableSpec<CommunityRecord>,
  posts: { name: 'posts', id: 4, codec: postCodec, bucketBits: BIG } as TableSpec<PostRecord>,
  votes: { name: 'votes', id: 5, codec: voteCodec, bucketBits: BIG } as TableSpec<VoteRecord>,
  pairs: { name: 'pairs', id: 6, codec: pairCodec, bucketBits: BIG } as TableSpec<PairRecord>,
  flags: { name: 'flags', id: 7, codec: flagCodec, bucketBits: BIG } as TableSpec<FlagRecord>,
  bounties: { name: 'bounties', id: 8, codec: bountyCodec } as TableSpec<BountyRecord>,
  commitments: {
    name: 'commitments',
    id: 9,
    codec: commitmentCodec,
  } as TableSpec<CommitmentRecord>,
  auctions: { name: 'auctions', id: 10, codec: auctionCodec } as TableSpec<AuctionRecord>,
  dues: { name: 'dues', id: 11, codec: dueCodec } as TableSpec<DueRecord>,
  totals: { name: 'totals', id: 12, codec: totalsCodec, bucketBits: 0 } as TableSpec<TotalsRecord>,
  feeMarket: {
    name: 'feeMarket',
    id: 13,
    codec: { encode: encodeFeeMarket, decode: decodeFeeMarket, clone: cloneFeeMarket },
    bucketBits: 0,
  } as TableSpec<FeeMarketState>,
  aci: {
    name: 'aci',
    id: 14,
    codec: { encode: encodeAci, decode: decodeAci, clone: cloneAci },
    bucketBits: 0,
  } as TableSpec<AciState>,
  burn: {
    name: 'burn',
    id: 15,
    codec: { encode: encodeBurn, decode: decodeBurn, clone: cloneBurn },
    bucketBits: 0,
  } as TableSpec<BurnState>,
  profiles: { name: 'profiles', id: 16, codec: profileCodec } as TableSpec<ProfileRecord>,
  anonRoots: { name: 'anonRoots', id: 17, codec: anonRootCodec } as TableSpec<AnonRootRecord>,
  nullifiers: {
    name: 'nullifiers',
    id: 18,
    codec: nullifierCodec,
    bucketBits: BIG,
  } as TableSpec<NullifierRecord>,
  pseudonyms: {
    name: 'pseudonyms',
    id: 19,
    codec: pseudonymCodec,
    bucketBits: BIG,
  } as TableSpec<PseudonymRecord>,
  /** Created by the first privacy event (states from before issue 6 have none). */
  privacy: {
    name: 'privacy',
    id: 20,
    codec: privacyCodec,
    bucketBits: 0,
  } as TableSpec<PrivacyRecord>,
} as const;

const SPECS = Object.values(TABLES) as readonly TableSpec<unknown>[];

/** Key of the one record of a singleton table. */
const ONE = '00';

/** A funded account at genesis (the faucet, test accounts). */
export interface EconomyGenesisAccount {
  readonly key: Uint8Array;
  readonly balance: bigint;
}

/** An identity known at genesis (before the beacon relays L2 events), with its signer keys. */
export interface EconomyGenesisIdentity {
  readonly id: bigint;
  readonly stake: bigint;
  readonly signers: readonly Uint8Array[];
}

const ABSENT: AccountView = { nonce: 0n, balance: 0n };

/**
 * The state of one shard's attention economy (docs/economy.md "State"): typed tables over a
 * LayeredStore, so a fork is an O(1) `clone()` and the root costs what changed. The rules live
 * in economyStateMachine.ts; this class only holds data and answers reads.
 */
export class EconomyState {
  readonly store: LayeredStore;
  readonly accounts: Table<AccountRecord>;
  readonly identities: Table<IdentityRecord>;
  readonly communities: Table<CommunityRecord>;
  readonly posts: Table<PostRecord>;
  readonly votes: Table<VoteRecord>;
  readonly pairs: Table<PairRecord>;
  readonly flags: Table<FlagRecord>;
  readonly bounties: Table<BountyRecord>;
  readonly commitments: Table<CommitmentRecord>;
  readonly auctions: Table<AuctionRecord>;
  readonly dues: Table<DueRecord>;
  readonly profiles: Table<ProfileRecord>;
  readonly anonRoots: Table<AnonRootRecord>;
  readonly nullifiers: Table<NullifierRecord>;
  readonly pseudonyms: Table<PseudonymRecord>;
  readonly #privacy: Table<PrivacyRecord>;
  readonly #totals: Table<TotalsRecord>;
  readonly #fees: Table<FeeMarketState>;
  readonly #aci: Table<AciState>;
  readonly #burn: Table<BurnState>;

  private constructor(store: LayeredStore) {
    this.store = store;
    this.accounts = store.table(TABLES.accounts);
    this.identities = store.table(TABLES.identities);
    this.communities = store.table(TABLES.communities);
    this.posts = store.table(TABLES.posts);
    this.votes = store.table(TABLES.votes);
    this.pairs = store.table(TABLES.pairs);
    this.flags = store.table(TABLES.flags);
    this.bounties = store.table(TABLES.bounties);
    this.commitments = store.table(TABLES.commitments);
    this.auctions = store.table(TABLES.auctions);
    this.dues = store.table(TABLES.dues);
    this.profiles = store.table(TABLES.profiles);
    this.anonRoots = store.table(TABLES.anonRoots);
    this.nullifiers = store.table(TABLES.nullifiers);
    this.pseudonyms = store.table(TABLES.pseudonyms);
    this.#privacy = store.table(TABLES.privacy);
    this.#totals = store.table(TABLES.totals);
    this.#fees = store.table(TABLES.feeMarket);
    this.#aci = store.table(TABLES.aci);
    this.#burn = store.table(TABLES.burn);
  }

  /**
   * The genesis state: funded accounts, identities with their signer keys, the initial fee
   * market and monetary state. RangeError on a malformed genesis (bad key length, duplicate key
   * or identity, a signer bound twice, negative amounts).
   */
  static genesis(
    accounts: readonly EconomyGenesisAccount[],
    identities: readonly EconomyGenesisIdentity[] = [],
  ): EconomyState {
    const s = new EconomyState(LayeredStore.create(SPECS));
    let supply = 0n;
    for (const g of accounts) {
      if (g.key.length !== 32) throw new RangeError('genesis account key must be 32 bytes');
      if (g.balance < 0n) throw new RangeError('genesis balance must be ≥ 0');
      const id = toHex(g.key);
      if (s.accounts.has(id)) throw new RangeError(`duplicate genesis account ${id}`);
      s.accounts.set(id, {
        key: Uint8Array.from(g.key),
        nonce: 0n,
        balance: g.balance,
        identity: 0n,
      });
      supply += g.balance;
    }
    for (const g of identities) {
      if (g.id <= 0n) throw new RangeError('genesis identity ids start at 1');
      if (g.stake < 0n) throw new RangeError('genesis stake must be ≥ 0');
      const key = identityKey(g.id);
      if (s.identities.has(key)) throw new RangeError(`duplicate genesis identity ${g.id}`);
      s.identities.set(key, newIdentity(g.id, 0n, g.stake));
      for (const signer of g.signers) {
        if (signer.length !== 32) throw new RangeError('genesis signer key must be 32 bytes');
        const id = toHex(signer);
        const a = s.accounts.getMut(id);
        if (a === undefined)
          s.accounts.set(id, {
            key: Uint8Array.from(signer),
            nonce: 0n,
            balance: 0n,
            identity: g.id,
          });
        else if (a.identity !== 0n) throw new RangeError(`signer ${id} bound twice`);
        else a.identity = g.id;
      }
    }
    const totals = newTotals(supply);
    for (const g of identities) totals.staked += g.stake;
    s.#totals.set(ONE, totals);
    s.#fees.set(ONE, newFeeMarket());
    s.#aci.set(ONE, newAci());
    s.#burn.set(ONE, newBurn());
    return s;
  }

  /** The state after a snapshot (RangeError when malformed). */
  static fromSnapshot(bytes: Uint8Array): EconomyState {
    const s = new EconomyState(LayeredStore.fromSnapshot(SPECS, bytes));
    if (!s.#totals.has(ONE) || !s.#fees.has(ONE) || !s.#aci.has(ONE) || !s.#burn.has(ONE))
      throw new RangeError('state snapshot lacks a singleton');
    return s;
  }

  encodeSnapshot(): Uint8Array {
    return this.store.encodeSnapshot();
  }

  /** A fork on top of this state (O(1)); this state becomes read-only. */
  clone(): EconomyState {
    return new EconomyState(this.store.child());
  }

  /** Folds ancestor layers in (the node calls it on its root bank, after pruning). */
  compact(): void {
    this.store.compact();
  }

  root(): Uint8Array {
    return this.store.root();
  }

  /** Edge view of a signer key's account (absent: nonce 0, balance 0). */
  account(key: Uint8Array): AccountView {
    return this.accounts.get(toHex(key)) ?? ABSENT;
  }

  totals(): Readonly<TotalsRecord> {
    return this.#totals.get(ONE) as TotalsRecord;
  }

  totalsMut(): TotalsRecord {
    return this.#totals.getMut(ONE) as TotalsRecord;
  }

  feeMarket(): Readonly<FeeMarketState> {
    return this.#fees.get(ONE) as FeeMarketState;
  }

  feeMarketMut(): FeeMarketState {
    return this.#fees.getMut(ONE) as FeeMarketState;
  }

  aci(): Readonly<AciState> {
    return this.#aci.get(ONE) as AciState;
  }

  aciMut(): AciState {
    return this.#aci.getMut(ONE) as AciState;
  }

  burnState(): Readonly<BurnState> {
    return this.#burn.get(ONE) as BurnState;
  }

  burnMut(): BurnState {
    return this.#burn.getMut(ONE) as BurnState;
  }

  /** The privacy singleton (a fresh one before the first privacy event). */
  privacy(): Readonly<PrivacyRecord> {
    return this.#privacy.get(ONE) ?? newPrivacy();
  }

  privacyMut(): PrivacyRecord {
    const p = this.#privacy.getMut(ONE);
    if (p !== undefined) return p;
    this.#privacy.set(ONE, newPrivacy());
    return this.#privacy.getMut(ONE) as PrivacyRecord;
  }

  /** The base fee B the next transaction pays against (§10.5). */
  baseFee(): bigint {
    return currentBaseFee(this.feeMarket());
  }

  /** Σ account balances (the conservation check; O(accounts)). */
  totalBalance(): bigint {
    let sum = 0n;
    for (const [, a] of this.accounts.entries()) sum += a.balance;
    return sum;
  }
}

/** Key of an identity record: its id as 16 hex digits (sorts like the number). */
export function identityKey(id: bigint): string {
  return id.toString(16).padStart(16, '0');
}
