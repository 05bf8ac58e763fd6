/**
 * `npm run bench relay` — the MoltDM relay on loopback (issue 7 goals: ≥ 5,000 messages accepted
 * and durably stored per second; long-poll delivery p99 ≤ 50 ms):
 *
 *   - throughput: CLIENTS concurrent requests from SENDERS sender devices POST /messages (one
 *     256-byte ciphertext to one recipient device each, every request signed, verified and its
 *     nonce claimed) for DURATION_MS; counted are 201 answers, each sent only after its rows were
 *     committed and the WAL fsynced. The count is then checked against the rows in the database
 *     file. A second run sends group messages to 4 recipient devices (rows/s).
 *   - CPU per message of the relay process (all its threads) and of the clients: the figures to
 *     read when the two share a small machine.
 *   - delivery latency: a receiver holds GET /messages?wait=30; the time from the sender starting
 *     its POST to the receiver holding the message, one message at a time, LATENCY_SAMPLES times.
 *
 * The relay runs in a child process (its own event loop and core, as in production); the
 * clients share this process. Both share the machine's 2 cores, so the figures are a floor.
 */
import { fork } from 'node:child_process';
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import {
  bytesToBase64,
  identityKeyPayload,
  lastResortPreKeyPayload,
  moltbotIdFromPublicKey,
  signedPreKeyPayload,
  signRequest,
} from '@moltbook/relay/protocol';
import { measureMoltdmCrypto } from './lib/moltdmCrypto.ts';
import { createReporter, median } from './lib/report.ts';

const CLIENTS = 256;
const SENDERS = 64;
const DURATION_MS = 5_000;
const CIPHERTEXT_BYTES = 256;
const GROUP_DEVICES = 4;
const LATENCY_SAMPLES = 400;
const GOALS = { messagesPerS: 5000, p99Ms: 50 };

// ------------------------------------------------------------------ clients

interface Device {
  readonly id: string;
  readonly key: KeyObject;
}

function newDevice(): Device & { raw: Uint8Array } {
  const kp = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(kp.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32));
  return { id: moltbotIdFromPublicKey(raw), key: kp.privateKey, raw };
}

const x25519 = () =>
  new Uint8Array(
    generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32),
  );

function signer(d: Device) {
  return (m: Uint8Array) => new Uint8Array(sign(null, m, d.key));
}

/** node:http with a keep-alive pool: far cheaper per request than fetch, so the clients,
 * which share the 2 cores with the relay, take less of them. */
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS + 8 });

