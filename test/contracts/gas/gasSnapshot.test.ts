import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { compareGas, readGasSnapshot } from './gasSnapshot.ts';
import { measureContractGas } from './measureContractGas.ts';

describe('gas snapshot (test/contracts/gas/gas-snapshot.json)', () => {
  it('register, authorize signer, stake, delegate and report epoch cost what the snapshot says', async () => {
    const measured = await measureContractGas(await network.create('op'));
    const diff = compareGas(readGasSnapshot(), measured);
    assert.deepEqual(
      diff,
      [],
      `gas changed; if intended, run \`npm run bench gas -- --update\`:\n${diff.join('\n')}`,
    );
  });

  it('the comparison flags a real change and a missing figure', () => {
    assert.deepEqual(compareGas({ a: 100_000 }, { a: 100_400 }), []);
    assert.equal(compareGas({ a: 100_000 }, { a: 101_000 }).length, 1);
    assert.equal(compareGas({ a: 1 }, {}).length, 1);
    assert.equal(compareGas({}, { b: 1 }).length, 1);
  });
});
