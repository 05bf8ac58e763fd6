import {
  BOUNTY_MAX_ANSWERS,
  BOUNTY_MAX_DURATION_SLOTS,
  BOUNTY_MIN_AMOUNT,
  BOUNTY_MIN_DURATION_SLOTS,
  BPS,
  NEWCOMER_BOUNTY_MAX,
  NEWCOMER_MAX_INTERACTIONS,
  NEWCOMER_SLOTS,
} from '../params/economyParams.ts';
import {
  BOUNTY_COMPETITION_MIN_ANSWERS,
  BOUNTY_FACTOR_BPS,
  BOUNTY_FIRST_BPS,
  BOUNTY_INDEPENDENT_UPVOTES,
  BOUNTY_NO_ANSWER_REFUND_BPS,
  BOUNTY_SECOND_BPS,
  EPOCH_BOUNTY_SAMPLE,
  INDEPENDENCE_LOOKBACK_EPOCHS,
} from '../params/reputationParams.ts';
import { U64_MAX } from '../params/txParams.ts';
import type {
  AcceptAnswerPayload,
  AnswerBountyPayload,
  CreateBountyPayload,
} from '../tx/transaction.ts';
import { toHex } from '../utils/hex.ts';
import type { BountyAnswer, BountyRecord } from './bountyRecord.ts';
import { scheduleDue } from './dues.ts';
import { type EconomyState, identityKey } from './economyState.ts';
import { type ActionInput, type ExecFailure, failure } from './execTypes.ts';
import { requireIdentity } from './guards.ts';
import { burnEscrow, escrow, release } from './ledger.ts';
import { WAD } from './math/fixedPoint.ts';
import { insertPost } from './posts.ts';
import type { IdentityRecord, PostRecord } from './records.ts';
import { creditBounty, epochOf, pairCount, reputationOf } from './reputation.ts';

/**
 * §10.3 bounty market and the §17.3 newcomer bounty pool (docs/economy.md "Bounties").
 * A bounty is a question post whose amount sits in escrow (`totals.escrowed`) until one of:
 *
 * 1. the asker accepts an answer with ≥ 3 independent upvotes before the deadline: 100 % to it;
 * 2. at deadline + 1, community vote: answers ranked by net reputation-weighted score (ties: the
 *    earlier answer) — 80 % to the first, 15 % to the second, the rest (5 %) burned; with a single
 *    answer the second's 15 % goes back to the asker;
 * 3. at deadline + 1 without (live) answers: 90 % back to the asker, 10 % burned;
 * 4. fewer than 2 live answers: reputation factor 0.25 (§12.3 "no competing answers").
 *
 * Handlers check every rule before their first write and return an ExecFailure without writing
 * on failure; money moves only through ledger.ts, so payouts + refunds + burn = escrow exactly.
 */

/** Largest u32 (the codec's width of counters and `minReputation`). */
const U32_MAX = 0xffff_ffff;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isIdentity(x: IdentityRecord | ExecFailure): x is IdentityRecord {
  return 'id' in x;
}

/** §17.3 newcomer bounty pool eligibility: registered < 30 days ago AND < 100 interactions. */
export function isNewcomerAnswerer(id: Readonly<IdentityRecord>, slot: bigint): boolean {
  return slot < id.registeredSlot + NEWCOMER_SLOTS && id.interactions < NEWCOMER_MAX_INTERACTIONS;
}

/**
 * §10.3 a bounty question: amount ≥ 1 MOLT (≤ 5 MOLT for the §17.3 newcomer pool), deadline in
 * [slot + BOUNTY_MIN_DURATION_SLOTS, slot + BOUNTY_MAX_DURATION_SLOTS], an existing community, an
 * active identity, and the amount in the balance left after the fee. Escrows the amount, inserts
 * the question post, the bounty, its deadline (resolved at deadline + 1) and samples the amount
 * for the §10.6 bounty signal.
 */
