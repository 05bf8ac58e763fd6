import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Poh, type PohEntry } from '../../src/poh/poh.ts';
import { verifyEntries } from '../../src/poh/verifyEntries.ts';
import { toHex } from '../../src/utils/hex.ts';

const START = new Uint8Array(32).fill(1);

/** Reference: SHA-256 via createHash, written independently of the code under test. */
function refHash(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** Drives a Poh through a list of operations: n > 0 = hash up to n; -1 = record; 0 = tick. */
function generate(ops: readonly number[], hashesPerTick: number): PohEntry[] {
  const poh = new Poh({ startHash: START, hashesPerTick });
  const out: PohEntry[] = [];
  let mix = 0;
  for (const op of ops) {
    if (op > 0) poh.hash(op);
    else if (op === -1) {
      const e = poh.record(refHash(Uint8Array.of(mix++)));
      if (e !== null) out.push(e);
    } else {
      while (!poh.hash(1 << 20)) {}
      const t = poh.tick();
      assert.ok(t !== null, 'a tick is due after hash() returned true');
      out.push(t);
    }
  }
  return out;
}

describe('Poh', () => {
  it('ticks are sha256 chains of exactly hashesPerTick hashes (known answer vs createHash)', () => {
    const poh = new Poh({ startHash: START, hashesPerTick: 10 });
    assert.equal(poh.hash(100), true);
    const tick = poh.tick();
    assert.ok(tick !== null);
    let h: Uint8Array = START;
    for (let i = 0; i < 10; i++) h = refHash(h);
    assert.equal(toHex(tick.hash), toHex(h));
    assert.equal(tick.numHashes, 10);
    assert.equal(poh.tickHeight, 1);
  });

  it('records mix in the event hash: hash = sha256(prev || mixin)', () => {
    const poh = new Poh({ startHash: START, hashesPerTick: 10 });
    poh.hash(3);
    const mixin = refHash(Uint8Array.of(9));
    const e = poh.record(mixin);
    assert.ok(e !== null);
    let h: Uint8Array = START;
    for (let i = 0; i < 3; i++) h = refHash(h);
    const buf = new Uint8Array(64);
    buf.set(h);
    buf.set(mixin, 32);
    assert.equal(toHex(e.hash), toHex(refHash(buf)));
    assert.equal(e.numHashes, 4);
  });

  it('never lets a record take the hash that belongs to the tick', () => {
    const poh = new Poh({ startHash: START, hashesPerTick: 4 });
    assert.equal(poh.hash(100), true);
    assert.equal(poh.record(new Uint8Array(32)), null);
    assert.ok(poh.tick() !== null);
  });

  it('rejects bad arguments at the edge', () => {
    assert.throws(() => new Poh({ startHash: new Uint8Array(31), hashesPerTick: 10 }), RangeError);
    assert.throws(() => new Poh({ startHash: START, hashesPerTick: 1 }), RangeError);
    assert.throws(
      () => new Poh({ startHash: START, hashesPerTick: 10 }).record(new Uint8Array(3)),
      RangeError,
    );
  });

  it('property: any generated sequence verifies, tick height is monotonic', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constant(-1), fc.constant(0)), {
          maxLength: 60,
        }),
        (ops) => {
          const entries = generate(ops, 8);
          const v = verifyEntries(START, entries, { hashesPerTick: 8 });
          assert.equal(v.kind, 'valid');
          if (v.kind === 'valid')
            assert.equal(v.ticks, entries.filter((e) => e.mixin === undefined).length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: tampering with any hash, count or mixin is detected', () => {
    const ops = [2, -1, 0, 3, -1, -1, 0, -1, 0, 5, -1, 0];
    const entries = generate(ops, 8);
    // A prefix of a valid chain is itself valid, so tampering is judged against a full slot.
    const slot = { hashesPerTick: 8, ticksPerSlot: 4 };
    assert.equal(verifyEntries(START, entries, slot).kind, 'valid');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: entries.length - 1 }),
        fc.constantFrom('hash', 'count', 'mixin', 'drop', 'swap'),
        fc.integer({ min: 0, max: 31 }),
        (i, what, byte) => {
          const copy = entries.map((e) => ({ ...e }));
          const e = copy[i] as PohEntry;
          if (what === 'hash') {
            const h = Uint8Array.from(e.hash);
            h[byte] = (h[byte] as number) ^ 1;
            copy[i] = { ...e, hash: h };
          } else if (what === 'count') {
            copy[i] = { ...e, numHashes: e.numHashes + 1 };
          } else if (what === 'mixin') {
            const m = Uint8Array.from(e.mixin ?? new Uint8Array(32));
            m[byte] = (m[byte] as number) ^ 1;
            copy[i] = { ...e, mixin: m };
          } else if (what === 'drop') {
            copy.splice(i, 1);
          } else {
            const j = (i + 1) % copy.length;
            if (j === i) return;
            [copy[i], copy[j]] = [copy[j] as PohEntry, e];
          }
          assert.notEqual(verifyEntries(START, copy, slot).kind, 'valid');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('checks the tick count of a full slot', () => {
    const entries = generate([0, 0, 0], 8);
    assert.equal(
      verifyEntries(START, entries, { hashesPerTick: 8, ticksPerSlot: 3 }).kind,
      'valid',
    );
    assert.deepEqual(verifyEntries(START, entries, { hashesPerTick: 8, ticksPerSlot: 4 }), {
      kind: 'tickCount',
      expected: 4,
      actual: 3,
    });
  });
});
