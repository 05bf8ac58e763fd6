import {
  deviceCertificatePayload,
  moltbotIdFromPublicKey,
  normalizePairingToken,
  type PairStatus,
} from '@moltbook/relay/protocol';
import { encodeBase64 as b64, decodeBase64 as unb64 } from '../crypto/base64.ts';
import { InboundSenderKey } from '../crypto/inboundSenderKey.ts';
import { openSealedBox } from '../crypto/sealedBox.ts';
import { MoltdmClientError } from './clientError.ts';
import {
  type ClientState,
  type PairingState,
  parseState,
  serializeClientState,
  serializePairingState,
} from './clientState.ts';
import { Conversations } from './conversations.ts';
import { DeviceKeys } from './deviceKeys.ts';
import { type DeviceRecord, Directory, verifyDeviceOwnership } from './directory.ts';
import { GroupKeys } from './groupKeys.ts';
import { decodeLinkBundle, linkBundleContext } from './linkBundle.ts';
import { MoltDMClient, type MoltDMOptions } from './moltdmClient.ts';
import { RelayApi } from './relayApi.ts';
import { SessionStore } from './sessionStore.ts';

/** One-time pre-keys a new device publishes with its request (pooled when approved). */
const PAIRING_ONE_TIME_PRE_KEYS = 50;

export type PairingOptions = MoltDMOptions;

/** A device that asked to be linked: show `fingerprint` to the human, then wait. */
export interface PairingRequest {
  readonly token: string;
  readonly deviceId: string;
  /** Ten groups of four hex digits; the owner must see the same before approving. */
  readonly fingerprint: string;
  readonly expiresAt: number;
  /** One look at the relay: `submitted` (waiting), `approved`, `rejected`, `expired`. */
  status(): Promise<PairStatus>;
  /**
   * Polls until the owner decides. Approved: opens the link bundle, checks the certificate and
   * returns the linked device's client. Rejected or expired: clears the store and throws.
   */
  waitForApproval(opts?: { signal?: AbortSignal; intervalMs?: number }): Promise<MoltDMClient>;
  /** Forgets the request (the keys are wiped; the token stays used). */
  cancel(): Promise<void>;
}

/**
 * Device side of linking: generates this device's keys (with `crypto`, e.g. portableCrypto in a
 * browser), saves them, and submits the public halves with the token from the owner's pairing
 * URL. Nothing secret leaves the device.
 */
export async function requestPairing(
  opts: PairingOptions & { readonly token: string; readonly name: string },
): Promise<PairingRequest> {
  const token = normalizePairingToken(opts.token.trim());
  if (token === null) throw new MoltdmClientError('client.not_found', 'not a pairing token');
  const now = (opts.clock ?? Date.now)();
  const keys = await DeviceKeys.generate(opts.crypto, now, PAIRING_ONE_TIME_PRE_KEYS);
  const pending: PairingState = {
    token,
    name: opts.name,
    relayUrl: opts.relayUrl,
    keys,
    expiresAt: 0,
  };
  await opts.store.save(serializePairingState(pending));
  const api = new RelayApi(opts);
  let r: Awaited<ReturnType<RelayApi['pairRequest']>>;
  try {
    r = await api.pairRequest({
      token,
      name: opts.name,
      device: {
        signingKey: b64(keys.identity.signing.publicKey),
        ...keys.wire(keys.allOneTimePreKeys()),
      },
    });
  } catch (e) {
    await opts.store.clear();
    keys.destroy();
    throw e;
  }
  const state = { ...pending, expiresAt: r.expiresAt };
  await opts.store.save(serializePairingState(state));
  return pairingRequest(opts, api, state);
}

/** The pairing request saved in `store` (e.g. after the page was reloaded), or null. */
export async function resumePairing(opts: PairingOptions): Promise<PairingRequest | null> {
  const doc = await opts.store.load();
  if (doc === null) return null;
  const parsed = await parseState(opts.crypto, doc, opts.historyLimit);
  if (parsed.kind !== 'pairing') return null;
  return pairingRequest(opts, new RelayApi(opts), parsed.state);
}

