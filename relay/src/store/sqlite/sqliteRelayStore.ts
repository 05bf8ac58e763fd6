import type { RelayLimits } from '../../protocol/limits.ts';
import type { RelayStore } from '../relayStore.ts';
import { createConversationStore } from './sqliteConversations.ts';
import { SqliteDb } from './sqliteDb.ts';
import { createIdentityStore } from './sqliteIdentities.ts';
import { createMessageStore } from './sqliteMessages.ts';
import {
  createAttachmentStore,
  createBlockStore,
  createNonceStore,
  stats,
  sweep,
} from './sqliteMisc.ts';
import { createPairingStore } from './sqlitePairing.ts';

/**
 * The embedded RelayStore: one SQLite file (WAL) holding every table, migrated on open. Tables
 * and the metadata they hold: docs/moltdm.md "What the relay stores".
 */
export function openSqliteRelayStore(opts: {
  readonly path: string;
  readonly limits: RelayLimits;
}): RelayStore & { readonly schemaVersion: number } {
  const db = new SqliteDb({ path: opts.path });
  const limits = opts.limits;
  return {
    schemaVersion: db.schemaVersion,
    nonces: createNonceStore(db),
    identities: createIdentityStore(db, limits),
    pairing: createPairingStore(db, limits),
    conversations: createConversationStore(db, limits),
    messages: createMessageStore(db, limits),
    blocks: createBlockStore(db, limits),
    attachments: createAttachmentStore(db, limits),
    sweep: (now) => sweep(db, now),
    stats: async () => stats(db),
    durable: () => db.durable(),
    close: () => db.close(),
  };
}
