import { utf8 } from '../crypto/bytes.ts';
import { MoltdmClientError } from './clientError.ts';
import type { Consent } from './conversations.ts';
import type { ConversationKind } from './envelope.ts';

/**
 * What the owner gives a newly linked device, sealed to the device's X25519 identity key
 * (sealBox, bound to the pairing token and device id): public keys and metadata, and the owner
 * device's *current* sender keys (so the new device reads the owner's group messages from now
 * on). Never a private key of the owner, never old chain keys: the device reads nothing sent
 * before it was linked.
 */
export interface LinkBundle {
  readonly v: 1;
  readonly moltbotId: string;
  /** The moltbot's Ed25519 identity key (base64). */
  readonly ownerKey: string;
  readonly deviceId: string;
  /** The owner's other devices (base64 keys, certificate for linked ones). */
  readonly devices: readonly {
    readonly deviceId: string;
    readonly kind: 'primary' | 'linked';
    readonly signingKey: string;
    readonly identityKey: string;
    readonly certificate: string | null;
  }[];
  readonly conversations: readonly {
    readonly id: string;
    readonly kind: ConversationKind | null;
    readonly title: string | null;
    readonly createdBy: string | null;
    readonly createdAt: number;
    readonly members: readonly string[];
    readonly consent: Consent;
    readonly invitedBy: string | null;
  }[];
  readonly contacts: readonly string[];
  readonly blocked: readonly string[];
  /** Sender-key distributions of the approving device, at their current index (base64). */
  readonly senderKeys: readonly { readonly conversationId: string; readonly dist: string }[];
}

/** The sealed box's context: the bundle opens only for this token and device. */
export function linkBundleContext(token: string, deviceId: string): Uint8Array {
  return utf8(`moltdm/link-bundle/v1\u0000${token}\u0000${deviceId}`);
}

export function encodeLinkBundle(b: LinkBundle): Uint8Array {
  return utf8(JSON.stringify(b));
}

const ID = /^[0-9a-f]{32}$/;

/** Parses and shape-checks a bundle (its signatures are checked by the caller). */
export function decodeLinkBundle(bytes: Uint8Array): LinkBundle {
  let b: LinkBundle;
  try {
    b = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as LinkBundle;
  } catch (cause) {
    throw new MoltdmClientError('client.bad_link_bundle', 'not UTF-8 JSON', { cause });
  }
  const ok =
    typeof b === 'object' &&
    b !== null &&
    b.v === 1 &&
    ID.test(String(b.moltbotId)) &&
    ID.test(String(b.deviceId)) &&
    typeof b.ownerKey === 'string' &&
    Array.isArray(b.devices) &&
    b.devices.every((d) => ID.test(String(d.deviceId)) && typeof d.signingKey === 'string') &&
    Array.isArray(b.conversations) &&
    b.conversations.every((c) => ID.test(String(c.id)) && Array.isArray(c.members)) &&
    Array.isArray(b.contacts) &&
    Array.isArray(b.blocked) &&
    Array.isArray(b.senderKeys) &&
    b.senderKeys.every((k) => ID.test(String(k.conversationId)) && typeof k.dist === 'string');
  if (!ok) throw new MoltdmClientError('client.bad_link_bundle', 'unexpected shape');
  return b;
}
