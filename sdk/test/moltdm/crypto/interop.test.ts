import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { toHex } from '../../../src/moltdm/crypto/bytes.ts';
import { DoubleRatchet } from '../../../src/moltdm/crypto/doubleRatchet.ts';
import { InboundSenderKey } from '../../../src/moltdm/crypto/inboundSenderKey.ts';
import { nodeCrypto } from '../../../src/moltdm/crypto/nodeCrypto.ts';
import { OutboundSenderKey } from '../../../src/moltdm/crypto/outboundSenderKey.ts';
import { portableCrypto } from '../../../src/moltdm/crypto/portableCrypto.ts';
import { openSealedBox, sealBox } from '../../../src/moltdm/crypto/sealedBox.ts';
import { sessionPair, str, text } from './fixtures.ts';

const bytes = (min: number, max = min) => fc.uint8Array({ minLength: min, maxLength: max });
const key32 = bytes(32).filter((k) => k.some((b) => b !== 0));
const pairs = [
  [nodeCrypto, portableCrypto],
  [portableCrypto, nodeCrypto],
] as const;

describe('node and portable providers interoperate', () => {
  it('primitives agree on random inputs', async () => {
    await fc.assert(
      fc.asyncProperty(
        key32,
        key32,
        bytes(12),
        bytes(0, 200),
        bytes(0, 40),
        async (k1, k2, nonce, msg, ad) => {
          for (const [a, b] of pairs) {
            const sealed = await a.aesGcmEncrypt(k1, nonce, msg, ad);
            assert.equal(toHex(await b.aesGcmDecrypt(k1, nonce, sealed, ad)), toHex(msg));
            assert.equal(
              toHex(await a.hkdfSha256(msg, k1, ad, 77)),
              toHex(await b.hkdfSha256(msg, k1, ad, 77)),
            );
            assert.equal(toHex(await a.hmacSha256(k1, msg)), toHex(await b.hmacSha256(k1, msg)));
            assert.equal(toHex(await a.sha256(msg)), toHex(await b.sha256(msg)));
            const pub1 = await a.x25519PublicKey(k1);
            const pub2 = await b.x25519PublicKey(k2);
            assert.equal(toHex(pub1), toHex(await b.x25519PublicKey(k1)));
            assert.equal(toHex(await a.x25519(k1, pub2)), toHex(await b.x25519(k2, pub1)));
            const edPub = await a.ed25519PublicKey(k1);
            assert.equal(toHex(edPub), toHex(await b.ed25519PublicKey(k1)));
            const sig = await a.ed25519Sign(k1, msg);
            assert.equal(
              toHex(sig),
              toHex(await b.ed25519Sign(k1, msg)),
              'Ed25519 is deterministic',
            );
            assert.equal(await b.ed25519Verify(edPub, msg, sig), true);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  for (const [a, b] of pairs) {
    it(`${a.name} ↔ ${b.name}: X3DH, ratchet, restore across providers, sender keys, sealed box`, async () => {
      const { alice, bob } = await sessionPair(a, b);
      const m1 = await bob.encrypt(text('from bob'));
      assert.equal(str(await alice.decrypt(m1)), 'from bob');
      const m2 = await alice.encrypt(text('from alice'));
      const bobOnA = await DoubleRatchet.fromJSON(a, bob.toJSON());
      assert.equal(str(await bobOnA.decrypt(m2)), 'from alice');

      const sender = await OutboundSenderKey.create(a, 'conv');
      const receiver = await InboundSenderKey.fromDistribution(b, 'conv', sender.distribution());
      const g0 = await sender.encrypt(text('g0'));
      const g1 = await sender.encrypt(text('g1'));
      assert.equal(str(await receiver.decrypt(g1)), 'g1');
      assert.equal(str(await receiver.decrypt(g0)), 'g0');

      const device = await b.x25519Generate();
      const box = await sealBox(a, device.publicKey, text('bundle'), text('ctx'));
      assert.equal(str(await openSealedBox(b, device.privateKey, box, text('ctx'))), 'bundle');
    });
  }
});
