import { MAX_INCLUSION_LIST_TXS } from '../consensus/inclusionList.ts';

/** §7.6: a transaction not included within this many slots goes on a validator's crList. */
export const CR_LIST_DELAY_SLOTS = 10;
/**
 * Slots between a tx becoming forced in a validator's view and that validator refusing blocks
 * without it: lists gossip in milliseconds, so honest views differ by at most one slot boundary,
 * and leaders include a forced tx one slot before validators insist on it.
 */
export const FORCED_GRACE_SLOTS = 1;
/** Lists and forced entries older than this many slots are forgotten (bounded memory). */
const FORGET_AFTER_SLOTS = 600;
/** Most transaction ids tracked at once (a peer cannot grow this without bound). */
const MAX_TRACKED = 20_000;

interface Seen {
  /** Validators (hex) whose latest list names the tx, with the slot of that list. */
  readonly by: Map<string, number>;
  /** This node's slot when the named stake first exceeded half; null until then. */
  forcedAt: number | null;
  lastSeen: number;
}

/**
 * Forced inclusion (§7.6 censorship resistance; after Ethereum's FOCIL, enforced by each
 * validator's view rather than by consensus state). Validators publish signed lists of the
 * transactions that have waited CR_LIST_DELAY_SLOTS slots in their mempool; once lists from more
 * than half of the stake name a transaction, every later block must include it while it is
 * executable, or this node treats the block as invalid (does not add it, vote on it or build on
 * it). Pure bookkeeping: slots come from the caller's PoH clock.
 */
export class ForcedInclusion {
  readonly #stakes: ReadonlyMap<string, bigint>;
  readonly #total: bigint;
  readonly #delay: number;
  /** Our mempool's txs by id → slot they were admitted at. */
  readonly #pendingSince = new Map<string, number>();
  readonly #seen = new Map<string, Seen>();

  constructor(stakes: ReadonlyMap<string, bigint>, delaySlots = CR_LIST_DELAY_SLOTS) {
    this.#stakes = stakes;
    this.#total = [...stakes.values()].reduce((a, b) => a + b, 0n);
    this.#delay = delaySlots;
  }

  /** A tx entered our mempool at `slot` (kept if it was already pending). */
  admitted(id: string, slot: number): void {
    if (!this.#pendingSince.has(id) && this.#pendingSince.size < MAX_TRACKED)
      this.#pendingSince.set(id, slot);
  }

  /** A tx left our mempool for good (included in a block, or dropped). */
  removed(id: string): void {
    this.#pendingSince.delete(id);
    this.#seen.delete(id);
  }

  /** The ids for our own list at `slot`: pending for at least the delay, oldest first. */
  overdue(slot: number, stillPending: (id: string) => boolean): string[] {
    const out: string[] = [];
    for (const [id, since] of this.#pendingSince) {
      if (slot - since < this.#delay) continue;
      if (!stillPending(id)) {
        this.#pendingSince.delete(id);
        continue;
      }
      out.push(id);
      if (out.length === MAX_INCLUSION_LIST_TXS) break;
    }
    return out;
  }

  /**
   * Takes a verified list of `validator` made at `listSlot`, received at our `slot`. Returns the
   * ids that became forced with it.
   */
  addList(validator: string, listSlot: number, ids: readonly string[], slot: number): string[] {
    const stake = this.#stakes.get(validator);
    if (stake === undefined) return [];
    const forced: string[] = [];
    for (const id of ids) {
      let s = this.#seen.get(id);
      if (s === undefined) {
        if (this.#seen.size >= MAX_TRACKED) this.prune(slot, true);
        s = { by: new Map(), forcedAt: null, lastSeen: slot };
        this.#seen.set(id, s);
      }
      const prev = s.by.get(validator);
      if (prev !== undefined && prev >= listSlot) continue;
      s.by.set(validator, listSlot);
      s.lastSeen = slot;
      if (s.forcedAt === null && this.#namedStake(s) * 2n > this.#total) {
        s.forcedAt = slot;
        forced.push(id);
      }
    }
    return forced;
  }

  #namedStake(s: Seen): bigint {
    let sum = 0n;
    for (const v of s.by.keys()) sum += this.#stakes.get(v) ?? 0n;
    return sum;
  }

  /** Ids that were forced before `slot`: a block at `slot` must include each that is executable. */
  forcedBefore(slot: number): string[] {
    const out: string[] = [];
    for (const [id, s] of this.#seen) if (s.forcedAt !== null && s.forcedAt < slot) out.push(id);
    return out;
  }

  /** Forgets entries not refreshed for FORGET_AFTER_SLOTS (or the oldest half when `hard`). */
  prune(slot: number, hard = false): void {
    for (const [id, s] of this.#seen)
      if (slot - s.lastSeen > FORGET_AFTER_SLOTS) this.#seen.delete(id);
    if (hard && this.#seen.size >= MAX_TRACKED) {
      const drop = [...this.#seen.keys()].slice(0, MAX_TRACKED / 2);
      for (const id of drop) this.#seen.delete(id);
    }
  }
}
