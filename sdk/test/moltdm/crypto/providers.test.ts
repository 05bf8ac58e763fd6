import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAllZero, zeroize } from '../../../src/moltdm/crypto/bytes.ts';
import { isMoltdmCryptoError, MoltdmCryptoError } from '../../../src/moltdm/crypto/errors.ts';
import { PROVIDERS } from './providers.ts';

const badArgument = (e: unknown) => isMoltdmCryptoError(e, 'crypto.bad_argument');

for (const p of PROVIDERS) {
  describe(`provider edge checks (${p.name})`, () => {
    it('refuses wrong lengths and non-bytes with crypto.bad_argument', async () => {
      const k = new Uint8Array(32).fill(7);
      const calls: (() => Promise<unknown>)[] = [
        () => p.randomBytes(-1),
        () => p.randomBytes(1.5),
        () => p.hkdfSha256(k, k, new Uint8Array(1025), 32),
        () => p.hkdfSha256(k, k, k, 0),
        () => p.hkdfSha256(k, k, k, 8161),
        () => p.hkdfSha256('x' as unknown as Uint8Array, k, k, 32),
        () => p.aesGcmEncrypt(k.subarray(0, 16), new Uint8Array(12), k, k),
        () => p.aesGcmEncrypt(k, new Uint8Array(16), k, k),
        () => p.aesGcmDecrypt(k, new Uint8Array(8), new Uint8Array(32), k),
        () => p.x25519(k.subarray(1), k),
        () => p.x25519(k, k.subarray(1)),
        () => p.x25519PublicKey(new Uint8Array(33)),
        () => p.ed25519Sign(new Uint8Array(31), k),
        () => p.ed25519PublicKey(new Uint8Array(32)),
      ];
      for (const call of calls) await assert.rejects(call(), badArgument, call.toString());
      await assert.rejects(p.aesGcmDecrypt(k, new Uint8Array(12), new Uint8Array(15), k), (e) =>
        isMoltdmCryptoError(e, 'crypto.decrypt_failed'),
      );
      assert.equal(await p.ed25519Verify(k.subarray(1), k, new Uint8Array(64)), false);
      assert.equal(await p.ed25519Verify(k, k, new Uint8Array(63)), false);
    });

    it('a discarded (zeroed) private key can no longer be used, even if cached', async () => {
      const ed = await p.ed25519Generate();
      const x = await p.x25519Generate();
      const peer = await p.x25519Generate();
      await p.ed25519Sign(ed.privateKey, new Uint8Array(1)); // cache a KeyObject for it
      await p.x25519(x.privateKey, peer.publicKey);
      zeroize(ed.privateKey, x.privateKey);
      assert.ok(isAllZero(ed.privateKey) && isAllZero(x.privateKey));
      await assert.rejects(p.ed25519Sign(ed.privateKey, new Uint8Array(1)), badArgument);
      await assert.rejects(p.x25519(x.privateKey, peer.publicKey), badArgument);
    });

    it('random bytes differ and have the requested length', async () => {
      const [a, b] = [await p.randomBytes(32), await p.randomBytes(32)];
      assert.equal(a.length, 32);
      assert.notDeepEqual(a, b);
      assert.equal((await p.randomBytes(0)).length, 0);
    });
  });
}

describe('MoltdmCryptoError', () => {
  it('carries a stable code, a short message and the docs path', () => {
    const e = new MoltdmCryptoError('crypto.too_far_ahead', 'skips 2000 messages');
    assert.equal(e.code, 'crypto.too_far_ahead');
    assert.equal(e.name, 'MoltdmCryptoError');
    assert.match(e.shortMessage, /^crypto\.too_far_ahead: /);
    assert.equal(e.docsPath, 'docs/moltdm-crypto.md#errors');
    assert.equal(e.details, 'skips 2000 messages');
    assert.ok(isMoltdmCryptoError(e) && !isMoltdmCryptoError(new Error('x')));
  });
});
