import { toHex } from '../utils/hex.ts';
import type { EconomyState } from './economyState.ts';
import { type ActionInput, type ExecFailure, failure } from './execTypes.ts';
import type { IdentityRecord, PostRecord } from './records.ts';

/** The checks most actions start with (content, bounties, boosts, commit-reveal). */

/** The sender's identity, which every content action needs (public mode, §6.3). */
export function requireIdentity(input: ActionInput): IdentityRecord | ExecFailure {
  const id = input.identity;
  if (id === null) return failure('exec.no_identity', 'the signer key is bound to no identity');
  if (id.status !== 'active')
    return failure('exec.identity_inactive', `identity ${id.id} is ${id.status}`);
  return id;
}

/** A post that exists and is not soft-deleted (`hex`: the id's key, when the caller has it). */
export function livePost(
  state: EconomyState,
  id: Uint8Array,
  hex: string = toHex(id),
): PostRecord | ExecFailure {
  const post = state.posts.get(hex);
  if (post === undefined) return failure('exec.unknown_post', `no post ${hex}`);
  if (post.moderation === 'removed') return failure('exec.post_removed', 'the post was removed');
  return post;
}
