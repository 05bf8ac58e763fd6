import { encodeBase64 as b64 } from '../crypto/base64.ts';
import type { DoubleRatchet } from '../crypto/doubleRatchet.ts';
import { initiateSession } from '../crypto/session.ts';
import type { ClientContext } from './clientContext.ts';
import { MoltdmClientError } from './clientError.ts';
import {
  type DeviceRecord,
  deviceFromWire,
  type VerifiedBundle,
  verifyDeviceOwnership,
  verifyIdentityResponse,
} from './directory.ts';
import { isMoltdmRelayError } from './relayError.ts';

/**
 * Finding the devices to encrypt to, and the pairwise sessions with them. Bundles are fetched
 * (popping one-time pre-keys) only for devices without a session: the whole device list on first
 * contact with a moltbot, one device at a time afterwards.
 */

async function openSessions(ctx: ClientContext, bundles: readonly VerifiedBundle[]) {
  for (const { device, bundle } of bundles) {
    if (device.deviceId === ctx.s.deviceId) continue;
    ctx.s.directory.put(device, ctx.s.directory.peer(device.moltbotId).ownerKey as Uint8Array);
    if (ctx.s.sessions.current(device.deviceId) !== undefined) continue;
    const session = await initiateSession(ctx.p, ctx.s.keys.identity, bundle);
    ctx.s.sessions.promote(device.deviceId, session);
  }
}

/** Fetches and verifies all devices of a moltbot (first contact) and opens sessions with them. */
async function fetchAllDevices(ctx: ClientContext, moltbotId: string): Promise<void> {
  const r = await ctx.api.identity(moltbotId);
  const v = await verifyIdentityResponse(ctx.p, moltbotId, r);
  ctx.s.directory.peer(moltbotId).ownerKey = v.ownerKey;
  await openSessions(ctx, v.bundles);
}

/** Fetches one device's bundle, verifies it and opens a new session; null if not a device of M. */
export async function fetchDevice(
  ctx: ClientContext,
  moltbotId: string,
  deviceId: string,
): Promise<DeviceRecord | null> {
  let r: Awaited<ReturnType<ClientContext['api']['identity']>>;
  try {
    r = await ctx.api.identity(moltbotId, deviceId);
  } catch (e) {
    if (isMoltdmRelayError(e, 'device.not_found') || isMoltdmRelayError(e, 'identity.not_found')) {
      return null;
    }
    throw e;
  }
  const v = await verifyIdentityResponse(ctx.p, moltbotId, r);
  const found = v.bundles.find((b) => b.device.deviceId === deviceId);
  if (found === undefined) return null;
  ctx.s.directory.peer(moltbotId).ownerKey = v.ownerKey;
  ctx.s.directory.put(found.device, v.ownerKey);
  const session = await initiateSession(ctx.p, ctx.s.keys.identity, found.bundle);
  ctx.s.sessions.promote(deviceId, session);
  return found.device;
}

/** This moltbot's other devices, from GET /devices (no pre-key is popped). */
export async function refreshOwnDevices(ctx: ClientContext): Promise<void> {
  const { devices } = await ctx.api.devices();
  const self = ctx.s.directory.peer(ctx.s.moltbotId);
  self.ownerKey = ctx.s.ownerKey;
  for (const w of devices) {
    if (w.deviceId === ctx.s.deviceId) continue;
    if (w.revokedAt !== null) {
      if (!self.revoked.has(w.deviceId)) {
        ctx.s.directory.revoke(ctx.s.moltbotId, w.deviceId);
        ctx.s.sessions.drop(w.deviceId);
      }
      continue;
    }
    const d = deviceFromWire(w);
    if (await verifyDeviceOwnership(ctx.p, d, ctx.s.ownerKey))
      ctx.s.directory.put(d, ctx.s.ownerKey);
  }
}

/**
 * The devices a message to these members goes to: every verified device of every other member,
 * and this moltbot's own other devices (so all of one's devices see the conversation).
 */
export async function targetDevices(
  ctx: ClientContext,
  members: readonly string[],
): Promise<DeviceRecord[]> {
  const out: DeviceRecord[] = [];
  for (const m of new Set([...members, ctx.s.moltbotId])) {
    const peer = ctx.s.directory.known(m);
    if (m !== ctx.s.moltbotId && (peer === undefined || peer.devices.size === 0)) {
      await fetchAllDevices(ctx, m);
    }
    for (const d of ctx.s.directory.known(m)?.devices.values() ?? []) {
      if (d.deviceId !== ctx.s.deviceId) out.push(d);
    }
  }
  return out;
}

/** The current session with a device, opening one from a fresh bundle when there is none. */
export async function sessionWith(ctx: ClientContext, d: DeviceRecord): Promise<DoubleRatchet> {
  const s = ctx.s.sessions.current(d.deviceId);
  if (s !== undefined) return s;
  const fetched = await fetchDevice(ctx, d.moltbotId, d.deviceId);
  const opened = fetched === null ? undefined : ctx.s.sessions.current(d.deviceId);
  if (opened === undefined) {
    ctx.s.directory.forget(d.moltbotId, d.deviceId);
    throw new MoltdmClientError('client.no_session', `device ${d.deviceId} has no bundle`);
  }
  return opened;
}

/**
 * Finds which member a device the relay reported as missing belongs to (own devices first),
 * verifies it and opens a session; null when it belongs to none of them.
 */
export async function resolveDevice(
  ctx: ClientContext,
  members: readonly string[],
  deviceId: string,
): Promise<DeviceRecord | null> {
  const known = ctx.s.directory.device(deviceId);
  if (known !== undefined) return known;
  await refreshOwnDevices(ctx);
  const own = ctx.s.directory.known(ctx.s.moltbotId)?.devices.get(deviceId);
  if (own !== undefined) return own;
  for (const m of members) {
    if (m === ctx.s.moltbotId) continue;
    const d = await fetchDevice(ctx, m, deviceId);
    if (d !== null) return d;
  }
  return null;
}

/** Sent with pre-key messages from a linked device, so receivers can verify it without a fetch. */
export function deviceProof(ctx: ClientContext): { owner: string; cert: string } | undefined {
  return ctx.s.certificate === null
    ? undefined
    : { owner: b64(ctx.s.ownerKey), cert: b64(ctx.s.certificate) };
}
