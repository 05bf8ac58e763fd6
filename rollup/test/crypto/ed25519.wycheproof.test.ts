import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadWycheproof } from '../../../test/support/vectors.ts';
import { importPublicKey, verifyEd25519 } from '../../src/crypto/ed25519.ts';
import { fromHex } from '../../src/utils/hex.ts';

interface EddsaVectors {
  testGroups: {
    publicKey: { pk: string };
    tests: {
      tcId: number;
      msg: string;
      sig: string;
      result: 'valid' | 'invalid' | 'acceptable';
      comment: string;
    }[];
  }[];
}

describe('Ed25519 verification (signer keys, blocks) against Wycheproof', () => {
  it('accepts every valid vector and rejects every invalid one, without throwing', () => {
    // Loaded inside the test: a missing vector file fails this test (node:test lets an error
    // thrown while a describe body runs pass unnoticed).
    const vectors = loadWycheproof<EddsaVectors>('ed25519_test.json');
    let checked = 0;
    for (const group of vectors.testGroups) {
      const key = importPublicKey(fromHex(group.publicKey.pk, 32) ?? assert.fail('pk'));
      for (const t of group.tests) {
        const got = verifyEd25519(
          key,
          fromHex(t.msg) ?? assert.fail('msg'),
          fromHex(t.sig) ?? new Uint8Array(),
        );
        if (t.result === 'valid') assert.equal(got, true, `tcId ${t.tcId}: ${t.comment}`);
        if (t.result === 'invalid') assert.equal(got, false, `tcId ${t.tcId}: ${t.comment}`);
        checked += 1;
      }
    }
    assert.ok(checked > 100, 'the vector file holds the full suite');
  });
});
