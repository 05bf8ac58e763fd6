import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex } from '../../../src/moltdm/crypto/bytes.ts';
import { PROVIDERS } from './providers.ts';
import { lazyWycheproof } from './wycheproof.ts';

interface EddsaVectors {
  testGroups: {
    publicKey: { pk: string };
    tests: {
      tcId: number;
      comment: string;
      flags: string[];
      msg: string;
      sig: string;
      result: 'valid' | 'acceptable' | 'invalid';
    }[];
  }[];
}

describe('Ed25519 verification against Wycheproof (identity keys, pre-keys, sender-key messages)', () => {
  const vectors = lazyWycheproof<EddsaVectors>('ed25519_test.json');
  for (const p of PROVIDERS) {
    it(`${p.name}: valid signatures verify, every invalid one is refused without throwing`, async () => {
      let valid = 0;
      let invalid = 0;
      for (const group of vectors().testGroups) {
        const pk = fromHex(group.publicKey.pk);
        for (const t of group.tests) {
          const label = `tcId ${t.tcId} (${t.flags.join(',')}): ${t.comment}`;
          const got = await p.ed25519Verify(pk, fromHex(t.msg), fromHex(t.sig));
          assert.notEqual(t.result, 'acceptable', `${label}: no acceptable vectors expected`);
          assert.equal(got, t.result === 'valid', label);
          if (got) valid += 1;
          else invalid += 1;
        }
      }
      assert.ok(valid > 80 && invalid > 50, 'the vector file holds the full suite');
    });
  }
});
