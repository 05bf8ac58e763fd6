import type { MessageType } from '../../protocol/limits.ts';
import { validateAck, validateSendMessage } from '../../protocol/validate/validateMessages.ts';
import type {
  ListMessagesResponse,
  QueuedMessageWire,
  SendMessageResponse,
  SystemEvent,
} from '../../protocol/wireTypes.ts';
import type { CallerRecord, QueuedRow, SendInput } from '../../store/relayStore.ts';
import { errorReply, ok, rateLimitedReply } from '../http/reply.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { b64, noBody, parseBody, queryInt, readQuery, unb64 } from '../wire.ts';

const RECIPIENT_ERRORS = {
  unknown: ['message.recipient_unknown', 'no device with this id'],
  revoked: ['message.recipient_revoked', 'device was revoked; refresh the device list'],
  notMember: [
    'message.recipient_not_member',
    'device does not belong to a member of the conversation',
  ],
} as const;

function rowToWire(r: QueuedRow): QueuedMessageWire {
  if (r.type === 'system') {
    return {
      seq: r.seq,
      id: r.messageId,
      type: 'system',
      conversationId: r.conversationId,
      from: null,
      event: JSON.parse(new TextDecoder().decode(r.body)) as SystemEvent,
      createdAt: r.createdAt,
      expiresAt: null,
    };
  }
  return {
    seq: r.seq,
    id: r.messageId,
    type: r.type as MessageType,
    conversationId: r.conversationId as string,
    from: { moltbotId: r.senderMoltbotId as string, deviceId: r.senderDeviceId as string },
    ciphertext: b64(r.body),
    createdAt: r.createdAt,
    expiresAt: r.clientExpiresAt,
  };
}

type SendParsed = Omit<SendInput, 'messageId' | 'senderDeviceId' | 'senderMoltbotId' | 'now'>;

