import type { MessageType, RelayLimits } from '../../protocol/limits.ts';
import type { MessageStore, QueuedRow, RecipientProblem, SendReceipt } from '../relayStore.ts';
import { enqueue } from './queueWriter.ts';
import { chargeAll, type RateCharge } from './rateLimiter.ts';
import type { SqliteDb } from './sqliteDb.ts';

type Limits = Pick<RelayLimits, 'rates' | 'queueRetentionMs' | 'idempotencyRetentionMs'>;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function createMessageStore(db: SqliteDb, limits: Limits): MessageStore {
  return {
    send: (input) =>
      db.write(() => {
        // 1. Idempotency first, so a retry costs no rate budget and stores nothing.
        const prior = db.get(
          `SELECT request_hash, receipt FROM sent_messages
           WHERE sender_device_id = ? AND client_message_id = ? AND expires_at > ?`,
          input.senderDeviceId,
          input.clientMessageId,
          input.now,
        );
        if (prior !== undefined) {
          if (!sameBytes(prior.request_hash as Uint8Array, input.requestHash)) {
            return { kind: 'conflict' } as const;
          }
          return {
            kind: 'duplicate',
            receipt: JSON.parse(String(prior.receipt)) as SendReceipt,
          } as const;
        }
        // 2. Members and their active devices in one query; the sender's moltbot must be one
        //    of them (else the conversation "does not exist" for it).
        const members = new Set<string>();
        const activeOwner = new Map<string, string>();
        for (const r of db.all(
          `SELECT m.moltbot_id, d.device_id FROM conversation_members m
           LEFT JOIN devices d ON d.moltbot_id = m.moltbot_id AND d.revoked_at IS NULL
           WHERE m.conversation_id = ?`,
          input.conversationId,
        )) {
          members.add(String(r.moltbot_id));
          if (r.device_id !== null) activeOwner.set(String(r.device_id), String(r.moltbot_id));
        }
        if (!members.has(input.senderMoltbotId)) return { kind: 'notMember' } as const;
        // 3. Every recipient: an active device of a member (the rare misses are classified).
        const problems: Record<RecipientProblem, string[]> = {
          unknown: [],
          revoked: [],
          notMember: [],
        };
        for (const item of input.items) {
          if (activeOwner.has(item.toDeviceId)) continue;
          const d = db.get('SELECT revoked_at FROM devices WHERE device_id = ?', item.toDeviceId);
          if (d === undefined) problems.unknown.push(item.toDeviceId);
          else if (d.revoked_at !== null) problems.revoked.push(item.toDeviceId);
          else problems.notMember.push(item.toDeviceId);
        }
        for (const problem of ['unknown', 'revoked', 'notMember'] as const) {
          if (problems[problem].length > 0) {
            return { kind: 'badRecipients', problem, deviceIds: problems[problem] } as const;
          }
        }
        const ownerOf = (deviceId: string) => activeOwner.get(deviceId) as string;
        // 4. Rate limits: rows per sender device, messages per sender → recipient moltbot.
        const recipients = [...new Set(input.items.map((i) => ownerOf(i.toDeviceId)))].filter(
          (m) => m !== input.senderMoltbotId,
        );
        const charges: RateCharge[] = [
          {
            name: 'sender',
            key: `sender:${input.senderDeviceId}`,
            rule: limits.rates.sender,
            cost: input.items.length,
          },
          ...recipients.map((m) => ({
            name: 'pair',
            key: `pair:${input.senderDeviceId}:${m}`,
            rule: limits.rates.pair,
            cost: 1,
          })),
        ];
        const limited = chargeAll(db, charges, input.now);
        if (limited !== null) return limited;
        // 5. Blocks: a recipient moltbot that blocked the sender's gets nothing, silently.
        const blockedBy = new Set(
          db
            .all('SELECT blocker FROM blocks WHERE blocked = ?', input.senderMoltbotId)
            .map((r) => String(r.blocker)),
        );
        // 6. One row per recipient device, in that device's queue.
        const retentionEnd = input.now + limits.queueRetentionMs;
        const expiresAt =
          input.clientExpiresAt === null
            ? retentionEnd
            : Math.min(input.clientExpiresAt, retentionEnd);
        const notify: string[] = [];
        for (const item of input.items) {
          if (blockedBy.has(ownerOf(item.toDeviceId))) continue;
          enqueue(db, item.toDeviceId, {
            messageId: input.messageId,
            conversationId: input.conversationId,
            senderMoltbotId: input.senderMoltbotId,
            senderDeviceId: input.senderDeviceId,
            type: item.type,
            body: item.ciphertext,
            createdAt: input.now,
            expiresAt,
            clientExpiresAt: input.clientExpiresAt,
          });
          notify.push(item.toDeviceId);
        }
        // 7. The receipt, remembered for retries.
        const addressed = new Set(input.items.map((i) => i.toDeviceId));
        const receipt: SendReceipt = {
          id: input.messageId,
          clientMessageId: input.clientMessageId,
          createdAt: input.now,
          missingDeviceIds: [...activeOwner.keys()]
            .filter((d) => !addressed.has(d) && d !== input.senderDeviceId)
            .sort(),
        };
        db.run(
          `INSERT INTO sent_messages (sender_device_id, client_message_id, request_hash, receipt, expires_at)
           VALUES (?, ?, ?, ?, ?)`,
          input.senderDeviceId,
          input.clientMessageId,
          input.requestHash,
          JSON.stringify(receipt),
          input.now + limits.idempotencyRetentionMs,
        );
        return { kind: 'sent', receipt, notify } as const;
      }),

    list: async (input) =>
      db
        .all(
          `SELECT seq, message_id, conversation_id, sender_moltbot_id, sender_device_id, type, body,
             created_at, client_expires_at
           FROM queue WHERE device_id = ? AND seq > ? AND expires_at > ? ORDER BY seq LIMIT ?`,
          input.deviceId,
          input.after,
          input.now,
          input.limit,
        )
        .map(
          (r): QueuedRow => ({
            seq: Number(r.seq),
            messageId: String(r.message_id),
            conversationId: r.conversation_id === null ? null : String(r.conversation_id),
            type: String(r.type) as MessageType | 'system',
            senderMoltbotId: r.sender_moltbot_id === null ? null : String(r.sender_moltbot_id),
            senderDeviceId: r.sender_device_id === null ? null : String(r.sender_device_id),
            body: r.body as Uint8Array,
            createdAt: Number(r.created_at),
            clientExpiresAt: r.client_expires_at === null ? null : Number(r.client_expires_at),
          }),
        ),

    ackOne: (deviceId, messageId) =>
      db.write(() =>
        db.run('DELETE FROM queue WHERE device_id = ? AND message_id = ?', deviceId, messageId),
      ),

    ackUpTo: (deviceId, upToSeq) =>
      db.write(() =>
        db.run('DELETE FROM queue WHERE device_id = ? AND seq <= ?', deviceId, upToSeq),
      ),
  };
}
