/** Most bytes of bodies waiting for their transactions to be included (64 MiB). */
export const CONTENT_POOL_MAX_BYTES = 64 * 1024 * 1024;
/** Most bodies waiting. */
export const CONTENT_POOL_MAX_BODIES = 16_384;
/**
 * A body whose transactions are all gone from the mempool is dropped this many slots after a
 * sweep last saw one of them there (1 minute): long enough for a leader's own block, whose txs
 * leave the mempool a moment before the block is added, to be added and its bodies stored.
 */
export const CONTENT_POOL_GRACE_SLOTS = 150;

interface Pending {
  readonly body: Uint8Array;
  readonly txIds: Set<string>;
  slot: number;
}

export type ContentPoolAdd = 'added' | 'known' | 'full';

/**
 * Bodies (checked against their transactions' ContentRefs) of transactions that are in the
 * mempool and not yet in a block, by content hash (hex). A body moves to the node's ContentStore
 * when a block holding one of its transactions is added; one whose transactions all left the
 * mempool otherwise (replaced, evicted, expired) is dropped by `sweep`. Bounded in bytes and count,
 * so a flood of bodies that never get included costs memory only up to the bound, never disk.
 */
export class ContentPool {
  readonly #byHash = new Map<string, Pending>();
  readonly #maxBytes: number;
  readonly #maxBodies: number;
  #bytes = 0;

  constructor(opts: { readonly maxBytes?: number; readonly maxBodies?: number } = {}) {
    this.#maxBytes = opts.maxBytes ?? CONTENT_POOL_MAX_BYTES;
    this.#maxBodies = opts.maxBodies ?? CONTENT_POOL_MAX_BODIES;
  }

  get size(): number {
    return this.#byHash.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get(hash: string): Uint8Array | null {
    return this.#byHash.get(hash)?.body ?? null;
  }

  /**
   * Keeps `body` for transaction `txId` (seen at `slot`); `known` when the body is already here
   * (the tx is added to it), `full` when it does not fit.
   */
  add(hash: string, body: Uint8Array, txId: string, slot: number): ContentPoolAdd {
    const have = this.#byHash.get(hash);
    if (have !== undefined) {
      have.txIds.add(txId);
      have.slot = Math.max(have.slot, slot);
      return 'known';
    }
    if (this.#bytes + body.length > this.#maxBytes || this.#byHash.size >= this.#maxBodies)
      return 'full';
    this.#byHash.set(hash, { body, txIds: new Set([txId]), slot });
    this.#bytes += body.length;
    return 'added';
  }

  delete(hash: string): void {
    const have = this.#byHash.get(hash);
    if (have === undefined) return;
    this.#byHash.delete(hash);
    this.#bytes -= have.body.length;
  }

  /**
   * Drops the bodies none of whose transactions has been `live` (in the mempool) for `graceSlots`
   * slots; returns how many went. A sweep that finds a body live restarts its grace period.
   */
  sweep(
    slot: number,
    live: (txId: string) => boolean,
    graceSlots = CONTENT_POOL_GRACE_SLOTS,
  ): number {
    let dropped = 0;
    for (const [hash, p] of this.#byHash) {
      let alive = false;
      for (const id of p.txIds) if (live(id)) alive = true;
      if (alive) p.slot = Math.max(p.slot, slot);
      else if (p.slot <= slot - graceSlots) {
        this.delete(hash);
        dropped += 1;
      }
    }
    return dropped;
  }
}
