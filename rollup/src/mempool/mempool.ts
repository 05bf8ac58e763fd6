import { txMaxCharge } from '../economy/fees.ts';
import {
  MEMPOOL_MAX_BYTES,
  MEMPOOL_MAX_PER_SENDER,
  MEMPOOL_MAX_TXS,
  REPLACEMENT_BUMP_PERCENT,
} from '../params/txParams.ts';
import { intrinsicGas } from '../tx/intrinsicGas.ts';
import type { ValidTx } from '../tx/validateTransaction.ts';
import { toHex } from '../utils/hex.ts';
import { BinaryHeap } from './binaryHeap.ts';

export interface MempoolOpts {
  readonly maxTxs?: number;
  readonly maxPerSender?: number;
  readonly maxBytes?: number;
  /** Replacement bump in percent (REPLACEMENT_BUMP_PERCENT). */
  readonly bumpPercent?: bigint;
}

export type MempoolRejectCode =
  | 'mempool.duplicate'
  | 'mempool.replacement_underpriced'
  | 'mempool.sender_full'
  | 'mempool.full';

export type AddResult =
  | { readonly kind: 'added'; readonly evicted: readonly string[] }
  | { readonly kind: 'replaced'; readonly replaced: string; readonly evicted: readonly string[] }
  | { readonly kind: 'rejected'; readonly code: MempoolRejectCode; readonly reason: string };

export interface TakeOpts {
  /** Gas the block may still hold; a tx counts for its action's gas (intrinsicGas). */
  readonly gasBudget: bigint;
  /** §7.6: most gas one sender may have in the block (senderGasCap(slotGasLimit)). */
  readonly senderGasCap: bigint;
  /** Base fee B of the slot: txs whose max fee is below their fee at B wait (economy/fees.ts). */
  readonly baseFee: bigint;
  /** The sender account's nonce in the state the block builds on. */
  readonly nonceOf: (sender: Uint8Array) => bigint;
}

interface Entry {
  readonly v: ValidTx;
  readonly sender: string;
  readonly nonce: bigint;
  readonly fee: bigint;
  /** Arrival order: an integer counter, never the clock. */
  readonly seq: number;
}

/** Whether the entry's max fee covers its fee at base fee `baseFee`. */
function affordable(e: Entry, baseFee: bigint): boolean {
  return e.fee >= txMaxCharge(e.v.tx.payload, baseFee);
}

/** Higher max fee first, then earlier arrival. */
function before(a: Entry, b: Entry): boolean {
  return a.fee !== b.fee ? a.fee > b.fee : a.seq < b.seq;
}

/**
 * Pending transactions of one shard, bounded in count, per-sender count and bytes.
 *
 * - Per sender: a queue sorted by nonce. Same sender and nonce: the new tx replaces the pooled one
 *   only if its max fee is ≥ old × (100 + bumpPercent) / 100 (rounded up) and > old.
 * - Eviction when over a bound: the victim is a sender's last (highest-nonce) tx, so queues stay
 *   gap-free; among senders' tails that are not also their queue's first tx, the lowest fee goes
 *   first (newest on ties); a sender's first tx — its next-executable one — goes only when no
 *   other tail is left. When the victim is the tx being added, it is `rejected: mempool.full`
 *   and whatever the call had evicted is put back: a refused add leaves the pool unchanged.
 * - `take` builds a block: repeatedly the best (fee, then arrival) next-executable tx of any
 *   sender, keeping each sender's nonce order, the block's gas budget and the §7.6 cap per sender.
 *   Taken txs leave the pool; a caller whose block fails reinjects them.
 */
export class Mempool {
  readonly #byId = new Map<string, Entry>();
  readonly #senders = new Map<string, Entry[]>();
  readonly #maxTxs: number;
  readonly #maxPerSender: number;
  readonly #maxBytes: number;
  readonly #bump: bigint;
  #bytes = 0;
  #seq = 0;

