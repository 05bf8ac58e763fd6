import { createHash, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { AUTH_HEADERS } from '../protocol/authHeaders.ts';
import { type RelayLimits, type RelayLimitsOverride, resolveLimits } from '../protocol/limits.ts';
import { isMoltbotId } from '../protocol/moltbotId.ts';
import { PAIRING_TOKEN_ALPHABET, PAIRING_TOKEN_LENGTH } from '../protocol/pairingToken.ts';
import type { CallerRecord, RelayStore, SweepCounts } from '../store/relayStore.ts';
import { openSqliteRelayStore } from '../store/sqlite/sqliteRelayStore.ts';
import { timeOrderedId } from '../store/timeOrderedId.ts';
import { SignatureVerifierPool } from './auth/signatureVerifierPool.ts';
import {
  checkRequestSignature,
  importEd25519PublicKey,
  type KeyLookup,
} from './auth/verifyRequest.ts';
import { readBody } from './http/readBody.ts';
import { errorReply, type Reply, writeReply } from './http/reply.ts';
import { LongPollWaiters } from './longPollWaiters.ts';
import { RelayMetrics } from './relayMetrics.ts';
import type { AnyRoute, RouteDeps, RouteRequest } from './route.ts';
import { Router } from './router.ts';
import { attachmentRoutes } from './routes/attachmentRoutes.ts';
import { blockRoutes } from './routes/blockRoutes.ts';
import { conversationRoutes } from './routes/conversationRoutes.ts';
import { deviceRoutes } from './routes/deviceRoutes.ts';
import { identityRoutes, type RegisterInput } from './routes/identityRoutes.ts';
import { messageRoutes } from './routes/messageRoutes.ts';
import { opsRoutes } from './routes/opsRoutes.ts';
import { pairingRoutes } from './routes/pairingRoutes.ts';
import { StaticFiles } from './staticFiles.ts';
import { readQuery } from './wire.ts';

export interface RelayServerOptions {
  /** SQLite database file (created and migrated on open). */
  readonly dbPath: string;
  /** Base URL people reach the relay at, for pairing links; defaults to the listen URL. */
  readonly publicUrl?: string;
  /** Built web app (web/dist): serves GET /pair/:token, /dm and their assets. */
  readonly staticDir?: string;
  /** Unix milliseconds; injected by tests. */
  readonly clock?: () => number;
  readonly limits?: RelayLimitsOverride;
  /** How often expired rows are swept (default 10 s; 0 disables the timer). */
  readonly sweepIntervalMs?: number;
  /**
   * Worker threads verifying request signatures (default 1 when the machine has more than one
   * core, else 0 = on the event loop).
   */
  readonly verifyThreads?: number;
  readonly log?: (line: string) => void;
}

export interface RelayServer {
  listen(port: number, host?: string): Promise<{ readonly url: string; readonly port: number }>;
  /** Answers waiting long-polls, finishes in-flight requests, then closes the store. */
  close(): Promise<void>;
  /** Runs the expiry sweeper now (the timer runs it every sweepIntervalMs). */
  sweep(): Promise<SweepCounts>;
  readonly limits: RelayLimits;
}

const ROUTES: readonly AnyRoute[] = [
  ...identityRoutes,
  ...pairingRoutes,
  ...messageRoutes,
  ...conversationRoutes,
  ...deviceRoutes,
  ...blockRoutes,
  ...attachmentRoutes,
  ...opsRoutes,
];

/** Bounded cache of imported signing keys (importing costs as much as a verification). */
const KEY_CACHE_MAX = 10_000;

function randomToken(): string {
  let t = '';
  for (let i = 0; i < PAIRING_TOKEN_LENGTH; i++)
    t += PAIRING_TOKEN_ALPHABET[randomInt(PAIRING_TOKEN_ALPHABET.length)];
  return t;
}

/** The composition root of the relay: store, router, long-poll waiters, metrics, sweeper. */
export function createRelayServer(opts: RelayServerOptions): RelayServer {
  const limits = resolveLimits(opts.limits);
  const nowMs = opts.clock ?? Date.now;
  const log = opts.log ?? (() => {});
  const store: RelayStore = openSqliteRelayStore({ path: opts.dbPath, limits });
  const waiters = new LongPollWaiters();
  const metrics = new RelayMetrics();
  const router = new Router(ROUTES);
  const statics = opts.staticDir === undefined ? null : new StaticFiles(opts.staticDir);
  const keyCache = new Map<string, ReturnType<typeof importEd25519PublicKey>>();
  const verifyThreads = opts.verifyThreads ?? (availableParallelism() > 1 ? 1 : 0);
  const verifier = verifyThreads > 0 ? new SignatureVerifierPool(verifyThreads) : null;
  /** The signature check of a device: on the pool when there is one, else a cached KeyObject. */
  const checkerFor = (id: string, raw: Uint8Array) =>
    verifier === null
      ? cachedKey(id, raw)
      : (message: Uint8Array, signature: Uint8Array) => verifier.verify(raw, message, signature);
  const inflight = new Set<Promise<void>>();
  let publicUrl = opts.publicUrl?.replace(/\/+$/, '') ?? '';
  let closing = false;

  const deps: RouteDeps = {
    store,
    limits,
    waiters,
    metrics,
    get publicUrl() {
      return publicUrl;
    },
    nowMs,
    randomId: () => timeOrderedId(nowMs()),
    randomToken,
    closing: () => closing,
  };

  const cachedKey = (id: string, raw: Uint8Array) => {
    let k = keyCache.get(id);
    if (k === undefined) {
      if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
      k = importEd25519PublicKey(raw);
      keyCache.set(id, k);
    }
    return k;
  };

  /**
   * One request, in numbered steps; the first that fails answers (docs/moltdm.md "Request
   * processing"). Nothing is written before step 6, so a refused request changes no state.
   */
  async function dispatch(
    req: IncomingMessage,
    signal: AbortSignal,
    label: (l: string) => void,
  ): Promise<Reply | null> {
    const method = req.method ?? 'GET';
    const target = req.url ?? '';
    // 1. Route.
    if (!target.startsWith('/'))
      return errorReply('request.invalid_path', 'request target must be a path');
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
    const match = router.match(method, path);
    if (match.kind === 'none') {
      if (statics !== null && (method === 'GET' || method === 'HEAD')) {
        const file = await statics.serve(path);
        if (file !== null) {
          label('static');
          return file;
        }
      }
      return errorReply('request.not_found', 'no such route');
    }
    if (match.kind === 'methodNotAllowed') {
      const r = errorReply('request.method_not_allowed', `use ${match.allow.join(', ')}`);
      return { ...r, headers: { allow: match.allow.join(', ') } };
    }
    const route = match.route;
    label(`${route.method} ${route.pattern}`);
    if (match.kind === 'badParam') {
      return errorReply('request.invalid_path', `malformed path parameter '${match.param}'`);
    }
    if (closing) return errorReply('server.shutting_down', 'the relay is shutting down');
    // 2. Body, cut off at the route's limit while streaming.
    const body = await readBody(req, route.maxBody?.(limits) ?? limits.maxBodyBytes);
    if (body.kind === 'aborted') return null;
    if (body.kind === 'tooLarge')
      return errorReply('request.body_too_large', 'request body is too large');
    const bodySha256 = new Uint8Array(createHash('sha256').update(body.body).digest());
    const rr: RouteRequest & { caller: CallerRecord | null } = {
      params: match.params,
      query,
      body: body.body,
      bodySha256,
      caller: null,
      address: req.socket.remoteAddress ?? 'unknown',
      now: nowMs(),
      signal,
    };
    const signed = {
      method,
      pathWithQuery: target,
      headers: req.headers,
      body: body.body,
      bodySha256Hex: Buffer.from(bodySha256).toString('hex'),
    };
    let parsed: unknown;
    let nonce: { id: string; nonce: string; expiresAt: number } | null = null;
    if (route.auth === 'register') {
      // 3r. The key comes from the body: validate it (and its signatures) first.
      const q = readQuery(query, route.query ?? []);
      if (!q.ok) return q.reply;
      const p = route.parse(rr, deps);
      if (!p.ok) return p.reply;
      const input = p.value as RegisterInput;
      const claimed = req.headers[AUTH_HEADERS.id];
      if (isMoltbotId(claimed) && claimed !== input.moltbotId) {
        return errorReply(
          'identity.id_mismatch',
          `${AUTH_HEADERS.id} must be the moltbot id of publicKey`,
        );
      }
      const keys: KeyLookup = async (id) =>
        id === input.moltbotId ? checkerFor(id, input.publicKey) : null;
      const auth = await checkRequestSignature(signed, { keys, nowMs });
      if (!auth.ok) return errorReply(auth.code, auth.message);
      parsed = input;
      nonce = { id: auth.id, nonce: auth.nonce, expiresAt: auth.nonceExpiresAtMs };
    } else {
      if (route.auth !== 'none') {
        // 3. Signature (no write yet).
        let device: CallerRecord | null = null;
        const keys: KeyLookup = async (id) => {
          device = await store.identities.getCaller(id);
          return device === null ? null : checkerFor(id, device.signingKey);
        };
        const auth = await checkRequestSignature(signed, { keys, nowMs });
        if (!auth.ok) return errorReply(auth.code, auth.message);
        const caller = device as CallerRecord | null;
        if (caller === null) throw new Error('signature verified without a device');
        // 4. Revoked devices and owner-only routes.
        if (caller.revokedAt !== null)
          return errorReply('auth.device_revoked', 'this device was revoked');
        if (route.auth === 'owner' && caller.kind !== 'primary') {
          return errorReply(
            'auth.forbidden',
            'only the primary device (the moltbot itself) may do this',
          );
        }
        rr.caller = caller;
        nonce = { id: auth.id, nonce: auth.nonce, expiresAt: auth.nonceExpiresAtMs };
      }
      // 5. Params, query and body.
      const q = readQuery(query, route.query ?? []);
      if (!q.ok) return q.reply;
      const p = route.parse(rr, deps);
      if (!p.ok) return p.reply;
      parsed = p.value;
    }
    // 6. The nonce, claimed last of the checks and durably, before acting.
    if (nonce !== null && !(await store.nonces.claim(nonce.id, nonce.nonce, nonce.expiresAt))) {
      return errorReply('auth.replayed', 'this nonce was already used');
    }
    // 7. Act.
    return route.handle(parsed, rr, deps);
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    let label = 'unmatched';
    const done = dispatch(req, ac.signal, (l) => {
      label = l;
    })
      .catch((err: unknown) => {
        log(`relay: internal error on ${req.method} ${label}: ${(err as Error).stack ?? err}`);
        return errorReply('internal', 'internal error');
      })
      .then(async (reply) => {
        if (reply === null) {
          res.destroy();
          return;
        }
        // Nothing is said before what it reports is on disk (reads included).
        await store.durable().catch(() => {
          reply = errorReply('internal', 'the relay could not make its state durable');
        });
        writeReply(res, reply, reply.status === 413 ? { connection: 'close' } : {});
        metrics.recordRequest(
          label,
          req.method ?? '',
          reply.status,
          (performance.now() - started) / 1000,
        );
        if (reply.status === 429) {
          const limit =
            (reply as { json?: { error?: { limit?: string } } }).json?.error?.limit ?? 'unknown';
          metrics.rateLimited.inc({ limit });
        }
      })
      .finally(() => inflight.delete(done));
    inflight.add(done);
  }

  const server: Server = createServer(onRequest);
  server.requestTimeout = (limits.maxWaitSeconds + 30) * 1000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 30_000;

  const sweepNow = () => store.sweep(nowMs());
  const interval = opts.sweepIntervalMs ?? 10_000;
  const timer =
    interval > 0
      ? setInterval(() => {
          sweepNow().catch((err: unknown) => log(`relay: sweep failed: ${(err as Error).message}`));
        }, interval)
      : null;
  timer?.unref();

  return {
    limits,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const addr = server.address() as AddressInfo;
          const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          const url = `http://${shown}:${addr.port}`;
          if (publicUrl === '') publicUrl = url;
          resolve({ url, port: addr.port });
        });
      }),
    close: async () => {
      if (closing) return;
      closing = true;
      if (timer !== null) clearInterval(timer);
      waiters.wakeAll();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), 2_000);
      await Promise.allSettled([...inflight]);
      server.closeIdleConnections();
      await closed;
      clearTimeout(grace);
      await verifier?.close();
      await store.close();
    },
    sweep: sweepNow,
  };
}
