import { moltbotIdFromPublicKey, type QueuedMessageWire } from '@moltbook/relay/protocol';
import { decodeBase64 as unb64 } from '../crypto/base64.ts';
import { equalBytes } from '../crypto/bytes.ts';
import type { DoubleRatchet } from '../crypto/doubleRatchet.ts';
import { isMoltdmCryptoError, type MoltdmCryptoErrorCode } from '../crypto/errors.ts';
import { acceptSession } from '../crypto/session.ts';
import { decodePreKeyMessage, decodeSenderKeyMessage, peekWireKind } from '../crypto/wire.ts';
import type { ClientContext } from './clientContext.ts';
import {
  isMoltdmClientError,
  MoltdmClientError,
  type MoltdmClientErrorCode,
} from './clientError.ts';
import { type DeviceRecord, verifyDeviceOwnership } from './directory.ts';
import { decodeEnvelope, type Envelope } from './envelope.ts';
import { handleEnvelope, type Sender } from './handleEnvelope.ts';
import { fetchDevice } from './peers.ts';
import { requestSenderKey, resync } from './repair.ts';
import { handleSystemEvent } from './systemEvents.ts';

type Code = MoltdmCryptoErrorCode | MoltdmClientErrorCode;
type Queued = Extract<QueuedMessageWire, { from: object }>;

function codeOf(e: unknown): Code | null {
  if (isMoltdmCryptoError(e) || isMoltdmClientError(e)) return e.code;
  return null;
}

/** What a failed pairwise message leads to (docs/moltdm-crypto.md "Errors"). */
function pairwiseAction(code: Code): 'resync' | 'ignored' | 'dropped' {
  switch (code) {
    case 'crypto.duplicate_message':
      return 'ignored';
    case 'crypto.bad_signature':
    case 'crypto.low_order_point':
    case 'client.unverified_device':
    case 'client.identity_changed':
    case 'client.bad_envelope':
    case 'client.wrong_conversation':
    case 'client.not_member':
    case 'client.not_found':
      return 'dropped';
    default:
      return 'resync';
  }
}

/**
 * Checks that a device opening a session belongs to the moltbot the relay says sent it: its id is
 * the hash of the signing key in the pre-key message, and it is the primary device or carries
 * the owner's certificate (in the envelope, or fetched when absent).
 */
async function verifyInitiator(
  ctx: ClientContext,
  from: Sender,
  initiator: { signingKey: Uint8Array; identityKey: Uint8Array },
  env: Envelope,
): Promise<void> {
  if (moltbotIdFromPublicKey(initiator.signingKey) !== from.deviceId) {
    throw new MoltdmClientError('client.unverified_device', 'signing key is not the sender id');
  }
  const known = ctx.s.directory.device(from.deviceId);
  if (known !== undefined) {
    if (
      known.moltbotId !== from.moltbotId ||
      !equalBytes(known.signingKey, initiator.signingKey) ||
      !equalBytes(known.identityKey, initiator.identityKey)
    ) {
      throw new MoltdmClientError('client.identity_changed', from.deviceId);
    }
    return;
  }
  const primary = from.deviceId === from.moltbotId;
  const ownerKey = primary
    ? initiator.signingKey
    : env.dev === undefined
      ? ctx.s.directory.known(from.moltbotId)?.ownerKey
      : unb64(env.dev.owner);
  const d: DeviceRecord = {
    deviceId: from.deviceId,
    moltbotId: from.moltbotId,
    kind: primary ? 'primary' : 'linked',
    signingKey: initiator.signingKey,
    identityKey: initiator.identityKey,
    certificate: env.dev === undefined ? null : unb64(env.dev.cert),
  };
  if (
    ownerKey !== undefined &&
    ownerKey !== null &&
    (await verifyDeviceOwnership(ctx.p, d, ownerKey))
  ) {
    ctx.s.directory.put(d, ownerKey);
    return;
  }
  // No proof with the message: ask the relay for the device and check its certificate.
  const fetched = await fetchDevice(ctx, from.moltbotId, from.deviceId);
  if (
    fetched === null ||
    !equalBytes(fetched.signingKey, initiator.signingKey) ||
    !equalBytes(fetched.identityKey, initiator.identityKey)
  ) {
    throw new MoltdmClientError('client.unverified_device', from.deviceId);
  }
}

