import type { DeviceKeysWire, OneTimePreKeyWire, SignedPreKeyWire } from '@moltbook/relay/protocol';
import { deviceFingerprint, moltbotIdFromPublicKey } from '@moltbook/relay/protocol';
import { encodeBase64 as b64, decodeBase64 as unb64 } from '../crypto/base64.ts';
import { zeroize } from '../crypto/bytes.ts';
import {
  type DeviceIdentity,
  generateDeviceIdentity,
  generateLastResortPreKey,
  generateOneTimePreKeys,
  generateSignedPreKey,
  type OneTimePreKey,
  type SignedPreKey,
} from '../crypto/identity.ts';
import type { CryptoProvider, KeyPair } from '../crypto/provider.ts';
import type { PreKeyStore } from '../crypto/session.ts';

/** Signed pre-keys kept after a rotation, for pre-key messages still in flight. */
const KEEP_SIGNED_PRE_KEYS = 3;
/** One-time pre-keys kept locally at most (popped keys nobody used are forgotten oldest first). */
const MAX_LOCAL_ONE_TIME = 2000;
/** The last-resort key's id, far from the one-time ids that count up from 1. */
const LAST_RESORT_ID = 0xffff_fff0;

interface SignedPreKeyRecord extends SignedPreKey {
  readonly createdAt: number;
}

/**
 * This device's own keys: its identity (Ed25519 signing key, X25519 identity key), the signed
 * pre-key (current first, plus the previous few), the last-resort pre-key and the pool of
 * one-time pre-keys whose public halves are on the relay. Implements the crypto library's
 * PreKeyStore for accepting sessions.
 */
export class DeviceKeys implements PreKeyStore {
  readonly identity: DeviceIdentity;
  readonly deviceId: string;
  #signed: SignedPreKeyRecord[];
  #lastResort: SignedPreKey;
  readonly #oneTime: Map<number, KeyPair>;
  #nextOneTimeId: number;

  private constructor(
    identity: DeviceIdentity,
    signed: SignedPreKeyRecord[],
    lastResort: SignedPreKey,
    oneTime: Map<number, KeyPair>,
    nextOneTimeId: number,
  ) {
    this.identity = identity;
    this.deviceId = moltbotIdFromPublicKey(identity.signing.publicKey);
    this.#signed = signed;
    this.#lastResort = lastResort;
    this.#oneTime = oneTime;
    this.#nextOneTimeId = nextOneTimeId;
  }

  static async generate(p: CryptoProvider, now: number, oneTime = 100): Promise<DeviceKeys> {
    const identity = await generateDeviceIdentity(p);
    const spk = await generateSignedPreKey(p, identity, 1);
    const lastResort = await generateLastResortPreKey(p, identity, LAST_RESORT_ID);
    const keys = new DeviceKeys(identity, [{ ...spk, createdAt: now }], lastResort, new Map(), 1);
    await keys.newOneTimePreKeys(p, oneTime);
    return keys;
  }

  get fingerprint(): string {
    return deviceFingerprint(this.identity.signing.publicKey, this.identity.identityKey.publicKey);
  }

