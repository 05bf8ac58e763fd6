import { randomBytes } from 'node:crypto';

/**
 * 32-hex ids for messages, conversations and attachments: 6 bytes of milliseconds then 10 random
 * bytes (80 bits, unguessable). Time-ordered, so index inserts land at the end of a device's
 * range instead of a random page (fewer pages written per commit); the time they reveal is the
 * row's createdAt anyway.
 */
export function timeOrderedId(nowMs: number): string {
  const t = Math.max(0, Math.floor(nowMs)).toString(16).padStart(12, '0').slice(-12);
  return t + randomBytes(10).toString('hex');
}
