import { checkBytes, concatBytes, equalBytes, toHex, zeroize } from './bytes.ts';
import { LABELS, MAX_COUNTER, MAX_PLAINTEXT_BYTES, MAX_SKIP } from './constants.ts';
import { MoltdmCryptoError } from './errors.ts';
import { expandMessageKey, kdfChain, kdfRoot } from './kdf.ts';
import type { CryptoProvider, KeyPair } from './provider.ts';
import {
  closeChain,
  type RatchetState,
  type RatchetStateJson,
  ratchetStateFromJson,
  ratchetStateToJson,
  type SkippedKey,
  skippedId,
  storeSkipped,
  wipeState,
} from './ratchetState.ts';
import { SerialQueue } from './serialQueue.ts';
import {
  decodePreKeyMessage,
  decodeRatchetMessage,
  encodePreKeyMessage,
  encodeRatchetHeader,
  encodeRatchetMessage,
  type PreKeyMessageFields,
  peekWireKind,
  type RatchetMessage,
} from './wire.ts';

/**
 * One 1:1 session (Signal Double Ratchet, without header encryption). Every operation is a
 * transaction: keys are derived into fresh buffers, and the state is replaced only after the
 * AEAD succeeded — a forged, corrupted, replayed or too-far message leaves it byte for byte as it
 * was. Superseded secrets are wiped on commit; derived secrets are wiped on failure.
 */
export class DoubleRatchet {
  readonly #p: CryptoProvider;
  readonly #queue = new SerialQueue();
  #state: RatchetState | null;

  private constructor(p: CryptoProvider, state: RatchetState) {
    this.#p = p;
    this.#state = state;
  }

  /**
   * Initiator (Alice, §3.3 RatchetInitAlice): SK from X3DH, Bob's signed pre-key as his first
   * ratchet key. Until the first reply arrives every message carries the X3DH header.
   * `sharedSecret` is copied; the caller wipes its own copy.
   */
  static async initiate(
    p: CryptoProvider,
    init: {
      readonly sharedSecret: Uint8Array;
      readonly associatedData: Uint8Array;
      readonly remoteSignedPreKey: Uint8Array;
      readonly preKeyHeader: PreKeyMessageFields;
    },
  ): Promise<DoubleRatchet> {
    checkBytes('shared secret', init.sharedSecret, 32);
    checkBytes('associated data', init.associatedData, 128);
    const sending = await p.x25519Generate();
    const dh = await p.x25519(sending.privateKey, init.remoteSignedPreKey);
    const step = await kdfRoot(p, init.sharedSecret, dh);
    zeroize(dh);
    return new DoubleRatchet(p, {
      associatedData: init.associatedData.slice(),
      baseKey: init.preKeyHeader.baseKey.slice(),
      rootKey: step.rootKey,
      sending,
      remoteKey: init.remoteSignedPreKey.slice(),
      sendChain: step.chainKey,
      recvChain: null,
      sendCount: 0,
      recvCount: 0,
      previousSendCount: 0,
      skipped: new Map(),
      closedChains: [],
      pendingPreKey: init.preKeyHeader,
    });
  }

  /**
   * Responder (Bob, RatchetInitBob): his signed pre-key pair is the first ratchet key pair
   * (copied: the pre-key stays usable for other sessions). He can send once he has received.
   */
  static async respond(
    p: CryptoProvider,
    init: {
      readonly sharedSecret: Uint8Array;
      readonly associatedData: Uint8Array;
      readonly signedPreKey: KeyPair;
      readonly baseKey: Uint8Array;
    },
  ): Promise<DoubleRatchet> {
    checkBytes('shared secret', init.sharedSecret, 32);
    checkBytes('associated data', init.associatedData, 128);
    return new DoubleRatchet(p, {
      associatedData: init.associatedData.slice(),
      baseKey: checkBytes('base key', init.baseKey, 32).slice(),
      rootKey: init.sharedSecret.slice(),
      sending: {
        publicKey: init.signedPreKey.publicKey.slice(),
        privateKey: init.signedPreKey.privateKey.slice(),
      },
      remoteKey: null,
      sendChain: null,
      recvChain: null,
      sendCount: 0,
      recvCount: 0,
      previousSendCount: 0,
      skipped: new Map(),
      closedChains: [],
      pendingPreKey: null,
    });
  }

  /** Restores a session saved with toJSON(); invalid state is `crypto.bad_state`. */
  static async fromJSON(p: CryptoProvider, json: unknown): Promise<DoubleRatchet> {
    return new DoubleRatchet(p, await ratchetStateFromJson(p, json));
  }

  /** X3DH associated data (identities of both devices, initiator first). */
  get associatedData(): Uint8Array {
    return this.#live().associatedData.slice();
  }

  /** The X3DH ephemeral key that names this session (route pre-key messages by it). */
  get baseKey(): Uint8Array {
    return this.#live().baseKey.slice();
  }

  /** True on the initiator until the peer's first reply has been decrypted. */
  get awaitingReply(): boolean {
    return this.#live().pendingPreKey !== null;
  }

