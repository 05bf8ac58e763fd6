import { equalBytes, zeroize } from './bytes.ts';
import { MAX_SKIP, MAX_SKIPPED_KEYS } from './constants.ts';
import { MoltdmCryptoError } from './errors.ts';
import { kdfChain } from './kdf.ts';
import type { CryptoProvider } from './provider.ts';
import { openSenderKeyMessage, senderKeySignaturePayload } from './senderKeyCrypto.ts';
import { SerialQueue } from './serialQueue.ts';
import {
  b64,
  type JsonObject,
  readArray,
  readBytes,
  readCounter,
  readHeader,
  readObject,
  readU32,
} from './stateJson.ts';
import {
  decodeSenderKeyDistribution,
  decodeSenderKeyMessage,
  encodeConversationId,
  type SenderKeyDistribution,
} from './wire.ts';

export const INBOUND_SENDER_KEY_TYPE = 'moltdm.sender-key.inbound';
const STATE_VERSION = 1;

/** One version of a sender's chain as a receiver holds it. */
interface ReceiverChain {
  readonly version: number;
  readonly signingKey: Uint8Array;
  /** The index the distribution started at: nothing before it was ever decryptable here. */
  readonly startIndex: number;
  index: number;
  chainKey: Uint8Array;
  /** Skipped message keys by index, oldest first; at most MAX_SKIPPED_KEYS. */
  readonly skipped: Map<number, Uint8Array>;
}

interface InboundState {
  readonly conversationId: string;
  readonly conversationIdBytes: Uint8Array;
  current: ReceiverChain;
  /** The version before the last rotation, kept to read its late messages (see dropPrevious). */
  previous: ReceiverChain | null;
}

export type ProcessDistributionResult = 'installed' | 'unchanged';

function chainFrom(d: SenderKeyDistribution): ReceiverChain {
  return {
    version: d.keyVersion,
    signingKey: d.signingKey,
    startIndex: d.index,
    index: d.index,
    chainKey: d.chainKey,
    skipped: new Map(),
  };
}

function wipeChain(c: ReceiverChain | null): void {
  if (c === null) return;
  zeroize(c.chainKey);
  for (const k of c.skipped.values()) zeroize(k);
  c.skipped.clear();
}

/**
 * Another device's sender key for one conversation, as received from its distribution messages.
 * decrypt() checks, in order: well-formed (`crypto.malformed`), a key for that version
 * (`crypto.unknown_sender_key` if newer than held, `crypto.stale_version` if older than what is
 * kept), the signature (`crypto.bad_signature`, before any chain work), the index (duplicate,
 * before the distribution, too far ahead), then the AEAD; state changes only on success.
 */
export class InboundSenderKey {
  readonly #p: CryptoProvider;
  readonly #queue = new SerialQueue();
  #s: InboundState | null;

  private constructor(p: CryptoProvider, state: InboundState) {
    this.#p = p;
    this.#s = state;
  }

  /**
   * Installs a distribution received over the pairwise session with its sender. The caller
   * passes the conversation it expects; a distribution for another is `crypto.wrong_conversation`.
   */
  static async fromDistribution(
    p: CryptoProvider,
    conversationId: string,
    distribution: Uint8Array,
  ): Promise<InboundSenderKey> {
    const d = decodeSenderKeyDistribution(distribution);
    if (d.conversationId !== conversationId) {
      throw new MoltdmCryptoError('crypto.wrong_conversation', 'distribution conversation id');
    }
    return new InboundSenderKey(p, {
      conversationId,
      conversationIdBytes: encodeConversationId(conversationId),
      current: chainFrom(d),
      previous: null,
    });
  }

  static async fromJSON(p: CryptoProvider, json: unknown): Promise<InboundSenderKey> {
    const o = readHeader(json, INBOUND_SENDER_KEY_TYPE, STATE_VERSION);
    if (typeof o.conversationId !== 'string') {
      throw new MoltdmCryptoError('crypto.bad_state', 'conversationId must be a string');
    }
    let conversationIdBytes: Uint8Array;
    try {
      conversationIdBytes = encodeConversationId(o.conversationId);
    } catch (cause) {
      throw new MoltdmCryptoError('crypto.bad_state', 'invalid conversationId', { cause });
    }
    const current = chainFromJson(o.current);
    const previous = o.previous === null ? null : chainFromJson(o.previous);
    if (previous !== null && previous.version >= current.version) {
      throw new MoltdmCryptoError('crypto.bad_state', 'previous version not older than current');
    }
    return new InboundSenderKey(p, {
      conversationId: o.conversationId,
      conversationIdBytes,
      current,
      previous,
    });
  }

  get conversationId(): string {
    return this.#live().conversationId;
  }

  get version(): number {
    return this.#live().current.version;
  }

  /** The version kept for late messages after a rotation, if any. */
  get previousVersion(): number | null {
    return this.#live().previous?.version ?? null;
  }

