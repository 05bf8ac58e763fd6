import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultGenesis, genesisHash, parseGenesis } from '../../src/genesis/genesis.ts';
import { toHex } from '../../src/utils/hex.ts';

const pk = 'ab'.repeat(32);
const good = defaultGenesis([{ pubkey: pk, stake: '5' }]);

describe('genesis', () => {
  it('round-trips through JSON and hashes deterministically', () => {
    const back = parseGenesis(JSON.parse(JSON.stringify(good)));
    assert.deepEqual(back, good);
    assert.equal(toHex(genesisHash(back)), toHex(genesisHash(good)));
    assert.notEqual(toHex(genesisHash({ ...good, shard: 1 })), toHex(genesisHash(good)));
  });

  const bad: [string, unknown, string][] = [
    ['not an object', 'x', 'genesis.not_object'],
    ['wrong version', { ...good, version: 2 }, 'genesis.version'],
    ['no validators', { ...good, validators: [] }, 'genesis.no_validators'],
    [
      'short pubkey',
      { ...good, validators: [{ pubkey: 'ab', stake: '1' }] },
      'genesis.validator_pubkey',
    ],
    [
      'zero stake',
      { ...good, validators: [{ pubkey: pk, stake: '0' }] },
      'genesis.validator_stake',
    ],
    [
      'numeric stake',
      { ...good, validators: [{ pubkey: pk, stake: 5 }] },
      'genesis.validator_stake',
    ],
    [
      'duplicate validator',
      {
        ...good,
        validators: [
          { pubkey: pk, stake: '1' },
          { pubkey: pk.toUpperCase(), stake: '2' },
        ],
      },
      'genesis.duplicate_validator',
    ],
    ['hashesPerTick 1', { ...good, hashesPerTick: 1 }, 'genesis.invalid_field'],
    ['fractional ticksPerSlot', { ...good, ticksPerSlot: 1.5 }, 'genesis.invalid_field'],
  ];
  for (const [name, json, code] of bad) {
    it(`rejects ${name} with ${code}`, () => {
      assert.throws(() => parseGenesis(json), { code });
    });
  }
});
