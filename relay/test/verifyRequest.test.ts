import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { nodeSigner } from '../src/nodeSigner.ts';
import {
  AUTH_HEADERS,
  canonicalRequest,
  moltbotIdFromPublicKey,
  signRequest,
  TIMESTAMP_WINDOW_MS,
} from '../src/protocol/index.ts';
import { verifyRequest } from '../src/server/auth/verifyRequest.ts';
import { SqliteNonceStore } from '../src/store/sqliteNonceStore.ts';

const dir = mkdtempSync(join(tmpdir(), 'molt-relay-'));
let now = 1_800_000_000_000;
const nonces = new SqliteNonceStore({ path: join(dir, 'relay.db') }, { nowMs: () => now });
after(() => {
  nonces.close();
  rmSync(dir, { recursive: true, force: true });
});

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32));
const id = moltbotIdFromPublicKey(raw);
const keys = new Map<string, KeyObject>([[id, publicKey]]);
const deps = { keys: async (k: string) => keys.get(k) ?? null, nonces, nowMs: () => now };
const body = new TextEncoder().encode('{"to":"x","ciphertext":"AAAA"}');

async function signed(
  overrides: Partial<{ method: string; path: string; body: Uint8Array; at: number }> = {},
) {
  const headers = await signRequest({
    id,
    sign: nodeSigner(privateKey),
    method: overrides.method ?? 'POST',
    pathWithQuery: overrides.path ?? '/messages?x=1',
    body: overrides.body ?? body,
    nowMs: overrides.at ?? now,
  });
  return { method: 'POST', pathWithQuery: '/messages?x=1', headers, body };
}

describe('MoltDM request authentication', () => {
  it('derives the moltbot id from the key (stable, 32 hex chars, differs per key)', () => {
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.equal(moltbotIdFromPublicKey(raw), id);
    assert.notEqual(moltbotIdFromPublicKey(new Uint8Array(32)), id);
  });

  it('accepts a signed request once and rejects its replay', async () => {
    const req = await signed();
    assert.deepEqual(await verifyRequest(req, deps), { ok: true, id });
    const again = await verifyRequest(req, deps);
    assert.equal(again.ok === false && again.code, 'auth.replayed');
  });

  it('binds method, path with query, and body: changing any one fails the signature', async () => {
    for (const change of [
      { method: 'PUT' },
      { pathWithQuery: '/messages?x=2' },
      { body: new TextEncoder().encode('{}') },
    ]) {
      const r = await verifyRequest({ ...(await signed()), ...change }, deps);
      assert.equal(r.ok === false && r.code, 'auth.signature_invalid');
    }
  });

  it('rejects stale timestamps, unknown ids and malformed headers with stable codes', async () => {
    const old = await verifyRequest(await signed({ at: now - TIMESTAMP_WINDOW_MS - 1 }), deps);
    assert.equal(old.ok === false && old.code, 'auth.expired');
    const r = await signed();
    const unknown = await verifyRequest(
      { ...r, headers: { ...r.headers, [AUTH_HEADERS.id]: 'f'.repeat(32) } },
      deps,
    );
    assert.equal(unknown.ok === false && unknown.code, 'auth.unknown_id');
    const padded = await verifyRequest(
      {
        ...r,
        headers: {
          ...r.headers,
          [AUTH_HEADERS.timestamp]: `0${r.headers[AUTH_HEADERS.timestamp]}`,
        },
      },
      deps,
    );
    assert.equal(
      padded.ok === false && padded.code,
      'auth.malformed_header',
      'only the canonical decimal form is signed',
    );
    const missing = await verifyRequest({ ...r, headers: {} }, deps);
    assert.deepEqual(missing.ok === false && [missing.status, missing.code], [
      400,
      'auth.missing_header',
    ]);
  });

  it('property: arbitrary header values never throw, they fail with a 4xx code', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(...Object.values(AUTH_HEADERS)),
          fc.string({ maxLength: 120 }),
        ),
        async (headers) => {
          const r = await verifyRequest(
            { method: 'GET', pathWithQuery: '/x', headers, body: new Uint8Array() },
            deps,
          );
          assert.equal(r.ok, false);
          if (!r.ok) assert.ok(r.status === 400 || r.status === 401);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the canonical string is the documented one, byte for byte', () => {
    const s = new TextDecoder().decode(
      canonicalRequest({
        method: 'get',
        pathWithQuery: '/a?b=c',
        timestamp: 5,
        nonce: 'n'.repeat(16),
        body: new Uint8Array(),
      }),
    );
    assert.equal(
      s,
      `MOLTDM-REQUEST-V1\nGET\n/a?b=c\n5\n${'n'.repeat(16)}\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
    );
  });

  it('sweeps nonces whose window has passed so the table stays bounded', async () => {
    assert.ok(await nonces.claim(id, 'sweep-me-please-123', now + 10));
    now += 11;
    assert.ok(nonces.sweepExpired() >= 1);
    assert.ok(
      await nonces.claim(id, 'sweep-me-please-123', now + 10),
      'a swept nonce can be claimed again',
    );
  });
});