export function createBounty(
  state: EconomyState,
  input: ActionInput,
  p: CreateBountyPayload,
  postId: Uint8Array,
): ExecFailure | null {
  const id = requireIdentity(input);
  if (!isIdentity(id)) return id;
  const slot = input.ctx.slot;
  if (p.amount < BOUNTY_MIN_AMOUNT)
    return failure('exec.bounty_amount', `amount ${p.amount} below ${BOUNTY_MIN_AMOUNT}`);
  if (p.newcomerOnly && p.amount > NEWCOMER_BOUNTY_MAX)
    return failure(
      'exec.bounty_amount',
      `newcomer bounty ${p.amount} above ${NEWCOMER_BOUNTY_MAX}`,
    );
  if (
    p.deadline < slot + BOUNTY_MIN_DURATION_SLOTS ||
    p.deadline > slot + BOUNTY_MAX_DURATION_SLOTS ||
    p.deadline >= U64_MAX
  )
    return failure('exec.bounty_deadline', `deadline ${p.deadline} out of range at slot ${slot}`);
  if (!Number.isSafeInteger(p.minReputation) || p.minReputation < 0 || p.minReputation > U32_MAX)
    return failure('exec.bounty_reputation', `bad minimum reputation ${p.minReputation}`);
  if (!state.communities.has(p.community))
    return failure('exec.unknown_community', `no community ${p.community}`);
  if (input.sender.balance < p.amount)
    return failure(
      'exec.insufficient_balance',
      `amount ${p.amount} > balance ${input.sender.balance} after the fee`,
    );

  escrow(state, input.sender, p.amount);
  insertPost(state, {
    id: postId,
    kind: 'bountyQuestion',
    mode: 'public',
    author: id.id,
    authorKey: input.sender.key,
    community: p.community,
    parent: null,
    content: p.content,
    slot,
    pohHash: input.ctx.pohHash,
  });
  const bounty: BountyRecord = {
    id: Uint8Array.from(postId),
    asker: id.id,
    askerKey: Uint8Array.from(input.sender.key),
    amount: p.amount,
    createdSlot: slot,
    deadline: p.deadline,
    minReputation: p.minReputation,
    newcomerOnly: p.newcomerOnly,
    answers: [],
    status: 'open',
    path: 'open',
    resolvedSlot: 0n,
  };
  state.bounties.set(toHex(postId), bounty);
  scheduleDue(state, p.deadline + 1n, 'bountyDeadline', postId);
  const t = state.totalsMut();
  if (t.epochBounties.length < EPOCH_BOUNTY_SAMPLE) t.epochBounties.push(p.amount);
  id.interactions += 1n;
  return null;
}

/**
 * §10.3 an answer: the bounty is open and its deadline not passed, the answerer is not the asker
 * and has not answered yet, reputation ≥ `minReputation` whole points, §17.3 newcomer-pool
 * eligibility when the bounty asks for it, fewer than BOUNTY_MAX_ANSWERS answers, and the question
 * still live. Inserts the answer post under the question.
 */
export function answerBounty(
  state: EconomyState,
  input: ActionInput,
  p: AnswerBountyPayload,
  postId: Uint8Array,
): ExecFailure | null {
  const id = requireIdentity(input);
  if (!isIdentity(id)) return id;
  const slot = input.ctx.slot;
  const key = toHex(p.bounty);
  const b = state.bounties.get(key);
  if (b === undefined) return failure('exec.unknown_bounty', `no bounty ${key}`);
  if (b.status !== 'open' || slot > b.deadline)
    return failure('exec.bounty_closed', `bounty ${key} is closed`);
  if (id.id === b.asker) return failure('exec.bounty_self_answer', 'the asker cannot answer');
  if (b.answers.some((a) => a.answerer === id.id))
    return failure('exec.bounty_already_answered', 'one answer per identity');
  if (b.answers.length >= BOUNTY_MAX_ANSWERS)
    return failure('exec.bounty_full', `bounty ${key} has ${BOUNTY_MAX_ANSWERS} answers`);
  if (reputationOf(id, slot) < BigInt(b.minReputation) * WAD)
    return failure('exec.bounty_reputation', `reputation below ${b.minReputation}`);
  if (b.newcomerOnly && !isNewcomerAnswerer(id, slot))
    return failure(
      'exec.bounty_newcomer_only',
      'newcomer bounties take identities < 30 days old with < 100 interactions',
    );
  const question = state.posts.get(key);
  if (question === undefined) return failure('exec.unknown_post', `no question post ${key}`);
  if (question.moderation === 'removed')
    return failure('exec.post_removed', 'the question was removed');

  insertPost(state, {
    id: postId,
    kind: 'bountyAnswer',
    mode: 'public',
    author: id.id,
    authorKey: input.sender.key,
    community: question.community,
    parent: question,
    content: p.content,
    slot,
    pohHash: input.ctx.pohHash,
  });
  (state.bounties.getMut(key) as BountyRecord).answers.push({
    post: Uint8Array.from(postId),
    answerer: id.id,
    independentUpvotes: 0,
  });
  id.interactions += 1n;
  return null;
}

