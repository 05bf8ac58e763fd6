/**
 * The relay's storage seam. Everything durable goes through this interface; the HTTP layer never
 * sees SQL. Each mutating method is one atomic unit (one SQLite transaction today, one PostgreSQL
 * transaction in a multi-process deployment later), resolves only once the change is durable,
 * and answers domain outcomes as discriminated unions — it throws only for broken invariants or
 * I/O failure. Rate limits live here too, so every relay process sharing the store shares them.
 *
 * A PostgreSQL implementation must keep three properties the SQLite one gets from a single
 * writer: per-device sequence numbers assigned under a row lock on the device (so a cursor never
 * skips a row committed later with a smaller seq), one-time pre-keys popped with
 * `DELETE … WHERE ctid = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`, and nonce claims on a
 * primary key (docs/moltdm.md "Storage").
 */

import type { MessageType } from '../protocol/limits.ts';
import type { PairStatus, SystemEvent } from '../protocol/wireTypes.ts';
import type { NonceStore } from '../server/auth/verifyRequest.ts';

export interface SignedKey {
  readonly id: number;
  readonly key: Uint8Array;
  readonly signature: Uint8Array;
}

export interface OneTimeKey {
  readonly id: number;
  readonly key: Uint8Array;
}

export interface DeviceKeys {
  readonly identityKey: Uint8Array;
  readonly identityKeySignature: Uint8Array;
  readonly signedPreKey: SignedKey;
  readonly lastResortPreKey: SignedKey;
  readonly oneTimePreKeys: readonly OneTimeKey[];
}

export interface DeviceRecord {
  readonly deviceId: string;
  readonly moltbotId: string;
  readonly kind: 'primary' | 'linked';
  readonly name: string | null;
  readonly signingKey: Uint8Array;
  readonly identityKey: Uint8Array;
  readonly identityKeySignature: Uint8Array;
  readonly certificate: Uint8Array | null;
  readonly signedPreKey: SignedKey;
  readonly lastResortPreKey: SignedKey;
  readonly createdAt: number;
  readonly revokedAt: number | null;
  readonly oneTimePreKeyCount: number;
}

/** What authentication needs of a device (no pre-key count: read on every request). */
export interface CallerRecord {
  readonly deviceId: string;
  readonly moltbotId: string;
  readonly kind: 'primary' | 'linked';
  readonly signingKey: Uint8Array;
  readonly revokedAt: number | null;
}

export interface IdentityRecord {
  readonly moltbotId: string;
  readonly publicKey: Uint8Array;
  readonly registeredAt: number;
}

export type PreKey =
  | { readonly kind: 'one_time'; readonly id: number; readonly key: Uint8Array }
  | ({ readonly kind: 'last_resort' } & SignedKey);

export interface RateLimited {
  readonly kind: 'rateLimited';
  /** Which rule (`sender`, `pair`, `pairingGuessGlobal`, …). */
  readonly limit: string;
  readonly retryAfterMs: number;
}

/** Device ids whose queues got rows, so the caller can wake their long-polls. */
export interface Notify {
  readonly notify: readonly string[];
}

// ------------------------------------------------------------------ identities and devices

export interface IdentityStore {
  register(input: {
    readonly moltbotId: string;
    readonly publicKey: Uint8Array;
    readonly keys: DeviceKeys;
    readonly address: string;
    readonly now: number;
  }): Promise<
    | { readonly kind: 'registered'; readonly oneTimePreKeyCount: number }
    | { readonly kind: 'exists' }
    | { readonly kind: 'duplicatePreKeyId' }
    | RateLimited
  >;
  getIdentity(moltbotId: string): Promise<IdentityRecord | null>;
  getDevice(deviceId: string): Promise<DeviceRecord | null>;
  getCaller(deviceId: string): Promise<CallerRecord | null>;
  /** Every device of the moltbot, revoked ones included, primary first. */
  listDevices(moltbotId: string): Promise<readonly DeviceRecord[]>;
  /** One bundle per active device (or just `deviceId`), each with one pre-key popped atomically. */
  fetchBundles(input: {
    readonly requesterDeviceId: string;
    readonly moltbotId: string;
    readonly deviceId: string | null;
    readonly now: number;
  }): Promise<
    | {
        readonly kind: 'ok';
        readonly identity: IdentityRecord;
        readonly devices: readonly { readonly device: DeviceRecord; readonly preKey: PreKey }[];
      }
    | { readonly kind: 'notFound' }
    | RateLimited
  >;
  uploadPreKeys(input: {
    readonly deviceId: string;
    readonly oneTimePreKeys: readonly OneTimeKey[];
    readonly signedPreKey: SignedKey | null;
    readonly lastResortPreKey: SignedKey | null;
  }): Promise<
    | { readonly kind: 'ok'; readonly device: DeviceRecord }
    | { readonly kind: 'duplicatePreKeyId' }
    | { readonly kind: 'poolFull'; readonly room: number }
  >;
  /** Marks a linked device revoked, drops its queue and pre-keys, tells co-members' devices. */
  revokeDevice(input: {
    readonly moltbotId: string;
    readonly deviceId: string;
    readonly now: number;
  }): Promise<
    | ({ readonly kind: 'revoked'; readonly revokedAt: number } & Notify)
    | { readonly kind: 'notFound' }
    | { readonly kind: 'primary' }
  >;
}

