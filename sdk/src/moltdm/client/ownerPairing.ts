import {
  deviceCertificatePayload,
  deviceFingerprint,
  moltbotIdFromPublicKey,
  normalizePairingToken,
} from '@moltbook/relay/protocol';
import { encodeBase64 as b64, decodeBase64 as unb64 } from '../crypto/base64.ts';
import { sealBox } from '../crypto/sealedBox.ts';
import type { ClientContext } from './clientContext.ts';
import { MoltdmClientError } from './clientError.ts';
import type { DeviceRecord } from './directory.ts';
import { encodeLinkBundle, type LinkBundle, linkBundleContext } from './linkBundle.ts';

/** Conversations listed in a link bundle at most (the relay takes 64 KiB of bundle). */
const MAX_BUNDLE_CONVERSATIONS = 100;

export interface PendingPairing {
  readonly token: string;
  readonly deviceId: string;
  /** The name the device gave itself, e.g. "Firefox on Linux" (chosen by whoever holds it). */
  readonly name: string;
  /** Computed here from the device's keys: compare it with the one the device shows. */
  readonly fingerprint: string;
  readonly submittedAt: number;
  readonly expiresAt: number;
}

/** Compares fingerprints as people type them: case and spacing do not matter. */
export function sameFingerprint(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[^0-9a-f]/g, '');
  return norm(a) === norm(b) && norm(a).length === 40;
}

/** Devices waiting for approval, each checked: the id is the hash of its signing key. */
export async function pendingPairings(ctx: ClientContext): Promise<PendingPairing[]> {
  const { requests } = await ctx.api.pairPending();
  const out: PendingPairing[] = [];
  for (const r of requests) {
    const signingKey = unb64(r.signingKey);
    if (moltbotIdFromPublicKey(signingKey) !== r.deviceId) continue;
    out.push({
      token: r.token,
      deviceId: r.deviceId,
      name: r.name,
      fingerprint: deviceFingerprint(signingKey, unb64(r.identityKey)),
      submittedAt: r.submittedAt,
      expiresAt: r.expiresAt,
    });
  }
  return out;
}

function bundleFor(ctx: ClientContext, device: DeviceRecord): LinkBundle {
  const s = ctx.s;
  const own = [...(s.directory.known(s.moltbotId)?.devices.values() ?? [])].filter(
    (d) => d.deviceId !== device.deviceId,
  );
  const conversations = s.conversations
    .list()
    .filter((c) => c.active && c.consent !== 'declined')
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, MAX_BUNDLE_CONVERSATIONS);
  return {
    v: 1,
    moltbotId: s.moltbotId,
    ownerKey: b64(s.ownerKey),
    deviceId: device.deviceId,
    devices: [
      {
        deviceId: s.deviceId,
        kind: 'primary',
        signingKey: b64(s.keys.identity.signing.publicKey),
        identityKey: b64(s.keys.identity.identityKey.publicKey),
        certificate: null,
      },
      ...own.map((d) => ({
        deviceId: d.deviceId,
        kind: d.kind,
        signingKey: b64(d.signingKey),
        identityKey: b64(d.identityKey),
        certificate: d.certificate === null ? null : b64(d.certificate),
      })),
    ],
    conversations: conversations.map((c) => ({
      id: c.id,
      kind: c.kind,
      title: c.title,
      createdBy: c.createdBy,
      createdAt: c.createdAt,
      members: c.members,
      consent: c.consent,
      invitedBy: c.invitedBy,
    })),
    contacts: [...s.contacts],
    blocked: [...s.blocked],
    senderKeys: conversations.flatMap((c) => {
      const rec = s.groups.outbound.get(c.id);
      return rec === undefined ? [] : [{ conversationId: c.id, dist: b64(rec.key.distribution()) }];
    }),
  };
}

/**
 * Approves a device that asked with `token` — always an explicit call by the owner: signs the
 * device certificate over the keys the device submitted and sends the link bundle sealed to the
 * device's X25519 identity key. With `fingerprint` (what the device shows), refuses unless it
 * matches the submitted keys.
 */
export async function approvePairing(
  ctx: ClientContext,
  token: string,
  fingerprint: string | undefined,
): Promise<{ deviceId: string; fingerprint: string }> {
  if (ctx.s.kind !== 'primary') throw new MoltdmClientError('client.not_primary');
  const t = normalizePairingToken(token);
  const { requests } = await ctx.api.pairPending();
  const r = requests.find((x) => x.token === t);
  if (t === null || r === undefined) throw new MoltdmClientError('client.not_found', 'pairing');
  const signingKey = unb64(r.signingKey);
  const identityKey = unb64(r.identityKey);
  if (moltbotIdFromPublicKey(signingKey) !== r.deviceId) {
    throw new MoltdmClientError('client.unverified_device', r.deviceId);
  }
  const fp = deviceFingerprint(signingKey, identityKey);
  if (fingerprint !== undefined && !sameFingerprint(fingerprint, fp)) {
    throw new MoltdmClientError('client.fingerprint_mismatch', `device shows ${fp}`);
  }
  const certificate = await ctx.p.ed25519Sign(
    ctx.s.keys.identity.signing.privateKey,
    deviceCertificatePayload({
      moltbotId: ctx.s.moltbotId,
      deviceId: r.deviceId,
      signingKey,
      identityKey,
    }),
  );
  const device: DeviceRecord = {
    deviceId: r.deviceId,
    moltbotId: ctx.s.moltbotId,
    kind: 'linked',
    signingKey,
    identityKey,
    certificate,
  };
  const bundle = bundleFor(ctx, device);
  const sealed = await sealBox(
    ctx.p,
    identityKey,
    encodeLinkBundle(bundle),
    linkBundleContext(t, r.deviceId),
  );
  ctx.s.directory.put(device, ctx.s.ownerKey);
  for (const k of bundle.senderKeys) {
    ctx.s.groups.outbound.get(k.conversationId)?.distributedTo.add(r.deviceId);
  }
  await ctx.save();
  await ctx.api.pairApprove({ token: t, certificate: b64(certificate), linkBundle: b64(sealed) });
  return { deviceId: r.deviceId, fingerprint: fp };
}
