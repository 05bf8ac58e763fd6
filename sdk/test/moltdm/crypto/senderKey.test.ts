import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SKIP } from '../../../src/moltdm/crypto/constants.ts';
import type { DoubleRatchet } from '../../../src/moltdm/crypto/doubleRatchet.ts';
import { isMoltdmCryptoError } from '../../../src/moltdm/crypto/errors.ts';
import { InboundSenderKey } from '../../../src/moltdm/crypto/inboundSenderKey.ts';
import { kdfChain } from '../../../src/moltdm/crypto/kdf.ts';
import { nodeCrypto } from '../../../src/moltdm/crypto/nodeCrypto.ts';
import { OutboundSenderKey } from '../../../src/moltdm/crypto/outboundSenderKey.ts';
import type { CryptoProvider } from '../../../src/moltdm/crypto/provider.ts';
import { openSenderKeyMessage } from '../../../src/moltdm/crypto/senderKeyCrypto.ts';
import { acceptSession, initiateSession } from '../../../src/moltdm/crypto/session.ts';
import {
  decodeSenderKeyDistribution,
  decodeSenderKeyMessage,
  encodeConversationId,
} from '../../../src/moltdm/crypto/wire.ts';
import { createDevice, str, type TestDevice, text } from './fixtures.ts';
import { PROVIDERS } from './providers.ts';

const code = (c: string) => (e: unknown) => isMoltdmCryptoError(e) && e.code === c;
const CONV = 'group-42';

/** A member: its device, pairwise sessions to the others, its sender key, peers' sender keys. */
interface Member {
  readonly name: string;
  readonly device: TestDevice;
  readonly sessions: Map<string, DoubleRatchet>;
  sender: OutboundSenderKey;
  readonly inbound: Map<string, InboundSenderKey>;
}

async function member(p: CryptoProvider, name: string): Promise<Member> {
  return {
    name,
    device: await createDevice(p, 8),
    sessions: new Map(),
    sender: await OutboundSenderKey.create(p, CONV),
    inbound: new Map(),
  };
}

/** Pairwise Double Ratchet sessions (X3DH) between two members. */
async function connect(p: CryptoProvider, a: Member, b: Member): Promise<void> {
  const s = await initiateSession(p, a.device.identity, b.device.bundle());
  const accepted = await acceptSession(
    p,
    b.device.identity,
    b.device.store,
    await s.encrypt(text('hi')),
  );
  await s.decrypt(await accepted.session.encrypt(text('hi back')));
  a.sessions.set(b.name, s);
  b.sessions.set(a.name, accepted.session);
}

/** `from` sends its current distribution to each of `to` over their pairwise sessions. */
async function distribute(p: CryptoProvider, from: Member, to: readonly Member[]): Promise<void> {
  for (const m of to) {
    const wire = await (from.sessions.get(m.name) as DoubleRatchet).encrypt(
      from.sender.distribution(),
    );
    const dist = await (m.sessions.get(from.name) as DoubleRatchet).decrypt(wire);
    const held = m.inbound.get(from.name);
    if (held === undefined)
      m.inbound.set(from.name, await InboundSenderKey.fromDistribution(p, CONV, dist));
    else await held.process(dist);
  }
}

const read = (m: Member, from: Member, bytes: Uint8Array): Promise<Uint8Array> => {
  const key = m.inbound.get(from.name);
  if (key === undefined) throw new Error(`${m.name} holds no key of ${from.name}`);
  return key.decrypt(bytes);
};

async function groupOfThree(p: CryptoProvider): Promise<[Member, Member, Member]> {
  const [a, b, c] = [await member(p, 'a'), await member(p, 'b'), await member(p, 'c')];
  await connect(p, a, b);
  await connect(p, a, c);
  await connect(p, b, c);
  for (const m of [a, b, c])
    await distribute(
      p,
      m,
      [a, b, c].filter((x) => x !== m),
    );
  return [a, b, c];
}

