import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatBytes, isAllZero } from '../../../src/moltdm/crypto/bytes.ts';
import { MAX_SKIP, MAX_SKIPPED_KEYS } from '../../../src/moltdm/crypto/constants.ts';
import { DoubleRatchet } from '../../../src/moltdm/crypto/doubleRatchet.ts';
import { isMoltdmCryptoError } from '../../../src/moltdm/crypto/errors.ts';
import { nodeCrypto } from '../../../src/moltdm/crypto/nodeCrypto.ts';
import {
  decodeRatchetMessage,
  encodeRatchetHeader,
  encodeRatchetMessage,
} from '../../../src/moltdm/crypto/wire.ts';
import { sessionPair, str, text } from './fixtures.ts';
import { PROVIDERS } from './providers.ts';

const code = (c: string) => (e: unknown) => isMoltdmCryptoError(e) && e.code === c;
const snapshot = (s: DoubleRatchet): string => JSON.stringify(s.toJSON());

/** Rewrites a ratchet message's header fields (the AEAD then fails, as for any forgery). */
function reheader(
  bytes: Uint8Array,
  change: Partial<{ dh: Uint8Array; previousChainLength: number; messageNumber: number }>,
): Uint8Array {
  const m = decodeRatchetMessage(bytes);
  return encodeRatchetMessage(encodeRatchetHeader({ ...m, ...change }), m.ciphertext);
}

async function sendMany(s: DoubleRatchet, n: number, prefix: string): Promise<Uint8Array[]> {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await s.encrypt(text(`${prefix}${i}`)));
  return out;
}

