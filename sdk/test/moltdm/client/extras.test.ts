import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMoltdmClientError } from '../../../src/moltdm/client/clientError.ts';
import { fileStateStore } from '../../../src/moltdm/client/fileStateStore.ts';
import { requestPairing } from '../../../src/moltdm/client/pairing.ts';
import { isMoltdmRelayError } from '../../../src/moltdm/client/relayError.ts';
import { memoryStateStore } from '../../../src/moltdm/client/stateStore.ts';
import { decodeBase64, encodeBase64 } from '../../../src/moltdm/crypto/base64.ts';
import { isMoltdmCryptoError } from '../../../src/moltdm/crypto/errors.ts';
import { nodeCrypto } from '../../../src/moltdm/crypto/nodeCrypto.ts';
import {
  type Agent,
  acceptFrom,
  failures,
  newAgent,
  startRelay,
  type TestRelay,
  texts,
} from './helpers.ts';

/** Two agents with an accepted 1:1 conversation. */
async function pair(relay: TestRelay): Promise<{ a: Agent; b: Agent; cid: string }> {
  const a = await newAgent(relay);
  const b = await newAgent(relay);
  await a.client.sendTo(b.id, 'hello');
  await b.client.sync();
  const cid = await acceptFrom(b, a.id);
  return { a, b, cid };
}