for (const p of PROVIDERS) {
  describe(`Sender Keys for groups (${p.name})`, () => {
    it('a group of three: everyone reads everyone, in or out of order, once', async () => {
      const [a, b, c] = await groupOfThree(p);
      for (const s of [a, b, c]) {
        const msgs: Uint8Array[] = [];
        for (let i = 0; i < 3; i++) msgs.push(await s.sender.encrypt(text(`${s.name}${i}`)));
        for (const r of [a, b, c].filter((x) => x !== s)) {
          for (const i of [2, 0, 1])
            assert.equal(str(await read(r, s, msgs[i] as Uint8Array)), `${s.name}${i}`);
          await assert.rejects(read(r, s, msgs[1] as Uint8Array), code('crypto.duplicate_message'));
        }
      }
    });

    it('a removed member cannot read anything sent after the rotation', async () => {
      const [a, b, c] = await groupOfThree(p);
      const before = await a.sender.encrypt(text('before'));
      assert.equal(str(await read(c, a, before)), 'before');
      const oldDistribution = decodeSenderKeyDistribution(a.sender.distribution());
      // c is removed: every remaining member rotates and redistributes to the others only.
      for (const m of [a, b]) {
        await m.sender.rotate();
        await distribute(
          p,
          m,
          [a, b].filter((x) => x !== m),
        );
      }
      assert.equal(a.sender.version, 2);
      const after = await a.sender.encrypt(text('after'));
      assert.equal(str(await read(b, a, after)), 'after');
      await assert.rejects(read(c, a, after), code('crypto.unknown_sender_key'));
      const fromB = await b.sender.encrypt(text('b after'));
      await assert.rejects(read(c, b, fromB), code('crypto.unknown_sender_key'));
      // Even running the old chain forward, c finds no key that opens the new message.
      const m = decodeSenderKeyMessage(after);
      let ck = oldDistribution.chainKey;
      for (let i = 0; i < 64; i++) {
        const step = await kdfChain(p, ck);
        await assert.rejects(
          openSenderKeyMessage(
            p,
            step.messageKey,
            encodeConversationId(CONV),
            m.signed.subarray(0, 10),
            m.ciphertext,
          ),
          code('crypto.decrypt_failed'),
        );
        ck = step.chainKey;
      }
    });

    it('a newcomer given the current distribution cannot read earlier messages', async () => {
      const [a] = await groupOfThree(p);
      const earlier = [];
      for (let i = 0; i < 3; i++) earlier.push(await a.sender.encrypt(text(`e${i}`)));
      const d = await member(p, 'd');
      await connect(p, a, d);
      await distribute(p, a, [d]);
      const later = await a.sender.encrypt(text('welcome'));
      assert.equal(str(await read(d, a, later)), 'welcome');
      for (const m of earlier) await assert.rejects(read(d, a, m), code('crypto.key_unavailable'));
      // After a rotation, a newcomer holding only version 2 refuses version 1 outright.
      await a.sender.rotate();
      const e = await member(p, 'e');
      await connect(p, a, e);
      await distribute(p, a, [e]);
      await assert.rejects(read(e, a, later), code('crypto.stale_version'));
    });

    it('forged or re-attributed messages fail the signature check and change nothing', async () => {
      const [a, b, c] = await groupOfThree(p);
      const m = await a.sender.encrypt(text('signed'));
      const key = b.inbound.get('a') as InboundSenderKey;
      const before = JSON.stringify(key.toJSON());
      const flips = [m.length - 1, m.length - 70, 12];
      for (const at of flips) {
        const forged = m.slice();
        forged[at] = (forged[at] as number) ^ 1;
        await assert.rejects(key.decrypt(forged), code('crypto.bad_signature'));
      }
      // c's own valid message presented as a's (same version and index).
      const byC = await c.sender.encrypt(text('not from a'));
      await assert.rejects(key.decrypt(byC), code('crypto.bad_signature'));
      await assert.rejects(key.decrypt(m.subarray(0, 40)), code('crypto.malformed'));
      assert.equal(JSON.stringify(key.toJSON()), before);
      assert.equal(str(await key.decrypt(m)), 'signed');
    });

    it('keeps the previous version for late messages until dropped or rotated again', async () => {
      const [a, b] = await groupOfThree(p);
      const late = await a.sender.encrypt(text('late v1'));
      const late2 = await a.sender.encrypt(text('late v1 #2'));
      await a.sender.rotate();
      await distribute(p, a, [b]);
      const key = b.inbound.get('a') as InboundSenderKey;
      assert.deepEqual([key.version, key.previousVersion], [2, 1]);
      assert.equal(str(await read(b, a, late)), 'late v1');
      key.dropPrevious();
      await assert.rejects(read(b, a, late2), code('crypto.stale_version'));
      await a.sender.rotate();
      await distribute(p, a, [b]);
      assert.deepEqual([key.version, key.previousVersion], [3, 2]);
    });

    it('distribution updates: unchanged, key conflict, stale, wrong conversation', async () => {
      const sender = await OutboundSenderKey.create(p, CONV);
      const v1 = sender.distribution();
      const key = await InboundSenderKey.fromDistribution(p, CONV, v1);
      assert.equal(await key.process(v1), 'unchanged');
      const impostor = await OutboundSenderKey.create(p, CONV);
      await assert.rejects(key.process(impostor.distribution()), code('crypto.key_conflict'));
      await sender.rotate();
      assert.equal(await key.process(sender.distribution()), 'installed');
      await assert.rejects(key.process(v1), code('crypto.stale_version'));
      const elsewhere = await OutboundSenderKey.create(p, 'another');
      await assert.rejects(
        key.process(elsewhere.distribution()),
        code('crypto.wrong_conversation'),
      );
      await assert.rejects(
        InboundSenderKey.fromDistribution(p, CONV, elsewhere.distribution()),
        code('crypto.wrong_conversation'),
      );
    });

    it('outbound and inbound state round-trip through JSON mid-stream', async () => {
      const sender = await OutboundSenderKey.create(p, CONV);
      const key = await InboundSenderKey.fromDistribution(p, CONV, sender.distribution());
      const m0 = await sender.encrypt(text('m0'));
      const m1 = await sender.encrypt(text('m1'));
      assert.equal(str(await key.decrypt(m1)), 'm1');
      const sender2 = await OutboundSenderKey.fromJSON(
        p,
        JSON.parse(JSON.stringify(sender.toJSON())),
      );
      const key2 = await InboundSenderKey.fromJSON(p, JSON.parse(JSON.stringify(key.toJSON())));
      assert.equal(str(await key2.decrypt(m0)), 'm0');
      assert.equal(str(await key2.decrypt(await sender2.encrypt(text('m2')))), 'm2');
      const bad = {
        ...(sender.toJSON() as Record<string, unknown>),
        signingPublicKey: Buffer.alloc(32, 1).toString('base64'),
      };
      await assert.rejects(OutboundSenderKey.fromJSON(p, bad), code('crypto.bad_state'));
      await assert.rejects(
        InboundSenderKey.fromJSON(p, { ...key.toJSON(), v: 9 }),
        code('crypto.bad_state'),
      );
      await assert.rejects(
        InboundSenderKey.fromJSON(p, { ...key.toJSON(), current: {} }),
        code('crypto.bad_state'),
      );
      sender2.destroy();
      await assert.rejects(sender2.encrypt(text('x')), code('crypto.bad_state'));
    });
  });
}

describe('Sender Keys bounds (node provider)', () => {
  it(`a jump of more than ${MAX_SKIP} is crypto.too_far_ahead and changes nothing`, async () => {
    const p = nodeCrypto;
    const sender = await OutboundSenderKey.create(p, CONV);
    const key = await InboundSenderKey.fromDistribution(p, CONV, sender.distribution());
    const msgs = [];
    for (let i = 0; i < MAX_SKIP + 2; i++) msgs.push(await sender.encrypt(text(`m${i}`)));
    const before = JSON.stringify(key.toJSON());
    await assert.rejects(
      key.decrypt(msgs[MAX_SKIP + 1] as Uint8Array),
      code('crypto.too_far_ahead'),
    );
    assert.equal(JSON.stringify(key.toJSON()), before);
    assert.equal(str(await key.decrypt(msgs[MAX_SKIP] as Uint8Array)), `m${MAX_SKIP}`);
    assert.equal(str(await key.decrypt(msgs[0] as Uint8Array)), 'm0');
    assert.equal(str(await key.decrypt(msgs[MAX_SKIP + 1] as Uint8Array)), `m${MAX_SKIP + 1}`);
  });
});
