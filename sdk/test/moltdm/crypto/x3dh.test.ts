import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatBytes, isAllZero, toHex } from '../../../src/moltdm/crypto/bytes.ts';
import { isMoltdmCryptoError } from '../../../src/moltdm/crypto/errors.ts';
import { acceptSession, initiateSession } from '../../../src/moltdm/crypto/session.ts';
import { decodePreKeyMessage, encodePreKeyMessage } from '../../../src/moltdm/crypto/wire.ts';
import { x3dhInitiate } from '../../../src/moltdm/crypto/x3dh.ts';
import { createDevice, str, text } from './fixtures.ts';
import { PROVIDERS } from './providers.ts';

const code = (c: string) => (e: unknown) => isMoltdmCryptoError(e) && e.code === c;

/** Re-encodes a pre-key message with some fields replaced. */
function tamper(
  message: Uint8Array,
  change: (
    m: ReturnType<typeof decodePreKeyMessage>,
  ) => Partial<ReturnType<typeof decodePreKeyMessage>>,
): Uint8Array {
  const m = decodePreKeyMessage(message);
  const next = { ...m, ...change(m) };
  const inner = concatBytes(next.message.header, next.message.ciphertext);
  return encodePreKeyMessage(next, inner);
}

for (const p of PROVIDERS) {
  describe(`X3DH session setup (${p.name})`, () => {
    for (const kind of ['oneTime', 'lastResort', 'none'] as const) {
      it(`DH4 with ${kind === 'none' ? 'no pre-key' : `the ${kind} pre-key`}: both sides agree and talk`, async () => {
        const withOneTime = kind === 'oneTime';
        const alice = await createDevice(p);
        const bob = await createDevice(p);
        const bundle = bob.bundle(kind);
        const session = await initiateSession(p, alice.identity, bundle);
        assert.equal(session.awaitingReply, true);
        const first = await session.encrypt(text('hi bob'));
        const pre = decodePreKeyMessage(first);
        assert.equal(pre.oneTimePreKeyId, bundle.oneTimePreKey?.id);
        assert.equal(pre.lastResortPreKeyId, bundle.lastResortPreKey?.id);
        assert.equal(pre.lastResortPreKeyId !== undefined, kind === 'lastResort');
        const opk = withOneTime ? bob.oneTimePreKeys.get(pre.oneTimePreKeyId ?? -1) : undefined;

        const accepted = await acceptSession(p, bob.identity, bob.store, first);
        assert.equal(str(accepted.plaintext), 'hi bob');
        assert.equal(toHex(accepted.initiator.signingKey), toHex(alice.identity.signing.publicKey));
        // AD = initiator (signing || X25519 identity) || responder (signing || X25519 identity).
        const ad = concatBytes(
          alice.identity.signing.publicKey,
          alice.identity.identityKey.publicKey,
          bob.identity.signing.publicKey,
          bob.identity.identityKey.publicKey,
        );
        assert.equal(toHex(session.associatedData), toHex(ad));
        assert.equal(toHex(accepted.session.associatedData), toHex(ad));
        assert.equal(toHex(accepted.session.baseKey), toHex(session.baseKey));
        if (withOneTime) {
          assert.ok(opk !== undefined);
          assert.equal(bob.oneTimePreKeys.has(opk.id), false, 'one-time pre-key deleted');
          assert.ok(isAllZero(opk.keyPair.privateKey), 'one-time pre-key private key wiped');
          await assert.rejects(
            acceptSession(p, bob.identity, bob.store, first),
            code('crypto.unknown_prekey'),
          );
        } else {
          assert.equal(bob.oneTimePreKeys.size, 3, 'no one-time pre-key consumed');
          assert.ok(!isAllZero(bob.lastResortPreKey.keyPair.privateKey), 'last resort kept');
        }

        const reply = await accepted.session.encrypt(text('hi alice'));
        assert.equal(str(await session.decrypt(reply)), 'hi alice');
        assert.equal(session.awaitingReply, false);
        const after = await session.encrypt(text('ratchet message now'));
        assert.equal(after[1], 2, 'a plain ratchet message once the reply arrived');
        assert.equal(str(await accepted.session.decrypt(after)), 'ratchet message now');
      });
    }

    it('refuses a bundle whose signed pre-key signature does not verify', async () => {
      const alice = await createDevice(p);
      const bob = await createDevice(p);
      const mallory = await createDevice(p);
      const good = bob.bundle();
      const flipped = good.signedPreKey.signature.slice();
      flipped[5] = (flipped[5] as number) ^ 1;
      const lastResort = bob.bundle('lastResort').lastResortPreKey;
      assert.ok(lastResort !== undefined);
      const bad = [
        { ...good, signedPreKey: { ...good.signedPreKey, signature: flipped } },
        // The signed pre-key's signature is not valid for the last-resort domain, nor vice versa.
        {
          identity: good.identity,
          signedPreKey: good.signedPreKey,
          lastResortPreKey: { ...good.signedPreKey, id: lastResort.id },
        },
        { ...good, signedPreKey: { ...lastResort, id: good.signedPreKey.id } },
        // Mallory's pre-key, validly signed by Mallory, presented as Bob's.
        { ...good, signedPreKey: mallory.bundle().signedPreKey },
        { ...good, signedPreKey: { ...good.signedPreKey, id: good.signedPreKey.id + 1 } },
      ];
      for (const bundle of bad) {
        await assert.rejects(x3dhInitiate(p, alice.identity, bundle), code('crypto.bad_signature'));
      }
      // Bob's signing key with Mallory's X25519 identity key.
      const swapped = {
        ...good,
        identity: { ...good.identity, identityKey: mallory.identity.identityKey.publicKey },
      };
      await assert.rejects(x3dhInitiate(p, alice.identity, swapped), code('crypto.bad_signature'));
    });

    it('the responder refuses an initiator identity key its signing key did not sign', async () => {
      const alice = await createDevice(p);
      const bob = await createDevice(p);
      const mallory = await createDevice(p);
      const first = await (await initiateSession(p, alice.identity, bob.bundle())).encrypt(
        text('x'),
      );
      const forged = tamper(first, (m) => ({
        initiator: { ...m.initiator, signingKey: mallory.identity.signing.publicKey },
      }));
      await assert.rejects(
        acceptSession(p, bob.identity, bob.store, forged),
        code('crypto.bad_signature'),
      );
      assert.equal(bob.oneTimePreKeys.size, 3, 'nothing consumed');
    });

    it('a corrupted initial message fails without burning the one-time pre-key', async () => {
      const alice = await createDevice(p);
      const bob = await createDevice(p);
      const first = await (await initiateSession(p, alice.identity, bob.bundle())).encrypt(
        text('x'),
      );
      const corrupt = first.slice();
      corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] as number) ^ 0x80;
      await assert.rejects(
        acceptSession(p, bob.identity, bob.store, corrupt),
        code('crypto.decrypt_failed'),
      );
      const otherBase = tamper(first, () => ({ baseKey: alice.identity.identityKey.publicKey }));
      await assert.rejects(
        acceptSession(p, bob.identity, bob.store, otherBase),
        code('crypto.decrypt_failed'),
      );
      const lowOrder = tamper(first, () => ({ baseKey: new Uint8Array(32) }));
      await assert.rejects(
        acceptSession(p, bob.identity, bob.store, lowOrder),
        code('crypto.low_order_point'),
      );
      assert.equal(bob.oneTimePreKeys.size, 3);
      for (const k of bob.oneTimePreKeys.values()) assert.ok(!isAllZero(k.keyPair.privateKey));
      const accepted = await acceptSession(p, bob.identity, bob.store, first);
      assert.equal(str(accepted.plaintext), 'x');
    });

    it('unknown pre-key ids are crypto.unknown_prekey', async () => {
      const alice = await createDevice(p);
      const bob = await createDevice(p);
      const first = await (await initiateSession(p, alice.identity, bob.bundle())).encrypt(
        text('x'),
      );
      await assert.rejects(
        acceptSession(
          p,
          bob.identity,
          bob.store,
          tamper(first, () => ({ signedPreKeyId: 99 })),
        ),
        code('crypto.unknown_prekey'),
      );
      await assert.rejects(
        acceptSession(
          p,
          bob.identity,
          bob.store,
          tamper(first, () => ({ oneTimePreKeyId: 99 })),
        ),
        code('crypto.unknown_prekey'),
      );
    });

    it('messages sent before the first reply all carry the X3DH header and decrypt in order or not', async () => {
      const alice = await createDevice(p);
      const bob = await createDevice(p);
      const session = await initiateSession(p, alice.identity, bob.bundle());
      const m = [];
      for (let i = 0; i < 3; i++) m.push(await session.encrypt(text(`m${i}`)));
      for (const x of m) assert.equal(x[1], 1, 'pre-key message');
      const accepted = await acceptSession(p, bob.identity, bob.store, m[2] as Uint8Array);
      assert.equal(str(accepted.plaintext), 'm2');
      assert.equal(str(await accepted.session.decrypt(m[0] as Uint8Array)), 'm0');
      assert.equal(str(await accepted.session.decrypt(m[1] as Uint8Array)), 'm1');
      await assert.rejects(
        accepted.session.decrypt(m[1] as Uint8Array),
        code('crypto.duplicate_message'),
      );
      // A pre-key message of another session is routed wrongly: refused, state untouched.
      const other = await (await initiateSession(p, alice.identity, bob.bundle())).encrypt(
        text('y'),
      );
      await assert.rejects(accepted.session.decrypt(other), code('crypto.bad_state'));
    });
  });
}
