// Background WAL checkpointer of SqliteDb: its own connection, on its own thread, so copying WAL
// frames into the database and the fsyncs that go with it never block the relay's event loop.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const { path, intervalMs } = workerData as { path: string; intervalMs: number };
const db = new DatabaseSync(path);
// PASSIVE never waits for the writer or readers; it copies what it can. The writer restarts the
// WAL from its start once a checkpoint has caught up, so the file stays small between bursts.
db.exec('PRAGMA busy_timeout = 0; PRAGMA synchronous = NORMAL;');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    checkpoint.get();
  } catch {
    // SQLITE_BUSY and the like: try again next tick.
  }
}, intervalMs);
parentPort?.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer);
    try {
      checkpoint.get();
    } finally {
      db.close();
      parentPort?.postMessage('stopped');
    }
  }
});
