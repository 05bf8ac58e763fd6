import type { RelayLimits } from '../../protocol/limits.ts';
import type { NonceStore } from '../../server/auth/verifyRequest.ts';
import type { AttachmentStore, BlockStore, StoreStats, SweepCounts } from '../relayStore.ts';
import { chargeAll } from './rateLimiter.ts';
import type { SqliteDb } from './sqliteDb.ts';

type Row = Record<string, unknown>;

/**
 * A claim runs at once in this turn's transaction (one INSERT on the primary key: atomic) and
 * answers without waiting for the commit, so it shares the commit of the request's own write:
 * by the time a request that changed anything is answered, its nonce is durable too.
 */
export function createNonceStore(db: SqliteDb): NonceStore {
  return {
    claim: async (id, nonce, expiresAtMs) =>
      db.writeNow(
        () =>
          db.run(
            'INSERT OR IGNORE INTO request_nonces (expires_at, id, nonce) VALUES (?, ?, ?)',
            expiresAtMs,
            id,
            nonce,
          ) === 1,
      ),
  };
}

export function createBlockStore(db: SqliteDb, limits: Pick<RelayLimits, 'rates'>): BlockStore {
  return {
    block: (input) =>
      db.write(() => {
        if (db.get('SELECT 1 FROM identities WHERE moltbot_id = ?', input.blocked) === undefined) {
          return { kind: 'notFound' } as const;
        }
        const limited = chargeAll(
          db,
          [
            {
              name: 'membership',
              key: `membership:${input.actorDeviceId}`,
              rule: limits.rates.membership,
              cost: 1,
            },
          ],
          input.now,
        );
        if (limited !== null) return limited;
        db.run(
          'INSERT OR IGNORE INTO blocks (blocker, blocked, created_at) VALUES (?, ?, ?)',
          input.blocker,
          input.blocked,
          input.now,
        );
        return { kind: 'blocked' } as const;
      }),
    unblock: (blocker, blocked) =>
      db.write(
        () =>
          db.run('DELETE FROM blocks WHERE blocker = ? AND blocked = ?', blocker, blocked) === 1,
      ),
    list: async (blocker) =>
      db
        .all(
          'SELECT blocked, created_at FROM blocks WHERE blocker = ? ORDER BY created_at, blocked',
          blocker,
        )
        .map((r) => ({ moltbotId: String(r.blocked), createdAt: Number(r.created_at) })),
  };
}

export function createAttachmentStore(
  db: SqliteDb,
  limits: Pick<RelayLimits, 'rates'>,
): AttachmentStore {
  return {
    put: (input) =>
      db.write(() => {
        const limited = chargeAll(
          db,
          [
            {
              name: 'attachmentBytes',
              key: `attach:${input.uploaderDeviceId}`,
              rule: limits.rates.attachmentBytes,
              cost: input.data.length,
            },
          ],
          input.now,
        );
        if (limited !== null) return limited;
        db.run(
          `INSERT INTO attachments (id, uploader_device_id, size, data, created_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
          input.id,
          input.uploaderDeviceId,
          input.data.length,
          input.data,
          input.now,
          input.expiresAt,
        );
        return { kind: 'stored' } as const;
      }),
    get: async (id, now) => {
      const r = db.get(
        'SELECT data, expires_at FROM attachments WHERE id = ? AND expires_at > ?',
        id,
        now,
      );
      return r === undefined
        ? null
        : { data: r.data as Uint8Array, expiresAt: Number(r.expires_at) };
    },
    delete: (id, uploaderDeviceId) =>
      db.write(
        () =>
          db.run(
            'DELETE FROM attachments WHERE id = ? AND uploader_device_id = ?',
            id,
            uploaderDeviceId,
          ) === 1,
      ),
  };
}

/** Pairing tokens stay an hour past expiry so /pair/status can answer `expired`, then go. */
const PAIRING_GRACE_MS = 60 * 60 * 1000;

export function sweep(db: SqliteDb, now: number): Promise<SweepCounts> {
  return db.write(() => ({
    messages: db.run('DELETE FROM queue WHERE expires_at <= ?', now),
    attachments: db.run('DELETE FROM attachments WHERE expires_at <= ?', now),
    pairingTokens: db.run(
      'DELETE FROM pairing_tokens WHERE expires_at <= ?',
      now - PAIRING_GRACE_MS,
    ),
    nonces: db.run('DELETE FROM request_nonces WHERE expires_at < ?', now),
    rateLimits: db.run('DELETE FROM rate_limits WHERE expires_at <= ?', now),
    idempotencyKeys: db.run('DELETE FROM sent_messages WHERE expires_at <= ?', now),
  }));
}

export function stats(db: SqliteDb): StoreStats {
  const n = (sql: string) => Number((db.get(sql) as Row).n);
  return {
    queuedRows: n('SELECT count(*) AS n FROM queue'),
    devices: n('SELECT count(*) AS n FROM devices WHERE revoked_at IS NULL'),
    identities: n('SELECT count(*) AS n FROM identities'),
  };
}
