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

  it('carries identities with their signer keys, communities and the treasury into the hash', () => {
    const g = defaultGenesis([{ pubkey: pk, stake: '5' }], {
      identities: [{ id: '7', stake: '100000000', signers: ['cd'.repeat(32)] }],
      communities: ['general'],
      treasury: '1000',
    });
    const back = parseGenesis(JSON.parse(JSON.stringify(g)));
    assert.deepEqual(back, g);
    assert.notEqual(toHex(genesisHash(g)), toHex(genesisHash(good)));
    assert.notEqual(toHex(genesisHash({ ...g, treasury: '1001' })), toHex(genesisHash(g)));
    assert.notEqual(toHex(genesisHash({ ...g, communities: ['other'] })), toHex(genesisHash(g)));
  });

  const signer = 'cd'.repeat(32);
  const bad: [string, unknown, string][] = [
    [
      'identity id 0',
      { ...good, identities: [{ id: '0', stake: '1', signers: [] }] },
      'genesis.identity_id',
    ],
    [
      'duplicate identity',
      {
        ...good,
        identities: [
          { id: '1', stake: '1', signers: [] },
          { id: '1', stake: '1', signers: [] },
        ],
      },
      'genesis.identity_id',
    ],
    [
      'bad identity stake',
      { ...good, identities: [{ id: '1', stake: '-1', signers: [] }] },
      'genesis.identity_stake',
    ],
    [
      'short signer',
      { ...good, identities: [{ id: '1', stake: '1', signers: ['ab'] }] },
      'genesis.identity_signers',
    ],
    [
      'signer of two identities',
      {
        ...good,
        identities: [
          { id: '1', stake: '1', signers: [signer] },
          { id: '2', stake: '1', signers: [signer] },
        ],
      },
      'genesis.identity_signers',
    ],
    ['bad community name', { ...good, communities: ['No'] }, 'genesis.communities'],
    ['duplicate community', { ...good, communities: ['abc', 'abc'] }, 'genesis.communities'],
    ['numeric treasury', { ...good, treasury: 5 }, 'genesis.treasury'],
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