/** Decrypts a pre-key or ratchet message from a device, opening or choosing the session. */
async function openPairwise(ctx: ClientContext, from: Sender, bytes: Uint8Array) {
  if (peekWireKind(bytes) === 'preKey') {
    const pre = decodePreKeyMessage(bytes);
    const existing = ctx.s.sessions.byBaseKey(from.deviceId, pre.baseKey);
    if (existing === undefined) {
      const accepted = await acceptSession(ctx.p, ctx.s.keys.identity, ctx.s.keys, bytes);
      try {
        const env = decodeEnvelope(accepted.plaintext);
        await verifyInitiator(ctx, from, accepted.initiator, env);
        ctx.s.sessions.promote(from.deviceId, accepted.session);
        return env;
      } catch (e) {
        accepted.session.destroy();
        throw e;
      }
    }
    const env = decodeEnvelope(await existing.decrypt(bytes));
    ctx.s.sessions.promote(from.deviceId, existing);
    return env;
  }
  const sessions = ctx.s.sessions.all(from.deviceId);
  if (sessions.length === 0) throw new MoltdmClientError('client.no_session', from.deviceId);
  let first: unknown = null;
  for (const s of sessions) {
    let plain: Uint8Array;
    try {
      plain = await s.decrypt(bytes);
    } catch (e) {
      if (isMoltdmCryptoError(e, 'crypto.duplicate_message')) throw e;
      first ??= e;
      continue;
    }
    if (s !== sessions[0]) ctx.s.sessions.promote(from.deviceId, s as DoubleRatchet);
    return decodeEnvelope(plain);
  }
  throw first;
}

function failure(
  ctx: ClientContext,
  m: Queued,
  code: Code,
  action: 'resync' | 'keyRequested' | 'ignored' | 'dropped' | 'unavailable',
): void {
  ctx.emit({
    type: 'decryptionFailed',
    conversationId: m.conversationId,
    relayId: m.id,
    from: m.from,
    code,
    action,
  });
}

async function pairwise(ctx: ClientContext, m: Queued, bytes: Uint8Array): Promise<void> {
  let env: Envelope;
  try {
    env = await openPairwise(ctx, m.from, bytes);
    if (env.cid !== m.conversationId) {
      throw new MoltdmClientError('client.wrong_conversation', `${env.cid} ≠ ${m.conversationId}`);
    }
  } catch (e) {
    const code = codeOf(e);
    if (code === null) throw e;
    const action = pairwiseAction(code);
    failure(ctx, m, code, action);
    if (action === 'resync') await resync(ctx, m.from, m.conversationId, code);
    return;
  }
  await handleEnvelope(ctx, env, m.from, 'pairwise', m.id);
}

/** Decrypts a group message with the sender device's key; holds it when the key is missing. */
export async function groupMessage(
  ctx: ClientContext,
  m: Queued,
  bytes: Uint8Array,
): Promise<'done' | 'held'> {
  let env: Envelope;
  try {
    const key = ctx.s.groups.inbound(m.conversationId, m.from.deviceId);
    if (key === undefined) throw new MoltdmClientError('client.no_sender_key', m.from.deviceId);
    env = decodeEnvelope(await key.decrypt(bytes));
    if (env.cid !== m.conversationId) throw new MoltdmClientError('client.wrong_conversation');
  } catch (e) {
    const code = codeOf(e);
    if (code === null) throw e;
    switch (code) {
      case 'client.no_sender_key':
      case 'crypto.unknown_sender_key':
        ctx.s.groups.hold({
          conversationId: m.conversationId,
          fromMoltbotId: m.from.moltbotId,
          fromDeviceId: m.from.deviceId,
          relayId: m.id,
          ciphertext: m.ciphertext,
          createdAt: m.createdAt,
        });
        failure(ctx, m, code, 'keyRequested');
        await requestSenderKey(
          ctx,
          m.from,
          m.conversationId,
          decodeSenderKeyMessage(bytes).keyVersion,
        );
        return 'held';
      case 'crypto.key_unavailable':
        failure(ctx, m, code, 'unavailable');
        return 'done';
      case 'crypto.duplicate_message':
      case 'crypto.stale_version':
        failure(ctx, m, code, 'ignored');
        return 'done';
      case 'crypto.bad_signature':
      case 'client.bad_envelope':
      case 'client.wrong_conversation':
        failure(ctx, m, code, 'dropped');
        return 'done';
      default:
        failure(ctx, m, code, 'keyRequested');
        await requestSenderKey(ctx, m.from, m.conversationId, null);
        return 'done';
    }
  }
  await handleEnvelope(ctx, env, m.from, 'group', m.id);
  return 'done';
}

/**
 * Processes one queued row: a relay system event, or a ciphertext dispatched by its wire kind
 * (never by the relay's type label). Every failure is reported as an event; none is silent.
 */
export async function processQueued(ctx: ClientContext, m: QueuedMessageWire): Promise<void> {
  if (m.type === 'system') {
    await handleSystemEvent(ctx, m.event);
    return;
  }
  if (ctx.s.blocked.has(m.from.moltbotId)) return;
  let bytes: Uint8Array;
  let kind: ReturnType<typeof peekWireKind>;
  try {
    bytes = unb64(m.ciphertext);
    kind = peekWireKind(bytes);
  } catch {
    failure(ctx, m, 'crypto.malformed', 'dropped');
    return;
  }
  if (kind === 'preKey' || kind === 'ratchet') await pairwise(ctx, m, bytes);
  else if (kind === 'senderKey') await groupMessage(ctx, m, bytes);
  else failure(ctx, m, 'crypto.malformed', 'dropped');
}
