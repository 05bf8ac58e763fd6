import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import type { IdentityResponse } from '../src/protocol/wireTypes.ts';
import { TestDevice } from './helpers/keys.ts';
import { Harness } from './helpers/relayHarness.ts';

const big = { limit: 1e9, windowMs: 60_000 };
let h: Harness;
before(async () => {
  h = await Harness.start({ limits: { rates: { bundleFetch: big, register: big } } });
});
after(() => h.destroy());

describe('one-time pre-keys are popped atomically', () => {
  it('property: concurrent fetches never get the same key; the rest get the last-resort key', async () => {
    const requesters = await Promise.all(Array.from({ length: 6 }, () => h.register()));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 24 }),
        async (pool, fetches) => {
          const bob = await h.register(new TestDevice(), pool);
          const answers = await Promise.all(
            Array.from({ length: fetches }, (_, i) =>
              h.signed(
                requesters[i % requesters.length] as TestDevice,
                'GET',
                `/identity/${bob.id}`,
              ),
            ),
          );
          const keys = answers.map((a) => {
            assert.equal(a.status, 200);
            return (a.json as IdentityResponse).devices[0]?.preKey;
          });
          const oneTime = keys.filter((k) => k?.kind === 'one_time').map((k) => k?.id);
          assert.equal(
            new Set(oneTime).size,
            oneTime.length,
            'a one-time pre-key was handed out twice',
          );
          assert.equal(oneTime.length, Math.min(pool, fetches));
          assert.equal(
            keys.filter((k) => k?.kind === 'last_resort').length,
            Math.max(0, fetches - pool),
          );
        },
      ),
      { numRuns: 12 },
    );
  });

  it('two connections (two threads) popping the same pool at once never share a key', async () => {
    const bob = await h.register(new TestDevice(), 150);
    const gate = new SharedArrayBuffer(8);
    const spawn = (requester: string) =>
      new Promise<number[]>((resolve, reject) => {
        const w = new Worker(new URL('./helpers/popWorker.ts', import.meta.url), {
          workerData: { path: h.dbPath, moltbotId: bob.id, requester, pops: 100, gate },
        });
        w.once('message', resolve);
        w.once('error', reject);
      });
    const runs = [spawn('a'.repeat(32)), spawn('b'.repeat(32))];
    const flag = new Int32Array(gate);
    while (Atomics.load(flag, 1) < 2) await new Promise((r) => setTimeout(r, 5));
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    const [a, b] = await Promise.all(runs);
    const all = [...(a as number[]), ...(b as number[])];
    assert.equal(all.length, 150, 'every key handed out exactly once, then last-resort');
    assert.equal(new Set(all).size, 150);
  });
});
