import type { DevicesResponse, RevokeDeviceResponse } from '../../protocol/wireTypes.ts';
import type { CallerRecord } from '../../store/relayStore.ts';
import { errorReply, ok } from '../http/reply.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { deviceToWire, noBody } from '../wire.ts';

const callerOf = (caller: CallerRecord | null) => caller as CallerRecord;

/** GET /devices, DELETE /devices/:deviceId (docs/moltdm.md "Devices"). */
export const deviceRoutes: readonly AnyRoute[] = [
  defineRoute<null>({
    method: 'GET',
    pattern: '/devices',
    auth: 'device',
    maxBody: () => 0,
    parse: () => ({ ok: true, value: null }),
    handle: async (_input, req, deps) => {
      const list = await deps.store.identities.listDevices(callerOf(req.caller).moltbotId);
      const out: DevicesResponse = { devices: list.map(deviceToWire) };
      return ok(out);
    },
  }),

  defineRoute<{ deviceId: string }>({
    method: 'DELETE',
    pattern: '/devices/:deviceId',
    auth: 'device',
    parse: (req) => {
      const caller = callerOf(req.caller);
      const deviceId = req.params.deviceId as string;
      // The owner revokes any linked device; a linked device may unlink itself.
      if (caller.kind !== 'primary' && caller.deviceId !== deviceId) {
        return {
          ok: false,
          reply: errorReply('auth.forbidden', 'only the owner revokes other devices'),
        };
      }
      return noBody(req.body, { deviceId });
    },
    handle: async (input, req, deps) => {
      const r = await deps.store.identities.revokeDevice({
        moltbotId: callerOf(req.caller).moltbotId,
        deviceId: input.deviceId,
        now: req.now,
      });
      switch (r.kind) {
        case 'revoked': {
          deps.waiters.wake(r.notify);
          const out: RevokeDeviceResponse = { deviceId: input.deviceId, revokedAt: r.revokedAt };
          return ok(out);
        }
        case 'notFound':
          return errorReply('device.not_found', 'no such device of yours');
        case 'primary':
          return errorReply(
            'device.cannot_revoke_primary',
            'the primary device is the identity itself',
          );
      }
    },
  }),
];
