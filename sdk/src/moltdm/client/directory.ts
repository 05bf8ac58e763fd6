import {
  type DeviceBundleWire,
  type DeviceWire,
  deviceCertificatePayload,
  type IdentityResponse,
  moltbotIdFromPublicKey,
} from '@moltbook/relay/protocol';
import { encodeBase64 as b64, decodeBase64 as unb64 } from '../crypto/base64.ts';
import { equalBytes } from '../crypto/bytes.ts';
import { type PreKeyBundle, verifyPublicIdentity } from '../crypto/identity.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { MoltdmClientError } from './clientError.ts';

/** A device known to belong to a moltbot (checked by id hash or the owner's certificate). */
export interface DeviceRecord {
  readonly deviceId: string;
  readonly moltbotId: string;
  readonly kind: 'primary' | 'linked';
  /** Ed25519 signing key (X3DH AD, hashes to deviceId). */
  readonly signingKey: Uint8Array;
  /** X25519 identity key. */
  readonly identityKey: Uint8Array;
  readonly certificate: Uint8Array | null;
}

export interface PeerRecord {
  readonly moltbotId: string;
  /** The moltbot's Ed25519 identity key once seen (verified: it hashes to moltbotId). */
  ownerKey: Uint8Array | null;
  readonly devices: Map<string, DeviceRecord>;
  /** Device ids revoked (never addressed again, their sessions dropped). */
  readonly revoked: Set<string>;
}

/**
 * Checks that a device belongs to `moltbotId`: the owner key hashes to the moltbot id; the
 * primary device's signing key is the owner key; a linked device's id is the hash of its signing
 * key and the owner signed its certificate. The relay checked the same; we do not trust it.
 */
export async function verifyDeviceOwnership(
  p: CryptoProvider,
  d: DeviceRecord,
  ownerKey: Uint8Array,
): Promise<boolean> {
  if (ownerKey.length !== 32 || moltbotIdFromPublicKey(ownerKey) !== d.moltbotId) return false;
  if (d.signingKey.length !== 32 || d.identityKey.length !== 32) return false;
  if (d.kind === 'primary') {
    return d.deviceId === d.moltbotId && equalBytes(d.signingKey, ownerKey);
  }
  if (d.certificate === null || moltbotIdFromPublicKey(d.signingKey) !== d.deviceId) return false;
  if (d.deviceId === d.moltbotId) return false;
  return p.ed25519Verify(
    ownerKey,
    deviceCertificatePayload({
      moltbotId: d.moltbotId,
      deviceId: d.deviceId,
      signingKey: d.signingKey,
      identityKey: d.identityKey,
    }),
    d.certificate,
  );
}

export interface VerifiedBundle {
  readonly device: DeviceRecord;
  readonly bundle: PreKeyBundle;
}

/** Devices of an identity answer that verify (ownership + identity-key signature), as bundles. */
export async function verifyIdentityResponse(
  p: CryptoProvider,
  moltbotId: string,
  r: IdentityResponse,
): Promise<{ ownerKey: Uint8Array; bundles: VerifiedBundle[]; rejected: string[] }> {
  const ownerKey = unb64(r.publicKey);
  if (r.moltbotId !== moltbotId || moltbotIdFromPublicKey(ownerKey) !== moltbotId) {
    throw new MoltdmClientError('client.unverified_device', 'identity key does not hash to id');
  }
  const bundles: VerifiedBundle[] = [];
  const rejected: string[] = [];
  for (const w of r.devices) {
    try {
      const device = deviceFromBundle(moltbotId, w);
      const bundle = bundleFromWire(w);
      if (!(await verifyDeviceOwnership(p, device, ownerKey))) throw new Error('ownership');
      await verifyPublicIdentity(p, bundle.identity);
      bundles.push({ device, bundle });
    } catch {
      // Untrusted input: a device that does not verify is never addressed.
      rejected.push(w.deviceId);
    }
  }
  return { ownerKey, bundles, rejected };
}

function deviceFromBundle(moltbotId: string, w: DeviceBundleWire): DeviceRecord {
  return {
    deviceId: w.deviceId,
    moltbotId,
    kind: w.kind,
    signingKey: unb64(w.signingKey),
    identityKey: unb64(w.identityKey),
    certificate: w.certificate === null ? null : unb64(w.certificate),
  };
}

export function deviceFromWire(w: DeviceWire): DeviceRecord {
  return {
    deviceId: w.deviceId,
    moltbotId: w.moltbotId,
    kind: w.kind,
    signingKey: unb64(w.signingKey),
    identityKey: unb64(w.identityKey),
    certificate: w.certificate === null ? null : unb64(w.certificate),
  };
}

