import type { MessageType, SendMessageResponse } from '@moltbook/relay/protocol';
import { encodeBase64 as b64 } from '../crypto/base64.ts';
import { peekWireKind } from '../crypto/wire.ts';
import type { ClientContext } from './clientContext.ts';
import { MoltdmClientError } from './clientError.ts';
import type { ConversationRecord } from './conversations.ts';
import type { DeviceRecord } from './directory.ts';
import { type Envelope, encodeEnvelope } from './envelope.ts';
import type { OutboundRecord } from './groupKeys.ts';
import { deviceRevoked, membersGone, refreshMembers } from './membership.ts';
import { deviceProof, resolveDevice, sessionWith, targetDevices } from './peers.ts';
import { isMoltdmRelayError, type MoltdmRelayError } from './relayError.ts';

/** Attempts of one send when the relay refuses recipients (revoked, unknown, not a member). */
const ATTEMPTS = 3;

function pairwiseType(env: Envelope, preKey: boolean): MessageType {
  switch (env.t) {
    case 'msg':
      return preKey ? 'prekey' : 'ratchet';
    case 'reaction':
      return 'reaction';
    case 'receipt':
      return 'receipt';
    case 'skd':
      return 'sender_key_distribution';
    case 'sync':
      return 'device_sync';
    default:
      return 'resync';
  }
}

/**
 * Fixes local knowledge after the relay refused some recipients; true when a retry makes sense.
 * A revoked device triggers the rotation rules; a non-member refreshes the member list.
 */
async function recipientError(
  ctx: ClientContext,
  c: ConversationRecord,
  e: MoltdmRelayError,
): Promise<boolean> {
  switch (e.code) {
    case 'message.recipient_revoked':
      for (const id of e.deviceIds) {
        const d = ctx.s.directory.device(id);
        if (d === undefined) ctx.s.sessions.drop(id);
        else await deviceRevoked(ctx, d.moltbotId, id);
      }
      return true;
    case 'message.recipient_unknown':
      for (const id of e.deviceIds) {
        const d = ctx.s.directory.device(id);
        if (d !== undefined) ctx.s.directory.forget(d.moltbotId, id);
        ctx.s.sessions.drop(id);
      }
      return true;
    case 'message.recipient_not_member':
      await refreshMembers(ctx, c);
      for (const id of e.deviceIds) {
        const d = ctx.s.directory.device(id);
        if (
          d !== undefined &&
          !c.members.includes(d.moltbotId) &&
          d.moltbotId !== ctx.s.moltbotId
        ) {
          ctx.s.sessions.drop(id);
        }
      }
      return true;
    case 'conversation.not_found':
      await membersGone(ctx, c, [ctx.s.moltbotId]);
      throw new MoltdmClientError('client.not_found', `not a member of ${c.id}`, { cause: e });
    default:
      return false;
  }
}

function stillAddressable(ctx: ClientContext, c: ConversationRecord, d: DeviceRecord): boolean {
  const peer = ctx.s.directory.known(d.moltbotId);
  return (
    peer?.devices.has(d.deviceId) === true &&
    (d.moltbotId === ctx.s.moltbotId || c.members.includes(d.moltbotId))
  );
}

export interface PairwiseResult {
  readonly response: SendMessageResponse | null;
  readonly sentTo: readonly DeviceRecord[];
}

/**
 * Encrypts `env` once per device over the pairwise sessions (X3DH on first contact) and posts
 * one message with an item per device. The state is saved before posting: a ratchet step must
 * never be reused after a crash.
 */
export async function sendPairwise(
  ctx: ClientContext,
  c: ConversationRecord,
  targets: readonly DeviceRecord[],
  env: Envelope,
  clientMessageId: string = env.mid,
): Promise<PairwiseResult> {
  let list = [...targets];
  for (let attempt = 0; ; attempt++) {
    const items = [];
    const sentTo: DeviceRecord[] = [];
    for (const d of list) {
      let session: Awaited<ReturnType<typeof sessionWith>>;
      try {
        session = await sessionWith(ctx, d);
      } catch (e) {
        if (e instanceof MoltdmClientError && e.code === 'client.no_session') continue;
        throw e;
      }
      const proof = session.awaitingReply ? deviceProof(ctx) : undefined;
      const ct = await session.encrypt(
        encodeEnvelope(proof === undefined ? env : { ...env, dev: proof }),
      );
      items.push({
        toDeviceId: d.deviceId,
        type: pairwiseType(env, peekWireKind(ct) === 'preKey'),
        ciphertext: b64(ct),
      });
      sentTo.push(d);
    }
    await ctx.save();
    if (items.length === 0) return { response: null, sentTo };
    try {
      const response = await ctx.api.send({
        conversationId: c.id,
        clientMessageId: attempt === 0 ? clientMessageId : `${clientMessageId}-r${attempt}`,
        items,
      });
      return { response, sentTo };
    } catch (e) {
      if (attempt + 1 >= ATTEMPTS || !isMoltdmRelayError(e) || !(await recipientError(ctx, c, e))) {
        throw e;
      }
      await ctx.save();
      list = list.filter((d) => stillAddressable(ctx, c, d));
    }
  }
}

