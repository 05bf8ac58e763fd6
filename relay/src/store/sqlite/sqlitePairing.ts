import type { RelayLimits } from '../../protocol/limits.ts';
import type { PairStatus } from '../../protocol/wireTypes.ts';
import type { DeviceKeys, PairingRecord, PairingStore, PendingDevice } from '../relayStore.ts';
import { timeOrderedId } from '../timeOrderedId.ts';
import { activeDevicesOf, coMembers, enqueueEvent } from './queueWriter.ts';
import { chargeAll, exhausted, type RateCharge } from './rateLimiter.ts';
import type { SqliteDb } from './sqliteDb.ts';
import { insertDevice } from './sqliteIdentities.ts';

type Row = Record<string, unknown>;

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const unb64 = (s: unknown) => new Uint8Array(Buffer.from(String(s), 'base64'));

/** The submitted public keys are kept as JSON on the token row until approval or expiry. */
function encodeDevice(d: PendingDevice): string {
  const k = d.keys;
  const signed = (s: DeviceKeys['signedPreKey']) => ({
    id: s.id,
    key: b64(s.key),
    signature: b64(s.signature),
  });
  return JSON.stringify({
    deviceId: d.deviceId,
    name: d.name,
    signingKey: b64(d.signingKey),
    identityKey: b64(k.identityKey),
    identityKeySignature: b64(k.identityKeySignature),
    signedPreKey: signed(k.signedPreKey),
    lastResortPreKey: signed(k.lastResortPreKey),
    oneTimePreKeys: k.oneTimePreKeys.map((o) => ({ id: o.id, key: b64(o.key) })),
  });
}

function decodeDevice(json: string): PendingDevice {
  interface Signed {
    id: number;
    key: string;
    signature: string;
  }
  const j = JSON.parse(json) as {
    deviceId: string;
    name: string;
    signingKey: string;
    identityKey: string;
    identityKeySignature: string;
    signedPreKey: Signed;
    lastResortPreKey: Signed;
    oneTimePreKeys: { id: number; key: string }[];
  };
  const signed = (s: Signed) => ({
    id: s.id,
    key: unb64(s.key),
    signature: unb64(s.signature),
  });
  return {
    deviceId: j.deviceId,
    name: j.name,
    signingKey: unb64(j.signingKey),
    keys: {
      identityKey: unb64(j.identityKey),
      identityKeySignature: unb64(j.identityKeySignature),
      signedPreKey: signed(j.signedPreKey),
      lastResortPreKey: signed(j.lastResortPreKey),
      oneTimePreKeys: j.oneTimePreKeys.map((o) => ({
        id: o.id,
        key: unb64(o.key),
      })),
    },
  };
}

function toRecord(r: Row): PairingRecord {
  return {
    token: String(r.token),
    moltbotId: String(r.moltbot_id),
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    status: String(r.status) as Exclude<PairStatus, 'expired'>,
    device: r.device === null ? null : decodeDevice(String(r.device)),
    submittedAt: r.submitted_at === null ? null : Number(r.submitted_at),
    certificate: r.certificate === null ? null : (r.certificate as Uint8Array),
    linkBundle: r.link_bundle === null ? null : (r.link_bundle as Uint8Array),
  };
}

const SELECT = 'SELECT * FROM pairing_tokens WHERE token = ?';

