import { deviceFingerprint } from '../../protocol/keyPayloads.ts';
import { moltbotIdFromPublicKey } from '../../protocol/moltbotId.ts';
import { PAIRING_TTL_DEFAULT_SECONDS } from '../../protocol/pairingToken.ts';
import {
  validatePairApprove,
  validatePairInit,
  validatePairReject,
  validatePairRequest,
} from '../../protocol/validate/validatePairing.ts';
import type {
  PairApproveResponse,
  PairInitResponse,
  PairPendingResponse,
  PairRequestResponse,
  PairStatusResponse,
} from '../../protocol/wireTypes.ts';
import type { CallerRecord, PendingDevice } from '../../store/relayStore.ts';
import { errorReply, ok, type Reply, rateLimitedReply } from '../http/reply.ts';
import { checkDeviceCertificate, checkDeviceKeySignatures } from '../keyChecks.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { b64, keysFromWire, noBody, parseBody, unb64 } from '../wire.ts';

const tokenNotFound = (): Reply => errorReply('pair.token_not_found', 'no such pairing token');
const tokenExpired = (): Reply =>
  errorReply('pair.token_expired', 'this pairing token has expired');
const tokenUsed = (): Reply =>
  errorReply('pair.token_used', 'this pairing token was already used, approved or rejected');

