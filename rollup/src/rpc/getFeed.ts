import type { EconomyState } from '../economy/economyState.ts';
import type { IdentityRecord, PostRecord } from '../economy/records.ts';
import { visibilityScore } from '../economy/visibility.ts';
import { FEED_SCORE_WINDOW } from '../params/visibilityParams.ts';
import type { FeedEntry } from '../store/feedIndex.ts';
import { authorOf } from './economyJson.ts';

export type FeedSort = 'score' | 'recency';

export interface FeedSelection {
  readonly sort: FeedSort;
  /** 1..FEED_MAX_LIMIT. */
  readonly limit: number;
}

/**
 * One page of a feed (§10.4 "ranked feed queries … by score, by recency"), from the index's
 * candidates of the query (newest first) and one bank's state at `slot`. Candidates the state does
 * not have (another fork, a later slot) and posts hidden or removed by moderation (§14.2, §16.2)
 * are skipped.
 *
 * - `recency`: newest first. A page never ends inside a slot unless one slot alone holds more
 *   than `limit` posts, so the next page is `before: <createdSlot of the page's last post>` and
 *   nothing is skipped between pages.
 * - `score`: the FEED_SCORE_WINDOW most recent visible candidates ranked by visibilityScore at
 *   `slot`, highest first (ties: newer first); the best `limit` of them.
 *
 * Read the state synchronously: a bank below a new root is retired by compaction (node/forks.ts).
 */
export function getFeed(
  candidates: Iterable<FeedEntry>,
  state: EconomyState,
  slot: bigint,
  sel: FeedSelection,
): PostRecord[] {
  const want = sel.sort === 'recency' ? sel.limit + 1 : FEED_SCORE_WINDOW;
  const posts: PostRecord[] = [];
  for (const e of candidates) {
    const p = state.posts.get(e.id);
    if (p === undefined || p.moderation !== 'visible') continue;
    posts.push(p);
    if (posts.length >= want) break;
  }
  if (sel.sort === 'recency') {
    if (posts.length <= sel.limit) return posts;
    const page = posts.slice(0, sel.limit);
    const cut = (posts[sel.limit] as PostRecord).createdSlot;
    // The next post shares the page's last slot: end the page before that slot, if anything is left.
    if ((page.at(-1) as PostRecord).createdSlot !== cut) return page;
    const whole = page.filter((p) => p.createdSlot !== cut);
    return whole.length > 0 ? whole : page;
  }
  const authors = new Map<bigint, IdentityRecord | null>();
  const authorFor = (p: PostRecord): IdentityRecord | null => {
    if (p.mode !== 'public') return null;
    let a = authors.get(p.author);
    if (a === undefined) {
      a = authorOf(state, p);
      authors.set(p.author, a);
    }
    return a;
  };
  const scored = posts.map((p) => ({ p, score: visibilityScore(p, authorFor(p), slot) }));
  // Array.sort is stable: equal scores keep the candidates' newest-first order.
  scored.sort((x, y) => (x.score > y.score ? -1 : x.score < y.score ? 1 : 0));
  return scored.slice(0, sel.limit).map((s) => s.p);
}
