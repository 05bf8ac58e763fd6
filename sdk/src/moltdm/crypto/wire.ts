import { checkBytes, checkU32, concatBytes, u32be, utf8 } from './bytes.ts';
import {
  MAX_CONVERSATION_ID_BYTES,
  MAX_PLAINTEXT_BYTES,
  WIRE_KIND,
  WIRE_VERSION,
} from './constants.ts';
import { MoltdmCryptoError } from './errors.ts';
import type { PublicDeviceIdentity } from './identity.ts';
import { AES_TAG_LENGTH } from './provider.ts';
import { WireReader } from './wireReader.ts';

/**
 * MoltDM wire messages: version(1) || kind(1) || fixed fields (big-endian u32) || ciphertext.
 * Decoders are strict: wrong version or kind, truncation, trailing bytes, reserved bits, or a
 * ciphertext larger than MAX_PLAINTEXT_BYTES + tag are all `crypto.malformed`.
 */

export type WireKind = keyof typeof WIRE_KIND;

export const MAX_CIPHERTEXT = MAX_PLAINTEXT_BYTES + AES_TAG_LENGTH;
export const SIGNATURE_LENGTH = 64;
/** version, kind, dh(32), pn(4), n(4) */
export const RATCHET_HEADER_LENGTH = 42;

export interface RatchetHeader {
  /** Sender's current ratchet public key. */
  readonly dh: Uint8Array;
  /** Messages in the sender's previous sending chain (PN). */
  readonly previousChainLength: number;
  /** Message number in the current sending chain (N). */
  readonly messageNumber: number;
}

export interface RatchetMessage extends RatchetHeader {
  /** The encoded header bytes, authenticated as associated data. */
  readonly header: Uint8Array;
  readonly ciphertext: Uint8Array;
}

export interface PreKeyMessage extends PreKeyMessageFields {
  readonly message: RatchetMessage;
}

export interface SenderKeyMessage {
  readonly keyVersion: number;
  readonly index: number;
  readonly ciphertext: Uint8Array;
  /** The bytes before the signature (version … ciphertext). */
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
}

export interface SenderKeyDistribution {
  readonly conversationId: string;
  readonly keyVersion: number;
  readonly index: number;
  readonly chainKey: Uint8Array;
  readonly signingKey: Uint8Array;
}

export interface SealedBoxMessage {
  readonly ephemeralKey: Uint8Array;
  /** version, kind, ephemeral key: authenticated as associated data. */
  readonly header: Uint8Array;
  readonly ciphertext: Uint8Array;
}

function open(bytes: unknown, kind: WireKind): WireReader {
  const r = new WireReader(bytes, `${kind} message`);
  const version = r.u8('version');
  if (version !== WIRE_VERSION) {
    throw new MoltdmCryptoError('crypto.malformed', `unsupported wire version ${version}`);
  }
  const k = r.u8('kind');
  if (k !== WIRE_KIND[kind]) {
    throw new MoltdmCryptoError('crypto.malformed', `expected a ${kind} message, kind is ${k}`);
  }
  return r;
}

/** Which kind of message the bytes claim to be (checks only the two leading bytes). */
export function peekWireKind(bytes: unknown): WireKind {
  const r = new WireReader(bytes, 'message');
  const version = r.u8('version');
  if (version !== WIRE_VERSION) {
    throw new MoltdmCryptoError('crypto.malformed', `unsupported wire version ${version}`);
  }
  const k = r.u8('kind');
  for (const [name, value] of Object.entries(WIRE_KIND)) if (value === k) return name as WireKind;
  throw new MoltdmCryptoError('crypto.malformed', `unknown message kind ${k}`);
}

function checkCiphertext(ciphertext: Uint8Array): Uint8Array {
  checkBytes('ciphertext', ciphertext);
  if (ciphertext.length < AES_TAG_LENGTH || ciphertext.length > MAX_CIPHERTEXT) {
    throw new MoltdmCryptoError('crypto.bad_argument', 'ciphertext length out of range');
  }
  return ciphertext;
}

export function encodeRatchetHeader(h: RatchetHeader): Uint8Array {
  return concatBytes(
    Uint8Array.of(WIRE_VERSION, WIRE_KIND.ratchet),
    checkBytes('ratchet key', h.dh, 32),
    u32be(checkU32('previous chain length', h.previousChainLength)),
    u32be(checkU32('message number', h.messageNumber)),
  );
}

