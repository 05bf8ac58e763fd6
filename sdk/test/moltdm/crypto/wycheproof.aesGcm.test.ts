import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatBytes, fromHex, toHex } from '../../../src/moltdm/crypto/bytes.ts';
import { isMoltdmCryptoError } from '../../../src/moltdm/crypto/errors.ts';
import { PROVIDERS } from './providers.ts';
import { lazyWycheproof } from './wycheproof.ts';

interface AeadVectors {
  testGroups: {
    keySize: number;
    ivSize: number;
    tagSize: number;
    tests: {
      tcId: number;
      comment: string;
      flags: string[];
      key: string;
      iv: string;
      aad: string;
      msg: string;
      ct: string;
      tag: string;
      result: 'valid' | 'acceptable' | 'invalid';
    }[];
  }[];
}

describe('AES-256-GCM against Wycheproof (the 256-bit key, 96-bit nonce, 128-bit tag subset)', () => {
  const vectors = lazyWycheproof<AeadVectors>('aes_gcm_test.json');
  const ours = () =>
    vectors().testGroups.filter((g) => g.keySize === 256 && g.ivSize === 96 && g.tagSize === 128);
  const others = () => vectors().testGroups.filter((g) => !ours().includes(g));

  for (const p of PROVIDERS) {
    it(`${p.name}: encrypts valid vectors exactly and rejects every modified tag`, async () => {
      let valid = 0;
      let invalid = 0;
      for (const group of ours()) {
        for (const t of group.tests) {
          const label = `tcId ${t.tcId} (${t.flags.join(',')}): ${t.comment}`;
          const key = fromHex(t.key);
          const iv = fromHex(t.iv);
          const aad = fromHex(t.aad);
          const sealed = concatBytes(fromHex(t.ct), fromHex(t.tag));
          if (t.result === 'valid') {
            assert.equal(
              toHex(await p.aesGcmEncrypt(key, iv, fromHex(t.msg), aad)),
              toHex(sealed),
              label,
            );
            assert.equal(toHex(await p.aesGcmDecrypt(key, iv, sealed, aad)), t.msg, label);
            valid += 1;
          } else {
            await assert.rejects(
              p.aesGcmDecrypt(key, iv, sealed, aad),
              (e) => isMoltdmCryptoError(e, 'crypto.decrypt_failed'),
              label,
            );
            invalid += 1;
          }
        }
      }
      assert.ok(valid > 30 && invalid > 10, 'the vector file holds the full suite');
    });

    it(`${p.name}: refuses every other key or nonce size with crypto.bad_argument`, async () => {
      let refused = 0;
      for (const group of others()) {
        for (const t of group.tests) {
          const label = `tcId ${t.tcId} key ${group.keySize} iv ${group.ivSize}`;
          const args = [fromHex(t.key), fromHex(t.iv)] as const;
          await assert.rejects(
            p.aesGcmEncrypt(...args, fromHex(t.msg), fromHex(t.aad)),
            (e) => isMoltdmCryptoError(e, 'crypto.bad_argument'),
            label,
          );
          await assert.rejects(
            p.aesGcmDecrypt(...args, concatBytes(fromHex(t.ct), fromHex(t.tag)), fromHex(t.aad)),
            (e) => isMoltdmCryptoError(e, 'crypto.bad_argument'),
            label,
          );
          refused += 1;
        }
      }
      assert.ok(refused > 100);
    });
  }
});