  constructor(opts: MempoolOpts = {}) {
    this.#maxTxs = opts.maxTxs ?? MEMPOOL_MAX_TXS;
    this.#maxPerSender = opts.maxPerSender ?? MEMPOOL_MAX_PER_SENDER;
    this.#maxBytes = opts.maxBytes ?? MEMPOOL_MAX_BYTES;
    this.#bump = opts.bumpPercent ?? REPLACEMENT_BUMP_PERCENT;
    for (const [name, v] of [
      ['maxTxs', this.#maxTxs],
      ['maxPerSender', this.#maxPerSender],
      ['maxBytes', this.#maxBytes],
    ] as const)
      if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`mempool ${name} must be ≥ 1`);
    if (this.#bump < 0n) throw new RangeError('mempool bumpPercent must be ≥ 0');
  }

  get size(): number {
    return this.#byId.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Pooled txs of a sender (raw key), in nonce order. */
  senderTxs(sender: Uint8Array): ValidTx[] {
    return (this.#senders.get(toHex(sender)) ?? []).map((e) => e.v);
  }

  /** Every pooled tx, grouped by sender, each sender's in nonce order. */
  all(): ValidTx[] {
    return [...this.#senders.values()].flatMap((q) => q.map((e) => e.v));
  }

  add(v: ValidTx): AddResult {
    if (this.#byId.has(v.id))
      return { kind: 'rejected', code: 'mempool.duplicate', reason: `${v.id} is pooled` };
    const sender = toHex(v.tx.sender);
    const entry: Entry = {
      v,
      sender,
      nonce: v.tx.nonce,
      fee: v.tx.maxFee,
      seq: this.#seq++,
    };
    const queue = this.#senders.get(sender) ?? [];
    const at = lowerBound(queue, entry.nonce);
    const old = queue[at];
    let replaced: Entry | undefined;
    const evicted: Entry[] = [];
    if (old !== undefined && old.nonce === entry.nonce) {
      const min = (old.fee * (100n + this.#bump) + 99n) / 100n;
      if (entry.fee < min || entry.fee <= old.fee)
        return {
          kind: 'rejected',
          code: 'mempool.replacement_underpriced',
          reason: `max fee ${entry.fee} < ${min > old.fee ? min : old.fee + 1n} to replace nonce ${old.nonce}`,
        };
      this.#remove(old);
      replaced = old;
    } else if (queue.length >= this.#maxPerSender) {
      const tail = queue[queue.length - 1] as Entry;
      if (entry.nonce > tail.nonce)
        return {
          kind: 'rejected',
          code: 'mempool.sender_full',
          reason: `sender holds ${queue.length} txs (max ${this.#maxPerSender})`,
        };
      this.#remove(tail);
      evicted.push(tail);
    }
    this.#insert(entry);
    while (this.#byId.size > this.#maxTxs || this.#bytes > this.#maxBytes) {
      const victim = this.#victim();
      this.#remove(victim);
      if (victim === entry) {
        // Refused: put back everything this call removed, so the pool is exactly as before.
        for (const e of evicted) this.#insert(e);
        if (replaced !== undefined) this.#insert(replaced);
        return {
          kind: 'rejected',
          code: 'mempool.full',
          reason: `pool full and max fee ${entry.fee} is the lowest`,
        };
      }
      evicted.push(victim);
    }
    const evictedIds = evicted.map((e) => e.v.id);
    return replaced !== undefined
      ? { kind: 'replaced', replaced: replaced.v.id, evicted: evictedIds }
      : { kind: 'added', evicted: evictedIds };
  }

  /** A pooled tx by id, left in the pool; null when absent. */
  get(id: string): ValidTx | null {
    return this.#byId.get(id)?.v ?? null;
  }

  /** Takes one pooled tx by id (a forced inclusion, §7.6); null when it is not pooled. */
  takeById(id: string): ValidTx | null {
    const e = this.#byId.get(id);
    if (e === undefined) return null;
    this.#remove(e);
    return e.v;
  }

  /** Picks txs for a block (see the class comment); they leave the pool. */
  take(opts: TakeOpts): ValidTx[] {
    const heap = new BinaryHeap<Entry>(before);
    for (const queue of [...this.#senders.values()]) {
      const first = queue[0];
      if (first === undefined) continue;
      const nonce = opts.nonceOf(first.v.tx.sender);
      // Txs below the account's nonce can never execute: drop them.
      while (queue[0] !== undefined && (queue[0] as Entry).nonce < nonce)
        this.#remove(queue[0] as Entry);
      const head = queue[0];
      if (head !== undefined && head.nonce === nonce && affordable(head, opts.baseFee))
        heap.push(head);
    }
    const taken: ValidTx[] = [];
    const senderGas = new Map<string, bigint>();
    let budget = opts.gasBudget;
    for (let e = heap.pop(); e !== undefined; e = heap.pop()) {
      const gas = intrinsicGas(e.v.tx.payload);
      const used = senderGas.get(e.sender) ?? 0n;
      if (gas > budget || used + gas > opts.senderGasCap) continue; // this sender is done
      budget -= gas;
      senderGas.set(e.sender, used + gas);
      const queue = this.#senders.get(e.sender) as Entry[];
      this.#remove(e);
      taken.push(e.v);
      const next = queue[0];
      if (next !== undefined && next.nonce === e.nonce + 1n && affordable(next, opts.baseFee))
        heap.push(next);
    }
    return taken;
  }

  /**
   * Forgets txs included in a block (ours or another leader's) and every pooled tx of the same
   * sender with a nonce at or below an included one (those nonces are spent). Returns how many
   * pooled txs left.
   */
  removeIncluded(txs: readonly ValidTx[]): number {
    const before = this.#byId.size;
    for (const v of txs) {
      const own = this.#byId.get(v.id);
      if (own !== undefined) this.#remove(own);
      const queue = this.#senders.get(toHex(v.tx.sender));
      while (
        queue !== undefined &&
        queue[0] !== undefined &&
        (queue[0] as Entry).nonce <= v.tx.nonce
      )
        this.#remove(queue[0] as Entry);
    }
    return before - this.#byId.size;
  }

  /**
   * Puts back txs of an abandoned fork or failed block. The node calls it before
   * `removeIncluded` of the new fork's blocks, so what the new fork holds does not stay pooled.
   * Returns how many were pooled again.
   */
  reinject(txs: readonly ValidTx[]): number {
    let n = 0;
    for (const v of txs) {
      const r = this.add(v);
      if (r.kind !== 'rejected') n += 1;
    }
    return n;
  }

  #insert(e: Entry): void {
    let queue = this.#senders.get(e.sender);
    if (queue === undefined) {
      queue = [];
      this.#senders.set(e.sender, queue);
    }
    queue.splice(lowerBound(queue, e.nonce), 0, e);
    this.#byId.set(e.v.id, e);
    this.#bytes += e.v.bytes.length;
  }

  #remove(e: Entry): void {
    const queue = this.#senders.get(e.sender);
    if (queue === undefined) return;
    const at = lowerBound(queue, e.nonce);
    if (queue[at] !== e) return;
    queue.splice(at, 1);
    if (queue.length === 0) this.#senders.delete(e.sender);
    this.#byId.delete(e.v.id);
    this.#bytes -= e.v.bytes.length;
  }

  /** Lowest-fee tail, non-first tails before first ones, newest on ties. O(senders). */
  #victim(): Entry {
    let best: Entry | undefined;
    let bestIsFirst = true;
    for (const queue of this.#senders.values()) {
      const tail = queue[queue.length - 1] as Entry;
      const isFirst = queue.length === 1;
      if (
        best === undefined ||
        (bestIsFirst && !isFirst) ||
        (bestIsFirst === isFirst &&
          (tail.fee < best.fee || (tail.fee === best.fee && tail.seq > best.seq)))
      ) {
        best = tail;
        bestIsFirst = isFirst;
      }
    }
    return best as Entry;
  }
}

/** First index whose nonce is ≥ `nonce`. */
function lowerBound(queue: readonly Entry[], nonce: bigint): number {
  let lo = 0;
  let hi = queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((queue[mid] as Entry).nonce < nonce) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