async function call(url: string, d: Device, method: string, path: string, body?: unknown) {
  const bytes =
    body === undefined ? new Uint8Array() : new TextEncoder().encode(JSON.stringify(body));
  const headers = await signRequest({
    id: d.id,
    sign: signer(d),
    method,
    pathWithQuery: path,
    body: bytes,
  });
  return new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest(
      url + path,
      {
        method,
        agent,
        headers: {
          ...headers,
          ...(bytes.length > 0
            ? { 'content-type': 'application/json', 'content-length': String(bytes.length) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString()),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

async function register(url: string): Promise<Device> {
  const d = newDevice();
  const ik = x25519();
  const spk = x25519();
  const lr = x25519();
  const s = (m: Uint8Array) => bytesToBase64(new Uint8Array(sign(null, m, d.key)));
  const r = await call(url, d, 'POST', '/identity/register', {
    publicKey: bytesToBase64(d.raw),
    device: {
      identityKey: bytesToBase64(ik),
      identityKeySignature: s(identityKeyPayload(ik)),
      signedPreKey: { id: 1, key: bytesToBase64(spk), signature: s(signedPreKeyPayload(1, spk)) },
      lastResortPreKey: {
        id: 2,
        key: bytesToBase64(lr),
        signature: s(lastResortPreKeyPayload(2, lr)),
      },
      oneTimePreKeys: [],
    },
  });
  if (r.status !== 201) throw new Error(`register: ${JSON.stringify(r.json)}`);
  return d;
}

async function conversation(
  url: string,
  creator: Device,
  members: readonly Device[],
): Promise<string> {
  const r = await call(url, creator, 'POST', '/conversations', {
    members: members.map((m) => m.id),
  });
  if (r.status !== 201) throw new Error(`conversation: ${JSON.stringify(r.json)}`);
  return (r.json.conversation as { id: string }).id;
}

const ciphertext = bytesToBase64(new Uint8Array(CIPHERTEXT_BYTES).map((_, i) => (i * 131) & 0xff));
let clientId = 0;

/** CLIENTS loops, each sending as one of `routes` until the deadline; returns accepted messages. */
async function flood(
  url: string,
  routes: readonly { from: Device; conv: string; to: readonly Device[] }[],
) {
  let accepted = 0;
  let refused = 0;
  const started = performance.now();
  const deadline = started + DURATION_MS;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      const route = routes[c % routes.length] as (typeof routes)[number];
      while (performance.now() < deadline) {
        const r = await call(url, route.from, 'POST', '/messages', {
          conversationId: route.conv,
          clientMessageId: `b${clientId++}`,
          items: route.to.map((t) => ({ toDeviceId: t.id, type: 'ratchet', ciphertext })),
        });
        if (r.status === 201) accepted++;
        else refused++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (refused > 0) throw new Error(`${refused} sends refused`);
  return { accepted, seconds };
}

function percentile(samples: readonly number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
}

async function runBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'moltdm-bench-'));
  const dbPath = join(dir, 'relay.db');
  const child = fork(fileURLToPath(import.meta.url), ['--serve', dbPath], {
    // RELAY_BENCH_PROF=<dir> writes a CPU profile of the relay process there.
    execArgv: [
      '--disable-warning=ExperimentalWarning',
      ...(process.env.RELAY_BENCH_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.RELAY_BENCH_PROF}`]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve) =>
    child.once('message', (m) => resolve((m as { url: string }).url)),
  );
  const report = createReporter();
  try {
    // Setup: SENDERS pairs; group conversations of 1 sender + GROUP_DEVICES recipients.
    const senders = await Promise.all(Array.from({ length: SENDERS }, () => register(url)));
    const receivers = await Promise.all(Array.from({ length: SENDERS }, () => register(url)));
    const pairs = await Promise.all(
      senders.map(async (from, i) => {
        const to = receivers[i] as Device;
        return { from, to: [to], conv: await conversation(url, from, [to]) };
      }),
    );

    // Warm-up (JIT, SQLite page cache), not counted.
    await flood(url, pairs.slice(0, 4)).catch(() => undefined);
    const rowsBefore = countRows(dbPath);

    const cpu0 = await serverCpu(child);
    const clientCpu0 = process.cpuUsage();
    const one = await flood(url, pairs);
    const cpu1 = await serverCpu(child);
    const clientCpu1 = process.cpuUsage(clientCpu0);
    const rowsAfter = countRows(dbPath);
    if (rowsAfter - rowsBefore !== one.accepted) {
      throw new Error(
        `accepted ${one.accepted} but ${rowsAfter - rowsBefore} rows are in the database`,
      );
    }
    report.emit({
      name: 'relay.messages_per_s',
      value: Math.round(one.accepted / one.seconds),
      unit: 'msg/s',
      params: {
        clients: CLIENTS,
        senders: SENDERS,
        ciphertextBytes: CIPHERTEXT_BYTES,
        recipientsPerMessage: 1,
        durable: 'fsync before 201 (group commit)',
        goal: GOALS.messagesPerS,
      },
    });

    const serverUs = cpu1.user + cpu1.system - cpu0.user - cpu0.system;
    report.emit({
      name: 'relay.server_cpu_us_per_message',
      value: Math.round(serverUs / one.accepted),
      unit: 'µs',
      params: { note: 'relay process CPU (user+system) per accepted message, all cores' },
    });
    report.emit({
      name: 'relay.client_cpu_us_per_message',
      value: Math.round((clientCpu1.user + clientCpu1.system) / one.accepted),
      unit: 'µs',
      params: { note: 'bench clients: signing, HTTP' },
    });

    const groups = await Promise.all(
      senders.slice(0, 8).map(async (from, i) => {
        const to = receivers.slice(i, i + GROUP_DEVICES);
        while (to.length < GROUP_DEVICES) to.push(receivers[to.length] as Device);
        return { from, to, conv: await conversation(url, from, to) };
      }),
    );
    const group = await flood(url, groups);
    report.emit({
      name: 'relay.group_messages_per_s',
      value: Math.round(group.accepted / group.seconds),
      unit: 'msg/s',
      params: {
        clients: CLIENTS,
        recipientsPerMessage: GROUP_DEVICES,
        ciphertextBytes: CIPHERTEXT_BYTES,
      },
    });
    report.emit({
      name: 'relay.group_rows_per_s',
      value: Math.round((group.accepted * GROUP_DEVICES) / group.seconds),
      unit: 'rows/s',
      params: { clients: CLIENTS, recipientsPerMessage: GROUP_DEVICES },
    });

    // Long-poll delivery latency, one message in flight at a time.
    const [from, to] = [senders[0] as Device, receivers[0] as Device];
    const conv = (pairs[0] as { conv: string }).conv;
    let cursor = Number((await call(url, to, 'GET', '/messages?after=0&limit=1')).json.cursor);
    // Skip what the floods left in the queue.
    for (;;) {
      const r = await call(url, to, 'GET', `/messages?after=${cursor}&limit=500`);
      const next = Number(r.json.cursor);
      if (next === cursor) break;
      cursor = next;
    }
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES + 20; i++) {
      const poll = call(url, to, 'GET', `/messages?after=${cursor}&wait=30`);
      // Let the poll reach the relay and park before sending.
      await new Promise((r) => setTimeout(r, 2));
      const sent = performance.now();
      const post = call(url, from, 'POST', '/messages', {
        conversationId: conv,
        clientMessageId: `lat${i}`,
        items: [{ toDeviceId: to.id, type: 'ratchet', ciphertext }],
      });
      const got = await poll;
      const ms = performance.now() - sent;
      await post;
      const msgs = got.json.messages as unknown[];
      if (msgs.length !== 1) throw new Error(`poll returned ${msgs.length} messages`);
      cursor = Number(got.json.cursor);
      if (i >= 20) latencies.push(ms);
    }
    const lat = { samples: LATENCY_SAMPLES, mode: 'one in flight' };
    report.emit({
      name: 'relay.longpoll_delivery_ms.p50',
      value: round(median(latencies)),
      unit: 'ms',
      params: lat,
    });
    report.emit({
      name: 'relay.longpoll_delivery_ms.p99',
      value: round(percentile(latencies, 99)),
      unit: 'ms',
      params: { ...lat, goal: GOALS.p99Ms },
    });

    // ---------------------------------------------------------------- crypto ops/s
    // The client's cryptography (issue 7 "crypto operations per second"), one core, both
    // providers (node:crypto for agents, portable @noble for browsers).
    for (const f of await measureMoltdmCrypto())
      report.emit({ name: f.name, value: Math.round(f.opsPerSec), unit: 'ops/s' });

    report.table('MoltDM relay (loopback, 2 cores shared by relay and clients)');
  } finally {
    agent.destroy();
    child.send('close');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

function serverCpu(child: ReturnType<typeof fork>): Promise<NodeJS.CpuUsage> {
  return new Promise((resolve) => {
    const on = (m: unknown) => {
      if (typeof m === 'object' && m !== null && 'cpu' in m) {
        child.off('message', on);
        resolve((m as { cpu: NodeJS.CpuUsage }).cpu);
      }
    };
    child.on('message', on);
    child.send('cpu');
  });
}

function countRows(dbPath: string): number {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return Number((db.prepare('SELECT count(*) AS n FROM queue').get() as { n: number }).n);
  } finally {
    db.close();
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

// ------------------------------------------------------------------ the relay, in a child

if (process.argv[2] === '--serve') {
  const { createRelayServer } = await import('../relay/src/server/createRelayServer.ts');
  const big = { limit: 1e12, windowMs: 60_000 };
  const server = createRelayServer({
    dbPath: process.argv[3] as string,
    sweepIntervalMs: 0,
    limits: {
      rates: { sender: big, pair: big, bundleFetch: big, register: big, membership: big },
    },
  });
  const { url } = await server.listen(0);
  process.send?.({ url });
  process.on('message', async (m) => {
    if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() });
    if (m === 'close') {
      await server.close();
      process.exit(0);
    }
  });
} else {
  await runBench();
}
