import type { RateRule } from '../../protocol/limits.ts';
import type { RateLimited } from '../relayStore.ts';
import type { SqliteDb } from './sqliteDb.ts';

export interface RateCharge {
  /** Rule name reported to the client (`sender`, `pair`, …). */
  readonly name: string;
  /** Counter key, e.g. `sender:<deviceId>`. */
  readonly key: string;
  readonly rule: RateRule;
  readonly cost: number;
}

/**
 * Fixed-window counters in the `rate_limits` table, so limits survive restarts and are shared by
 * every process on the store (issue 7: no in-memory limiter). A window starts at the first charge
 * after the previous one ended; Retry-After is the time left in the window that refused.
 * Runs inside a write job: all charges pass or none is taken.
 */
export function chargeAll(
  db: SqliteDb,
  charges: readonly RateCharge[],
  now: number,
): RateLimited | null {
  const current = charges.map((c) => {
    const row = db.get('SELECT window_start, count FROM rate_limits WHERE key = ?', c.key);
    const start = row === undefined ? now : Number(row.window_start);
    const live = row !== undefined && now < start + c.rule.windowMs;
    return { c, start: live ? start : now, used: live ? Number(row?.count) : 0 };
  });
  for (const { c, start, used } of current) {
    if (used + c.cost > c.rule.limit) {
      return {
        kind: 'rateLimited',
        limit: c.name,
        retryAfterMs: c.cost > c.rule.limit ? c.rule.windowMs : start + c.rule.windowMs - now,
      };
    }
  }
  for (const { c, start, used } of current) {
    db.run(
      `INSERT INTO rate_limits (key, window_start, count, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET
         window_start = excluded.window_start, count = excluded.count, expires_at = excluded.expires_at`,
      c.key,
      start,
      used + c.cost,
      start + c.rule.windowMs,
    );
  }
  return null;
}

/** Refuses without charging when a counter is already exhausted (guess limits check first). */
export function exhausted(
  db: SqliteDb,
  checks: readonly Omit<RateCharge, 'cost'>[],
  now: number,
): RateLimited | null {
  for (const c of checks) {
    const row = db.get('SELECT window_start, count FROM rate_limits WHERE key = ?', c.key);
    if (row === undefined) continue;
    const start = Number(row.window_start);
    if (now < start + c.rule.windowMs && Number(row.count) >= c.rule.limit) {
      return { kind: 'rateLimited', limit: c.name, retryAfterMs: start + c.rule.windowMs - now };
    }
  }
  return null;
}
