import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sha256Chain } from '../../src/poh/sha256Chain.ts';
import { toHex } from '../../src/utils/hex.ts';

function ref(start: Uint8Array, n: number): string {
  let h = Buffer.from(start);
  for (let i = 0; i < n; i++) h = createHash('sha256').update(h).digest();
  return h.toString('hex');
}

describe('sha256Chain (the PoH kernel)', () => {
  it('known answer: SHA-256 of 32 zero bytes (FIPS 180-4 padding of a 256-bit message)', () => {
    assert.equal(
      toHex(sha256Chain(new Uint8Array(32), 1)),
      '66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925',
    );
  });

  it('n = 0 is the identity, and chains compose: chain(chain(x, a), b) = chain(x, a + b)', () => {
    const x = new Uint8Array(32).fill(0xab);
    assert.equal(toHex(sha256Chain(x, 0)), toHex(x));
    assert.equal(toHex(sha256Chain(sha256Chain(x, 7), 5)), toHex(sha256Chain(x, 12)));
  });

  it('property: equals node:crypto hashed n times, for any 32-byte start', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 40 }),
        (start, n) => {
          assert.equal(toHex(sha256Chain(start, n)), ref(start, n));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees with node:crypto over a long chain (100,000 hashes)', () => {
    const start = new Uint8Array(32).fill(7);
    assert.equal(toHex(sha256Chain(start, 100_000)), ref(start, 100_000));
  });

  it('rejects a start that is not 32 bytes', () => {
    assert.throws(() => sha256Chain(new Uint8Array(31), 1), RangeError);
  });
});
