/**
 * JSON shapes of every request and response (docs/moltdm.md "API"). Keys, signatures and
 * ciphertexts are canonical standard base64; ids are 32 lowercase hex characters; times are unix
 * milliseconds.
 */
import type { MessageType } from './limits.ts';

// ------------------------------------------------------------------ keys

export interface OneTimePreKeyWire {
  readonly id: number;
  /** X25519 public key. */
  readonly key: string;
}

export interface SignedPreKeyWire {
  readonly id: number;
  readonly key: string;
  /** Ed25519 by the device signing key over signedPreKeyPayload / lastResortPreKeyPayload. */
  readonly signature: string;
}

/** What every device publishes; the signing key is the identity key (primary) or given apart. */
export interface DeviceKeysWire {
  /** X25519 identity key of the device. */
  readonly identityKey: string;
  /** Ed25519 by the device signing key over identityKeyPayload(identityKey). */
  readonly identityKeySignature: string;
  readonly signedPreKey: SignedPreKeyWire;
  readonly lastResortPreKey: SignedPreKeyWire;
  readonly oneTimePreKeys: readonly OneTimePreKeyWire[];
}

/** POST /identity/register. Signed by `publicKey` itself; x-moltbot-id = its moltbot id. */
export interface RegisterRequest {
  /** Ed25519 identity key of the moltbot = signing key of its primary device. */
  readonly publicKey: string;
  readonly device: DeviceKeysWire;
}

export interface RegisterResponse {
  readonly moltbotId: string;
  readonly deviceId: string;
  readonly oneTimePreKeyCount: number;
}

/** POST /identity/:moltbotId/prekeys (the caller's own device). At least one field. */
export interface PreKeysUploadRequest {
  readonly oneTimePreKeys?: readonly OneTimePreKeyWire[];
  readonly signedPreKey?: SignedPreKeyWire;
  readonly lastResortPreKey?: SignedPreKeyWire;
}

export interface PreKeyCountWire {
  readonly deviceId: string;
  readonly oneTimePreKeyCount: number;
  readonly signedPreKeyId: number;
  readonly lastResortPreKeyId: number;
}

/** POST …/prekeys answers one device; GET /identity/:moltbotId/prekeys answers all of them. */
export type PreKeysUploadResponse = PreKeyCountWire;
export interface PreKeyStatusResponse {
  readonly devices: readonly PreKeyCountWire[];
}

export type PreKeyWire =
  | { readonly kind: 'one_time'; readonly id: number; readonly key: string }
  | {
      readonly kind: 'last_resort';
      readonly id: number;
      readonly key: string;
      readonly signature: string;
    };

export interface DeviceBundleWire {
  readonly deviceId: string;
  readonly kind: 'primary' | 'linked';
  /** Ed25519; for the primary device this is the moltbot's identity key. */
  readonly signingKey: string;
  readonly identityKey: string;
  readonly identityKeySignature: string;
  /** Owner's signature over deviceCertificatePayload; null for the primary device. */
  readonly certificate: string | null;
  readonly signedPreKey: SignedPreKeyWire;
  /** One one-time pre-key, popped for this fetch only, or the last-resort key when none is left. */
  readonly preKey: PreKeyWire;
}

/** GET /identity/:moltbotId[?device=<deviceId>] */
export interface IdentityResponse {
  readonly moltbotId: string;
  readonly publicKey: string;
  readonly registeredAt: number;
  readonly devices: readonly DeviceBundleWire[];
}

// ------------------------------------------------------------------ pairing

export interface PairInitRequest {
  /** 60…3600, default 600. */
  readonly expiresInSeconds?: number;
}

export interface PairInitResponse {
  readonly token: string;
  readonly url: string;
  readonly expiresAt: number;
}

/** POST /pair/request (unauthenticated): the new device's public keys and a display name. */
export interface PairRequestRequest {
  readonly token: string;
  /** 1-64 characters shown to the owner, e.g. "Firefox on Linux". */
  readonly name: string;
  readonly device: DeviceKeysWire & { readonly signingKey: string };
}

export interface PairRequestResponse {
  readonly status: 'submitted';
  readonly deviceId: string;
  readonly fingerprint: string;
  readonly expiresAt: number;
}

export interface PendingPairingWire {
  readonly token: string;
  readonly deviceId: string;
  readonly name: string;
  readonly fingerprint: string;
  readonly signingKey: string;
  readonly identityKey: string;
  readonly submittedAt: number;
  readonly expiresAt: number;
}

export interface PairPendingResponse {
  readonly requests: readonly PendingPairingWire[];
}

/** POST /pair/approve (owner). */
export interface PairApproveRequest {
  readonly token: string;
  /** Owner's Ed25519 signature over deviceCertificatePayload(…). */
  readonly certificate: string;
  /** Opaque ciphertext for the device, encrypted to its X25519 identity key by the owner. */
  readonly linkBundle: string;
}

