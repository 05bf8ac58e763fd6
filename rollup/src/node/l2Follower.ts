import { type Address, createPublicClient, http, type PublicClient, parseAbiItem } from 'viem';
import { encodeL2Event } from '../economy/l2EventCodec.ts';
import type { L2Batch } from './blockBuilder.ts';
import type { L2EventSource } from './replay.ts';

/** `RootUpdated(uint256 indexed root, uint256 size)` of contracts/privacy/IAnonymitySet.sol. */
const ROOT_UPDATED = parseAbiItem('event RootUpdated(uint256 indexed root, uint256 size)');

/** How long replay waits for this node's L2 view to reach a block's L2 time before giving up. */
const L2_CATCH_UP_MS = 5_000;

/** Most L2 events one block carries (more wait for the next block; whole L2 blocks only). */
export const MAX_L2_EVENTS_PER_BLOCK = 256;

export interface L2FollowerOptions {
  /** JSON-RPC URL of the L2. */
  readonly rpcUrl: string;
  /** The AnonymitySet whose roots the shard follows (genesis `l2.anonymitySet`). */
  readonly anonymitySet: Address;
  /** L2 block to start reading from (its deployment block; default 0). */
  readonly fromBlock?: bigint;
  /** Blocks below the L2 head an event must be to count (0: the head itself; OP: use ≥ 1). */
  readonly confirmations?: number;
  /** Poll period (default 500 ms). */
  readonly pollMs?: number;
  readonly log?: (line: string) => void;
}

interface L2BlockEvents {
  readonly time: number;
  readonly events: readonly Uint8Array[];
}

/**
 * A validator's view of the L2 (DESIGN.md §4 step 5): it reads the L2 blocks as they come, keeps
 * the events the shard applies (today the AnonymitySet's `RootUpdated`, as `anonymityRoot`), and
 * answers two questions, both by L2 time (block timestamps, which increase strictly on the L2 —
 * so a time names a point of the chain, and a local L2 that restarts keeps moving forward):
 *
 * - a leader's `nextBatch(after)`: the events after the parent's L2 time, up to the newest
 *   confirmed block (at most MAX_L2_EVENTS_PER_BLOCK, whole L2 blocks);
 * - replay's `eventsBetween(after, upTo)`: what a block must carry, to compare.
 *
 * It only ever reads; an L2 that is unreachable delays L2 events (blocks carry none), it never
 * stops the shard.
 */
export class L2Follower implements L2EventSource {
  readonly #client: PublicClient;
  readonly #opts: L2FollowerOptions;
  readonly #blocks: L2BlockEvents[] = [];
  /** Next L2 block number to read, and the time of the last block read (0: none yet). */
  #next: bigint;
  #headTime = 0;
  /** Blocks at or below this time were pruned: older ranges cannot be judged any more. */
  #prunedUpTo = -1;
  #timer: NodeJS.Timeout | null = null;
  #polling: Promise<void> | null = null;
  #stopped = false;
  #lastError = '';

  constructor(opts: L2FollowerOptions) {
    this.#opts = opts;
    this.#client = createPublicClient({ transport: http(opts.rpcUrl, { retryCount: 0 }) });
    this.#next = opts.fromBlock ?? 0n;
  }