/** Answers whose post exists and was not soft-deleted, in arrival order. */
function liveAnswers(state: EconomyState, b: Readonly<BountyRecord>): [BountyAnswer, PostRecord][] {
  const out: [BountyAnswer, PostRecord][] = [];
  for (const a of b.answers) {
    const post = state.posts.get(toHex(a.post));
    if (post !== undefined && post.moderation !== 'removed') out.push([a, post]);
  }
  return out;
}

/** §12.3 bounty_reputation_factor of a resolution with `live` competing answers. */
function factorOf(path: 'askerSelected' | 'communityVote', live: number): bigint {
  if (live < BOUNTY_COMPETITION_MIN_ANSWERS) return BOUNTY_FACTOR_BPS.noCompetition;
  return BOUNTY_FACTOR_BPS[path];
}

/** Credits bounty reputation to the answerer's identity, if it still exists. */
function creditAnswerer(
  state: EconomyState,
  answerer: bigint,
  earned: bigint,
  factor: bigint,
  slot: bigint,
): void {
  const id = state.identities.getMut(identityKey(answerer));
  if (id !== undefined) creditBounty(state, id, earned, factor, slot);
}

/**
 * §10.3 path 1: the asker selects an answer of its open bounty before the deadline. It pays —
 * 100 % of the escrow to the answer's key, reputation factor 0.5 (0.25 without a competing answer)
 * — only when the answer has ≥ 3 independent upvotes; otherwise the transaction fails with
 * `exec.bounty_not_independent` and changes nothing: the bounty stays open, the asker may accept
 * again (this or another answer) once the threshold is met, and at the deadline the community
 * vote (path 2) decides.
 */
export function acceptAnswer(
  state: EconomyState,
  input: ActionInput,
  p: AcceptAnswerPayload,
): ExecFailure | null {
  const id = requireIdentity(input);
  if (!isIdentity(id)) return id;
  const slot = input.ctx.slot;
  const key = toHex(p.bounty);
  const b = state.bounties.get(key);
  if (b === undefined) return failure('exec.unknown_bounty', `no bounty ${key}`);
  if (id.id !== b.asker) return failure('exec.not_asker', 'only the asker selects an answer');
  if (b.status !== 'open' || slot > b.deadline)
    return failure('exec.bounty_closed', `bounty ${key} is closed`);
  const i = b.answers.findIndex((a) => sameBytes(a.post, p.answer));
  const answer = b.answers[i];
  if (answer === undefined) return failure('exec.unknown_answer', 'not an answer of this bounty');
  const post = state.posts.get(toHex(p.answer));
  if (post === undefined) return failure('exec.unknown_answer', 'the answer post is gone');
  if (post.moderation === 'removed') return failure('exec.post_removed', 'the answer was removed');
  if (answer.independentUpvotes < BOUNTY_INDEPENDENT_UPVOTES)
    return failure(
      'exec.bounty_not_independent',
      `${answer.independentUpvotes} independent upvotes, ${BOUNTY_INDEPENDENT_UPVOTES} needed`,
    );

  const live = liveAnswers(state, b).length;
  const bm = state.bounties.getMut(key) as BountyRecord;
  bm.status = 'resolved';
  bm.path = 'askerSelected';
  bm.resolvedSlot = slot;
  release(state, post.authorKey, b.amount);
  creditAnswerer(state, answer.answerer, b.amount, factorOf('askerSelected', live), slot);
  return null;
}

/**
 * Whether an upvote by `voter` on an answer of `answerer` counts as from an independent agent
 * (§10.3 "no shared voting history with the answerer"): the voter is neither the answerer nor the
 * asker nor §12.1-flagged, and neither of the two upvoted the other in the vote's epoch or the
 * INDEPENDENCE_LOOKBACK_EPOCHS before it — except the upvote being counted, which recordUpvote
 * already put in the current epoch's voter → answerer pair.
 */
