import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { BLOCK_FLAGS, blockHash, decodeBlock, encodeBlock } from '../codec/blockCodec.ts';
import { CodecError } from '../codec/codecError.ts';
import { ConsensusError } from '../consensus/consensusError.ts';
import {
  detectDuplicateBlock,
  detectVoteLockoutViolation,
  type Evidence,
  encodeEvidence,
} from '../consensus/equivocation.ts';
import {
  decodeInclusionList,
  encodeInclusionList,
  signInclusionList,
  verifyInclusionList,
} from '../consensus/inclusionList.ts';
import {
  type LeaderSchedule,
  leaderSchedule,
  leaderScheduleSeed,
} from '../consensus/leaderSchedule.ts';
import { Tower } from '../consensus/tower.ts';
import { signTower, verifyTower } from '../consensus/towerCodec.ts';
import {
  decodeVote,
  encodeVote,
  makeVote,
  type SignedVote,
  signVote,
  verifyVoteSignature,
  voteSlot,
} from '../consensus/vote.ts';
import type { Ed25519KeyPair } from '../crypto/ed25519.ts';
import { importPublicKey } from '../crypto/ed25519.ts';
import { signBlock, verifyBlockSignature } from '../crypto/signBlock.ts';
import { EconomyState, identityKey } from '../economy/economyState.ts';
import { contentOf } from '../economy/fees.ts';
import { genesisState } from '../economy/genesisState.ts';
import { postIdOf } from '../economy/ids.ts';
import { checkZkAction } from '../economy/zkActions.ts';
import { type Genesis, genesisHash } from '../genesis/genesis.ts';
import { ContentPool } from '../mempool/contentPool.ts';
import { Mempool } from '../mempool/mempool.ts';
import { createNodeMetrics, type NodeMetrics } from '../metrics/nodeMetrics.ts';
import { registerBlockSync, requestBlocks } from '../p2p/blockSync.ts';
import { MAX_SYNC_BLOCKS } from '../p2p/blockSyncCodec.ts';
import { decodeContentMessage, encodeContentMessage } from '../p2p/contentGossipCodec.ts';
import {
  createP2pNode,
  dialPeers,
  type GossipVerdict,
  libp2pKeyFromEd25519,
  type P2pNode,
  peerIdOfValidator,
  setAsyncGossipValidator,
  setGossipValidator,
  shardTopic,
} from '../p2p/createP2pNode.ts';
import {
  MINORITY_HALT_SLOTS,
  PARTITION_STALL_SLOTS,
  SLOT_DURATION_MS,
  targetTickNs,
} from '../params/consensusParams.ts';
import { NUM_CONSECUTIVE_LEADER_SLOTS } from '../params/towerParams.ts';
import { SLOT_GAS_LIMIT, senderGasCap } from '../params/txParams.ts';
import type { PohEntry } from '../poh/poh.ts';
import { PohService } from '../poh/pohService.ts';
import { PohVerifierPool } from '../poh/pohVerifierPool.ts';
import { adminRpcHandlers } from '../rpc/adminRpcHandlers.ts';
import { type EconomyRpcView, economyRpcHandlers } from '../rpc/economyRpcHandlers.ts';
import {
  type AccountJson,
  type Commitment,
  type NodeRpcView,
  nodeRpcHandlers,
  type SubmitResult,
} from '../rpc/nodeRpcHandlers.ts';
import { type NodeHealth, RpcServer } from '../rpc/rpcServer.ts';
import { ChainStore, STORE_VERSION } from '../store/chainStore.ts';
import { type ContentStore, LevelContentStore } from '../store/contentStore.ts';
import { type FeedEntry, FeedIndex, type FeedQuery, feedEntryOf } from '../store/feedIndex.ts';
import { intrinsicGas } from '../tx/intrinsicGas.ts';
import { SignerKeyCache } from '../tx/signerKeyCache.ts';
import { type ContentRef, isZkPayload, type SignedTransaction } from '../tx/transaction.ts';
import { decodeTxBatch, encodeTxBatch, MAX_GOSSIP_BATCH_TXS } from '../tx/txBatchCodec.ts';
import { TxVerifierPool } from '../tx/txVerifierPool.ts';
import { validateContent } from '../tx/validateContent.ts';
import {
  type ValidTx,
  validateAgainstState,
  validateStateless,
} from '../tx/validateTransaction.ts';
import type { SignedBlock } from '../types/block.ts';
import { fromHex, toHex } from '../utils/hex.ts';
import { RollupError } from '../utils/rollupError.ts';
import { MembershipProofs, membershipProofOf } from '../zk/membershipProofs.ts';
import { BlockBuilder } from './blockBuilder.ts';
import { CR_LIST_DELAY_SLOTS, FORCED_GRACE_SLOTS, ForcedInclusion } from './forcedInclusion.ts';
import { type Bank, Forks } from './forks.ts';
import { L2Follower } from './l2Follower.ts';
import { type ExecDeps, l2TimeOf, replayBlock } from './replay.ts';

/** /health turns 503 when no PoH tick arrived for this long: five slots. */
const STALL_AFTER_MS = 5 * SLOT_DURATION_MS;
/** Orphan blocks (parent unknown) kept while their ancestors are fetched. */
const MAX_ORPHANS = 8_192;
/** Most ancestors fetched for one missing parent (≈ 55 min of slots); deeper gaps restart sync. */
const MAX_SYNC_DEPTH = 8_192;
/** Votes a leader puts into one block (§7.3 attestations). */
const MAX_VOTES_PER_BLOCK = 256;
/** Transactions a leader takes from the mempool per PoH record (one entry). */
const TXS_PER_BATCH = 256;
/** A state snapshot is stored at a root at most this often (restart replays the blocks after it). */
const SNAPSHOT_INTERVAL_SLOTS = 100;
/** Longest an accepted transaction waits before it is gossiped (batched with others). */
const TX_GOSSIP_FLUSH_MS = 5;
/** Invalid block hashes remembered so a peer cannot make us replay the same bad block twice. */
const MAX_INVALID_REMEMBERED = 4_096;

export interface ValidatorNodeOpts {
  readonly dataDir: string;
  readonly genesis: Genesis;
  readonly host: string;
  /** 0 picks a free port. */
  readonly rpcPort: number;
  /** A separate port for GET /metrics and /health (Prometheus scrapes); none when absent. */
  readonly metricsPort?: number;
  /** libp2p TCP port; 0 picks a free one. */
  readonly p2pPort?: number;
  /** Multiaddrs of other validators, dialed at start and retried until connected. */
  readonly peers?: readonly string[];
  /** Tick pacing; defaults to 400 ms slots over the genesis ticksPerSlot. 0n = as fast as PoH hashes. */
  readonly targetTickNs?: bigint;
  /** §7.6: slots a tx waits in the mempool before this node puts it on its crList (default 10). */
  readonly crListDelaySlots?: number;
  /** §7.7 minority-partition halt, in slots (default MINORITY_HALT_SLOTS: 1 hour). */
  readonly minorityHaltSlots?: number;
  /** Serve `admin_*` RPC methods (peer block list); off by default, for operators and tests. */
  readonly adminRpc?: boolean;
  /** Faults to inject, for tests of how the others cope (never in production). */
  readonly faults?: { readonly equivocate?: boolean; readonly censor?: boolean };
  /** PoH verification threads (default: cores − 1, at least 1). */
  readonly verifierThreads?: number;
  /**
   * JSON-RPC URL of the L2, required when the genesis links the shard to one (`genesis.l2`): the
   * node reads L2 events from it (node/l2Follower.ts) and checks the ones blocks carry.
   */
  readonly l2RpcUrl?: string;
  /** L2 confirmations before an L2 block's events count (default 0: the local L2). */
  readonly l2Confirmations?: number;
}

export interface ValidatorNodeDeps {
  readonly key: Ed25519KeyPair;
  readonly log: (line: string) => void;
  readonly metrics?: NodeMetrics;
  /** Called after every block this node adds to its fork tree (replayed or produced). */
  readonly onBlock?: (block: SignedBlock, produced: boolean) => void;
  /** Called when this node's tower roots (finalizes) a slot. */
  readonly onRoot?: (slot: number) => void;
  /**
   * Membership-proof verification (§6); default: the checked-in verification key, loaded at
   * start. Every validator of a shard must run the same one.
   */
  readonly membership?: MembershipProofs;
}

/** The node cannot start as configured; `code` is `node.<reason>`. */
export class NodeError extends RollupError {
  override readonly name = 'NodeError';
}

function errorCode(err: unknown): string | null {
  return err instanceof CodecError || err instanceof ConsensusError ? err.code : null;
}

/**
 * The composition root of one shard validator (issue 4): store, PoH service, fork tree with Tower
 * BFT, leader slots, libp2p gossip and block sync, mempool and RPC, wired explicitly. Everything
 * that changes the fork tree runs on one serial queue; PoH ticks drive leader slots.
 */
