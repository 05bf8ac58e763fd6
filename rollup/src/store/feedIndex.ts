import type { PostRecord } from '../economy/records.ts';
import { FEED_INDEX_MAX_POSTS } from '../params/visibilityParams.ts';
import { toHex } from '../utils/hex.ts';

/** What the index keeps of a post (the record itself is read from a bank's state). */
export interface FeedEntry {
  /** Post id, hex. */
  readonly id: string;
  readonly slot: bigint;
  readonly community: string;
  /** The public author's identity, 0 for pseudonymous and anonymous posts (§6.3). */
  readonly author: bigint;
  /** A thread starter: a post or a bounty question (replies and answers are not). */
  readonly thread: boolean;
}

export interface FeedQuery {
  readonly community?: string;
  readonly author?: bigint;
  /** Only posts created before this slot. */
  readonly before?: bigint;
}

export function feedEntryOf(p: Readonly<PostRecord>): FeedEntry {
  return {
    id: toHex(p.id),
    slot: p.createdSlot,
    community: p.community,
    author: p.mode === 'public' ? p.author : 0n,
    thread: p.kind === 'post' || p.kind === 'bountyQuestion',
  };
}

/** (slot, id) order: recency, then the post id to break ties the same way on every node. */
function before(a: FeedEntry, b: FeedEntry): boolean {
  return a.slot < b.slot || (a.slot === b.slot && a.id < b.id);
}

/** Index of the first entry of ascending `list` that is not before `e`. */
function lowerBound(list: readonly FeedEntry[], e: FeedEntry): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list[mid] as FeedEntry, e)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first entry of ascending `list` created at or after `slot`. */
function firstAtOrAfter(list: readonly FeedEntry[], slot: bigint): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as FeedEntry).slot < slot) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insert(list: FeedEntry[], e: FeedEntry): void {
  const last = list.at(-1);
  if (last === undefined || before(last, e)) list.push(e);
  else list.splice(lowerBound(list, e), 0, e);
}

/**
 * The node's feed index (§10.4 "ranked feed queries … by community, by author"): post ids in
 * recency order, in memory, per community (threads) and per author (everything the author wrote),
 * plus every thread of the shard. It holds the posts of every bank the node added, on any fork;
 * a query reads records from one bank's state and skips ids that state does not have. Bounded:
 * past `maxPosts` the oldest are dropped (in batches of 1 %). Rebuilt from the state at restart.
 */
export class FeedIndex {
  readonly #max: number;
  readonly #ids = new Set<string>();
  /** Every entry (eviction order). */
  #all: FeedEntry[] = [];
  #threads: FeedEntry[] = [];
  readonly #byCommunity = new Map<string, FeedEntry[]>();
  readonly #byAuthor = new Map<bigint, FeedEntry[]>();

  constructor(maxPosts: number = FEED_INDEX_MAX_POSTS) {
    this.#max = maxPosts;
  }

  get size(): number {
    return this.#ids.size;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Adds a post (idempotent). */
  add(e: FeedEntry): void {
    if (this.#ids.has(e.id)) return;
    this.#ids.add(e.id);
    insert(this.#all, e);
    if (e.thread) {
      insert(this.#threads, e);
      insert(listOf(this.#byCommunity, e.community), e);
    }
    if (e.author !== 0n) insert(listOf(this.#byAuthor, e.author), e);
    if (this.#all.length > this.#max) this.#evict();
  }

  /** Replaces the contents with `entries` (any order): the newest `maxPosts` are kept. */
  load(entries: Iterable<FeedEntry>): void {
    const unique = new Map<string, FeedEntry>();
    for (const e of entries) unique.set(e.id, e);
    const sorted = [...unique.values()].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    const kept = sorted.slice(Math.max(0, sorted.length - this.#max));
    this.#ids.clear();
    this.#all = [];
    this.#threads = [];
    this.#byCommunity.clear();
    this.#byAuthor.clear();
    for (const e of kept) {
      // Ascending input: every insert is a push.
      this.#ids.add(e.id);
      this.#all.push(e);
      if (e.thread) {
        this.#threads.push(e);
        listOf(this.#byCommunity, e.community).push(e);
      }
      if (e.author !== 0n) listOf(this.#byAuthor, e.author).push(e);
    }
  }

  /**
   * The entries of a query, newest first: an author's everything (in `community` when given), a
   * community's threads, or every thread of the shard; only those before `q.before` when given.
   */
  *recent(q: FeedQuery): Generator<FeedEntry> {
    let list: readonly FeedEntry[];
    let keep: (e: FeedEntry) => boolean = () => true;
    if (q.author !== undefined) {
      list = this.#byAuthor.get(q.author) ?? [];
      const c = q.community;
      if (c !== undefined) keep = (e) => e.community === c;
    } else if (q.community !== undefined) list = this.#byCommunity.get(q.community) ?? [];
    else list = this.#threads;
    const end = q.before === undefined ? list.length : firstAtOrAfter(list, q.before);
    // Evictions replace the arrays, never mutate them: iterating a snapshot is safe.
    for (let i = end - 1; i >= 0; i--) {
      const e = list[i] as FeedEntry;
      if (keep(e)) yield e;
    }
  }

  #evict(): void {
    const excess = this.#all.length - this.#max + Math.max(1, Math.floor(this.#max / 100));
    const gone = this.#all.slice(0, excess);
    this.#all = this.#all.slice(excess);
    const ids = new Set(gone.map((e) => e.id));
    for (const id of ids) this.#ids.delete(id);
    const drop = (l: readonly FeedEntry[]) => l.filter((e) => !ids.has(e.id));
    this.#threads = drop(this.#threads);
    for (const c of new Set(gone.map((e) => e.community))) prune(this.#byCommunity, c, drop);
    for (const a of new Set(gone.map((e) => e.author))) prune(this.#byAuthor, a, drop);
  }
}

function listOf<K>(m: Map<K, FeedEntry[]>, k: K): FeedEntry[] {
  let l = m.get(k);
  if (l === undefined) {
    l = [];
    m.set(k, l);
  }
  return l;
}

function prune<K>(
  m: Map<K, FeedEntry[]>,
  k: K,
  drop: (l: readonly FeedEntry[]) => FeedEntry[],
): void {
  const l = m.get(k);
  if (l === undefined) return;
  const kept = drop(l);
  if (kept.length === 0) m.delete(k);
  else m.set(k, kept);
}
