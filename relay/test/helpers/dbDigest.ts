import { createHash } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';

/** SHA-256 over every row of every table (committed state), order-independent. */
export function dbDigest(path: string): string {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    const h = createHash('sha256');
    for (const t of tables) {
      const rows = db
        .prepare(`SELECT * FROM "${t}"`)
        .all()
        .map((r) =>
          JSON.stringify(r, (_k, v) =>
            v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
          ),
        )
        .sort();
      h.update(`${t}:${rows.length}\n${rows.join('\n')}\n`);
    }
    return h.digest('hex');
  } finally {
    db.close();
  }
}