function pairingRequest(opts: PairingOptions, api: RelayApi, st: PairingState): PairingRequest {
  const fail = async (code: 'client.pairing_rejected' | 'client.pairing_expired') => {
    await opts.store.clear();
    st.keys.destroy();
    throw new MoltdmClientError(code);
  };
  return {
    token: st.token,
    deviceId: st.keys.deviceId,
    fingerprint: st.keys.fingerprint,
    expiresAt: st.expiresAt,
    status: async () => (await api.pairStatus(st.token)).status,
    waitForApproval: async (w = {}) => {
      for (;;) {
        const r = await api.pairStatus(st.token);
        if (r.status === 'approved') {
          const state = await linkedState(opts, st, r);
          await opts.store.save(serializeClientState(state));
          return new MoltDMClient(opts, state);
        }
        if (r.status === 'rejected') return fail('client.pairing_rejected');
        if (r.status === 'expired') return fail('client.pairing_expired');
        await delay(w.intervalMs ?? 1500, w.signal);
      }
    },
    cancel: async () => {
      await opts.store.clear();
      st.keys.destroy();
    },
  };
}

/**
 * Opens the link bundle (sealed to this device's identity key, bound to the token and device id)
 * and checks everything against the owner's identity key: the key hashes to the moltbot id, the
 * certificate is its signature over this device's keys, each listed own device verifies.
 */
async function linkedState(
  opts: PairingOptions,
  st: PairingState,
  r: { moltbotId: string; deviceId: string; certificate: string; linkBundle: string },
): Promise<ClientState> {
  const p = opts.crypto;
  const keys = st.keys;
  const bad = (why: string) => new MoltdmClientError('client.bad_link_bundle', why);
  if (r.deviceId !== keys.deviceId) throw bad('approved another device');
  const plain = await openSealedBox(
    p,
    keys.identity.identityKey.privateKey,
    unb64(r.linkBundle),
    linkBundleContext(st.token, keys.deviceId),
  );
  const b = decodeLinkBundle(plain);
  const ownerKey = unb64(b.ownerKey);
  if (b.moltbotId !== r.moltbotId || b.deviceId !== keys.deviceId) throw bad('ids');
  if (moltbotIdFromPublicKey(ownerKey) !== r.moltbotId) throw bad('owner key');
  const certificate = unb64(r.certificate);
  const certified = await p.ed25519Verify(
    ownerKey,
    deviceCertificatePayload({
      moltbotId: r.moltbotId,
      deviceId: keys.deviceId,
      signingKey: keys.identity.signing.publicKey,
      identityKey: keys.identity.identityKey.publicKey,
    }),
    certificate,
  );
  if (!certified) throw bad('certificate');
  const directory = new Directory();
  directory.peer(r.moltbotId).ownerKey = ownerKey;
  for (const d of b.devices) {
    const rec: DeviceRecord = {
      deviceId: d.deviceId,
      moltbotId: r.moltbotId,
      kind: d.kind,
      signingKey: unb64(d.signingKey),
      identityKey: unb64(d.identityKey),
      certificate: d.certificate === null ? null : unb64(d.certificate),
    };
    if (await verifyDeviceOwnership(p, rec, ownerKey)) directory.put(rec, ownerKey);
  }
  const conversations = new Conversations(opts.historyLimit);
  for (const c of b.conversations) {
    conversations.put({
      id: c.id,
      kind: c.kind,
      title: c.title,
      createdBy: c.createdBy,
      createdAt: c.createdAt,
      members: [...c.members],
      consent: c.consent,
      active: true,
      invitedBy: c.invitedBy,
      messages: [],
    });
  }
  const groups = new GroupKeys();
  for (const k of b.senderKeys) {
    // The approving device is the primary one (only it may approve): its id is the moltbot id.
    const key = await InboundSenderKey.fromDistribution(p, k.conversationId, unb64(k.dist));
    groups.setInbound(k.conversationId, r.moltbotId, key);
  }
  return {
    moltbotId: r.moltbotId,
    deviceId: keys.deviceId,
    kind: 'linked',
    ownerKey,
    certificate,
    keys,
    cursor: 0,
    directory,
    sessions: new SessionStore(),
    groups,
    conversations,
    contacts: new Set(b.contacts),
    blocked: new Set(b.blocked),
    revoked: false,
    registered: true,
  };
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
