import { mkdirSync } from 'node:fs';
import { blockHash } from '../codec/blockCodec.ts';
import type { Ed25519KeyPair } from '../crypto/ed25519.ts';
import { signBlock } from '../crypto/signBlock.ts';
import { type Genesis, genesisHash } from '../genesis/genesis.ts';
import { createNodeMetrics, type NodeMetrics } from '../metrics/nodeMetrics.ts';
import { SLOT_DURATION_MS, targetTickNs } from '../params/consensusParams.ts';
import { type PohEntry, sha256 } from '../poh/poh.ts';
import { PohService } from '../poh/pohService.ts';
import { nodeRpcHandlers } from '../rpc/nodeRpcHandlers.ts';
import { type NodeHealth, RpcServer } from '../rpc/rpcServer.ts';
import { BlockStore } from '../store/blockStore.ts';
import type { SignedBlock } from '../types/block.ts';
import { toHex } from '../utils/hex.ts';
import { RollupError } from '../utils/rollupError.ts';

/** State root of the empty state, until execution (a later issue) computes real ones. */
export const EMPTY_STATE_ROOT = sha256(new TextEncoder().encode('moltbook/state/empty/v1'));
const NO_DA_COMMITMENT = new Uint8Array(48);
/** /health turns 503 when no PoH tick arrived for this long: five slots. */
const STALL_AFTER_MS = 5 * SLOT_DURATION_MS;

export interface ValidatorNodeOpts {
  readonly dataDir: string;
  readonly genesis: Genesis;
  readonly host: string;
  /** 0 picks a free port. */
  readonly rpcPort: number;
  /** Tick pacing; defaults to 400 ms slots over the genesis ticksPerSlot. 0n = as fast as PoH hashes. */
  readonly targetTickNs?: bigint;
}

export interface ValidatorNodeDeps {
  readonly key: Ed25519KeyPair;
  readonly log: (line: string) => void;
  readonly metrics?: NodeMetrics;
  /** Called after every block this node stores. */
  readonly onBlock?: (block: SignedBlock) => void;
}

/** The node cannot start as configured; `code` is `node.<reason>`. */
export class NodeError extends RollupError {
  override readonly name = 'NodeError';
}

interface SlotInProgress {
  slot: number;
  parentSlot: number;
  parentHash: Uint8Array;
  pohStart: Uint8Array;
  entries: PohEntry[];
  ticks: number;
  startedAt: bigint;
}

/**
 * The composition root of one shard validator: store, PoH service, slot production and RPC,
 * wired explicitly. The foundation runs a single-validator shard; leader rotation, votes and
 * Tower BFT come with the consensus issue on top of the same block format and store.
 */
export class ValidatorNode {
  readonly #opts: ValidatorNodeOpts;
  readonly #deps: ValidatorNodeDeps;
  readonly #metrics: NodeMetrics;
  #store: BlockStore | null = null;
  #poh: PohService | null = null;
  #rpc: RpcServer | null = null;
  #current: SlotInProgress | null = null;
  #writes: Promise<void> = Promise.resolve();
  #tickHeight = 0;
  #failure: Error | null = null;
  #lastTickAt = process.hrtime.bigint();
  rpcUrl = '';

  constructor(opts: ValidatorNodeOpts, deps: ValidatorNodeDeps) {
    this.#opts = opts;
    this.#deps = deps;
    this.#metrics = deps.metrics ?? createNodeMetrics({ shard: String(opts.genesis.shard) });
  }

  get metrics(): NodeMetrics {
    return this.#metrics;
  }

