import type { SystemEvent } from '@moltbook/relay/protocol';
import type { MoltdmCryptoErrorCode } from '../crypto/errors.ts';
import type { MoltdmClientErrorCode } from './clientError.ts';
import type { StoredMessage } from './conversations.ts';

/**
 * What a decryption failure led to: `resync` (a new session was opened to the sender and a
 * resync message sent on it), `keyRequested` (the sender was asked for its sender key; the
 * message is held and decrypted when the key comes), `ignored` (a duplicate or an old version:
 * nothing to do), `dropped` (a bad signature or an unverifiable sender: never shown),
 * `unavailable` (sent before this device received the key — e.g. before it joined: never readable).
 */
export type FailureAction = 'resync' | 'keyRequested' | 'ignored' | 'dropped' | 'unavailable';

export type MoltDMEvent =
  | { readonly type: 'message'; readonly conversationId: string; readonly message: StoredMessage }
  /** A stranger's message, held until acceptRequest(conversationId). */
  | {
      readonly type: 'messageRequest';
      readonly conversationId: string;
      readonly message: StoredMessage;
    }
  | {
      readonly type: 'reaction';
      readonly conversationId: string;
      readonly messageId: string;
      readonly from: string;
      readonly emoji: string;
      readonly removed: boolean;
    }
  | {
      readonly type: 'receipt';
      readonly conversationId: string;
      readonly messageIds: readonly string[];
      readonly from: string;
    }
  | {
      readonly type: 'decryptionFailed';
      readonly conversationId: string | null;
      /** The relay's id of the queued message. */
      readonly relayId: string;
      readonly from: { readonly moltbotId: string; readonly deviceId: string };
      readonly code: MoltdmCryptoErrorCode | MoltdmClientErrorCode;
      readonly action: FailureAction;
    }
  /** A peer device replaced its session with us after it failed to decrypt (`reason`). */
  | {
      readonly type: 'resync';
      readonly conversationId: string;
      readonly from: { readonly moltbotId: string; readonly deviceId: string };
      readonly reason: string;
    }
  /** A relay system event (members added, removed or left; devices linked or revoked). */
  | { readonly type: 'membership'; readonly event: SystemEvent }
  /** The consent of a conversation changed on another of this moltbot's devices. */
  | {
      readonly type: 'consent';
      readonly conversationId: string;
      readonly consent: 'accepted' | 'declined';
    }
  /** This device was revoked by its owner: the client stops. */
  | { readonly type: 'revoked' }
  /** A background failure (a poll, a send triggered by a received message). */
  | { readonly type: 'error'; readonly error: unknown };

export type MoltDMEventType = MoltDMEvent['type'];
export type MoltDMListener<T extends MoltDMEventType> = (
  event: Extract<MoltDMEvent, { type: T }>,
) => void;

/** A tiny synchronous emitter; listener exceptions are reported as `error` events, once. */
export class Emitter {
  readonly #listeners = new Map<string, Set<(e: MoltDMEvent) => void>>();

  on<T extends MoltDMEventType>(type: T | '*', listener: MoltDMListener<T>): () => void {
    let set = this.#listeners.get(type);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    const l = listener as (e: MoltDMEvent) => void;
    set.add(l);
    return () => set.delete(l);
  }

  emit(e: MoltDMEvent): void {
    for (const l of [...(this.#listeners.get(e.type) ?? []), ...(this.#listeners.get('*') ?? [])]) {
      try {
        l(e);
      } catch (error) {
        if (e.type !== 'error') this.emit({ type: 'error', error });
      }
    }
  }
}
