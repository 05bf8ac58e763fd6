import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCode, Harness } from './helpers/relayHarness.ts';

describe('rate limits live in the store', () => {
  it('per sender: 429 with Retry-After, counted in the metrics, still in force after a restart', async () => {
    const h = await Harness.start({
      clock: true,
      limits: { rates: { sender: { limit: 3, windowMs: 60_000 } } },
    });
    try {
      const a = await h.register();
      const b = await h.register();
      const conv = await h.conversation(a, [b]);
      const send = (n: number) =>
        h.signed(a, 'POST', '/messages', {
          conversationId: conv,
          clientMessageId: `rl${n}`,
          items: [{ toDeviceId: b.id, type: 'ratchet', ciphertext: 'AAAA' }],
        });
      for (let i = 0; i < 3; i++) assert.equal((await send(i)).status, 201);
      const limited = await send(3);
      assert.deepEqual([limited.status, errorCode(limited)], [429, 'rate_limited']);
      assert.equal(limited.headers.get('retry-after'), '60');
      assert.deepEqual(
        [
          (limited.json as { error: { limit: string; retryAfterSeconds: number } }).error.limit,
          (limited.json as { error: { retryAfterSeconds: number } }).error.retryAfterSeconds,
        ],
        ['sender', 60],
      );
      const metrics = String((await h.raw('GET', '/metrics')).json);
      assert.match(metrics, /moltbook_relay_rate_limit_rejections_total\{limit="sender"\} 1/);

      // Restart on the same database file: the window is remembered.
      await h.stop();
      (h.clock as { now: number }).now += 20_000;
      await h.open({ limits: { rates: { sender: { limit: 3, windowMs: 60_000 } } } });
      const still = await send(4);
      assert.deepEqual([still.status, still.headers.get('retry-after')], [429, '40']);
      (h.clock as { now: number }).now += 40_000;
      assert.equal((await send(5)).status, 201, 'a new window opens');
    } finally {
      await h.destroy();
    }
  });

  it('per sender → recipient pair, and per registering address', async () => {
    const h = await Harness.start({
      limits: {
        rates: { pair: { limit: 2, windowMs: 60_000 }, register: { limit: 3, windowMs: 60_000 } },
      },
    });
    try {
      const [a, b, c] = [await h.register(), await h.register(), await h.register()];
      const conv = await h.conversation(a, [b, c]);
      const send = (n: number, to: string) =>
        h.signed(a, 'POST', '/messages', {
          conversationId: conv,
          clientMessageId: `p${n}`,
          items: [{ toDeviceId: to, type: 'ratchet', ciphertext: 'AAAA' }],
        });
      assert.equal((await send(1, b.id)).status, 201);
      assert.equal((await send(2, b.id)).status, 201);
      const limited = await send(3, b.id);
      assert.deepEqual(
        [limited.status, (limited.json as { error: { limit: string } }).error.limit],
        [429, 'pair'],
      );
      assert.equal((await send(4, c.id)).status, 201, 'another recipient is unaffected');
      await assert.rejects(h.register(), /429/);
    } finally {
      await h.destroy();
    }
  });
});
