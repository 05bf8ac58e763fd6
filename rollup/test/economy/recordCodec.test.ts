import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RecordReader, RecordWriter } from '../../src/economy/recordCodec.ts';
import { toHex } from '../../src/utils/hex.ts';

const i256 = (v: bigint) => toHex(new RecordWriter().i256(v).finish());

describe('record codec', () => {
  it('i256: two’s complement, big-endian (known answers at the fast-path edges)', () => {
    assert.equal(i256(0n), '00'.repeat(32));
    assert.equal(i256(1n), `${'00'.repeat(31)}01`);
    assert.equal(i256(-1n), 'ff'.repeat(32));
    assert.equal(i256((1n << 64n) - 1n), `${'00'.repeat(24)}${'ff'.repeat(8)}`);
    assert.equal(i256(1n << 64n), `${'00'.repeat(23)}01${'00'.repeat(8)}`);
    assert.equal(i256(-(1n << 64n)), `${'ff'.repeat(24)}${'00'.repeat(8)}`);
    assert.equal(i256(-(1n << 64n) - 1n), `${'ff'.repeat(23)}fe${'ff'.repeat(8)}`);
    assert.equal(i256(-(1n << 255n)), `80${'00'.repeat(31)}`);
    assert.throws(() => i256(1n << 255n), RangeError);
  });

  it('property: every field round-trips, and decoding rejects truncation and trailing bytes', () => {
    const big = fc.bigInt({ min: -(1n << 255n), max: (1n << 255n) - 1n });
    fc.assert(
      fc.property(
        big,
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.nat({ max: 255 }),
        fc.string({ maxLength: 40 }),
        (a, b, c, s) => {
          const bytes = new RecordWriter().i256(a).u64(b).u8(c).str(s).finish();
          const r = new RecordReader(bytes);
          assert.equal(r.i256(), a);
          assert.equal(r.u64(), b);
          assert.equal(r.u8(), c);
          assert.equal(r.str(), s);
          r.end();
          const cut = new RecordReader(bytes.subarray(0, bytes.length - 1));
          assert.throws(() => {
            cut.i256();
            cut.u64();
            cut.u8();
            cut.str();
          }, RangeError);
          const longer = new Uint8Array(bytes.length + 1);
          longer.set(bytes);
          const r2 = new RecordReader(longer);
          r2.i256();
          r2.u64();
          r2.u8();
          r2.str();
          assert.throws(() => r2.end(), RangeError);
        },
      ),
    );
  });

  it('writers share one scratch buffer: a nested writer makes the outer one throw, a failed one leaves nothing stuck', () => {
    const outer = new RecordWriter().u8(1);
    const inner = new RecordWriter().u8(2);
    assert.throws(() => outer.u8(3), /must not nest/);
    assert.equal(toHex(inner.finish()), '02');
    assert.throws(() => new RecordWriter().u8(1).i256(1n << 300n), RangeError);
    assert.equal(toHex(new RecordWriter().u8(7).finish()), '07');
  });
});