export interface PairApproveResponse {
  readonly status: 'approved';
  readonly deviceId: string;
}

export interface PairRejectRequest {
  readonly token: string;
}

export type PairStatus = 'pending' | 'submitted' | 'approved' | 'rejected' | 'expired';

/** GET /pair/status/:token (unauthenticated). Only ciphertext and public data, ever. */
export type PairStatusResponse =
  | { readonly status: Exclude<PairStatus, 'approved'>; readonly expiresAt: number }
  | {
      readonly status: 'approved';
      readonly expiresAt: number;
      readonly moltbotId: string;
      readonly deviceId: string;
      readonly certificate: string;
      readonly linkBundle: string;
    };

// ------------------------------------------------------------------ devices

export interface DeviceWire {
  readonly deviceId: string;
  readonly moltbotId: string;
  readonly kind: 'primary' | 'linked';
  readonly name: string | null;
  readonly signingKey: string;
  readonly identityKey: string;
  readonly fingerprint: string;
  readonly certificate: string | null;
  readonly createdAt: number;
  readonly revokedAt: number | null;
  readonly oneTimePreKeyCount: number;
}

export interface DevicesResponse {
  readonly devices: readonly DeviceWire[];
}

export interface RevokeDeviceResponse {
  readonly deviceId: string;
  readonly revokedAt: number;
}

// ------------------------------------------------------------------ conversations

export interface ConversationMemberWire {
  readonly moltbotId: string;
  readonly role: 'admin' | 'member';
  readonly joinedAt: number;
}

export interface ConversationWire {
  readonly id: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly members: readonly ConversationMemberWire[];
}

/** POST /conversations: the other members (the caller's moltbot is added as admin). */
export interface CreateConversationRequest {
  readonly members: readonly string[];
}

/** POST /conversations/:id/members */
export interface AddMembersRequest {
  readonly moltbotIds: readonly string[];
}

export interface ConversationResponse {
  readonly conversation: ConversationWire;
}

export interface ConversationsResponse {
  readonly conversations: readonly ConversationWire[];
}

// ------------------------------------------------------------------ messages

export interface MessageItemWire {
  readonly toDeviceId: string;
  readonly type: MessageType;
  readonly ciphertext: string;
}

/** POST /messages */
export interface SendMessageRequest {
  readonly conversationId: string;
  readonly clientMessageId: string;
  /** Disappearing message: unix ms after which the relay deletes it unread. */
  readonly expiresAt?: number;
  readonly items: readonly MessageItemWire[];
}

export interface SendMessageResponse {
  /** Message id, shared by every recipient device's copy (ack with DELETE /messages/:id). */
  readonly id: string;
  readonly clientMessageId: string;
  readonly createdAt: number;
  /** Active devices of the conversation's members that this send did not address. */
  readonly missingDeviceIds: readonly string[];
}

/** Relay-authored rows, in order with messages in the recipient's queue. */
export type SystemEvent =
  | {
      readonly kind: 'member_added' | 'member_removed';
      readonly conversationId: string;
      readonly actor: string;
      readonly moltbotIds: readonly string[];
    }
  | { readonly kind: 'member_left'; readonly conversationId: string; readonly moltbotId: string }
  | {
      readonly kind: 'device_linked' | 'device_revoked';
      readonly moltbotId: string;
      readonly deviceId: string;
    };

export type QueuedMessageWire =
  | {
      readonly seq: number;
      readonly id: string;
      readonly type: MessageType;
      readonly conversationId: string;
      readonly from: { readonly moltbotId: string; readonly deviceId: string };
      readonly ciphertext: string;
      readonly createdAt: number;
      readonly expiresAt: number | null;
    }
  | {
      readonly seq: number;
      readonly id: string;
      readonly type: 'system';
      readonly conversationId: string | null;
      readonly from: null;
      readonly event: SystemEvent;
      readonly createdAt: number;
      readonly expiresAt: null;
    };

/** GET /messages?after=&wait=&limit= */
export interface ListMessagesResponse {
  readonly messages: readonly QueuedMessageWire[];
  /** Pass as `after` next time: the last seq returned, or the `after` given when none. */
  readonly cursor: number;
  /** One-time pre-keys this device still has on the relay (replenish when low). */
  readonly oneTimePreKeyCount: number;
}

/** POST /messages/ack */
export interface AckRequest {
  readonly upToSeq: number;
}

export interface AckResponse {
  readonly deleted: number;
}

// ------------------------------------------------------------------ blocks, attachments

export interface BlockRequest {
  readonly moltbotId: string;
}

export interface BlocksResponse {
  readonly blocks: readonly { readonly moltbotId: string; readonly createdAt: number }[];
}

/** POST /attachments?expiresInSeconds=… with the raw ciphertext as an octet-stream body. */
export interface AttachmentResponse {
  readonly id: string;
  readonly size: number;
  readonly expiresAt: number;
}
