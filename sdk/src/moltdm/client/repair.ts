import type { ClientContext } from './clientContext.ts';
import type { ClientState } from './clientState.ts';
import type { Sender } from './handleEnvelope.ts';
import { sendControl } from './outbox.ts';
import { fetchDevice, resolveDevice } from './peers.ts';
import { isMoltdmRelayError } from './relayError.ts';

/** At most one resync per remote device in this window (a resync answering a resync is a loop). */
const RESYNC_INTERVAL_MS = 10_000;
const lastResync = new WeakMap<ClientState, Map<string, number>>();

/** Errors of a repair message are reported, never thrown into the processing of the queue. */
async function quietly(ctx: ClientContext, f: () => Promise<void>): Promise<void> {
  try {
    await f();
  } catch (error) {
    // The conversation is gone for us (removed, left): nothing to repair there.
    if (isMoltdmRelayError(error, 'conversation.not_found')) return;
    ctx.emit({ type: 'error', error });
  }
}

/**
 * After a pairwise message failed to decrypt: open a new session to the sender from a fresh
 * bundle and send a `resync` on it. The peer accepts the pre-key message, which replaces its
 * session with us; both sides keep the old sessions a while for messages already in flight.
 */
export async function resync(
  ctx: ClientContext,
  from: Sender,
  conversationId: string,
  reason: string,
): Promise<void> {
  const now = ctx.clock();
  let seen = lastResync.get(ctx.s);
  if (seen === undefined) {
    seen = new Map();
    lastResync.set(ctx.s, seen);
  }
  if (now - (seen.get(from.deviceId) ?? Number.NEGATIVE_INFINITY) < RESYNC_INTERVAL_MS) return;
  seen.set(from.deviceId, now);
  const c = ctx.s.conversations.get(conversationId);
  if (c === undefined || !c.active) return;
  await quietly(ctx, async () => {
    const d = await fetchDevice(ctx, from.moltbotId, from.deviceId);
    if (d === null) return;
    await sendControl(ctx, c, [d], {
      v: 1,
      t: 'resync',
      cid: c.id,
      mid: await ctx.newId(),
      ts: now,
      reason,
    });
  });
}

/** Asks a device for its current sender key of a conversation (once per version). */
export async function requestSenderKey(
  ctx: ClientContext,
  from: Sender,
  conversationId: string,
  version: number | null,
): Promise<void> {
  const c = ctx.s.conversations.get(conversationId);
  if (c === undefined || !c.active) return;
  const held = ctx.s.groups.inbound(conversationId, from.deviceId)?.version ?? 0;
  const tag = `${conversationId}/${from.deviceId}/${version ?? `after-${held}`}`;
  if (ctx.s.groups.requested.has(tag)) return;
  ctx.s.groups.requested.add(tag);
  await quietly(ctx, async () => {
    const d = await resolveDevice(ctx, c.members, from.deviceId);
    if (d === null) return;
    await sendControl(ctx, c, [d], {
      v: 1,
      t: 'key_request',
      cid: c.id,
      mid: await ctx.newId(),
      ts: ctx.clock(),
    });
  });
}
