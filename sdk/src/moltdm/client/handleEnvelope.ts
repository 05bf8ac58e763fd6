import { decodeBase64 as unb64 } from '../crypto/base64.ts';
import { isMoltdmCryptoError } from '../crypto/errors.ts';
import { InboundSenderKey } from '../crypto/inboundSenderKey.ts';
import type { ClientContext } from './clientContext.ts';
import { isMoltdmClientError, type MoltdmClientErrorCode } from './clientError.ts';
import type { ConversationRecord, StoredMessage } from './conversations.ts';
import type { Envelope } from './envelope.ts';
import { groupMessage } from './inbox.ts';
import { ensureConversation, setConsent } from './membership.ts';
import { applyReaction } from './messaging.ts';
import { distribute } from './outbox.ts';

export interface Sender {
  readonly moltbotId: string;
  readonly deviceId: string;
}

type Via = 'pairwise' | 'group';

function dropped(
  ctx: ClientContext,
  env: Envelope,
  from: Sender,
  relayId: string,
  code: MoltdmClientErrorCode | 'crypto.key_conflict' | 'crypto.malformed',
  action: 'dropped' | 'ignored' = 'dropped',
): void {
  ctx.emit({ type: 'decryptionFailed', conversationId: env.cid, relayId, from, code, action });
}

function storeMessage(
  ctx: ClientContext,
  c: ConversationRecord,
  env: Extract<Envelope, { t: 'msg' }>,
  from: Sender,
): void {
  const outgoing = from.moltbotId === ctx.s.moltbotId;
  const m: StoredMessage = {
    id: env.mid,
    conversationId: c.id,
    from: { moltbotId: from.moltbotId, deviceId: from.deviceId },
    outgoing,
    sentAt: env.ts,
    receivedAt: ctx.clock(),
    text: env.text ?? null,
    attachments: env.att ?? [],
    replyTo: env.re ?? null,
    reactions: {},
    readBy: [],
  };
  if (!ctx.s.conversations.addMessage(c, m)) return;
  if (outgoing && c.consent === 'request') setConsent(ctx, c, 'accepted');
  if (c.consent === 'accepted') ctx.emit({ type: 'message', conversationId: c.id, message: m });
  else if (c.consent === 'request') {
    ctx.emit({ type: 'messageRequest', conversationId: c.id, message: m });
  }
}

/** Installs a sender key received over a pairwise session, then reads what waited for it. */
async function installSenderKey(
  ctx: ClientContext,
  c: ConversationRecord,
  env: Extract<Envelope, { t: 'skd' }>,
  from: Sender,
  relayId: string,
): Promise<void> {
  try {
    const dist = unb64(env.dist);
    const held = ctx.s.groups.inbound(c.id, from.deviceId);
    if (held === undefined) {
      const key = await InboundSenderKey.fromDistribution(ctx.p, c.id, dist);
      ctx.s.groups.setInbound(c.id, from.deviceId, key);
    } else await held.process(dist);
  } catch (e) {
    if (!isMoltdmCryptoError(e)) throw e;
    const code = e.code === 'crypto.key_conflict' ? e.code : 'crypto.malformed';
    dropped(
      ctx,
      env,
      from,
      relayId,
      code,
      e.code === 'crypto.stale_version' ? 'ignored' : 'dropped',
    );
    return;
  }
  c.kind = 'group';
  if (env.title !== undefined) c.title = env.title;
  for (const p of ctx.s.groups.release(c.id, from.deviceId)) {
    await groupMessage(
      ctx,
      {
        seq: 0,
        id: p.relayId,
        type: 'sender_key',
        conversationId: p.conversationId,
        from: { moltbotId: p.fromMoltbotId, deviceId: p.fromDeviceId },
        ciphertext: p.ciphertext,
        createdAt: p.createdAt,
        expiresAt: null,
      },
      unb64(p.ciphertext),
    );
  }
}

/** Acts on a decrypted envelope: store and announce content, apply controls. */
export async function handleEnvelope(
  ctx: ClientContext,
  env: Envelope,
  from: Sender,
  via: Via,
  relayId: string,
): Promise<void> {
  let c: ConversationRecord;
  try {
    c = await ensureConversation(ctx, env.cid);
  } catch (e) {
    if (isMoltdmClientError(e, 'client.not_found')) {
      dropped(ctx, env, from, relayId, 'client.not_found');
      return;
    }
    throw e;
  }
  const self = from.moltbotId === ctx.s.moltbotId;
  if (!self && !c.members.includes(from.moltbotId)) {
    dropped(ctx, env, from, relayId, 'client.not_member');
    return;
  }
  if (via === 'group' && env.t !== 'msg' && env.t !== 'reaction') {
    dropped(ctx, env, from, relayId, 'client.bad_envelope');
    return;
  }
  switch (env.t) {
    case 'msg':
      if (via === 'group') c.kind = 'group';
      else c.kind ??= env.ck;
      if (env.title !== undefined && c.kind === 'group') c.title = env.title;
      storeMessage(ctx, c, env, from);
      return;
    case 'reaction': {
      const target = c.messages.find((m) => m.id === env.target);
      if (target !== undefined)
        applyReaction(target, from.moltbotId, env.emoji, env.remove === true);
      if (c.consent === 'accepted') {
        ctx.emit({
          type: 'reaction',
          conversationId: c.id,
          messageId: env.target,
          from: from.moltbotId,
          emoji: env.emoji,
          removed: env.remove === true,
        });
      }
      return;
    }
    case 'receipt':
      for (const m of c.messages) {
        if (env.targets.includes(m.id) && !m.readBy.includes(from.moltbotId)) {
          m.readBy.push(from.moltbotId);
        }
      }
      ctx.emit({
        type: 'receipt',
        conversationId: c.id,
        messageIds: env.targets,
        from: from.moltbotId,
      });
      return;
    case 'skd':
      await installSenderKey(ctx, c, env, from, relayId);
      return;
    case 'key_request': {
      const rec = ctx.s.groups.outbound.get(c.id);
      const device = ctx.s.directory.device(from.deviceId);
      if (c.kind !== 'group' || !c.active || rec === undefined || device === undefined) return;
      rec.distributedTo.delete(device.deviceId);
      await distribute(ctx, c, rec, [device]);
      return;
    }
    case 'resync':
      ctx.emit({ type: 'resync', conversationId: c.id, from, reason: env.reason });
      return;
    case 'sync':
      if (!self) {
        dropped(ctx, env, from, relayId, 'client.not_member');
        return;
      }
      if (env.consent === 'accepted') setConsent(ctx, c, 'accepted');
      else {
        c.consent = 'declined';
        c.messages = [];
      }
      ctx.emit({ type: 'consent', conversationId: c.id, consent: env.consent });
      return;
  }
}
