import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bytesToBase64 } from '../src/protocol/index.ts';
import type {
  ListMessagesResponse,
  QueuedMessageWire,
  SendMessageResponse,
} from '../src/protocol/wireTypes.ts';
import { TestDevice } from './helpers/keys.ts';
import { errorCode, Harness } from './helpers/relayHarness.ts';

const big = { limit: 1e9, windowMs: 60_000 };
let h: Harness;
before(async () => {
  h = await Harness.start({
    clock: true,
    limits: { rates: { sender: big, pair: big, register: big, membership: big } },
  });
});
after(() => h.destroy());

const ct = (text: string) => bytesToBase64(new TextEncoder().encode(text));
let nextId = 0;
const send = (
  from: TestDevice,
  conversationId: string,
  items: { to: TestDevice; type?: string; ciphertext?: string }[],
  extra: object = {},
) =>
  h.signed(from, 'POST', '/messages', {
    conversationId,
    clientMessageId: `m${nextId++}`,
    items: items.map((i) => ({
      toDeviceId: i.to.id,
      type: i.type ?? 'ratchet',
      ciphertext: i.ciphertext ?? ct('x'),
    })),
    ...extra,
  });

async function poll(d: TestDevice, after = 0, extra = '') {
  const r = await h.signed(d, 'GET', `/messages?after=${after}${extra}`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json as ListMessagesResponse;
}

const userRows = (l: ListMessagesResponse) => l.messages.filter((m) => m.type !== 'system');

async function pair() {
  const a = await h.register();
  const b = await h.register();
  const conv = await h.conversation(a, [b]);
  return { a, b, conv };
}

describe('messages', () => {
  it('delivers a ciphertext to each addressed device, in seq order with the membership event', async () => {
    const { a, b, conv } = await pair();
    const bPhone = await h.link(b, 'phone');
    const r = await send(a, conv, [
      { to: b, type: 'prekey', ciphertext: ct('for b') },
      { to: bPhone, type: 'prekey', ciphertext: ct('for b phone') },
    ]);
    assert.equal(r.status, 201);
    const receipt = r.json as SendMessageResponse;
    assert.deepEqual(receipt.missingDeviceIds, []);
    const list = await poll(b);
    assert.deepEqual(
      list.messages.map((m) => [m.seq, m.type]),
      [
        [1, 'system'],
        [2, 'system'], // device_linked: the phone joined
        [3, 'prekey'],
      ],
    );
    const msg = list.messages[2] as Exclude<QueuedMessageWire, { type: 'system' }>;
    assert.deepEqual(
      {
        id: msg.id,
        conversationId: msg.conversationId,
        from: msg.from,
        ciphertext: msg.ciphertext,
      },
      {
        id: receipt.id,
        conversationId: conv,
        from: { moltbotId: a.id, deviceId: a.id },
        ciphertext: ct('for b'),
      },
    );
    assert.equal(list.cursor, 3);
    const phone = userRows(await poll(bPhone));
    assert.deepEqual(
      phone.map((m) => (m as { ciphertext: string }).ciphertext),
      [ct('for b phone')],
    );
    // The sender is told which member devices it did not address (Sesame-style fan-out).
    const partial = (await send(a, conv, [{ to: b }])).json as SendMessageResponse;
    assert.deepEqual(partial.missingDeviceIds, [bPhone.id]);
  });

  it('after= is a cursor; limit pages; ack one and ack up to a seq delete', async () => {
    const { a, b, conv } = await pair();
    for (let i = 0; i < 5; i++)
      assert.equal((await send(a, conv, [{ to: b, ciphertext: ct(`n${i}`) }])).status, 201);
    const page1 = await poll(b, 0, '&limit=3');
    assert.deepEqual(
      page1.messages.map((m) => m.seq),
      [1, 2, 3],
    );
    const page2 = await poll(b, page1.cursor, '&limit=3');
    assert.deepEqual(
      page2.messages.map((m) => m.seq),
      [4, 5, 6],
    );
    const empty = await poll(b, page2.cursor);
    assert.deepEqual([empty.messages, empty.cursor], [[], 6]);

    const target = page1.messages[1] as QueuedMessageWire;
    const del = await h.signed(b, 'DELETE', `/messages/${target.id}`);
    assert.deepEqual([del.status, del.json], [200, { deleted: 1 }]);
    const again = await h.signed(b, 'DELETE', `/messages/${target.id}`);
    assert.deepEqual([again.status, errorCode(again)], [404, 'message.not_found']);
    assert.deepEqual(
      (await poll(b)).messages.map((m) => m.seq),
      [1, 3, 4, 5, 6],
    );
    const ack = await h.signed(b, 'POST', '/messages/ack', { upToSeq: 4 });
    assert.deepEqual(ack.json, { deleted: 3 });
    assert.deepEqual(
      (await poll(b)).messages.map((m) => m.seq),
      [5, 6],
    );
    // Acks only touch the caller's own queue.
    const foreign = await h.signed(
      a,
      'DELETE',
      `/messages/${(page2.messages[2] as QueuedMessageWire).id}`,
    );
    assert.equal(foreign.status, 404);
    assert.equal((await poll(b)).messages.length, 2);
    // A new message gets the next seq: seqs are never reused after an ack.
    await send(a, conv, [{ to: b }]);
    assert.deepEqual(
      (await poll(b, 6)).messages.map((m) => m.seq),
      [7],
    );
  });

  it('a retry with the same clientMessageId returns the same receipt and stores once', async () => {
    const { a, b, conv } = await pair();
    const body = {
      conversationId: conv,
      clientMessageId: 'retry-me',
      items: [{ toDeviceId: b.id, type: 'ratchet', ciphertext: ct('once') }],
    };
    const first = await h.signed(a, 'POST', '/messages', body);
    const second = await h.signed(a, 'POST', '/messages', body);
    assert.deepEqual([first.status, second.status], [201, 201]);
    assert.deepEqual(second.json, first.json);
    assert.equal(userRows(await poll(b)).length, 1);
    const changed = await h.signed(a, 'POST', '/messages', {
      ...body,
      items: [{ ...body.items[0], ciphertext: ct('twice') }],
    });
    assert.deepEqual([changed.status, errorCode(changed)], [409, 'message.client_id_conflict']);
  });

  it('refuses bad recipients with the device ids at fault', async () => {
    const { a, b, conv } = await pair();
    const outsider = await h.register();
    const unknown = new TestDevice();
    const cases: [TestDevice[], number, string][] = [
      [[unknown], 404, 'message.recipient_unknown'],
      [[outsider], 403, 'message.recipient_not_member'],
      [[a], 400, 'message.recipient_is_sender'],
      [[b, b], 400, 'message.duplicate_recipient'],
    ];
    for (const [to, status, code] of cases) {
      const r = await send(
        a,
        conv,
        to.map((t) => ({ to: t })),
      );
      assert.deepEqual([r.status, errorCode(r)], [status, code]);
    }
    const bTablet = await h.link(b, 'tablet');
    await h.signed(b, 'DELETE', `/devices/${bTablet.id}`);
    const revoked = await send(a, conv, [{ to: b }, { to: bTablet }]);
    assert.deepEqual([revoked.status, errorCode(revoked)], [409, 'message.recipient_revoked']);
    assert.deepEqual((revoked.json as { error: { deviceIds: string[] } }).error.deviceIds, [
      bTablet.id,
    ]);
    const notMine = await send(outsider, conv, [{ to: b }]);
    assert.deepEqual([notMine.status, errorCode(notMine)], [404, 'conversation.not_found']);
    // Nothing of the refused sends reached b.
    assert.equal(userRows(await poll(b)).length, 0);
  });

  it('disappearing messages: expiresAt is hidden once past and swept from the store', async () => {
    const { a, b, conv } = await pair();
    const past = await send(a, conv, [{ to: b }], { expiresAt: h.now() - 1 });
    assert.deepEqual([past.status, errorCode(past)], [400, 'message.expiry_invalid']);
    const far = await send(a, conv, [{ to: b }], { expiresAt: h.now() + 31 * 86_400_000 });
    assert.deepEqual([far.status, errorCode(far)], [400, 'message.expiry_invalid']);
    const expiresAt = h.now() + 5_000;
    await send(a, conv, [{ to: b, ciphertext: ct('vanishing') }], { expiresAt });
    await send(a, conv, [{ to: b, ciphertext: ct('staying') }]);
    const before = userRows(await poll(b));
    assert.deepEqual(
      before.map((m) => m.expiresAt),
      [expiresAt, null],
    );
    (h.clock as { now: number }).now += 5_001;
    assert.deepEqual(
      userRows(await poll(b)).map((m) => (m as { ciphertext: string }).ciphertext),
      [ct('staying')],
    );
    const swept = await h.server.sweep();
    assert.ok(swept.messages >= 1);
  });

  it('unacknowledged rows are deleted after the retention period', async () => {
    const short = await Harness.start({ clock: true, limits: { queueRetentionMs: 60_000 } });
    try {
      const a = await short.register();
      const b = await short.register();
      const conv = await short.conversation(a, [b]);
      await short.signed(a, 'POST', '/messages', {
        conversationId: conv,
        clientMessageId: 'r1',
        items: [{ toDeviceId: b.id, type: 'ratchet', ciphertext: 'AAAA' }],
      });
      (short.clock as { now: number }).now += 60_000;
      assert.ok((await short.server.sweep()).messages >= 2);
      const r = await short.signed(b, 'GET', '/messages');
      assert.deepEqual((r.json as ListMessagesResponse).messages, []);
    } finally {
      await short.destroy();
    }
  });

  it('a long-poll is woken by a send and returns the message', async () => {
    const { a, b, conv } = await pair();
    const cursor = (await poll(b)).cursor;
    const waiting = h.signed(b, 'GET', `/messages?after=${cursor}&wait=30`);
    // Wait until the poll is parked, then send.
    while (
      ((await h.raw('GET', '/health')).json as { longPollWaiters: number }).longPollWaiters === 0
    ) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await send(a, conv, [{ to: b, ciphertext: ct('wake up') }]);
    const got = (await waiting).json as ListMessagesResponse;
    assert.deepEqual(
      got.messages.map((m) => (m as { ciphertext: string }).ciphertext),
      [ct('wake up')],
    );
  });

  it('a long-poll whose client goes away is cleaned up', async () => {
    const { b } = await pair();
    const ac = new AbortController();
    const headers = await (await import('../src/protocol/index.ts')).signRequest({
      id: b.id,
      sign: (m) => b.sign(m),
      method: 'GET',
      pathWithQuery: '/messages?after=999&wait=30',
      nowMs: h.now(),
    });
    const pending = fetch(`${h.url}/messages?after=999&wait=30`, {
      headers,
      signal: ac.signal,
    }).catch(() => null);
    const waiters = async () =>
      ((await h.raw('GET', '/health')).json as { longPollWaiters: number }).longPollWaiters;
    while ((await waiters()) === 0) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    await pending;
    while ((await waiters()) !== 0) await new Promise((r) => setTimeout(r, 5));
  });

  it('query parameters are validated (wait ≤ 30, limit ≤ 500, no unknown ones)', async () => {
    const { b } = await pair();
    for (const q of [
      'wait=31',
      'limit=0',
      'limit=501',
      'after=-1',
      'after=01',
      'since=5',
      'after=1&after=2',
      'after=1e3',
    ]) {
      const r = await h.signed(b, 'GET', `/messages?${q}`);
      assert.deepEqual([r.status, errorCode(r)], [400, 'request.invalid_query'], q);
    }
  });

  it('concurrent senders and a concurrently polling receiver: the cursor never skips or repeats a row', async () => {
    const receiver = await h.register();
    const senders = await Promise.all(Array.from({ length: 6 }, () => h.register()));
    const conv = await h.conversation(receiver, senders);
    const PER_SENDER = 25;
    const sent = new Set<string>();
    let sending = true;
    const received: QueuedMessageWire[] = [];
    const poller = (async () => {
      let cursor = 0;
      for (;;) {
        const stillSending = sending;
        const r = await poll(receiver, cursor, '&limit=7');
        received.push(...r.messages);
        cursor = r.cursor;
        if (!stillSending && r.messages.length === 0) return;
      }
    })();
    await Promise.all(
      senders.map(async (s, si) => {
        for (let i = 0; i < PER_SENDER; i++) {
          const text = `s${si}-${i}`;
          const r = await send(s, conv, [{ to: receiver, ciphertext: ct(text) }]);
          assert.equal(r.status, 201);
          sent.add(ct(text));
        }
      }),
    );
    sending = false;
    await poller;
    const seqs = received.map((m) => m.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((x, y) => x - y),
      'in order',
    );
    assert.equal(new Set(seqs).size, seqs.length, 'no duplicates');
    assert.deepEqual(
      seqs,
      Array.from({ length: seqs.length }, (_, i) => i + 1),
      'no gaps',
    );
    const got = new Set(
      userRows({ messages: received, cursor: 0, oneTimePreKeyCount: 0 }).map(
        (m) => (m as { ciphertext: string }).ciphertext,
      ),
    );
    assert.deepEqual(got, sent);
  });
});