export class ValidatorNode implements NodeRpcView, EconomyRpcView {
  readonly #opts: ValidatorNodeOpts;
  readonly #deps: ValidatorNodeDeps;
  readonly #metrics: NodeMetrics;
  readonly genesis: Genesis;
  readonly genesisHash: string;
  readonly identity: string;
  readonly #genesisHashBytes: Uint8Array;
  readonly #stakes: Map<string, bigint>;
  readonly #totalStake: bigint;
  /** Stake by libp2p peer id (validators' peer ids follow from their keys). */
  readonly #peerStake: Map<string, bigint>;
  readonly #minorityHaltSlots: number;
  readonly #forced: ForcedInclusion;
  readonly #schedules = new Map<number, LeaderSchedule>();
  readonly #keys = new SignerKeyCache();
  #exec: ExecDeps;
  readonly #mempool = new Mempool();
  /** Bodies of content transactions waiting in the mempool (§9.1: content beside the chain). */
  readonly #contentPool = new ContentPool();
  /** Posts by community and author, newest first (§10.4 feeds). */
  readonly #feed = new FeedIndex();
  #store: ChainStore | null = null;
  #content: ContentStore | null = null;
  #forks: Forks | null = null;
  #poh: PohService | null = null;
  #verifier: PohVerifierPool | null = null;
  #txVerifier: TxVerifierPool | null = null;
  #l2: L2Follower | null = null;
  #rpc: RpcServer | null = null;
  #p2p: P2pNode | null = null;
  #queue: Promise<void> = Promise.resolve();
  #stopping = false;
  #failure: Error | null = null;
  /** PoH entries since the last reset: the entries of the next block this node produces. */
  #entries: PohEntry[] = [];
  #resetBank: Bank | null = null;
  #tickHeight = 0;
  #lastTickAt = process.hrtime.bigint();
  #builder: BlockBuilder | null = null;
  #producedSlot = 0;
  /** First block seen per unrooted slot (equivocation detection). */
  readonly #bySlot = new Map<number, SignedBlock>();
  readonly #seen = new Set<string>();
  readonly #invalid = new Set<string>();
  readonly #orphans = new Map<string, SignedBlock[]>();
  /** Blocks refused as censoring (§7.6), by hash, adopted if the shard builds on them. */
  readonly #refused = new Map<string, SignedBlock>();
  #orphanCount = 0;
  readonly #syncing = new Set<string>();
  readonly #voteInbox: Uint8Array[] = [];
  readonly #evidence: Evidence[] = [];
  readonly #evidenceKeys = new Set<string>();
  readonly #addedAt = new Map<number, bigint>();
  readonly #blocklist = new Set<string>();
  #snapshotSlot = 0;
  rpcUrl = '';
  metricsUrl = '';
  #metricsServer: RpcServer | null = null;
  p2pAddrs: string[] = [];

  constructor(opts: ValidatorNodeOpts, deps: ValidatorNodeDeps) {
    this.#opts = opts;
    this.#deps = deps;
    this.genesis = opts.genesis;
    this.#genesisHashBytes = genesisHash(opts.genesis);
    this.genesisHash = toHex(this.#genesisHashBytes);
    this.identity = toHex(deps.key.publicKey);
    this.#stakes = new Map(opts.genesis.validators.map((v) => [v.pubkey, BigInt(v.stake)]));
    this.#totalStake = [...this.#stakes.values()].reduce((a, b) => a + b, 0n);
    this.#peerStake = new Map(
      opts.genesis.validators.map((v) => [
        peerIdOfValidator(Buffer.from(v.pubkey, 'hex')),
        BigInt(v.stake),
      ]),
    );
    this.#minorityHaltSlots = opts.minorityHaltSlots ?? MINORITY_HALT_SLOTS;
    this.#forced = new ForcedInclusion(this.#stakes, opts.crListDelaySlots ?? CR_LIST_DELAY_SLOTS);
    this.#metrics = deps.metrics ?? createNodeMetrics({ shard: String(opts.genesis.shard) });
    this.#exec = { genesis: opts.genesis, keys: this.#keys };
  }

  get metrics(): NodeMetrics {
    return this.#metrics;
  }

  get #f(): Forks {
    if (this.#forks === null) throw new NodeError('node.not_started', 'node is not running');
    return this.#forks;
  }

