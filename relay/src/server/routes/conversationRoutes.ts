import {
  validateAddMembers,
  validateCreateConversation,
} from '../../protocol/validate/validateConversations.ts';
import type { ConversationWire } from '../../protocol/wireTypes.ts';
import type { CallerRecord, ConversationRecord, RateLimited } from '../../store/relayStore.ts';
import { errorReply, ok, type Reply, rateLimitedReply } from '../http/reply.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { noBody, parseBody } from '../wire.ts';

const toWire = (c: ConversationRecord): ConversationWire => ({
  id: c.id,
  createdBy: c.createdBy,
  createdAt: c.createdAt,
  members: c.members,
});

const notFound = (): Reply =>
  errorReply('conversation.not_found', 'no such conversation among yours');

/** Outcomes shared by create / add / remove. */
function miss(
  r:
    | { kind: 'notFound' }
    | { kind: 'notAdmin' }
    | { kind: 'notMember' }
    | { kind: 'tooMany' }
    | { kind: 'unknownMembers' | 'alreadyMembers' | 'refused'; moltbotIds: readonly string[] }
    | RateLimited,
  maxMembers: number,
): Reply {
  switch (r.kind) {
    case 'notFound':
      return notFound();
    case 'notAdmin':
      return errorReply('conversation.not_admin', 'only an admin of the conversation may do this');
    case 'notMember':
      return errorReply('conversation.not_member', 'that moltbot is not a member');
    case 'tooMany':
      return errorReply(
        'conversation.too_many_members',
        `a conversation holds at most ${maxMembers} members`,
      );
    case 'unknownMembers':
      return errorReply('identity.not_found', 'unknown moltbot ids', { moltbotIds: r.moltbotIds });
    case 'alreadyMembers':
      return errorReply('conversation.already_member', 'already members', {
        moltbotIds: r.moltbotIds,
      });
    case 'refused':
      return errorReply('conversation.add_refused', 'these moltbots cannot be added by you', {
        moltbotIds: r.moltbotIds,
      });
    case 'rateLimited':
      return rateLimitedReply(r);
  }
}

const callerOf = (caller: CallerRecord | null) => caller as CallerRecord;

export const conversationRoutes: readonly AnyRoute[] = [
  defineRoute<{ members: readonly string[] }>({
    method: 'POST',
    pattern: '/conversations',
    auth: 'device',
    parse: (req, deps) => parseBody(req.body, (v) => validateCreateConversation(v, deps.limits)),
    handle: async (input, req, deps) => {
      const caller = callerOf(req.caller);
      const r = await deps.store.conversations.create({
        id: deps.randomId(),
        creatorMoltbotId: caller.moltbotId,
        actorDeviceId: caller.deviceId,
        members: input.members,
        now: req.now,
      });
      if (r.kind !== 'created') return miss(r, deps.limits.maxConversationMembers);
      deps.waiters.wake(r.notify);
      return ok({ conversation: toWire(r.conversation) }, 201);
    },
  }),

  defineRoute<null>({
    method: 'GET',
    pattern: '/conversations',
    auth: 'device',
    maxBody: () => 0,
    parse: () => ({ ok: true, value: null }),
    handle: async (_input, req, deps) =>
      ok({
        conversations: (await deps.store.conversations.list(callerOf(req.caller).moltbotId)).map(
          toWire,
        ),
      }),
  }),

  defineRoute<{ id: string }>({
    method: 'GET',
    pattern: '/conversations/:conversationId',
    auth: 'device',
    maxBody: () => 0,
    parse: (req) => ({ ok: true, value: { id: req.params.conversationId as string } }),
    handle: async (input, req, deps) => {
      const c = await deps.store.conversations.get(input.id, callerOf(req.caller).moltbotId);
      return c === null ? notFound() : ok({ conversation: toWire(c) });
    },
  }),

  defineRoute<{ id: string; moltbotIds: readonly string[] }>({
    method: 'POST',
    pattern: '/conversations/:conversationId/members',
    auth: 'device',
    parse: (req, deps) => {
      const body = parseBody(req.body, (v) => validateAddMembers(v, deps.limits));
      if (!body.ok) return body;
      return { ok: true, value: { id: req.params.conversationId as string, ...body.value } };
    },
    handle: async (input, req, deps) => {
      const caller = callerOf(req.caller);
      const r = await deps.store.conversations.addMembers({
        id: input.id,
        actorMoltbotId: caller.moltbotId,
        actorDeviceId: caller.deviceId,
        moltbotIds: input.moltbotIds,
        now: req.now,
      });
      if (r.kind !== 'added') return miss(r, deps.limits.maxConversationMembers);
      deps.waiters.wake(r.notify);
      return ok({ conversation: toWire(r.conversation) });
    },
  }),

  defineRoute<{ id: string; moltbotId: string }>({
    method: 'DELETE',
    pattern: '/conversations/:conversationId/members/:moltbotId',
    auth: 'device',
    parse: (req) =>
      noBody(req.body, {
        id: req.params.conversationId as string,
        moltbotId: req.params.moltbotId as string,
      }),
    handle: async (input, req, deps) => {
      const caller = callerOf(req.caller);
      if (input.moltbotId === caller.moltbotId) {
        return errorReply('request.invalid_path', 'to remove yourself, POST …/leave');
      }
      const r = await deps.store.conversations.removeMember({
        id: input.id,
        actorMoltbotId: caller.moltbotId,
        actorDeviceId: caller.deviceId,
        moltbotId: input.moltbotId,
        now: req.now,
      });
      if (r.kind !== 'removed') return miss(r, deps.limits.maxConversationMembers);
      deps.waiters.wake(r.notify);
      return ok({ conversation: toWire(r.conversation) });
    },
  }),

  defineRoute<{ id: string }>({
    method: 'POST',
    pattern: '/conversations/:conversationId/leave',
    auth: 'device',
    parse: (req) => noBody(req.body, { id: req.params.conversationId as string }),
    handle: async (input, req, deps) => {
      const caller = callerOf(req.caller);
      const r = await deps.store.conversations.leave({
        id: input.id,
        moltbotId: caller.moltbotId,
        actorDeviceId: caller.deviceId,
        now: req.now,
      });
      if (r.kind !== 'left') return r.kind === 'notFound' ? notFound() : rateLimitedReply(r);
      deps.waiters.wake(r.notify);
      return ok({ status: 'left' });
    },
  }),
];