for (const p of PROVIDERS) {
  describe(`Double Ratchet (${p.name})`, () => {
    it('ping-pong over several DH ratchet steps, in order', async () => {
      const { alice, bob } = await sessionPair(p);
      for (let turn = 0; turn < 4; turn++) {
        const [a, b] = turn % 2 === 0 ? [bob, alice] : [alice, bob];
        const msgs = await sendMany(a, 3, `t${turn}-`);
        for (const [i, m] of msgs.entries()) assert.equal(str(await b.decrypt(m)), `t${turn}-${i}`);
      }
    });

    it('out of order within and across chains; each message decrypts exactly once', async () => {
      const { alice, bob } = await sessionPair(p);
      const chain1 = await sendMany(bob, 4, 'b1-');
      assert.equal(str(await alice.decrypt(chain1[3] as Uint8Array)), 'b1-3');
      const reply = await sendMany(alice, 2, 'a-');
      assert.equal(str(await bob.decrypt(reply[1] as Uint8Array)), 'a-1');
      const chain2 = await sendMany(bob, 3, 'b2-');
      // Deliver the new chain first, then the old chain's late messages, then the rest.
      assert.equal(str(await alice.decrypt(chain2[2] as Uint8Array)), 'b2-2');
      assert.equal(str(await alice.decrypt(chain1[0] as Uint8Array)), 'b1-0');
      assert.equal(str(await alice.decrypt(chain2[0] as Uint8Array)), 'b2-0');
      assert.equal(str(await alice.decrypt(chain1[2] as Uint8Array)), 'b1-2');
      assert.equal(str(await alice.decrypt(chain1[1] as Uint8Array)), 'b1-1');
      assert.equal(str(await alice.decrypt(chain2[1] as Uint8Array)), 'b2-1');
      assert.equal(str(await bob.decrypt(reply[0] as Uint8Array)), 'a-0');
      for (const m of [...chain1, ...chain2]) {
        await assert.rejects(alice.decrypt(m), code('crypto.duplicate_message'));
      }
      for (const m of reply) await assert.rejects(bob.decrypt(m), code('crypto.duplicate_message'));
      assert.deepEqual(alice.toJSON().skipped, []);
    });

    it('forged, corrupted and malformed messages leave the state byte for byte unchanged', async () => {
      const { alice, bob } = await sessionPair(p);
      const [m0, m1, m2] = await sendMany(bob, 3, 'b');
      assert.ok(m0 && m1 && m2);
      assert.equal(str(await alice.decrypt(m1)), 'b1'); // m0 is now a skipped key
      const before = snapshot(alice);
      const flipped = m2.slice();
      flipped[flipped.length - 3] = (flipped[flipped.length - 3] as number) ^ 1;
      const attacker = (await p.x25519Generate()).publicKey;
      const attempts: [Uint8Array, string][] = [
        [flipped, 'crypto.decrypt_failed'],
        [reheader(m2, { messageNumber: 5 }), 'crypto.decrypt_failed'],
        [reheader(m0, { previousChainLength: 9 }), 'crypto.decrypt_failed'], // skipped key, bad AD
        [reheader(m2, { dh: attacker }), 'crypto.decrypt_failed'], // forces a DH ratchet step
        [reheader(m2, { dh: new Uint8Array(32) }), 'crypto.low_order_point'],
        [reheader(m2, { messageNumber: 1 + MAX_SKIP + 2 }), 'crypto.too_far_ahead'],
        [reheader(m2, { dh: attacker, messageNumber: MAX_SKIP + 1 }), 'crypto.too_far_ahead'],
        [m2.subarray(0, 50), 'crypto.malformed'],
        [concatBytes(Uint8Array.of(2), m2.subarray(1)), 'crypto.malformed'],
        [m1, 'crypto.duplicate_message'],
      ];
      for (const [bytes, c] of attempts) {
        await assert.rejects(alice.decrypt(bytes), code(c), c);
        assert.equal(snapshot(alice), before, `state changed by a ${c} message`);
      }
      assert.equal(str(await alice.decrypt(m2)), 'b2');
      assert.equal(str(await alice.decrypt(m0)), 'b0');
    });

    it('concurrent decrypts are serialized: all succeed, none twice', async () => {
      const { alice, bob } = await sessionPair(p);
      const msgs = await sendMany(bob, 6, 'c');
      const order = [5, 0, 3, 1, 4, 2, 3, 5];
      const results = await Promise.allSettled(
        order.map((i) => alice.decrypt(msgs[i] as Uint8Array)),
      );
      const ok = results.filter((r) => r.status === 'fulfilled').map((r) => str(r.value));
      assert.deepEqual(ok.sort(), ['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
      assert.equal(results.filter((r) => r.status === 'rejected').length, 2);
    });

    it('round-trips through JSON mid-conversation, pending skipped keys included', async () => {
      const { alice, bob } = await sessionPair(p);
      const early = await sendMany(bob, 3, 'e');
      assert.equal(str(await alice.decrypt(early[2] as Uint8Array)), 'e2');
      const aliceJson = JSON.parse(JSON.stringify(alice.toJSON())) as unknown;
      const bobJson = JSON.parse(JSON.stringify(bob.toJSON())) as unknown;
      const alice2 = await DoubleRatchet.fromJSON(p, aliceJson);
      const bob2 = await DoubleRatchet.fromJSON(p, bobJson);
      assert.deepEqual(alice2.toJSON(), alice.toJSON());
      assert.equal(str(await alice2.decrypt(early[0] as Uint8Array)), 'e0');
      const a = await alice2.encrypt(text('after restore'));
      assert.equal(str(await bob2.decrypt(a)), 'after restore');
      const b = await bob2.encrypt(text('and back'));
      assert.equal(str(await alice2.decrypt(b)), 'and back');
      assert.equal(str(await alice2.decrypt(early[1] as Uint8Array)), 'e1');
    });

    it('refuses invalid persisted state with crypto.bad_state', async () => {
      const { alice } = await sessionPair(p);
      const good = alice.toJSON() as Record<string, unknown>;
      const other = (await p.x25519Generate()).publicKey;
      const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
      const bad: unknown[] = [
        null,
        'x',
        { ...good, v: 2 },
        { ...good, type: 'moltdm.other' },
        { ...good, rootKey: 'not base64!' },
        { ...good, rootKey: b64(new Uint8Array(31)) },
        { ...good, sendCount: -1 },
        { ...good, sendCount: 1.5 },
        { ...good, sendingPublicKey: b64(other) },
        { ...good, skipped: [{ dh: b64(other), n: 0 }] },
        { ...good, skipped: 'none' },
        { ...good, closedChains: ['zz'] },
        { ...good, pendingPreKey: { baseKey: 1 } },
        { ...good, associatedData: undefined },
      ];
      for (const json of bad) {
        await assert.rejects(
          DoubleRatchet.fromJSON(p, json),
          code('crypto.bad_state'),
          JSON.stringify(json)?.slice(0, 80),
        );
      }
    });

    it('destroy() wipes the keys and refuses further use', async () => {
      const { alice } = await sessionPair(p);
      alice.destroy();
      await assert.rejects(alice.encrypt(text('x')), code('crypto.bad_state'));
      assert.throws(() => alice.toJSON(), code('crypto.bad_state'));
    });

    it('a responder cannot send before it has received', async () => {
      const kp = await p.x25519Generate();
      const s = await DoubleRatchet.respond(p, {
        sharedSecret: new Uint8Array(32).fill(1),
        associatedData: new Uint8Array(128),
        signedPreKey: kp,
        baseKey: kp.publicKey,
      });
      await assert.rejects(s.encrypt(text('x')), code('crypto.bad_state'));
      assert.ok(!isAllZero(kp.privateKey), 'the pre-key pair itself is not consumed');
    });
  });
}

describe('Double Ratchet bounds (node provider: thousands of messages)', () => {
  const p = nodeCrypto;
  it(`MAX_SKIP: a jump of exactly ${MAX_SKIP} is accepted, one more is crypto.too_far_ahead`, async () => {
    const { alice, bob } = await sessionPair(p);
    const msgs = await sendMany(bob, MAX_SKIP + 3, 'm');
    const before = snapshot(alice);
    await assert.rejects(
      alice.decrypt(msgs[MAX_SKIP + 1] as Uint8Array),
      code('crypto.too_far_ahead'),
    );
    assert.equal(snapshot(alice), before);
    assert.equal(str(await alice.decrypt(msgs[MAX_SKIP] as Uint8Array)), `m${MAX_SKIP}`);
    // Same chain now: from position MAX_SKIP + 1, the next jump is bounded again.
    assert.equal(str(await alice.decrypt(msgs[MAX_SKIP + 2] as Uint8Array)), `m${MAX_SKIP + 2}`);
    assert.equal((alice.toJSON().skipped as unknown[]).length, MAX_SKIP + 1);
    assert.equal(str(await alice.decrypt(msgs[7] as Uint8Array)), 'm7');
  });

  it(`stores at most ${MAX_SKIPPED_KEYS} skipped keys, evicting the oldest`, async () => {
    const { alice, bob } = await sessionPair(p);
    const chains: Uint8Array[][] = [];
    for (let c = 0; c < 3; c++) {
      const msgs = await sendMany(bob, MAX_SKIP, `c${c}-`);
      chains.push(msgs);
      assert.equal(
        str(await alice.decrypt(msgs[MAX_SKIP - 1] as Uint8Array)),
        `c${c}-${MAX_SKIP - 1}`,
      );
      await bob.decrypt(await alice.encrypt(text('turn')));
    }
    assert.equal((alice.toJSON().skipped as unknown[]).length, MAX_SKIPPED_KEYS);
    const evicted = 3 * (MAX_SKIP - 1) - MAX_SKIPPED_KEYS;
    const c0 = chains[0] as Uint8Array[];
    await assert.rejects(alice.decrypt(c0[0] as Uint8Array), code('crypto.duplicate_message'));
    await assert.rejects(
      alice.decrypt(c0[evicted - 1] as Uint8Array),
      code('crypto.duplicate_message'),
    );
    assert.equal(str(await alice.decrypt(c0[evicted] as Uint8Array)), `c0-${evicted}`);
    assert.equal(str(await alice.decrypt((chains[2] as Uint8Array[])[0] as Uint8Array)), 'c2-0');
  });
});