  get signedPreKeyCreatedAt(): number {
    return (this.#signed[0] as SignedPreKeyRecord).createdAt;
  }

  get oneTimePreKeyCount(): number {
    return this.#oneTime.size;
  }

  sign(p: CryptoProvider, message: Uint8Array): Promise<Uint8Array> {
    return p.ed25519Sign(this.identity.signing.privateKey, message);
  }

  /** Everything the relay needs to know about this device, with `oneTime` pre-keys listed. */
  wire(oneTime: readonly OneTimePreKey[]): DeviceKeysWire {
    const spk = this.#signed[0] as SignedPreKeyRecord;
    return {
      identityKey: b64(this.identity.identityKey.publicKey),
      identityKeySignature: b64(this.identity.identityKeySignature),
      signedPreKey: signedWire(spk),
      lastResortPreKey: signedWire(this.#lastResort),
      oneTimePreKeys: oneTime.map(oneTimeWire),
    };
  }

  /** All one-time pre-keys held (for the first upload: registration or pairing request). */
  allOneTimePreKeys(): OneTimePreKey[] {
    return [...this.#oneTime].map(([id, keyPair]) => ({ id, keyPair }));
  }

  /** Generates `count` new one-time pre-keys (ids never reused) and returns them. */
  async newOneTimePreKeys(p: CryptoProvider, count: number): Promise<OneTimePreKey[]> {
    const fresh = await generateOneTimePreKeys(p, this.#nextOneTimeId, count);
    this.#nextOneTimeId += count;
    for (const k of fresh) this.#oneTime.set(k.id, k.keyPair);
    while (this.#oneTime.size > MAX_LOCAL_ONE_TIME) {
      const oldest = this.#oneTime.keys().next().value as number;
      zeroize(this.#oneTime.get(oldest)?.privateKey);
      this.#oneTime.delete(oldest);
    }
    return fresh;
  }

  /** A new signed pre-key; the previous ones stay usable for messages already in flight. */
  async rotateSignedPreKey(p: CryptoProvider, now: number): Promise<SignedPreKeyWire> {
    const id = ((this.#signed[0] as SignedPreKeyRecord).id % 0xffff_ff00) + 1;
    const spk = await generateSignedPreKey(p, this.identity, id);
    this.#signed.unshift({ ...spk, createdAt: now });
    for (const old of this.#signed.splice(KEEP_SIGNED_PRE_KEYS)) zeroize(old.keyPair.privateKey);
    return signedWire(spk);
  }

  // ---------------------------------------------------------------- PreKeyStore

  async signedPreKey(id: number): Promise<SignedPreKey | undefined> {
    return this.#signed.find((k) => k.id === id);
  }

  async oneTimePreKey(id: number): Promise<KeyPair | undefined> {
    return this.#oneTime.get(id);
  }

  async removeOneTimePreKey(id: number): Promise<void> {
    this.#oneTime.delete(id);
  }

  async lastResortPreKey(id: number): Promise<SignedPreKey | undefined> {
    return this.#lastResort.id === id ? this.#lastResort : undefined;
  }

  // ---------------------------------------------------------------- persistence

  toJSON(): DeviceKeysJson {
    const id = this.identity;
    return {
      signing: pairJson(id.signing),
      identityKey: pairJson(id.identityKey),
      identityKeySignature: b64(id.identityKeySignature),
      signed: this.#signed.map((k) => ({ ...signedJson(k), createdAt: k.createdAt })),
      lastResort: signedJson(this.#lastResort),
      oneTime: [...this.#oneTime].map(([kid, kp]) => ({ id: kid, ...pairJson(kp) })),
      nextOneTimeId: this.#nextOneTimeId,
    };
  }

  static fromJSON(j: DeviceKeysJson): DeviceKeys {
    return new DeviceKeys(
      {
        signing: pairFrom(j.signing),
        identityKey: pairFrom(j.identityKey),
        identityKeySignature: unb64(j.identityKeySignature),
      },
      j.signed.map((k) => ({ ...signedFrom(k), createdAt: k.createdAt })),
      signedFrom(j.lastResort),
      new Map(j.oneTime.map((k) => [k.id, pairFrom(k)])),
      j.nextOneTimeId,
    );
  }

  destroy(): void {
    zeroize(this.identity.signing.privateKey, this.identity.identityKey.privateKey);
    for (const k of this.#signed) zeroize(k.keyPair.privateKey);
    zeroize(this.#lastResort.keyPair.privateKey);
    for (const k of this.#oneTime.values()) zeroize(k.privateKey);
    this.#oneTime.clear();
  }
}

interface PairJson {
  readonly pub: string;
  readonly priv: string;
}
interface SignedJson extends PairJson {
  readonly id: number;
  readonly sig: string;
}
export interface DeviceKeysJson {
  readonly signing: PairJson;
  readonly identityKey: PairJson;
  readonly identityKeySignature: string;
  readonly signed: readonly (SignedJson & { readonly createdAt: number })[];
  readonly lastResort: SignedJson;
  readonly oneTime: readonly (PairJson & { readonly id: number })[];
  readonly nextOneTimeId: number;
}

const pairJson = (k: KeyPair): PairJson => ({ pub: b64(k.publicKey), priv: b64(k.privateKey) });
const pairFrom = (j: PairJson): KeyPair => ({
  publicKey: unb64(j.pub),
  privateKey: unb64(j.priv),
});
const signedJson = (k: SignedPreKey): SignedJson => ({
  id: k.id,
  ...pairJson(k.keyPair),
  sig: b64(k.signature),
});
const signedFrom = (j: SignedJson): SignedPreKey => ({
  id: j.id,
  keyPair: pairFrom(j),
  signature: unb64(j.sig),
});
const signedWire = (k: SignedPreKey): SignedPreKeyWire => ({
  id: k.id,
  key: b64(k.keyPair.publicKey),
  signature: b64(k.signature),
});
const oneTimeWire = (k: OneTimePreKey): OneTimePreKeyWire => ({
  id: k.id,
  key: b64(k.keyPair.publicKey),
});
