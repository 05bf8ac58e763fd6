import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCounts } from '../../scripts/lib/parseCounts.ts';

describe('parseCounts (the npm test summary)', () => {
  it('reads node:test spec summaries, counting cancelled as failed and todo as skipped', () => {
    const out = 'ℹ tests 9\nℹ suites 2\nℹ pass 6\nℹ fail 1\nℹ cancelled 1\nℹ skipped 1\nℹ todo 0\n';
    assert.deepEqual(parseCounts('node', out), { passed: 6, failed: 2, skipped: 1 });
  });

  it("reads Hardhat's reporter, passing and failing", () => {
    assert.deepEqual(parseCounts('hardhat', '\n  19 passing (2233ms)\n'), {
      passed: 19,
      failed: 0,
      skipped: 0,
    });
    assert.deepEqual(parseCounts('hardhat', '  17 passing (2s)\n  2 failing\n'), {
      passed: 17,
      failed: 2,
      skipped: 0,
    });
  });

  it("reads forge's closing line, and takes the last one", () => {
    const out =
      'Suite result: ok. 3 passed\nRan 2 test suites in 1.56s (2.67s CPU time): 18 tests passed, 1 failed, 2 skipped (21 total tests)\n';
    assert.deepEqual(parseCounts('forge', out), { passed: 18, failed: 1, skipped: 2 });
  });

  it('returns null when a runner crashed before reporting', () => {
    assert.equal(parseCounts('node', 'SyntaxError: Unexpected token\n'), null);
    assert.equal(parseCounts('forge', 'Error: Compiler run failed\n'), null);
    assert.equal(parseCounts('hardhat', 'HHE27 Missing platform package\n'), null);
  });
});
