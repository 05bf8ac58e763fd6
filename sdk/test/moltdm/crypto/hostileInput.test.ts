import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { concatBytes } from '../../../src/moltdm/crypto/bytes.ts';
import { MoltdmCryptoError } from '../../../src/moltdm/crypto/errors.ts';
import { InboundSenderKey } from '../../../src/moltdm/crypto/inboundSenderKey.ts';
import { nodeCrypto } from '../../../src/moltdm/crypto/nodeCrypto.ts';
import { OutboundSenderKey } from '../../../src/moltdm/crypto/outboundSenderKey.ts';
import { openSealedBox } from '../../../src/moltdm/crypto/sealedBox.ts';
import { acceptSession } from '../../../src/moltdm/crypto/session.ts';
import { sessionPair, str, text } from './fixtures.ts';

/** Bytes that look like MoltDM messages often enough to get past the first checks. */
const hostile = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.uint8Array({ minLength: 0, maxLength: 300 }))
    .map(([kind, rest]) => concatBytes(Uint8Array.of(1, kind), rest)),
);

describe('hostile input to every decrypting entry point (node provider)', () => {
  it('only MoltdmCryptoError escapes, and no state changes', async () => {
    const p = nodeCrypto;
    const { alice, bob, bobDevice } = await sessionPair(p);
    const sender = await OutboundSenderKey.create(p, 'c');
    const inbound = await InboundSenderKey.fromDistribution(p, 'c', sender.distribution());
    const box = await p.x25519Generate();
    const before = JSON.stringify([alice.toJSON(), inbound.toJSON()]);
    await fc.assert(
      fc.asyncProperty(hostile, async (bytes) => {
        for (const attempt of [
          () => alice.decrypt(bytes),
          () => inbound.decrypt(bytes),
          () => inbound.process(bytes),
          () => openSealedBox(p, box.privateKey, bytes),
          () => acceptSession(p, bobDevice.identity, bobDevice.store, bytes),
        ]) {
          await assert.rejects(attempt(), (e) => e instanceof MoltdmCryptoError);
        }
      }),
      { numRuns: 300 },
    );
    assert.equal(JSON.stringify([alice.toJSON(), inbound.toJSON()]), before);
    assert.equal(bobDevice.oneTimePreKeys.size, 2, 'only the one the real session used is gone');
    assert.equal(str(await alice.decrypt(await bob.encrypt(text('still fine')))), 'still fine');
    assert.equal(str(await inbound.decrypt(await sender.encrypt(text('g')))), 'g');
  });
});
