import { moltbotIdFromPublicKey } from '../../protocol/moltbotId.ts';
import {
  validatePreKeysUpload,
  validateRegisterRequest,
} from '../../protocol/validate/validateKeys.ts';
import type {
  IdentityResponse,
  PreKeyStatusResponse,
  PreKeysUploadRequest,
  RegisterResponse,
} from '../../protocol/wireTypes.ts';
import type { CallerRecord, DeviceKeys } from '../../store/relayStore.ts';
import { importEd25519PublicKey } from '../auth/verifyRequest.ts';
import { errorReply, ok, type Reply, rateLimitedReply } from '../http/reply.ts';
import { checkDeviceKeySignatures, checkPreKeySignatures } from '../keyChecks.ts';
import { type AnyRoute, defineRoute, type Parsed, type RouteRequest } from '../route.ts';
import {
  bundleToWire,
  keysFromWire,
  oneTimeFromWire,
  parseBody,
  readQuery,
  signedFromWire,
  unb64,
} from '../wire.ts';

const badKeySignature = (field: string): Reply =>
  errorReply('keys.signature_invalid', `${field} does not verify under the device signing key`, {
    field,
  });

const duplicatePreKeyId = (): Reply =>
  errorReply(
    'keys.duplicate_prekey_id',
    'a one-time pre-key id is repeated or already on the relay',
    {
      field: 'oneTimePreKeys',
    },
  );

/** The caller acts on its own moltbot only. */
function ownMoltbot(req: RouteRequest): Parsed<CallerRecord> {
  const caller = req.caller as CallerRecord;
  if (req.params.moltbotId !== caller.moltbotId) {
    return { ok: false, reply: errorReply('auth.forbidden', 'not a device of this moltbot') };
  }
  return { ok: true, value: caller };
}

export interface RegisterInput {
  readonly moltbotId: string;
  readonly publicKey: Uint8Array;
  readonly keys: DeviceKeys;
}

/** POST /identity/register: exported for the server's self-signed authentication step. */
export const registerRoute = defineRoute<RegisterInput>({
  method: 'POST',
  pattern: '/identity/register',
  auth: 'register',
  parse: (req, deps) => {
    const body = parseBody(req.body, (v) => validateRegisterRequest(v, deps.limits));
    if (!body.ok) return body;
    const publicKey = unb64(body.value.publicKey);
    const keys = keysFromWire(body.value.device);
    const bad = checkDeviceKeySignatures(publicKey, keys);
    if (bad !== null) return { ok: false, reply: badKeySignature(`device.${bad}`) };
    return { ok: true, value: { moltbotId: moltbotIdFromPublicKey(publicKey), publicKey, keys } };
  },
  handle: async (input, req, deps) => {
    const r = await deps.store.identities.register({
      ...input,
      address: req.address,
      now: req.now,
    });
    switch (r.kind) {
      case 'registered': {
        const out: RegisterResponse = {
          moltbotId: input.moltbotId,
          deviceId: input.moltbotId,
          oneTimePreKeyCount: r.oneTimePreKeyCount,
        };
        return ok(out, 201);
      }
      case 'exists':
        return errorReply('identity.already_registered', 'this identity key is already registered');
      case 'duplicatePreKeyId':
        return duplicatePreKeyId();
      case 'rateLimited':
        return rateLimitedReply(r);
    }
  },
});

interface UploadInput {
  readonly deviceId: string;
  readonly upload: PreKeysUploadRequest;
}

function parseUpload(
  req: RouteRequest,
  deps: { limits: Parameters<typeof validatePreKeysUpload>[1] },
): Parsed<UploadInput> {
  const own = ownMoltbot(req);
  if (!own.ok) return own;
  const caller = own.value;
  if (req.params.deviceId !== undefined && req.params.deviceId !== caller.deviceId) {
    return {
      ok: false,
      reply: errorReply('auth.forbidden', 'a device uploads its own pre-keys only'),
    };
  }
  const body = parseBody(req.body, (v) => validatePreKeysUpload(v, deps.limits));
  if (!body.ok) return body;
  const u = body.value;
  const bad = checkPreKeySignatures(importEd25519PublicKey(caller.signingKey), {
    signedPreKey: u.signedPreKey === undefined ? null : signedFromWire(u.signedPreKey),
    lastResortPreKey: u.lastResortPreKey === undefined ? null : signedFromWire(u.lastResortPreKey),
  });
  if (bad !== null) return { ok: false, reply: badKeySignature(bad) };
  return { ok: true, value: { deviceId: caller.deviceId, upload: u } };
}