// ------------------------------------------------------------------ pairing

export interface PendingDevice {
  readonly deviceId: string;
  readonly name: string;
  readonly signingKey: Uint8Array;
  readonly keys: DeviceKeys;
}

export interface PairingRecord {
  readonly token: string;
  readonly moltbotId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** As stored; `expired` is derived by the caller from `expiresAt`. */
  readonly status: Exclude<PairStatus, 'expired'>;
  readonly device: PendingDevice | null;
  readonly submittedAt: number | null;
  readonly certificate: Uint8Array | null;
  readonly linkBundle: Uint8Array | null;
}

type TokenMiss = { readonly kind: 'notFound' } | { readonly kind: 'expired' };

export interface PairingStore {
  create(input: {
    readonly moltbotId: string;
    readonly token: string;
    readonly now: number;
    readonly expiresAt: number;
  }): Promise<{ readonly kind: 'created' } | { readonly kind: 'collision' } | RateLimited>;
  /** Unauthenticated: a wrong token counts against the guess limits. */
  submit(input: {
    readonly token: string;
    readonly address: string;
    readonly device: PendingDevice;
    readonly now: number;
  }): Promise<
    | { readonly kind: 'submitted'; readonly expiresAt: number }
    | TokenMiss
    | { readonly kind: 'used' }
    | { readonly kind: 'deviceExists' }
    | RateLimited
  >;
  /** Unauthenticated: a wrong token counts against the guess limits. */
  lookup(input: {
    readonly token: string;
    readonly address: string;
    readonly now: number;
  }): Promise<
    | { readonly kind: 'found'; readonly record: PairingRecord }
    | { readonly kind: 'notFound' }
    | RateLimited
  >;
  /** The owner's own token, or null (another moltbot's token is reported as unknown). */
  get(moltbotId: string, token: string): Promise<PairingRecord | null>;
  pending(moltbotId: string, now: number): Promise<readonly PairingRecord[]>;
  /** Compare-and-set from `submitted`: activates the device stored with the token. */
  approve(input: {
    readonly moltbotId: string;
    readonly token: string;
    readonly deviceId: string;
    readonly certificate: Uint8Array;
    readonly linkBundle: Uint8Array;
    readonly now: number;
  }): Promise<
    | ({ readonly kind: 'approved' } & Notify)
    | TokenMiss
    | { readonly kind: 'notSubmitted' }
    | { readonly kind: 'used' }
    | { readonly kind: 'deviceExists' }
  >;
  reject(input: {
    readonly moltbotId: string;
    readonly token: string;
    readonly now: number;
  }): Promise<{ readonly kind: 'rejected' } | TokenMiss | { readonly kind: 'used' }>;
}

// ------------------------------------------------------------------ conversations

export interface ConversationRecord {
  readonly id: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly members: readonly {
    readonly moltbotId: string;
    readonly role: 'admin' | 'member';
    readonly joinedAt: number;
  }[];
}

type MembershipMiss = { readonly kind: 'notFound' } | { readonly kind: 'notAdmin' } | RateLimited;

export interface ConversationStore {
  create(input: {
    readonly id: string;
    readonly creatorMoltbotId: string;
    readonly actorDeviceId: string;
    readonly members: readonly string[];
    readonly now: number;
  }): Promise<
    | ({ readonly kind: 'created'; readonly conversation: ConversationRecord } & Notify)
    | { readonly kind: 'unknownMembers'; readonly moltbotIds: readonly string[] }
    | { readonly kind: 'refused'; readonly moltbotIds: readonly string[] }
    | { readonly kind: 'tooMany' }
    | RateLimited
  >;
  /** Null when it does not exist or `moltbotId` is not a member (indistinguishable on purpose). */
  get(id: string, moltbotId: string): Promise<ConversationRecord | null>;
  list(moltbotId: string): Promise<readonly ConversationRecord[]>;
  addMembers(input: {
    readonly id: string;
    readonly actorMoltbotId: string;
    readonly actorDeviceId: string;
    readonly moltbotIds: readonly string[];
    readonly now: number;
  }): Promise<
    | ({ readonly kind: 'added'; readonly conversation: ConversationRecord } & Notify)
    | MembershipMiss
    | { readonly kind: 'unknownMembers'; readonly moltbotIds: readonly string[] }
    | { readonly kind: 'alreadyMembers'; readonly moltbotIds: readonly string[] }
    | { readonly kind: 'refused'; readonly moltbotIds: readonly string[] }
    | { readonly kind: 'tooMany' }
  >;
  removeMember(input: {
    readonly id: string;
    readonly actorMoltbotId: string;
    readonly actorDeviceId: string;
    readonly moltbotId: string;
    readonly now: number;
  }): Promise<
    | ({ readonly kind: 'removed'; readonly conversation: ConversationRecord } & Notify)
    | MembershipMiss
    | { readonly kind: 'notMember' }
  >;
  leave(input: {
    readonly id: string;
    readonly moltbotId: string;
    readonly actorDeviceId: string;
    readonly now: number;
  }): Promise<({ readonly kind: 'left' } & Notify) | { readonly kind: 'notFound' } | RateLimited>;
}

