import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isMoltdmClientError } from '../../../src/moltdm/client/clientError.ts';
import type { MoltDMClient } from '../../../src/moltdm/client/moltdmClient.ts';
import { requestPairing } from '../../../src/moltdm/client/pairing.ts';
import { memoryStateStore, type StateStore } from '../../../src/moltdm/client/stateStore.ts';
import { portableCrypto } from '../../../src/moltdm/crypto/portableCrypto.ts';
import {
  type Agent,
  failures,
  newAgent,
  rowsSince,
  startRelay,
  Tap,
  type TestRelay,
  texts,
} from './helpers.ts';

interface Linked {
  readonly client: MoltDMClient;
  readonly store: StateStore;
  readonly tap: Tap;
}

/** Links a new device (portable crypto, as in a browser) to `owner` through the relay. */
async function link(relay: TestRelay, owner: Agent, name = 'Laptop'): Promise<Linked> {
  const { token, url } = await owner.client.createPairing();
  assert.equal(url, `${relay.url}/pair/${token}`);
  const store = memoryStateStore();
  const tap = new Tap();
  const req = await requestPairing({
    relayUrl: relay.url,
    crypto: portableCrypto,
    store,
    fetch: tap.fetch,
    token: token.toLowerCase(),
    name,
  });
  assert.equal(await req.status(), 'submitted');
  const [pending] = await owner.client.pendingPairings();
  assert.equal(pending?.deviceId, req.deviceId);
  assert.equal(pending?.fingerprint, req.fingerprint);
  assert.equal(pending?.name, name);
  await owner.client.approvePairing(token, { fingerprint: req.fingerprint.toUpperCase() });
  const client = await req.waitForApproval({ intervalMs: 10 });
  assert.equal(client.moltbotId, owner.id);
  assert.equal(client.isPrimary, false);
  return { client, store, tap };
}

