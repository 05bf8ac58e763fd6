import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MoltDMEvent } from '../../../src/moltdm/client/events.ts';
import { memoryStateStore } from '../../../src/moltdm/client/stateStore.ts';
import {
  type Agent,
  failures,
  newAgent,
  rowsSince,
  startRelay,
  type TestRelay,
  texts,
} from './helpers.ts';

/** A group created by `admin` with `members`, each of whom accepted the invitation. */
async function group(admin: Agent, members: readonly Agent[], title = 'crew'): Promise<string> {
  const g = await admin.client.createGroup(
    members.map((m) => m.id),
    { title },
  );
  await admin.client.send(g, `welcome to ${title}`);
  for (const m of members) {
    const ev = await m.client.sync();
    assert.deepEqual(texts(ev, 'messageRequest'), [`welcome to ${title}`]);
    await m.client.acceptRequest(g);
    assert.equal(m.client.conversation(g)?.kind, 'group');
    assert.equal(m.client.conversation(g)?.title, title);
  }
  return g;
}

describe('groups (Sender Keys over pairwise sessions)', () => {
  let relay: TestRelay;
  before(async () => {
    relay = await startRelay();
  });
  after(async () => {
    await relay.close();
  });

  it('a group of three exchanges messages in and out of order', async () => {
    const [a, b, c] = [await newAgent(relay), await newAgent(relay), await newAgent(relay)];
    const g = await group(a, [b, c]);

    await b.client.send(g, 'b0');
    assert.deepEqual(texts(await a.client.sync()), ['b0']);
    assert.deepEqual(texts(await c.client.sync()), ['b0']);

    // C's sender key reaches A after C's first message: the message waits for the key.
    await c.client.send(g, 'c0');
    a.tap.decide = (m) => (m.type === 'sender_key_distribution' ? 'hold' : 'deliver');
    const early = await a.client.sync();
    assert.deepEqual(texts(early), []);
    assert.deepEqual(
      failures(early).map((f) => [f.code, f.action]),
      [['client.no_sender_key', 'keyRequested']],
    );
    a.tap.decide = null;
    a.tap.releaseHeld();
    assert.deepEqual(texts(await a.client.sync()), ['c0']);
    assert.deepEqual(texts(await b.client.sync()), ['c0']);
    // A's key request made C redistribute the same key version: nothing changes.
    assert.deepEqual(failures(await c.client.sync()), []);

    // Four messages from C; A gets c2 and c4 first, then c3 and c1.
    for (let i = 1; i <= 4; i++) await c.client.send(g, `c${i}`);
    let n = 0;
    a.tap.decide = (m) => (m.type === 'sender_key' && n++ % 2 === 0 ? 'hold' : 'deliver');
    assert.deepEqual(texts(await a.client.sync()), ['c2', 'c4']);
    a.tap.decide = null;
    a.tap.releaseHeld();
    assert.deepEqual(texts(await a.client.sync()), ['c3', 'c1']);
    assert.deepEqual(texts(await b.client.sync()), ['c1', 'c2', 'c3', 'c4']);

    await a.client.send(g, 'a1');
    await b.client.send(g, 'b1');
    assert.deepEqual(texts(await c.client.sync()), ['a1', 'b1']);
    assert.deepEqual(texts(await a.client.sync()), ['b1']);
    assert.deepEqual(texts(await b.client.sync()), ['a1']);
  });

  it('a removed member cannot decrypt messages sent after its removal, even with its old keys', async () => {
    const [a, b, c] = [await newAgent(relay), await newAgent(relay), await newAgent(relay)];
    const g = await group(a, [b, c]);
    await b.client.send(g, 'before');
    await a.client.sync();
    assert.deepEqual(texts(await c.client.sync()), ['before']);
    // C's state as it was: a member that ignores its removal keeps every key it had.
    const kept = await c.store.load();

    await a.client.removeMember(g, c.id);
    await b.client.sync(); // member_removed: B rotates its sender key
    const markA = a.tap.seen.length;
    const markB = b.tap.seen.length;
    await a.client.send(g, 'after from a');
    await b.client.send(g, 'after from b');
    assert.deepEqual(texts(await b.client.sync()), ['after from a']);
    assert.deepEqual(texts(await a.client.sync()), ['after from b']);

    const removed = await c.client.sync();
    assert.deepEqual(texts(removed), []);
    assert.equal(c.client.conversation(g)?.active, false);

    const leaked = [
      ...rowsSince(b.tap, markB, 'sender_key'),
      ...rowsSince(a.tap, markA, 'sender_key'),
    ];
    assert.equal(leaked.length, 2);
    for (const row of leaked) {
      const cKeeps = await newAgent(relay, { store: memoryStateStore(kept) });
      const tried = await cKeeps.client.processMessages([row]);
      assert.deepEqual(texts(tried), []);
      assert.deepEqual(
        failures(tried).map((f) => f.code),
        ['crypto.unknown_sender_key'],
      );
    }
    // Its key requests go nowhere: it is no longer a member.
    assert.deepEqual(texts(await a.client.sync()), []);
  });

  it('a new member reads from its joining on, never what was sent before', async () => {
    const [a, b, d] = [await newAgent(relay), await newAgent(relay), await newAgent(relay)];
    const g = await group(a, [b]);
    const mark = b.tap.seen.length;
    await a.client.send(g, 'old 1');
    await a.client.send(g, 'old 2');
    assert.deepEqual(texts(await b.client.sync()), ['old 1', 'old 2']);
    const history = rowsSince(b.tap, mark, 'sender_key');
    assert.equal(history.length, 2);

    await a.client.addMembers(g, [d.id]);
    assert.deepEqual(texts(await d.client.sync(), 'messageRequest'), []);
    await a.client.send(g, 'new 1');
    assert.deepEqual(texts(await d.client.sync(), 'messageRequest'), ['new 1']);
    await d.client.acceptRequest(g);
    await b.client.send(g, 'new 2');
    assert.deepEqual(texts(await d.client.sync()), ['new 2']);

    const tried: MoltDMEvent[] = await d.client.processMessages(history);
    assert.deepEqual(texts(tried), []);
    assert.deepEqual(
      failures(tried).map((f) => [f.code, f.action]),
      [
        ['crypto.key_unavailable', 'unavailable'],
        ['crypto.key_unavailable', 'unavailable'],
      ],
    );
  });
});