// ------------------------------------------------------------------ messages

export interface QueuedRow {
  readonly seq: number;
  readonly messageId: string;
  readonly conversationId: string | null;
  readonly type: MessageType | 'system';
  readonly senderMoltbotId: string | null;
  readonly senderDeviceId: string | null;
  /** Ciphertext as the client sent it, or the UTF-8 JSON of a SystemEvent. */
  readonly body: Uint8Array;
  readonly createdAt: number;
  readonly clientExpiresAt: number | null;
}

export interface SendInput {
  readonly messageId: string;
  readonly senderDeviceId: string;
  readonly senderMoltbotId: string;
  readonly conversationId: string;
  readonly clientMessageId: string;
  /** SHA-256 of the request body: a retry with the same client id must carry the same body. */
  readonly requestHash: Uint8Array;
  readonly clientExpiresAt: number | null;
  readonly items: readonly {
    readonly toDeviceId: string;
    readonly type: MessageType;
    readonly ciphertext: Uint8Array;
  }[];
  readonly now: number;
}

export interface SendReceipt {
  readonly id: string;
  readonly clientMessageId: string;
  readonly createdAt: number;
  readonly missingDeviceIds: readonly string[];
}

export type RecipientProblem = 'unknown' | 'revoked' | 'notMember';

export interface MessageStore {
  send(input: SendInput): Promise<
    | ({ readonly kind: 'sent'; readonly receipt: SendReceipt } & Notify)
    | { readonly kind: 'duplicate'; readonly receipt: SendReceipt }
    | { readonly kind: 'conflict' }
    | { readonly kind: 'notMember' }
    | {
        readonly kind: 'badRecipients';
        readonly problem: RecipientProblem;
        readonly deviceIds: readonly string[];
      }
    | RateLimited
  >;
  /** Rows with seq > after, in seq order, not expired at `now`. */
  list(input: {
    readonly deviceId: string;
    readonly after: number;
    readonly limit: number;
    readonly now: number;
  }): Promise<readonly QueuedRow[]>;
  ackOne(deviceId: string, messageId: string): Promise<number>;
  ackUpTo(deviceId: string, upToSeq: number): Promise<number>;
}

// ------------------------------------------------------------------ blocks, attachments, upkeep

export interface BlockStore {
  block(input: {
    readonly blocker: string;
    readonly blocked: string;
    readonly actorDeviceId: string;
    readonly now: number;
  }): Promise<{ readonly kind: 'blocked' } | { readonly kind: 'notFound' } | RateLimited>;
  unblock(blocker: string, blocked: string): Promise<boolean>;
  list(
    blocker: string,
  ): Promise<readonly { readonly moltbotId: string; readonly createdAt: number }[]>;
}

export interface AttachmentStore {
  put(input: {
    readonly id: string;
    readonly uploaderDeviceId: string;
    readonly data: Uint8Array;
    readonly now: number;
    readonly expiresAt: number;
  }): Promise<{ readonly kind: 'stored' } | RateLimited>;
  get(
    id: string,
    now: number,
  ): Promise<{ readonly data: Uint8Array; readonly expiresAt: number } | null>;
  delete(id: string, uploaderDeviceId: string): Promise<boolean>;
}

export interface SweepCounts {
  readonly messages: number;
  readonly attachments: number;
  readonly pairingTokens: number;
  readonly nonces: number;
  readonly rateLimits: number;
  readonly idempotencyKeys: number;
}

export interface StoreStats {
  readonly queuedRows: number;
  readonly devices: number;
  readonly identities: number;
}

export interface RelayStore {
  readonly nonces: NonceStore;
  readonly identities: IdentityStore;
  readonly pairing: PairingStore;
  readonly conversations: ConversationStore;
  readonly messages: MessageStore;
  readonly blocks: BlockStore;
  readonly attachments: AttachmentStore;
  /** Deletes everything past its expiry (messages, attachments, tokens, nonces, limits). */
  sweep(now: number): Promise<SweepCounts>;
  stats(): Promise<StoreStats>;
  /**
   * Resolves once everything committed so far is durable. The server awaits it before every
   * answer, so no client ever sees state a crash could take back.
   */
  durable(): Promise<void>;
  /** Waits for pending writes, then closes. */
  close(): Promise<void>;
}

export type { SystemEvent };