  async start(): Promise<void> {
    this.#exec = {
      ...this.#exec,
      membership: this.#deps.membership ?? (await MembershipProofs.load()),
    };
    const link = this.genesis.l2;
    if (link !== undefined) {
      if (this.#opts.l2RpcUrl === undefined)
        throw new NodeError(
          'node.l2_rpc_required',
          'the genesis links this shard to an L2 (genesis.l2): pass --l2-rpc <url>',
        );
      this.#l2 = new L2Follower({
        rpcUrl: this.#opts.l2RpcUrl,
        anonymitySet: link.anonymitySet as `0x${string}`,
        fromBlock: BigInt(link.fromBlock),
        confirmations: this.#opts.l2Confirmations ?? 0,
        log: this.#deps.log,
      });
      await this.#l2.start();
      this.#exec = { ...this.#exec, l2: this.#l2 };
    }
    if (!this.#stakes.has(this.identity)) {
      throw new NodeError(
        'node.not_a_validator',
        `validator key ${this.identity.slice(0, 16)}… is not in the genesis validator set`,
      );
    }
    mkdirSync(this.#opts.dataDir, { recursive: true });
    const store = await ChainStore.open(`${this.#opts.dataDir}/chain`);
    this.#store = store;
    try {
      const bound = await store.bind(this.#genesisHashBytes);
      if (toHex(bound.genesis) !== this.genesisHash)
        throw new NodeError(
          'node.genesis_mismatch',
          `${this.#opts.dataDir} holds the chain of genesis ${toHex(bound.genesis).slice(0, 16)}…, not ${this.genesisHash.slice(0, 16)}…; use another data directory`,
        );
      if (bound.version !== STORE_VERSION)
        throw new NodeError(
          'node.store_version',
          `${this.#opts.dataDir} holds a store of layout ${bound.version}, this node uses ${STORE_VERSION}; start over with a fresh data directory (npm start -- --reset)`,
        );
      this.#content = await LevelContentStore.open(`${this.#opts.dataDir}/content`);
      this.#forks = await this.#restore(store);
      this.#rebuildFeed(this.#forks);
      this.#verifier = new PohVerifierPool({
        threads: this.#opts.verifierThreads ?? Math.max(1, availableParallelism() - 1),
      });
      this.#txVerifier = new TxVerifierPool({
        threads: this.#opts.verifierThreads ?? Math.max(1, availableParallelism()),
        shard: this.genesis.shard,
      });
      await this.#startRpc();
      await this.#startP2p();
    } catch (err) {
      await this.#closeAll();
      throw err;
    }
    this.#waiting = this.#startWhenSupermajority();
  }

  /**
   * Agave `--wait-for-supermajority`: PoH (the slot clock) starts only once validators holding
   * more than 2/3 of the stake are connected, so a shard that boots together starts its slots
   * together instead of each node leading and voting on a fork of its own (whose lockouts would
   * then keep it from voting for hundreds of slots). A node alone with > 2/3 starts at once.
   */
  async #startWhenSupermajority(): Promise<void> {
    const total = this.#totalStake;
    let lastLog = 0;
    for (let i = 0; !this.#stopping; i++) {
      const seen = this.#connectedStake();
      if (seen * 3n > total * 2n) break;
      if (i - lastLog >= 50) {
        lastLog = i;
        this.#deps.log(
          `waiting for validators with more than 2/3 of the stake to connect (have ${(seen * 100n) / total}%)`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (this.#stopping) return;
    const best = this.#f.best();
    this.#resetBank = best;
    this.#tickHeight = best.tickHeight;
    this.#lastTickAt = process.hrtime.bigint();
    this.#poh = new PohService(
      {
        startHash: best.lastHash,
        tickHeight: best.tickHeight,
        hashesPerTick: this.genesis.hashesPerTick,
        targetTickNs: this.#opts.targetTickNs ?? targetTickNs(this.genesis.ticksPerSlot),
      },
      {
        onTick: (height, entry) => this.#onTick(height, entry),
        onRecord: (_height, entry) => this.#entries.push(entry),
      },
    );
  }

  #waiting: Promise<void> = Promise.resolve();

  // ── restart ────────────────────────────────────────────────────────────────────────────────

  /**
   * Rebuilds the fork tree from the store (issue 4 §8): re-executes every stored block in slot
   * order (their PoH and signatures were verified before they were stored), drops the banks below
   * the root as it passes them, then restores the tower and the latest votes.
   */
  async #restore(store: ChainStore): Promise<Forks> {
    const gen: Bank = {
      slot: 0,
      hash: this.#genesisHashBytes,
      hashHex: this.genesisHash,
      parentSlot: 0,
      lastHash: this.#genesisHashBytes,
      tickHeight: 0,
      block: null,
      txs: [],
      state: genesisState(this.genesis),
    };
    const root = await store.root();
    const start = (await this.#snapshotBank(store, root)) ?? gen;
    const byHash = new Map<string, Bank>([[start.hashHex, start]]);
    let rootBank = start;
    const above: Bank[] = [];
    let replayed = 0;
    for await (const { hash, block } of store.blocksFrom(start.slot + 1)) {
      const parent = byHash.get(toHex(block.parentHash));
      if (parent === undefined) continue; // a fork whose base was pruned
      const r = await replayBlock(block, hash, parent, {
        ...this.#exec,
        verifier: null,
        trustPoh: true,
      });
      if (r.kind !== 'valid') {
        this.#deps.log(
          `restore: stored block at slot ${block.slot} no longer replays (${r.code}); dropped`,
        );
        continue;
      }
      replayed += 1;
      byHash.set(r.bank.hashHex, r.bank);
      if (root !== null && block.slot <= root.slot) {
        byHash.delete(parent.hashHex); // the canonical chain below the root has one child per bank
        if (block.slot === root.slot) rootBank = r.bank;
      } else above.push(r.bank);
    }
    let tower = Tower.empty(this.#deps.key.publicKey);
    const saved = await store.loadTower();
    if (saved !== null) {
      const v = verifyTower(saved, this.#deps.key.publicKey);
      if (v.kind !== 'valid')
        throw new NodeError(
          'node.tower_invalid',
          `the saved tower does not verify (${v.kind}); refusing to vote from a tower that might break lockouts`,
        );
      tower = v.tower;
    }
    const forks = new Forks({ root: rootBank, stakes: this.#stakes, tower });
    for (const b of above)
      if (forks.bank(b.parentSlot) !== undefined && b.slot > rootBank.slot) forks.add(b);
    for (const bytes of await store.latestVotes()) {
      try {
        const v = decodeVote(bytes);
        if (verifyVoteSignature(v)) forks.addVote(v);
      } catch {
        // A vote that no longer decodes is simply not counted.
      }
    }
    this.#producedSlot = (await store.producedSlot()) ?? 0;
    for (const b of forks.banks()) {
      this.#seen.add(b.hashHex);
      if (b.block !== null) this.#bySlot.set(b.slot, b.block);
    }
    if (replayed > 0 || start !== gen)
      this.#deps.log(
        `restored ${replayed} block(s) ${start === gen ? 'from genesis' : `from the state snapshot at slot ${start.slot}`}: root ${forks.root.slot}, best ${forks.best().slot}, last vote ${tower.lastVotedSlot ?? '-'}`,
      );
    return forks;
  }

  /**
   * The feed index after a restart: every post of the root's state, then those the unrooted banks
   * created (their blocks were replayed without #addBank).
   */
  #rebuildFeed(forks: Forks): void {
    const entries: FeedEntry[] = [];
    for (const [, p] of forks.root.state.posts.entries()) entries.push(feedEntryOf(p));
    for (const b of forks.banks())
      if (b.slot > forks.root.slot)
        for (const t of b.txs) {
          const p = createdPost(b, t);
          if (p !== null) entries.push(p);
        }
    this.#feed.load(entries);
  }

  /**
   * The bank of the latest state snapshot, checked against the stored block's state root; null
   * (replay from genesis) when there is none or it does not match.
   */
  async #snapshotBank(
    store: ChainStore,
    root: { slot: number; hash: Uint8Array } | null,
  ): Promise<Bank | null> {
    const snap = await store.latestSnapshot();
    if (snap === null || root === null || snap.root.slot > root.slot) return null;
    const block = await store.getBlock(snap.root.hash);
    if (block === null) return null;
    let state: EconomyState;
    try {
      state = EconomyState.fromSnapshot(snap.state);
    } catch {
      this.#deps.log('restore: the state snapshot is unreadable; replaying from genesis');
      return null;
    }
    if (Buffer.compare(state.root(), block.stateRoot) !== 0) {
      this.#deps.log(
        'restore: the state snapshot does not match its block; replaying from genesis',
      );
      return null;
    }
    return {
      slot: block.slot,
      hash: snap.root.hash,
      hashHex: toHex(snap.root.hash),
      parentSlot: block.parentSlot,
      lastHash: (block.entries.at(-1) as PohEntry).hash,
      tickHeight: block.tickHeight,
      block,
      state,
      txs: [],
    };
  }

  // ── leader schedule ────────────────────────────────────────────────────────────────────────

  /** Leader of `slot` (§7.4): stake-weighted, 4 slots per leader, per epoch; cached per epoch. */
  leaderOf(slot: number): string {
    const epoch = Math.floor(slot / this.genesis.slotsPerEpoch);
    let s = this.#schedules.get(epoch);
    if (s === undefined) {
      s = leaderSchedule({
        epoch,
        slotsPerEpoch: this.genesis.slotsPerEpoch,
        validators: this.genesis.validators.map((v) => ({
          pubkey: v.pubkey,
          stake: BigInt(v.stake),
        })),
        seed: leaderScheduleSeed(this.#genesisHashBytes, epoch),
      });
      this.#schedules.set(epoch, s);
      for (const e of this.#schedules.keys()) if (e < epoch - 1) this.#schedules.delete(e);
    }
    return s.leaderAt(slot);
  }

  // ── PoH ticks and leader slots ─────────────────────────────────────────────────────────────

  #onTick(height: number, entry: PohEntry): void {
    this.#lastTickAt = process.hrtime.bigint();
    this.#tickHeight = height;
    this.#metrics.pohTickHeight.set(height);
    this.#metrics.pohHashes.inc(entry.numHashes);
    this.#entries.push(entry);
    if (this.#stopping || this.#failure !== null) return;
    const t = this.genesis.ticksPerSlot;
    const b = this.#builder;
    if (b !== null) {
      if (height >= b.slot * t) this.#finishBlock(b);
      else this.#fillBatch(b);
      if (this.#builder !== null) return;
    }
    if (height % t === 0) {
      this.#checkStall(height / t);
      this.#publishInclusionList(height / t);
      this.#maybeStartSlot(height / t + 1);
    } else if (this.#grace !== null && height >= this.#grace.until) {
      const { slot } = this.#grace;
      this.#grace = null;
      const parent = this.#resetBank;
      if (parent !== null && slot > parent.slot && slot > this.#producedSlot && height < slot * t) {
        this.#startBuilding(parent, slot);
        this.#slotStartedAt = process.hrtime.bigint();
      }
    }
  }

  /** At the start of `slot`: build it when this node leads it and is caught up with the cluster. */
  #maybeStartSlot(slot: number): void {
    this.#grace = null;
    const parent = this.#resetBank;
    if (parent === null || this.leaderOf(slot) !== this.identity) return;
    if (slot <= this.#producedSlot || slot <= parent.slot) return;
    // Behind the cluster (restarting or partitioned away): catch up before leading.
    if (this.#clusterSlot() > slot + NUM_CONSECUTIVE_LEADER_SLOTS) return;
    // Grace (Agave `PohRecorder::reached_leader_slot`): when the previous slot is another
    // leader's and its block is not here yet, wait up to half a slot for it rather than fork it
    // off by building on an older parent. Its arrival resets PoH and starts this slot at once.
    const t = this.genesis.ticksPerSlot;
    const prevOther = slot > 1 && this.leaderOf(slot - 1) !== this.identity;
    if (prevOther && parent.slot < slot - 1 && this.#tickHeight < (slot - 1) * t + t / 2) {
      this.#grace = { slot, until: (slot - 1) * t + Math.floor(t / 2) };
      return;
    }
    this.#startBuilding(parent, slot);
    this.#slotStartedAt = process.hrtime.bigint();
  }

  #slotStartedAt = 0n;

  /**
   * Starts building `slot` on `parent` unless this node is in a stalled minority partition that
   * has lasted `minorityHaltSlots` (§7.7: the minority side stops producing).
   */
  #startBuilding(parent: Bank, slot: number): void {
    const stalled = this.#partitionedSince !== null;
    if (stalled && slot - (this.#partitionedSince as number) > this.#minorityHaltSlots) {
      if (this.#connectedStake() * 2n < this.#totalStake) {
        if (!this.#minorityHalted)
          this.#deps.log(
            `minority partition since slot ${this.#partitionedSince}: production halted until it heals (§7.7)`,
          );
        this.#minorityHalted = true;
        return;
      }
    }
    this.#minorityHalted = false;
    this.#builder = new BlockBuilder(
      parent,
      slot,
      this.#exec,
      stalled ? BLOCK_FLAGS.partitionRecovery : 0,
      this.#l2?.nextBatch(l2TimeOf(parent)),
    );
    this.#slotStartedAt = process.hrtime.bigint();
  }

  /** Stake of this validator and the validators it is connected to. */
  #connectedStake(): bigint {
    let seen = this.#stakes.get(this.identity) ?? 0n;
    for (const p of this.#p2p?.getPeers() ?? []) seen += this.#peerStake.get(p.toString()) ?? 0n;
    return seen;
  }

  /**
   * §7.7 stall detection, at every slot boundary: no optimistic confirmation for
   * PARTITION_STALL_SLOTS slots means the shard is partitioned (each side keeps producing, neither
   * finalizes); the next confirmation means it healed.
   */
  #checkStall(pohSlot: number): void {
    const confirmed = this.#forks?.confirmedSlot ?? 0;
    if (confirmed > this.#stallConfirmed) {
      this.#stallConfirmed = confirmed;
      this.#stallProgressAt = pohSlot;
      if (this.#partitionedSince !== null) {
        this.#deps.log(
          `partition healed: confirmation resumed at slot ${confirmed} (stalled since slot ${this.#partitionedSince})`,
        );
        this.#partitionedSince = null;
        this.#metrics.partitioned.set(0);
      }
      return;
    }
    if (
      this.#partitionedSince === null &&
      pohSlot - this.#stallProgressAt > PARTITION_STALL_SLOTS
    ) {
      this.#partitionedSince = this.#stallProgressAt;
      this.#metrics.partitioned.set(1);
      this.#deps.log(
        `stall: no confirmation for ${PARTITION_STALL_SLOTS} slots (since slot ${this.#stallProgressAt}); partition mode: blocks carry the recovery flag (§7.7)`,
      );
    }
  }

  #stallConfirmed = 0;
  #stallProgressAt = 0;
  #partitionedSince: number | null = null;
  #minorityHalted = false;

  /**
   * When PoH moves from `old` to a bank on another fork, the transactions of the abandoned
   * branch go back to the mempool (§7.7: "transactions of the losing side return to the
   * mempool"); those the new fork already holds fail their nonce check and are dropped there.
   */
  #returnAbandonedTxs(old: Bank, next: Bank): void {
    const f = this.#forks;
    if (f === null || this.#descends(next, old)) return;
    const back: ValidTx[] = [];
    for (
      let b: Bank | undefined = old;
      b !== undefined && b.block !== null && !f.onFork(b.slot, next.slot);
    ) {
      back.push(...b.txs);
      b = f.bank(b.parentSlot);
    }
    // Only what the new fork has not executed yet (its sender's nonce is not past it).
    const open = back.filter((t) => t.tx.nonce >= next.state.account(t.tx.sender).nonce);
    back.length = 0;
    back.push(...open);
    if (back.length > 0) {
      const n = this.#mempool.reinject(back);
      for (const t of back) this.#forced.admitted(t.id, this.#pohSlot());
      this.#deps.log(
        `switched fork at slot ${next.slot}: ${n} transaction(s) of the abandoned branch back in the mempool`,
      );
    }
  }
  /** A leader slot waiting for the previous leader's block (see #maybeStartSlot). */
  #grace: { readonly slot: number; readonly until: number } | null = null;

  /** Leader: takes the next batch from the mempool, executes it and mixes it into PoH. */
  #fillBatch(b: BlockBuilder): void {
    if (this.#opts.faults?.censor === true) return;
    const budget = SLOT_GAS_LIMIT - b.gasUsed;
    if (budget <= 0n || this.#mempool.size === 0 || this.#poh === null) return;
    // §7.6: transactions forced by the crLists go first.
    const forced = this.#forced
      .forcedBefore(b.slot)
      .flatMap((id) => this.#mempool.takeById(id) ?? []);
    const candidates = [
      ...forced,
      ...this.#mempool.take({
        gasBudget: budget,
        senderGasCap: senderGasCap(SLOT_GAS_LIMIT),
        baseFee: b.baseFee(),
        nonceOf: (s) => b.nonceOf(s),
      }),
    ];
    const txs = candidates.slice(0, TXS_PER_BATCH);
    if (candidates.length > txs.length) this.#mempool.reinject(candidates.slice(TXS_PER_BATCH));
    const { batch } = b.executeBatch(txs);
    if (batch === null) return;
    this.#poh.record(batch.mixin).catch(() => {
      // Reset or stopped before the record went in: BlockBuilder.finish reports it as late.
    });
  }

  #finishBlock(b: BlockBuilder): void {
    this.#builder = null;
    const entries = this.#entries;
    const votes = this.#voteInbox.splice(0, MAX_VOTES_PER_BLOCK);
    let built: ReturnType<BlockBuilder['finish']>;
    try {
      built = b.finish(entries, this.#deps.key.publicKey, this.#deps.key.privateKey, votes);
    } catch (err) {
      this.#deps.log(`leader: slot ${b.slot} not produced: ${(err as Error).message}`);
      return;
    }
    const { block, state, late, included } = built;
    if (late.length > 0) this.#mempool.reinject(late);
    this.#mempool.removeIncluded(included);
    for (const t of included) this.#forced.removed(t.id);
    const hash = blockHash(block);
    const bank: Bank = {
      slot: block.slot,
      hash,
      hashHex: toHex(hash),
      parentSlot: b.parent.slot,
      lastHash: (entries.at(-1) as PohEntry).hash,
      tickHeight: block.tickHeight,
      block,
      state,
      txs: included,
    };
    this.#producedSlot = block.slot;
    this.#metrics.slotDuration.observe(Number(process.hrtime.bigint() - this.#slotStartedAt) / 1e9);
    // Never sign a second block for this slot, even after a crash: persist first, then gossip.
    this.#enqueue(async () => {
      const store = this.#store as ChainStore;
      await store.setProducedSlot(block.slot);
      await store.putBlock(block, hash);
      this.#seen.add(bank.hashHex);
      this.#bySlot.set(block.slot, block);
      this.#addBank(bank, true);
      this.#metrics.blocksProduced.inc();
      await this.#publish('blocks', encodeBlock(block));
      if (this.#opts.faults?.equivocate === true)
        await this.#publish('blocks', encodeBlock(this.#equivocation(block)));
      await this.#afterForkChange();
    });
    // Build the next slot on this block at once (it is the heaviest fork for this leader).
    this.#resetTo(bank);
  }

  /**
   * Fault injection (`--fault equivocate`, tests only): a second, equally valid block for the same
   * slot — the same entries and state, another set of attestations — signed by this leader.
   */
  #equivocation(block: SignedBlock): SignedBlock {
    const own = this.#f.latestVote(this.identity);
    const votes =
      block.votes.length > 0 ? block.votes.slice(1) : own === undefined ? [] : [encodeVote(own)];
    const { signature: _, ...unsigned } = block;
    return signBlock({ ...unsigned, votes }, this.#deps.key.privateKey);
  }

  /** Moves PoH onto `bank` (Agave `PohRecorder::reset`); never in the middle of this node's slot. */
  #resetTo(bank: Bank): void {
    if (this.#builder !== null || this.#poh === null) return;
    const old = this.#resetBank;
    if (old?.hashHex === bank.hashHex) return;
    if (old !== null) this.#returnAbandonedTxs(old, bank);
    this.#poh.reset(bank.lastHash, bank.tickHeight);
    this.#entries = [];
    this.#resetBank = bank;
    this.#tickHeight = bank.tickHeight;
    // A reset onto a slot boundary may put this node at the start of its own slot.
    this.#maybeStartSlot(bank.tickHeight / this.genesis.ticksPerSlot + 1);
  }

  // ── serial queue ───────────────────────────────────────────────────────────────────────────

  #enqueue(fn: () => Promise<void>): void {
    this.#queue = this.#queue.then(async () => {
      if (this.#stopping || this.#failure !== null) return;
      try {
        await fn();
      } catch (err) {
        // A store failure: stop producing and voting rather than act on state that is not saved.
        this.#failure = err as Error;
        this.#deps.log(`node halted: ${(err as Error).stack ?? (err as Error).message}`);
      }
    });
  }

  // ── blocks ─────────────────────────────────────────────────────────────────────────────────

  /** Edge checks a block must pass before it is gossiped on or replayed (cheap, synchronous). */
  #checkBlockEdge(bytes: Uint8Array): {
    verdict: GossipVerdict;
    block?: SignedBlock;
    hash?: Uint8Array;
  } {
    let block: SignedBlock;
    try {
      block = decodeBlock(bytes);
    } catch (err) {
      if (errorCode(err) !== null) return { verdict: 'reject' };
      throw err;
    }
    if (block.shard !== this.genesis.shard || block.slot < 1) return { verdict: 'reject' };
    let leader: string;
    try {
      leader = this.leaderOf(block.slot);
    } catch {
      return { verdict: 'reject' };
    }
    if (toHex(block.leader) !== leader) return { verdict: 'reject' };
    if (!verifyBlockSignature(block, importPublicKey(block.leader))) return { verdict: 'reject' };
    const hash = blockHash(block);
    const hex = toHex(hash);
    if (this.#invalid.has(hex)) return { verdict: 'reject' };
    if (this.#seen.has(hex) || block.slot <= (this.#forks?.root.slot ?? 0))
      return { verdict: 'ignore', block, hash };
    return { verdict: 'accept', block, hash };
  }

  #onGossipBlock(bytes: Uint8Array): GossipVerdict {
    const r = this.#checkBlockEdge(bytes);
    if (r.verdict === 'accept' && r.block !== undefined && r.hash !== undefined) {
      const { block, hash } = r;
      this.#enqueue(() => this.#processBlock(block, hash));
    }
    return r.verdict;
  }

  async #processBlock(block: SignedBlock, hash: Uint8Array, adopt = false): Promise<void> {
    const hex = toHex(hash);
    const f = this.#f;
    if (this.#seen.has(hex) || this.#invalid.has(hex) || block.slot <= f.root.slot) return;
    const first = this.#bySlot.get(block.slot);
    if (first !== undefined && toHex(blockHash(first)) !== hex) {
      this.#onDuplicate(first, block);
      return;
    }
    if (f.isDuplicate(block.slot) || this.#invalid.has(toHex(block.parentHash))) {
      this.#rememberInvalid(hex);
      return;
    }
    const parent = f.bank(block.parentSlot);
    if (parent === undefined || parent.hashHex !== toHex(block.parentHash)) {
      this.#addOrphan(block);
      return;
    }
    // Signatures of the block's transactions on the verifier threads, while PoH is checked.
    const pool = this.#txVerifier;
    const preverified =
      pool === null ? undefined : await Promise.all(block.transactions.map((t) => pool.verify(t)));
    const r = await replayBlock(block, hash, parent, {
      ...this.#exec,
      verifier: this.#verifier,
      ...(preverified === undefined ? {} : { preverified }),
    });
    if (r.kind === 'invalid') {
      this.#deps.log(
        `block at slot ${block.slot} from ${toHex(block.leader).slice(0, 8)}… is invalid: ${r.code}: ${r.reason}`,
      );
      // Our own L2 view lagging is not the block's fault: it may be fetched and judged again
      // (sync, a later child); every other verdict is final.
      if (r.code !== 'block.l2_ahead') this.#rememberInvalid(hex);
      return;
    }
    // The parent may have been pruned (new root) while PoH was being verified.
    if (f.bank(parent.slot) !== parent || this.#seen.has(hex)) return;
    const censored = adopt ? null : this.#censoredTx(block.slot, r.bank, r.txs);
    if (censored !== null) {
      this.#deps.log(
        `block at slot ${block.slot} from ${toHex(block.leader).slice(0, 8)}… leaves out forced tx ${censored.slice(0, 12)}… (§7.6 crList): refused`,
      );
      this.#metrics.censoredBlocks.inc({ leader: toHex(block.leader).slice(0, 16) });
      if (this.#refused.size >= MAX_ORPHANS) this.#refused.clear();
      this.#refused.set(hex, block);
      return;
    }
    await (this.#store as ChainStore).putBlock(block, hash);
    this.#seen.add(hex);
    this.#bySlot.set(block.slot, block);
    this.#addBank(r.bank, false);
    // Only a block on the best fork spends its txs here: one on a side fork keeps them pooled (a
    // leader drops whatever its own fork already executed, by nonce, when it takes).
    if (f.onFork(r.bank.slot, f.best().slot)) {
      this.#mempool.removeIncluded(r.txs);
      for (const t of r.txs) this.#forced.removed(t.id);
    }
    this.#metrics.mempoolSize.set(this.#mempool.size);
    for (const v of r.votes) this.#takeVote(v, false);
    await this.#afterForkChange();
    // Children that were waiting for this block.
    const waiting = this.#orphans.get(hex);
    if (waiting !== undefined) {
      this.#orphans.delete(hex);
      this.#orphanCount -= waiting.length;
      for (const c of waiting) this.#enqueue(() => this.#processBlock(c, blockHash(c)));
    }
  }

  #addBank(bank: Bank, produced: boolean): void {
    this.#f.add(bank);
    this.#onContentIncluded(bank);
    this.#addedAt.set(bank.slot, process.hrtime.bigint());
    this.#metrics.slot.set(this.#f.best().slot);
    const block = bank.block as SignedBlock;
    if (block.transactions.length > 0)
      this.#metrics.txsIncluded.inc(
        { leader: toHex(block.leader).slice(0, 16) },
        block.transactions.length,
      );
    this.#deps.onBlock?.(block, produced);
  }

  #rememberInvalid(hex: string): void {
    if (this.#invalid.size >= MAX_INVALID_REMEMBERED) this.#invalid.clear();
    this.#invalid.add(hex);
  }

  #addOrphan(block: SignedBlock): void {
    const parentHex = toHex(block.parentHash);
    // A block built on one this node refused as censoring: validators whose crList view was a
    // slot later accepted it and the shard moved on; follow them rather than split (FOCIL: an
    // inclusion list decides votes, it never makes a chain invalid for good).
    const refused = this.#refused.get(parentHex);
    if (refused !== undefined) {
      this.#refused.delete(parentHex);
      this.#deps.log(`adopting refused block at slot ${refused.slot}: the shard built on it`);
      this.#enqueue(() => this.#processBlock(refused, blockHash(refused), true));
    }
    const list = this.#orphans.get(parentHex) ?? [];
    if (list.some((b) => toHex(blockHash(b)) === toHex(blockHash(block)))) return;
    if (this.#orphanCount >= MAX_ORPHANS) {
      this.#orphans.clear();
      this.#orphanCount = 0;
    }
    list.push(block);
    this.#orphans.set(parentHex, list);
    this.#orphanCount += 1;
    void this.#syncAncestors(block.parentHash);
  }

  /**
   * Catch-up (issue 4 §7): fetches the missing ancestors of an orphan from peers, newest first,
   * 64 per request (blocks-by-hash), until it reaches a block this node has; then the queue
   * replays them oldest first through the orphan links.
   */
  async #syncAncestors(missing: Uint8Array): Promise<void> {
    const startHex = toHex(missing);
    if (this.#syncing.has(startHex) || this.#p2p === null) return;
    this.#syncing.add(startHex);
    try {
      let want = missing;
      for (let fetched = 0; fetched < MAX_SYNC_DEPTH && !this.#stopping; ) {
        const blocks = await this.#fetchFromPeers(want);
        if (blocks.length === 0) return;
        let oldest: SignedBlock | null = null;
        for (const bytes of blocks) {
          const r = this.#checkBlockEdge(bytes);
          if (r.block === undefined || r.verdict === 'reject') return;
          if (r.verdict === 'accept') {
            oldest = r.block;
            this.#enqueueOrphanOrReplay(r.block);
          } else return; // reached what we have
        }
        fetched += blocks.length;
        if (oldest === null) return;
        const parentHex = toHex(oldest.parentHash);
        if (this.#seen.has(parentHex) || parentHex === this.genesisHash) return;
        want = oldest.parentHash;
      }
    } finally {
      this.#syncing.delete(startHex);
    }
  }

  #enqueueOrphanOrReplay(block: SignedBlock): void {
    this.#enqueue(() => this.#processBlock(block, blockHash(block)));
  }

  async #fetchFromPeers(hash: Uint8Array): Promise<Uint8Array[]> {
    const p2p = this.#p2p;
    if (p2p === null) return [];
    for (const peer of p2p.getPeers()) {
      try {
        const got = await requestBlocks(p2p, peer, this.genesis.shard, hash, MAX_SYNC_BLOCKS, {
          timeoutMs: 3_000,
        });
        if (got.length > 0) return got;
      } catch {
        // Try the next peer.
      }
    }
    return [];
  }

  #onDuplicate(first: SignedBlock, second: SignedBlock): void {
    const d = detectDuplicateBlock(first, second);
    if (d.kind !== 'duplicateBlock') return;
    this.#recordEvidence(d.evidence);
    const removed = this.#f.markDuplicate(second.slot);
    // Both versions and everything built on them are dead: their descendants are dropped on sight.
    this.#rememberInvalid(toHex(blockHash(first)));
    this.#rememberInvalid(toHex(blockHash(second)));
    for (const b of removed) this.#rememberInvalid(b.hashHex);
    this.#deps.log(
      `equivocation: leader ${toHex(second.leader).slice(0, 8)}… signed two blocks for slot ${second.slot}; evidence recorded, ${removed.length} slot(s) set aside`,
    );
  }

  #recordEvidence(e: Evidence): void {
    const key = toHex(encodeEvidence(e)).slice(0, 128);
    if (this.#evidenceKeys.has(key)) return;
    this.#evidenceKeys.add(key);
    this.#evidence.push(e);
    this.#metrics.evidence.inc({ kind: e.kind });
  }

  // ── votes ──────────────────────────────────────────────────────────────────────────────────

  #onGossipVote(bytes: Uint8Array): GossipVerdict {
    let v: SignedVote;
    try {
      v = decodeVote(bytes);
    } catch (err) {
      if (errorCode(err) !== null) return 'reject';
      throw err;
    }
    if (v.shard !== this.genesis.shard || !this.#stakes.has(toHex(v.validator))) return 'reject';
    if (!verifyVoteSignature(v)) return 'reject';
    this.#enqueue(async () => {
      this.#takeVote(v, true);
      await this.#afterForkChange();
    });
    return 'accept';
  }

  #takeVote(v: SignedVote, fromGossip: boolean): void {
    const f = this.#f;
    const validator = toHex(v.validator);
    const prev = f.latestVote(validator);
    if (prev !== undefined && validator !== this.identity) {
      const d = detectVoteLockoutViolation(prev, v);
      if (d.kind === 'voteLockoutViolation') {
        this.#recordEvidence(d.evidence);
        this.#deps.log(
          `equivocation: validator ${validator.slice(0, 8)}… voted against its lockout at slot ${voteSlot(v)}`,
        );
      }
    }
    const r = f.addVote(v);
    if (r.kind === 'ignored') return;
    const encoded = encodeVote(v);
    // Best effort: a lost latest vote is re-learned from gossip or the next block.
    this.#store?.saveVote(v.validator, encoded).catch(() => {});
    if (fromGossip && this.#voteInbox.length < 4 * MAX_VOTES_PER_BLOCK)
      this.#voteInbox.push(encoded);
    this.#observeConfirmation();
  }

  #lastConfirmed = 0;

  #observeConfirmation(): void {
    const c = this.#f.confirmedSlot;
    if (c <= this.#lastConfirmed) return;
    const now = process.hrtime.bigint();
    for (const [slot, at] of this.#addedAt) {
      if (slot <= c && this.#f.onFork(slot, c)) {
        this.#metrics.confirmationLatency.observe(Number(now - at) / 1e9);
        this.#addedAt.delete(slot);
      } else if (slot <= c) this.#addedAt.delete(slot);
    }
    this.#lastConfirmed = c;
    this.#metrics.confirmedSlot.set(c);
  }

  /** After any change of the fork tree: vote if Tower BFT allows it, and move PoH to the best bank. */
  async #afterForkChange(): Promise<void> {
    const f = this.#f;
    const decision = f.selectVote();
    if (decision.kind === 'vote') await this.#vote(decision.slot);
    this.#resetTo(f.best());
  }

  async #vote(slot: number): Promise<void> {
    const f = this.#f;
    const bank = f.bank(slot) as Bank;
    const { newRoot } = f.recordOwnVote(slot);
    // §7.5 + issue 4 §4: the tower is on disk before the vote leaves, so a restart never votes
    // against its own lockouts.
    await (this.#store as ChainStore).saveTower(signTower(f.tower, this.#deps.key.privateKey));
    const vote = signVote(
      makeVote(f.tower, { shard: this.genesis.shard, hash: bank.hash }),
      this.#deps.key.privateKey,
    );
    f.countOwnVote(vote);
    this.#voteInbox.push(encodeVote(vote));
    this.#metrics.votes.inc();
    const added = this.#addedAt.get(slot);
    if (added !== undefined)
      this.#metrics.voteLatency.observe(Number(process.hrtime.bigint() - added) / 1e9);
    await this.#publish('votes', encodeVote(vote));
    this.#observeConfirmation();
    if (newRoot !== null) await this.#setRoot(newRoot);
  }

  async #setRoot(bank: Bank): Promise<void> {
    const f = this.#f;
    const { rooted, pruned } = f.setRoot(bank);
    // Every branch not descending from the new root is gone: fold its ancestors' layers in.
    bank.state.compact();
    await (this.#store as ChainStore).setRoot(
      { slot: bank.slot, hash: bank.hash },
      rooted.map((b) => ({ slot: b.slot, hash: b.hash })),
      pruned.map((b) => ({ slot: b.slot, hash: b.hash })),
    );
    for (const s of this.#bySlot.keys()) if (s <= bank.slot) this.#bySlot.delete(s);
    this.#l2?.prune(l2TimeOf(bank));
    for (const b of pruned) this.#seen.delete(b.hashHex);
    for (const b of rooted) this.#seen.delete(b.hashHex);
    this.#seen.add(bank.hashHex);
    if (bank.slot - this.#snapshotSlot >= SNAPSHOT_INTERVAL_SLOTS) {
      await (this.#store as ChainStore).putSnapshot(
        { slot: bank.slot, hash: bank.hash },
        bank.state.encodeSnapshot(),
      );
      this.#snapshotSlot = bank.slot;
    }
    this.#metrics.finalizedSlot.set(bank.slot);
    this.#deps.onRoot?.(bank.slot);
  }

  // ── transactions ───────────────────────────────────────────────────────────────────────────

  /**
   * Admission from a client (RPC, SDK): steps 1-4 (decode, signature) on the verifier threads,
   * then steps 5-7 against the best bank's state, the mempool, and batched gossip.
   */
  async submitTransaction(bytes: Uint8Array, content?: Uint8Array): Promise<SubmitResult> {
    const pool = this.#txVerifier;
    const v =
      pool === null
        ? validateStateless(bytes, { shard: this.genesis.shard, keys: this.#keys })
        : await pool.verify(bytes);
    if (v.kind === 'rejected') return { kind: 'rejected', code: v.code, reason: v.reason };
    const ref = contentOf(v.tx.payload);
    if (ref === null) {
      if (content !== undefined)
        return {
          kind: 'rejected',
          code: 'content.unexpected',
          reason: 'a body was sent with a transaction that references no content',
        };
      const r = this.#admitValid(v);
      if (r.kind === 'accepted') this.#queueGossipTx(bytes);
      return r;
    }
    // §9.1: the body travels beside its transaction; without one here, the node's copy is used.
    const c = validateContent(v.tx.payload, content ?? (await this.contentBody(ref.hash)));
    if (c.kind === 'rejected') return { kind: 'rejected', code: c.code, reason: c.reason };
    if (c.kind === 'none') throw new Error('contentOf and contentTypeFor disagree');
    const hex = toHex(ref.hash);
    const had = this.#contentPool.get(hex) !== null;
    if (!(await this.#keepBody(ref, c.bytes, v.id)))
      return {
        kind: 'rejected',
        code: 'content.pool_full',
        reason: 'too many bodies wait for inclusion; retry later',
      };
    const r = await this.#admitChecked(v);
    if (r.kind === 'accepted')
      void this.#publish('content', encodeContentMessage({ tx: bytes, body: c.bytes }));
    else if (!had) this.#contentPool.delete(hex);
    return r;
  }

  /**
   * Keeps a checked body until its transaction is in a block (then it moves to the content
   * store); false when the pool is full even after dropping bodies whose transactions are gone.
   */
  async #keepBody(ref: ContentRef, body: Uint8Array, txId: string): Promise<boolean> {
    const hex = toHex(ref.hash);
    if (this.#contentPool.get(hex) === null && (await this.#content?.has(ref.hash)) === true)
      return true;
    const slot = this.#pohSlot();
    if (this.#contentPool.add(hex, body, txId, slot) !== 'full') return true;
    this.#contentPool.sweep(slot, (id) => this.#mempool.has(id));
    return this.#contentPool.add(hex, body, txId, slot) !== 'full';
  }

  /**
   * After a bank is added: its new posts go into the feed index, the bodies of its content
   * transactions move from the pool to the content store, and bodies whose transactions left the
   * mempool long ago are dropped.
   */
  #onContentIncluded(bank: Bank): void {
    for (const t of bank.txs) {
      const ref = contentOf(t.tx.payload);
      if (ref === null) continue;
      const post = createdPost(bank, t);
      if (post !== null) this.#feed.add(post);
      const hex = toHex(ref.hash);
      const body = this.#contentPool.get(hex);
      const store = this.#content;
      if (body === null || store === null) continue;
      store.put(ref.hash, body).then(
        () => this.#contentPool.delete(hex),
        (err: unknown) => this.#deps.log(`content: storing ${hex.slice(0, 12)}… failed: ${err}`),
      );
    }
    this.#contentPool.sweep(this.#pohSlot(), (id) => this.#mempool.has(id));
  }

  /**
   * A gossiped content message: the transaction (steps 1-4 on the verifier threads), its body
   * against the signed ContentRef, then admission. REJECT (the peer's score drops) for a forged or
   * malformed transaction, a message without content, or a body that does not match; IGNORE for a
   * transaction this node cannot use now (nonce, fee, pool full) unless it is already on chain.
   */
  async #onGossipContent(data: Uint8Array): Promise<GossipVerdict> {
    let m: ReturnType<typeof decodeContentMessage>;
    try {
      m = decodeContentMessage(data);
    } catch (err) {
      if (errorCode(err) !== null) return 'reject';
      throw err;
    }
    const pool = this.#txVerifier;
    const v =
      pool === null
        ? validateStateless(m.tx, { shard: this.genesis.shard, keys: this.#keys })
        : await pool.verify(m.tx);
    if (v.kind === 'rejected') return 'reject';
    const c = validateContent(v.tx.payload, m.body);
    if (c.kind !== 'valid') return 'reject';
    if (this.#forks === null || this.#stopping) return 'ignore';
    const hex = toHex(c.ref.hash);
    try {
      if (this.#onChain(v.tx, v.id, c.ref)) {
        // Executed already (the block came first): keep the body this node missed.
        if (this.#contentPool.get(hex) === null && (await this.#content?.has(c.ref.hash)) === false)
          await this.#content?.put(c.ref.hash, c.bytes);
        return 'accept';
      }
      const had = this.#contentPool.get(hex) !== null;
      if (!(await this.#keepBody(c.ref, c.bytes, v.id))) return 'ignore';
      const r = await this.#admitChecked(v);
      if (r.kind === 'rejected' && r.code === 'tx.proof_invalid') {
        if (!had) this.#contentPool.delete(hex);
        return 'reject'; // a forged proof is the sender's fault
      }
      if (r.kind === 'accepted' || r.code === 'mempool.duplicate') return 'accept';
      if (!had) this.#contentPool.delete(hex);
      return 'ignore';
    } catch (err) {
      // Our store failed (or closed while stopping): not the sender's fault.
      this.#deps.log(
        `content: gossip body ${hex.slice(0, 12)}… not kept: ${(err as Error).message}`,
      );
      return 'ignore';
    }
  }

  /** Whether `tx` already executed on the best fork with this content (its post or profile). */
  #onChain(tx: SignedTransaction, id: string, ref: ContentRef): boolean {
    const state = this.#f.best().state;
    // A zero-knowledge action leaves its sender's nonce alone: only its post tells.
    if (!isZkPayload(tx.payload) && tx.nonce >= state.account(tx.sender).nonce) return false;
    if (tx.payload.kind === 'updateProfile') {
      const identity = state.accounts.get(toHex(tx.sender))?.identity ?? 0n;
      const profile = state.profiles.get(identityKey(identity));
      return profile !== undefined && Buffer.compare(profile.contentHash, ref.hash) === 0;
    }
    const post = state.posts.get(toHex(postIdOf(fromHex(id) as Uint8Array)));
    return post !== undefined && Buffer.compare(post.contentHash, ref.hash) === 0;
  }

  /** Accepted txs leave in batches: at most every TX_GOSSIP_FLUSH_MS or MAX_GOSSIP_BATCH_TXS. */
  #queueGossipTx(bytes: Uint8Array): void {
    this.#txOut.push(bytes);
    if (this.#txOut.length >= MAX_GOSSIP_BATCH_TXS) this.#flushGossipTxs();
    else this.#txFlush ??= setTimeout(() => this.#flushGossipTxs(), TX_GOSSIP_FLUSH_MS);
  }

  #flushGossipTxs(): void {
    if (this.#txFlush !== null) clearTimeout(this.#txFlush);
    this.#txFlush = null;
    while (this.#txOut.length > 0)
      void this.#publish('txs', encodeTxBatch(this.#txOut.splice(0, MAX_GOSSIP_BATCH_TXS)));
  }

  readonly #txOut: Uint8Array[] = [];
  #txFlush: ReturnType<typeof setTimeout> | null = null;

  /** Steps 5-7 against the best bank, then the mempool (`v` passed steps 1-4). */
  /**
   * `#admitValid` after what a zero-knowledge action needs first (§6.3): its state checks against
   * the best fork (root known and recent, quota, nullifier or pseudonym nonce, target) and its
   * membership proof (verified once, the verdict kept for execution).
   */
  async #admitChecked(v: ValidTx): Promise<SubmitResult> {
    const p = v.tx.payload;
    if (isZkPayload(p)) {
      if (this.#forks === null)
        return { kind: 'rejected', code: 'node.not_started', reason: 'node is not running' };
      const bad = checkZkAction(this.#f.best().state, v, p, { slot: BigInt(this.#pohSlot()) });
      if (bad !== null) return { kind: 'rejected', code: bad.code, reason: bad.reason };
      const proof = membershipProofOf(v.tx);
      const membership = this.#exec.membership;
      if (proof === null || membership === undefined || !(await membership.check(proof)))
        return {
          kind: 'rejected',
          code: 'tx.proof_invalid',
          reason: 'the membership proof does not verify for this action',
        };
    }
    return this.#admitValid(v);
  }

  #admitValid(v: ValidTx): SubmitResult {
    if (this.#forks === null)
      return { kind: 'rejected', code: 'node.not_started', reason: 'node is not running' };
    const state = this.#f.best().state;
    const bad = validateAgainstState(v.tx, {
      baseFee: state.baseFee(),
      account: (k) => state.account(k),
    });
    if (bad !== null) return { kind: 'rejected', code: bad.code, reason: bad.reason };
    const added = this.#mempool.add(v);
    if (added.kind === 'rejected')
      return { kind: 'rejected', code: added.code, reason: added.reason };
    this.#metrics.mempoolSize.set(this.#mempool.size);
    this.#forced.admitted(v.id, this.#pohSlot());
    return { kind: 'accepted', id: v.id };
  }

  /**
   * The slot the cluster has reached, as far as this node can tell without trusting any one
   * validator: the highest slot that validators holding more than 1/3 of the stake have voted at
   * or above (their latest signed votes). A single faulty validator cannot move it.
   */
  #clusterSlot(): number {
    const f = this.#forks;
    if (f === null) return 0;
    const votes = f
      .latestVotes()
      .map((v) => ({ slot: voteSlot(v), stake: this.#stakes.get(toHex(v.validator)) ?? 0n }))
      .sort((a, b) => b.slot - a.slot);
    let stake = 0n;
    for (const v of votes) {
      stake += v.stake;
      if (stake * 3n > this.#totalStake) return v.slot;
    }
    return 0;
  }

  /** Whether `bank` is `ancestor` or descends from it (`bank` need not be in the tree yet). */
  #descends(bank: Bank, ancestor: Bank): boolean {
    const f = this.#f;
    for (let b: Bank | undefined = bank; b !== undefined && b.slot >= ancestor.slot; ) {
      if (b.slot === ancestor.slot) return b.hashHex === ancestor.hashHex;
      b = b.slot === f.root.slot ? undefined : f.bank(b.parentSlot);
    }
    return false;
  }

  /** PoH slot now (the slot the clock is in). */
  #pohSlot(): number {
    return Math.floor(this.#tickHeight / this.genesis.ticksPerSlot) + 1;
  }

  /**
   * §7.6 check of a replayed block against this node's crList view: the id of a forced tx it
   * leaves out while the tx is executable on the parent (its sender's next nonce, fee and balance
   * fine), or null.
   */
  #censoredTx(slot: number, after: Bank, included: readonly ValidTx[]): string | null {
    const have = new Set(included.map((t) => t.id));
    // FOCIL's rule: a forced tx is missing only if it could still have been appended at the end
    // of the block — gas left in the slot and under its sender's §7.6 cap, and executable on the
    // block's post-state. A full block censors nothing.
    let blockGas = 0n;
    const senderGas = new Map<string, bigint>();
    for (const t of included) {
      const gas = intrinsicGas(t.tx.payload);
      blockGas += gas;
      const s = toHex(t.tx.sender);
      senderGas.set(s, (senderGas.get(s) ?? 0n) + gas);
    }
    // Leaders include a forced tx from the slot after they saw it forced; validators enforce it
    // FORCED_GRACE_SLOTS later, so lists still in flight never split honest nodes.
    for (const id of this.#forced.forcedBefore(slot - FORCED_GRACE_SLOTS)) {
      if (have.has(id)) continue;
      const v = this.#mempool.get(id);
      if (v === null) continue;
      if (blockGas + intrinsicGas(v.tx.payload) > SLOT_GAS_LIMIT) continue;
      const account = after.state.account(v.tx.sender);
      if (v.tx.nonce !== account.nonce) continue;
      const bad = validateAgainstState(v.tx, {
        account: (k) => after.state.account(k),
        baseFee: after.state.baseFee(),
        senderGasUsed: senderGas.get(toHex(v.tx.sender)) ?? 0n,
      });
      if (bad === null) return id;
    }
    return null;
  }

  /** Every slot: sign and gossip the txs that waited CR_LIST_DELAY_SLOTS in our mempool. */
  #publishInclusionList(slot: number): void {
    this.#forced.prune(slot);
    const ids = this.#forced.overdue(slot, (id) => this.#mempool.has(id));
    if (ids.length === 0) return;
    const list = signInclusionList(
      {
        shard: this.genesis.shard,
        validator: this.#deps.key.publicKey,
        slot,
        txIds: ids.map((id) => Buffer.from(id, 'hex')),
      },
      this.#deps.key.privateKey,
    );
    this.#forced.addList(this.identity, slot, ids, slot);
    void this.#publish('inclusion', encodeInclusionList(list));
  }

  #onInclusionList(bytes: Uint8Array): GossipVerdict {
    let l: ReturnType<typeof decodeInclusionList>;
    try {
      l = decodeInclusionList(bytes);
    } catch (err) {
      if (errorCode(err) !== null) return 'reject';
      throw err;
    }
    const validator = toHex(l.validator);
    if (l.shard !== this.genesis.shard || !this.#stakes.has(validator)) return 'reject';
    if (!verifyInclusionList(l)) return 'reject';
    const forced = this.#forced.addList(validator, l.slot, l.txIds.map(toHex), this.#pohSlot());
    if (forced.length > 0) this.#metrics.forcedTxs.inc(forced.length);
    return 'accept';
  }

  /** A gossiped batch: steps 1-4 on the verifier threads, then admission on this one. */
  async #onGossipTx(bytes: Uint8Array): Promise<GossipVerdict> {
    let txs: Uint8Array[];
    try {
      txs = decodeTxBatch(bytes);
    } catch (err) {
      if (errorCode(err) !== null) return 'reject';
      throw err;
    }
    const pool = this.#txVerifier;
    const checked = await Promise.all(
      txs.map((t) =>
        pool === null
          ? validateStateless(t, { shard: this.genesis.shard, keys: this.#keys })
          : pool.verify(t),
      ),
    );
    let accepted = 0;
    for (const v of checked) {
      const r: SubmitResult =
        v.kind === 'rejected'
          ? { kind: 'rejected', code: v.code, reason: v.reason }
          : isZkPayload(v.tx.payload)
            ? // A zero-knowledge action travels with its body on the content topic, never here.
              { kind: 'rejected', code: 'tx.malformed', reason: 'a zk action without its body' }
            : this.#admitValid(v);
      if (r.kind === 'accepted') accepted += 1;
      // Malformed or forged: the sender is at fault. Anything else (nonce, pool full) may be
      // honest and just late or early for our view of the state.
      else if (
        r.code === 'tx.malformed' ||
        r.code === 'tx.signature_invalid' ||
        r.code === 'tx.too_large' ||
        r.code === 'tx.wrong_shard'
      )
        return 'reject';
    }
    return accepted > 0 ? 'accept' : 'ignore';
  }

  // ── network ────────────────────────────────────────────────────────────────────────────────

  async #startP2p(): Promise<void> {
    const p2p = await createP2pNode({
      listen: [`/ip4/${this.#opts.host}/tcp/${this.#opts.p2pPort ?? 0}`],
      shard: this.genesis.shard,
      bootstrap: this.#opts.peers ?? [],
      privateKey: libp2pKeyFromEd25519(this.#deps.key.privateKey),
      blocklist: this.#blocklist,
    });
    this.#p2p = p2p;
    const { shard } = this.genesis;
    setGossipValidator(p2p, shardTopic(shard, 'blocks'), (d) => this.#onGossipBlock(d));
    setGossipValidator(p2p, shardTopic(shard, 'votes'), (d) => this.#onGossipVote(d));
    setAsyncGossipValidator(p2p, shardTopic(shard, 'txs'), (d) => this.#onGossipTx(d));
    setGossipValidator(p2p, shardTopic(shard, 'inclusion'), (d) => this.#onInclusionList(d));
    setAsyncGossipValidator(p2p, shardTopic(shard, 'content'), (d) => this.#onGossipContent(d));
    for (const k of ['blocks', 'votes', 'txs', 'inclusion', 'content'] as const)
      p2p.services.pubsub.subscribe(shardTopic(shard, k));
    await registerBlockSync(p2p, shard, (hash, count) => this.#provideBlocks(hash, count));
    this.p2pAddrs = p2p.getMultiaddrs().map((a) => a.toString());
    p2p.addEventListener('peer:connect', () => this.#metrics.peers.set(p2p.getPeers().length));
    p2p.addEventListener('peer:disconnect', () => this.#metrics.peers.set(p2p.getPeers().length));
  }

  /** blocks-by-hash server: the block and its ancestors from the store, newest first. */
  async #provideBlocks(hash: Uint8Array, count: number): Promise<Uint8Array[]> {
    const store = this.#store;
    if (store === null) return [];
    const out: Uint8Array[] = [];
    let h = hash;
    while (out.length < count) {
      const bytes = await store.getBlockBytes(h);
      if (bytes === null) break;
      out.push(bytes);
      h = decodeBlock(bytes).parentHash;
    }
    return out;
  }

  async #publish(
    kind: 'blocks' | 'votes' | 'txs' | 'inclusion' | 'content',
    data: Uint8Array,
  ): Promise<void> {
    const p2p = this.#p2p;
    if (p2p === null || this.#stopping) return;
    try {
      await p2p.services.pubsub.publish(shardTopic(this.genesis.shard, kind), data);
    } catch (err) {
      // No peers subscribed yet, or a duplicate: gossip is best effort; sync fills gaps.
      if (!/NoPeersSubscribedToTopic|Duplicate/i.test(String((err as Error).message)))
        this.#deps.log(`gossip: ${(err as Error).message}`);
    }
  }

  // ── RPC view ───────────────────────────────────────────────────────────────────────────────

  async #startRpc(): Promise<void> {
    const rpc = new RpcServer(
      { host: this.#opts.host, port: this.#opts.rpcPort },
      {
        metrics: this.#metrics,
        log: this.#deps.log,
        health: () => this.health(),
        handlers: {
          ...nodeRpcHandlers(this),
          ...economyRpcHandlers(this),
          ...(this.#opts.adminRpc === true ? adminRpcHandlers(this) : {}),
        },
      },
    );
    this.rpcUrl = await rpc.listen();
    this.#rpc = rpc;
    this.metricsUrl = `${this.rpcUrl}/metrics`;
    if (this.#opts.metricsPort !== undefined) {
      const m = new RpcServer(
        {
          host: this.#opts.host,
          port: this.#opts.metricsPort,
          portName: 'metrics',
          portFlag: '--metrics-port',
        },
        { metrics: this.#metrics, log: this.#deps.log, health: () => this.health(), handlers: {} },
      );
      this.metricsUrl = `${await m.listen()}/metrics`;
      this.#metricsServer = m;
    }
  }

  /**
   * Healthy while PoH ticks and the node is not halted. Wall-clock time is used only here, for
   * the operator's liveness probe; nothing that feeds state reads it.
   */
  health(): NodeHealth {
    if (this.#failure !== null) return { ok: false, reason: `halted: ${this.#failure.message}` };
    if (this.#poh === null && !this.#stopping)
      return { ok: false, reason: 'waiting for validators with > 2/3 of the stake' };
    const sinceTickMs = Number(process.hrtime.bigint() - this.#lastTickAt) / 1e6;
    if (sinceTickMs > STALL_AFTER_MS)
      return { ok: false, reason: `no PoH tick for ${Math.round(sinceTickMs)} ms` };
    return { ok: true };
  }

  slot(commitment: Commitment): number {
    const f = this.#f;
    if (commitment === 'finalized') return f.root.slot;
    if (commitment === 'confirmed') return f.confirmedSlot;
    return f.best().slot;
  }

  #bankAt(commitment: Commitment): Bank {
    const f = this.#f;
    if (commitment === 'finalized') return f.root;
    const best = f.best();
    if (commitment === 'processed') return best;
    let b: Bank | undefined = best;
    while (b !== undefined && b.slot > f.confirmedSlot) b = f.bank(b.parentSlot);
    return b ?? f.root;
  }

  /** The block at `slot` on the finalized chain, else on the best fork. */
  async block(slot: number): Promise<SignedBlock | null> {
    const f = this.#f;
    if (slot <= f.root.slot) {
      const h = await (this.#store as ChainStore).canonicalHash(slot);
      return h === null ? null : (this.#store as ChainStore).getBlock(h);
    }
    const b = f.bank(slot);
    return b !== undefined && f.onFork(slot, f.best().slot) ? b.block : null;
  }

  async blockSlots(from: number, to: number, limit: number): Promise<number[]> {
    const f = this.#f;
    const out = await (this.#store as ChainStore).canonicalSlots(
      from,
      Math.min(to, f.root.slot),
      limit,
    );
    if (f.root.slot >= from && f.root.slot <= to && f.root.slot > 0 && !out.includes(f.root.slot))
      out.push(f.root.slot);
    const best = f.best().slot;
    for (const b of f.banks())
      if (b.slot > f.root.slot && b.slot >= from && b.slot <= to && f.onFork(b.slot, best))
        out.push(b.slot);
    return out.sort((a, b) => a - b).slice(0, limit);
  }

  account(pubkey: Uint8Array, commitment: Commitment): AccountJson {
    const bank = this.#bankAt(commitment);
    const a = bank.state.account(pubkey);
    return {
      pubkey: toHex(pubkey),
      nonce: a.nonce.toString(),
      balance: a.balance.toString(),
      identity: (bank.state.accounts.get(toHex(pubkey))?.identity ?? 0n).toString(),
      slot: bank.slot,
    };
  }

  economyAt(commitment: Commitment): { readonly slot: number; readonly state: EconomyState } {
    const bank = this.#bankAt(commitment);
    return { slot: bank.slot, state: bank.state };
  }

  feedCandidates(q: FeedQuery): Iterable<FeedEntry> {
    return this.#feed.recent(q);
  }

  /** A body this node holds: waiting in the pool, or in the content store. */
  async contentBody(hash: Uint8Array): Promise<Uint8Array | null> {
    return this.#contentPool.get(toHex(hash)) ?? (await this.#content?.get(hash)) ?? null;
  }

  pohStatus() {
    return {
      tickHeight: this.#tickHeight,
      hashesPerTick: this.genesis.hashesPerTick,
      ticksPerSlot: this.genesis.ticksPerSlot,
    };
  }

  status(): Record<string, unknown> {
    const f = this.#f;
    const currentSlot = Math.floor(this.#tickHeight / this.genesis.ticksPerSlot) + 1;
    return {
      identity: this.identity,
      slot: f.best().slot,
      confirmedSlot: f.confirmedSlot,
      finalizedSlot: f.root.slot,
      pohSlot: currentSlot,
      leader: this.leaderOf(currentSlot),
      lastVotedSlot: f.tower.lastVotedSlot,
      peers: this.#p2p?.getPeers().length ?? 0,
      mempool: this.#mempool.size,
      p2p: this.p2pAddrs,
      evidence: this.#evidence.length,
      partitionedSince: this.#partitionedSince,
      minorityHalted: this.#minorityHalted,
    };
  }

  /**
   * Replaces the peer block list (libp2p peer ids): connections to listed peers are closed and
   * refused from then on; an empty list lifts it and redials the configured peers.
   */
  async blockPeers(peerIds: readonly string[]): Promise<void> {
    this.#blocklist.clear();
    for (const id of peerIds) this.#blocklist.add(id);
    const p2p = this.#p2p;
    if (p2p === null) return;
    for (const peer of p2p.getPeers())
      if (this.#blocklist.has(peer.toString())) await p2p.hangUp(peer);
    if (peerIds.length === 0) dialPeers(p2p, this.#opts.peers ?? []);
  }

  evidence(): string[] {
    return this.#evidence.map((e) => toHex(encodeEvidence(e)));
  }

  // ── shutdown ───────────────────────────────────────────────────────────────────────────────

  /** Stops PoH first (no new blocks), lets queued work land, then closes network, RPC and store. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#txFlush !== null) clearTimeout(this.#txFlush);
    await this.#waiting;
    const poh = this.#poh;
    this.#poh = null;
    if (poh !== null) await poh.stop().catch(() => {});
    await this.#queue;
    await this.#l2?.stop();
    await this.#closeAll();
  }

  async #closeAll(): Promise<void> {
    try {
      await this.#p2p?.stop();
    } catch {
      // Already stopping; nothing to release.
    }
    this.#p2p = null;
    await this.#rpc?.close();
    this.#rpc = null;
    await this.#metricsServer?.close();
    this.#metricsServer = null;
    await this.#verifier?.close();
    this.#verifier = null;
    await this.#txVerifier?.close();
    this.#txVerifier = null;
    await this.#store?.close();
    this.#store = null;
    await this.#content?.close();
    this.#content = null;
  }
}

/** The feed entry of the post a bank's transaction created, if it created one (it may have failed). */
function createdPost(bank: Bank, t: ValidTx): FeedEntry | null {
  const k = t.tx.payload.kind;
  if (contentOf(t.tx.payload) === null || k === 'updateProfile') return null;
  const post = bank.state.posts.get(toHex(postIdOf(fromHex(t.id) as Uint8Array)));
  return post === undefined ? null : feedEntryOf(post);
}
