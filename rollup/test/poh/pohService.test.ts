import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PohEntry } from '../../src/poh/poh.ts';
import { PohService } from '../../src/poh/pohService.ts';
import { verifyEntries } from '../../src/poh/verifyEntries.ts';

const START = new Uint8Array(32).fill(5);

describe('PohService', () => {
  it('produces ticks off the main thread, in order, with records mixed in, all verifiable', async () => {
    const ticks: { height: number; entry: PohEntry }[] = [];
    const svc = new PohService(
      { startHash: START, tickHeight: 0, hashesPerTick: 500, targetTickNs: 1_000_000n, batch: 64 },
      { onTick: (height, entry) => ticks.push({ height, entry }) },
    );
    const recorded = await Promise.all(
      [1, 2, 3].map((i) => svc.record(new Uint8Array(32).fill(i))),
    );
    while (ticks.length < 20) await new Promise((r) => setTimeout(r, 5));
    const end = await svc.stop();
    assert.deepEqual(
      ticks.map((t) => t.height),
      ticks.map((_, i) => i + 1),
    );
    assert.ok(end.tickHeight >= ticks.length);
    // Rebuild the stream in PoH order: a record belongs after tick `tickHeight`.
    const stream: PohEntry[] = [];
    for (let h = 0; h <= ticks.length; h++) {
      for (const r of recorded.filter((x) => x.tickHeight === h)) stream.push(r.entry);
      const t = ticks[h];
      if (t !== undefined) stream.push(t.entry);
    }
    const lastTick = ticks.length;
    const upToLastTick = stream.slice(
      0,
      stream.indexOf((ticks[lastTick - 1] as { entry: PohEntry }).entry) + 1,
    );
    assert.equal(verifyEntries(START, upToLastTick, { hashesPerTick: 500 }).kind, 'valid');
    assert.equal(
      upToLastTick.filter((e) => e.mixin !== undefined).length,
      recorded.filter((r) => r.tickHeight < lastTick).length,
    );
  });

  it('rejects records after stop and malformed mixins', async () => {
    const svc = new PohService(
      { startHash: START, tickHeight: 0, hashesPerTick: 100, targetTickNs: 0n },
      { onTick: () => {} },
    );
    await assert.rejects(svc.record(new Uint8Array(5)), RangeError);
    await svc.stop();
    await assert.rejects(svc.record(new Uint8Array(32)), /stopped/);
  });

  it('settles every pending record when stopped: mixed in, or rejected', async () => {
    const svc = new PohService(
      { startHash: START, tickHeight: 0, hashesPerTick: 100, targetTickNs: 1_000_000n },
      { onTick: () => {} },
    );
    const pending = Array.from({ length: 50 }, (_, i) => svc.record(new Uint8Array(32).fill(i)));
    const all = Promise.allSettled(pending); // attached before stop() rejects any of them
    await svc.stop();
    const settled = await all;
    assert.equal(settled.length, 50);
    for (const s of settled) {
      if (s.status === 'rejected')
        assert.match(String(s.reason), /stopped before the record was mixed in/);
    }
  });
});