  toJSON(): RatchetStateJson {
    return ratchetStateToJson(this.#live());
  }

  /** Wipes every secret; the session refuses all further use (`crypto.bad_state`). */
  destroy(): void {
    if (this.#state !== null) wipeState(this.#state);
    this.#state = null;
  }

  /** Encrypts one message: a ratchet message, or a pre-key message while awaiting a reply. */
  encrypt(plaintext: Uint8Array): Promise<Uint8Array> {
    return this.#queue.run(() => this.#encrypt(plaintext));
  }

  /** Decrypts a ratchet message, or a pre-key message of this same session (same base key). */
  decrypt(message: Uint8Array): Promise<Uint8Array> {
    return this.#queue.run(() => this.#decrypt(message));
  }

  #live(): RatchetState {
    if (this.#state === null) throw new MoltdmCryptoError('crypto.bad_state', 'session destroyed');
    return this.#state;
  }

  async #encrypt(plaintext: Uint8Array): Promise<Uint8Array> {
    checkBytes('plaintext', plaintext);
    if (plaintext.length > MAX_PLAINTEXT_BYTES) {
      throw new MoltdmCryptoError('crypto.bad_argument', 'plaintext larger than 1 MiB');
    }
    const s = this.#live();
    if (s.sendChain === null) {
      throw new MoltdmCryptoError('crypto.bad_state', 'no sending chain before the first reply');
    }
    if (s.sendCount > MAX_COUNTER) {
      throw new MoltdmCryptoError('crypto.bad_state', 'sending chain exhausted');
    }
    const step = await kdfChain(this.#p, s.sendChain);
    const header = encodeRatchetHeader({
      dh: s.sending.publicKey,
      previousChainLength: s.previousSendCount,
      messageNumber: s.sendCount,
    });
    let ciphertext: Uint8Array;
    try {
      ciphertext = await this.#seal(step.messageKey, s.associatedData, header, plaintext);
    } catch (e) {
      zeroize(step.chainKey);
      throw e;
    } finally {
      zeroize(step.messageKey);
    }
    // Commit (synchronous: toJSON never sees a half-applied step).
    zeroize(s.sendChain);
    s.sendChain = step.chainKey;
    s.sendCount += 1;
    const message = encodeRatchetMessage(header, ciphertext);
    return s.pendingPreKey === null ? message : encodePreKeyMessage(s.pendingPreKey, message);
  }

  async #decrypt(bytes: Uint8Array): Promise<Uint8Array> {
    const s = this.#live();
    let m: RatchetMessage;
    const kind = peekWireKind(bytes);
    if (kind === 'preKey') {
      const pre = decodePreKeyMessage(bytes);
      if (!equalBytes(pre.baseKey, s.baseKey)) {
        throw new MoltdmCryptoError('crypto.bad_state', 'pre-key message of another session');
      }
      m = pre.message;
    } else if (kind === 'ratchet') {
      m = decodeRatchetMessage(bytes);
    } else {
      throw new MoltdmCryptoError('crypto.malformed', `a ${kind} message is not a ratchet message`);
    }
    const n = m.messageNumber;

    // 1. A key skipped earlier (TrySkippedMessageKeys).
    const id = skippedId(m.dh, n);
    const skipped = s.skipped.get(id);
    if (skipped !== undefined) {
      const plaintext = await this.#open(skipped.messageKey, s.associatedData, m);
      s.skipped.delete(id);
      zeroize(skipped.messageKey);
      return plaintext;
    }

    // 2. The current receiving chain.
    if (s.recvChain !== null && s.remoteKey !== null && equalBytes(m.dh, s.remoteKey)) {
      if (n < s.recvCount) {
        throw new MoltdmCryptoError('crypto.duplicate_message', `message ${n} already received`);
      }
      if (n - s.recvCount > MAX_SKIP) {
        throw new MoltdmCryptoError('crypto.too_far_ahead', `skips ${n - s.recvCount} messages`);
      }
      const run = await this.#advance(s.recvChain, m.dh, s.recvCount, n);
      const plaintext = await this.#openOrWipe(run, s.associatedData, m, []);
      zeroize(s.recvChain);
      s.recvChain = run.chainKey;
      s.recvCount = n + 1;
      storeSkipped(s, run.skipped);
      s.pendingPreKey = null;
      return plaintext;
    }

    // 3. A chain this session already closed: every key it had is used or stored.
    if (s.closedChains.includes(toHex(m.dh))) {
      throw new MoltdmCryptoError('crypto.duplicate_message', 'message of a closed chain');
    }

    // 4. A new ratchet key: DH ratchet step (§3.5 DHRatchet), computed aside.
    const pn = m.previousChainLength;
    if (s.recvChain !== null && pn > s.recvCount && pn - s.recvCount > MAX_SKIP) {
      throw new MoltdmCryptoError(
        'crypto.too_far_ahead',
        `previous chain skips ${pn - s.recvCount}`,
      );
    }
    if (n > MAX_SKIP) throw new MoltdmCryptoError('crypto.too_far_ahead', `skips ${n} messages`);
    const secrets: Uint8Array[] = [];
    let closing: ChainRun | null = null;
    let run: ChainRun | null = null;
    let next: KeyPair | null = null;
    try {
      if (s.recvChain !== null && s.remoteKey !== null && pn > s.recvCount) {
        // Keys for positions recvCount..pn-1 of the closing chain (the run ends at pn - 1).
        closing = await this.#advance(s.recvChain, s.remoteKey, s.recvCount, pn - 1);
        zeroize(closing.chainKey);
      }
      const dh1 = await this.#p.x25519(s.sending.privateKey, m.dh);
      secrets.push(dh1);
      const receiving = await kdfRoot(this.#p, s.rootKey, dh1);
      secrets.push(receiving.rootKey, receiving.chainKey);
      next = await this.#p.x25519Generate();
      const dh2 = await this.#p.x25519(next.privateKey, m.dh);
      secrets.push(dh2);
      const sending = await kdfRoot(this.#p, receiving.rootKey, dh2);
      secrets.push(sending.rootKey, sending.chainKey);
      run = await this.#advance(receiving.chainKey, m.dh, 0, n);
      const plaintext = await this.#openOrWipe(run, s.associatedData, m, []);
      // Commit.
      if (s.recvChain !== null && s.remoteKey !== null) {
        if (closing !== null)
          storeSkipped(s, [...closing.skipped, lastOf(closing, s.remoteKey, pn - 1)]);
        closeChain(s, s.remoteKey);
      }
      zeroize(s.rootKey, s.sending.privateKey, s.sendChain, s.recvChain);
      s.previousSendCount = s.sendCount;
      s.sendCount = 0;
      s.recvCount = n + 1;
      s.remoteKey = m.dh;
      s.rootKey = sending.rootKey;
      s.sending = next;
      s.sendChain = sending.chainKey;
      s.recvChain = run.chainKey;
      storeSkipped(s, run.skipped);
      s.pendingPreKey = null;
      zeroize(...secrets.filter((b) => b !== sending.rootKey && b !== sending.chainKey));
      return plaintext;
    } catch (e) {
      zeroize(...secrets, next?.privateKey, run?.chainKey);
      for (const k of closing?.skipped ?? []) zeroize(k.messageKey);
      zeroize(closing?.messageKey);
      throw e;
    }
  }

  /**
   * Message keys for chain positions from..to-1 (to be stored as skipped), the key for
   * position `to`, and the chain key after it; `chainKey` itself is left untouched.
   */
  async #advance(
    chainKey: Uint8Array,
    dh: Uint8Array,
    from: number,
    to: number,
  ): Promise<ChainRun> {
    const skipped: SkippedKey[] = [];
    let ck = chainKey;
    for (let n = from; n < to; n++) {
      const step = await kdfChain(this.#p, ck);
      if (ck !== chainKey) zeroize(ck);
      skipped.push({ dh, n, messageKey: step.messageKey });
      ck = step.chainKey;
    }
    const last = await kdfChain(this.#p, ck);
    if (ck !== chainKey) zeroize(ck);
    return { skipped, messageKey: last.messageKey, chainKey: last.chainKey };
  }

  /** Opens with run.messageKey; on failure wipes everything the run (and `extra`) derived. */
  async #openOrWipe(
    run: ChainRun,
    ad: Uint8Array,
    m: RatchetMessage,
    extra: readonly SkippedKey[],
  ): Promise<Uint8Array> {
    try {
      return await this.#open(run.messageKey, ad, m);
    } catch (e) {
      zeroize(run.chainKey);
      for (const k of [...run.skipped, ...extra]) zeroize(k.messageKey);
      throw e;
    } finally {
      zeroize(run.messageKey);
    }
  }

  async #seal(
    messageKey: Uint8Array,
    ad: Uint8Array,
    header: Uint8Array,
    plaintext: Uint8Array,
  ): Promise<Uint8Array> {
    const k = await expandMessageKey(this.#p, messageKey, LABELS.ratchetMessage);
    try {
      return await this.#p.aesGcmEncrypt(k.key, k.nonce, plaintext, concatBytes(ad, header));
    } finally {
      zeroize(k.key, k.nonce);
    }
  }

  async #open(messageKey: Uint8Array, ad: Uint8Array, m: RatchetMessage): Promise<Uint8Array> {
    const k = await expandMessageKey(this.#p, messageKey, LABELS.ratchetMessage);
    try {
      return await this.#p.aesGcmDecrypt(k.key, k.nonce, m.ciphertext, concatBytes(ad, m.header));
    } finally {
      zeroize(k.key, k.nonce);
    }
  }
}

/** The run's own message key, as the skipped entry for position `n` of chain `dh`. */
function lastOf(run: ChainRun, dh: Uint8Array, n: number): SkippedKey {
  return { dh, n, messageKey: run.messageKey };
}

interface ChainRun {
  readonly skipped: SkippedKey[];
  readonly messageKey: Uint8Array;
  readonly chainKey: Uint8Array;
}
