import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ErrorBody } from '../../src/protocol/errorCodes.ts';
import { bytesToBase64, type RelayLimitsOverride, signRequest } from '../../src/protocol/index.ts';
import { createRelayServer, type RelayServer } from '../../src/server/createRelayServer.ts';
import { TestDevice } from './keys.ts';

export interface Response<T = unknown> {
  readonly status: number;
  readonly json: T;
  readonly headers: Headers;
}

/** A relay on a loopback port over a fresh SQLite file in a temp directory. */
export class Harness {
  readonly dir: string;
  readonly dbPath: string;
  server!: RelayServer;
  url = '';
  clock: { now: number } | null;

  private constructor(dir: string, clock: { now: number } | null) {
    this.dir = dir;
    this.dbPath = join(dir, 'relay.db');
    this.clock = clock;
  }

  static async start(
    opts: { limits?: RelayLimitsOverride; clock?: boolean; staticDir?: string; dir?: string } = {},
  ): Promise<Harness> {
    const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'moltdm-relay-'));
    const h = new Harness(dir, opts.clock === true ? { now: Date.now() } : null);
    await h.open(opts);
    return h;
  }

  async open(opts: { limits?: RelayLimitsOverride; staticDir?: string } = {}): Promise<void> {
    const clock = this.clock;
    this.server = createRelayServer({
      dbPath: this.dbPath,
      ...(clock === null ? {} : { clock: () => clock.now }),
      ...(opts.limits === undefined ? {} : { limits: opts.limits }),
      ...(opts.staticDir === undefined ? {} : { staticDir: opts.staticDir }),
      sweepIntervalMs: 0,
      log: (l) => process.stderr.write(`${l}\n`),
    });
    this.url = (await this.server.listen(0)).url;
  }

  now(): number {
    return this.clock?.now ?? Date.now();
  }

  async stop(): Promise<void> {
    await this.server.close();
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A raw request; `body` as a string or bytes is sent as is, anything else as JSON. */
  async raw(
    method: string,
    path: string,
    opts: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const body = encodeBody(opts.body);
    const res = await fetch(this.url + path, {
      method,
      headers: {
        ...(body.length > 0 ? { 'content-type': 'application/json' } : {}),
        ...opts.headers,
      },
      ...(body.length > 0 ? { body } : {}),
    });
    return read(res);
  }

  /** A request signed by `device` (with the harness clock). */
  async signed(
    device: TestDevice,
    method: string,
    path: string,
    body?: unknown,
    opts: { at?: number; contentType?: string } = {},
  ): Promise<Response> {
    const bytes = encodeBody(body);
    const headers = await signRequest({
      id: device.id,
      sign: (m) => device.sign(m),
      method,
      pathWithQuery: path,
      body: bytes,
      nowMs: opts.at ?? this.now(),
    });
    return this.raw(method, path, {
      body: bytes,
      headers: {
        ...headers,
        ...(bytes.length > 0 ? { 'content-type': opts.contentType ?? 'application/json' } : {}),
      },
    });
  }

  async register(device = new TestDevice(), oneTime = 5): Promise<TestDevice> {
    const r = await this.signed(device, 'POST', '/identity/register', {
      publicKey: bytesToBase64(device.signingKey),
      device: device.keys(oneTime),
    });
    if (r.status !== 201) throw new Error(`register failed: ${r.status} ${JSON.stringify(r.json)}`);
    return device;
  }

  /** Links a new device to `owner` through the whole pairing flow; returns it. */
  async link(owner: TestDevice, name = 'Test browser', oneTime = 5): Promise<TestDevice> {
    const init = await this.signed(owner, 'POST', '/pair/init', {});
    const token = (init.json as { token: string }).token;
    const device = new TestDevice();
    const req = await this.raw('POST', '/pair/request', {
      body: {
        token,
        name,
        device: { signingKey: bytesToBase64(device.signingKey), ...device.keys(oneTime) },
      },
    });
    if (req.status !== 200) throw new Error(`pair request failed: ${JSON.stringify(req.json)}`);
    const ok = await this.signed(owner, 'POST', '/pair/approve', {
      token,
      certificate: owner.certify(owner.id, device),
      linkBundle: bytesToBase64(new TextEncoder().encode('opaque link bundle ciphertext')),
    });
    if (ok.status !== 200) throw new Error(`approve failed: ${JSON.stringify(ok.json)}`);
    return device;
  }

  async conversation(creator: TestDevice, members: readonly TestDevice[]): Promise<string> {
    const r = await this.signed(creator, 'POST', '/conversations', {
      members: members.map((m) => m.id),
    });
    if (r.status !== 201) throw new Error(`conversation failed: ${JSON.stringify(r.json)}`);
    return (r.json as { conversation: { id: string } }).conversation.id;
  }
}

export function encodeBody(body: unknown): Uint8Array {
  if (body === undefined) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  return new TextEncoder().encode(JSON.stringify(body));
}

async function read(res: globalThis.Response): Promise<Response> {
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON (attachments, metrics, pages): keep the text
  }
  return { status: res.status, json, headers: res.headers };
}

export function errorCode(r: Response): string | undefined {
  return (r.json as Partial<ErrorBody>)?.error?.code;
}
