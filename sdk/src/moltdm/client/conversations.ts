import type { ConversationWire } from '@moltbook/relay/protocol';
import type { AttachmentRef, ConversationKind } from './envelope.ts';

/** `request`: a stranger's conversation whose messages are held until the user accepts it. */
export type Consent = 'accepted' | 'request' | 'declined';

export interface StoredMessage {
  /** The sender's message id (inside the encryption; reactions and receipts name it). */
  readonly id: string;
  readonly conversationId: string;
  readonly from: { readonly moltbotId: string; readonly deviceId: string };
  /** Sent by one of this moltbot's own devices. */
  readonly outgoing: boolean;
  /** The sender's clock (not verified). */
  readonly sentAt: number;
  readonly receivedAt: number;
  readonly text: string | null;
  readonly attachments: readonly AttachmentRef[];
  readonly replyTo: string | null;
  /** emoji → moltbot ids that reacted with it. */
  readonly reactions: Record<string, string[]>;
  /** Moltbots that sent a read receipt for it. */
  readonly readBy: string[];
}

export interface ConversationRecord {
  readonly id: string;
  /** null until the first message tells (or this device created it). */
  kind: ConversationKind | null;
  title: string | null;
  createdBy: string | null;
  createdAt: number;
  members: string[];
  consent: Consent;
  /** false once this moltbot left or was removed. */
  active: boolean;
  /** Who created the conversation or added this moltbot to it (decides consent). */
  invitedBy: string | null;
  messages: StoredMessage[];
}

/** Conversations this device knows, with their recent history (bounded per conversation). */
export class Conversations {
  readonly #byId = new Map<string, ConversationRecord>();
  readonly historyLimit: number;

  constructor(historyLimit = 500) {
    this.historyLimit = historyLimit;
  }

  get(id: string): ConversationRecord | undefined {
    return this.#byId.get(id);
  }

  list(): ConversationRecord[] {
    return [...this.#byId.values()];
  }

  /** Creates or refreshes a record from the relay's view (members, creator). */
  upsert(w: ConversationWire, defaults: Pick<ConversationRecord, 'consent' | 'invitedBy'>) {
    let c = this.#byId.get(w.id);
    if (c === undefined) {
      c = {
        id: w.id,
        kind: null,
        title: null,
        createdBy: w.createdBy,
        createdAt: w.createdAt,
        members: w.members.map((m) => m.moltbotId),
        consent: defaults.consent,
        active: true,
        invitedBy: defaults.invitedBy,
        messages: [],
      };
      this.#byId.set(w.id, c);
    } else {
      c.createdBy = w.createdBy;
      c.members = w.members.map((m) => m.moltbotId);
      c.active = true;
    }
    return c;
  }

  put(c: ConversationRecord): void {
    this.#byId.set(c.id, c);
  }

  delete(id: string): void {
    this.#byId.delete(id);
  }

  /** Adds a message unless one with its id from the same moltbot is there; false if it was. */
  addMessage(c: ConversationRecord, m: StoredMessage): boolean {
    if (c.messages.some((x) => x.id === m.id && x.from.moltbotId === m.from.moltbotId)) {
      return false;
    }
    c.messages.push(m);
    if (c.messages.length > this.historyLimit) {
      c.messages.splice(0, c.messages.length - this.historyLimit);
    }
    return true;
  }

  toJSON(): ConversationRecord[] {
    return this.list();
  }

  static fromJSON(j: readonly ConversationRecord[], historyLimit?: number): Conversations {
    const c = new Conversations(historyLimit);
    for (const r of j) c.#byId.set(r.id, r);
    return c;
  }
}

/** A copy callers may keep (the client's records keep changing). */
export function snapshot(c: ConversationRecord): ConversationRecord {
  return structuredClone(c);
}
