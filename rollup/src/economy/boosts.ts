import {
  BOOST_MAX_BIDS,
  BOOST_RESERVE,
  BOOST_SLOTS,
  BOOST_WINDOW_SLOTS,
} from '../params/economyParams.ts';
import type { BoostBidPayload } from '../tx/transaction.ts';
import { toHex } from '../utils/hex.ts';
import { scheduleDue, u64Ref } from './dues.ts';
import type { EconomyState } from './economyState.ts';
import { type ActionInput, type ExecFailure, failure, isFailure } from './execTypes.ts';
import { livePost, requireIdentity } from './guards.ts';
import { distributeFee, escrow, release } from './ledger.ts';
import { u64Key } from './recordCodec.ts';
import type { BoostBid } from './records.ts';

/**
 * §10.4 boost auctions. Each shard sells BOOST_SLOTS boosts per window of BOOST_WINDOW_SLOTS.
 * Bids for window w+1 are taken during window w (escrowed, visible on chain: a Vickrey auction
 * needs no secrecy for truthful bidding to be optimal, only the second-price rule); at the first
 * slot of w+1 the auction closes: the highest BOOST_SLOTS bids win (ties: the earlier bid) and
 * each pays the highest losing bid (the uniform (N+1)-th price, the VCG price for N identical
 * slots), or the reserve price BOOST_RESERVE when there are no more bids than slots. The price is split
 * 40/30/20/10 (§10.2 "Boost post visibility"), the rest of every bid is refunded. A winning post
 * carries `boostUntil` = the last slot of w+1.
 */

export function windowOf(slot: bigint): bigint {
  return slot / BOOST_WINDOW_SLOTS;
}

export function boostBid(
  state: EconomyState,
  input: ActionInput,
  p: BoostBidPayload,
): ExecFailure | null {
  const id = requireIdentity(input);
  if (isFailure(id)) return id;
  const next = windowOf(input.ctx.slot) + 1n;
  if (p.window !== next) return failure('exec.auction_window', `bids are for window ${next}`);
  const post = livePost(state, p.post);
  if (isFailure(post)) return post;
  if (p.amount < BOOST_RESERVE)
    return failure(
      'exec.bid_too_low',
      `a bid must be at least the reserve, ${BOOST_RESERVE} µMOLT`,
    );
  if (input.sender.balance < p.amount)
    return failure(
      'exec.insufficient_balance',
      `bid ${p.amount} > balance ${input.sender.balance}`,
    );
  const key = u64Key(p.window);
  const auction = state.auctions.get(key);
  const bids = auction?.bids ?? [];
  const postHex = toHex(p.post);
  if (bids.some((b: BoostBid) => toHex(b.post) === postHex))
    return failure('exec.auction_full', 'this post already has a bid in the window');
  let lowest = -1;
  if (bids.length >= BOOST_MAX_BIDS) {
    lowest = lowestBid(bids);
    if (p.amount <= (bids[lowest] as BoostBid).amount)
      return failure(
        'exec.bid_too_low',
        'the auction is full and this bid is not above its lowest',
      );
  }

  escrow(state, input.sender, p.amount);
  const bid: BoostBid = {
    post: Uint8Array.from(p.post),
    bidder: Uint8Array.from(input.sender.key),
    amount: p.amount,
  };
  if (auction === undefined) {
    state.auctions.set(key, { bids: [bid], settled: false });
    scheduleDue(state, p.window * BOOST_WINDOW_SLOTS, 'auctionClose', u64Ref(p.window));
    return null;
  }
  const a = state.auctions.getMut(key);
  if (a === undefined) return null;
  if (lowest >= 0) {
    const [out] = a.bids.splice(lowest, 1);
    if (out !== undefined) release(state, out.bidder, out.amount);
  }
  a.bids.push(bid);
  return null;
}

/** Index of the lowest bid; among equal ones the latest (it loses ties). */
function lowestBid(bids: readonly BoostBid[]): number {
  let at = 0;
  for (let i = 1; i < bids.length; i++)
    if ((bids[i] as BoostBid).amount <= (bids[at] as BoostBid).amount) at = i;
  return at;
}

/** Closes window `window`'s auction (an `auctionClose` due item at its first slot). */
export function closeAuction(state: EconomyState, window: bigint): void {
  const key = u64Key(window);
  const a = state.auctions.get(key);
  if (a === undefined || a.settled) return;
  // Stable sort: equal bids keep arrival order, so the earlier wins.
  const ranked = [...a.bids].sort((x, y) =>
    x.amount > y.amount ? -1 : x.amount < y.amount ? 1 : 0,
  );
  const winners = ranked.slice(0, BOOST_SLOTS);
  const price =
    ranked.length > BOOST_SLOTS ? (ranked[BOOST_SLOTS] as BoostBid).amount : BOOST_RESERVE;
  const until = (window + 1n) * BOOST_WINDOW_SLOTS - 1n;
  for (const w of winners) {
    const post = state.posts.getMut(toHex(w.post));
    const t = state.totalsMut();
    t.escrowed -= price;
    distributeFee(state, price, 'boost');
    release(state, w.bidder, w.amount - price);
    if (post !== undefined) {
      post.boost += price;
      post.boostUntil = until;
    }
  }
  for (const l of ranked.slice(BOOST_SLOTS)) release(state, l.bidder, l.amount);
  state.auctions.delete(key);
}
