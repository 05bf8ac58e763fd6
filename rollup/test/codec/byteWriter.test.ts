import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ByteReader } from '../../src/codec/byteReader.ts';
import { ByteWriter } from '../../src/codec/byteWriter.ts';
import { toHex } from '../../src/utils/hex.ts';

type Op = { kind: 'u8' | 'u32' | 'u64'; v: number } | { kind: 'fixed' | 'bytes'; v: Uint8Array };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('u8' as const), v: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('u32' as const), v: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }),
  fc.record({
    kind: fc.constant('u64' as const),
    v: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  }),
  fc.record({ kind: fc.constant('fixed' as const), v: fc.uint8Array({ maxLength: 700 }) }),
  fc.record({ kind: fc.constant('bytes' as const), v: fc.uint8Array({ maxLength: 700 }) }),
);

describe('ByteWriter / ByteReader', () => {
  it('property: every write reads back, across buffer growth from a tiny initial size', () => {
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 40 }),
        fc.integer({ min: 1, max: 64 }),
        (ops, initial) => {
          const w = new ByteWriter(initial);
          for (const o of ops) {
            if (o.kind === 'fixed') w.fixed(o.v, o.v.length);
            else if (o.kind === 'bytes') w.bytes(o.v);
            else w[o.kind](o.v as number);
          }
          const r = new ByteReader(w.finish());
          for (const o of ops) {
            if (o.kind === 'fixed') assert.equal(toHex(r.fixed(o.v.length)), toHex(o.v));
            else if (o.kind === 'bytes') assert.equal(toHex(r.bytes(1 << 20)), toHex(o.v));
            else assert.equal(r[o.kind](), o.v);
          }
          r.end();
        },
      ),
      { numRuns: 300 },
    );
  });
});