const uploadHandler: AnyRoute['handle'] = async (input: UploadInput, _req, deps) => {
  const u = input.upload;
  const r = await deps.store.identities.uploadPreKeys({
    deviceId: input.deviceId,
    oneTimePreKeys: (u.oneTimePreKeys ?? []).map(oneTimeFromWire),
    signedPreKey: u.signedPreKey === undefined ? null : signedFromWire(u.signedPreKey),
    lastResortPreKey: u.lastResortPreKey === undefined ? null : signedFromWire(u.lastResortPreKey),
  });
  switch (r.kind) {
    case 'ok':
      return ok({
        deviceId: r.device.deviceId,
        oneTimePreKeyCount: r.device.oneTimePreKeyCount,
        signedPreKeyId: r.device.signedPreKey.id,
        lastResortPreKeyId: r.device.lastResortPreKey.id,
      });
    case 'duplicatePreKeyId':
      return duplicatePreKeyId();
    case 'poolFull':
      return errorReply(
        'keys.pool_full',
        `the relay holds at most ${deps.limits.maxOneTimePreKeyPool} one-time pre-keys per device; room for ${r.room}`,
        { field: 'oneTimePreKeys' },
      );
  }
};

export const identityRoutes: readonly AnyRoute[] = [
  registerRoute,

  defineRoute<{ moltbotId: string; deviceId: string | null }>({
    method: 'GET',
    pattern: '/identity/:moltbotId',
    auth: 'device',
    query: ['device'],
    maxBody: () => 0,
    parse: (req) => {
      const q = readQuery(req.query, ['device']);
      if (!q.ok) return q;
      const device = q.value.device;
      if (device !== undefined && !/^[0-9a-f]{32}$/.test(device)) {
        return {
          ok: false,
          reply: errorReply('request.invalid_query', 'device must be a device id'),
        };
      }
      return {
        ok: true,
        value: { moltbotId: req.params.moltbotId as string, deviceId: device ?? null },
      };
    },
    handle: async (input, req, deps) => {
      const r = await deps.store.identities.fetchBundles({
        requesterDeviceId: (req.caller as CallerRecord).deviceId,
        moltbotId: input.moltbotId,
        deviceId: input.deviceId,
        now: req.now,
      });
      if (r.kind === 'rateLimited') return rateLimitedReply(r);
      if (r.kind === 'notFound') {
        return input.deviceId === null
          ? errorReply('identity.not_found', 'no moltbot with this id')
          : errorReply('device.not_found', 'no active device with this id for this moltbot');
      }
      const out: IdentityResponse = {
        moltbotId: r.identity.moltbotId,
        publicKey: Buffer.from(r.identity.publicKey).toString('base64'),
        registeredAt: r.identity.registeredAt,
        devices: r.devices.map((d) => bundleToWire(d.device, d.preKey)),
      };
      return ok(out);
    },
  }),

  defineRoute<null>({
    method: 'GET',
    pattern: '/identity/:moltbotId/prekeys',
    auth: 'device',
    maxBody: () => 0,
    parse: (req) => {
      const own = ownMoltbot(req);
      return own.ok ? { ok: true, value: null } : own;
    },
    handle: async (_input, req, deps) => {
      const devices = await deps.store.identities.listDevices(
        (req.caller as CallerRecord).moltbotId,
      );
      const out: PreKeyStatusResponse = {
        devices: devices
          .filter((d) => d.revokedAt === null)
          .map((d) => ({
            deviceId: d.deviceId,
            oneTimePreKeyCount: d.oneTimePreKeyCount,
            signedPreKeyId: d.signedPreKey.id,
            lastResortPreKeyId: d.lastResortPreKey.id,
          })),
      };
      return ok(out);
    },
  }),

  defineRoute<UploadInput>({
    method: 'POST',
    pattern: '/identity/:moltbotId/prekeys',
    auth: 'device',
    parse: parseUpload,
    handle: uploadHandler,
  }),

  defineRoute<UploadInput>({
    method: 'POST',
    pattern: '/identity/:moltbotId/devices/:deviceId/prekeys',
    auth: 'device',
    parse: parseUpload,
    handle: uploadHandler,
  }),
];