/**
 * Devices the relay says the send missed (a new device, or a member whose joining this device has
 * not processed yet: the member list is refreshed once), verified; unverifiable ones skipped.
 */
async function missingDevices(
  ctx: ClientContext,
  c: ConversationRecord,
  response: SendMessageResponse | null,
): Promise<DeviceRecord[]> {
  const out: DeviceRecord[] = [];
  let refreshed = false;
  for (const id of response?.missingDeviceIds ?? []) {
    if (ctx.s.directory.unverifiable.has(id) || id === ctx.s.deviceId) continue;
    let d = await resolveDevice(ctx, c.members, id);
    if (d === null && !refreshed) {
      refreshed = true;
      await refreshMembers(ctx, c);
      d = await resolveDevice(ctx, c.members, id);
    }
    if (d === null) ctx.s.directory.unverifiable.add(id);
    else out.push(d);
  }
  return out;
}

/** A 1:1 (or any pairwise) send with one catch-up round for devices the relay says we missed. */
async function sendDirect(ctx: ClientContext, c: ConversationRecord, env: Envelope) {
  const targets = await targetDevices(ctx, c.members);
  const r = await sendPairwise(ctx, c, targets, env);
  const missed = await missingDevices(ctx, c, r.response);
  if (missed.length > 0) await sendPairwise(ctx, c, missed, env, `${env.mid}-c`);
}

/** Sends our current sender key to devices over the pairwise sessions; marks who has it. */
export async function distribute(
  ctx: ClientContext,
  c: ConversationRecord,
  rec: OutboundRecord,
  devices: readonly DeviceRecord[],
  dist: Uint8Array = rec.key.distribution(),
): Promise<void> {
  const version = rec.key.version;
  const env: Envelope = {
    v: 1,
    t: 'skd',
    cid: c.id,
    mid: await ctx.newId(),
    ts: ctx.clock(),
    dist: b64(dist),
    ...(c.title === null ? {} : { title: c.title }),
  };
  const r = await sendPairwise(ctx, c, devices, env);
  if (rec.key.version !== version) return; // rotated meanwhile: these devices hold an old one
  for (const d of r.sentTo) rec.distributedTo.add(d.deviceId);
}

/**
 * A group send: rotate if needed (done by the membership rules), distribute the current sender
 * key to every device that lacks it, encrypt once, address the same ciphertext to every device.
 * Devices the relay reports missing get the distribution taken just before this message, then
 * the message: they read it and what follows, nothing before.
 */
async function sendGroup(
  ctx: ClientContext,
  c: ConversationRecord,
  env: Envelope,
  type: MessageType,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const rec = await ctx.s.groups.ensureOutbound(ctx.p, c.id);
    const targets = await targetDevices(ctx, c.members);
    const lacking = targets.filter((d) => !rec.distributedTo.has(d.deviceId));
    if (lacking.length > 0) await distribute(ctx, c, rec, lacking);
    const holders = targets.filter((d) => rec.distributedTo.has(d.deviceId));
    const before = rec.key.distribution();
    const ct = b64(await rec.key.encrypt(encodeEnvelope(env)));
    await ctx.save();
    if (holders.length === 0) return;
    let response: SendMessageResponse;
    try {
      response = await ctx.api.send({
        conversationId: c.id,
        clientMessageId: attempt === 0 ? env.mid : `${env.mid}-r${attempt}`,
        items: holders.map((d) => ({ toDeviceId: d.deviceId, type, ciphertext: ct })),
      });
    } catch (e) {
      if (attempt + 1 >= ATTEMPTS || !isMoltdmRelayError(e) || !(await recipientError(ctx, c, e))) {
        throw e;
      }
      await ctx.save();
      continue;
    }
    const missed = await missingDevices(ctx, c, response);
    if (missed.length === 0) return;
    await distribute(ctx, c, rec, missed, before);
    const caught = missed.filter((d) => rec.distributedTo.has(d.deviceId));
    if (caught.length === 0) return;
    await ctx.api.send({
      conversationId: c.id,
      clientMessageId: `${env.mid}-c`,
      items: caught.map((d) => ({ toDeviceId: d.deviceId, type, ciphertext: ct })),
    });
    return;
  }
}

/** A message or reaction to a conversation: sender keys for groups, pairwise otherwise. */
export async function sendContent(
  ctx: ClientContext,
  c: ConversationRecord,
  env: Envelope,
): Promise<void> {
  if (!c.active) throw new MoltdmClientError('client.not_found', `not a member of ${c.id}`);
  if (c.kind === 'group') await sendGroup(ctx, c, env, env.t === 'msg' ? 'sender_key' : 'reaction');
  else await sendDirect(ctx, c, env);
}

/** A control envelope to some devices only (receipts, key requests, resyncs, consent sync). */
export async function sendControl(
  ctx: ClientContext,
  c: ConversationRecord,
  devices: readonly DeviceRecord[],
  env: Envelope,
): Promise<void> {
  await sendPairwise(ctx, c, devices, env);
}

/** This moltbot's other devices. */
export function ownDevices(ctx: ClientContext): DeviceRecord[] {
  return [...(ctx.s.directory.known(ctx.s.moltbotId)?.devices.values() ?? [])].filter(
    (d) => d.deviceId !== ctx.s.deviceId,
  );
}
