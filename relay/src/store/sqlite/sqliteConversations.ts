import type { RelayLimits } from '../../protocol/limits.ts';
import type { SystemEvent } from '../../protocol/wireTypes.ts';
import type { ConversationRecord, ConversationStore } from '../relayStore.ts';
import { timeOrderedId } from '../timeOrderedId.ts';
import { activeDevicesOf, enqueueEvent, membersOf } from './queueWriter.ts';
import { chargeAll } from './rateLimiter.ts';
import type { SqliteDb } from './sqliteDb.ts';

type Limits = Pick<RelayLimits, 'rates' | 'maxConversationMembers' | 'queueRetentionMs'>;

export function createConversationStore(db: SqliteDb, limits: Limits): ConversationStore {
  const read = (id: string): ConversationRecord | null => {
    const c = db.get('SELECT id, created_by, created_at FROM conversations WHERE id = ?', id);
    if (c === undefined) return null;
    return {
      id: String(c.id),
      createdBy: String(c.created_by),
      createdAt: Number(c.created_at),
      members: db
        .all(
          `SELECT moltbot_id, role, joined_at FROM conversation_members WHERE conversation_id = ?
           ORDER BY joined_at, moltbot_id`,
          id,
        )
        .map((m) => ({
          moltbotId: String(m.moltbot_id),
          role: m.role === 'admin' ? 'admin' : 'member',
          joinedAt: Number(m.joined_at),
        })),
    };
  };

  const roleOf = (id: string, moltbotId: string): 'admin' | 'member' | null => {
    const r = db.get(
      'SELECT role FROM conversation_members WHERE conversation_id = ? AND moltbot_id = ?',
      id,
      moltbotId,
    );
    return r === undefined ? null : r.role === 'admin' ? 'admin' : 'member';
  };

  const charge = (actorDeviceId: string, now: number) =>
    chargeAll(
      db,
      [
        {
          name: 'membership',
          key: `membership:${actorDeviceId}`,
          rule: limits.rates.membership,
          cost: 1,
        },
      ],
      now,
    );

  const unknown = (ids: readonly string[]) =>
    ids.filter((m) => db.get('SELECT 1 FROM identities WHERE moltbot_id = ?', m) === undefined);

  /** A moltbot that blocked the actor cannot be put into a conversation by it. */
  const refusing = (ids: readonly string[], actor: string) =>
    ids.filter(
      (m) =>
        db.get('SELECT 1 FROM blocks WHERE blocker = ? AND blocked = ?', m, actor) !== undefined,
    );

  const addRows = (id: string, ids: readonly string[], role: 'admin' | 'member', now: number) => {
    for (const m of ids) {
      db.run(
        'INSERT INTO conversation_members (conversation_id, moltbot_id, role, joined_at) VALUES (?, ?, ?, ?)',
        id,
        m,
        role,
        now,
      );
    }
  };

  const announce = (recipients: readonly string[], event: SystemEvent, now: number) => {
    const notify = activeDevicesOf(db, recipients);
    enqueueEvent(db, notify, event, {
      messageId: timeOrderedId(now),
      now,
      retentionMs: limits.queueRetentionMs,
    });
    return notify;
  };

  /** Keeps at least one admin: when the last one goes, the longest-standing member takes over. */
  const ensureAdmin = (id: string) => {
    if (
      db.get("SELECT 1 FROM conversation_members WHERE conversation_id = ? AND role = 'admin'", id)
    ) {
      return;
    }
    db.run(
      `UPDATE conversation_members SET role = 'admin' WHERE conversation_id = ?1 AND moltbot_id = (
         SELECT moltbot_id FROM conversation_members WHERE conversation_id = ?1
         ORDER BY joined_at, moltbot_id LIMIT 1)`,
      id,
    );
  };

  const dropIfEmpty = (id: string) => {
    if (membersOf(db, id).length === 0) db.run('DELETE FROM conversations WHERE id = ?', id);
  };

  return {
    create: (input) =>
      db.write(() => {
        const others = input.members.filter((m) => m !== input.creatorMoltbotId);
        if (others.length + 1 > limits.maxConversationMembers) return { kind: 'tooMany' } as const;
        const missing = unknown(others);
        if (missing.length > 0) return { kind: 'unknownMembers', moltbotIds: missing } as const;
        const refused = refusing(others, input.creatorMoltbotId);
        if (refused.length > 0) return { kind: 'refused', moltbotIds: refused } as const;
        const limited = charge(input.actorDeviceId, input.now);
        if (limited !== null) return limited;
        db.run(
          'INSERT INTO conversations (id, created_by, created_at) VALUES (?, ?, ?)',
          input.id,
          input.creatorMoltbotId,
          input.now,
        );
        addRows(input.id, [input.creatorMoltbotId], 'admin', input.now);
        addRows(input.id, others, 'member', input.now);
        const all = [input.creatorMoltbotId, ...others];
        const notify = announce(
          all,
          {
            kind: 'member_added',
            conversationId: input.id,
            actor: input.creatorMoltbotId,
            moltbotIds: all,
          },
          input.now,
        );
        return {
          kind: 'created',
          conversation: read(input.id) as ConversationRecord,
          notify,
        } as const;
      }),

    get: async (id, moltbotId) => (roleOf(id, moltbotId) === null ? null : read(id)),

    list: async (moltbotId) =>
      db
        .all(
          `SELECT c.id FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
           WHERE m.moltbot_id = ? ORDER BY c.created_at, c.id`,
          moltbotId,
        )
        .map((r) => read(String(r.id)) as ConversationRecord),

    addMembers: (input) =>
      db.write(() => {
        const role = roleOf(input.id, input.actorMoltbotId);
        if (role === null) return { kind: 'notFound' } as const;
        if (role !== 'admin') return { kind: 'notAdmin' } as const;
        const current = membersOf(db, input.id);
        const already = input.moltbotIds.filter((m) => current.includes(m));
        if (already.length > 0) return { kind: 'alreadyMembers', moltbotIds: already } as const;
        if (current.length + input.moltbotIds.length > limits.maxConversationMembers) {
          return { kind: 'tooMany' } as const;
        }
        const missing = unknown(input.moltbotIds);
        if (missing.length > 0) return { kind: 'unknownMembers', moltbotIds: missing } as const;
        const refused = refusing(input.moltbotIds, input.actorMoltbotId);
        if (refused.length > 0) return { kind: 'refused', moltbotIds: refused } as const;
        const limited = charge(input.actorDeviceId, input.now);
        if (limited !== null) return limited;
        addRows(input.id, input.moltbotIds, 'member', input.now);
        const notify = announce(
          [...current, ...input.moltbotIds],
          {
            kind: 'member_added',
            conversationId: input.id,
            actor: input.actorMoltbotId,
            moltbotIds: input.moltbotIds,
          },
          input.now,
        );
        return {
          kind: 'added',
          conversation: read(input.id) as ConversationRecord,
          notify,
        } as const;
      }),

    removeMember: (input) =>
      db.write(() => {
        const role = roleOf(input.id, input.actorMoltbotId);
        if (role === null) return { kind: 'notFound' } as const;
        if (role !== 'admin') return { kind: 'notAdmin' } as const;
        if (roleOf(input.id, input.moltbotId) === null) return { kind: 'notMember' } as const;
        const limited = charge(input.actorDeviceId, input.now);
        if (limited !== null) return limited;
        // Everyone before the change hears it, the removed member included.
        const before = membersOf(db, input.id);
        db.run(
          'DELETE FROM conversation_members WHERE conversation_id = ? AND moltbot_id = ?',
          input.id,
          input.moltbotId,
        );
        const notify = announce(
          before,
          {
            kind: 'member_removed',
            conversationId: input.id,
            actor: input.actorMoltbotId,
            moltbotIds: [input.moltbotId],
          },
          input.now,
        );
        ensureAdmin(input.id);
        const conversation = read(input.id) as ConversationRecord;
        dropIfEmpty(input.id);
        return { kind: 'removed', conversation, notify } as const;
      }),

    leave: (input) =>
      db.write(() => {
        if (roleOf(input.id, input.moltbotId) === null) return { kind: 'notFound' } as const;
        const limited = charge(input.actorDeviceId, input.now);
        if (limited !== null) return limited;
        const before = membersOf(db, input.id);
        db.run(
          'DELETE FROM conversation_members WHERE conversation_id = ? AND moltbot_id = ?',
          input.id,
          input.moltbotId,
        );
        const notify = announce(
          before,
          { kind: 'member_left', conversationId: input.id, moltbotId: input.moltbotId },
          input.now,
        );
        ensureAdmin(input.id);
        dropIfEmpty(input.id);
        return { kind: 'left', notify } as const;
      }),
  };
}