export function encodeRatchetMessage(header: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  checkBytes('ratchet header', header, RATCHET_HEADER_LENGTH);
  return concatBytes(header, checkCiphertext(ciphertext));
}

export function decodeRatchetMessage(bytes: unknown): RatchetMessage {
  const r = open(bytes, 'ratchet');
  const dh = r.bytes(32, 'ratchet key');
  const previousChainLength = r.u32('previous chain length');
  const messageNumber = r.u32('message number');
  const header = r.consumed().slice();
  const ciphertext = r.rest(AES_TAG_LENGTH, MAX_CIPHERTEXT, 'ciphertext');
  return { dh, previousChainLength, messageNumber, header, ciphertext };
}

/** The X3DH part of a pre-key message: who initiates, EK_A, and which pre-keys were used. */
export interface PreKeyMessageFields {
  readonly initiator: PublicDeviceIdentity;
  /** The initiator's X3DH ephemeral key EK_A; also the session's id on both sides. */
  readonly baseKey: Uint8Array;
  readonly signedPreKeyId: number;
  /** At most one of these two: the pre-key used for DH4, if any. */
  readonly oneTimePreKeyId?: number;
  readonly lastResortPreKeyId?: number;
}

const FLAG_ONE_TIME = 1;
const FLAG_LAST_RESORT = 2;

export function encodePreKeyMessage(
  f: PreKeyMessageFields,
  ratchetMessage: Uint8Array,
): Uint8Array {
  if (f.oneTimePreKeyId !== undefined && f.lastResortPreKeyId !== undefined) {
    throw new MoltdmCryptoError('crypto.bad_argument', 'one-time and last-resort pre-key both set');
  }
  const extra = f.oneTimePreKeyId ?? f.lastResortPreKeyId;
  const flags =
    f.oneTimePreKeyId !== undefined
      ? FLAG_ONE_TIME
      : f.lastResortPreKeyId !== undefined
        ? FLAG_LAST_RESORT
        : 0;
  return concatBytes(
    Uint8Array.of(WIRE_VERSION, WIRE_KIND.preKey),
    checkBytes('initiator signing key', f.initiator.signingKey, 32),
    checkBytes('initiator identity key', f.initiator.identityKey, 32),
    checkBytes('initiator identity key signature', f.initiator.identityKeySignature, 64),
    checkBytes('base key', f.baseKey, 32),
    u32be(checkU32('signed pre-key id', f.signedPreKeyId)),
    Uint8Array.of(flags),
    extra === undefined ? new Uint8Array() : u32be(checkU32('DH4 pre-key id', extra)),
    checkBytes('ratchet message', ratchetMessage),
  );
}

/**
 * version, kind, initiator signing key (32), identity key (32), its signature (64), base key
 * (32), signed pre-key id (u32), flags (u8: 1 one-time, 2 last-resort, 0 none), [pre-key id
 * (u32)], then a complete ratchet message.
 */
export function decodePreKeyMessage(bytes: unknown): PreKeyMessage {
  const r = open(bytes, 'preKey');
  const initiator: PublicDeviceIdentity = {
    signingKey: r.bytes(32, 'initiator signing key'),
    identityKey: r.bytes(32, 'initiator identity key'),
    identityKeySignature: r.bytes(SIGNATURE_LENGTH, 'initiator identity key signature'),
  };
  const baseKey = r.bytes(32, 'base key');
  const signedPreKeyId = r.u32('signed pre-key id');
  const flags = r.u8('flags');
  if (flags !== 0 && flags !== FLAG_ONE_TIME && flags !== FLAG_LAST_RESORT) {
    throw new MoltdmCryptoError('crypto.malformed', `invalid pre-key flags ${flags}`);
  }
  const extra = flags === 0 ? undefined : r.u32('DH4 pre-key id');
  const message = decodeRatchetMessage(r.rest(0, Number.MAX_SAFE_INTEGER, 'ratchet message'));
  return {
    initiator,
    baseKey,
    signedPreKeyId,
    ...(flags === FLAG_ONE_TIME ? { oneTimePreKeyId: extra as number } : {}),
    ...(flags === FLAG_LAST_RESORT ? { lastResortPreKeyId: extra as number } : {}),
    message,
  };
}

