import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { equalBytes, fromHex, toHex } from '../../../src/moltdm/crypto/bytes.ts';
import { isMoltdmCryptoError } from '../../../src/moltdm/crypto/errors.ts';
import { PROVIDERS } from './providers.ts';
import { lazyWycheproof } from './wycheproof.ts';

interface HkdfVectors {
  testGroups: {
    tests: {
      tcId: number;
      comment: string;
      ikm: string;
      salt: string;
      info: string;
      size: number;
      okm: string;
      result: 'valid' | 'acceptable' | 'invalid';
    }[];
  }[];
}

interface MacVectors {
  testGroups: {
    keySize: number;
    tagSize: number;
    tests: {
      tcId: number;
      comment: string;
      key: string;
      msg: string;
      tag: string;
      result: 'valid' | 'acceptable' | 'invalid';
    }[];
  }[];
}

describe('HKDF-SHA256 against Wycheproof (root KDF, message keys, X3DH, sealed box)', () => {
  const vectors = lazyWycheproof<HkdfVectors>('hkdf_sha256_test.json');
  for (const p of PROVIDERS) {
    it(`${p.name}: derives every valid vector; oversized output is crypto.bad_argument`, async () => {
      let valid = 0;
      let invalid = 0;
      for (const group of vectors().testGroups) {
        for (const t of group.tests) {
          const label = `tcId ${t.tcId}: ${t.comment}`;
          const run = p.hkdfSha256(fromHex(t.ikm), fromHex(t.salt), fromHex(t.info), t.size);
          if (t.result === 'valid') {
            assert.equal(toHex(await run), t.okm, label);
            valid += 1;
          } else {
            await assert.rejects(run, (e) => isMoltdmCryptoError(e, 'crypto.bad_argument'), label);
            invalid += 1;
          }
        }
      }
      assert.ok(valid > 70 && invalid >= 3, 'the vector file holds the full suite');
    });
  }
});

describe('HMAC-SHA256 against Wycheproof (the chain KDFs; full 32-byte tags only)', () => {
  const vectors = lazyWycheproof<MacVectors>('hmac_sha256_test.json');
  // We never truncate HMAC tags, so only the full-length groups apply.
  const full = () => vectors().testGroups.filter((g) => g.tagSize === 256);
  for (const p of PROVIDERS) {
    it(`${p.name}: every valid tag is reproduced, every modified tag differs`, async () => {
      let valid = 0;
      let invalid = 0;
      for (const group of full()) {
        for (const t of group.tests) {
          const label = `tcId ${t.tcId}: ${t.comment}`;
          const tag = await p.hmacSha256(fromHex(t.key), fromHex(t.msg));
          assert.equal(tag.length, 32);
          const match = equalBytes(tag, fromHex(t.tag));
          assert.equal(match, t.result === 'valid', label);
          if (match) valid += 1;
          else invalid += 1;
        }
      }
      assert.ok(valid > 30 && invalid > 30, 'the vector file holds the full suite');
    });
  }
});
