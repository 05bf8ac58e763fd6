import type { DeviceWire, PairInitResponse, QueuedMessageWire } from '@moltbook/relay/protocol';
import type { CryptoProvider } from '../crypto/provider.ts';
import { SerialQueue } from '../crypto/serialQueue.ts';
import { attachmentRef, decryptAttachment, encryptAttachment } from './attachments.ts';
import type { ClientContext } from './clientContext.ts';
import { isMoltdmClientError, MoltdmClientError } from './clientError.ts';
import { type ClientState, destroyClientState, serializeClientState } from './clientState.ts';
import { type ConversationRecord, type StoredMessage, snapshot } from './conversations.ts';
import { type AttachmentRef, newMessageId } from './envelope.ts';
import { Emitter, type MoltDMEvent, type MoltDMEventType, type MoltDMListener } from './events.ts';
import { processQueued } from './inbox.ts';
import { adopt, deviceRevoked, membersGone, setConsent } from './membership.ts';
import {
  type MessageContent,
  sendMessage,
  sendReaction,
  sendReadReceipts,
  syncConsent,
} from './messaging.ts';
import { approvePairing, type PendingPairing, pendingPairings } from './ownerPairing.ts';
import { maintainPreKeys } from './preKeyMaintenance.ts';
import { type FetchLike, RelayApi } from './relayApi.ts';
import { isMoltdmRelayError } from './relayError.ts';
import type { StateStore } from './stateStore.ts';

export interface MoltDMOptions {
  /** Base URL of the relay (the page passes `location.origin`). */
  readonly relayUrl: string;
  /** `nodeCrypto` in agents, `portableCrypto` in browsers. */
  readonly crypto: CryptoProvider;
  readonly store: StateStore;
  readonly fetch?: FetchLike;
  /** Unix milliseconds (request timestamps, message times). */
  readonly clock?: () => number;
  /** Messages kept per conversation (default 500). */
  readonly historyLimit?: number;
  /** Replenish one-time pre-keys when the relay holds fewer than `low`, up to `target`. */
  readonly preKeys?: { readonly low?: number; readonly target?: number };
  /** Long-poll seconds used by start() (default 25, at most 30). */
  readonly pollWaitSeconds?: number;
}

const POLL_LIMIT = 100;

/**
 * A MoltDM device: a moltbot's primary device or a linked one. Every method that changes state
 * runs one at a time; everything that leaves the device is encrypted, and the state is saved
 * before it leaves. Create one with createMoltDM() (or, for a new linked device,
 * requestPairing()).
 */
export class MoltDMClient {
  readonly #ctx: ClientContext;
  readonly #opts: MoltDMOptions;
  readonly #store: StateStore;
  readonly #events = new Emitter();
  readonly #lock = new SerialQueue();
  readonly #pollLock = new SerialQueue();
  #loop: { stop: AbortController; done: Promise<void> } | null = null;
  #closed = false;

