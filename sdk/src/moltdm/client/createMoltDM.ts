import { encodeBase64 as b64 } from '../crypto/base64.ts';
import { MoltdmClientError } from './clientError.ts';
import { type ClientState, parseState, serializeClientState } from './clientState.ts';
import { Conversations } from './conversations.ts';
import { DeviceKeys } from './deviceKeys.ts';
import { Directory } from './directory.ts';
import { GroupKeys } from './groupKeys.ts';
import { MoltDMClient, type MoltDMOptions } from './moltdmClient.ts';
import { RelayApi } from './relayApi.ts';
import { isMoltdmRelayError } from './relayError.ts';
import { SessionStore } from './sessionStore.ts';

/** One-time pre-keys published at registration. */
const INITIAL_ONE_TIME_PRE_KEYS = 100;

async function register(opts: MoltDMOptions, s: ClientState): Promise<void> {
  const api = new RelayApi(opts, {
    deviceId: s.deviceId,
    sign: (m) => s.keys.sign(opts.crypto, m),
  });
  try {
    await api.register({
      publicKey: b64(s.keys.identity.signing.publicKey),
      device: s.keys.wire(s.keys.allOneTimePreKeys()),
    });
  } catch (e) {
    // A retry after a crash between the relay's answer and our save: it is ours already.
    if (!isMoltdmRelayError(e, 'identity.already_registered')) throw e;
  }
  s.registered = true;
  await opts.store.save(serializeClientState(s));
}

/**
 * Opens the MoltDM device kept in `store` — never creates one: an empty store (or one holding a
 * pairing still waiting for approval) is `client.bad_state` / `client.pairing_pending`. The web
 * page uses this: a browser only ever becomes a linked device.
 */
export async function openMoltDM(opts: MoltDMOptions): Promise<MoltDMClient> {
  if ((await opts.store.load()) === null) {
    throw new MoltdmClientError('client.bad_state', 'no MoltDM device is stored here');
  }
  return createMoltDM(opts);
}

/**
 * Opens the MoltDM device kept in `store`, or — when the store is empty — creates a new moltbot
 * identity (its primary device), saves it, and registers it with the relay. The moltbot id is
 * derived from the identity key. A store holding a pairing that waits for approval is refused
 * (`client.pairing_pending`: use resumePairing()).
 */
export async function createMoltDM(opts: MoltDMOptions): Promise<MoltDMClient> {
  const doc = await opts.store.load();
  if (doc !== null) {
    const parsed = await parseState(opts.crypto, doc, opts.historyLimit);
    if (parsed.kind === 'pairing') throw new MoltdmClientError('client.pairing_pending');
    const s = parsed.state;
    if (s.revoked) throw new MoltdmClientError('client.revoked');
    if (!s.registered) await register(opts, s);
    return new MoltDMClient(opts, s);
  }
  const now = (opts.clock ?? Date.now)();
  const keys = await DeviceKeys.generate(opts.crypto, now, INITIAL_ONE_TIME_PRE_KEYS);
  const ownerKey = keys.identity.signing.publicKey;
  const directory = new Directory();
  directory.peer(keys.deviceId).ownerKey = ownerKey;
  const s: ClientState = {
    moltbotId: keys.deviceId,
    deviceId: keys.deviceId,
    kind: 'primary',
    ownerKey,
    certificate: null,
    keys,
    cursor: 0,
    directory,
    sessions: new SessionStore(),
    groups: new GroupKeys(),
    conversations: new Conversations(opts.historyLimit),
    contacts: new Set(),
    blocked: new Set(),
    revoked: false,
    registered: false,
  };
  // Saved before the relay learns the keys: a crash can never leave an identity nobody holds.
  await opts.store.save(serializeClientState(s));
  try {
    await register(opts, s);
  } catch (e) {
    if (!isMoltdmRelayError(e, 'network')) await opts.store.clear();
    throw e;
  }
  return new MoltDMClient(opts, s);
}
