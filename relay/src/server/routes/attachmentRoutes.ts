import type { AttachmentResponse } from '../../protocol/wireTypes.ts';
import type { CallerRecord } from '../../store/relayStore.ts';
import { errorReply, ok, rateLimitedReply } from '../http/reply.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { noBody, queryInt, readQuery } from '../wire.ts';

const callerOf = (caller: CallerRecord | null) => caller as CallerRecord;

/** Encrypted attachments: upload, fetch, delete (docs/moltdm.md "Attachments"). */
export const attachmentRoutes: readonly AnyRoute[] = [
  defineRoute<{ data: Uint8Array; ttlMs: number }>({
    method: 'POST',
    pattern: '/attachments',
    auth: 'device',
    query: ['expiresInSeconds'],
    maxBody: (limits) => limits.maxAttachmentBytes,
    parse: (req, deps) => {
      const q = readQuery(req.query, ['expiresInSeconds']);
      if (!q.ok) return q;
      const maxSeconds = Math.floor(deps.limits.attachmentRetentionMs / 1000);
      const ttl = queryInt(q.value.expiresInSeconds, 'expiresInSeconds', 1, maxSeconds, maxSeconds);
      if (!ttl.ok) return ttl;
      if (req.body.length === 0) {
        return {
          ok: false,
          reply: errorReply('request.invalid_body', 'an attachment needs bytes', { field: '' }),
        };
      }
      return { ok: true, value: { data: req.body, ttlMs: ttl.value * 1000 } };
    },
    handle: async (input, req, deps) => {
      const id = deps.randomId();
      const expiresAt = req.now + input.ttlMs;
      const r = await deps.store.attachments.put({
        id,
        uploaderDeviceId: callerOf(req.caller).deviceId,
        data: input.data,
        now: req.now,
        expiresAt,
      });
      if (r.kind === 'rateLimited') return rateLimitedReply(r);
      const out: AttachmentResponse = { id, size: input.data.length, expiresAt };
      return ok(out, 201);
    },
  }),

  defineRoute<{ id: string }>({
    method: 'GET',
    pattern: '/attachments/:attachmentId',
    auth: 'device',
    maxBody: () => 0,
    parse: (req) => ({ ok: true, value: { id: req.params.attachmentId as string } }),
    handle: async (input, req, deps) => {
      const a = await deps.store.attachments.get(input.id, req.now);
      if (a === null)
        return errorReply('attachment.not_found', 'no such attachment (or it expired)');
      return {
        status: 200,
        bytes: a.data,
        contentType: 'application/octet-stream',
        headers: { 'x-expires-at': String(a.expiresAt) },
      };
    },
  }),

  defineRoute<{ id: string }>({
    method: 'DELETE',
    pattern: '/attachments/:attachmentId',
    auth: 'device',
    parse: (req) => noBody(req.body, { id: req.params.attachmentId as string }),
    handle: async (input, req, deps) => {
      const deleted = await deps.store.attachments.delete(input.id, callerOf(req.caller).deviceId);
      return deleted
        ? ok({ deleted: true })
        : errorReply('attachment.not_found', 'no attachment of yours with this id');
    },
  }),
];
