import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AUTH_HEADERS, signRequest, TIMESTAMP_WINDOW_MS } from '../src/protocol/index.ts';
import { TestDevice } from './helpers/keys.ts';
import { errorCode, Harness } from './helpers/relayHarness.ts';

let h: Harness;
let alice: TestDevice;
before(async () => {
  h = await Harness.start();
  alice = await h.register();
});
after(() => h.destroy());

async function headersFor(d: TestDevice, method: string, path: string, body = '', at = Date.now()) {
  return signRequest({
    id: d.id,
    sign: (m) => d.sign(m),
    method,
    pathWithQuery: path,
    body: new TextEncoder().encode(body),
    nowMs: at,
  });
}

describe('request authentication over HTTP', () => {
  it('accepts a signed request once; its exact replay is refused', async () => {
    const headers = await headersFor(alice, 'GET', '/devices');
    const first = await h.raw('GET', '/devices', { headers });
    assert.equal(first.status, 200);
    const replay = await h.raw('GET', '/devices', { headers });
    assert.deepEqual([replay.status, errorCode(replay)], [401, 'auth.replayed']);
  });

  it('refuses unsigned, forged, expired and unknown-id requests with stable codes', async () => {
    const unsigned = await h.raw('GET', '/devices');
    assert.deepEqual([unsigned.status, errorCode(unsigned)], [400, 'auth.missing_header']);

    // Signed for another path, another body, or by another key.
    const otherPath = await headersFor(alice, 'GET', '/blocks');
    const r1 = await h.raw('GET', '/devices', { headers: otherPath });
    assert.deepEqual([r1.status, errorCode(r1)], [401, 'auth.signature_invalid']);
    const body = JSON.stringify({ moltbotId: alice.id });
    const tampered = await headersFor(alice, 'POST', '/blocks', body);
    const r2 = await h.raw('POST', '/blocks', {
      headers: tampered,
      body: body.replace('"m', ' "m'),
    });
    assert.deepEqual([r2.status, errorCode(r2)], [401, 'auth.signature_invalid']);
    const mallory = new TestDevice();
    const impersonation = await headersFor(mallory, 'GET', '/devices');
    const r3 = await h.raw('GET', '/devices', {
      headers: { ...impersonation, [AUTH_HEADERS.id]: alice.id },
    });
    assert.deepEqual([r3.status, errorCode(r3)], [401, 'auth.signature_invalid']);

    const stale = await headersFor(
      alice,
      'GET',
      '/devices',
      '',
      Date.now() - TIMESTAMP_WINDOW_MS - 5_000,
    );
    const r4 = await h.raw('GET', '/devices', { headers: stale });
    assert.deepEqual([r4.status, errorCode(r4)], [401, 'auth.expired']);
    const future = await headersFor(
      alice,
      'GET',
      '/devices',
      '',
      Date.now() + TIMESTAMP_WINDOW_MS + 5_000,
    );
    const r5 = await h.raw('GET', '/devices', { headers: future });
    assert.deepEqual([r5.status, errorCode(r5)], [401, 'auth.expired']);

    const stranger = await headersFor(mallory, 'GET', '/devices');
    const r6 = await h.raw('GET', '/devices', { headers: stranger });
    assert.deepEqual([r6.status, errorCode(r6)], [401, 'auth.unknown_id']);

    const garbled = await h.raw('GET', '/devices', {
      headers: {
        ...(await headersFor(alice, 'GET', '/devices')),
        [AUTH_HEADERS.signature]: 'not base64!',
      },
    });
    assert.deepEqual([garbled.status, errorCode(garbled)], [400, 'auth.malformed_header']);
  });

  it('a forged request does not burn the genuine request’s nonce', async () => {
    const genuine = await headersFor(alice, 'GET', '/devices');
    const forged = { ...genuine, [AUTH_HEADERS.signature]: Buffer.alloc(64, 7).toString('base64') };
    assert.equal((await h.raw('GET', '/devices', { headers: forged })).status, 401);
    assert.equal((await h.raw('GET', '/devices', { headers: genuine })).status, 200);
  });

  it('refuses every request of a revoked device (403 auth.device_revoked), even self-unlink again', async () => {
    const owner = await h.register();
    const laptop = await h.link(owner, 'laptop');
    assert.equal((await h.signed(laptop, 'GET', '/messages')).status, 200);
    const revoke = await h.signed(owner, 'DELETE', `/devices/${laptop.id}`);
    assert.equal(revoke.status, 200);
    for (const [method, path] of [
      ['GET', '/messages'],
      ['GET', '/devices'],
      ['DELETE', `/devices/${laptop.id}`],
      ['POST', '/conversations'],
    ] as const) {
      const r = await h.signed(
        laptop,
        method,
        path,
        method === 'POST' ? { members: [] } : undefined,
      );
      assert.deepEqual([r.status, errorCode(r)], [403, 'auth.device_revoked'], `${method} ${path}`);
    }
  });

  it('owner-only routes refuse linked devices (403 auth.forbidden)', async () => {
    const owner = await h.register();
    const tablet = await h.link(owner, 'tablet');
    for (const [method, path, body] of [
      ['POST', '/pair/init', {}],
      ['GET', '/pair/pending', undefined],
      ['POST', '/pair/reject', { token: 'ABCDEFGH' }],
    ] as const) {
      const r = await h.signed(tablet, method, path, body);
      assert.deepEqual([r.status, errorCode(r)], [403, 'auth.forbidden'], path);
    }
  });
});
