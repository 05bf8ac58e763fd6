import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal in-process JSON-RPC 2.0 server for shape tests of the client: `answer` returns the
 * result, or throws a StubRpcError to answer an error as the node does (`error.data.reason`).
 * It is not the node: the real node's answers are tested end to end by the rollup and e2e suites.
 */
export class StubRpcError extends Error {
  readonly reason: string;
  readonly code: number;
  constructor(reason: string, message = reason, code = -32003) {
    super(message);
    this.reason = reason;
    this.code = code;
  }
}

export interface StubCall {
  readonly method: string;
  readonly params: unknown[];
}

export interface RpcStub {
  readonly url: string;
  readonly calls: StubCall[];
  close(): Promise<void>;
}

/** `raw`: answer this body verbatim instead of a JSON-RPC envelope (malformed-answer tests). */
export type StubAnswer = (call: StubCall) => unknown | Promise<unknown>;

export const RAW = Symbol('raw');

export async function startRpcStub(answer: StubAnswer): Promise<RpcStub> {
  const calls: StubCall[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', async () => {
      const req = JSON.parse(body) as { id: number; method: string; params: unknown[] };
      const call = { method: req.method, params: req.params };
      calls.push(call);
      res.setHeader('content-type', 'application/json');
      try {
        const result = await answer(call);
        if (typeof result === 'object' && result !== null && RAW in result) {
          res.end((result as { [RAW]: string })[RAW]);
          return;
        }
        res.end(JSON.stringify({ jsonrpc: '2.0', id: req.id, result }));
      } catch (err) {
        if (!(err instanceof StubRpcError)) throw err;
        res.end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: req.id,
            error: { code: err.code, message: err.message, data: { reason: err.reason } },
          }),
        );
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