export function createPairingStore(
  db: SqliteDb,
  limits: Pick<RelayLimits, 'rates' | 'queueRetentionMs'>,
): PairingStore {
  const read = (token: string) => {
    const r = db.get(SELECT, token);
    return r === undefined ? null : toRecord(r);
  };

  /** Wrong guesses are charged per client address and relay-wide; right ones cost nothing. */
  const guessRules = (address: string): RateCharge[] => [
    {
      name: 'pairingGuessPerAddress',
      key: `guess:${address}`,
      rule: limits.rates.pairingGuessPerAddress,
      cost: 1,
    },
    { name: 'pairingGuessGlobal', key: 'guess:*', rule: limits.rates.pairingGuessGlobal, cost: 1 },
  ];

  /** Finds a token for an unauthenticated caller, charging the guess limits on a miss. */
  const guess = (token: string, address: string, now: number) => {
    const limited = exhausted(db, guessRules(address), now);
    if (limited !== null) return limited;
    const record = read(token);
    if (record === null) {
      return chargeAll(db, guessRules(address), now) ?? ({ kind: 'notFound' } as const);
    }
    return { kind: 'found', record } as const;
  };

  const deviceTaken = (deviceId: string) =>
    db.get('SELECT 1 FROM devices WHERE device_id = ?', deviceId) !== undefined ||
    db.get('SELECT 1 FROM identities WHERE moltbot_id = ?', deviceId) !== undefined;

  return {
    create: (input) =>
      db.write(() => {
        if (read(input.token) !== null) return { kind: 'collision' } as const;
        const limited = chargeAll(
          db,
          [
            {
              name: 'pairInit',
              key: `pairinit:${input.moltbotId}`,
              rule: limits.rates.pairInit,
              cost: 1,
            },
          ],
          input.now,
        );
        if (limited !== null) return limited;
        db.run(
          `INSERT INTO pairing_tokens (token, moltbot_id, created_at, expires_at, status)
           VALUES (?, ?, ?, ?, 'pending')`,
          input.token,
          input.moltbotId,
          input.now,
          input.expiresAt,
        );
        return { kind: 'created' } as const;
      }),

    submit: (input) =>
      db.write(() => {
        const g = guess(input.token, input.address, input.now);
        if (g.kind !== 'found') return g;
        const t = g.record;
        if (input.now >= t.expiresAt) return { kind: 'expired' } as const;
        if (t.status !== 'pending') return { kind: 'used' } as const;
        if (deviceTaken(input.device.deviceId)) return { kind: 'deviceExists' } as const;
        db.run(
          `UPDATE pairing_tokens SET status = 'submitted', device_id = ?, device = ?, submitted_at = ?
           WHERE token = ? AND status = 'pending'`,
          input.device.deviceId,
          encodeDevice(input.device),
          input.now,
          t.token,
        );
        return { kind: 'submitted', expiresAt: t.expiresAt } as const;
      }),

    lookup: (input) => db.write(() => guess(input.token, input.address, input.now)),

    get: async (moltbotId, token) => {
      const t = read(token);
      return t !== null && t.moltbotId === moltbotId ? t : null;
    },

    pending: async (moltbotId, now) =>
      db
        .all(
          `SELECT * FROM pairing_tokens WHERE moltbot_id = ? AND status = 'submitted' AND expires_at > ?
           ORDER BY submitted_at, token`,
          moltbotId,
          now,
        )
        .map(toRecord),

    approve: (input) =>
      db.write(() => {
        const t = read(input.token);
        if (t === null || t.moltbotId !== input.moltbotId) return { kind: 'notFound' } as const;
        if (input.now >= t.expiresAt) return { kind: 'expired' } as const;
        if (t.status === 'pending') return { kind: 'notSubmitted' } as const;
        if (t.status !== 'submitted' || t.device === null || t.device.deviceId !== input.deviceId) {
          return { kind: 'used' } as const;
        }
        if (deviceTaken(t.device.deviceId)) return { kind: 'deviceExists' } as const;
        insertDevice(db, {
          deviceId: t.device.deviceId,
          moltbotId: t.moltbotId,
          kind: 'linked',
          name: t.device.name,
          signingKey: t.device.signingKey,
          certificate: input.certificate,
          keys: t.device.keys,
          now: input.now,
        });
        db.run(
          `UPDATE pairing_tokens SET status = 'approved', resolved_at = ?, certificate = ?, link_bundle = ?
           WHERE token = ?`,
          input.now,
          input.certificate,
          input.linkBundle,
          t.token,
        );
        const notify = activeDevicesOf(db, coMembers(db, t.moltbotId)).filter(
          (d) => d !== t.device?.deviceId,
        );
        enqueueEvent(
          db,
          notify,
          { kind: 'device_linked', moltbotId: t.moltbotId, deviceId: t.device.deviceId },
          {
            messageId: timeOrderedId(input.now),
            now: input.now,
            retentionMs: limits.queueRetentionMs,
          },
        );
        return { kind: 'approved', notify } as const;
      }),

    reject: (input) =>
      db.write(() => {
        const t = read(input.token);
        if (t === null || t.moltbotId !== input.moltbotId) return { kind: 'notFound' } as const;
        if (input.now >= t.expiresAt) return { kind: 'expired' } as const;
        if (t.status === 'approved' || t.status === 'rejected') return { kind: 'used' } as const;
        // The submitted keys are dropped with the rejection: nothing of the device is kept.
        db.run(
          `UPDATE pairing_tokens SET status = 'rejected', resolved_at = ?, device = NULL WHERE token = ?`,
          input.now,
          t.token,
        );
        return { kind: 'rejected' } as const;
      }),
  };
}