export const pairingRoutes: readonly AnyRoute[] = [
  defineRoute<{ expiresInSeconds: number }>({
    method: 'POST',
    pattern: '/pair/init',
    auth: 'owner',
    parse: (req) => {
      const body =
        req.body.length === 0
          ? ({ ok: true, value: {} } as const)
          : parseBody(req.body, validatePairInit);
      if (!body.ok) return body;
      return {
        ok: true,
        value: { expiresInSeconds: body.value.expiresInSeconds ?? PAIRING_TTL_DEFAULT_SECONDS },
      };
    },
    handle: async (input, req, deps) => {
      const moltbotId = (req.caller as CallerRecord).moltbotId;
      const expiresAt = req.now + input.expiresInSeconds * 1000;
      // A collision among live tokens is ~n/8.5e11 per draw; retry a few times anyway.
      for (let attempt = 0; attempt < 5; attempt++) {
        const token = deps.randomToken();
        const r = await deps.store.pairing.create({ moltbotId, token, now: req.now, expiresAt });
        if (r.kind === 'rateLimited') return rateLimitedReply(r);
        if (r.kind === 'created') {
          const out: PairInitResponse = {
            token,
            url: `${deps.publicUrl}/pair/${token}`,
            expiresAt,
          };
          return ok(out, 201);
        }
      }
      throw new Error('pairing token space exhausted');
    },
  }),

  defineRoute<PendingDevice & { token: string }>({
    method: 'POST',
    pattern: '/pair/request',
    auth: 'none',
    parse: (req, deps) => {
      const body = parseBody(req.body, (v) => validatePairRequest(v, deps.limits));
      if (!body.ok) return body;
      const signingKey = unb64(body.value.device.signingKey);
      const keys = keysFromWire(body.value.device);
      const ids = keys.oneTimePreKeys.map((k) => k.id);
      if (new Set(ids).size !== ids.length) {
        return {
          ok: false,
          reply: errorReply('keys.duplicate_prekey_id', 'a one-time pre-key id is repeated', {
            field: 'device.oneTimePreKeys',
          }),
        };
      }
      // The device proves it holds the signing key by signing its own identity and pre-keys.
      const bad = checkDeviceKeySignatures(signingKey, keys);
      if (bad !== null) {
        return {
          ok: false,
          reply: errorReply('keys.signature_invalid', `device.${bad} does not verify`, {
            field: `device.${bad}`,
          }),
        };
      }
      return {
        ok: true,
        value: {
          token: body.value.token,
          deviceId: moltbotIdFromPublicKey(signingKey),
          name: body.value.name,
          signingKey,
          keys,
        },
      };
    },
    handle: async (input, req, deps) => {
      const { token, ...device } = input;
      const r = await deps.store.pairing.submit({
        token,
        address: req.address,
        device,
        now: req.now,
      });
      switch (r.kind) {
        case 'submitted': {
          const out: PairRequestResponse = {
            status: 'submitted',
            deviceId: device.deviceId,
            fingerprint: deviceFingerprint(device.signingKey, device.keys.identityKey),
            expiresAt: r.expiresAt,
          };
          return ok(out);
        }
        case 'notFound':
          return tokenNotFound();
        case 'expired':
          return tokenExpired();
        case 'used':
          return tokenUsed();
        case 'deviceExists':
          return errorReply('pair.device_exists', 'this device key is already registered');
        case 'rateLimited':
          return rateLimitedReply(r);
      }
    },
  }),

  defineRoute<null>({
    method: 'GET',
    pattern: '/pair/pending',
    auth: 'owner',
    maxBody: () => 0,
    parse: () => ({ ok: true, value: null }),
    handle: async (_input, req, deps) => {
      const records = await deps.store.pairing.pending(
        (req.caller as CallerRecord).moltbotId,
        req.now,
      );
      const out: PairPendingResponse = {
        requests: records.flatMap((t) =>
          t.device === null || t.submittedAt === null
            ? []
            : [
                {
                  token: t.token,
                  deviceId: t.device.deviceId,
                  name: t.device.name,
                  fingerprint: deviceFingerprint(t.device.signingKey, t.device.keys.identityKey),
                  signingKey: b64(t.device.signingKey),
                  identityKey: b64(t.device.keys.identityKey),
                  submittedAt: t.submittedAt,
                  expiresAt: t.expiresAt,
                },
              ],
        ),
      };
      return ok(out);
    },
  }),

  defineRoute<{ token: string; certificate: Uint8Array; linkBundle: Uint8Array }>({
    method: 'POST',
    pattern: '/pair/approve',
    auth: 'owner',
    parse: (req, deps) => {
      const body = parseBody(req.body, (v) => validatePairApprove(v, deps.limits));
      if (!body.ok) return body;
      return {
        ok: true,
        value: {
          token: body.value.token,
          certificate: unb64(body.value.certificate),
          linkBundle: unb64(body.value.linkBundle),
        },
      };
    },
    handle: async (input, req, deps) => {
      const owner = req.caller as CallerRecord;
      const t = await deps.store.pairing.get(owner.moltbotId, input.token);
      if (t === null) return tokenNotFound();
      if (req.now >= t.expiresAt) return tokenExpired();
      if (t.status === 'approved' || t.status === 'rejected') return tokenUsed();
      if (t.status === 'pending' || t.device === null) {
        return errorReply('pair.not_submitted', 'no device has submitted this token yet');
      }
      const valid = checkDeviceCertificate({
        ownerKey: owner.signingKey,
        moltbotId: owner.moltbotId,
        deviceId: t.device.deviceId,
        signingKey: t.device.signingKey,
        identityKey: t.device.keys.identityKey,
        certificate: input.certificate,
      });
      if (!valid) {
        return errorReply(
          'pair.certificate_invalid',
          'certificate is not the owner key’s signature over this device’s certificate payload',
          { field: 'certificate' },
        );
      }
      const r = await deps.store.pairing.approve({
        moltbotId: owner.moltbotId,
        token: input.token,
        deviceId: t.device.deviceId,
        certificate: input.certificate,
        linkBundle: input.linkBundle,
        now: req.now,
      });
      switch (r.kind) {
        case 'approved': {
          deps.waiters.wake(r.notify);
          const out: PairApproveResponse = { status: 'approved', deviceId: t.device.deviceId };
          return ok(out);
        }
        case 'notFound':
          return tokenNotFound();
        case 'expired':
          return tokenExpired();
        case 'notSubmitted':
          return errorReply('pair.not_submitted', 'no device has submitted this token yet');
        case 'used':
          return tokenUsed();
        case 'deviceExists':
          return errorReply('pair.device_exists', 'this device key is already registered');
      }
    },
  }),

  defineRoute<{ token: string }>({
    method: 'POST',
    pattern: '/pair/reject',
    auth: 'owner',
    parse: (req) => parseBody(req.body, validatePairReject),
    handle: async (input, req, deps) => {
      const r = await deps.store.pairing.reject({
        moltbotId: (req.caller as CallerRecord).moltbotId,
        token: input.token,
        now: req.now,
      });
      switch (r.kind) {
        case 'rejected':
          return ok({ status: 'rejected' });
        case 'notFound':
          return tokenNotFound();
        case 'expired':
          return tokenExpired();
        case 'used':
          return tokenUsed();
      }
    },
  }),

  defineRoute<{ token: string }>({
    method: 'GET',
    pattern: '/pair/status/:token',
    auth: 'none',
    maxBody: () => 0,
    parse: (req) => noBody(req.body, { token: (req.params.token as string).toUpperCase() }),
    handle: async (input, req, deps) => {
      const r = await deps.store.pairing.lookup({
        token: input.token,
        address: req.address,
        now: req.now,
      });
      if (r.kind === 'rateLimited') return rateLimitedReply(r);
      if (r.kind === 'notFound') return tokenNotFound();
      const t = r.record;
      let out: PairStatusResponse;
      // An approved link stays readable after the TTL (until the sweeper drops the row, an hour
      // later): the owner already linked the device, which may just have polled late.
      if (
        t.status === 'approved' &&
        t.device !== null &&
        t.certificate !== null &&
        t.linkBundle !== null
      ) {
        // Public data and ciphertext only: the bundle is encrypted to the device's own key.
        out = {
          status: 'approved',
          expiresAt: t.expiresAt,
          moltbotId: t.moltbotId,
          deviceId: t.device.deviceId,
          certificate: b64(t.certificate),
          linkBundle: b64(t.linkBundle),
        };
      } else if (req.now >= t.expiresAt) out = { status: 'expired', expiresAt: t.expiresAt };
      else
        out = { status: t.status === 'approved' ? 'submitted' : t.status, expiresAt: t.expiresAt };
      return ok(out);
    },
  }),
];
