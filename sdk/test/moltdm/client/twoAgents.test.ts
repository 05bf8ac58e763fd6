import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { acceptFrom, newAgent, startRelay, type TestRelay, texts } from './helpers.ts';

describe('two agents over a real relay', () => {
  let relay: TestRelay;
  before(async () => {
    relay = await startRelay();
  });
  after(async () => {
    await relay.close();
  });

  it('exchange messages in order: X3DH first, Double Ratchet after, both ways', async () => {
    const alice = await newAgent(relay);
    const bob = await newAgent(relay);
    const first = await alice.client.sendTo(bob.id, 'hello bob');
    assert.equal(first.outgoing, true);

    const got = await bob.client.sync();
    assert.deepEqual(texts(got, 'messageRequest'), ['hello bob'], 'a stranger: held as a request');
    assert.deepEqual(texts(got), []);
    const cid = await acceptFrom(bob, alice.id);

    await bob.client.send(cid, 'hi alice');
    await bob.client.send(cid, 'how are you?');
    assert.deepEqual(texts(await alice.client.sync()), ['hi alice', 'how are you?']);

    for (let i = 0; i < 3; i++) {
      await alice.client.send(cid, `a${i}`);
      assert.deepEqual(texts(await bob.client.sync()), [`a${i}`]);
      await bob.client.send(cid, `b${i}`);
      assert.deepEqual(texts(await alice.client.sync()), [`b${i}`]);
    }
    const history = bob.client.conversation(cid)?.messages.map((m) => m.text);
    assert.deepEqual(history, [
      'hello bob',
      'hi alice',
      'how are you?',
      'a0',
      'b0',
      'a1',
      'b1',
      'a2',
      'b2',
    ]);
    // The relay queue was acknowledged: nothing is delivered twice.
    assert.deepEqual(await bob.client.sync(), []);
  });

  it('exchange messages out of order: held back, reordered, across ratchet steps', async () => {
    const alice = await newAgent(relay);
    const bob = await newAgent(relay);
    // The very first messages are pre-key messages: the second opens the session before the first.
    await alice.client.sendTo(bob.id, 'm0');
    const cid = (await alice.client.openConversation(bob.id)) as string;
    await alice.client.send(cid, 'm1');
    bob.tap.decide = (m) => (m.type === 'prekey' && bob.tap.held.length === 0 ? 'hold' : 'deliver');
    assert.deepEqual(texts(await bob.client.sync(), 'messageRequest'), ['m1']);
    bob.tap.decide = null;
    bob.tap.releaseHeld();
    assert.deepEqual(texts(await bob.client.sync(), 'messageRequest'), ['m0']);
    await bob.client.acceptRequest(cid);

    // Alice sends five; Bob receives 1, 3 and 4 first, then 2 and 0 (reversed).
    for (let i = 0; i < 5; i++) await alice.client.send(cid, `x${i}`);
    let n = 0;
    bob.tap.decide = () => (n++ % 2 === 0 && n < 4 ? 'hold' : 'deliver');
    const firstBatch = texts(await bob.client.sync());
    bob.tap.decide = null;
    bob.tap.releaseHeld();
    const secondBatch = texts(await bob.client.sync());
    assert.deepEqual(firstBatch, ['x1', 'x3', 'x4']);
    assert.deepEqual(secondBatch, ['x2', 'x0']);

    // Interleaved ratchet steps: Bob answers twice, Alice's answers cross them in flight and
    // Bob's two messages reach Alice in reverse order.
    await bob.client.send(cid, 'y0');
    alice.tap.decide = () => 'hold';
    await alice.client.sync();
    await bob.client.send(cid, 'y1');
    await alice.client.sync();
    await alice.client.send(cid, 'z0');
    alice.tap.decide = null;
    alice.tap.releaseHeld();
    assert.deepEqual(texts(await alice.client.sync()), ['y1', 'y0']);
    assert.deepEqual(texts(await bob.client.sync()), ['z0']);
    await alice.client.send(cid, 'z1');
    await bob.client.send(cid, 'y2');
    assert.deepEqual(texts(await bob.client.sync()), ['z1']);
    assert.deepEqual(texts(await alice.client.sync()), ['y2']);

    const bobHistory = bob.client.conversation(cid)?.messages.map((m) => m.text) ?? [];
    assert.deepEqual(
      [...bobHistory].sort(),
      ['m0', 'm1', 'x0', 'x1', 'x2', 'x3', 'x4', 'y0', 'y1', 'y2', 'z0', 'z1'].sort(),
    );
  });

  it('start() long-polls in the background and emits what arrives; stop() ends it', async () => {
    const alice = await newAgent(relay);
    const bob = await newAgent(relay);
    const cid = await alice.client.openConversation(bob.id);
    const requested = new Promise<string | null>((resolve) => {
      bob.client.on('messageRequest', (e) => resolve(e.message.text));
    });
    bob.client.start();
    await alice.client.send(cid, 'are you polling?');
    assert.equal(await requested, 'are you polling?');
    await bob.client.stop();
    await alice.client.send(cid, 'not delivered until the next sync');
    assert.deepEqual(texts(await bob.client.sync(), 'messageRequest'), [
      'not delivered until the next sync',
    ]);
  });
});
