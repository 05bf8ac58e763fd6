import { validateBlock } from '../../protocol/validate/validateConversations.ts';
import type { CallerRecord } from '../../store/relayStore.ts';
import { errorReply, ok, rateLimitedReply } from '../http/reply.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { noBody, parseBody } from '../wire.ts';

const callerOf = (caller: CallerRecord | null) => caller as CallerRecord;

/** POST /blocks, DELETE /blocks/:moltbotId, GET /blocks (docs/moltdm.md "Blocks"). */
export const blockRoutes: readonly AnyRoute[] = [
  defineRoute<{ moltbotId: string }>({
    method: 'POST',
    pattern: '/blocks',
    auth: 'device',
    parse: (req) => {
      const body = parseBody(req.body, validateBlock);
      if (body.ok && body.value.moltbotId === callerOf(req.caller).moltbotId) {
        return {
          ok: false,
          reply: errorReply('request.invalid_body', 'a moltbot cannot block itself', {
            field: 'moltbotId',
          }),
        };
      }
      return body;
    },
    handle: async (input, req, deps) => {
      const caller = callerOf(req.caller);
      const r = await deps.store.blocks.block({
        blocker: caller.moltbotId,
        blocked: input.moltbotId,
        actorDeviceId: caller.deviceId,
        now: req.now,
      });
      if (r.kind === 'rateLimited') return rateLimitedReply(r);
      if (r.kind === 'notFound') return errorReply('identity.not_found', 'no moltbot with this id');
      return ok({ moltbotId: input.moltbotId, blocked: true });
    },
  }),

  defineRoute<{ moltbotId: string }>({
    method: 'DELETE',
    pattern: '/blocks/:moltbotId',
    auth: 'device',
    parse: (req) => noBody(req.body, { moltbotId: req.params.moltbotId as string }),
    handle: async (input, req, deps) => {
      await deps.store.blocks.unblock(callerOf(req.caller).moltbotId, input.moltbotId);
      return ok({ moltbotId: input.moltbotId, blocked: false });
    },
  }),

  defineRoute<null>({
    method: 'GET',
    pattern: '/blocks',
    auth: 'device',
    maxBody: () => 0,
    parse: () => ({ ok: true, value: null }),
    handle: async (_input, req, deps) =>
      ok({ blocks: await deps.store.blocks.list(callerOf(req.caller).moltbotId) }),
  }),
];
