import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRelayServer, type QueuedMessageWire, type RelayServer } from '@moltbook/relay';
import { createMoltDM } from '../../../src/moltdm/client/createMoltDM.ts';
import type { MoltDMEvent } from '../../../src/moltdm/client/events.ts';
import type { MoltDMClient, MoltDMOptions } from '../../../src/moltdm/client/moltdmClient.ts';
import type { FetchLike } from '../../../src/moltdm/client/relayApi.ts';
import { memoryStateStore, type StateStore } from '../../../src/moltdm/client/stateStore.ts';
import { nodeCrypto } from '../../../src/moltdm/crypto/nodeCrypto.ts';

/** A real relay on a loopback port over a fresh SQLite file in a temp directory. */
export interface TestRelay {
  readonly url: string;
  readonly dir: string;
  readonly server: RelayServer;
  close(): Promise<void>;
}

export async function startRelay(opts: { staticDir?: string } = {}): Promise<TestRelay> {
  const dir = mkdtempSync(join(tmpdir(), 'moltdm-client-'));
  const server = createRelayServer({
    dbPath: join(dir, 'relay.db'),
    sweepIntervalMs: 0,
    verifyThreads: 0,
    ...(opts.staticDir === undefined ? {} : { staticDir: opts.staticDir }),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  const { url } = await server.listen(0, '127.0.0.1');
  return {
    url,
    dir,
    server,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Fate = 'deliver' | 'hold';

/**
 * Sits between a client and the relay on GET /messages: records every row delivered, and can
 * hold rows back (the client acks past them, as if the network had reordered them) to deliver
 * them later in another order.
 */
export class Tap {
  /** Every queued row the relay answered with, in relay order. */
  readonly seen: QueuedMessageWire[] = [];
  held: QueuedMessageWire[] = [];
  decide: ((m: QueuedMessageWire) => Fate) | null = null;
  /** Rewrites delivered rows (a forging relay or a corrupting network). */
  mutate: ((m: QueuedMessageWire) => QueuedMessageWire) | null = null;
  #release: QueuedMessageWire[] | null = null;

  /** The next poll delivers the held rows first, in the given order (default: reversed). */
  releaseHeld(order: (held: QueuedMessageWire[]) => QueuedMessageWire[] = (h) => h.reverse()) {
    this.#release = order([...this.held]);
    this.held = [];
  }

  readonly fetch: FetchLike = async (url, init) => {
    const res = await fetch(url, init);
    if (init.method !== 'GET' || !new URL(url).pathname.startsWith('/messages')) return res;
    if (res.status !== 200) return res;
    const body = (await res.json()) as { messages: QueuedMessageWire[] };
    this.seen.push(...body.messages);
    const deliver: QueuedMessageWire[] = this.#release ?? [];
    this.#release = null;
    for (const m of body.messages) {
      if (this.decide?.(m) === 'hold') this.held.push(m);
      else deliver.push(this.mutate === null ? m : this.mutate(m));
    }
    const bytes = new TextEncoder().encode(JSON.stringify({ ...body, messages: deliver }));
    return {
      status: 200,
      headers: res.headers,
      arrayBuffer: async () => bytes.buffer as ArrayBuffer,
    };
  };
}

export interface Agent {
  readonly client: MoltDMClient;
  readonly tap: Tap;
  readonly store: StateStore;
  readonly id: string;
}

export async function newAgent(
  relay: TestRelay,
  opts: Partial<Omit<MoltDMOptions, 'relayUrl'>> = {},
): Promise<Agent> {
  const tap = new Tap();
  const store = opts.store ?? memoryStateStore();
  const client = await createMoltDM({
    relayUrl: relay.url,
    crypto: nodeCrypto,
    fetch: tap.fetch,
    ...opts,
    store,
  });
  return { client, tap, store, id: client.moltbotId };
}

/** Messages (texts) among events. */
export function texts(
  events: readonly MoltDMEvent[],
  type: 'message' | 'messageRequest' = 'message',
) {
  return events.flatMap((e) => (e.type === type ? [e.message.text] : []));
}

export function failures(events: readonly MoltDMEvent[]) {
  return events.flatMap((e) => (e.type === 'decryptionFailed' ? [e] : []));
}

/** Lets a recipient accept the first request from `from` (test shorthand). */
export async function acceptFrom(a: Agent, from: string): Promise<string> {
  const req = a.client.messageRequests().find((c) => c.members.includes(from));
  if (req === undefined) throw new Error('no message request');
  await a.client.acceptRequest(req.id);
  return req.id;
}

/** Another client on a copy of `agent`'s saved state (a device that kept old keys). */
export async function cloneAgent(relay: TestRelay, agent: Agent): Promise<Agent> {
  return newAgent(relay, { store: memoryStateStore(await agent.store.load()) });
}

/** Ciphertext rows `tap` saw after `mark` (= tap.seen.length earlier), optionally of one type. */
export function rowsSince(tap: Tap, mark: number, type?: string): QueuedMessageWire[] {
  return tap.seen
    .slice(mark)
    .filter((m) => m.type !== 'system' && (type === undefined || m.type === type));
}
