import { utf8 } from './bytes.ts';

/**
 * Every domain label and bound of MoltDM client cryptography (docs/moltdm-crypto.md). A label is
 * ASCII `moltdm/<purpose>/v1`, so no key or signature made for one purpose is ever valid for
 * another. HKDF info labels are used as they are; where fields follow a label (signature payloads,
 * the sealed-box info) the label is ended by 0x00, as in the relay's key payloads
 * (relay/src/protocol/keyPayloads.ts): no label is then a prefix of another.
 */
export const LABELS = {
  x3dh: utf8('moltdm/x3dh/v1'),
  ratchetRoot: utf8('moltdm/ratchet-root/v1'),
  ratchetMessage: utf8('moltdm/ratchet-message/v1'),
  senderKeyMessage: utf8('moltdm/sender-key-message/v1'),
} as const;

const domain = (label: string): Uint8Array => {
  const l = utf8(label);
  const out = new Uint8Array(l.length + 1);
  out.set(l);
  return out;
};

/** `label || 0x00`, followed by fixed-length fields. */
export const DOMAINS = {
  identityKey: domain('moltdm/identity-key/v1'),
  signedPreKey: domain('moltdm/signed-prekey/v1'),
  lastResortPreKey: domain('moltdm/last-resort-prekey/v1'),
  senderKeySignature: domain('moltdm/sender-key-signature/v1'),
  sealedBox: domain('moltdm/sealed-box/v1'),
} as const;

/** Version byte that opens every wire message; a decoder refuses any other. */
export const WIRE_VERSION = 1;

/** Second byte of every wire message. */
export const WIRE_KIND = {
  preKey: 1,
  ratchet: 2,
  senderKey: 3,
  distribution: 4,
  sealedBox: 5,
} as const;

/** Largest plaintext any MoltDM encryption accepts (attachments travel encrypted separately). */
export const MAX_PLAINTEXT_BYTES = 1 << 20;

/** Most messages one chain may skip in a single step (Double Ratchet MAX_SKIP; sender keys too). */
export const MAX_SKIP = 1000;

/** Most skipped message keys one session (or one sender key) stores; the oldest go first. */
export const MAX_SKIPPED_KEYS = 2000;

/** Closed receiving chains a ratchet remembers, to tell a duplicate from a new ratchet step. */
export const MAX_PREVIOUS_CHAINS = 32;

/** Largest counter value (messages per chain, sender-key version): u32 on the wire. */
export const MAX_COUNTER = 0xffffffff;

/** Conversation ids are UTF-8, 1..255 bytes (a one-byte length on the wire). */
export const MAX_CONVERSATION_ID_BYTES = 255;
