import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { AUTH_HEADERS, ERROR_CODES, type ErrorCode, signRequest } from '../src/protocol/index.ts';
import { dbDigest } from './helpers/dbDigest.ts';
import type { TestDevice } from './helpers/keys.ts';
import { errorCode, Harness } from './helpers/relayHarness.ts';

let h: Harness;
let alice: TestDevice;
let bob: TestDevice;
let conv: string;
before(async () => {
  h = await Harness.start({ limits: { maxBodyBytes: 4096, maxMessageBodyBytes: 8192 } });
  alice = await h.register();
  bob = await h.register();
  conv = await h.conversation(alice, [bob]);
});
after(() => h.destroy());

/** node:http, so any method, header and body bytes can be sent (fetch normalises some). */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Uint8Array,
  chunked = false,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(h.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        method,
        path,
        headers: chunked ? headers : { ...headers, 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    if (chunked) {
      for (let i = 0; i < body.length; i += 1000) req.write(body.subarray(i, i + 1000));
      req.end();
    } else req.end(body);
  });
}

async function signedSend(path: string, method: string, body: Uint8Array, device = alice) {
  const headers = await signRequest({
    id: device.id,
    sign: (m) => device.sign(m),
    method,
    pathWithQuery: path,
    body,
  });
  return send(method, path, { ...headers, 'content-type': 'application/json' }, body);
}

