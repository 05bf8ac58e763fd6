import type { SystemEvent } from '@moltbook/relay/protocol';
import type { ClientContext } from './clientContext.ts';
import { adopt, deviceRevoked, membersGone } from './membership.ts';
import { fetchDevice, refreshOwnDevices } from './peers.ts';
import { isMoltdmRelayError } from './relayError.ts';

/**
 * Relay system events, in queue order with the messages around them (docs/moltdm.md "Messages
 * and queues"): they keep members and devices current and drive sender-key rotation.
 */
export async function handleSystemEvent(ctx: ClientContext, ev: SystemEvent): Promise<void> {
  const me = ctx.s.moltbotId;
  switch (ev.kind) {
    case 'member_added': {
      const c = ctx.s.conversations.get(ev.conversationId);
      if (ev.moltbotIds.includes(me) || c === undefined) {
        try {
          const { conversation } = await ctx.api.conversation(ev.conversationId);
          adopt(ctx, conversation, ev.moltbotIds.includes(me) ? ev.actor : conversation.createdBy);
        } catch (e) {
          // Removed again before we looked: the member_removed event follows in the queue.
          if (!isMoltdmRelayError(e, 'conversation.not_found')) throw e;
        }
      } else {
        c.members = [...new Set([...c.members, ...ev.moltbotIds])];
      }
      break;
    }
    case 'member_removed':
    case 'member_left': {
      const c = ctx.s.conversations.get(ev.conversationId);
      const gone = ev.kind === 'member_left' ? [ev.moltbotId] : ev.moltbotIds;
      if (c !== undefined) await membersGone(ctx, c, gone);
      break;
    }
    case 'device_linked':
      if (ev.deviceId === ctx.s.deviceId) break;
      if (ev.moltbotId === me) await refreshOwnDevices(ctx);
      else if (ctx.s.directory.device(ev.deviceId) === undefined) {
        await fetchDevice(ctx, ev.moltbotId, ev.deviceId);
      }
      break;
    case 'device_revoked':
      if (ev.deviceId === ctx.s.deviceId) {
        ctx.s.revoked = true;
        ctx.emit({ type: 'revoked' });
      } else await deviceRevoked(ctx, ev.moltbotId, ev.deviceId);
      break;
  }
  ctx.emit({ type: 'membership', event: ev });
}
