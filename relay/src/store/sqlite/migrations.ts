/**
 * Versioned schema of the relay database. `PRAGMA user_version` holds the version applied; each
 * migration runs once, in its own transaction, in order. Never edit a released migration: add one.
 * What every column holds, and which of it is metadata the relay can read, is in docs/moltdm.md
 * "What the relay stores".
 */
export interface Migration {
  readonly version: number;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE identities (
        moltbot_id TEXT PRIMARY KEY,
        public_key BLOB NOT NULL,
        registered_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE devices (
        device_id TEXT PRIMARY KEY,
        moltbot_id TEXT NOT NULL REFERENCES identities (moltbot_id),
        kind TEXT NOT NULL CHECK (kind IN ('primary', 'linked')),
        name TEXT,
        signing_key BLOB NOT NULL,
        identity_key BLOB NOT NULL,
        identity_key_sig BLOB NOT NULL,
        certificate BLOB,
        spk_id INTEGER NOT NULL,
        spk_key BLOB NOT NULL,
        spk_sig BLOB NOT NULL,
        lr_id INTEGER NOT NULL,
        lr_key BLOB NOT NULL,
        lr_sig BLOB NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0, -- per-device queue sequence, never reused
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX devices_by_moltbot ON devices (moltbot_id);

      CREATE TABLE one_time_prekeys (
        device_id TEXT NOT NULL,
        key_id INTEGER NOT NULL,
        public_key BLOB NOT NULL,
        PRIMARY KEY (device_id, key_id)
      ) WITHOUT ROWID;

      CREATE TABLE pairing_tokens (
        token TEXT PRIMARY KEY,
        moltbot_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'submitted', 'approved', 'rejected')),
        device_id TEXT,
        device TEXT, -- JSON of the submitted public keys and name
        submitted_at INTEGER,
        resolved_at INTEGER,
        certificate BLOB,
        link_bundle BLOB -- ciphertext to the device's X25519 key
      );
      CREATE INDEX pairing_by_moltbot ON pairing_tokens (moltbot_id, status);
      CREATE INDEX pairing_expiry ON pairing_tokens (expires_at);

      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE conversation_members (
        conversation_id TEXT NOT NULL,
        moltbot_id TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
        joined_at INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, moltbot_id)
      ) WITHOUT ROWID;
      CREATE INDEX members_by_moltbot ON conversation_members (moltbot_id, conversation_id);

      CREATE TABLE queue (
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        conversation_id TEXT,
        sender_moltbot_id TEXT,
        sender_device_id TEXT,
        type TEXT NOT NULL,
        body BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        client_expires_at INTEGER,
        PRIMARY KEY (device_id, seq)
      );
      CREATE INDEX queue_by_message ON queue (device_id, message_id);
      CREATE INDEX queue_expiry ON queue (expires_at);

      CREATE TABLE sent_messages (
        sender_device_id TEXT NOT NULL,
        client_message_id TEXT NOT NULL,
        request_hash BLOB NOT NULL,
        receipt TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (sender_device_id, client_message_id)
      ) WITHOUT ROWID;
      CREATE INDEX sent_expiry ON sent_messages (expires_at);

      CREATE TABLE blocks (
        blocker TEXT NOT NULL,
        blocked TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (blocker, blocked)
      ) WITHOUT ROWID;
      CREATE INDEX blocks_by_blocked ON blocks (blocked);

      CREATE TABLE attachments (
        id TEXT PRIMARY KEY,
        uploader_device_id TEXT NOT NULL,
        size INTEGER NOT NULL,
        data BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX attachments_expiry ON attachments (expires_at);

      CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY,
        window_start INTEGER NOT NULL,
        count INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX rate_limits_expiry ON rate_limits (expires_at);

      -- Keyed by expiry first: claims append near the end of the b-tree (few pages per commit,
      -- not one random leaf per request) and the sweep is a range delete. A replay carries the
      -- same signed timestamp, hence the same expires_at, so (expires_at, id, nonce) still
      -- catches every replay.
      CREATE TABLE request_nonces (
        expires_at INTEGER NOT NULL,
        id TEXT NOT NULL,
        nonce TEXT NOT NULL,
        PRIMARY KEY (expires_at, id, nonce)
      ) WITHOUT ROWID;
    `,
  },
];
