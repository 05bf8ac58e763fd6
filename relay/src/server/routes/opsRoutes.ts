import { errorReply, ok } from '../http/reply.ts';
import { type AnyRoute, defineRoute } from '../route.ts';

/** GET /health and GET /metrics, unauthenticated (docs/moltdm.md "Operations"). */
export const opsRoutes: readonly AnyRoute[] = [
  defineRoute<null>({
    method: 'GET',
    pattern: '/health',
    auth: 'none',
    maxBody: () => 0,
    parse: () => ({ ok: true, value: null }),
    handle: async (_input, _req, deps) =>
      deps.closing()
        ? errorReply('server.shutting_down', 'the relay is shutting down')
        : ok({ status: 'ok', longPollWaiters: deps.waiters.size }),
  }),

  defineRoute<null>({
    method: 'GET',
    pattern: '/metrics',
    auth: 'none',
    maxBody: () => 0,
    parse: () => ({ ok: true, value: null }),
    handle: async (_input, _req, deps) => ({
      status: 200,
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      bytes: new TextEncoder().encode(
        await deps.metrics.render({
          queuedRows: async () => (await deps.store.stats()).queuedRows,
          longPollWaiters: () => deps.waiters.size,
        }),
      ),
    }),
  }),
];
