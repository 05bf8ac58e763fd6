import { equalBytes, toHex, zeroize } from './bytes.ts';
import { MAX_PREVIOUS_CHAINS, MAX_SKIPPED_KEYS } from './constants.ts';
import { MoltdmCryptoError } from './errors.ts';
import type { CryptoProvider, KeyPair } from './provider.ts';
import {
  b64,
  b64OrNull,
  type JsonObject,
  readArray,
  readBytes,
  readBytesOrNull,
  readCounter,
  readHeader,
  readObject,
  readU32,
} from './stateJson.ts';
import type { PreKeyMessageFields } from './wire.ts';

/** Double Ratchet state (Signal, "The Double Ratchet Algorithm", §3.2), names as in the spec. */
export interface RatchetState {
  /** X3DH AD: initiator then responder, signing key || X25519 identity key each. */
  readonly associatedData: Uint8Array;
  /** X3DH ephemeral key EK_A: names the session on both sides. */
  readonly baseKey: Uint8Array;
  rootKey: Uint8Array;
  /** DHs */
  sending: KeyPair;
  /** DHr */
  remoteKey: Uint8Array | null;
  /** CKs, CKr */
  sendChain: Uint8Array | null;
  recvChain: Uint8Array | null;
  /** Ns, Nr, PN */
  sendCount: number;
  recvCount: number;
  previousSendCount: number;
  /** MKSKIPPED in insertion order (oldest first, evicted first); key = skippedId(dh, n). */
  readonly skipped: Map<string, SkippedKey>;
  /** Hex of remote ratchet keys whose receiving chain is closed (bounded, oldest first). */
  readonly closedChains: string[];
  /** Set on the initiator until the first reply: outgoing messages then carry the X3DH header. */
  pendingPreKey: PreKeyMessageFields | null;
}

export interface SkippedKey {
  readonly dh: Uint8Array;
  readonly n: number;
  readonly messageKey: Uint8Array;
}

export const RATCHET_STATE_TYPE = 'moltdm.ratchet';
export const RATCHET_STATE_VERSION = 1;

export function skippedId(dh: Uint8Array, n: number): string {
  return `${toHex(dh)}:${n}`;
}

/** Appends skipped keys and evicts (and wipes) the oldest beyond MAX_SKIPPED_KEYS. */
export function storeSkipped(state: RatchetState, keys: readonly SkippedKey[]): void {
  for (const k of keys) state.skipped.set(skippedId(k.dh, k.n), k);
  for (const [id, k] of state.skipped) {
    if (state.skipped.size <= MAX_SKIPPED_KEYS) break;
    zeroize(k.messageKey);
    state.skipped.delete(id);
  }
}

export function closeChain(state: RatchetState, remoteKey: Uint8Array): void {
  state.closedChains.push(toHex(remoteKey));
  while (state.closedChains.length > MAX_PREVIOUS_CHAINS) state.closedChains.shift();
}

export function wipeState(s: RatchetState): void {
  zeroize(s.rootKey, s.sending.privateKey, s.sendChain, s.recvChain);
  for (const k of s.skipped.values()) zeroize(k.messageKey);
  s.skipped.clear();
}

export interface RatchetStateJson {
  readonly type: typeof RATCHET_STATE_TYPE;
  readonly v: typeof RATCHET_STATE_VERSION;
  readonly [key: string]: unknown;
}

function preKeyToJson(h: PreKeyMessageFields): JsonObject {
  return {
    signingKey: b64(h.initiator.signingKey),
    identityKey: b64(h.initiator.identityKey),
    identityKeySignature: b64(h.initiator.identityKeySignature),
    baseKey: b64(h.baseKey),
    signedPreKeyId: h.signedPreKeyId,
    oneTimePreKeyId: h.oneTimePreKeyId ?? null,
    lastResortPreKeyId: h.lastResortPreKeyId ?? null,
  };
}