  /**
   * A later distribution from the same sender. A newer version becomes current and the old
   * current is kept as `previous` (replacing and wiping any older one); the same version with the
   * same signing key changes nothing (never rewinds the chain); the same version with another
   * key is `crypto.key_conflict`; an older version is `crypto.stale_version`.
   */
  process(distribution: Uint8Array): Promise<ProcessDistributionResult> {
    return this.#queue.run(async () => {
      const s = this.#live();
      const d = decodeSenderKeyDistribution(distribution);
      if (d.conversationId !== s.conversationId) {
        throw new MoltdmCryptoError('crypto.wrong_conversation', 'distribution conversation id');
      }
      if (d.keyVersion < s.current.version) {
        zeroize(d.chainKey);
        throw new MoltdmCryptoError('crypto.stale_version', `version ${d.keyVersion} is older`);
      }
      if (d.keyVersion === s.current.version) {
        zeroize(d.chainKey);
        if (!equalBytes(d.signingKey, s.current.signingKey)) {
          throw new MoltdmCryptoError('crypto.key_conflict', `version ${d.keyVersion} differs`);
        }
        return 'unchanged';
      }
      wipeChain(s.previous);
      s.previous = s.current;
      s.current = chainFrom(d);
      return 'installed';
    });
  }

  /** Forgets the previous version (e.g. after a grace period): its late messages then fail. */
  dropPrevious(): void {
    const s = this.#live();
    wipeChain(s.previous);
    s.previous = null;
  }

  decrypt(message: Uint8Array): Promise<Uint8Array> {
    return this.#queue.run(() => this.#decrypt(message));
  }

  toJSON(): { readonly type: string; readonly v: number; readonly [key: string]: unknown } {
    const s = this.#live();
    return {
      type: INBOUND_SENDER_KEY_TYPE,
      v: STATE_VERSION,
      conversationId: s.conversationId,
      current: chainToJson(s.current),
      previous: s.previous === null ? null : chainToJson(s.previous),
    };
  }

  destroy(): void {
    if (this.#s !== null) {
      wipeChain(this.#s.current);
      wipeChain(this.#s.previous);
    }
    this.#s = null;
  }

  #live(): InboundState {
    if (this.#s === null) throw new MoltdmCryptoError('crypto.bad_state', 'sender key destroyed');
    return this.#s;
  }

  async #decrypt(bytes: Uint8Array): Promise<Uint8Array> {
    const s = this.#live();
    const m = decodeSenderKeyMessage(bytes);
    const chain =
      m.keyVersion === s.current.version
        ? s.current
        : m.keyVersion === s.previous?.version
          ? s.previous
          : null;
    if (chain === null) {
      if (m.keyVersion > s.current.version) {
        throw new MoltdmCryptoError(
          'crypto.unknown_sender_key',
          `no key for version ${m.keyVersion}`,
        );
      }
      throw new MoltdmCryptoError('crypto.stale_version', `version ${m.keyVersion} not kept`);
    }
    const ok = await this.#p.ed25519Verify(
      chain.signingKey,
      senderKeySignaturePayload(s.conversationIdBytes, m.signed),
      m.signature,
    );
    if (!ok) throw new MoltdmCryptoError('crypto.bad_signature', 'sender key message signature');
    const header = m.signed.subarray(0, 10);

    if (m.index < chain.index) {
      const key = chain.skipped.get(m.index);
      if (key === undefined) {
        if (m.index < chain.startIndex) {
          throw new MoltdmCryptoError(
            'crypto.key_unavailable',
            `index ${m.index} precedes the key`,
          );
        }
        throw new MoltdmCryptoError('crypto.duplicate_message', `index ${m.index} already used`);
      }
      const plaintext = await openSenderKeyMessage(
        this.#p,
        key,
        s.conversationIdBytes,
        header,
        m.ciphertext,
      );
      chain.skipped.delete(m.index);
      zeroize(key);
      return plaintext;
    }
    if (m.index - chain.index > MAX_SKIP) {
      throw new MoltdmCryptoError(
        'crypto.too_far_ahead',
        `skips ${m.index - chain.index} messages`,
      );
    }
    const skipped: [number, Uint8Array][] = [];
    let ck = chain.chainKey;
    for (let i = chain.index; i < m.index; i++) {
      const step = await kdfChain(this.#p, ck);
      if (ck !== chain.chainKey) zeroize(ck);
      skipped.push([i, step.messageKey]);
      ck = step.chainKey;
    }
    const last = await kdfChain(this.#p, ck);
    if (ck !== chain.chainKey) zeroize(ck);
    let plaintext: Uint8Array;
    try {
      plaintext = await openSenderKeyMessage(
        this.#p,
        last.messageKey,
        s.conversationIdBytes,
        header,
        m.ciphertext,
      );
    } catch (e) {
      zeroize(last.chainKey);
      for (const [, k] of skipped) zeroize(k);
      throw e;
    } finally {
      zeroize(last.messageKey);
    }
    zeroize(chain.chainKey);
    chain.chainKey = last.chainKey;
    chain.index = m.index + 1;
    for (const [i, k] of skipped) chain.skipped.set(i, k);
    for (const [i, k] of chain.skipped) {
      if (chain.skipped.size <= MAX_SKIPPED_KEYS) break;
      zeroize(k);
      chain.skipped.delete(i);
    }
    return plaintext;
  }
}

function chainToJson(c: ReceiverChain): JsonObject {
  return {
    version: c.version,
    signingKey: b64(c.signingKey),
    startIndex: c.startIndex,
    index: c.index,
    chainKey: b64(c.chainKey),
    skipped: [...c.skipped].map(([index, key]) => ({ index, messageKey: b64(key) })),
  };
}

function chainFromJson(value: unknown): ReceiverChain {
  const o = readObject(value, 'sender chain');
  const skipped = new Map<number, Uint8Array>();
  for (const entry of readArray(o, 'skipped', MAX_SKIPPED_KEYS)) {
    const e = readObject(entry, 'skipped entry');
    skipped.set(readU32(e, 'index'), readBytes(e, 'messageKey', 32));
  }
  const chain: ReceiverChain = {
    version: readU32(o, 'version'),
    signingKey: readBytes(o, 'signingKey', 32),
    startIndex: readU32(o, 'startIndex'),
    index: readCounter(o, 'index'),
    chainKey: readBytes(o, 'chainKey', 32),
    skipped,
  };
  if (chain.index < chain.startIndex) {
    throw new MoltdmCryptoError('crypto.bad_state', 'chain index before its start');
  }
  return chain;
}