export function isIndependentUpvote(
  state: EconomyState,
  voter: Readonly<IdentityRecord>,
  answerer: bigint,
  asker: bigint,
  slot: bigint,
): boolean {
  if (voter.id === answerer || voter.id === asker || voter.penaltyBps > 0) return false;
  const e = epochOf(slot);
  for (let k = 0n; k <= INDEPENDENCE_LOOKBACK_EPOCHS && k <= e; k++) {
    const own = k === 0n ? 1 : 0;
    if (pairCount(state, e - k, voter.id, answerer) > own) return false;
    if (pairCount(state, e - k, answerer, voter.id) > 0) return false;
  }
  return true;
}

/**
 * Called by the state machine on every upvote of a 'bountyAnswer' post, AFTER recordUpvote for
 * the same vote (content.ts `vote`): counts it in the answer's independent upvotes when it is
 * from an independent agent (`isIndependentUpvote`) and the bounty is still open.
 */
export function noteAnswerUpvote(
  state: EconomyState,
  answer: Readonly<PostRecord>,
  voter: Readonly<IdentityRecord>,
  slot: bigint,
): void {
  if (answer.kind !== 'bountyAnswer') return;
  const key = toHex(answer.parent);
  const b = state.bounties.get(key);
  if (b === undefined || b.status !== 'open') return;
  const i = b.answers.findIndex((a) => sameBytes(a.post, answer.id));
  const a = b.answers[i];
  if (a === undefined || !isIndependentUpvote(state, voter, a.answerer, b.asker, slot)) return;
  const m = (state.bounties.getMut(key) as BountyRecord).answers[i] as BountyAnswer;
  if (m.independentUpvotes < U32_MAX) m.independentUpvotes += 1;
}

/**
 * A bounty's deadline passed (run at deadline + 1 by the state machine's dues): nothing when it
 * was resolved already. Without live answers, path 3 (90 % back to the asker, 10 % burned);
 * otherwise path 2, the community vote: live answers ranked by `up − down` (their reputation-
 * weighted tallies), ties to the earlier answer; 80 % to the first, 15 % to the second — back to
 * the asker when there is no second — and the remainder burned. Reputation at factor 1.0, or
 * 0.25 with fewer than 2 live answers. Never throws.
 */
export function resolveBountyDue(state: EconomyState, bountyId: Uint8Array, slot: bigint): void {
  const key = toHex(bountyId);
  const b = state.bounties.get(key);
  if (b === undefined || b.status !== 'open') return;
  const live = liveAnswers(state, b);
  const amount = b.amount;
  const bm = state.bounties.getMut(key) as BountyRecord;
  bm.status = 'resolved';
  bm.resolvedSlot = slot;
  if (live.length === 0) {
    bm.path = 'noAnswers';
    const refund = (amount * BOUNTY_NO_ANSWER_REFUND_BPS) / BPS;
    release(state, b.askerKey, refund);
    burnEscrow(state, amount - refund);
    return;
  }
  bm.path = 'communityVote';
  // Stable sort: equal scores keep arrival order, so the earlier answer wins a tie.
  const ranked = live
    .map(([a, post], order) => ({ a, post, order, score: post.up - post.down }))
    .sort((x, y) => (x.score > y.score ? -1 : x.score < y.score ? 1 : x.order - y.order));
  const factor = factorOf('communityVote', ranked.length);
  const first = ranked[0] as (typeof ranked)[number];
  const firstShare = (amount * BOUNTY_FIRST_BPS) / BPS;
  const secondShare = (amount * BOUNTY_SECOND_BPS) / BPS;
  release(state, first.post.authorKey, firstShare);
  const second = ranked[1];
  if (second === undefined) release(state, b.askerKey, secondShare);
  else release(state, second.post.authorKey, secondShare);
  burnEscrow(state, amount - firstShare - secondShare);
  creditAnswerer(state, first.a.answerer, firstShare, factor, slot);
  if (second !== undefined) creditAnswerer(state, second.a.answerer, secondShare, factor, slot);
}
