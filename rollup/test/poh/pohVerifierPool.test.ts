import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Poh, type PohEntry } from '../../src/poh/poh.ts';
import { PohVerifierPool } from '../../src/poh/pohVerifierPool.ts';
import { verifyEntries } from '../../src/poh/verifyEntries.ts';

const START = new Uint8Array(32).fill(3);
const HPT = 2_000;

function slotOfTicks(n: number): PohEntry[] {
  const poh = new Poh({ startHash: START, hashesPerTick: HPT });
  const out: PohEntry[] = [];
  for (let t = 0; t < n; t++) {
    poh.hash(700);
    const r = poh.record(new Uint8Array(32).fill(t & 0xff));
    if (r !== null) out.push(r);
    while (!poh.hash(1 << 20)) {}
    out.push(poh.tick() as PohEntry);
  }
  return out;
}

describe('PohVerifierPool', () => {
  const pool = new PohVerifierPool({ threads: 2, minHashesPerThread: 1_000 });
  after(() => pool.close());
  const entries = slotOfTicks(64);

  it('agrees with the single-threaded verifier on a valid slot', async () => {
    const v = await pool.verify(START, entries, { hashesPerTick: HPT, ticksPerSlot: 64 });
    assert.deepEqual(v, verifyEntries(START, entries, { hashesPerTick: HPT, ticksPerSlot: 64 }));
    assert.equal(v.kind, 'valid');
  });

  it('finds a tampered entry in either half, reporting the first bad index', async () => {
    for (const i of [3, entries.length - 2]) {
      const copy = [...entries];
      const e = copy[i] as PohEntry;
      const h = Uint8Array.from(e.hash);
      h[0] = (h[0] as number) ^ 0x80;
      copy[i] = { ...e, hash: h };
      const v = await pool.verify(START, copy, { hashesPerTick: HPT });
      // The tampered hash also breaks its successor's start; the first failure is reported.
      assert.deepEqual(v, { kind: 'hashMismatch', index: i });
    }
  });

  it('detects a wrong start hash', async () => {
    const v = await pool.verify(new Uint8Array(32), entries, { hashesPerTick: HPT });
    assert.deepEqual(v, { kind: 'hashMismatch', index: 0 });
  });
});
