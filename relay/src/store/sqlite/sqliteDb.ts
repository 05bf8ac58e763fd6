import { closeSync, fsync, openSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { MIGRATIONS, type Migration } from './migrations.ts';

type Row = Record<string, unknown>;

interface Pending {
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/**
 * The relay's SQLite database: one file in WAL mode, two connections, group commit.
 *
 * A write job runs at once, synchronously, inside the transaction open for the current turn of
 * the event loop (each job in its own SAVEPOINT, so a job that throws rolls back alone). The
 * transaction commits on the next turn (setImmediate), then the WAL file is fsynced on the libuv
 * thread pool, and only then do the jobs' promises resolve. So a response never reports a change
 * a power loss could undo, every request of a turn shares one fsync, and the event loop keeps
 * working while the disk syncs (an fsync is ~0.25 ms here; blocking on it cost a third of the
 * relay's throughput, bench relay).
 *
 * That is SQLite's synchronous = FULL guarantee, done by hand: the connection runs with
 * synchronous = NORMAL (SQLite syncs the WAL before each checkpoint and the database after it, but
 * not at commit), and we sync the WAL after each commit before acknowledging anything. `durable()`
 * resolves once everything committed so far is on disk; the server awaits it before every answer,
 * so nothing a client reads — a message, a device, a token — can be lost by a power cut after it
 * was shown. An fsync error is fatal: the store refuses every later write (fail-stop).
 *
 * Reads outside jobs use the second connection, which sees committed data only. Reads inside a job
 * use the write connection and see the job's own changes. node:sqlite is synchronous and a job
 * never yields, so no other code interleaves with a job.
 */
export class SqliteDb {
  readonly #writer: DatabaseSync;
  readonly #reader: DatabaseSync;
  readonly #writeStatements = new Map<string, StatementSync>();
  readonly #readStatements = new Map<string, StatementSync>();
  readonly #savepoint: StatementSync;
  readonly #release: StatementSync;
  readonly #rollbackTo: StatementSync;
  #pending: Pending[] = [];
  #commitScheduled = false;
  #inJob = false;
  #committed: (() => void)[] = [];
  #closed = false;
  readonly #walFd: number;
  #durable: Promise<void> = Promise.resolve();
  #failed: Error | null = null;
  #syncing = false;
  readonly #checkpointer: Worker;

  constructor(opts: { readonly path: string; readonly migrations?: readonly Migration[] }) {
    this.#writer = new DatabaseSync(opts.path);
    // 1 KiB pages: a commit writes every page it touched in full, and most of a commit is
    // scattered small inserts (a row per device queue, an idempotency key per sender), so
    // small pages halve the bytes written and fsynced per message (bench relay). Only takes
    // effect when the file is created.
    this.#writer.exec(`
      PRAGMA page_size = 1024;
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA wal_autocheckpoint = 65536; -- a backstop only: checkpointWorker.ts does the work
      PRAGMA foreign_keys = ON;
      PRAGMA busy_timeout = 5000;
      PRAGMA cache_size = -65536;
    `);
    this.#migrate(opts.migrations ?? MIGRATIONS);
    this.#savepoint = this.#writer.prepare('SAVEPOINT job');
    this.#release = this.#writer.prepare('RELEASE job');
    this.#rollbackTo = this.#writer.prepare('ROLLBACK TO job');
    this.#reader = new DatabaseSync(opts.path, { readOnly: true });
    this.#reader.exec('PRAGMA busy_timeout = 5000; PRAGMA cache_size = -16384;');
    // The WAL exists once a connection has read in WAL mode, and keeps its inode while any
    // connection is open (SQLite rewrites it in place after a checkpoint).
    this.#reader.prepare('SELECT count(*) FROM sqlite_master').get();
    this.#walFd = openSync(`${opts.path}-wal`, 'r+');
    this.#checkpointer = new Worker(new URL('./checkpointWorker.ts', import.meta.url), {
      workerData: { path: opts.path, intervalMs: 100 },
    });
    this.#checkpointer.unref();
  }

  #migrate(migrations: readonly Migration[]): void {
    const current = Number((this.#writer.prepare('PRAGMA user_version').get() as Row).user_version);
    for (const m of migrations) {
      if (m.version <= current) continue;
      this.#writer.exec('BEGIN IMMEDIATE');
      try {
        this.#writer.exec(m.sql);
        this.#writer.exec(`PRAGMA user_version = ${m.version}`);
        this.#writer.exec('COMMIT');
      } catch (err) {
        this.#writer.exec('ROLLBACK');
        throw err;
      }
    }
  }

  get schemaVersion(): number {
    return Number((this.get('PRAGMA user_version') as Row).user_version);
  }

  #stmt(sql: string): StatementSync {
    const [db, cache] = this.#inJob
      ? [this.#writer, this.#writeStatements]
      : [this.#reader, this.#readStatements];
    let s = cache.get(sql);
    if (s === undefined) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  }

  /** Inside a job: the job's view. Outside: committed data only. */
  get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.#stmt(sql).get(...params) as Row | undefined;
  }

  all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.#stmt(sql).all(...params) as Row[];
  }

  /** Rows changed; only inside a job. */
  run(sql: string, ...params: SQLInputValue[]): number {
    if (!this.#inJob) throw new Error('SqliteDb.run outside a write job');
    return Number(this.#stmt(sql).run(...params).changes);
  }

  /**
   * Runs `fn` now inside this turn's transaction and returns its result at once, without
   * waiting for the commit (which follows on the next turn). For nonce claims: the request's
   * own write, if any, commits in the same or a later transaction and waits for it.
   */
  writeNow<T>(fn: () => T): T {
    if (this.#closed) throw new Error('relay store is closed');
    if (this.#failed !== null) throw this.#failed;
    if (this.#inJob) throw new Error('write jobs do not nest');
    if (!this.#writer.isTransaction) {
      this.#writer.exec('BEGIN IMMEDIATE');
      if (!this.#commitScheduled) {
        this.#commitScheduled = true;
        setImmediate(() => this.#commit());
      }
    }
    this.#inJob = true;
    this.#savepoint.run();
    try {
      const v = fn();
      this.#release.run();
      return v;
    } catch (err) {
      this.#rollbackTo.run();
      this.#release.run();
      throw err;
    } finally {
      this.#inJob = false;
    }
  }

  /** Runs `fn` now; resolves with its result once it is committed (durable). */
  write<T>(fn: () => T): Promise<T> {
    let v: T;
    try {
      v = this.writeNow(fn);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ resolve: () => resolve(v), reject });
    });
  }

  #commit(): void {
    this.#commitScheduled = false;
    // One fsync in flight at a time: while the disk syncs, jobs keep landing in the open
    // transaction, and it commits as soon as the sync returns (batches grow with the load).
    if (this.#syncing) return;
    if (!this.#writer.isTransaction) return;
    const pending = this.#pending;
    this.#pending = [];
    try {
      this.#writer.exec('COMMIT');
    } catch (err) {
      // COMMIT failed (I/O error, disk full): nothing of this batch happened, and no caller has
      // been told otherwise.
      if (this.#writer.isTransaction) this.#writer.exec('ROLLBACK');
      for (const p of pending) p.reject(err);
      this.#settled();
      return;
    }
    this.#syncing = true;
    const synced = new Promise<void>((resolve, reject) => {
      fsync(this.#walFd, (err) => (err === null ? resolve() : reject(err)));
    });
    this.#durable = synced.catch((err: unknown) => {
      this.#failed = new Error(`relay store: fsync of the WAL failed, refusing writes: ${err}`);
      throw this.#failed;
    });
    this.#durable.then(
      () => this.#synced(pending, null),
      (err: unknown) => this.#synced(pending, err),
    );
  }

  #synced(pending: readonly Pending[], err: unknown): void {
    this.#syncing = false;
    for (const p of pending) {
      if (err === null) p.resolve();
      else p.reject(err);
    }
    if (err !== null && this.#writer.isTransaction) {
      // Fail-stop: what accumulated during the failed sync is never committed.
      this.#writer.exec('ROLLBACK');
      for (const p of this.#pending.splice(0)) p.reject(err);
    }
    if (this.#writer.isTransaction) this.#commit();
    else this.#settled();
  }

  /** Resolves once every commit made so far is on disk (rejects after an fsync failure). */
  durable(): Promise<void> {
    return this.#durable;
  }

  #settled(): void {
    if (this.#commitScheduled || this.#syncing || this.#writer.isTransaction) return;
    for (const resolve of this.#committed.splice(0)) resolve();
  }

  /** Waits for the open transaction (if any) to commit and sync, then closes. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#commitScheduled || this.#syncing || this.#writer.isTransaction) {
      await new Promise<void>((resolve) => this.#committed.push(resolve));
    }
    await this.#durable.catch(() => undefined);
    await new Promise<void>((resolve) => {
      this.#checkpointer.once('message', () => resolve());
      this.#checkpointer.once('exit', () => resolve());
      this.#checkpointer.once('error', () => resolve());
      this.#checkpointer.postMessage('stop');
    });
    await this.#checkpointer.terminate();
    this.#reader.close();
    this.#writer.close();
    closeSync(this.#walFd);
  }
}
