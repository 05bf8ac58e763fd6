import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bytesToBase64 } from '../src/protocol/index.ts';
import type {
  BlocksResponse,
  ConversationResponse,
  ConversationsResponse,
  ListMessagesResponse,
  SystemEvent,
} from '../src/protocol/wireTypes.ts';
import type { TestDevice } from './helpers/keys.ts';
import { errorCode, Harness } from './helpers/relayHarness.ts';

const big = { limit: 1e9, windowMs: 60_000 };
let h: Harness;
before(async () => {
  h = await Harness.start({ limits: { rates: { register: big, membership: big } } });
});
after(() => h.destroy());

async function events(d: TestDevice): Promise<SystemEvent[]> {
  const r = (await h.signed(d, 'GET', '/messages?limit=500')).json as ListMessagesResponse;
  return r.messages.flatMap((m) => (m.type === 'system' ? [m.event] : []));
}

async function messages(d: TestDevice) {
  const r = (await h.signed(d, 'GET', '/messages?limit=500')).json as ListMessagesResponse;
  return r.messages;
}

describe('conversations and membership events', () => {
  it('create, get, list; members hear member_added in their queues', async () => {
    const [a, b, c] = await Promise.all([h.register(), h.register(), h.register()]);
    const r = await h.signed(a, 'POST', '/conversations', { members: [b.id, c.id] });
    assert.equal(r.status, 201);
    const conv = (r.json as ConversationResponse).conversation;
    assert.equal(conv.createdBy, a.id);
    assert.deepEqual(
      conv.members.map((m) => [m.moltbotId, m.role]).sort(),
      [
        [a.id, 'admin'],
        [b.id, 'member'],
        [c.id, 'member'],
      ].sort(),
    );
    for (const d of [a, b, c]) {
      assert.deepEqual(await events(d), [
        {
          kind: 'member_added',
          conversationId: conv.id,
          actor: a.id,
          moltbotIds: [a.id, b.id, c.id],
        },
      ]);
    }
    assert.deepEqual((await h.signed(b, 'GET', `/conversations/${conv.id}`)).json, {
      conversation: conv,
    });
    const list = (await h.signed(c, 'GET', '/conversations')).json as ConversationsResponse;
    assert.deepEqual(
      list.conversations.map((x) => x.id),
      [conv.id],
    );
    const outsider = await h.register();
    const hidden = await h.signed(outsider, 'GET', `/conversations/${conv.id}`);
    assert.deepEqual([hidden.status, errorCode(hidden)], [404, 'conversation.not_found']);
    const unknown = await h.signed(a, 'POST', '/conversations', { members: ['f'.repeat(32)] });
    assert.deepEqual([unknown.status, errorCode(unknown)], [404, 'identity.not_found']);
    assert.deepEqual((unknown.json as { error: { moltbotIds: string[] } }).error.moltbotIds, [
      'f'.repeat(32),
    ]);
  });

  it('add / remove / leave: events arrive in order with messages; admin rules hold', async () => {
    const [a, b, c, d] = await Promise.all([
      h.register(),
      h.register(),
      h.register(),
      h.register(),
    ]);
    const id = await h.conversation(a, [b]);
    const send = (from: TestDevice, to: TestDevice, text: string) =>
      h.signed(from, 'POST', '/messages', {
        conversationId: id,
        clientMessageId: `${text}-${to.id.slice(0, 6)}`,
        items: [
          {
            toDeviceId: to.id,
            type: 'sender_key',
            ciphertext: bytesToBase64(new TextEncoder().encode(text)),
          },
        ],
      });
    assert.equal((await send(a, b, 'one')).status, 201);
    const notAdmin = await h.signed(b, 'POST', `/conversations/${id}/members`, {
      moltbotIds: [c.id],
    });
    assert.deepEqual([notAdmin.status, errorCode(notAdmin)], [403, 'conversation.not_admin']);
    const add = await h.signed(a, 'POST', `/conversations/${id}/members`, {
      moltbotIds: [c.id, d.id],
    });
    assert.equal(add.status, 200);
    const dup = await h.signed(a, 'POST', `/conversations/${id}/members`, { moltbotIds: [c.id] });
    assert.deepEqual([dup.status, errorCode(dup)], [409, 'conversation.already_member']);
    assert.equal((await send(a, b, 'two')).status, 201);
    const remove = await h.signed(a, 'DELETE', `/conversations/${id}/members/${c.id}`);
    assert.equal(remove.status, 200);
    const removedSend = await send(c, b, 'nope');
    assert.deepEqual([removedSend.status, errorCode(removedSend)], [404, 'conversation.not_found']);
    const toRemoved = await send(a, c, 'nope');
    assert.deepEqual(
      [toRemoved.status, errorCode(toRemoved)],
      [403, 'message.recipient_not_member'],
    );
    assert.deepEqual((await h.signed(a, 'POST', `/conversations/${id}/leave`)).json, {
      status: 'left',
    });

    // b's queue: everything in the order it happened.
    const rows = await messages(b);
    assert.deepEqual(
      rows.map((m) =>
        m.type === 'system'
          ? m.event.kind
          : new TextDecoder().decode(Buffer.from(m.ciphertext, 'base64')),
      ),
      ['member_added', 'one', 'member_added', 'two', 'member_removed', 'member_left'],
    );
    // The removed member heard its removal, and nothing after it.
    assert.deepEqual(
      (await events(c)).map((e) => e.kind),
      ['member_added', 'member_removed'],
    );
    // The last admin left: the longest-standing member (b) took over.
    const after = (await h.signed(b, 'GET', `/conversations/${id}`)).json as ConversationResponse;
    assert.deepEqual(
      after.conversation.members.map((m) => [m.moltbotId, m.role]),
      [
        [b.id, 'admin'],
        [d.id, 'member'],
      ],
    );
    const gone = await h.signed(a, 'GET', `/conversations/${id}`);
    assert.equal(gone.status, 404);
    const self = await h.signed(b, 'DELETE', `/conversations/${id}/members/${b.id}`);
    assert.deepEqual([self.status, errorCode(self)], [400, 'request.invalid_path']);
  });

  it('device_linked and device_revoked reach every device of every co-member', async () => {
    const [a, b] = await Promise.all([h.register(), h.register()]);
    await h.conversation(a, [b]);
    const phone = await h.link(a, 'phone');
    await h.signed(a, 'DELETE', `/devices/${phone.id}`);
    const expected = [
      { kind: 'device_linked', moltbotId: a.id, deviceId: phone.id },
      { kind: 'device_revoked', moltbotId: a.id, deviceId: phone.id },
    ];
    assert.deepEqual((await events(b)).slice(1), expected);
    assert.deepEqual((await events(a)).slice(1), expected);
    const primary = await h.signed(a, 'DELETE', `/devices/${a.id}`);
    assert.deepEqual([primary.status, errorCode(primary)], [400, 'device.cannot_revoke_primary']);
    const other = await h.signed(a, 'DELETE', `/devices/${b.id}`);
    assert.deepEqual([other.status, errorCode(other)], [404, 'device.not_found']);
  });

  it('a linked device may unlink itself but not its siblings', async () => {
    const a = await h.register();
    const one = await h.link(a, 'one');
    const two = await h.link(a, 'two');
    const sibling = await h.signed(one, 'DELETE', `/devices/${two.id}`);
    assert.deepEqual([sibling.status, errorCode(sibling)], [403, 'auth.forbidden']);
    const self = await h.signed(one, 'DELETE', `/devices/${one.id}`);
    assert.equal(self.status, 200);
  });
});

