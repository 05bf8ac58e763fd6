import { encodeBase64 as b64, decodeBase64 as unb64 } from '../crypto/base64.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { MoltdmClientError } from './clientError.ts';
import { type ConversationRecord, Conversations } from './conversations.ts';
import { DeviceKeys, type DeviceKeysJson } from './deviceKeys.ts';
import { Directory, type DirectoryJson } from './directory.ts';
import { GroupKeys, type GroupKeysJson } from './groupKeys.ts';
import { SessionStore } from './sessionStore.ts';

export const CLIENT_STATE_TYPE = 'moltdm.client';
export const PAIRING_STATE_TYPE = 'moltdm.pairing';

/** Everything a linked or primary device keeps, live (crypto objects) and serializable. */
export interface ClientState {
  readonly moltbotId: string;
  readonly deviceId: string;
  readonly kind: 'primary' | 'linked';
  /** The moltbot's Ed25519 identity key (= this device's signing key on the primary). */
  readonly ownerKey: Uint8Array;
  /** The owner's certificate over this device (linked devices). */
  readonly certificate: Uint8Array | null;
  readonly keys: DeviceKeys;
  /** The relay queue cursor: everything up to it was processed and saved. */
  cursor: number;
  readonly directory: Directory;
  readonly sessions: SessionStore;
  readonly groups: GroupKeys;
  readonly conversations: Conversations;
  /** Moltbots whose conversations are accepted without a request. */
  readonly contacts: Set<string>;
  readonly blocked: Set<string>;
  revoked: boolean;
  /** False between saving a new primary identity and the relay confirming its registration. */
  registered: boolean;
}

/** A device that asked to be linked and waits for the owner's approval. */
export interface PairingState {
  readonly token: string;
  readonly name: string;
  readonly relayUrl: string;
  readonly keys: DeviceKeys;
  readonly expiresAt: number;
}

export function serializeClientState(s: ClientState): string {
  return JSON.stringify({
    type: CLIENT_STATE_TYPE,
    v: 1,
    moltbotId: s.moltbotId,
    deviceId: s.deviceId,
    kind: s.kind,
    ownerKey: b64(s.ownerKey),
    certificate: s.certificate === null ? null : b64(s.certificate),
    keys: s.keys.toJSON(),
    cursor: s.cursor,
    directory: s.directory.toJSON(),
    sessions: s.sessions.toJSON(),
    groups: s.groups.toJSON(),
    conversations: s.conversations.toJSON(),
    contacts: [...s.contacts],
    blocked: [...s.blocked],
    revoked: s.revoked,
    registered: s.registered,
  });
}

export function serializePairingState(s: PairingState): string {
  return JSON.stringify({
    type: PAIRING_STATE_TYPE,
    v: 1,
    token: s.token,
    name: s.name,
    relayUrl: s.relayUrl,
    keys: s.keys.toJSON(),
    expiresAt: s.expiresAt,
  });
}

interface ClientStateJson {
  readonly type: string;
  readonly v: number;
  readonly moltbotId: string;
  readonly deviceId: string;
  readonly kind: 'primary' | 'linked';
  readonly ownerKey: string;
  readonly certificate: string | null;
  readonly keys: DeviceKeysJson;
  readonly cursor: number;
  readonly directory: DirectoryJson;
  readonly sessions: Record<string, unknown[]>;
  readonly groups: GroupKeysJson;
  readonly conversations: ConversationRecord[];
  readonly contacts: string[];
  readonly blocked: string[];
  readonly revoked: boolean;
  readonly registered: boolean;
}

export type ParsedState =
  | { readonly kind: 'client'; readonly state: ClientState }
  | { readonly kind: 'pairing'; readonly state: PairingState };

/** Reads a saved document back; anything unreadable is `client.bad_state`. */
export async function parseState(
  p: CryptoProvider,
  doc: string,
  historyLimit?: number,
): Promise<ParsedState> {
  try {
    const j = JSON.parse(doc) as { type?: unknown; v?: unknown };
    if (j.v !== 1) throw new Error(`version ${String(j.v)}`);
    if (j.type === PAIRING_STATE_TYPE) {
      const s = j as unknown as PairingState & { keys: DeviceKeysJson };
      return {
        kind: 'pairing',
        state: {
          token: s.token,
          name: s.name,
          relayUrl: s.relayUrl,
          keys: DeviceKeys.fromJSON(s.keys),
          expiresAt: s.expiresAt,
        },
      };
    }
    if (j.type !== CLIENT_STATE_TYPE) throw new Error(`type ${String(j.type)}`);
    const s = j as ClientStateJson;
    return {
      kind: 'client',
      state: {
        moltbotId: s.moltbotId,
        deviceId: s.deviceId,
        kind: s.kind,
        ownerKey: unb64(s.ownerKey),
        certificate: s.certificate === null ? null : unb64(s.certificate),
        keys: DeviceKeys.fromJSON(s.keys),
        cursor: s.cursor,
        directory: Directory.fromJSON(s.directory),
        sessions: await SessionStore.fromJSON(p, s.sessions),
        groups: await GroupKeys.fromJSON(p, s.groups),
        conversations: Conversations.fromJSON(s.conversations, historyLimit),
        contacts: new Set(s.contacts),
        blocked: new Set(s.blocked),
        revoked: s.revoked,
        registered: s.registered,
      },
    };
  } catch (cause) {
    throw new MoltdmClientError('client.bad_state', 'the stored state cannot be read', { cause });
  }
}

export function destroyClientState(s: ClientState): void {
  s.sessions.destroy();
  s.groups.destroy();
  s.keys.destroy();
}