/** version, kind, key version(4), index(4): the part of a sender-key message before ciphertext. */
export function encodeSenderKeyHeader(keyVersion: number, index: number): Uint8Array {
  return concatBytes(
    Uint8Array.of(WIRE_VERSION, WIRE_KIND.senderKey),
    u32be(checkU32('sender key version', keyVersion)),
    u32be(checkU32('sender key index', index)),
  );
}

export function decodeSenderKeyMessage(bytes: unknown): SenderKeyMessage {
  const r = open(bytes, 'senderKey');
  const keyVersion = r.u32('sender key version');
  const index = r.u32('sender key index');
  const body = r.rest(AES_TAG_LENGTH + SIGNATURE_LENGTH, MAX_CIPHERTEXT + SIGNATURE_LENGTH, 'body');
  const cut = body.length - SIGNATURE_LENGTH;
  const ciphertext = body.subarray(0, cut);
  return {
    keyVersion,
    index,
    ciphertext,
    signed: (bytes as Uint8Array).slice(0, 10 + cut),
    signature: body.slice(cut),
  };
}

/** Conversation ids: well-formed UTF-8 of 1..255 bytes, no byte-order-mark games. */
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function encodeConversationId(conversationId: string): Uint8Array {
  if (typeof conversationId !== 'string') {
    throw new MoltdmCryptoError('crypto.bad_argument', 'conversation id must be a string');
  }
  const bytes = utf8(conversationId);
  // A lone surrogate would be encoded as U+FFFD and decode to another string: refuse it.
  if (
    bytes.length < 1 ||
    bytes.length > MAX_CONVERSATION_ID_BYTES ||
    utf8Decoder.decode(bytes) !== conversationId
  ) {
    throw new MoltdmCryptoError(
      'crypto.bad_argument',
      'conversation id must be 1..255 UTF-8 bytes',
    );
  }
  return concatBytes(Uint8Array.of(bytes.length), bytes);
}

export function encodeSenderKeyDistribution(d: SenderKeyDistribution): Uint8Array {
  return concatBytes(
    Uint8Array.of(WIRE_VERSION, WIRE_KIND.distribution),
    encodeConversationId(d.conversationId),
    u32be(checkU32('sender key version', d.keyVersion)),
    u32be(checkU32('sender key index', d.index)),
    checkBytes('chain key', d.chainKey, 32),
    checkBytes('signing key', d.signingKey, 32),
  );
}

export function decodeSenderKeyDistribution(bytes: unknown): SenderKeyDistribution {
  const r = open(bytes, 'distribution');
  const idLength = r.u8('conversation id length');
  if (idLength === 0) throw new MoltdmCryptoError('crypto.malformed', 'empty conversation id');
  let conversationId: string;
  try {
    conversationId = utf8Decoder.decode(r.bytes(idLength, 'conversation id'));
  } catch (cause) {
    if (cause instanceof MoltdmCryptoError) throw cause;
    throw new MoltdmCryptoError('crypto.malformed', 'conversation id is not UTF-8', { cause });
  }
  const keyVersion = r.u32('sender key version');
  const index = r.u32('sender key index');
  const chainKey = r.bytes(32, 'chain key');
  const signingKey = r.bytes(32, 'signing key');
  r.end('distribution');
  return { conversationId, keyVersion, index, chainKey, signingKey };
}

export function encodeSealedBoxHeader(ephemeralKey: Uint8Array): Uint8Array {
  return concatBytes(
    Uint8Array.of(WIRE_VERSION, WIRE_KIND.sealedBox),
    checkBytes('ephemeral key', ephemeralKey, 32),
  );
}

export function decodeSealedBox(bytes: unknown): SealedBoxMessage {
  const r = open(bytes, 'sealedBox');
  const ephemeralKey = r.bytes(32, 'ephemeral key');
  const header = r.consumed().slice();
  const ciphertext = r.rest(AES_TAG_LENGTH, MAX_CIPHERTEXT, 'ciphertext');
  return { ephemeralKey, header, ciphertext };
}