export const messageRoutes: readonly AnyRoute[] = [
  defineRoute<SendParsed>({
    method: 'POST',
    pattern: '/messages',
    auth: 'device',
    maxBody: (limits) => limits.maxMessageBodyBytes,
    parse: (req, deps) => {
      const body = parseBody(req.body, (v) => validateSendMessage(v, deps.limits));
      if (!body.ok) return body;
      const m = body.value;
      const caller = req.caller as CallerRecord;
      const seen = new Set<string>();
      for (const [i, item] of m.items.entries()) {
        if (item.toDeviceId === caller.deviceId) {
          return {
            ok: false,
            reply: errorReply('message.recipient_is_sender', 'a device does not message itself', {
              field: `items[${i}].toDeviceId`,
            }),
          };
        }
        if (seen.has(item.toDeviceId)) {
          return {
            ok: false,
            reply: errorReply('message.duplicate_recipient', 'one item per recipient device', {
              field: `items[${i}].toDeviceId`,
              deviceIds: [item.toDeviceId],
            }),
          };
        }
        seen.add(item.toDeviceId);
      }
      if (
        m.expiresAt !== undefined &&
        (m.expiresAt <= req.now || m.expiresAt > req.now + deps.limits.queueRetentionMs)
      ) {
        return {
          ok: false,
          reply: errorReply(
            'message.expiry_invalid',
            `expiresAt must be in the future and at most ${deps.limits.queueRetentionMs} ms away`,
            { field: 'expiresAt' },
          ),
        };
      }
      return {
        ok: true,
        value: {
          conversationId: m.conversationId,
          clientMessageId: m.clientMessageId,
          requestHash: req.bodySha256,
          clientExpiresAt: m.expiresAt ?? null,
          items: m.items.map((i) => ({
            toDeviceId: i.toDeviceId,
            type: i.type,
            ciphertext: unb64(i.ciphertext),
          })),
        },
      };
    },
    handle: async (input, req, deps) => {
      const caller = req.caller as CallerRecord;
      const r = await deps.store.messages.send({
        ...input,
        messageId: deps.randomId(),
        senderDeviceId: caller.deviceId,
        senderMoltbotId: caller.moltbotId,
        now: req.now,
      });
      switch (r.kind) {
        case 'sent': {
          deps.waiters.wake(r.notify);
          deps.metrics.recordMessage(r.notify.length);
          const out: SendMessageResponse = r.receipt;
          return ok(out, 201);
        }
        case 'duplicate':
          return ok(r.receipt satisfies SendMessageResponse, 201);
        case 'conflict':
          return errorReply(
            'message.client_id_conflict',
            'this clientMessageId was used with a different body',
            { field: 'clientMessageId' },
          );
        case 'notMember':
          return errorReply('conversation.not_found', 'no such conversation among yours');
        case 'badRecipients': {
          const [code, message] = RECIPIENT_ERRORS[r.problem];
          return errorReply(code, message, { deviceIds: r.deviceIds });
        }
        case 'rateLimited':
          return rateLimitedReply(r);
      }
    },
  }),

  defineRoute<{ after: number; wait: number; limit: number }>({
    method: 'GET',
    pattern: '/messages',
    auth: 'device',
    query: ['after', 'wait', 'limit'],
    maxBody: () => 0,
    parse: (req, deps) => {
      const q = readQuery(req.query, ['after', 'wait', 'limit']);
      if (!q.ok) return q;
      const after = queryInt(q.value.after, 'after', 0, Number.MAX_SAFE_INTEGER, 0);
      if (!after.ok) return after;
      const wait = queryInt(q.value.wait, 'wait', 0, deps.limits.maxWaitSeconds, 0);
      if (!wait.ok) return wait;
      const limit = queryInt(q.value.limit, 'limit', 1, deps.limits.maxPollLimit, 100);
      if (!limit.ok) return limit;
      return { ok: true, value: { after: after.value, wait: wait.value, limit: limit.value } };
    },
    handle: async (input, req, deps) => {
      const caller = req.caller as CallerRecord;
      const query = () =>
        deps.store.messages.list({
          deviceId: caller.deviceId,
          after: input.after,
          limit: input.limit,
          now: deps.nowMs(),
        });
      // Register before the first query: a row committed in between still wakes this poll.
      const waiter = deps.waiters.register(caller.deviceId);
      let rows: readonly QueuedRow[];
      try {
        rows = await query();
        if (rows.length === 0 && input.wait > 0 && !deps.closing()) {
          await waiter.wait(input.wait * 1000, req.signal);
          if (!req.signal.aborted) rows = await query();
        }
      } finally {
        waiter.cancel();
      }
      const device = await deps.store.identities.getDevice(caller.deviceId);
      const out: ListMessagesResponse = {
        messages: rows.map(rowToWire),
        cursor: rows.length === 0 ? input.after : (rows[rows.length - 1] as QueuedRow).seq,
        oneTimePreKeyCount: device?.oneTimePreKeyCount ?? 0,
      };
      return ok(out);
    },
  }),

  defineRoute<{ messageId: string }>({
    method: 'DELETE',
    pattern: '/messages/:messageId',
    auth: 'device',
    parse: (req) => noBody(req.body, { messageId: req.params.messageId as string }),
    handle: async (input, req, deps) => {
      const n = await deps.store.messages.ackOne(
        (req.caller as CallerRecord).deviceId,
        input.messageId,
      );
      if (n === 0) return errorReply('message.not_found', 'no such message in your queue');
      return ok({ deleted: n });
    },
  }),

  defineRoute<{ upToSeq: number }>({
    method: 'POST',
    pattern: '/messages/ack',
    auth: 'device',
    parse: (req) => parseBody(req.body, validateAck),
    handle: async (input, req, deps) =>
      ok({
        deleted: await deps.store.messages.ackUpTo(
          (req.caller as CallerRecord).deviceId,
          input.upToSeq,
        ),
      }),
  }),
];
