import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signRequest } from '../src/protocol/index.ts';
import type { AttachmentResponse } from '../src/protocol/wireTypes.ts';
import type { TestDevice } from './helpers/keys.ts';
import { errorCode, Harness } from './helpers/relayHarness.ts';

let h: Harness;
before(async () => {
  h = await Harness.start({ clock: true, limits: { maxAttachmentBytes: 64 * 1024 } });
});
after(() => h.destroy());

async function fetchBytes(d: TestDevice, id: string) {
  const path = `/attachments/${id}`;
  const headers = await signRequest({
    id: d.id,
    sign: (m) => d.sign(m),
    method: 'GET',
    pathWithQuery: path,
    nowMs: h.now(),
  });
  const res = await fetch(h.url + path, { headers });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: new Uint8Array(await res.arrayBuffer()),
  };
}

describe('encrypted attachments', () => {
  it('upload raw ciphertext, fetch it back byte for byte from another device, delete it', async () => {
    const [a, b] = await Promise.all([h.register(), h.register()]);
    const blob = new Uint8Array(randomBytes(40_000));
    const up = await h.signed(a, 'POST', '/attachments?expiresInSeconds=3600', blob, {
      contentType: 'application/octet-stream',
    });
    assert.equal(up.status, 201);
    const meta = up.json as AttachmentResponse;
    assert.match(meta.id, /^[0-9a-f]{32}$/);
    assert.deepEqual([meta.size, meta.expiresAt], [40_000, h.now() + 3_600_000]);
    const got = await fetchBytes(b, meta.id);
    assert.deepEqual([got.status, got.type], [200, 'application/octet-stream']);
    assert.deepEqual(got.bytes, blob);
    const notOwner = await h.signed(b, 'DELETE', `/attachments/${meta.id}`);
    assert.deepEqual([notOwner.status, errorCode(notOwner)], [404, 'attachment.not_found']);
    assert.equal((await h.signed(a, 'DELETE', `/attachments/${meta.id}`)).status, 200);
    assert.equal((await fetchBytes(b, meta.id)).status, 404);
  });

  it('needs authentication, caps the size while streaming, and expires', async () => {
    const a = await h.register();
    const anon = await h.raw('GET', `/attachments/${'a'.repeat(32)}`);
    assert.deepEqual([anon.status, errorCode(anon)], [400, 'auth.missing_header']);
    const tooBig = await h.signed(a, 'POST', '/attachments', new Uint8Array(64 * 1024 + 1), {
      contentType: 'application/octet-stream',
    });
    assert.deepEqual([tooBig.status, errorCode(tooBig)], [413, 'request.body_too_large']);
    const empty = await h.signed(a, 'POST', '/attachments', new Uint8Array());
    assert.deepEqual([empty.status, errorCode(empty)], [400, 'request.invalid_body']);
    const badTtl = await h.signed(a, 'POST', '/attachments?expiresInSeconds=0', new Uint8Array(4));
    assert.deepEqual([badTtl.status, errorCode(badTtl)], [400, 'request.invalid_query']);
    const up = (await h.signed(a, 'POST', '/attachments?expiresInSeconds=10', new Uint8Array(8)))
      .json as AttachmentResponse;
    assert.equal((await fetchBytes(a, up.id)).status, 200);
    (h.clock as { now: number }).now += 10_000;
    assert.equal((await fetchBytes(a, up.id)).status, 404, 'hidden once expired');
    assert.ok((await h.server.sweep()).attachments >= 1, 'and swept');
  });
});
