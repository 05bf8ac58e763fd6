import { FLAG_HIDE_THRESHOLD, REVIEW_SLOTS } from '../params/economyParams.ts';
import { toHex } from '../utils/hex.ts';
import { scheduleDue } from './dues.ts';
import type { EconomyState } from './economyState.ts';
import { WAD } from './math/fixedPoint.ts';

/**
 * §14.2 / §16.2 moderation. Flags carry the flagger's reputation; when the flags on a post reach
 * FLAG_HIDE_THRESHOLD reputation points the post is hidden from feeds and queued for community
 * review (REVIEW_SLOTS). When the review ends, the community's reputation-weighted votes decide:
 * more downvote weight than upvote weight soft-deletes the post (`removed`: the body is withheld
 * by nodes and RPC, the record and its content hash stay, §16.2 item 1); otherwise it is shown
 * again and its flag weight starts from zero (flaggers cannot flag it twice).
 */
export function flagPost(
  state: EconomyState,
  postId: Uint8Array,
  weight: bigint,
  slot: bigint,
): void {
  const post = state.posts.getMut(toHex(postId));
  if (post === undefined) return;
  post.flagWeight += weight;
  if (post.moderation === 'visible' && post.flagWeight >= FLAG_HIDE_THRESHOLD * WAD) {
    post.moderation = 'hidden';
    scheduleDue(state, slot + REVIEW_SLOTS, 'reviewClose', postId);
  }
}

/** The end of a post's review (a `reviewClose` due item). */
export function closeReview(state: EconomyState, postId: Uint8Array): void {
  const post = state.posts.getMut(toHex(postId));
  if (post === undefined || post.moderation !== 'hidden') return;
  if (post.down > post.up) post.moderation = 'removed';
  else {
    post.moderation = 'visible';
    post.flagWeight = 0n;
  }
}