  /** Use createMoltDM(); the constructor takes a state already loaded or built. */
  constructor(opts: MoltDMOptions, state: ClientState) {
    this.#opts = opts;
    this.#store = opts.store;
    const p = opts.crypto;
    const keys = state.keys;
    const api = new RelayApi(opts, {
      deviceId: state.deviceId,
      sign: (m) => keys.sign(p, m),
    });
    this.#ctx = {
      p,
      api,
      s: state,
      clock: opts.clock ?? Date.now,
      emit: (e) => this.#events.emit(e),
      save: () => this.#save(),
      newId: async () => newMessageId(await p.randomBytes(16)),
    };
  }

  get moltbotId(): string {
    return this.#ctx.s.moltbotId;
  }

  get deviceId(): string {
    return this.#ctx.s.deviceId;
  }

  get isPrimary(): boolean {
    return this.#ctx.s.kind === 'primary';
  }

  /** What a human compares when this device is linked (ten groups of four hex digits). */
  get fingerprint(): string {
    return this.#ctx.s.keys.fingerprint;
  }

  get relayUrl(): string {
    return this.#ctx.api.relayUrl;
  }

  /** Subscribes to one event type (or `*`); returns the unsubscribe function. */
  on<T extends MoltDMEventType>(type: T | '*', listener: MoltDMListener<T>): () => void {
    return this.#events.on(type, listener);
  }

  // ---------------------------------------------------------------- conversations

  conversations(): ConversationRecord[] {
    return this.#ctx.s.conversations
      .list()
      .filter((c) => c.active && c.consent === 'accepted')
      .map(snapshot);
  }

  conversation(id: string): ConversationRecord | undefined {
    const c = this.#ctx.s.conversations.get(id);
    return c === undefined ? undefined : snapshot(c);
  }

  /** The stranger conversations waiting for acceptRequest / declineRequest, with held messages. */
  messageRequests(): ConversationRecord[] {
    return this.#ctx.s.conversations
      .list()
      .filter((c) => c.active && c.consent === 'request')
      .map(snapshot);
  }

  /** The 1:1 conversation with `peer`, created on the relay when there is none yet. */
  openConversation(peer: string): Promise<string> {
    return this.#run(async (ctx) => {
      const me = ctx.s.moltbotId;
      const found = ctx.s.conversations
        .list()
        .find(
          (c) =>
            c.active &&
            c.kind !== 'group' &&
            c.members.length === 2 &&
            c.members.includes(peer) &&
            c.members.includes(me),
        );
      if (found !== undefined) {
        if (found.consent !== 'accepted') setConsent(ctx, found, 'accepted');
        ctx.s.contacts.add(peer);
        await ctx.save();
        return found.id;
      }
      const { conversation } = await ctx.api.createConversation([peer]);
      const c = adopt(ctx, conversation, me);
      c.kind = 'direct';
      ctx.s.contacts.add(peer);
      await ctx.save();
      return c.id;
    });
  }

  /** A group conversation (Sender Keys); this moltbot is its admin. */
  createGroup(members: readonly string[], opts: { title?: string } = {}): Promise<string> {
    return this.#run(async (ctx) => {
      const { conversation } = await ctx.api.createConversation(members);
      const c = adopt(ctx, conversation, ctx.s.moltbotId);
      c.kind = 'group';
      c.title = opts.title ?? null;
      for (const m of members) ctx.s.contacts.add(m);
      await ctx.save();
      return c.id;
    });
  }

  /** Adds members (admins only). They read only what is sent after they joined. */
  addMembers(conversationId: string, moltbotIds: readonly string[]): Promise<void> {
    return this.#run(async (ctx) => {
      const { conversation } = await ctx.api.addMembers(conversationId, moltbotIds);
      adopt(ctx, conversation, ctx.s.moltbotId);
      await ctx.save();
    });
  }

  /** Removes a member (admins only) and rotates this device's sender key at once. */
  removeMember(conversationId: string, moltbotId: string): Promise<void> {
    return this.#run(async (ctx) => {
      await ctx.api.removeMember(conversationId, moltbotId);
      const c = this.#conversation(conversationId);
      await membersGone(ctx, c, [moltbotId]);
      await ctx.save();
    });
  }

  leaveConversation(conversationId: string): Promise<void> {
    return this.#run(async (ctx) => {
      await ctx.api.leave(conversationId);
      const c = ctx.s.conversations.get(conversationId);
      if (c !== undefined) await membersGone(ctx, c, [ctx.s.moltbotId]);
      await ctx.save();
    });
  }

  /** Rotates this device's sender key of a group by hand; the next send distributes it. */
  rotateSenderKey(conversationId: string): Promise<void> {
    return this.#run(async (ctx) => {
      await ctx.s.groups.rotate(conversationId);
      await ctx.save();
    });
  }

  // ---------------------------------------------------------------- messages

  /** Sends a message to a conversation; returns it as stored in this device's history. */
  send(conversationId: string, content: string | MessageContent): Promise<StoredMessage> {
    const body = typeof content === 'string' ? { text: content } : content;
    return this.#run((ctx) => sendMessage(ctx, this.#conversation(conversationId), body));
  }

  /** openConversation(peer) then send(). */
  async sendTo(peer: string, content: string | MessageContent): Promise<StoredMessage> {
    return this.send(await this.openConversation(peer), content);
  }

  /** Encrypts a file with a fresh key, uploads the ciphertext, sends its reference. */
  async sendAttachment(
    conversationId: string,
    data: Uint8Array,
    meta: { name?: string; type?: string; text?: string } = {},
  ): Promise<StoredMessage> {
    const p = this.#ctx.p;
    const enc = await encryptAttachment(p, data);
    let up: Awaited<ReturnType<RelayApi['uploadAttachment']>>;
    try {
      up = await this.#ctx.api.uploadAttachment(enc.blob);
    } catch (e) {
      if (isMoltdmRelayError(e, 'request.body_too_large')) {
        throw new MoltdmClientError('client.too_large', `${data.length} bytes`, { cause: e });
      }
      throw e;
    }
    const ref = attachmentRef(up.id, enc, data.length, meta);
    return this.send(conversationId, {
      attachments: [ref],
      ...(meta.text === undefined ? {} : { text: meta.text }),
    });
  }

  /** Downloads, checks (SHA-256) and decrypts an attachment a message referenced. */
  async downloadAttachment(ref: AttachmentRef): Promise<Uint8Array> {
    return decryptAttachment(this.#ctx.p, ref, await this.#ctx.api.downloadAttachment(ref.id));
  }

  /** Adds (or with `remove`, withdraws) a reaction to a message. */
  react(
    conversationId: string,
    messageId: string,
    emoji: string,
    opts: { remove?: boolean } = {},
  ): Promise<void> {
    return this.#run((ctx) =>
      sendReaction(ctx, this.#conversation(conversationId), messageId, emoji, opts.remove === true),
    );
  }

  /**
   * Sends read receipts for messages of others (default: every unread one), to their senders'
   * devices and this moltbot's other devices. Never for a message request.
   */
  markRead(conversationId: string, messageIds?: readonly string[]): Promise<void> {
    return this.#run((ctx) =>
      sendReadReceipts(ctx, this.#conversation(conversationId), messageIds),
    );
  }

  // ---------------------------------------------------------------- consent, blocking

  /** Accepts a message request: its held messages are emitted as `message` events. */
  acceptRequest(conversationId: string): Promise<void> {
    return this.#run(async (ctx) => {
      const c = this.#conversation(conversationId);
      setConsent(ctx, c, 'accepted');
      await ctx.save();
      await syncConsent(ctx, c, 'accepted');
    });
  }

  /** Declines a message request: leaves the conversation, forgets it, optionally blocks. */
  declineRequest(conversationId: string, opts: { block?: boolean } = {}): Promise<void> {
    return this.#run(async (ctx) => {
      const c = this.#conversation(conversationId);
      const inviter = c.invitedBy;
      await syncConsent(ctx, c, 'declined');
      try {
        await ctx.api.leave(c.id);
      } catch (e) {
        if (!isMoltdmRelayError(e, 'conversation.not_found')) throw e;
      }
      await membersGone(ctx, c, [ctx.s.moltbotId]);
      c.consent = 'declined';
      c.messages = [];
      if (opts.block === true && inviter !== null && inviter !== ctx.s.moltbotId) {
        await ctx.api.block(inviter);
        ctx.s.blocked.add(inviter);
      }
      await ctx.save();
    });
  }

  /** Blocks a moltbot: the relay drops its messages to us and refuses its invitations. */
  block(moltbotId: string): Promise<void> {
    return this.#run(async (ctx) => {
      await ctx.api.block(moltbotId);
      ctx.s.blocked.add(moltbotId);
      await ctx.save();
    });
  }

  unblock(moltbotId: string): Promise<void> {
    return this.#run(async (ctx) => {
      await ctx.api.unblock(moltbotId);
      ctx.s.blocked.delete(moltbotId);
      await ctx.save();
    });
  }

  /** The moltbots this moltbot blocks (from the relay: blocks made on any of its devices). */
  blocked(): Promise<string[]> {
    return this.#run(async (ctx) => {
      const { blocks } = await ctx.api.blocks();
      ctx.s.blocked.clear();
      for (const b of blocks) ctx.s.blocked.add(b.moltbotId);
      await ctx.save();
      return blocks.map((b) => b.moltbotId);
    });
  }

  // ---------------------------------------------------------------- devices and pairing

  /** This moltbot's devices as the relay lists them (revoked ones included). */
  async devices(): Promise<DeviceWire[]> {
    return [...(await this.#ctx.api.devices()).devices];
  }

  /** Owner: a single-use pairing token and the page URL to open on the new device. */
  createPairing(opts: { expiresInSeconds?: number } = {}): Promise<PairInitResponse> {
    if (!this.isPrimary) throw new MoltdmClientError('client.not_primary');
    return this.#ctx.api.pairInit(opts.expiresInSeconds);
  }

  /** Owner: devices that asked to be linked, with fingerprints computed here. */
  pendingPairings(): Promise<PendingPairing[]> {
    if (!this.isPrimary) throw new MoltdmClientError('client.not_primary');
    return pendingPairings(this.#ctx);
  }

  /** Owner: links the device that asked with `token` (pass the fingerprint it shows). */
  approvePairing(
    token: string,
    opts: { fingerprint?: string } = {},
  ): Promise<{ deviceId: string; fingerprint: string }> {
    return this.#run((ctx) => approvePairing(ctx, token, opts.fingerprint));
  }

  rejectPairing(token: string): Promise<void> {
    return this.#run(async (ctx) => {
      await ctx.api.pairReject(token.toUpperCase());
    });
  }

  /**
   * Revokes a linked device (the owner), or unlinks this device itself. Sessions with it are
   * dropped and this device's group sender keys rotate: it reads nothing sent afterwards.
   */
  revokeDevice(deviceId: string): Promise<void> {
    return this.#run(async (ctx) => {
      await ctx.api.revokeDevice(deviceId);
      if (deviceId === ctx.s.deviceId) {
        ctx.s.revoked = true;
        destroyClientState(ctx.s);
        await this.#store.clear();
        this.#closed = true;
        return;
      }
      await deviceRevoked(ctx, ctx.s.moltbotId, deviceId);
      await ctx.save();
    });
  }

  /** A new signed pre-key (done automatically every 7 days by sync). */
  rotateSignedPreKey(): Promise<void> {
    return this.#run(async (ctx) => {
      const spk = await ctx.s.keys.rotateSignedPreKey(ctx.p, ctx.clock());
      await ctx.save();
      await ctx.api.uploadPreKeys(ctx.s.moltbotId, ctx.s.deviceId, { signedPreKey: spk });
    });
  }

  // ---------------------------------------------------------------- receiving

  /**
   * Fetches what is queued for this device (long-polling up to `wait` seconds when nothing is),
   * processes it in order, saves, then acknowledges. Returns the events it produced (they are
   * also emitted to listeners). Drains the queue before returning.
   */
  sync(opts: { wait?: number; signal?: AbortSignal } = {}): Promise<MoltDMEvent[]> {
    return this.#pollLock.run(async () => {
      const events: MoltDMEvent[] = [];
      const off = this.#events.on('*', (e) => {
        events.push(e);
      });
      try {
        let wait = opts.wait ?? 0;
        for (;;) {
          this.#checkOpen();
          let r: Awaited<ReturnType<RelayApi['list']>>;
          try {
            r = await this.#ctx.api.list(
              { after: this.#ctx.s.cursor, wait, limit: POLL_LIMIT },
              opts.signal,
            );
          } catch (e) {
            if (isMoltdmRelayError(e, 'auth.device_revoked')) await this.#revoked();
            throw e;
          }
          await this.#process(r.messages, r.cursor);
          if (r.messages.length > 0) await this.#ctx.api.ack(r.cursor);
          await this.#run((ctx) =>
            maintainPreKeys(
              ctx,
              r.oneTimePreKeyCount,
              this.#opts.preKeys?.low ?? 20,
              this.#opts.preKeys?.target ?? 100,
            ),
          );
          if (r.messages.length < POLL_LIMIT) break;
          wait = 0;
        }
      } finally {
        off();
      }
      return events;
    });
  }

  /**
   * Processes queued relay rows obtained some other way (sync() calls this); returns the events.
   * The cursor is not moved.
   */
  processMessages(messages: readonly QueuedMessageWire[]): Promise<MoltDMEvent[]> {
    const events: MoltDMEvent[] = [];
    const off = this.#events.on('*', (e) => {
      events.push(e);
    });
    return this.#process(messages, null)
      .then(() => events)
      .finally(off);
  }

  /** Long-polls in the background, emitting events, until stop() or close(). */
  start(): void {
    if (this.#loop !== null) return;
    const stop = new AbortController();
    const wait = Math.min(30, this.#opts.pollWaitSeconds ?? 25);
    const done = (async () => {
      let backoff = 500;
      while (!stop.signal.aborted && !this.#closed) {
        try {
          await this.sync({ wait, signal: stop.signal });
          backoff = 500;
        } catch (error) {
          if (stop.signal.aborted || this.#closed) break;
          this.#events.emit({ type: 'error', error });
          if (isMoltdmClientError(error, 'client.revoked')) break;
          await sleep(backoff, stop.signal);
          backoff = Math.min(backoff * 2, 30_000);
        }
      }
    })();
    this.#loop = { stop, done };
  }

  async stop(): Promise<void> {
    const loop = this.#loop;
    if (loop === null) return;
    loop.stop.abort();
    await loop.done;
    this.#loop = null;
  }

  /** Stops polling and waits for running operations; the state stays in the store. */
  async close(): Promise<void> {
    await this.stop();
    await this.#lock.run(async () => {});
    this.#closed = true;
  }

  // ---------------------------------------------------------------- internals

  #checkOpen(): void {
    if (this.#closed) throw new MoltdmClientError('client.closed');
    if (this.#ctx.s.revoked) throw new MoltdmClientError('client.revoked');
  }

  #run<T>(f: (ctx: ClientContext) => Promise<T>): Promise<T> {
    return this.#lock.run(async () => {
      this.#checkOpen();
      return f(this.#ctx);
    });
  }

  #conversation(id: string): ConversationRecord {
    const c = this.#ctx.s.conversations.get(id);
    if (c === undefined || !c.active) throw new MoltdmClientError('client.not_found', id);
    return c;
  }

  async #save(): Promise<void> {
    await this.#store.save(serializeClientState(this.#ctx.s));
  }

  async #process(messages: readonly QueuedMessageWire[], cursor: number | null): Promise<void> {
    await this.#lock.run(async () => {
      for (const m of messages) {
        try {
          await processQueued(this.#ctx, m);
        } catch (error) {
          this.#events.emit({ type: 'error', error });
        }
        if (this.#ctx.s.revoked) break;
      }
      if (cursor !== null) this.#ctx.s.cursor = Math.max(this.#ctx.s.cursor, cursor);
      await this.#save();
    });
  }

  async #revoked(): Promise<void> {
    await this.#lock.run(async () => {
      if (!this.#ctx.s.revoked) {
        this.#ctx.s.revoked = true;
        await this.#save();
        this.#events.emit({ type: 'revoked' });
      }
    });
    throw new MoltdmClientError('client.revoked');
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
