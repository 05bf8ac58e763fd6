import type { KeyObject } from 'node:crypto';
import { batchHash } from '../codec/blockCodec.ts';
import { signBlock } from '../crypto/signBlock.ts';
import type { EconomyState } from '../economy/economyState.ts';
import type { EconomyContext } from '../economy/execTypes.ts';
import type { PohEntry } from '../poh/poh.ts';
import type { ValidTx } from '../tx/validateTransaction.ts';
import type { SignedBlock } from '../types/block.ts';
import { toHex } from '../utils/hex.ts';
import type { Bank } from './forks.ts';
import {
  blockContext,
  type ExecDeps,
  executeValidTx,
  l2TimeOf,
  openBlockState,
  type SenderGas,
} from './replay.ts';

/** No DA commitment yet (the DA issue fills this field). */
const NO_DA_COMMITMENT = new Uint8Array(48);

/** What a leader's block brings from the L2: events up to an L2 time (node/l2Follower.ts). */
export interface L2Batch {
  readonly time: number;
  readonly events: readonly Uint8Array[];
}

interface Batch {
  readonly mixin: Uint8Array;
  readonly txs: readonly ValidTx[];
}

export interface BuiltBlock {
  readonly block: SignedBlock;
  readonly state: EconomyState;
  /** Txs executed but whose PoH record landed after the slot's last tick: back to the mempool. */
  readonly late: readonly ValidTx[];
  readonly included: readonly ValidTx[];
}

/**
 * A leader's block in progress (Agave `BankingStage` filling a working bank). Batches are executed
 * on the working state when they are taken from the mempool and then recorded into PoH; the block
 * holds exactly the batches whose mixin entries arrived before the slot's last tick. A record that
 * lands after it (rare: the main thread stalled) is left out, and the state is rebuilt from the
 * parent with the batches that made it, so the state root always matches the entries.
 */
export class BlockBuilder {
  readonly parent: Bank;
  readonly slot: number;
  /** Block flags (BLOCK_FLAGS), decided by the node when the slot starts. */
  readonly flags: number;
  readonly #deps: ExecDeps;
  readonly #ctx: EconomyContext;
  #state: EconomyState;
  readonly #senderGas: SenderGas = new Map();
  readonly #batches = new Map<string, Batch>();
  #gas = 0n;

  /** The L2 events this block applies first, and the L2 time they reach (types/block.ts). */
  readonly l2: L2Batch;

  constructor(parent: Bank, slot: number, deps: ExecDeps, flags = 0, l2?: L2Batch) {
    this.parent = parent;
    this.slot = slot;
    this.flags = flags;
    this.#deps = deps;
    this.l2 = l2 ?? { time: l2TimeOf(parent), events: [] };
    this.#ctx = blockContext(slot, parent, deps.membership);
    this.#state = openBlockState(parent, this.#ctx, this.l2.events);
  }

  get gasUsed(): bigint {
    return this.#gas;
  }

  /** The base fee B at the working state's position (§10.5). */
  baseFee(): bigint {
    return this.#state.baseFee();
  }

  /** Nonce of `sender` in the working state (the mempool takes txs in order from it). */
  nonceOf(sender: Uint8Array): bigint {
    return this.#state.account(sender).nonce;
  }

  /**
   * Executes `candidates` in order on the working state; returns the batch to record (its mixin
   * and txs) and the txs that cannot be included (dropped by the caller).
   */
  executeBatch(candidates: readonly ValidTx[]): {
    batch: Batch | null;
    rejected: readonly ValidTx[];
  } {
    const txs: ValidTx[] = [];
    const rejected: ValidTx[] = [];
    for (const c of candidates) {
      const r = executeValidTx(this.#state, c, this.#senderGas, this.#ctx);
      if (r.kind === 'included') {
        txs.push(c);
        this.#gas += r.gas;
      } else rejected.push(c);
    }
    if (txs.length === 0) return { batch: null, rejected };
    const mixin = batchHash(txs.map((t) => t.bytes));
    const batch = { mixin, txs };
    this.#batches.set(toHex(mixin), batch);
    return { batch, rejected };
  }

  /** Seals the block over `entries` (everything since the parent's last hash) and signs it. */
  finish(
    entries: readonly PohEntry[],
    leader: Uint8Array,
    key: KeyObject,
    votes: readonly Uint8Array[],
  ): BuiltBlock {
    const included: Batch[] = [];
    for (const e of entries) {
      if (e.mixin === undefined) continue;
      const b = this.#batches.get(toHex(e.mixin));
      if (b === undefined) throw new Error('PoH entry mixes in a batch this leader never built');
      included.push(b);
    }
    const late = [...this.#batches.values()]
      .filter((b) => !included.includes(b))
      .flatMap((b) => b.txs);
    if (late.length > 0) {
      this.#state = openBlockState(this.parent, this.#ctx, this.l2.events);
      const gas: SenderGas = new Map();
      for (const t of included.flatMap((b) => b.txs))
        executeValidTx(this.#state, t, gas, this.#ctx);
    }
    const txs = included.flatMap((b) => b.txs);
    const block = signBlock(
      {
        shard: this.#deps.genesis.shard,
        slot: this.slot,
        parentSlot: this.parent.slot,
        parentHash: this.parent.hash,
        leader,
        pohStart: this.parent.lastHash,
        tickHeight: this.slot * this.#deps.genesis.ticksPerSlot,
        entries,
        transactions: txs.map((t) => t.bytes),
        entryTxCounts: included.map((b) => b.txs.length),
        votes,
        stateRoot: this.#state.root(),
        flags: this.flags,
        daCommitment: NO_DA_COMMITMENT,
        l2Time: this.l2.time,
        l2Events: this.l2.events,
      },
      key,
    );
    return { block, state: this.#state, late, included: txs };
  }
}