describe('multi-device linking and revocation', () => {
  let relay: TestRelay;
  before(async () => {
    relay = await startRelay();
  });
  after(async () => {
    await relay.close();
  });

  it('approval is explicit and checks the fingerprint; a rejected device gets nothing', async () => {
    const owner = await newAgent(relay);
    const { token } = await owner.client.createPairing();
    const store = memoryStateStore();
    const req = await requestPairing({
      relayUrl: relay.url,
      crypto: portableCrypto,
      store,
      token,
      name: 'Unknown phone',
    });
    await assert.rejects(
      owner.client.approvePairing(token, {
        fingerprint: '0000 0000 0000 0000 0000 0000 0000 0000 0000 0000',
      }),
      (e) => isMoltdmClientError(e, 'client.fingerprint_mismatch'),
    );
    assert.equal(await req.status(), 'submitted', 'nothing is approved by default');
    await owner.client.rejectPairing(token);
    await assert.rejects(req.waitForApproval({ intervalMs: 10 }), (e) =>
      isMoltdmClientError(e, 'client.pairing_rejected'),
    );
    assert.equal(await store.load(), null);
  });

  it('a linked device reads and sends its owner’s direct and group conversations', async () => {
    const owner = await newAgent(relay);
    const peer = await newAgent(relay);
    const third = await newAgent(relay);
    const dm = await owner.client.openConversation(peer.id);
    await owner.client.send(dm, 'before linking');
    const g = await owner.client.createGroup([peer.id, third.id], { title: 'trio' });
    await owner.client.send(g, 'group before linking');
    await peer.client.sync();
    await peer.client.acceptRequest(dm);
    await peer.client.acceptRequest(g);
    await third.client.sync();
    await third.client.acceptRequest(g);

    const laptop = await link(relay, owner);
    const known = laptop.client.conversations().map((c) => c.id);
    assert.deepEqual(known.sort(), [dm, g].sort());
    assert.equal(laptop.client.conversation(dm)?.messages.length, 0, 'no history is carried');

    await owner.client.send(dm, 'from the agent');
    await owner.client.send(g, 'group from the agent');
    // The peer learns the new device (device_linked); it had already read what the agent sent.
    assert.deepEqual(texts(await peer.client.sync()), ['from the agent', 'group from the agent']);
    await peer.client.send(dm, 'from the peer');
    await third.client.send(g, 'group from third');
    const seen = texts(await laptop.client.sync());
    assert.deepEqual(seen, [
      'from the agent',
      'group from the agent',
      'from the peer',
      'group from third',
    ]);

    await laptop.client.send(dm, 'from the laptop');
    await laptop.client.send(g, 'group from the laptop');
    assert.deepEqual(texts(await peer.client.sync()), [
      'group from third',
      'from the laptop',
      'group from the laptop',
    ]);
    const ownerSees = (await owner.client.sync()).flatMap((e) =>
      e.type === 'message' ? [[e.message.text, e.message.outgoing]] : [],
    );
    assert.deepEqual(ownerSees, [
      ['from the peer', false],
      ['group from third', false],
      ['from the laptop', true],
      ['group from the laptop', true],
    ]);
    assert.deepEqual(texts(await third.client.sync()), [
      'group from the agent',
      'group from the laptop',
    ]);
  });

  it('a revoked device cannot decrypt what is sent after its revocation', async () => {
    const owner = await newAgent(relay);
    const peer = await newAgent(relay);
    const dm = await owner.client.openConversation(peer.id);
    const g = await owner.client.createGroup([peer.id], { title: 'pair' });
    await owner.client.send(dm, 'hi');
    await owner.client.send(g, 'hi group');
    await peer.client.sync();
    await peer.client.acceptRequest(dm);
    await peer.client.acceptRequest(g);

    const laptop = await link(relay, owner);
    await peer.client.sync();
    await peer.client.send(dm, 'dm before revocation');
    await peer.client.send(g, 'group before revocation');
    assert.deepEqual(texts(await laptop.client.sync()), [
      'dm before revocation',
      'group before revocation',
    ]);
    const kept = await laptop.store.load();

    await owner.client.revokeDevice(laptop.client.deviceId);
    const devices = await owner.client.devices();
    assert.notEqual(devices.find((d) => d.deviceId === laptop.client.deviceId)?.revokedAt, null);
    await peer.client.sync(); // device_revoked: drops the laptop, rotates its sender key
    assert.deepEqual(texts(await owner.client.sync()), [
      'dm before revocation',
      'group before revocation',
    ]);
    const markOwner = owner.tap.seen.length;
    const markPeer = peer.tap.seen.length;
    await peer.client.send(dm, 'dm after revocation');
    await peer.client.send(g, 'group after revocation');
    await owner.client.send(g, 'owner group after revocation');
    assert.deepEqual(texts(await owner.client.sync()), [
      'dm after revocation',
      'group after revocation',
    ]);
    assert.deepEqual(texts(await peer.client.sync()), ['owner group after revocation']);

    await assert.rejects(laptop.client.sync(), (e) => isMoltdmClientError(e, 'client.revoked'));

    // Every ciphertext sent after the revocation (the messages and the rotated sender keys'
    // distributions), tried with the keys the laptop kept.
    const leaked = [...rowsSince(owner.tap, markOwner), ...rowsSince(peer.tap, markPeer)];
    assert.deepEqual(
      leaked.map((m) => m.type),
      ['ratchet', 'sender_key_distribution', 'sender_key', 'sender_key_distribution', 'sender_key'],
    );
    for (const row of leaked) {
      const old = await newAgent(relay, { store: memoryStateStore(kept), crypto: portableCrypto });
      const tried = await old.client.processMessages([row]);
      assert.deepEqual(texts(tried), [], `${row.type} must not decrypt`);
      assert.equal(failures(tried).length, 1);
    }
  });

  it('accepting a message request on one device accepts it on the others', async () => {
    const owner = await newAgent(relay);
    const laptop = await link(relay, owner);
    const stranger = await newAgent(relay);
    const cid = await stranger.client.openConversation(owner.id);
    await stranger.client.send(cid, 'may I?');
    assert.deepEqual(texts(await owner.client.sync(), 'messageRequest'), ['may I?']);
    assert.deepEqual(texts(await laptop.client.sync(), 'messageRequest'), ['may I?']);
    await owner.client.acceptRequest(cid);
    const got = await laptop.client.sync();
    assert.deepEqual(
      got.flatMap((e) => (e.type === 'consent' ? [e.consent] : [])),
      ['accepted'],
    );
    assert.deepEqual(texts(got), ['may I?'], 'the held message is shown once accepted');
    assert.deepEqual(
      laptop.client.conversations().map((c) => c.id),
      [cid],
    );
  });
});
