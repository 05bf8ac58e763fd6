import type { RelayLimits } from '../limits.ts';
import type { AddMembersRequest, BlockRequest, CreateConversationRequest } from '../wireTypes.ts';
import { readId, readIdList, readObject, type Validation, validated } from './fields.ts';

type ConversationLimits = Pick<RelayLimits, 'maxConversationMembers'>;

/** `members` may be empty (a note-to-self conversation between the caller's own devices). */
export function validateCreateConversation(
  v: unknown,
  limits: ConversationLimits,
): Validation<CreateConversationRequest> {
  return validated(() => {
    const o = readObject(v, '', ['members']);
    return { members: readIdList(o.members, 'members', 0, limits.maxConversationMembers) };
  });
}

export function validateAddMembers(
  v: unknown,
  limits: ConversationLimits,
): Validation<AddMembersRequest> {
  return validated(() => {
    const o = readObject(v, '', ['moltbotIds']);
    return { moltbotIds: readIdList(o.moltbotIds, 'moltbotIds', 1, limits.maxConversationMembers) };
  });
}

export function validateBlock(v: unknown): Validation<BlockRequest> {
  return validated(() => {
    const o = readObject(v, '', ['moltbotId']);
    return { moltbotId: readId(o.moltbotId, 'moltbotId') };
  });
}
