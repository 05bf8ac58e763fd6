import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatBytes } from '../../../src/moltdm/crypto/bytes.ts';
import { isMoltdmCryptoError } from '../../../src/moltdm/crypto/errors.ts';
import { openSealedBox, sealBox } from '../../../src/moltdm/crypto/sealedBox.ts';
import { str, text } from './fixtures.ts';
import { PROVIDERS } from './providers.ts';

const code = (c: string) => (e: unknown) => isMoltdmCryptoError(e) && e.code === c;

for (const p of PROVIDERS) {
  describe(`sealed box (${p.name})`, () => {
    it('round-trips to the recipient, with and without context', async () => {
      const device = await p.x25519Generate();
      const box = await sealBox(p, device.publicKey, text('link bundle'));
      assert.equal(str(await openSealedBox(p, device.privateKey, box)), 'link bundle');
      const ctx = text('pair:XYZ78901');
      const boxed = await sealBox(p, device.publicKey, text('with context'), ctx);
      assert.equal(str(await openSealedBox(p, device.privateKey, boxed, ctx)), 'with context');
      assert.equal(
        str(
          await openSealedBox(
            p,
            device.privateKey,
            await sealBox(p, device.publicKey, new Uint8Array()),
          ),
        ),
        '',
      );
      const again = await sealBox(p, device.publicKey, text('link bundle'));
      assert.notDeepEqual(again, box, 'a fresh ephemeral key per box');
    });

    it('any tampering, another recipient or another context is crypto.decrypt_failed', async () => {
      const device = await p.x25519Generate();
      const other = await p.x25519Generate();
      const ctx = text('pair:token');
      const box = await sealBox(p, device.publicKey, text('secret'), ctx);
      for (let at = 2; at < box.length; at += 7) {
        const t = box.slice();
        t[at] = (t[at] as number) ^ 0x01;
        await assert.rejects(
          openSealedBox(p, device.privateKey, t, ctx),
          (e) =>
            isMoltdmCryptoError(e, 'crypto.decrypt_failed') ||
            isMoltdmCryptoError(e, 'crypto.low_order_point'),
        );
      }
      await assert.rejects(
        openSealedBox(p, other.privateKey, box, ctx),
        code('crypto.decrypt_failed'),
      );
      await assert.rejects(
        openSealedBox(p, device.privateKey, box, text('pair:other')),
        code('crypto.decrypt_failed'),
      );
      await assert.rejects(openSealedBox(p, device.privateKey, box), code('crypto.decrypt_failed'));
      await assert.rejects(
        openSealedBox(p, device.privateKey, box.subarray(0, 40), ctx),
        code('crypto.malformed'),
      );
      const lowOrder = concatBytes(box.subarray(0, 2), new Uint8Array(32), box.subarray(34));
      await assert.rejects(
        openSealedBox(p, device.privateKey, lowOrder, ctx),
        code('crypto.low_order_point'),
      );
      await assert.rejects(
        sealBox(p, new Uint8Array(32), text('x')),
        code('crypto.low_order_point'),
      );
    });
  });
}
