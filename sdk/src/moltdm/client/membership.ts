import type { ConversationWire } from '@moltbook/relay/protocol';
import type { ClientContext } from './clientContext.ts';
import { MoltdmClientError } from './clientError.ts';
import type { Consent, ConversationRecord } from './conversations.ts';
import { isMoltdmRelayError } from './relayError.ts';

/**
 * Membership and consent bookkeeping, and the sender-key rotation rules (docs/moltdm-client.md
 * "Group rotation"): a member leaving or removed, or a device of a member revoked, rotates this
 * device's sender key of every group it shares with them; the new version is distributed to the
 * remaining devices only, at the next send.
 */

/** Accepted without asking when this moltbot or a contact created it or added us. */
export function consentFor(ctx: ClientContext, inviter: string | null): Consent {
  if (inviter === ctx.s.moltbotId) return 'accepted';
  return inviter !== null && ctx.s.contacts.has(inviter) ? 'accepted' : 'request';
}

export function adopt(ctx: ClientContext, w: ConversationWire, inviter: string | null) {
  const known = ctx.s.conversations.get(w.id);
  const wasActive = known?.active ?? false;
  const c = ctx.s.conversations.upsert(w, {
    consent: consentFor(ctx, inviter),
    invitedBy: inviter,
  });
  if (known !== undefined && !wasActive) {
    c.consent = consentFor(ctx, inviter);
    c.invitedBy = inviter;
  }
  return c;
}

/** The local record, fetched from the relay when unknown (which also proves membership). */
export async function ensureConversation(
  ctx: ClientContext,
  id: string,
): Promise<ConversationRecord> {
  const c = ctx.s.conversations.get(id);
  if (c !== undefined) return c;
  try {
    const { conversation } = await ctx.api.conversation(id);
    return adopt(ctx, conversation, conversation.createdBy);
  } catch (e) {
    if (isMoltdmRelayError(e, 'conversation.not_found')) {
      throw new MoltdmClientError('client.not_found', `conversation ${id}`);
    }
    throw e;
  }
}

/** Members removed or gone: forget what their devices sent in this conversation, rotate ours. */
export async function membersGone(
  ctx: ClientContext,
  c: ConversationRecord,
  gone: readonly string[],
): Promise<void> {
  if (gone.includes(ctx.s.moltbotId)) {
    c.active = false;
    ctx.s.groups.dropConversation(c.id);
    return;
  }
  c.members = c.members.filter((m) => !gone.includes(m));
  for (const m of gone) {
    for (const d of ctx.s.directory.known(m)?.devices.values() ?? []) {
      ctx.s.groups.dropInboundFrom(d.deviceId, c.id);
    }
  }
  await ctx.s.groups.rotate(c.id);
}

/** Refreshes members from the relay (after it refused a recipient as not a member). */
export async function refreshMembers(ctx: ClientContext, c: ConversationRecord): Promise<void> {
  let w: ConversationWire;
  try {
    w = (await ctx.api.conversation(c.id)).conversation;
  } catch (e) {
    if (isMoltdmRelayError(e, 'conversation.not_found')) {
      await membersGone(ctx, c, [ctx.s.moltbotId]);
      throw new MoltdmClientError('client.not_found', `no longer a member of ${c.id}`);
    }
    throw e;
  }
  const now = w.members.map((m) => m.moltbotId);
  const gone = c.members.filter((m) => !now.includes(m));
  c.members = now;
  if (gone.length > 0) await membersGone(ctx, c, gone);
}

/**
 * A device was revoked (by its owner, or the relay said so): never address it again, drop its
 * sessions and sender keys, and rotate our sender key of every group its moltbot is in — for our
 * own devices that is every group. Returns false when it was already handled.
 */
export async function deviceRevoked(
  ctx: ClientContext,
  moltbotId: string,
  deviceId: string,
): Promise<boolean> {
  if (ctx.s.directory.peer(moltbotId).revoked.has(deviceId)) return false;
  ctx.s.directory.revoke(moltbotId, deviceId);
  ctx.s.sessions.drop(deviceId);
  ctx.s.groups.dropInboundFrom(deviceId);
  for (const c of ctx.s.conversations.list()) {
    if (c.active && (moltbotId === ctx.s.moltbotId || c.members.includes(moltbotId))) {
      await ctx.s.groups.rotate(c.id);
    }
  }
  return true;
}

/** Changes consent; accepting shows the held messages (as `message` events). */
export function setConsent(ctx: ClientContext, c: ConversationRecord, consent: Consent): void {
  const was = c.consent;
  c.consent = consent;
  if (consent === 'accepted') {
    if (c.invitedBy !== null && c.invitedBy !== ctx.s.moltbotId) ctx.s.contacts.add(c.invitedBy);
    if (c.kind === 'direct') for (const m of c.members) ctx.s.contacts.add(m);
    ctx.s.contacts.delete(ctx.s.moltbotId);
    if (was === 'request') {
      for (const m of c.messages) {
        if (!m.outgoing) ctx.emit({ type: 'message', conversationId: c.id, message: m });
      }
    }
  }
}
