import { checkBytes, concatBytes, equalBytes, zeroize } from './bytes.ts';
import { MAX_COUNTER, MAX_PLAINTEXT_BYTES } from './constants.ts';
import { MoltdmCryptoError } from './errors.ts';
import { kdfChain } from './kdf.ts';
import type { CryptoProvider, KeyPair } from './provider.ts';
import { sealSenderKeyMessage, senderKeySignaturePayload } from './senderKeyCrypto.ts';
import { SerialQueue } from './serialQueue.ts';
import { b64, readBytes, readCounter, readHeader, readU32 } from './stateJson.ts';
import {
  encodeConversationId,
  encodeSenderKeyDistribution,
  encodeSenderKeyHeader,
} from './wire.ts';

export const OUTBOUND_SENDER_KEY_TYPE = 'moltdm.sender-key.outbound';
const STATE_VERSION = 1;

interface OutboundState {
  readonly conversationId: string;
  readonly conversationIdBytes: Uint8Array;
  version: number;
  index: number;
  chainKey: Uint8Array;
  signing: KeyPair;
}

/**
 * This device's sender key for one conversation (spec "Sender Keys Protocol", made sound): a
 * chain key that ratchets per message, an Ed25519 key that signs every message, a version that
 * rotate() increments. distribution() is sent to each member over the pairwise Double Ratchet
 * sessions, never wrapped to a long-term key.
 */
export class OutboundSenderKey {
  readonly #p: CryptoProvider;
  readonly #queue = new SerialQueue();
  #s: OutboundState | null;

  private constructor(p: CryptoProvider, state: OutboundState) {
    this.#p = p;
    this.#s = state;
  }

  /** A fresh sender key (version 1, index 0) for `conversationId` (1..255 UTF-8 bytes). */
  static async create(p: CryptoProvider, conversationId: string): Promise<OutboundSenderKey> {
    const conversationIdBytes = encodeConversationId(conversationId);
    return new OutboundSenderKey(p, {
      conversationId,
      conversationIdBytes,
      version: 1,
      index: 0,
      chainKey: await p.randomBytes(32),
      signing: await p.ed25519Generate(),
    });
  }

  static async fromJSON(p: CryptoProvider, json: unknown): Promise<OutboundSenderKey> {
    const o = readHeader(json, OUTBOUND_SENDER_KEY_TYPE, STATE_VERSION);
    if (typeof o.conversationId !== 'string') {
      throw new MoltdmCryptoError('crypto.bad_state', 'conversationId must be a string');
    }
    let conversationIdBytes: Uint8Array;
    try {
      conversationIdBytes = encodeConversationId(o.conversationId);
    } catch (cause) {
      throw new MoltdmCryptoError('crypto.bad_state', 'invalid conversationId', { cause });
    }
    const signing = {
      publicKey: readBytes(o, 'signingPublicKey', 32),
      privateKey: readBytes(o, 'signingPrivateKey', 32),
    };
    let derived: Uint8Array;
    try {
      derived = await p.ed25519PublicKey(signing.privateKey);
    } catch (cause) {
      throw new MoltdmCryptoError('crypto.bad_state', 'signing key unusable', { cause });
    }
    if (!equalBytes(derived, signing.publicKey)) {
      throw new MoltdmCryptoError('crypto.bad_state', 'signing key pair does not match');
    }
    return new OutboundSenderKey(p, {
      conversationId: o.conversationId,
      conversationIdBytes,
      version: readU32(o, 'version'),
      index: readCounter(o, 'index'),
      chainKey: readBytes(o, 'chainKey', 32),
      signing,
    });
  }

  get conversationId(): string {
    return this.#live().conversationId;
  }

  get version(): number {
    return this.#live().version;
  }

  /** Index the next message will carry. */
  get index(): number {
    return this.#live().index;
  }

  get signingPublicKey(): Uint8Array {
    return this.#live().signing.publicKey.slice();
  }

  /**
   * The distribution message for the current version at the current index: a recipient can
   * decrypt this sender's messages from the next one on, never anything sent before.
   */
  distribution(): Uint8Array {
    const s = this.#live();
    return encodeSenderKeyDistribution({
      conversationId: s.conversationId,
      keyVersion: s.version,
      index: s.index,
      chainKey: s.chainKey,
      signingKey: s.signing.publicKey,
    });
  }

  /** Encrypts and signs one group message. */
  encrypt(plaintext: Uint8Array): Promise<Uint8Array> {
    return this.#queue.run(async () => {
      checkBytes('plaintext', plaintext);
      if (plaintext.length > MAX_PLAINTEXT_BYTES) {
        throw new MoltdmCryptoError('crypto.bad_argument', 'plaintext larger than 1 MiB');
      }
      const s = this.#live();
      if (s.index > MAX_COUNTER) {
        throw new MoltdmCryptoError('crypto.bad_state', 'chain exhausted: rotate the sender key');
      }
      const step = await kdfChain(this.#p, s.chainKey);
      let message: Uint8Array;
      try {
        const header = encodeSenderKeyHeader(s.version, s.index);
        const ciphertext = await sealSenderKeyMessage(
          this.#p,
          step.messageKey,
          s.conversationIdBytes,
          header,
          plaintext,
        );
        const signed = concatBytes(header, ciphertext);
        const signature = await this.#p.ed25519Sign(
          s.signing.privateKey,
          senderKeySignaturePayload(s.conversationIdBytes, signed),
        );
        message = concatBytes(signed, signature);
      } catch (e) {
        zeroize(step.chainKey);
        throw e;
      } finally {
        zeroize(step.messageKey);
      }
      zeroize(s.chainKey);
      s.chainKey = step.chainKey;
      s.index += 1;
      return message;
    });
  }

  /**
   * A new random chain key and signing key, version + 1, index 0; the old ones are wiped. Call
   * when a member leaves or is removed and when a device is unlinked, then send distribution()
   * to the remaining members only.
   */
  rotate(): Promise<void> {
    return this.#queue.run(async () => {
      const s = this.#live();
      if (s.version >= MAX_COUNTER) {
        throw new MoltdmCryptoError('crypto.bad_state', 'sender key version exhausted');
      }
      const chainKey = await this.#p.randomBytes(32);
      const signing = await this.#p.ed25519Generate();
      zeroize(s.chainKey, s.signing.privateKey);
      s.chainKey = chainKey;
      s.signing = signing;
      s.version += 1;
      s.index = 0;
    });
  }

  /** Versioned JSON. It holds the chain and signing private keys: store it encrypted. */
  toJSON(): { readonly type: string; readonly v: number; readonly [key: string]: unknown } {
    const s = this.#live();
    return {
      type: OUTBOUND_SENDER_KEY_TYPE,
      v: STATE_VERSION,
      conversationId: s.conversationId,
      version: s.version,
      index: s.index,
      chainKey: b64(s.chainKey),
      signingPublicKey: b64(s.signing.publicKey),
      signingPrivateKey: b64(s.signing.privateKey),
    };
  }

  destroy(): void {
    if (this.#s !== null) zeroize(this.#s.chainKey, this.#s.signing.privateKey);
    this.#s = null;
  }

  #live(): OutboundState {
    if (this.#s === null) throw new MoltdmCryptoError('crypto.bad_state', 'sender key destroyed');
    return this.#s;
  }
}
