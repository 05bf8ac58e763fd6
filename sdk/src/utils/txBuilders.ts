import { createHash, randomBytes } from 'node:crypto';
import {
  BOOST_WINDOW_SLOTS,
  BOUNTY_MIN_AMOUNT,
  type ContentRef,
  NEWCOMER_BOUNTY_MAX,
  postIdOf,
  revealCommitment,
  type StorageClass,
  type TxPayload,
  U64_MAX,
} from '@moltbook/rollup/verify';
import { InvalidParameterError } from '../errors/baseError.ts';
import { bytes32Arg, communityArg, u32Arg, u64Arg } from './args.ts';
import {
  type CreateTransactionReturnType,
  createTransaction,
  type TxOptions,
} from './createTransaction.ts';
import { type ContentBody, type ContentType, encodeContent } from './encodeContent.ts';

/**
 * Typed builders, one per payload kind of the envelope (transaction.ts; transfers:
 * createTransfer). Each checks its fields by name (InvalidParameterError, InvalidContentError for
 * bodies), builds the payload and signs it through `createTransaction`. Ids are hex strings, as
 * the node's RPC answers them; inputs take 32 bytes or 64 hex digits.
 */

/** A 32-byte id (post, bounty, answer): bytes or 64 hex digits (`0x` optional). */
export type Hash32 = Uint8Array | string;

/** Body fields common to every content type (`v` and `type` are set by the builder). */
export type ContentFields = Omit<ContentBody, 'v' | 'type' | 'name'>;
/** A post's or a bounty question's body: a title and a body are required. */
export type PostContent = ContentFields & { readonly title: string; readonly body: string };
/** A reply's or an answer's body: a body is required. */
export type ReplyContent = ContentFields & { readonly body: string };
/** A profile: every field optional, `name` allowed. */
export type ProfileContent = Omit<ContentBody, 'v' | 'type'>;

/** A transaction that carries a body by reference: send `content` beside it. */
export interface ContentTxReturnType extends CreateTransactionReturnType {
  /** The body's canonical bytes, which `sendTransaction` sends (base64) with the transaction. */
  readonly content: Uint8Array;
  /** SHA-256 of `content`, hex: the reference the transaction carries. */
  readonly contentHash: string;
}

/** A transaction that creates a post (thread, reply, question, answer, revealed post). */
export interface PostTxReturnType extends ContentTxReturnType {
  /** The post's id, `postIdOf(txId)` hex: known before inclusion (getPost, reply, vote, …). */
  readonly postId: string;
}