const codeOf = (r: { body: string }) =>
  (JSON.parse(r.body) as { error: { code: string } }).error.code;
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('bad input gets a 4xx with a stable code', () => {
  it('malformed JSON, invalid UTF-8, wrong types, bad base64', async () => {
    const cases: [Uint8Array, string][] = [
      [utf8('{"conversationId":'), 'request.malformed_json'],
      [new Uint8Array([0x7b, 0xff, 0x7d]), 'request.malformed_json'],
      [utf8('[]'), 'request.invalid_body'],
      [utf8(`{"conversationId":"${conv}","clientMessageId":5,"items":[]}`), 'request.invalid_body'],
      [
        utf8(
          `{"conversationId":"${conv}","clientMessageId":"x","items":[{"toDeviceId":"${bob.id}","type":"ratchet","ciphertext":"AA=="}]}`.replace(
            'AA==',
            'A===',
          ),
        ),
        'request.bad_base64',
      ],
    ];
    for (const [body, code] of cases) {
      const r = await signedSend('/messages', 'POST', body);
      assert.deepEqual([r.status, codeOf(r)], [400, code], new TextDecoder().decode(body));
    }
  });

  it('oversized bodies are cut off while streaming (Content-Length or chunked)', async () => {
    const big = new Uint8Array(9000).fill(0x20);
    const declared = await signedSend('/messages', 'POST', big);
    assert.deepEqual([declared.status, codeOf(declared)], [413, 'request.body_too_large']);
    const headers = await signRequest({
      id: alice.id,
      sign: (m) => alice.sign(m),
      method: 'POST',
      pathWithQuery: '/messages',
      body: big,
    });
    const chunked = await send('POST', '/messages', headers, big, true);
    assert.deepEqual([chunked.status, codeOf(chunked)], [413, 'request.body_too_large']);
    const smallRoute = await signedSend('/blocks', 'POST', new Uint8Array(5000).fill(0x20));
    assert.equal(smallRoute.status, 413);
  });

  it('unknown routes, wrong methods, malformed path parameters and request targets', async () => {
    const nf = await send('GET', '/nope', {}, new Uint8Array());
    assert.deepEqual([nf.status, codeOf(nf)], [404, 'request.not_found']);
    const put = await send('PUT', '/messages', {}, new Uint8Array());
    assert.deepEqual([put.status, codeOf(put)], [405, 'request.method_not_allowed']);
    assert.equal(put.headers.allow, 'GET, POST');
    const badId = await send('GET', '/identity/XYZ', {}, new Uint8Array());
    assert.deepEqual([badId.status, codeOf(badId)], [400, 'request.invalid_path']);
    const badToken = await send('GET', '/pair/status/ABCDEFG0', {}, new Uint8Array());
    assert.deepEqual([badToken.status, codeOf(badToken)], [400, 'request.invalid_path']);
    const absolute = await new Promise<string>((resolve) => {
      const { port } = new URL(h.url);
      const s = connect(Number(port), '127.0.0.1', () => {
        s.write('GET http://evil.example/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      });
      let out = '';
      s.on('data', (d) => {
        out += d.toString();
      });
      s.on('close', () => resolve(out));
    });
    assert.match(absolute, /^HTTP\/1\.1 400/);
    assert.match(absolute, /request\.invalid_path/);
  });

  it('fast-check: malformed requests never crash the relay nor change what it stores', async () => {
    const before = dbDigest(h.dbPath);
    const ids = [alice.id, bob.id, conv, 'f'.repeat(32)];
    const routes: [string, string][] = [
      ['POST', '/identity/register'],
      ['GET', `/identity/${bob.id}`],
      ['GET', `/identity/${alice.id}/prekeys`],
      ['POST', `/identity/${alice.id}/prekeys`],
      ['POST', `/identity/${alice.id}/devices/${alice.id}/prekeys`],
      ['POST', '/pair/init'],
      ['POST', '/pair/request'],
      ['GET', '/pair/pending'],
      ['POST', '/pair/approve'],
      ['POST', '/pair/reject'],
      ['GET', '/pair/status/ABCDEFGH'],
      ['POST', '/messages'],
      ['POST', '/messages'],
      ['POST', '/messages'],
      ['GET', '/messages'],
      ['POST', '/messages/ack'],
      ['DELETE', `/messages/${'a'.repeat(32)}`],
      ['GET', '/devices'],
      ['DELETE', `/devices/${bob.id}`],
      ['POST', '/conversations'],
      ['GET', '/conversations'],
      ['GET', `/conversations/${conv}`],
      ['POST', `/conversations/${conv}/members`],
      ['DELETE', `/conversations/${conv}/members/${bob.id}`],
      ['POST', `/conversations/${conv}/leave`],
      ['POST', '/blocks'],
      ['GET', '/blocks'],
      ['DELETE', `/blocks/${bob.id}`],
      ['POST', '/attachments'],
      ['GET', `/attachments/${'a'.repeat(32)}`],
      ['DELETE', `/attachments/${'a'.repeat(32)}`],
    ];
    const routeArb = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...routes) },
      {
        weight: 1,
        arbitrary: fc.tuple(
          fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH'),
          fc
            .tuple(
              fc.constantFrom(
                'identity',
                'pair',
                'messages',
                'devices',
                'conversations',
                'blocks',
                'x',
              ),
              fc.string({ maxLength: 12 }),
            )
            .map(([a, b]) => `/${a}/${encodeURIComponent(b)}`),
        ),
      },
    );
    // Bodies that no route accepts: each is wrong in one way a parser must catch.
    const ciphertext = fc.oneof(
      fc.base64String({ minLength: 4, maxLength: 40 }),
      fc.constantFrom('AB==', 'A', '@@@@', ''),
    );
    const poisonedBody = fc
      .oneof(
        // message-shaped, with one bad item (bad base64, unknown type, bad id) or a bad top field
        fc
          .record({
            conversationId: fc.constantFrom(...ids, 'zz'),
            clientMessageId: fc.oneof(
              fc.constant('ok-1'),
              fc.string({ maxLength: 70 }),
              fc.integer(),
            ),
            items: fc.array(
              fc.record({
                toDeviceId: fc.constantFrom(...ids),
                type: fc.constantFrom('ratchet', 'prekey', 'bogus'),
                ciphertext,
              }),
              { maxLength: 3 },
            ),
          })
          .map((v) => ({
            ...v,
            items: [...v.items, { toDeviceId: bob.id, type: 'ratchet', ciphertext: 'AB==' }],
          })),
        // register-shaped with a non-canonical key
        fc.record({
          publicKey: fc.constantFrom('AB==', 'A'.repeat(43)),
          device: fc.jsonValue({ maxDepth: 2 }),
        }),
        // an object with a field nobody knows
        fc
          .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
          .map((o) => ({
            ...o,
            zzFuzz: 1,
          })),
        // not an object at all
        fc.oneof(
          fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
          fc.integer(),
          fc.string(),
          fc.constant(null),
        ),
      )
      .map((v) => JSON.stringify(v));
    const body = fc.oneof(
      poisonedBody,
      poisonedBody.map((b) => b.slice(0, Math.max(1, b.length - 2))), // truncated: malformed JSON
      fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    const headerMode = fc.constantFrom(
      'none',
      'garbage',
      'forged',
      'expired',
      'signed',
      'signed',
      'signed',
    );
    await fc.assert(
      fc.asyncProperty(
        routeArb,
        fc.oneof(
          { weight: 3, arbitrary: fc.constant('') },
          {
            weight: 1,
            arbitrary: fc.constantFrom(
              '?after=-1',
              '?zzFuzz=1',
              '?wait=99',
              '?limit=abc',
              '?device=x',
              '?after=1&after=2',
            ),
          },
        ),
        body,
        headerMode,
        fc.string({ maxLength: 20 }),
        async ([method, path], query, rawBody, mode, junk) => {
          // GET and DELETE routes take no body: poison their query instead, most of the time.
          // Bodyless routes (and raw attachment uploads) get a poisoned query instead, and now
          // and then a body they do not take.
          const bodyless = method === 'GET' || method === 'DELETE' || path === '/attachments';
          const target = path + (bodyless ? query || '?zzFuzz=1' : query);
          const bytes = utf8(bodyless && junk.length % 3 !== 0 ? '' : rawBody);
          let headers: Record<string, string> = {};
          if (mode === 'garbage') {
            headers = {
              [AUTH_HEADERS.id]: encodeURIComponent(junk),
              [AUTH_HEADERS.timestamp]: encodeURIComponent(junk),
              [AUTH_HEADERS.nonce]: 'n'.repeat(20),
              [AUTH_HEADERS.signature]: encodeURIComponent(junk),
            };
          } else if (mode !== 'none') {
            const at = mode === 'expired' ? Date.now() - 600_000 : Date.now();
            headers = await signRequest({
              id: alice.id,
              sign: (m) => alice.sign(m),
              method,
              pathWithQuery: target,
              body: bytes,
              nowMs: at,
            });
            if (mode === 'forged')
              headers[AUTH_HEADERS.signature] = Buffer.alloc(64, 1).toString('base64');
          }
          const r = await send(method, target, headers, bytes);
          assert.ok(
            r.status >= 400 && r.status < 500,
            `${method} ${target} [${mode}] → ${r.status} ${r.body}`,
          );
          const code = codeOf(r) as ErrorCode;
          assert.ok(Object.hasOwn(ERROR_CODES, code), code);
          assert.equal(ERROR_CODES[code], r.status, code);
        },
      ),
      { numRuns: 1000 },
    );
    const health = await h.raw('GET', '/health');
    assert.equal(health.status, 200, 'the relay is still up');
    assert.equal(dbDigest(h.dbPath), before, 'stored state is unchanged');
    // And it still works.
    const ok = await h.signed(alice, 'GET', '/conversations');
    assert.equal(ok.status, 200);
    assert.equal(errorCode(ok), undefined);
  });
});
