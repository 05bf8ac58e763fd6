import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { NonceStore } from '../server/auth/verifyRequest.ts';

/**
 * Replay protection kept in the relay's embedded SQLite database (node:sqlite, WAL), so it
 * survives restarts and is shared by every request handler of the process. `claim` is a single
 * INSERT on the primary key: atomic, no read-then-write race.
 */
export class SqliteNonceStore implements NonceStore {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #sweep: StatementSync;
  readonly #nowMs: () => number;

  constructor(opts: { readonly path: string }, deps: { readonly nowMs: () => number }) {
    this.#db = new DatabaseSync(opts.path);
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = FULL; -- a claimed nonce must survive a power loss, or a replay gets in
      CREATE TABLE IF NOT EXISTS auth_nonces (
        id TEXT NOT NULL,
        nonce TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (id, nonce)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS auth_nonces_expiry ON auth_nonces (expires_at);
    `);
    this.#insert = this.#db.prepare(
      'INSERT OR IGNORE INTO auth_nonces (id, nonce, expires_at) VALUES (?, ?, ?)',
    );
    this.#sweep = this.#db.prepare('DELETE FROM auth_nonces WHERE expires_at < ?');
    this.#nowMs = deps.nowMs;
  }

  async claim(id: string, nonce: string, expiresAtMs: number): Promise<boolean> {
    return Number(this.#insert.run(id, nonce, expiresAtMs).changes) === 1;
  }

  /** Forgets nonces whose request could no longer pass the timestamp window. */
  sweepExpired(): number {
    return Number(this.#sweep.run(this.#nowMs()).changes);
  }

  close(): void {
    this.#db.close();
  }
}
