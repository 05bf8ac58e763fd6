import type { ClientContext } from './clientContext.ts';
import { MoltdmClientError } from './clientError.ts';
import type { ConversationRecord, StoredMessage } from './conversations.ts';
import type { AttachmentRef, Envelope } from './envelope.ts';
import { setConsent } from './membership.ts';
import { ownDevices, sendContent, sendControl } from './outbox.ts';
import { targetDevices } from './peers.ts';

/** The body of a message: text, attachments already uploaded, a reply. */
export interface MessageContent {
  readonly text?: string;
  readonly attachments?: readonly AttachmentRef[];
  readonly replyTo?: string;
}

/** Adds or withdraws `who`'s reaction on a stored message. */
export function applyReaction(m: StoredMessage, who: string, emoji: string, remove: boolean) {
  const list = (m.reactions[emoji] ?? []).filter((x) => x !== who);
  if (!remove) list.push(who);
  if (list.length === 0) delete m.reactions[emoji];
  else m.reactions[emoji] = list;
}

/** Stores and sends a message (writing in a request accepts it). */
export async function sendMessage(
  ctx: ClientContext,
  c: ConversationRecord,
  body: MessageContent,
): Promise<StoredMessage> {
  if (c.consent === 'request') setConsent(ctx, c, 'accepted');
  const kind = c.kind ?? 'direct';
  c.kind = kind;
  const env: Envelope = {
    v: 1,
    t: 'msg',
    cid: c.id,
    mid: await ctx.newId(),
    ts: ctx.clock(),
    ck: kind,
    ...(body.text === undefined ? {} : { text: body.text }),
    ...(body.attachments === undefined ? {} : { att: body.attachments }),
    ...(body.replyTo === undefined ? {} : { re: body.replyTo }),
    ...(kind === 'group' && c.title !== null ? { title: c.title } : {}),
  };
  const m: StoredMessage = {
    id: env.mid,
    conversationId: c.id,
    from: { moltbotId: ctx.s.moltbotId, deviceId: ctx.s.deviceId },
    outgoing: true,
    sentAt: env.ts,
    receivedAt: env.ts,
    text: body.text ?? null,
    attachments: body.attachments ?? [],
    replyTo: body.replyTo ?? null,
    reactions: {},
    readBy: [],
  };
  ctx.s.conversations.addMessage(c, m);
  if (kind === 'direct') for (const x of c.members) ctx.s.contacts.add(x);
  ctx.s.contacts.delete(ctx.s.moltbotId);
  try {
    await sendContent(ctx, c, env);
  } catch (e) {
    // Not sent: it must not look sent in the history (the caller may send it again).
    c.messages = c.messages.filter((x) => x !== m);
    throw e;
  }
  return structuredClone(m);
}

export async function sendReaction(
  ctx: ClientContext,
  c: ConversationRecord,
  messageId: string,
  emoji: string,
  remove: boolean,
): Promise<void> {
  const target = c.messages.find((m) => m.id === messageId);
  if (target !== undefined) applyReaction(target, ctx.s.moltbotId, emoji, remove);
  await sendContent(ctx, c, {
    v: 1,
    t: 'reaction',
    cid: c.id,
    mid: await ctx.newId(),
    ts: ctx.clock(),
    ck: c.kind ?? 'direct',
    target: messageId,
    emoji,
    ...(remove ? { remove: true } : {}),
  });
}

/**
 * Read receipts for messages of others (default: every unread one this device has), to their
 * senders' devices and this moltbot's other devices. Never for a message request.
 */
export async function sendReadReceipts(
  ctx: ClientContext,
  c: ConversationRecord,
  messageIds: readonly string[] | undefined,
): Promise<void> {
  if (c.consent !== 'accepted') throw new MoltdmClientError('client.not_accepted', c.id);
  const me = ctx.s.moltbotId;
  const read = c.messages.filter(
    (m) =>
      !m.outgoing &&
      (messageIds === undefined ? !m.readBy.includes(me) : messageIds.includes(m.id)),
  );
  if (read.length === 0) return;
  for (const m of read) if (!m.readBy.includes(me)) m.readBy.push(me);
  const senders = [...new Set(read.map((m) => m.from.moltbotId))].filter((x) =>
    c.members.includes(x),
  );
  const devices = await targetDevices(ctx, senders);
  for (let i = 0; i < read.length; i += 500) {
    await sendControl(ctx, c, devices, {
      v: 1,
      t: 'receipt',
      cid: c.id,
      mid: await ctx.newId(),
      ts: ctx.clock(),
      targets: read.slice(i, i + 500).map((m) => m.id),
    });
  }
}

/** Tells this moltbot's other devices that a request was accepted or declined here. */
export async function syncConsent(
  ctx: ClientContext,
  c: ConversationRecord,
  consent: 'accepted' | 'declined',
): Promise<void> {
  const devices = ownDevices(ctx);
  if (devices.length === 0) return;
  await sendControl(ctx, c, devices, {
    v: 1,
    t: 'sync',
    cid: c.id,
    mid: await ctx.newId(),
    ts: ctx.clock(),
    consent,
  });
}
