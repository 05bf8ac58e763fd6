import type { RelayLimits } from '../../protocol/limits.ts';
import type {
  DeviceKeys,
  DeviceRecord,
  IdentityRecord,
  IdentityStore,
  OneTimeKey,
  PreKey,
  SignedKey,
} from '../relayStore.ts';
import { timeOrderedId } from '../timeOrderedId.ts';
import { activeDevicesOf, coMembers, enqueueEvent } from './queueWriter.ts';
import { chargeAll } from './rateLimiter.ts';
import type { SqliteDb } from './sqliteDb.ts';

type Row = Record<string, unknown>;

const bytes = (v: unknown): Uint8Array => v as Uint8Array;

const DEVICE_COLUMNS = `d.device_id, d.moltbot_id, d.kind, d.name, d.signing_key, d.identity_key,
  d.identity_key_sig, d.certificate, d.spk_id, d.spk_key, d.spk_sig, d.lr_id, d.lr_key, d.lr_sig,
  d.created_at, d.revoked_at,
  (SELECT count(*) FROM one_time_prekeys k WHERE k.device_id = d.device_id) AS otk_count`;

export function toDevice(r: Row): DeviceRecord {
  return {
    deviceId: String(r.device_id),
    moltbotId: String(r.moltbot_id),
    kind: r.kind === 'primary' ? 'primary' : 'linked',
    name: r.name === null ? null : String(r.name),
    signingKey: bytes(r.signing_key),
    identityKey: bytes(r.identity_key),
    identityKeySignature: bytes(r.identity_key_sig),
    certificate: r.certificate === null ? null : bytes(r.certificate),
    signedPreKey: { id: Number(r.spk_id), key: bytes(r.spk_key), signature: bytes(r.spk_sig) },
    lastResortPreKey: { id: Number(r.lr_id), key: bytes(r.lr_key), signature: bytes(r.lr_sig) },
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    oneTimePreKeyCount: Number(r.otk_count),
  };
}

export function readDevice(db: SqliteDb, deviceId: string): DeviceRecord | null {
  const r = db.get(`SELECT ${DEVICE_COLUMNS} FROM devices d WHERE d.device_id = ?`, deviceId);
  return r === undefined ? null : toDevice(r);
}

function hasDuplicateIds(keys: readonly OneTimeKey[]): boolean {
  return new Set(keys.map((k) => k.id)).size !== keys.length;
}

