import { equalBytes } from '../crypto/bytes.ts';
import { DoubleRatchet } from '../crypto/doubleRatchet.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import type { RatchetStateJson } from '../crypto/ratchetState.ts';

/**
 * Sessions kept per remote device: beside the current one, a few older ones still decrypt late
 * messages (after a resync, or when both sides opened a session at the same moment).
 */
const MAX_SESSIONS_PER_DEVICE = 5;

/** The pairwise Double Ratchet sessions of this device, by remote device id, current first. */
export class SessionStore {
  readonly #byDevice = new Map<string, DoubleRatchet[]>();

  current(deviceId: string): DoubleRatchet | undefined {
    return this.#byDevice.get(deviceId)?.[0];
  }

  all(deviceId: string): readonly DoubleRatchet[] {
    return this.#byDevice.get(deviceId) ?? [];
  }

  byBaseKey(deviceId: string, baseKey: Uint8Array): DoubleRatchet | undefined {
    return this.all(deviceId).find((s) => equalBytes(s.baseKey, baseKey));
  }

  /** Makes `s` the session used for sending to the device (it may already be held). */
  promote(deviceId: string, s: DoubleRatchet): void {
    const list = (this.#byDevice.get(deviceId) ?? []).filter((x) => x !== s);
    list.unshift(s);
    for (const old of list.splice(MAX_SESSIONS_PER_DEVICE)) old.destroy();
    this.#byDevice.set(deviceId, list);
  }

  drop(deviceId: string): void {
    for (const s of this.#byDevice.get(deviceId) ?? []) s.destroy();
    this.#byDevice.delete(deviceId);
  }

  devices(): string[] {
    return [...this.#byDevice.keys()];
  }

  toJSON(): Record<string, RatchetStateJson[]> {
    const out: Record<string, RatchetStateJson[]> = {};
    for (const [id, list] of this.#byDevice) out[id] = list.map((s) => s.toJSON());
    return out;
  }

  static async fromJSON(
    p: CryptoProvider,
    j: Readonly<Record<string, readonly unknown[]>>,
  ): Promise<SessionStore> {
    const store = new SessionStore();
    for (const [id, list] of Object.entries(j)) {
      const sessions: DoubleRatchet[] = [];
      for (const s of list) sessions.push(await DoubleRatchet.fromJSON(p, s));
      store.#byDevice.set(id, sessions);
    }
    return store;
  }

  destroy(): void {
    for (const id of this.devices()) this.drop(id);
  }
}