describe('blocks', () => {
  it('a blocked sender’s messages are dropped silently; unblocking restores delivery', async () => {
    const [a, b] = await Promise.all([h.register(), h.register()]);
    const id = await h.conversation(a, [b]);
    assert.deepEqual((await h.signed(b, 'POST', '/blocks', { moltbotId: a.id })).json, {
      moltbotId: a.id,
      blocked: true,
    });
    const list = (await h.signed(b, 'GET', '/blocks')).json as BlocksResponse;
    assert.deepEqual(
      list.blocks.map((x) => x.moltbotId),
      [a.id],
    );
    const body = (n: string) => ({
      conversationId: id,
      clientMessageId: n,
      items: [{ toDeviceId: b.id, type: 'ratchet', ciphertext: 'AAAA' }],
    });
    const blocked = await h.signed(a, 'POST', '/messages', body('while-blocked'));
    assert.equal(blocked.status, 201, 'the sender is not told');
    assert.equal((await messages(b)).filter((m) => m.type !== 'system').length, 0);
    assert.deepEqual((await h.signed(b, 'DELETE', `/blocks/${a.id}`)).json, {
      moltbotId: a.id,
      blocked: false,
    });
    await h.signed(a, 'POST', '/messages', body('after-unblock'));
    assert.equal((await messages(b)).filter((m) => m.type !== 'system').length, 1);
  });

  it('a moltbot that blocked you cannot be added to your conversations', async () => {
    const [a, b] = await Promise.all([h.register(), h.register()]);
    await h.signed(b, 'POST', '/blocks', { moltbotId: a.id });
    const r = await h.signed(a, 'POST', '/conversations', { members: [b.id] });
    assert.deepEqual([r.status, errorCode(r)], [403, 'conversation.add_refused']);
    const self = await h.signed(a, 'POST', '/blocks', { moltbotId: a.id });
    assert.deepEqual([self.status, errorCode(self)], [400, 'request.invalid_body']);
    const unknown = await h.signed(a, 'POST', '/blocks', { moltbotId: 'f'.repeat(32) });
    assert.deepEqual([unknown.status, errorCode(unknown)], [404, 'identity.not_found']);
  });
});