describe('extras: requests, blocking, attachments, reactions, receipts, resync, persistence', () => {
  let relay: TestRelay;
  before(async () => {
    relay = await startRelay();
  });
  after(async () => {
    await relay.close();
  });

  it('holds a stranger’s messages until accepted; declining leaves and can block', async () => {
    const b = await newAgent(relay);
    const stranger = await newAgent(relay);
    await stranger.client.sendTo(b.id, 'buy my stuff');
    await stranger.client.sendTo(b.id, 'please');
    const got = await b.client.sync();
    assert.deepEqual(texts(got), []);
    assert.deepEqual(texts(got, 'messageRequest'), ['buy my stuff', 'please']);
    const [req] = b.client.messageRequests();
    assert.ok(req);
    assert.deepEqual(
      req.messages.map((m) => m.text),
      ['buy my stuff', 'please'],
    );
    assert.deepEqual(b.client.conversations(), []);
    await assert.rejects(b.client.markRead(req.id), (e) =>
      isMoltdmClientError(e, 'client.not_accepted'),
    );
    // Nothing (no receipt) went back to the stranger.
    assert.deepEqual(
      (await stranger.client.sync()).filter((e) => e.type !== 'membership'),
      [],
    );

    await b.client.declineRequest(req.id, { block: true });
    assert.deepEqual(b.client.messageRequests(), []);
    assert.deepEqual(await b.client.blocked(), [stranger.id]);
    // The stranger sees B leave; a new conversation with B is refused by the relay.
    await stranger.client.sync();
    await assert.rejects(stranger.client.openConversation(b.id), (e) =>
      isMoltdmRelayError(e, 'conversation.add_refused'),
    );

    const friend = await newAgent(relay);
    await friend.client.sendTo(b.id, 'it is me');
    await b.client.sync();
    const cid = await acceptFrom(b, friend.id);
    assert.deepEqual(
      b.client.conversations().map((c) => c.id),
      [cid],
    );
    await friend.client.send(cid, 'now you see me');
    assert.deepEqual(texts(await b.client.sync()), ['now you see me']);
  });

  it('blocking drops a contact’s messages at the relay; unblocking lets them through', async () => {
    const { a, b, cid } = await pair(relay);
    await b.client.block(a.id);
    await a.client.send(cid, 'you will not see this');
    assert.deepEqual(texts(await b.client.sync()), []);
    await b.client.unblock(a.id);
    await a.client.send(cid, 'and now?');
    const got = await b.client.sync();
    assert.deepEqual(texts(got), ['and now?']);
    assert.deepEqual(
      failures(got).filter((f) => f.action !== 'ignored'),
      [],
      'the skipped message is just a gap in the chain',
    );
  });

  it('reactions and read receipts', async () => {
    const { a, b, cid } = await pair(relay);
    const [hello] = b.client.conversation(cid)?.messages ?? [];
    assert.ok(hello);
    await b.client.react(cid, hello.id, '🦞');
    await b.client.markRead(cid);
    const got = await a.client.sync();
    const reaction = got.find((e) => e.type === 'reaction');
    assert.deepEqual(reaction, {
      type: 'reaction',
      conversationId: cid,
      messageId: hello.id,
      from: b.id,
      emoji: '🦞',
      removed: false,
    });
    const receipt = got.find((e) => e.type === 'receipt');
    assert.deepEqual(receipt, {
      type: 'receipt',
      conversationId: cid,
      messageIds: [hello.id],
      from: b.id,
    });
    const mine = a.client.conversation(cid)?.messages.find((m) => m.id === hello.id);
    assert.deepEqual(mine?.reactions, { '🦞': [b.id] });
    assert.deepEqual(mine?.readBy, [b.id]);
    await b.client.react(cid, hello.id, '🦞', { remove: true });
    await a.client.sync();
    assert.deepEqual(a.client.conversation(cid)?.messages[0]?.reactions, {});
  });

  it('an attachment round trip: encrypted upload, hash-checked download', async () => {
    const { a, b, cid } = await pair(relay);
    const file = new Uint8Array(randomBytes(200_000));
    await a.client.sendAttachment(cid, file, {
      name: 'data.bin',
      type: 'application/octet-stream',
      text: 'see file',
    });
    const [ev] = (await b.client.sync()).filter((e) => e.type === 'message');
    assert.ok(ev?.type === 'message');
    assert.equal(ev.message.text, 'see file');
    const [ref] = ev.message.attachments;
    assert.ok(ref);
    assert.equal(ref.name, 'data.bin');
    assert.equal(ref.size, file.length);
    assert.deepEqual(await b.client.downloadAttachment(ref), file);
    const wrongHash = encodeBase64(new Uint8Array(32));
    await assert.rejects(b.client.downloadAttachment({ ...ref, sha256: wrongHash }), (e) =>
      isMoltdmClientError(e, 'client.attachment_corrupt'),
    );
    const otherKey = encodeBase64(new Uint8Array(32).fill(7));
    await assert.rejects(b.client.downloadAttachment({ ...ref, key: otherKey }), (e) =>
      isMoltdmCryptoError(e, 'crypto.decrypt_failed'),
    );
  });

  it('a forged message is reported with its reason and triggers a resync; the session heals', async () => {
    const { a, b, cid } = await pair(relay);
    await b.client.send(cid, 'reply');
    await a.client.sync();
    await a.client.send(cid, 'genuine');
    b.tap.mutate = (m) => {
      if (m.type === 'system') return m;
      const bytes = decodeBase64(m.ciphertext);
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
      return { ...m, ciphertext: encodeBase64(bytes) };
    };
    const got = await b.client.sync();
    b.tap.mutate = null;
    assert.deepEqual(texts(got), []);
    assert.deepEqual(
      failures(got).map((f) => [f.code, f.action, f.from.deviceId]),
      [['crypto.decrypt_failed', 'resync', a.client.deviceId]],
    );
    const resynced = await a.client.sync();
    assert.deepEqual(
      resynced.flatMap((e) => (e.type === 'resync' ? [[e.from.deviceId, e.reason]] : [])),
      [[b.client.deviceId, 'crypto.decrypt_failed']],
    );
    await a.client.send(cid, 'after resync');
    assert.deepEqual(texts(await b.client.sync()), ['after resync']);
    await b.client.send(cid, 'both ways');
    assert.deepEqual(texts(await a.client.sync()), ['both ways']);
  });

  it('state in the file store survives a client restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moltdm-state-'));
    try {
      const path = join(dir, 'agent.json');
      const store = fileStateStore(path);
      const a = await newAgent(relay, { store });
      const b = await newAgent(relay);
      await a.client.sendTo(b.id, 'first life');
      await b.client.sync();
      const cid = await acceptFrom(b, a.id);
      await b.client.send(cid, 'noted');
      assert.deepEqual(texts(await a.client.sync()), ['noted']);
      await a.client.close();
      assert.equal(statSync(path).mode & 0o777, 0o600);

      const again = await newAgent(relay, { store: fileStateStore(path) });
      assert.equal(again.id, a.id);
      assert.deepEqual(
        again.client.conversation(cid)?.messages.map((m) => m.text),
        ['first life', 'noted'],
      );
      await b.client.send(cid, 'still there?');
      assert.deepEqual(texts(await again.client.sync()), ['still there?']);
      await again.client.send(cid, 'second life');
      assert.deepEqual(texts(await b.client.sync()), ['second life']);
      assert.deepEqual(await again.client.sync(), [], 'the cursor was kept: nothing replayed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replenishes one-time pre-keys when the relay runs low', async () => {
    const a = await newAgent(relay, { preKeys: { low: 150, target: 160 } });
    await a.client.sync();
    const [me] = await a.client.devices();
    assert.equal(me?.oneTimePreKeyCount, 160);
  });

  it('the relay’s files never contain a message, an attachment or a link bundle in clear', async () => {
    const { a, b, cid } = await pair(relay);
    const marker = `plaintext-marker-${randomBytes(8).toString('hex')}`;
    await a.client.send(cid, `${marker} direct`);
    const g = await a.client.createGroup([b.id], { title: `${marker} title` });
    await a.client.send(g, `${marker} group`);
    await a.client.sendAttachment(cid, new TextEncoder().encode(`${marker} file`.repeat(100)));
    await b.client.sync();
    const { token } = await a.client.createPairing();
    const req = await requestPairing({
      relayUrl: relay.url,
      crypto: nodeCrypto,
      store: memoryStateStore(),
      token,
      name: 'scanner',
    });
    await a.client.approvePairing(token, { fingerprint: req.fingerprint });
    await req.waitForApproval({ intervalMs: 10 });
    for (const f of readdirSync(relay.dir)) {
      const bytes = readFileSync(join(relay.dir, f));
      assert.equal(bytes.includes(marker), false, `${f} holds plaintext`);
    }
  });
});
