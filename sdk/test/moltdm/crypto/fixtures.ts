import type { DoubleRatchet } from '../../../src/moltdm/crypto/doubleRatchet.ts';
import {
  type DeviceIdentity,
  generateDeviceIdentity,
  generateLastResortPreKey,
  generateOneTimePreKeys,
  generateSignedPreKey,
  type OneTimePreKey,
  type PreKeyBundle,
  publicIdentity,
  type SignedPreKey,
} from '../../../src/moltdm/crypto/identity.ts';
import type { CryptoProvider, KeyPair } from '../../../src/moltdm/crypto/provider.ts';
import {
  acceptSession,
  initiateSession,
  type PreKeyStore,
} from '../../../src/moltdm/crypto/session.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
export const text = (s: string): Uint8Array => enc.encode(s);
export const str = (b: Uint8Array): string => dec.decode(b);

/** What the relay hands out for DH4: a one-time pre-key, the last-resort key, or nothing. */
export type BundleKind = 'oneTime' | 'lastResort' | 'none';

/** A device with its pre-keys and an in-memory pre-key store (the client's real one persists). */
export interface TestDevice {
  readonly identity: DeviceIdentity;
  readonly signedPreKey: SignedPreKey;
  readonly lastResortPreKey: SignedPreKey;
  readonly oneTimePreKeys: Map<number, OneTimePreKey>;
  readonly store: PreKeyStore;
  /** A bundle as the relay serves it; one-time pre-keys are handed out once each. */
  bundle(kind?: BundleKind): PreKeyBundle;
}

export async function createDevice(p: CryptoProvider, oneTimeCount = 3): Promise<TestDevice> {
  const identity = await generateDeviceIdentity(p);
  const signedPreKey = await generateSignedPreKey(p, identity, 1);
  const lastResortPreKey = await generateLastResortPreKey(p, identity, 1);
  const oneTimePreKeys = new Map(
    (await generateOneTimePreKeys(p, 10, oneTimeCount)).map((k) => [k.id, k] as const),
  );
  const handedOut = new Set<number>();
  const store: PreKeyStore = {
    async signedPreKey(id) {
      return id === signedPreKey.id ? signedPreKey : undefined;
    },
    async oneTimePreKey(id): Promise<KeyPair | undefined> {
      return oneTimePreKeys.get(id)?.keyPair;
    },
    async removeOneTimePreKey(id) {
      oneTimePreKeys.delete(id);
    },
    async lastResortPreKey(id) {
      return id === lastResortPreKey.id ? lastResortPreKey : undefined;
    },
  };
  return {
    identity,
    signedPreKey,
    lastResortPreKey,
    oneTimePreKeys,
    store,
    bundle(kind = 'oneTime') {
      const spk = {
        id: signedPreKey.id,
        publicKey: signedPreKey.keyPair.publicKey,
        signature: signedPreKey.signature,
      };
      const next = [...oneTimePreKeys.values()].find((k) => !handedOut.has(k.id));
      if (kind === 'none') return { identity: publicIdentity(identity), signedPreKey: spk };
      if (kind === 'lastResort' || next === undefined) {
        const { id, keyPair, signature } = lastResortPreKey;
        return {
          identity: publicIdentity(identity),
          signedPreKey: spk,
          lastResortPreKey: { id, publicKey: keyPair.publicKey, signature },
        };
      }
      handedOut.add(next.id);
      return {
        identity: publicIdentity(identity),
        signedPreKey: spk,
        oneTimePreKey: { id: next.id, publicKey: next.keyPair.publicKey },
      };
    },
  };
}

/** Alice opens a session to Bob; Bob accepts her first message. */
export async function sessionPair(
  alicePro: CryptoProvider,
  bobPro: CryptoProvider = alicePro,
  kind: BundleKind = 'oneTime',
): Promise<{
  alice: DoubleRatchet;
  bob: DoubleRatchet;
  aliceDevice: TestDevice;
  bobDevice: TestDevice;
}> {
  const aliceDevice = await createDevice(alicePro);
  const bobDevice = await createDevice(bobPro);
  const alice = await initiateSession(alicePro, aliceDevice.identity, bobDevice.bundle(kind));
  const first = await alice.encrypt(text('hello'));
  const accepted = await acceptSession(bobPro, bobDevice.identity, bobDevice.store, first);
  if (str(accepted.plaintext) !== 'hello') throw new Error('first message garbled');
  return { alice, bob: accepted.session, aliceDevice, bobDevice };
}
