import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WAD } from '../../src/economy/math/fixedPoint.ts';
import { bodyJson, formatWad6 } from '../../src/rpc/economyJson.ts';

describe('economyJson', () => {
  it('formatWad6: points with 6 decimals, truncated', () => {
    assert.equal(formatWad6(0n), '0.000000');
    assert.equal(formatWad6(WAD), '1.000000');
    assert.equal(formatWad6(3_162_277_660_168_379_332n), '3.162277');
    assert.equal(formatWad6(WAD / 10n), '0.100000');
    assert.equal(formatWad6(999_999n), '0.000000', 'below a millionth');
    assert.equal(formatWad6(-(WAD + WAD / 2n)), '-1.500000');
    assert.equal(formatWad6(-1n), '0.000000', 'no negative zero');
    assert.equal(formatWad6(123_456n * WAD), '123456.000000');
  });

  it('bodyJson: an object, or null for anything else', () => {
    const enc = new TextEncoder();
    assert.deepEqual(bodyJson(enc.encode('{"v":1}')), { v: 1 });
    assert.equal(bodyJson(null), null);
    assert.equal(bodyJson(enc.encode('[1]')), null);
    assert.equal(bodyJson(Uint8Array.of(0xff)), null);
  });
});
