/**
 * Sizes and rates the relay enforces. Clients import the defaults to stay inside them; a relay
 * operator may change them (`createRelayServer({ limits })`), and the relay answers anything
 * beyond them with a stable error code (docs/moltdm.md "Limits").
 */

/** The `type` of a queued message item: an opaque label from this list (Sesame-style routing). */
export const MESSAGE_TYPES = [
  'prekey', // first message of an X3DH session
  'ratchet', // Double Ratchet message
  'sender_key', // group message under a sender key
  'sender_key_distribution', // a sender key, inside a pairwise session
  'receipt', // delivery / read receipt
  'reaction',
  'resync', // "I could not decrypt; start a new session"
  'device_sync', // between a moltbot's own devices
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Client message ids make retries idempotent: same sender device + same id → stored once. */
export const CLIENT_MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface RateRule {
  /** Units allowed per window (requests, rows or bytes, as documented per rule). */
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateLimits {
  /** Rows queued per sender device (one row per recipient device). */
  readonly sender: RateRule;
  /** Messages per sender device → recipient moltbot. */
  readonly pair: RateRule;
  /** Bundle fetches (one-time pre-key pops) per requesting device → target moltbot. */
  readonly bundleFetch: RateRule;
  /** Wrong pairing-token guesses per client address (/pair/request, /pair/status). */
  readonly pairingGuessPerAddress: RateRule;
  /** Wrong pairing-token guesses across the whole relay. */
  readonly pairingGuessGlobal: RateRule;
  /** Registrations per client address. */
  readonly register: RateRule;
  /** Pairing tokens created per moltbot. */
  readonly pairInit: RateRule;
  /** Attachment bytes uploaded per device. */
  readonly attachmentBytes: RateRule;
  /** Conversation changes (create, add, remove, leave) and block changes per device. */
  readonly membership: RateRule;
}

export interface RelayLimits {
  /** Body limit of JSON routes other than POST /messages. */
  readonly maxBodyBytes: number;
  /** Body limit of POST /messages. */
  readonly maxMessageBodyBytes: number;
  /** Decoded size of one item's ciphertext. */
  readonly maxCiphertextBytes: number;
  readonly maxItemsPerMessage: number;
  /** Decoded size of the encrypted link bundle of /pair/approve. */
  readonly maxLinkBundleBytes: number;
  /** Size of one attachment (raw bytes, the body of POST /attachments). */
  readonly maxAttachmentBytes: number;
  readonly maxOneTimePreKeysPerUpload: number;
  /** One-time pre-keys a device may hold at once. */
  readonly maxOneTimePreKeyPool: number;
  readonly maxConversationMembers: number;
  /** Longest long-poll (`wait`), seconds. */
  readonly maxWaitSeconds: number;
  /** Most rows one GET /messages returns. */
  readonly maxPollLimit: number;
  /** Queued rows no one acknowledges are deleted after this; also the cap on `expiresAt`. */
  readonly queueRetentionMs: number;
  /** Attachments are deleted after this (or their own shorter expiry). */
  readonly attachmentRetentionMs: number;
  /** How long a sender's client message id is remembered for idempotent retries. */
  readonly idempotencyRetentionMs: number;
  readonly rates: RateLimits;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const DEFAULT_LIMITS: RelayLimits = {
  maxBodyBytes: 256 * 1024,
  maxMessageBodyBytes: 4 * 1024 * 1024,
  maxCiphertextBytes: 64 * 1024,
  maxItemsPerMessage: 1000,
  maxLinkBundleBytes: 64 * 1024,
  maxAttachmentBytes: 10 * 1024 * 1024,
  maxOneTimePreKeysPerUpload: 200,
  maxOneTimePreKeyPool: 1000,
  maxConversationMembers: 1000,
  maxWaitSeconds: 30,
  maxPollLimit: 500,
  queueRetentionMs: 30 * DAY,
  attachmentRetentionMs: 30 * DAY,
  idempotencyRetentionMs: 7 * DAY,
  rates: {
    sender: { limit: 6000, windowMs: MINUTE },
    pair: { limit: 600, windowMs: MINUTE },
    bundleFetch: { limit: 60, windowMs: MINUTE },
    pairingGuessPerAddress: { limit: 10, windowMs: MINUTE },
    pairingGuessGlobal: { limit: 600, windowMs: MINUTE },
    register: { limit: 30, windowMs: HOUR },
    pairInit: { limit: 20, windowMs: HOUR },
    attachmentBytes: { limit: 512 * 1024 * 1024, windowMs: HOUR },
    membership: { limit: 120, windowMs: MINUTE },
  },
};

/** Deep-merges a partial override onto the defaults (for `createRelayServer({ limits })`). */
export type RelayLimitsOverride = Partial<Omit<RelayLimits, 'rates'>> & {
  readonly rates?: Partial<RateLimits>;
};

export function resolveLimits(override: RelayLimitsOverride = {}): RelayLimits {
  return {
    ...DEFAULT_LIMITS,
    ...override,
    rates: { ...DEFAULT_LIMITS.rates, ...override.rates },
  };
}