function preKeyFromJson(value: unknown): PreKeyMessageFields {
  const o = readObject(value, 'pendingPreKey');
  return {
    initiator: {
      signingKey: readBytes(o, 'signingKey', 32),
      identityKey: readBytes(o, 'identityKey', 32),
      identityKeySignature: readBytes(o, 'identityKeySignature', 64),
    },
    baseKey: readBytes(o, 'baseKey', 32),
    signedPreKeyId: readU32(o, 'signedPreKeyId'),
    ...(o.oneTimePreKeyId === null ? {} : { oneTimePreKeyId: readU32(o, 'oneTimePreKeyId') }),
    ...(o.lastResortPreKeyId === null
      ? {}
      : { lastResortPreKeyId: readU32(o, 'lastResortPreKeyId') }),
  };
}

/** Versioned JSON of a ratchet state. It holds secrets: store it encrypted at rest. */
export function ratchetStateToJson(s: RatchetState): RatchetStateJson {
  return {
    type: RATCHET_STATE_TYPE,
    v: RATCHET_STATE_VERSION,
    associatedData: b64(s.associatedData),
    baseKey: b64(s.baseKey),
    rootKey: b64(s.rootKey),
    sendingPublicKey: b64(s.sending.publicKey),
    sendingPrivateKey: b64(s.sending.privateKey),
    remoteKey: b64OrNull(s.remoteKey),
    sendChain: b64OrNull(s.sendChain),
    recvChain: b64OrNull(s.recvChain),
    sendCount: s.sendCount,
    recvCount: s.recvCount,
    previousSendCount: s.previousSendCount,
    skipped: [...s.skipped.values()].map((k) => ({
      dh: b64(k.dh),
      n: k.n,
      messageKey: b64(k.messageKey),
    })),
    closedChains: [...s.closedChains],
    pendingPreKey: s.pendingPreKey === null ? null : preKeyToJson(s.pendingPreKey),
  };
}

/** Strict inverse of ratchetStateToJson; also checks the ratchet key pair is a pair. */
export async function ratchetStateFromJson(
  p: CryptoProvider,
  json: unknown,
): Promise<RatchetState> {
  const o = readHeader(json, RATCHET_STATE_TYPE, RATCHET_STATE_VERSION);
  const skipped = new Map<string, SkippedKey>();
  for (const entry of readArray(o, 'skipped', MAX_SKIPPED_KEYS)) {
    const e = readObject(entry, 'skipped entry');
    const k = {
      dh: readBytes(e, 'dh', 32),
      n: readU32(e, 'n'),
      messageKey: readBytes(e, 'messageKey', 32),
    };
    skipped.set(skippedId(k.dh, k.n), k);
  }
  const closedChains = readArray(o, 'closedChains', MAX_PREVIOUS_CHAINS).map((h) => {
    if (typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h)) {
      throw new MoltdmCryptoError('crypto.bad_state', 'closedChains entries must be 64 hex chars');
    }
    return h;
  });
  const state: RatchetState = {
    associatedData: readBytes(o, 'associatedData', 128),
    baseKey: readBytes(o, 'baseKey', 32),
    rootKey: readBytes(o, 'rootKey', 32),
    sending: {
      publicKey: readBytes(o, 'sendingPublicKey', 32),
      privateKey: readBytes(o, 'sendingPrivateKey', 32),
    },
    remoteKey: readBytesOrNull(o, 'remoteKey', 32),
    sendChain: readBytesOrNull(o, 'sendChain', 32),
    recvChain: readBytesOrNull(o, 'recvChain', 32),
    sendCount: readCounter(o, 'sendCount'),
    recvCount: readCounter(o, 'recvCount'),
    previousSendCount: readU32(o, 'previousSendCount'),
    skipped,
    closedChains,
    pendingPreKey: o.pendingPreKey === null ? null : preKeyFromJson(o.pendingPreKey),
  };
  if (state.recvChain !== null && state.remoteKey === null) {
    throw new MoltdmCryptoError('crypto.bad_state', 'receiving chain without a remote key');
  }
  let derived: Uint8Array;
  try {
    derived = await p.x25519PublicKey(state.sending.privateKey);
  } catch (cause) {
    throw new MoltdmCryptoError('crypto.bad_state', 'sending ratchet key unusable', { cause });
  }
  if (!equalBytes(derived, state.sending.publicKey)) {
    throw new MoltdmCryptoError('crypto.bad_state', 'sending ratchet key pair does not match');
  }
  return state;
}
