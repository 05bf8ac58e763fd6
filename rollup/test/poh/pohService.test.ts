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

  it('reset continues from the given hash and tick height; no old-chain tick after it', async () => {
    const H = new Uint8Array(32).fill(9);
    const stream: { kind: 'tick' | 'record'; height: number; entry: PohEntry }[] = [];
    const svc = new PohService(
      { startHash: START, tickHeight: 0, hashesPerTick: 64, targetTickNs: 2_000_000n, batch: 16 },
      {
        onTick: (height, entry) => stream.push({ kind: 'tick', height, entry }),
        onRecord: (height, entry) => stream.push({ kind: 'record', height, entry }),
      },
    );
    assert.equal(svc.generation, 0);
    while (stream.length < 3) await new Promise((r) => setTimeout(r, 2));
    svc.reset(H, 1000);
    assert.equal(svc.generation, 1);
    const mark = stream.length;
    const recorded = await svc.record(new Uint8Array(32).fill(7));
    while (stream.length < mark + 6) await new Promise((r) => setTimeout(r, 2));
    await svc.stop();
    const after = stream.slice(mark);
    const ticks = after.filter((e) => e.kind === 'tick');
    assert.equal(ticks[0]?.height, 1001);
    assert.deepEqual(
      ticks.map((t) => t.height),
      ticks.map((_, i) => 1001 + i),
    );
    const entries = after.map((e) => e.entry);
    // Everything delivered after reset() returned chains from H: no entry of the old chain.
    assert.equal(verifyEntries(H, entries, { hashesPerTick: 64 }).kind, 'valid');
    assert.ok(entries.includes(recorded.entry));
    const at = after.findIndex((e) => e.entry === recorded.entry);
    // A record belongs after tick `tickHeight`: count the new chain's ticks before it.
    assert.equal(recorded.tickHeight, 1000 + ticks.filter((t) => after.indexOf(t) < at).length);
  });

  it('delivers records and ticks through onRecord/onTick in stream order', async () => {
    const stream: PohEntry[] = [];
    const heights: number[] = [];
    let ticks = 0;
    const svc = new PohService(
      { startHash: START, tickHeight: 0, hashesPerTick: 64, targetTickNs: 2_000_000n, batch: 16 },
      {
        onTick: (height, entry) => {
          ticks += 1;
          assert.equal(height, ticks);
          stream.push(entry);
        },
        onRecord: (height, entry) => {
          heights.push(height);
          assert.equal(height, ticks); // after tick `height`, before the next
          stream.push(entry);
        },
      },
    );
    const results = [];
    for (let i = 0; i < 30; i++) {
      const p = svc.record(new Uint8Array(32).fill(i + 1)).then((r) => {
        // onRecord ran synchronously before the promise resolved.
        assert.ok(stream.includes(r.entry));
        return r;
      });
      results.push(p);
      if (i % 3 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    const recorded = await Promise.all(results);
    while (ticks < 5) await new Promise((r) => setTimeout(r, 2));
    await svc.stop();
    assert.equal(verifyEntries(START, stream, { hashesPerTick: 64 }).kind, 'valid');
    const mixins = stream.filter((e) => e.mixin !== undefined);
    assert.equal(mixins.length, 30);
    assert.deepEqual(
      recorded.map((r) => r.entry),
      mixins,
    );
    assert.deepEqual(
      recorded.map((r) => r.tickHeight),
      heights,
    );
  });

  it('rejects a record still pending at reset; it never enters the new chain', async () => {
    const H = new Uint8Array(32).fill(11);
    const stream: PohEntry[] = [];
    let generation0 = true;
    const svc = new PohService(
      { startHash: START, tickHeight: 0, hashesPerTick: 64, targetTickNs: 2_000_000n },
      {
        onTick: (_h, entry) => {
          if (!generation0) stream.push(entry);
        },
        onRecord: (_h, entry) => {
          if (!generation0) stream.push(entry);
        },
      },
    );
    await svc.record(new Uint8Array(32).fill(1)); // the worker is up
    const dropped = new Uint8Array(32).fill(2);
    const pending = svc.record(dropped);
    const settled = pending.then(
      (r) => ({ ok: true as const, r }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    svc.reset(H, 0);
    generation0 = false;
    const outcome = await settled;
    // Its result cannot have reached this thread before reset() returned, so it is rejected.
    assert.equal(outcome.ok, false);
    if (!outcome.ok) assert.match(String(outcome.e), /reset/);
    const after = await svc.record(new Uint8Array(32).fill(3));
    while (stream.length < 4) await new Promise((r) => setTimeout(r, 2));
    await svc.stop();
    assert.equal(verifyEntries(H, stream, { hashesPerTick: 64 }).kind, 'valid');
    assert.ok(stream.includes(after.entry));
    assert.ok(!stream.some((e) => e.mixin !== undefined && e.mixin[0] === dropped[0]));
  });

  it('rejects bad reset arguments and reset after stop', async () => {
    const svc = new PohService(
      { startHash: START, tickHeight: 0, hashesPerTick: 64, targetTickNs: 2_000_000n },
      { onTick: () => {} },
    );
    assert.throws(() => svc.reset(new Uint8Array(31), 0), RangeError);
    assert.throws(() => svc.reset(new Uint8Array(33), 0), RangeError);
    assert.throws(() => svc.reset(START, -1), RangeError);
    assert.throws(() => svc.reset(START, 1.5), RangeError);
    assert.throws(() => svc.reset(START, Number.NaN), RangeError);
    assert.throws(() => svc.reset(START, 2 ** 53), RangeError);
    assert.equal(svc.generation, 0);
    svc.reset(START, 5);
    svc.reset(START, 0);
    assert.equal(svc.generation, 2);
    await svc.stop();
    assert.throws(() => svc.reset(START, 0), /stopped/);
  });
});