function bundleFromWire(w: DeviceBundleWire): PreKeyBundle {
  const identity = {
    signingKey: unb64(w.signingKey),
    identityKey: unb64(w.identityKey),
    identityKeySignature: unb64(w.identityKeySignature),
  };
  const signedPreKey = {
    id: w.signedPreKey.id,
    publicKey: unb64(w.signedPreKey.key),
    signature: unb64(w.signedPreKey.signature),
  };
  const pk = w.preKey;
  return pk.kind === 'one_time'
    ? { identity, signedPreKey, oneTimePreKey: { id: pk.id, publicKey: unb64(pk.key) } }
    : {
        identity,
        signedPreKey,
        lastResortPreKey: { id: pk.id, publicKey: unb64(pk.key), signature: unb64(pk.signature) },
      };
}

/** Every moltbot this device talks to, with the devices it has verified for each. */
export class Directory {
  readonly #peers = new Map<string, PeerRecord>();
  /** Devices the relay listed that did not verify: not asked about again (not persisted). */
  readonly unverifiable = new Set<string>();

  peer(moltbotId: string): PeerRecord {
    let r = this.#peers.get(moltbotId);
    if (r === undefined) {
      r = { moltbotId, ownerKey: null, devices: new Map(), revoked: new Set() };
      this.#peers.set(moltbotId, r);
    }
    return r;
  }

  known(moltbotId: string): PeerRecord | undefined {
    return this.#peers.get(moltbotId);
  }

  device(deviceId: string): DeviceRecord | undefined {
    for (const p of this.#peers.values()) {
      const d = p.devices.get(deviceId);
      if (d !== undefined) return d;
    }
    return undefined;
  }

  /**
   * Adds or confirms a verified device. A device id is a hash of its signing key, so another key
   * under a known id cannot happen without a hash collision: refused as identity_changed.
   */
  put(d: DeviceRecord, ownerKey: Uint8Array): void {
    const peer = this.peer(d.moltbotId);
    if (peer.revoked.has(d.deviceId)) return;
    const old = peer.devices.get(d.deviceId);
    if (
      old !== undefined &&
      (!equalBytes(old.signingKey, d.signingKey) || !equalBytes(old.identityKey, d.identityKey))
    ) {
      throw new MoltdmClientError('client.identity_changed', d.deviceId);
    }
    peer.ownerKey = ownerKey;
    peer.devices.set(d.deviceId, d);
  }

  revoke(moltbotId: string, deviceId: string): void {
    const peer = this.peer(moltbotId);
    peer.devices.delete(deviceId);
    peer.revoked.add(deviceId);
  }

  forget(moltbotId: string, deviceId: string): void {
    this.#peers.get(moltbotId)?.devices.delete(deviceId);
  }

  toJSON(): DirectoryJson {
    return [...this.#peers.values()].map((p) => ({
      moltbotId: p.moltbotId,
      ownerKey: p.ownerKey === null ? null : b64(p.ownerKey),
      devices: [...p.devices.values()].map((d) => ({
        deviceId: d.deviceId,
        kind: d.kind,
        signingKey: b64(d.signingKey),
        identityKey: b64(d.identityKey),
        certificate: d.certificate === null ? null : b64(d.certificate),
      })),
      revoked: [...p.revoked],
    }));
  }

  static fromJSON(j: DirectoryJson): Directory {
    const dir = new Directory();
    for (const p of j) {
      const peer = dir.peer(p.moltbotId);
      peer.ownerKey = p.ownerKey === null ? null : unb64(p.ownerKey);
      for (const d of p.devices) {
        peer.devices.set(d.deviceId, {
          deviceId: d.deviceId,
          moltbotId: p.moltbotId,
          kind: d.kind,
          signingKey: unb64(d.signingKey),
          identityKey: unb64(d.identityKey),
          certificate: d.certificate === null ? null : unb64(d.certificate),
        });
      }
      for (const r of p.revoked) peer.revoked.add(r);
    }
    return dir;
  }
}

export type DirectoryJson = readonly {
  readonly moltbotId: string;
  readonly ownerKey: string | null;
  readonly devices: readonly {
    readonly deviceId: string;
    readonly kind: 'primary' | 'linked';
    readonly signingKey: string;
    readonly identityKey: string;
    readonly certificate: string | null;
  }[];
  readonly revoked: readonly string[];
}[];