  /** Reads up to the head once, then keeps polling in the background. */
  async start(): Promise<void> {
    await this.poll();
    const tick = () => {
      if (this.#stopped) return;
      this.#timer = setTimeout(async () => {
        await this.poll();
        tick();
      }, this.#opts.pollMs ?? 500);
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    await this.#polling;
  }

  /** The L2 time this follower has read up to (the newest confirmed block's timestamp). */
  get headTime(): number {
    return this.#headTime;
  }

  /** Reads the confirmed L2 blocks not read yet (one poll at a time); never throws. */
  poll(): Promise<void> {
    this.#polling ??= this.#read()
      .catch((err: unknown) => {
        const msg = (err as Error).message.split('\n')[0] ?? 'error';
        if (msg !== this.#lastError) this.#opts.log?.(`l2: cannot read the L2: ${msg}`);
        this.#lastError = msg;
      })
      .finally(() => {
        this.#polling = null;
      });
    return this.#polling;
  }

  async #read(): Promise<void> {
    const head = (await this.#client.getBlockNumber()) - BigInt(this.#opts.confirmations ?? 0);
    if (head < this.#next) return;
    const logs = await this.#client.getLogs({
      address: this.#opts.anonymitySet,
      event: ROOT_UPDATED,
      fromBlock: this.#next,
      toBlock: head,
    });
    const byBlock = new Map<bigint, Uint8Array[]>();
    const ordered = [...logs].sort((a, b) =>
      a.blockNumber === b.blockNumber
        ? (a.logIndex ?? 0) - (b.logIndex ?? 0)
        : (a.blockNumber ?? 0n) < (b.blockNumber ?? 0n)
          ? -1
          : 1,
    );
    for (const l of ordered) {
      const root = l.args.root;
      if (root === undefined || l.blockNumber === null) continue;
      const bytes = Uint8Array.from(Buffer.from(root.toString(16).padStart(64, '0'), 'hex'));
      const list = byBlock.get(l.blockNumber) ?? [];
      list.push(encodeL2Event({ kind: 'anonymityRoot', root: bytes }));
      byBlock.set(l.blockNumber, list);
    }
    const numbers = [...byBlock.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const n of numbers) {
      const time = Number((await this.#client.getBlock({ blockNumber: n })).timestamp);
      const last = this.#blocks.at(-1);
      if (last !== undefined && time <= last.time)
        throw new Error(
          `L2 block ${n} has time ${time}, not after ${last.time}: timestamps must increase`,
        );
      this.#blocks.push({ time, events: byBlock.get(n) as Uint8Array[] });
    }
    const headTime = Number((await this.#client.getBlock({ blockNumber: head })).timestamp);
    this.#headTime = Math.max(this.#headTime, headTime);
    this.#next = head + 1n;
    if (this.#lastError !== '') this.#opts.log?.('l2: reading the L2 again');
    this.#lastError = '';
  }

  async eventsBetween(after: number, upTo: number): Promise<Uint8Array[] | null> {
    // A leader whose L2 view is a poll ahead of ours is normal: read again (a poll already in
    // flight may have started before that L2 block existed) for up to L2_CATCH_UP_MS.
    const deadline = Date.now() + L2_CATCH_UP_MS;
    while (upTo > this.#headTime && !this.#stopped) {
      await this.poll();
      if (upTo <= this.#headTime || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (upTo > this.#headTime || after < this.#prunedUpTo) return null;
    return this.#blocks.filter((b) => b.time > after && b.time <= upTo).flatMap((b) => b.events);
  }

  /**
   * A leader's L2 batch on a parent at L2 time `after`: the events of confirmed L2 blocks after
   * it (whole blocks, at most MAX_L2_EVENTS_PER_BLOCK unless one block alone has more), and the
   * time they reach — the head's when everything fits, so the shard's L2 time keeps up with the L2.
   */
  nextBatch(after: number): L2Batch {
    if (this.#headTime <= after) return { time: after, events: [] };
    const events: Uint8Array[] = [];
    for (const b of this.#blocks) {
      if (b.time <= after) continue;
      if (events.length > 0 && events.length + b.events.length > MAX_L2_EVENTS_PER_BLOCK)
        return { time: b.time - 1, events };
      events.push(...b.events);
    }
    return { time: this.#headTime, events };
  }

  /** Forgets blocks at or below `time` (the root bank's L2 time: no fork can need them). */
  prune(time: number): void {
    this.#prunedUpTo = Math.max(this.#prunedUpTo, time);
    while (this.#blocks.length > 0 && (this.#blocks[0] as L2BlockEvents).time <= time)
      this.#blocks.shift();
  }
}
