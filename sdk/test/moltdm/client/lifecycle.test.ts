import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isMoltdmClientError } from '../../../src/moltdm/client/clientError.ts';
import { createMoltDM, openMoltDM } from '../../../src/moltdm/client/createMoltDM.ts';
import { sameFingerprint } from '../../../src/moltdm/client/ownerPairing.ts';
import { requestPairing, resumePairing } from '../../../src/moltdm/client/pairing.ts';
import { memoryStateStore } from '../../../src/moltdm/client/stateStore.ts';
import { nodeCrypto } from '../../../src/moltdm/crypto/nodeCrypto.ts';
import { acceptFrom, failures, newAgent, startRelay, type TestRelay, texts } from './helpers.ts';

describe('client lifecycle: key rotations, leaving, pairing resumption, opening stores', () => {
  let relay: TestRelay;
  before(async () => {
    relay = await startRelay();
  });
  after(async () => {
    await relay.close();
  });

  it('a rotated signed pre-key: new sessions use it, pre-key messages made before still open', async () => {
    const a = await newAgent(relay);
    const early = await newAgent(relay);
    const late = await newAgent(relay);
    await early.client.sendTo(a.id, 'made with the old signed pre-key');
    await a.client.rotateSignedPreKey();
    await late.client.sendTo(a.id, 'made with the new one');
    const got = await a.client.sync();
    assert.deepEqual(texts(got, 'messageRequest'), [
      'made with the old signed pre-key',
      'made with the new one',
    ]);
    assert.deepEqual(failures(got), []);
  });

  it('a manual sender-key rotation is distributed at the next send', async () => {
    const a = await newAgent(relay);
    const b = await newAgent(relay);
    const g = await a.client.createGroup([b.id]);
    await a.client.send(g, 'v1');
    await b.client.sync();
    await b.client.acceptRequest(g);
    await a.client.rotateSenderKey(g);
    await a.client.send(g, 'v2');
    const got = await b.client.sync();
    assert.deepEqual(texts(got), ['v2']);
    assert.deepEqual(failures(got), []);
  });

  it('a member that leaves makes the others rotate; its old keys read nothing after', async () => {
    const [a, b, c] = [await newAgent(relay), await newAgent(relay), await newAgent(relay)];
    const g = await a.client.createGroup([b.id, c.id]);
    await a.client.send(g, 'all three');
    for (const x of [b, c]) {
      await x.client.sync();
      await x.client.acceptRequest(g);
    }
    const kept = await c.store.load();
    await c.client.leaveConversation(g);
    assert.equal(c.client.conversation(g)?.active, false);
    await a.client.sync(); // member_left → rotation
    const mark = b.tap.seen.length;
    await a.client.send(g, 'just us');
    assert.deepEqual(texts(await b.client.sync()), ['just us']);
    const row = b.tap.seen.slice(mark).find((m) => m.type === 'sender_key');
    assert.ok(row);
    const old = await newAgent(relay, { store: memoryStateStore(kept) });
    const tried = await old.client.processMessages([row]);
    assert.deepEqual(texts(tried), []);
    assert.deepEqual(
      failures(tried).map((f) => f.code),
      ['crypto.unknown_sender_key'],
    );
    await assert.rejects(old.client.send(g, 'still here?'), (e) =>
      isMoltdmClientError(e, 'client.not_found'),
    );
    assert.equal(old.client.conversation(g)?.active, false);
    assert.equal(
      old.client.conversation(g)?.messages.some((m) => m.text === 'still here?'),
      false,
    );
  });

  it('a pairing request survives a reload and can be cancelled', async () => {
    const owner = await newAgent(relay);
    const { token } = await owner.client.createPairing();
    const store = memoryStateStore();
    const opts = { relayUrl: relay.url, crypto: nodeCrypto, store };
    const req = await requestPairing({ ...opts, token, name: 'Tablet' });
    await assert.rejects(createMoltDM(opts), (e) =>
      isMoltdmClientError(e, 'client.pairing_pending'),
    );
    const again = await resumePairing(opts);
    assert.equal(again?.token, req.token);
    assert.equal(again?.deviceId, req.deviceId);
    assert.ok(sameFingerprint(again?.fingerprint ?? '', req.fingerprint));
    await owner.client.approvePairing(token, { fingerprint: req.fingerprint });
    const linked = await again?.waitForApproval({ intervalMs: 10 });
    assert.equal(linked?.moltbotId, owner.id);
    const reopened = await openMoltDM(opts);
    assert.equal(reopened.deviceId, req.deviceId);

    const other = await owner.client.createPairing();
    const s2 = memoryStateStore();
    const r2 = await requestPairing({ ...opts, store: s2, token: other.token, name: 'Gone' });
    await r2.cancel();
    assert.equal(await s2.load(), null);
    assert.equal(await resumePairing({ ...opts, store: s2 }), null);
  });

  it('openMoltDM never creates a device; a stored one keeps its id and conversations', async () => {
    await assert.rejects(
      openMoltDM({ relayUrl: relay.url, crypto: nodeCrypto, store: memoryStateStore() }),
      (e) => isMoltdmClientError(e, 'client.bad_state'),
    );
    const a = await newAgent(relay);
    const b = await newAgent(relay);
    await a.client.sendTo(b.id, 'x');
    await b.client.sync();
    const cid = await acceptFrom(b, a.id);
    const again = await openMoltDM({ relayUrl: relay.url, crypto: nodeCrypto, store: b.store });
    assert.equal(again.moltbotId, b.id);
    assert.deepEqual(
      again.conversations().map((c) => c.id),
      [cid],
    );
    await assert.rejects(
      openMoltDM({ relayUrl: relay.url, crypto: nodeCrypto, store: memoryStateStore('{"v":2}') }),
      (e) => isMoltdmClientError(e, 'client.bad_state'),
    );
  });
});
