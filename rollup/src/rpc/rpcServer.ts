import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeMetrics } from '../metrics/nodeMetrics.ts';
import { PortInUseError, RpcError } from './rpcError.ts';

export type RpcHandler = (params: readonly unknown[]) => Promise<unknown>;

export interface RpcServerOpts {
  readonly host: string;
  readonly port: number;
  /** Bodies above this are refused with 413 before they are parsed. */
  readonly maxBodyBytes?: number;
  /** Most calls in one batch. */
  readonly maxBatch?: number;
  /** What the port serves and the flag that sets it, for the port-in-use message. */
  readonly portName?: string;
  readonly portFlag?: string;
}

export interface RpcServerDeps {
  readonly handlers: Readonly<Record<string, RpcHandler>>;
  readonly metrics: NodeMetrics;
  readonly log: (line: string) => void;
  /** Liveness for GET /health: 200 `ok` or 503 with the reason. Always ok when absent. */
  readonly health?: () => NodeHealth;
}

export type NodeHealth = { readonly ok: true } | { readonly ok: false; readonly reason: string };

interface RpcResponse {
  jsonrpc: '2.0';
  id: string | number | null;
  result?: unknown;
  error?: { code: number; message: string; data: { reason: string } };
}

function errorResponse(id: RpcResponse['id'], err: RpcError): RpcResponse {
  return {
    jsonrpc: '2.0',
    id,
    error: { code: err.code, message: err.message, data: { reason: err.reason } },
  };
}

/**
 * JSON-RPC 2.0 over HTTP (POST /), plus GET /health and GET /metrics (Prometheus). Every request
 * is validated here, at the edge: size, JSON, envelope, method, then params by the handler.
 */
export class RpcServer {
  readonly #server: Server;
  readonly #opts: Required<RpcServerOpts>;
  readonly #deps: RpcServerDeps;

  constructor(opts: RpcServerOpts, deps: RpcServerDeps) {
    this.#opts = {
      maxBodyBytes: 1 << 20,
      maxBatch: 100,
      portName: 'rollup RPC',
      portFlag: '--rpc-port',
      ...opts,
    };
    this.#deps = deps;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        deps.log(`rpc: internal error: ${(err as Error).message}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.#server.keepAliveTimeout = 5_000;
  }

  /** Starts listening; rejects with PortInUseError when the port is taken. Returns the URL. */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        reject(
          err.code === 'EADDRINUSE'
            ? new PortInUseError(this.#opts.port, this.#opts.portName, this.#opts.portFlag)
            : err,
        );
      };
      this.#server.once('error', onError);
      this.#server.listen(this.#opts.port, this.#opts.host, () => {
        this.#server.off('error', onError);
        const addr = this.#server.address() as AddressInfo;
        resolve(`http://${this.#opts.host}:${addr.port}`);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      const h = this.#deps.health?.() ?? { ok: true };
      if (h.ok) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      else res.writeHead(503, { 'content-type': 'text/plain' }).end(`unhealthy: ${h.reason}\n`);
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      const body = await this.#deps.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': this.#deps.metrics.registry.contentType }).end(body);
      return;
    }
    if (req.method !== 'POST' || path !== '/') {
      res.writeHead(req.method === 'POST' || req.method === 'GET' ? 404 : 405, {
        'content-type': 'application/json',
      });
      res.end(
        JSON.stringify(
          errorResponse(
            null,
            new RpcError(-32600, 'rpc.not_found', 'POST JSON-RPC to /, or GET /health, /metrics'),
          ),
        ),
      );
      return;
    }
    const body = await readBody(req, this.#opts.maxBodyBytes);
    if (body === null) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(
        JSON.stringify(
          errorResponse(
            null,
            new RpcError(
              -32600,
              'rpc.body_too_large',
              `body exceeds ${this.#opts.maxBodyBytes} bytes`,
            ),
          ),
        ),
      );
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return send(
        res,
        errorResponse(null, new RpcError(-32700, 'rpc.parse_error', 'body is not valid JSON')),
      );
    }
    if (Array.isArray(parsed)) {
      if (parsed.length === 0 || parsed.length > this.#opts.maxBatch) {
        return send(
          res,
          errorResponse(
            null,
            new RpcError(
              -32600,
              'rpc.invalid_batch',
              `a batch holds 1..${this.#opts.maxBatch} calls`,
            ),
          ),
        );
      }
      // JSON-RPC 2.0 §6: the calls of a batch may be processed in any order; running them
      // together lets `sendTransaction`s share one signature-verification batch.
      const answers = await Promise.all(parsed.map((call) => this.#call(call)));
      const out = answers.filter((_, i) => !isNotification(parsed[i]));
      if (out.length === 0) return void res.writeHead(204).end();
      return send(res, out);
    }
    const answer = await this.#call(parsed);
    // JSON-RPC 2.0 §4.1: a notification (a valid request without "id") is executed, never answered.
    if (isNotification(parsed)) return void res.writeHead(204).end();
    send(res, answer);
  }

  async #call(call: unknown): Promise<RpcResponse> {
    const c = (typeof call === 'object' && call !== null ? call : {}) as Record<string, unknown>;
    const id = typeof c.id === 'string' || typeof c.id === 'number' ? c.id : null;
    if (c.jsonrpc !== '2.0' || typeof c.method !== 'string') {
      return errorResponse(
        id,
        new RpcError(-32600, 'rpc.invalid_request', 'expected {"jsonrpc":"2.0","method":…}'),
      );
    }
    const params = c.params === undefined ? [] : c.params;
    if (!Array.isArray(params)) {
      return errorResponse(id, RpcError.invalidParams('params', 'params must be an array'));
    }
    const handler = Object.hasOwn(this.#deps.handlers, c.method)
      ? this.#deps.handlers[c.method]
      : undefined;
    if (handler === undefined) {
      this.#deps.metrics.rpcRequests.inc({ method: 'unknown', outcome: 'error' });
      return errorResponse(
        id,
        new RpcError(-32601, 'rpc.method_not_found', `unknown method ${c.method.slice(0, 64)}`),
      );
    }
    try {
      const result = await handler(params);
      this.#deps.metrics.rpcRequests.inc({ method: c.method, outcome: 'ok' });
      return { jsonrpc: '2.0', id, result };
    } catch (err) {
      this.#deps.metrics.rpcRequests.inc({ method: c.method, outcome: 'error' });
      if (err instanceof RpcError) return errorResponse(id, err);
      this.#deps.log(`rpc: ${c.method} failed: ${(err as Error).message}`);
      return errorResponse(id, new RpcError(-32603, 'rpc.internal', 'internal error'));
    }
  }
}

/** A well-formed request object that has no "id" member (malformed ones are answered). */
function isNotification(call: unknown): boolean {
  if (typeof call !== 'object' || call === null || Array.isArray(call)) return false;
  const c = call as Record<string, unknown>;
  return !('id' in c) && c.jsonrpc === '2.0' && typeof c.method === 'string';
}

function send(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Reads the body, or null as soon as it exceeds `max` bytes (the rest is not buffered). */
function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      req.resume();
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
