import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createNodeMetrics } from '../../src/metrics/nodeMetrics.ts';
import { PortInUseError, RpcError } from '../../src/rpc/rpcError.ts';
import { RpcServer } from '../../src/rpc/rpcServer.ts';
import { rpcRaw } from '../helpers/rpc.ts';

describe('RpcServer: every malformed request gets a stable error, the server stays up', () => {
  const metrics = createNodeMetrics();
  const server = new RpcServer(
    { host: '127.0.0.1', port: 0, maxBodyBytes: 1024 },
    {
      metrics,
      log: () => {},
      handlers: {
        echo: async (params) => params,
        needsSlot: async (params) => {
          if (typeof params[0] !== 'number')
            throw RpcError.invalidParams('slot', 'slot must be a number');
          return params[0];
        },
        boom: async () => {
          throw new Error('secret internal detail');
        },
      },
    },
  );
  let url = '';
  before(async () => {
    url = await server.listen();
  });
  after(() => server.close());

  const cases: [string, string | object, number, string][] = [
    ['invalid JSON', '{"jsonrpc":', -32700, 'rpc.parse_error'],
    ['not an object', '42', -32600, 'rpc.invalid_request'],
    ['missing version', { method: 'echo' }, -32600, 'rpc.invalid_request'],
    ['unknown method', { jsonrpc: '2.0', id: 1, method: 'nope' }, -32601, 'rpc.method_not_found'],
    [
      'prototype key as method',
      { jsonrpc: '2.0', id: 1, method: 'constructor' },
      -32601,
      'rpc.method_not_found',
    ],
    [
      'params not an array',
      { jsonrpc: '2.0', id: 1, method: 'echo', params: { a: 1 } },
      -32602,
      'rpc.invalid_params.params',
    ],
    [
      'handler rejects params',
      { jsonrpc: '2.0', id: 1, method: 'needsSlot', params: ['x'] },
      -32602,
      'rpc.invalid_params.slot',
    ],
    ['empty batch', [], -32600, 'rpc.invalid_batch'],
  ];
  for (const [name, body, code, reason] of cases) {
    it(`${name} → ${reason}`, async () => {
      const { status, json } = await rpcRaw(url, body);
      assert.equal(status, 200);
      const err = (json as { error: { code: number; data: { reason: string } } }).error;
      assert.equal(err.code, code);
      assert.equal(err.data.reason, reason);
    });
  }

  it('hides internal errors behind rpc.internal', async () => {
    const { json } = await rpcRaw(url, { jsonrpc: '2.0', id: 7, method: 'boom' });
    assert.deepEqual(json, {
      jsonrpc: '2.0',
      id: 7,
      error: { code: -32603, message: 'internal error', data: { reason: 'rpc.internal' } },
    });
  });

  it('refuses an oversized body with 413 before parsing it', async () => {
    const { status, json } = await rpcRaw(url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'echo',
      params: ['x'.repeat(5000)],
    });
    assert.equal(status, 413);
    assert.equal(
      (json as { error: { data: { reason: string } } }).error.data.reason,
      'rpc.body_too_large',
    );
  });

  it('answers batches call by call and still serves afterwards', async () => {
    const { json } = await rpcRaw(url, [
      { jsonrpc: '2.0', id: 1, method: 'echo', params: [1] },
      { jsonrpc: '2.0', id: 2, method: 'nope' },
    ]);
    const [a, b] = json as [{ result: unknown }, { error: { code: number } }];
    assert.deepEqual(a.result, [1]);
    assert.equal(b.error.code, -32601);
    const health = await fetch(`${url}/health`);
    assert.equal(await health.text(), 'ok\n');
  });

  it('executes notifications (no id) without answering them, alone or in a batch', async () => {
    const single = await fetch(url, {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', method: 'echo', params: [1] }),
    });
    assert.equal(single.status, 204);
    assert.equal(await single.text(), '');
    const { json } = await rpcRaw(url, [
      { jsonrpc: '2.0', method: 'echo', params: [1] },
      { jsonrpc: '2.0', id: 9, method: 'echo', params: [2] },
    ]);
    assert.deepEqual(json, [{ jsonrpc: '2.0', id: 9, result: [2] }]);
    // A malformed call without an id is still answered with its error.
    const bad = await rpcRaw(url, { method: 'echo' });
    assert.equal((bad.json as { error: { code: number } }).error.code, -32600);
  });

  it('answers /health with 503 and the reason when the node reports itself unhealthy', async () => {
    let healthy = true;
    const probe = new RpcServer(
      { host: '127.0.0.1', port: 0 },
      {
        metrics,
        log: () => {},
        handlers: {},
        health: () => (healthy ? { ok: true } : { ok: false, reason: 'no PoH tick for 2400 ms' }),
      },
    );
    const probeUrl = await probe.listen();
    try {
      assert.equal((await fetch(`${probeUrl}/health`)).status, 200);
      healthy = false;
      const res = await fetch(`${probeUrl}/health`);
      assert.equal(res.status, 503);
      assert.equal(await res.text(), 'unhealthy: no PoH tick for 2400 ms\n');
    } finally {
      await probe.close();
    }
  });

  it('reports a taken port as PortInUseError with the flag to use', async () => {
    const port = Number(new URL(url).port);
    const clash = new RpcServer(
      { host: '127.0.0.1', port },
      { metrics, log: () => {}, handlers: {} },
    );
    await assert.rejects(clash.listen(), (err: unknown) => {
      assert.ok(err instanceof PortInUseError);
      assert.equal(err.port, port);
      assert.match(err.message, /--rpc-port/);
      return true;
    });
  });
});
