import type {
  CreateCommunityPayload,
  CreatePostPayload,
  FlagPayload,
  ReplyPayload,
  UpdateProfilePayload,
  VotePayload,
} from '../tx/transaction.ts';
import { toHex } from '../utils/hex.ts';
import { noteAnswerUpvote } from './bounties.ts';
import type { EconomyState } from './economyState.ts';
import { identityKey } from './economyState.ts';
import { type ActionInput, type ExecFailure, failure, isFailure } from './execTypes.ts';
import { livePost, requireIdentity } from './guards.ts';
import { flagPost } from './moderation.ts';
import { noteVoteOnNewcomer } from './newcomers.ts';
import { insertPost } from './posts.ts';
import type { PostRecord } from './records.ts';
import {
  recordDownvote,
  recordUpvote,
  reputationOf,
  settleEpoch,
  voteWeightOf,
} from './reputation.ts';

/**
 * Content actions (§10.2): communities, posts, replies, profile updates, votes and flags. Each
 * handler checks every rule first and returns an ExecFailure without writing anything; then it
 * writes. Fees were charged by the state machine before the handler runs.
 */

export function createCommunity(
  state: EconomyState,
  input: ActionInput,
  p: CreateCommunityPayload,
): ExecFailure | null {
  const id = requireIdentity(input);
  if (isFailure(id)) return id;
  if (state.communities.has(p.name))
    return failure('exec.community_exists', `community ${p.name} exists`);
  state.communities.set(p.name, {
    name: p.name,
    creator: id.id,
    createdSlot: input.ctx.slot,
    posts: 0n,
  });
  return null;
}

export function createPost(
  state: EconomyState,
  input: ActionInput,
  p: CreatePostPayload,
  postId: Uint8Array,
): ExecFailure | null {
  const id = requireIdentity(input);
  if (isFailure(id)) return id;
  if (!state.communities.has(p.community))
    return failure('exec.unknown_community', `no community ${p.community}`);
  insertPost(state, {
    id: postId,
    kind: 'post',
    mode: 'public',
    author: id.id,
    authorKey: input.sender.key,
    community: p.community,
    parent: null,
    content: p.content,
    slot: input.ctx.slot,
    pohHash: input.ctx.pohHash,
  });
  id.interactions += 1n;
  return null;
}

export function reply(
  state: EconomyState,
  input: ActionInput,
  p: ReplyPayload,
  postId: Uint8Array,
): ExecFailure | null {
  const id = requireIdentity(input);
  if (isFailure(id)) return id;
  const parent = livePost(state, p.parent);
  if (isFailure(parent)) return parent;
  insertPost(state, {
    id: postId,
    kind: 'reply',
    mode: 'public',
    author: id.id,
    authorKey: input.sender.key,
    community: parent.community,
    parent,
    content: p.content,
    slot: input.ctx.slot,
    pohHash: input.ctx.pohHash,
  });
  id.interactions += 1n;
  return null;
}

/** §10.2 profile update: the profile body's reference lives in the identity's profile record. */
export function updateProfile(
  state: EconomyState,
  input: ActionInput,
  p: UpdateProfilePayload,
): ExecFailure | null {
  const id = requireIdentity(input);
  if (isFailure(id)) return id;
  state.profiles.set(identityKey(id.id), {
    contentHash: Uint8Array.from(p.content.hash),
    size: p.content.size,
    updatedSlot: input.ctx.slot,
  });
  return null;
}

/**
 * §10.2 upvote / downvote, weighted by reputation (§12.3, reputation.ts). One vote per identity
 * per post, never on one's own content (a pseudonym's owner cannot be told apart: that is §6.3's
 * unlinkability), never on anonymous content's author reputation (the post tally still moves:
 * anonymous posts rank like any other, their authors just earn nothing).
 */
export function vote(state: EconomyState, input: ActionInput, p: VotePayload): ExecFailure | null {
  const voter = requireIdentity(input);
  if (isFailure(voter)) return voter;
  const postKey = toHex(p.post);
  const found = livePost(state, p.post, postKey);
  if (isFailure(found)) return found;
  if (found.mode === 'public' && found.author === voter.id)
    return failure('exec.self_vote', 'an identity cannot vote on its own content');
  const voteKey = identityKey(voter.id) + postKey;
  if (state.votes.has(voteKey)) return failure('exec.already_voted', 'one vote per post');

  const post = state.posts.getMut(postKey) as PostRecord;
  // Public and pseudonymous authors earn from votes (a pseudonym's record is an identity record,
  // zkActions.ts); anonymous content has no author to credit (INFLUENCE.anonymous).
  const author =
    post.mode !== 'anonymous' && post.author !== 0n
      ? (state.identities.getMut(identityKey(post.author)) ?? null)
      : null;
  const slot = input.ctx.slot;
  let weight: bigint;
  if (author !== null) {
    settleEpoch(state, author, slot);
    weight =
      p.direction === 'up'
        ? recordUpvote(state, voter, author, slot)
        : recordDownvote(state, voter, author, slot);
    noteVoteOnNewcomer(author, p.direction === 'up' ? weight : -weight, slot);
  } else {
    // Anonymous content: the vote ranks the post, nobody earns from it.
    weight = voteWeightOf(voter, slot);
  }
  if (p.direction === 'up') {
    post.up += weight;
    post.upCount += 1;
    if (post.kind === 'bountyAnswer') noteAnswerUpvote(state, post, voter, slot);
  } else {
    post.down += weight;
    post.downCount += 1;
  }
  state.votes.set(voteKey, { direction: p.direction, weight });
  voter.interactions += 1n;
  return null;
}

/** §14.2 / §16.2 flag, weighted by the flagger's reputation (moderation.ts). */
export function flag(state: EconomyState, input: ActionInput, p: FlagPayload): ExecFailure | null {
  const flagger = requireIdentity(input);
  if (isFailure(flagger)) return flagger;
  const post = livePost(state, p.post);
  if (isFailure(post)) return post;
  if (post.mode === 'public' && post.author === flagger.id)
    return failure('exec.self_vote', 'an identity cannot flag its own content');
  const key = identityKey(flagger.id) + toHex(p.post);
  if (state.flags.has(key)) return failure('exec.already_flagged', 'one flag per post');
  const weight = reputationOf(flagger, input.ctx.slot);
  state.flags.set(key, { weight });
  flagPost(state, p.post, weight, input.ctx.slot);
  return null;
}