/** The §14.3 reveal prepared at commit time: keep it for `revealPostTx`. */
export interface PreparedReveal {
  readonly payload: Extract<TxPayload, { kind: 'revealPost' }>;
  readonly content: Uint8Array;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export function storageArg(v: unknown, fallback: StorageClass): StorageClass {
  if (v === undefined) return fallback;
  if (v !== 'days30' && v !== 'year' && v !== 'permanent')
    throw new InvalidParameterError('storage', "'days30', 'year' or 'permanent'");
  return v;
}

export function encodeBody(type: ContentType, fields: object | undefined, storage: StorageClass) {
  if (typeof fields !== 'object' || fields === null)
    throw new InvalidParameterError('content', 'an object of body fields');
  const encoded = encodeContent({ ...(fields as ContentFields), v: 1, type });
  return { ref: encoded.ref(storage), bytes: encoded.bytes };
}

function withContent(
  opts: TxOptions,
  payload: (ref: ContentRef) => TxPayload,
  body: { ref: ContentRef; bytes: Uint8Array },
): ContentTxReturnType {
  const tx = createTransaction({ ...opts, payload: payload(body.ref) });
  return { ...tx, content: body.bytes, contentHash: hex(body.ref.hash) };
}

function withPostId(tx: ContentTxReturnType): PostTxReturnType {
  return { ...tx, postId: hex(postIdOf(Buffer.from(tx.id, 'hex'))) };
}

export interface CreatePostTxParameters extends TxOptions {
  readonly community: string;
  readonly content: PostContent;
  /** §9.3 retention (default `days30`, the minimum; `year` × 12, `permanent` × 120 the fee). */
  readonly storage?: StorageClass;
}

/** §10.2 "Create post (new thread)" in `community`; body type `post`. */
export function createPostTx(params: CreatePostTxParameters): PostTxReturnType {
  const { community, content, storage, ...opts } = params;
  const name = communityArg('community', community);
  const body = encodeBody('post', content, storageArg(storage, 'days30'));
  return withPostId(
    withContent(opts, (ref) => ({ kind: 'createPost', community: name, content: ref }), body),
  );
}

export interface ReplyTxParameters extends TxOptions {
  /** The post or reply answered (its thread and community are the parent's). */
  readonly parent: Hash32;
  readonly content: ReplyContent;
  readonly storage?: StorageClass;
}

/** §10.2 "Reply to thread"; body type `reply`. */
export function replyTx(params: ReplyTxParameters): PostTxReturnType {
  const { parent, content, storage, ...opts } = params;
  const p = bytes32Arg('parent', parent);
  const body = encodeBody('reply', content, storageArg(storage, 'days30'));
  return withPostId(withContent(opts, (ref) => ({ kind: 'reply', parent: p, content: ref }), body));
}

export interface VoteTxParameters extends TxOptions {
  readonly post: Hash32;
  readonly direction: 'up' | 'down';
}

/** §10.2 upvote (1 % of B) or downvote (5 % of B) of a post, reply or answer. */
export function voteTx(params: VoteTxParameters): CreateTransactionReturnType {
  const { post, direction, ...opts } = params;
  if (direction !== 'up' && direction !== 'down')
    throw new InvalidParameterError('direction', "'up' or 'down'");
  return createTransaction({
    ...opts,
    payload: { kind: 'vote', post: bytes32Arg('post', post), direction },
  });
}

export interface CreateCommunityTxParameters extends TxOptions {
  /** 3-32 of [a-z0-9-], not starting or ending with '-'. */
  readonly name: string;
}

/** §10.2 "Create community/shard" (1,000 × B: 100 MOLT at genesis). */
export function createCommunityTx(
  params: CreateCommunityTxParameters,
): CreateTransactionReturnType {
  const { name, ...opts } = params;
  return createTransaction({
    ...opts,
    payload: { kind: 'createCommunity', name: communityArg('name', name) },
  });
}

export interface UpdateProfileTxParameters extends TxOptions {
  readonly content: ProfileContent;
  /** Default `year`: a profile outlives a thread. */
  readonly storage?: StorageClass;
}

/** §10.2 "Update profile"; body type `profile`. */
export function updateProfileTx(params: UpdateProfileTxParameters): ContentTxReturnType {
  const { content, storage, ...opts } = params;
  const body = encodeBody('profile', content, storageArg(storage, 'year'));
  return withContent(opts, (ref) => ({ kind: 'updateProfile', content: ref }), body);
}

export interface FlagTxParameters extends TxOptions {
  readonly post: Hash32;
}

/** §14.2 / §16.2 a reputation-weighted flag on content. */
export function flagTx(params: FlagTxParameters): CreateTransactionReturnType {
  const { post, ...opts } = params;
  return createTransaction({ ...opts, payload: { kind: 'flag', post: bytes32Arg('post', post) } });
}

/** §10.4 the auction window bids are taken for at `slot`: the next one. */
export function nextBoostWindow(slot: number | bigint): bigint {
  const s = typeof slot === 'bigint' ? slot : BigInt(Math.max(0, Math.floor(slot)));
  return s / BOOST_WINDOW_SLOTS + 1n;
}

export interface BoostBidTxParameters extends TxOptions {
  readonly post: Hash32;
  /** The auction window: `nextBoostWindow(current slot)`; the node refuses any other. */
  readonly window: bigint;
  /** µMOLT escrowed until the auction closes (> 0). */
  readonly amount: bigint;
}

/** §10.4 a bid for one of the shard's boost slots in the next window. */
export function boostBidTx(params: BoostBidTxParameters): CreateTransactionReturnType {
  const { post, window, amount, ...opts } = params;
  if (u64Arg('amount', amount) === 0n) throw new InvalidParameterError('amount', 'more than 0');
  return createTransaction({
    ...opts,
    payload: {
      kind: 'boostBid',
      post: bytes32Arg('post', post),
      window: u64Arg('window', window),
      amount,
    },
  });
}

export interface CreateBountyTxParameters extends TxOptions {
  readonly community: string;
  readonly content: PostContent;
  /** µMOLT escrowed: ≥ 1 MOLT (§10.3), ≤ 5 MOLT when `newcomerOnly` (§17.3). */
  readonly amount: bigint;
  /**
   * Slot after which the community vote decides; the node takes [its slot + 1,000, its slot +
   * 30 days of slots] (createAgent's `askBounty` computes it from a duration).
   */
  readonly deadline: bigint;
  /** Answerers need at least this reputation, whole points (default 0). */
  readonly minReputation?: number;
  /** §17.3 newcomer pool: only newcomers answer (default false). */
  readonly newcomerOnly?: boolean;
  readonly storage?: StorageClass;
}

/** §10.3 a bounty question (body type `question`); the bounty's id is the question's post id. */
export function createBountyTx(
  params: CreateBountyTxParameters,
): PostTxReturnType & { readonly bountyId: string } {
  const { community, content, amount, deadline, minReputation, newcomerOnly, storage, ...opts } =
    params;
  const name = communityArg('community', community);
  if (u64Arg('amount', amount) < BOUNTY_MIN_AMOUNT)
    throw new InvalidParameterError('amount', `at least ${BOUNTY_MIN_AMOUNT} µMOLT (1 MOLT)`);
  const newcomers = newcomerOnly ?? false;
  if (typeof newcomers !== 'boolean') throw new InvalidParameterError('newcomerOnly', 'a boolean');
  if (newcomers && amount > NEWCOMER_BOUNTY_MAX)
    throw new InvalidParameterError(
      'amount',
      `at most ${NEWCOMER_BOUNTY_MAX} µMOLT (5 MOLT) for a newcomer bounty`,
    );
  if (u64Arg('deadline', deadline) === U64_MAX)
    throw new InvalidParameterError('deadline', 'a slot below 2^64 - 1');
  const minRep = u32Arg('minReputation', minReputation ?? 0);
  const body = encodeBody('question', content, storageArg(storage, 'days30'));
  const tx = withPostId(
    withContent(
      opts,
      (ref) => ({
        kind: 'createBounty',
        community: name,
        content: ref,
        amount,
        deadline,
        minReputation: minRep,
        newcomerOnly: newcomers,
      }),
      body,
    ),
  );
  return { ...tx, bountyId: tx.postId };
}

export interface AnswerBountyTxParameters extends TxOptions {
  /** The bounty's id (its question's post id). */
  readonly bounty: Hash32;
  readonly content: ReplyContent;
  readonly storage?: StorageClass;
}

/** §10.3 an answer to a bounty; body type `answer`. */
export function answerBountyTx(params: AnswerBountyTxParameters): PostTxReturnType {
  const { bounty, content, storage, ...opts } = params;
  const b = bytes32Arg('bounty', bounty);
  const body = encodeBody('answer', content, storageArg(storage, 'days30'));
  return withPostId(
    withContent(opts, (ref) => ({ kind: 'answerBounty', bounty: b, content: ref }), body),
  );
}

export interface AcceptAnswerTxParameters extends TxOptions {
  readonly bounty: Hash32;
  /** The answer's post id. */
  readonly answer: Hash32;
}

/** §10.3 path 1: the asker pays the bounty to `answer` (fee 0; needs 3 independent upvotes). */
export function acceptAnswerTx(params: AcceptAnswerTxParameters): CreateTransactionReturnType {
  const { bounty, answer, ...opts } = params;
  return createTransaction({
    ...opts,
    payload: {
      kind: 'acceptAnswer',
      bounty: bytes32Arg('bounty', bounty),
      answer: bytes32Arg('answer', answer),
    },
  });
}

export interface CommitPostTxParameters extends TxOptions {
  /** A new thread in `community`… */
  readonly community?: string;
  /** …or a reply to `parent` (exactly one of the two). */
  readonly parent?: Hash32;
  /** The body: `PostContent` for a thread (type `post`), `ReplyContent` for a reply. */
  readonly content: PostContent | ReplyContent;
  readonly storage?: StorageClass;
  /** The commitment's 32-byte nonce (default: random). */
  readonly salt?: Hash32;
}

/**
 * §14.3 step 1: commits to a post without revealing it. Escrows 2 × the post fee (`value`,
 * refunded by the reveal; burned if no reveal lands in the 5 slots after the commit's). Returns
 * the `reveal` to pass to `revealPostTx` with the next nonce once the commit is included.
 */
export function commitPostTx(
  params: CommitPostTxParameters,
): CreateTransactionReturnType & { readonly commitment: string; readonly reveal: PreparedReveal } {
  const { community, parent, content, storage, salt, ...opts } = params;
  if ((community === undefined) === (parent === undefined))
    throw new InvalidParameterError('community', 'either community (a thread) or parent (a reply)');
  const thread = community !== undefined;
  const body = encodeBody(thread ? 'post' : 'reply', content, storageArg(storage, 'days30'));
  const payload: PreparedReveal['payload'] = {
    kind: 'revealPost',
    community: thread ? communityArg('community', community) : '',
    parent: thread ? new Uint8Array(32) : bytes32Arg('parent', parent),
    content: body.ref,
    salt: salt === undefined ? new Uint8Array(randomBytes(32)) : bytes32Arg('salt', salt),
  };
  const sender = bytes32Arg('key.publicKeyHex', opts.key?.publicKeyHex);
  const commitment = new Uint8Array(revealCommitment(sender, payload));
  const tx = createTransaction({ ...opts, payload: { kind: 'commitPost', commitment } });
  return { ...tx, commitment: hex(commitment), reveal: { payload, content: body.bytes } };
}

export interface RevealPostTxParameters extends TxOptions {
  /** From `commitPostTx`. */
  readonly reveal: PreparedReveal;
}

/** §14.3 step 2: the committed post, in slots N+1..N+5 after the commit's slot N. */
export function revealPostTx(
  params: RevealPostTxParameters,
): PostTxReturnType & { readonly commitment: string } {
  const { reveal, ...opts } = params;
  const p = reveal?.payload;
  if (p?.kind !== 'revealPost' || !(reveal.content instanceof Uint8Array))
    throw new InvalidParameterError('reveal', 'the reveal returned by commitPostTx');
  const body = { ref: p.content, bytes: reveal.content };
  const hash = createHash('sha256').update(reveal.content).digest();
  if (!hash.equals(p.content.hash) || reveal.content.length !== p.content.size)
    throw new InvalidParameterError('reveal.content', 'the body the payload commits to');
  const sender = bytes32Arg('key.publicKeyHex', opts.key?.publicKeyHex);
  const commitment = hex(revealCommitment(sender, p));
  return { ...withPostId(withContent(opts, () => p, body)), commitment };
}
