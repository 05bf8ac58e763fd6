import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodecError } from '../../src/codec/codecError.ts';
import {
  decodeInclusionList,
  encodeInclusionList,
  signInclusionList,
  verifyInclusionList,
} from '../../src/consensus/inclusionList.ts';
import { generateEd25519 } from '../../src/crypto/ed25519.ts';
import { ForcedInclusion } from '../../src/node/forcedInclusion.ts';

const stakes = new Map([
  ['a', 30n],
  ['b', 30n],
  ['c', 40n],
]);

describe('forced inclusion (§7.6 crList)', () => {
  it('lists a tx only after the delay, and only while it is still pending', () => {
    const f = new ForcedInclusion(stakes, 10);
    f.admitted('t1', 5);
    f.admitted('t2', 8);
    assert.deepEqual(
      f.overdue(14, () => true),
      [],
    );
    assert.deepEqual(
      f.overdue(15, () => true),
      ['t1'],
    );
    assert.deepEqual(
      f.overdue(18, (id) => id !== 't1'),
      ['t2'],
    );
    assert.deepEqual(
      f.overdue(19, () => true),
      ['t2'],
      't1 left the mempool and is forgotten',
    );
  });

  it('forces a tx once lists of more than half the stake name it, never on half exactly', () => {
    const f = new ForcedInclusion(stakes, 10);
    assert.deepEqual(f.addList('a', 20, ['t'], 20), [], '30 of 100');
    assert.deepEqual(f.addList('b', 20, ['t'], 21), ['t'], '60 of 100');
    assert.deepEqual(f.addList('c', 20, ['t'], 22), [], 'already forced');
  });

  it('counts each validator once and ignores unknown validators and stale lists', () => {
    const f = new ForcedInclusion(
      new Map([
        ['a', 25n],
        ['b', 25n],
        ['c', 25n],
        ['d', 25n],
      ]),
      10,
    );
    assert.deepEqual(f.addList('a', 20, ['t'], 20), []);
    assert.deepEqual(f.addList('a', 21, ['t'], 21), [], 'the same validator again');
    assert.deepEqual(f.addList('x', 21, ['t'], 21), [], 'not a validator');
    assert.deepEqual(f.addList('b', 21, ['t'], 21), [], 'exactly half is not more than half');
    assert.deepEqual(f.addList('c', 22, ['t'], 22), ['t']);
    assert.deepEqual(f.forcedBefore(22), []);
    assert.deepEqual(f.forcedBefore(23), ['t'], 'binding from the next slot');
    f.removed('t');
    assert.deepEqual(f.forcedBefore(100), [], 'included: no longer forced');
  });

  it('signed lists round-trip, verify, and reject tampering and junk with stable codes', () => {
    const k = generateEd25519();
    const l = signInclusionList(
      { shard: 0, validator: k.publicKey, slot: 9, txIds: [new Uint8Array(32).fill(7)] },
      k.privateKey,
    );
    const bytes = encodeInclusionList(l);
    const back = decodeInclusionList(bytes);
    assert.ok(verifyInclusionList(back));
    const tampered = Uint8Array.from(bytes);
    tampered[44] = (tampered[44] as number) ^ 1; // the slot
    assert.equal(verifyInclusionList(decodeInclusionList(tampered)), false);
    assert.throws(() => decodeInclusionList(bytes.subarray(0, 20)), CodecError);
    assert.throws(() => decodeInclusionList(Uint8Array.of(9, ...bytes.subarray(1))), {
      code: 'codec.inclusion_list_version',
    });
  });
});