  async start(): Promise<void> {
    const { genesis } = this.#opts;
    const me = toHex(this.#deps.key.publicKey);
    if (!genesis.validators.some((v) => v.pubkey === me)) {
      throw new NodeError(
        'node.not_a_validator',
        `validator key ${me.slice(0, 16)}… is not in the genesis validator set`,
      );
    }
    if (genesis.validators.length !== 1) {
      throw new NodeError(
        'node.multi_validator_unsupported',
        'this node runs single-validator shards; multi-validator shards need the Tower BFT consensus layer',
      );
    }
    mkdirSync(this.#opts.dataDir, { recursive: true });
    const store = await BlockStore.open(`${this.#opts.dataDir}/blocks`);
    this.#store = store;
    const gHash = genesisHash(genesis);
    const bound = await store.bindGenesis(gHash);
    if (toHex(bound) !== toHex(gHash)) {
      await store.close();
      this.#store = null;
      throw new NodeError(
        'node.genesis_mismatch',
        `${this.#opts.dataDir} holds the chain of genesis ${toHex(bound).slice(0, 16)}…, not ${toHex(gHash).slice(0, 16)}…; use another data directory`,
      );
    }
    const latest = await store.latestSlot();
    const last = latest === null ? null : await store.get(latest);
    const lastEntry = last?.entries.at(-1);
    const pohStart = last === null || lastEntry === undefined ? gHash : lastEntry.hash;
    this.#tickHeight = last?.tickHeight ?? 0;
    this.#current = {
      slot: last === null ? 0 : last.slot + 1,
      parentSlot: last?.slot ?? 0,
      parentHash: last === null ? new Uint8Array(32) : blockHash(last),
      pohStart,
      entries: [],
      ticks: 0,
      startedAt: process.hrtime.bigint(),
    };
    if (last !== null)
      this.#deps.log(`resuming after slot ${last.slot} (tick height ${last.tickHeight})`);

    const rpc = new RpcServer(
      { host: this.#opts.host, port: this.#opts.rpcPort },
      {
        metrics: this.#metrics,
        log: this.#deps.log,
        health: () => this.#health(),
        handlers: nodeRpcHandlers({
          health: () => this.#health(),
          store,
          genesis,
          genesisHash: toHex(gHash),
          identity: me,
          pohStatus: () => ({
            tickHeight: this.#tickHeight,
            hashesPerTick: genesis.hashesPerTick,
            ticksPerSlot: genesis.ticksPerSlot,
          }),
        }),
      },
    );
    try {
      this.rpcUrl = await rpc.listen();
    } catch (err) {
      await store.close();
      this.#store = null;
      throw err;
    }
    this.#rpc = rpc;
    this.#poh = new PohService(
      {
        startHash: pohStart,
        tickHeight: this.#tickHeight,
        hashesPerTick: genesis.hashesPerTick,
        targetTickNs: this.#opts.targetTickNs ?? targetTickNs(genesis.ticksPerSlot),
      },
      { onTick: (height, entry) => this.#onTick(height, entry) },
    );
  }

  /**
   * Healthy while PoH ticks and slots are produced. Wall-clock time is used only here, for the
   * operator's liveness probe; nothing that feeds state reads it.
   */
  #health(): NodeHealth {
    if (this.#current === null)
      return { ok: false, reason: 'block production halted (see the log)' };
    const sinceTickMs = Number(process.hrtime.bigint() - this.#lastTickAt) / 1e6;
    if (sinceTickMs > STALL_AFTER_MS)
      return { ok: false, reason: `no PoH tick for ${Math.round(sinceTickMs)} ms` };
    return { ok: true };
  }

  #onTick(height: number, entry: PohEntry): void {
    this.#lastTickAt = process.hrtime.bigint();
    const cur = this.#current;
    if (cur === null) return;
    this.#tickHeight = height;
    this.#metrics.pohTickHeight.set(height);
    this.#metrics.pohHashes.inc(entry.numHashes);
    cur.entries.push(entry);
    cur.ticks += 1;
    if (cur.ticks < this.#opts.genesis.ticksPerSlot) return;
    const block = signBlock(
      {
        shard: this.#opts.genesis.shard,
        slot: cur.slot,
        parentSlot: cur.parentSlot,
        parentHash: cur.parentHash,
        leader: this.#deps.key.publicKey,
        pohStart: cur.pohStart,
        tickHeight: height,
        entries: cur.entries,
        transactions: [],
        votes: [],
        stateRoot: EMPTY_STATE_ROOT,
        daCommitment: NO_DA_COMMITMENT,
      },
      this.#deps.key.privateKey,
    );
    const now = process.hrtime.bigint();
    this.#metrics.slotDuration.observe(Number(now - cur.startedAt) / 1e9);
    this.#current = {
      slot: cur.slot + 1,
      parentSlot: cur.slot,
      parentHash: blockHash(block),
      pohStart: entry.hash,
      entries: [],
      ticks: 0,
      startedAt: now,
    };
    const store = this.#store;
    if (store === null) return;
    // Writes are chained so blocks land in slot order even if one put is slow.
    this.#writes = this.#writes.then(async () => {
      try {
        await store.put(block);
        this.#metrics.slot.set(block.slot);
        this.#metrics.blocksProduced.inc();
        this.#deps.onBlock?.(block);
      } catch (err) {
        // Never build on a block that is not stored: stop producing until restarted.
        this.#failure ??= err as Error;
        this.#current = null;
        this.#deps.log(
          `store: writing slot ${block.slot} failed, block production halted: ${(err as Error).message}`,
        );
      }
    });
  }

  /** Stops PoH first (no new blocks), lets queued writes land, then closes RPC and the store. */
  async stop(): Promise<void> {
    const poh = this.#poh;
    this.#poh = null;
    if (poh !== null) await poh.stop();
    this.#current = null;
    await this.#writes;
    await this.#rpc?.close();
    this.#rpc = null;
    await this.#store?.close();
    this.#store = null;
    if (this.#failure !== null) throw this.#failure;
  }
}
