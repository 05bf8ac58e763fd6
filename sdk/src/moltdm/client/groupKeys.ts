import { InboundSenderKey } from '../crypto/inboundSenderKey.ts';
import { OutboundSenderKey } from '../crypto/outboundSenderKey.ts';
import type { CryptoProvider } from '../crypto/provider.ts';

/** Group messages held until their sender's distribution arrives (bounded, oldest dropped). */
const MAX_PENDING = 500;

export interface OutboundRecord {
  readonly key: OutboundSenderKey;
  /** Devices that hold the current version (cleared by every rotation). */
  readonly distributedTo: Set<string>;
}

/** A sender-key message that arrived before the key to read it. */
export interface PendingGroupMessage {
  readonly conversationId: string;
  readonly fromMoltbotId: string;
  readonly fromDeviceId: string;
  readonly relayId: string;
  readonly ciphertext: string;
  readonly createdAt: number;
}

const slot = (conversationId: string, deviceId: string) => `${conversationId}/${deviceId}`;

/**
 * This device's sender keys (one outbound per group conversation) and those received from other
 * devices (inbound, per conversation and sending device), plus messages waiting for a key.
 */
export class GroupKeys {
  readonly outbound = new Map<string, OutboundRecord>();
  readonly #inbound = new Map<string, InboundSenderKey>();
  pending: PendingGroupMessage[] = [];
  /** Key requests already sent, `cid/device/version`, so each is asked for once. */
  readonly requested = new Set<string>();

  async ensureOutbound(p: CryptoProvider, conversationId: string): Promise<OutboundRecord> {
    let r = this.outbound.get(conversationId);
    if (r === undefined) {
      r = { key: await OutboundSenderKey.create(p, conversationId), distributedTo: new Set() };
      this.outbound.set(conversationId, r);
    }
    return r;
  }

  /** New chain and signing key, version + 1: nobody holds it until it is distributed again. */
  async rotate(conversationId: string): Promise<boolean> {
    const r = this.outbound.get(conversationId);
    if (r === undefined) return false;
    await r.key.rotate();
    r.distributedTo.clear();
    return true;
  }

  inbound(conversationId: string, deviceId: string): InboundSenderKey | undefined {
    return this.#inbound.get(slot(conversationId, deviceId));
  }

  setInbound(conversationId: string, deviceId: string, key: InboundSenderKey): void {
    this.#inbound.get(slot(conversationId, deviceId))?.destroy();
    this.#inbound.set(slot(conversationId, deviceId), key);
  }

  /** Forgets what a device sent us (it was revoked, or its moltbot left the conversation). */
  dropInboundFrom(deviceId: string, conversationId?: string): void {
    for (const [k, key] of this.#inbound) {
      const [cid, dev] = k.split('/');
      if (dev === deviceId && (conversationId === undefined || cid === conversationId)) {
        key.destroy();
        this.#inbound.delete(k);
      }
    }
    this.pending = this.pending.filter(
      (m) =>
        !(
          m.fromDeviceId === deviceId &&
          (conversationId === undefined || m.conversationId === conversationId)
        ),
    );
  }

  /** Forgets every key of a conversation (this device left it or was removed). */
  dropConversation(conversationId: string): void {
    this.outbound.get(conversationId)?.key.destroy();
    this.outbound.delete(conversationId);
    for (const [k, key] of this.#inbound) {
      if (k.startsWith(`${conversationId}/`)) {
        key.destroy();
        this.#inbound.delete(k);
      }
    }
    this.pending = this.pending.filter((m) => m.conversationId !== conversationId);
  }

  hold(m: PendingGroupMessage): void {
    if (this.pending.some((x) => x.relayId === m.relayId && x.fromDeviceId === m.fromDeviceId)) {
      return;
    }
    this.pending.push(m);
    if (this.pending.length > MAX_PENDING)
      this.pending.splice(0, this.pending.length - MAX_PENDING);
  }

  /** Removes and returns the held messages of one sender in one conversation. */
  release(conversationId: string, deviceId: string): PendingGroupMessage[] {
    const out = this.pending.filter(
      (m) => m.conversationId === conversationId && m.fromDeviceId === deviceId,
    );
    this.pending = this.pending.filter((m) => !out.includes(m));
    return out;
  }

  toJSON(): GroupKeysJson {
    return {
      outbound: [...this.outbound].map(([cid, r]) => ({
        conversationId: cid,
        key: r.key.toJSON(),
        distributedTo: [...r.distributedTo],
      })),
      inbound: [...this.#inbound].map(([k, key]) => ({ slot: k, key: key.toJSON() })),
      pending: this.pending,
      requested: [...this.requested].slice(-1000),
    };
  }

  static async fromJSON(p: CryptoProvider, j: GroupKeysJson): Promise<GroupKeys> {
    const g = new GroupKeys();
    for (const o of j.outbound) {
      g.outbound.set(o.conversationId, {
        key: await OutboundSenderKey.fromJSON(p, o.key),
        distributedTo: new Set(o.distributedTo),
      });
    }
    for (const i of j.inbound) g.#inbound.set(i.slot, await InboundSenderKey.fromJSON(p, i.key));
    g.pending = [...j.pending];
    for (const r of j.requested) g.requested.add(r);
    return g;
  }

  destroy(): void {
    for (const r of this.outbound.values()) r.key.destroy();
    for (const k of this.#inbound.values()) k.destroy();
    this.outbound.clear();
    this.#inbound.clear();
  }
}

export interface GroupKeysJson {
  readonly outbound: readonly {
    readonly conversationId: string;
    readonly key: unknown;
    readonly distributedTo: readonly string[];
  }[];
  readonly inbound: readonly { readonly slot: string; readonly key: unknown }[];
  readonly pending: readonly PendingGroupMessage[];
  readonly requested: readonly string[];
}
