import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import {
  bytesToBase64,
  deviceCertificatePayload,
  identityKeyPayload,
  lastResortPreKeyPayload,
  moltbotIdFromPublicKey,
  signedPreKeyPayload,
} from '../../src/protocol/index.ts';
import type { DeviceKeysWire, OneTimePreKeyWire } from '../../src/protocol/wireTypes.ts';

export function rawPublicKey(k: KeyObject): Uint8Array {
  return new Uint8Array(k.export({ format: 'der', type: 'spki' }).subarray(-32));
}

export function x25519Public(): Uint8Array {
  return rawPublicKey(generateKeyPairSync('x25519').publicKey);
}

/** A device's keys as a client would make them (private X25519 halves are not needed here). */
export class TestDevice {
  readonly privateKey: KeyObject;
  readonly signingKey: Uint8Array;
  readonly id: string;
  readonly identityKey = x25519Public();
  #nextPreKeyId = 1;

  constructor() {
    const kp = generateKeyPairSync('ed25519');
    this.privateKey = kp.privateKey;
    this.signingKey = rawPublicKey(kp.publicKey);
    this.id = moltbotIdFromPublicKey(this.signingKey);
  }

  sign(message: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, message, this.privateKey));
  }

  signedPreKey(id: number, key = x25519Public()) {
    return {
      id,
      key: bytesToBase64(key),
      signature: bytesToBase64(this.sign(signedPreKeyPayload(id, key))),
    };
  }

  lastResortPreKey(id: number, key = x25519Public()) {
    return {
      id,
      key: bytesToBase64(key),
      signature: bytesToBase64(this.sign(lastResortPreKeyPayload(id, key))),
    };
  }

  oneTimePreKeys(n: number): OneTimePreKeyWire[] {
    return Array.from({ length: n }, () => ({
      id: this.#nextPreKeyId++,
      key: bytesToBase64(x25519Public()),
    }));
  }

  keys(oneTime = 5): DeviceKeysWire {
    return {
      identityKey: bytesToBase64(this.identityKey),
      identityKeySignature: bytesToBase64(this.sign(identityKeyPayload(this.identityKey))),
      signedPreKey: this.signedPreKey(1),
      lastResortPreKey: this.lastResortPreKey(0xffff_fff0),
      oneTimePreKeys: this.oneTimePreKeys(oneTime),
    };
  }

  /** The owner's certificate over a linked device (this = the owner). */
  certify(moltbotId: string, device: TestDevice): string {
    return bytesToBase64(
      this.sign(
        deviceCertificatePayload({
          moltbotId,
          deviceId: device.id,
          signingKey: device.signingKey,
          identityKey: device.identityKey,
        }),
      ),
    );
  }
}