/** Inserts a device row and its one-time pre-keys; false when a pre-key id is already pooled. */
export function insertDevice(
  db: SqliteDb,
  d: {
    readonly deviceId: string;
    readonly moltbotId: string;
    readonly kind: 'primary' | 'linked';
    readonly name: string | null;
    readonly signingKey: Uint8Array;
    readonly certificate: Uint8Array | null;
    readonly keys: DeviceKeys;
    readonly now: number;
  },
): void {
  const k = d.keys;
  db.run(
    `INSERT INTO devices (device_id, moltbot_id, kind, name, signing_key, identity_key,
       identity_key_sig, certificate, spk_id, spk_key, spk_sig, lr_id, lr_key, lr_sig, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    d.deviceId,
    d.moltbotId,
    d.kind,
    d.name,
    d.signingKey,
    k.identityKey,
    k.identityKeySignature,
    d.certificate,
    k.signedPreKey.id,
    k.signedPreKey.key,
    k.signedPreKey.signature,
    k.lastResortPreKey.id,
    k.lastResortPreKey.key,
    k.lastResortPreKey.signature,
    d.now,
  );
  insertOneTimeKeys(db, d.deviceId, k.oneTimePreKeys);
}

function insertOneTimeKeys(db: SqliteDb, deviceId: string, keys: readonly OneTimeKey[]): void {
  for (const key of keys) {
    db.run(
      'INSERT INTO one_time_prekeys (device_id, key_id, public_key) VALUES (?, ?, ?)',
      deviceId,
      key.id,
      key.key,
    );
  }
}

/**
 * Pops the lowest-id one-time pre-key of a device in one statement: the DELETE … RETURNING takes
 * the write lock, so two fetches (even from two processes) can never get the same key.
 */
function popPreKey(db: SqliteDb, device: DeviceRecord): PreKey {
  const r = db.get(
    `DELETE FROM one_time_prekeys WHERE device_id = ?1
       AND key_id = (SELECT min(key_id) FROM one_time_prekeys WHERE device_id = ?1)
     RETURNING key_id, public_key`,
    device.deviceId,
  );
  if (r === undefined) return { kind: 'last_resort', ...device.lastResortPreKey };
  return { kind: 'one_time', id: Number(r.key_id), key: bytes(r.public_key) };
}

export function createIdentityStore(
  db: SqliteDb,
  limits: Pick<RelayLimits, 'rates' | 'maxOneTimePreKeyPool' | 'queueRetentionMs'>,
): IdentityStore {
  const getIdentity = (moltbotId: string): IdentityRecord | null => {
    const r = db.get(
      'SELECT moltbot_id, public_key, registered_at FROM identities WHERE moltbot_id = ?',
      moltbotId,
    );
    return r === undefined
      ? null
      : {
          moltbotId: String(r.moltbot_id),
          publicKey: bytes(r.public_key),
          registeredAt: Number(r.registered_at),
        };
  };

  return {
    register: (input) =>
      db.write(() => {
        if (hasDuplicateIds(input.keys.oneTimePreKeys))
          return { kind: 'duplicatePreKeyId' } as const;
        if (
          getIdentity(input.moltbotId) !== null ||
          db.get('SELECT 1 FROM devices WHERE device_id = ?', input.moltbotId) !== undefined
        ) {
          return { kind: 'exists' } as const;
        }
        const limited = chargeAll(
          db,
          [
            {
              name: 'register',
              key: `register:${input.address}`,
              rule: limits.rates.register,
              cost: 1,
            },
          ],
          input.now,
        );
        if (limited !== null) return limited;
        db.run(
          'INSERT INTO identities (moltbot_id, public_key, registered_at) VALUES (?, ?, ?)',
          input.moltbotId,
          input.publicKey,
          input.now,
        );
        insertDevice(db, {
          deviceId: input.moltbotId,
          moltbotId: input.moltbotId,
          kind: 'primary',
          name: null,
          signingKey: input.publicKey,
          certificate: null,
          keys: input.keys,
          now: input.now,
        });
        return {
          kind: 'registered',
          oneTimePreKeyCount: input.keys.oneTimePreKeys.length,
        } as const;
      }),

    getIdentity: async (moltbotId) => getIdentity(moltbotId),

    getDevice: async (deviceId) => readDevice(db, deviceId),

    getCaller: async (deviceId) => {
      const r = db.get(
        'SELECT device_id, moltbot_id, kind, signing_key, revoked_at FROM devices WHERE device_id = ?',
        deviceId,
      );
      return r === undefined
        ? null
        : {
            deviceId: String(r.device_id),
            moltbotId: String(r.moltbot_id),
            kind: r.kind === 'primary' ? 'primary' : 'linked',
            signingKey: bytes(r.signing_key),
            revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
          };
    },

    listDevices: async (moltbotId) =>
      db
        .all(
          `SELECT ${DEVICE_COLUMNS} FROM devices d WHERE d.moltbot_id = ?
           ORDER BY d.kind = 'primary' DESC, d.created_at, d.device_id`,
          moltbotId,
        )
        .map(toDevice),

    fetchBundles: (input) =>
      db.write(() => {
        const identity = getIdentity(input.moltbotId);
        if (identity === null) return { kind: 'notFound' } as const;
        const devices = db
          .all(
            `SELECT ${DEVICE_COLUMNS} FROM devices d WHERE d.moltbot_id = ? AND d.revoked_at IS NULL
             ORDER BY d.kind = 'primary' DESC, d.created_at, d.device_id`,
            input.moltbotId,
          )
          .map(toDevice)
          // A device never needs its own bundle; sparing its pre-key keeps the pool for others.
          .filter((d) => d.deviceId !== input.requesterDeviceId)
          .filter((d) => input.deviceId === null || d.deviceId === input.deviceId);
        if (input.deviceId !== null && devices.length === 0) return { kind: 'notFound' } as const;
        const limited = chargeAll(
          db,
          [
            {
              name: 'bundleFetch',
              key: `bundle:${input.requesterDeviceId}:${input.moltbotId}`,
              rule: limits.rates.bundleFetch,
              cost: 1,
            },
          ],
          input.now,
        );
        if (limited !== null) return limited;
        return {
          kind: 'ok',
          identity,
          devices: devices.map((device) => ({ device, preKey: popPreKey(db, device) })),
        } as const;
      }),

    uploadPreKeys: (input) =>
      db.write(() => {
        const otks = input.oneTimePreKeys;
        if (hasDuplicateIds(otks)) return { kind: 'duplicatePreKeyId' } as const;
        for (const k of otks) {
          const clash = db.get(
            'SELECT 1 FROM one_time_prekeys WHERE device_id = ? AND key_id = ?',
            input.deviceId,
            k.id,
          );
          if (clash !== undefined) return { kind: 'duplicatePreKeyId' } as const;
        }
        const pooled = Number(
          (
            db.get(
              'SELECT count(*) AS n FROM one_time_prekeys WHERE device_id = ?',
              input.deviceId,
            ) as Row
          ).n,
        );
        if (pooled + otks.length > limits.maxOneTimePreKeyPool) {
          return { kind: 'poolFull', room: limits.maxOneTimePreKeyPool - pooled } as const;
        }
        insertOneTimeKeys(db, input.deviceId, otks);
        const set = (cols: string, k: SignedKey | null) => {
          if (k === null) return;
          db.run(
            `UPDATE devices SET ${cols} WHERE device_id = ?`,
            k.id,
            k.key,
            k.signature,
            input.deviceId,
          );
        };
        set('spk_id = ?, spk_key = ?, spk_sig = ?', input.signedPreKey);
        set('lr_id = ?, lr_key = ?, lr_sig = ?', input.lastResortPreKey);
        const device = readDevice(db, input.deviceId);
        if (device === null) throw new Error(`uploadPreKeys: no device ${input.deviceId}`);
        return { kind: 'ok', device } as const;
      }),

    revokeDevice: (input) =>
      db.write(() => {
        const d = readDevice(db, input.deviceId);
        if (d === null || d.moltbotId !== input.moltbotId) return { kind: 'notFound' } as const;
        if (d.kind === 'primary') return { kind: 'primary' } as const;
        if (d.revokedAt !== null)
          return { kind: 'revoked', revokedAt: d.revokedAt, notify: [] } as const;
        db.run('UPDATE devices SET revoked_at = ? WHERE device_id = ?', input.now, d.deviceId);
        db.run('DELETE FROM queue WHERE device_id = ?', d.deviceId);
        db.run('DELETE FROM one_time_prekeys WHERE device_id = ?', d.deviceId);
        const notify = activeDevicesOf(db, coMembers(db, d.moltbotId));
        enqueueEvent(
          db,
          notify,
          { kind: 'device_revoked', moltbotId: d.moltbotId, deviceId: d.deviceId },
          {
            messageId: timeOrderedId(input.now),
            now: input.now,
            retentionMs: limits.queueRetentionMs,
          },
        );
        return { kind: 'revoked', revokedAt: input.now, notify } as const;
      }),
  };
}
