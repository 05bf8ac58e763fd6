import type { SystemEvent } from '../../protocol/wireTypes.ts';
import type { SqliteDb } from './sqliteDb.ts';

export interface QueueItem {
  readonly messageId: string;
  readonly conversationId: string | null;
  readonly senderMoltbotId: string | null;
  readonly senderDeviceId: string | null;
  readonly type: string;
  readonly body: Uint8Array;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly clientExpiresAt: number | null;
}

/**
 * Appends one row to a device's queue with the next sequence number of that device. The counter
 * lives on the device row and only grows, so seqs are never reused after an ack or a sweep and a
 * cursor (`after`) never skips or repeats a row. Runs inside a write job.
 */
export function enqueue(db: SqliteDb, deviceId: string, item: QueueItem): number {
  const row = db.get(
    'UPDATE devices SET last_seq = last_seq + 1 WHERE device_id = ? RETURNING last_seq',
    deviceId,
  );
  if (row === undefined) throw new Error(`enqueue: no device ${deviceId}`);
  const seq = Number(row.last_seq);
  db.run(
    `INSERT INTO queue (device_id, seq, message_id, conversation_id, sender_moltbot_id,
       sender_device_id, type, body, created_at, expires_at, client_expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    deviceId,
    seq,
    item.messageId,
    item.conversationId,
    item.senderMoltbotId,
    item.senderDeviceId,
    item.type,
    item.body,
    item.createdAt,
    item.expiresAt,
    item.clientExpiresAt,
  );
  return seq;
}

/** Active devices of the given moltbots. */
export function activeDevicesOf(db: SqliteDb, moltbotIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const id of moltbotIds) {
    for (const r of db.all(
      'SELECT device_id FROM devices WHERE moltbot_id = ? AND revoked_at IS NULL ORDER BY device_id',
      id,
    )) {
      out.push(String(r.device_id));
    }
  }
  return out;
}

/** Moltbots sharing at least one conversation with `moltbotId`, itself included. */
export function coMembers(db: SqliteDb, moltbotId: string): string[] {
  const ids = db
    .all(
      `SELECT DISTINCT b.moltbot_id FROM conversation_members a
       JOIN conversation_members b ON b.conversation_id = a.conversation_id
       WHERE a.moltbot_id = ?`,
      moltbotId,
    )
    .map((r) => String(r.moltbot_id));
  return ids.includes(moltbotId) ? ids : [...ids, moltbotId];
}

export function membersOf(db: SqliteDb, conversationId: string): string[] {
  return db
    .all(
      'SELECT moltbot_id FROM conversation_members WHERE conversation_id = ? ORDER BY moltbot_id',
      conversationId,
    )
    .map((r) => String(r.moltbot_id));
}

/**
 * Delivers a relay-authored event to each device, as a `system` row in its queue (in order with
 * messages). System rows expire with the queue's retention like any row.
 */
export function enqueueEvent(
  db: SqliteDb,
  deviceIds: readonly string[],
  event: SystemEvent,
  opts: { readonly messageId: string; readonly now: number; readonly retentionMs: number },
): void {
  const body = new TextEncoder().encode(JSON.stringify(event));
  const conversationId = 'conversationId' in event ? event.conversationId : null;
  for (const d of deviceIds) {
    enqueue(db, d, {
      messageId: opts.messageId,
      conversationId,
      senderMoltbotId: null,
      senderDeviceId: null,
      type: 'system',
      body,
      createdAt: opts.now,
      expiresAt: opts.now + opts.retentionMs,
      clientExpiresAt: null,
    });
  }
}
