import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bytesToBase64, deviceFingerprint, PAIRING_TOKEN_ALPHABET } from '../src/protocol/index.ts';
import type {
  DevicesResponse,
  PairInitResponse,
  PairPendingResponse,
  PairStatusResponse,
} from '../src/protocol/wireTypes.ts';
import { TestDevice } from './helpers/keys.ts';
import { errorCode, Harness } from './helpers/relayHarness.ts';

let h: Harness;
before(async () => {
  h = await Harness.start({
    clock: true,
    limits: { rates: { pairingGuessPerAddress: { limit: 3, windowMs: 60_000 } } },
  });
});
after(() => h.destroy());

const requestBody = (token: string, device: TestDevice, name = 'Firefox on Linux') => ({
  token,
  name,
  device: { signingKey: bytesToBase64(device.signingKey), ...device.keys(2) },
});

async function init(owner: TestDevice, body: object = {}) {
  const r = await h.signed(owner, 'POST', '/pair/init', body);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json as PairInitResponse;
}

const status = async (token: string) => h.raw('GET', `/pair/status/${token}`);

describe('device pairing', () => {
  it('full flow: token → request → pending (fingerprint) → explicit approve → status → device active', async () => {
    const owner = await h.register();
    const t = await init(owner);
    assert.match(t.token, new RegExp(`^[${PAIRING_TOKEN_ALPHABET}]{8}$`));
    assert.equal(t.url, `${h.url}/pair/${t.token}`);
    assert.equal(t.expiresAt, h.now() + 600_000, 'default TTL is 10 minutes');
    assert.deepEqual((await status(t.token)).json, { status: 'pending', expiresAt: t.expiresAt });

    const browser = new TestDevice();
    const req = await h.raw('POST', '/pair/request', {
      body: requestBody(t.token.toLowerCase(), browser),
    });
    assert.equal(req.status, 200);
    const fingerprint = deviceFingerprint(browser.signingKey, browser.identityKey);
    assert.deepEqual(req.json, {
      status: 'submitted',
      deviceId: browser.id,
      fingerprint,
      expiresAt: t.expiresAt,
    });

    // Nothing happens until the owner approves: never automatic.
    assert.deepEqual((await status(t.token)).json, { status: 'submitted', expiresAt: t.expiresAt });
    assert.equal((await h.signed(browser, 'GET', '/messages')).status, 401);
    const pending = (await h.signed(owner, 'GET', '/pair/pending')).json as PairPendingResponse;
    assert.equal(pending.requests.length, 1);
    assert.deepEqual(
      {
        token: pending.requests[0]?.token,
        deviceId: pending.requests[0]?.deviceId,
        name: pending.requests[0]?.name,
        fingerprint: pending.requests[0]?.fingerprint,
      },
      { token: t.token, deviceId: browser.id, name: 'Firefox on Linux', fingerprint },
    );

    const linkBundle = bytesToBase64(
      new TextEncoder().encode('ciphertext-to-the-device-x25519-key'),
    );
    const certificate = owner.certify(owner.id, browser);
    const ok = await h.signed(owner, 'POST', '/pair/approve', {
      token: t.token,
      certificate,
      linkBundle,
    });
    assert.deepEqual([ok.status, ok.json], [200, { status: 'approved', deviceId: browser.id }]);

    const approved = (await status(t.token)).json as PairStatusResponse;
    assert.deepEqual(approved, {
      status: 'approved',
      expiresAt: t.expiresAt,
      moltbotId: owner.id,
      deviceId: browser.id,
      certificate,
      linkBundle,
    });
    // A device that polls after the TTL still gets the link its owner approved.
    (h.clock as { now: number }).now = t.expiresAt + 1;
    assert.deepEqual((await status(t.token)).json, approved);
    assert.equal((await h.signed(browser, 'GET', '/messages')).status, 200);
    const devices = (await h.signed(browser, 'GET', '/devices')).json as DevicesResponse;
    assert.deepEqual(
      devices.devices.map((d) => [d.deviceId, d.kind, d.name]),
      [
        [owner.id, 'primary', null],
        [browser.id, 'linked', 'Firefox on Linux'],
      ],
    );
    assert.deepEqual((await h.signed(owner, 'GET', '/pair/pending')).json, { requests: [] });
  });

  it('status never carries secrets: only public keys, ids and the owner-supplied ciphertext', async () => {
    const owner = await h.register();
    const t = await init(owner);
    const device = new TestDevice();
    await h.raw('POST', '/pair/request', { body: requestBody(t.token, device) });
    const before = (await status(t.token)).json as Record<string, unknown>;
    assert.deepEqual(
      Object.keys(before).sort(),
      ['expiresAt', 'status'],
      'no moltbot id before approval',
    );
    const linkBundle = bytesToBase64(new Uint8Array(48).fill(0xab));
    await h.signed(owner, 'POST', '/pair/approve', {
      token: t.token,
      certificate: owner.certify(owner.id, device),
      linkBundle,
    });
    const after = (await status(t.token)).json as Record<string, unknown>;
    assert.deepEqual(Object.keys(after).sort(), [
      'certificate',
      'deviceId',
      'expiresAt',
      'linkBundle',
      'moltbotId',
      'status',
    ]);
    assert.equal(
      after.linkBundle,
      linkBundle,
      'the bundle is returned exactly as the owner encrypted it',
    );
  });

  it('tokens are single-use: a second device, a second approval, or a reuse after rejection fail', async () => {
    const owner = await h.register();
    const t = await init(owner);
    const first = new TestDevice();
    assert.equal(
      (await h.raw('POST', '/pair/request', { body: requestBody(t.token, first) })).status,
      200,
    );
    const second = await h.raw('POST', '/pair/request', {
      body: requestBody(t.token, new TestDevice()),
    });
    assert.deepEqual([second.status, errorCode(second)], [409, 'pair.token_used']);
    const approve = {
      token: t.token,
      certificate: owner.certify(owner.id, first),
      linkBundle: 'AAAA',
    };
    assert.equal((await h.signed(owner, 'POST', '/pair/approve', approve)).status, 200);
    const again = await h.signed(owner, 'POST', '/pair/approve', approve);
    assert.deepEqual([again.status, errorCode(again)], [409, 'pair.token_used']);

    const t2 = await init(owner);
    await h.raw('POST', '/pair/request', { body: requestBody(t2.token, new TestDevice()) });
    const rejected = await h.signed(owner, 'POST', '/pair/reject', { token: t2.token });
    assert.deepEqual([rejected.status, rejected.json], [200, { status: 'rejected' }]);
    assert.equal(((await status(t2.token)).json as PairStatusResponse).status, 'rejected');
    const reuse = await h.raw('POST', '/pair/request', {
      body: requestBody(t2.token, new TestDevice()),
    });
    assert.deepEqual([reuse.status, errorCode(reuse)], [409, 'pair.token_used']);
    const lateApprove = await h.signed(owner, 'POST', '/pair/approve', {
      ...approve,
      token: t2.token,
    });
    assert.deepEqual([lateApprove.status, errorCode(lateApprove)], [409, 'pair.token_used']);
  });

  it('approval needs a submitted device and the owner’s valid certificate over it', async () => {
    const owner = await h.register();
    const t = await init(owner);
    const early = await h.signed(owner, 'POST', '/pair/approve', {
      token: t.token,
      certificate: bytesToBase64(new Uint8Array(64)),
      linkBundle: 'AAAA',
    });
    assert.deepEqual([early.status, errorCode(early)], [409, 'pair.not_submitted']);
    const device = new TestDevice();
    await h.raw('POST', '/pair/request', { body: requestBody(t.token, device) });
    const wrongDevice = owner.certify(owner.id, new TestDevice());
    const bad = await h.signed(owner, 'POST', '/pair/approve', {
      token: t.token,
      certificate: wrongDevice,
      linkBundle: 'AAAA',
    });
    assert.deepEqual([bad.status, errorCode(bad)], [400, 'pair.certificate_invalid']);
    const stranger = await h.register();
    const notMine = await h.signed(stranger, 'POST', '/pair/approve', {
      token: t.token,
      certificate: stranger.certify(stranger.id, device),
      linkBundle: 'AAAA',
    });
    assert.deepEqual([notMine.status, errorCode(notMine)], [404, 'pair.token_not_found']);
    assert.equal(((await status(t.token)).json as PairStatusResponse).status, 'submitted');
  });

  it('a device must prove its key: a bundle with a bad self-signature is refused', async () => {
    const owner = await h.register();
    const t = await init(owner);
    const device = new TestDevice();
    const body = requestBody(t.token, device);
    const forged = {
      ...body,
      device: { ...body.device, signingKey: bytesToBase64(new TestDevice().signingKey) },
    };
    const r = await h.raw('POST', '/pair/request', { body: forged });
    assert.deepEqual([r.status, errorCode(r)], [400, 'keys.signature_invalid']);
    const dupKeys = requestBody(t.token, device);
    const otk = dupKeys.device.oneTimePreKeys[0];
    const dup = await h.raw('POST', '/pair/request', {
      body: { ...dupKeys, device: { ...dupKeys.device, oneTimePreKeys: [otk, otk] } },
    });
    assert.deepEqual([dup.status, errorCode(dup)], [409, 'keys.duplicate_prekey_id']);
    const registered = await h.raw('POST', '/pair/request', {
      body: { ...requestBody(t.token, owner) },
    });
    assert.deepEqual([registered.status, errorCode(registered)], [409, 'pair.device_exists']);
  });

  it('tokens expire (TTL ≤ 1 h, default 10 min); expired tokens accept nothing', async () => {
    const owner = await h.register();
    const tooLong = await h.signed(owner, 'POST', '/pair/init', { expiresInSeconds: 3601 });
    assert.deepEqual([tooLong.status, errorCode(tooLong)], [400, 'request.invalid_body']);
    const t = await init(owner, { expiresInSeconds: 60 });
    assert.equal(t.expiresAt, h.now() + 60_000);
    const device = new TestDevice();
    await h.raw('POST', '/pair/request', { body: requestBody(t.token, device) });
    (h.clock as { now: number }).now += 60_001;
    assert.equal(((await status(t.token)).json as PairStatusResponse).status, 'expired');
    const late = await h.signed(owner, 'POST', '/pair/approve', {
      token: t.token,
      certificate: owner.certify(owner.id, device),
      linkBundle: 'AAAA',
    });
    assert.deepEqual([late.status, errorCode(late)], [410, 'pair.token_expired']);
    const t2 = await init(owner);
    (h.clock as { now: number }).now += 600_001;
    const r = await h.raw('POST', '/pair/request', {
      body: requestBody(t2.token, new TestDevice()),
    });
    assert.deepEqual([r.status, errorCode(r)], [410, 'pair.token_expired']);
    assert.deepEqual((await h.signed(owner, 'GET', '/pair/pending')).json, { requests: [] });
  });

  it('wrong token guesses are rate limited per address (429 + Retry-After), right ones are not', async () => {
    const owner = await h.register();
    const t = await init(owner);
    const guesses = ['ZZZZZZZ2', 'ZZZZZZZ3', 'ZZZZZZZ4'];
    for (const g of guesses) {
      const r = await status(g);
      assert.deepEqual([r.status, errorCode(r)], [404, 'pair.token_not_found']);
    }
    const limited = await h.raw('POST', '/pair/request', {
      body: requestBody('ZZZZZZZ5', new TestDevice()),
    });
    assert.deepEqual([limited.status, errorCode(limited)], [429, 'rate_limited']);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal(
      (limited.json as { error: { limit: string } }).error.limit,
      'pairingGuessPerAddress',
    );
    // While the address is blocked even the right token waits; the window then reopens.
    assert.equal((await status(t.token)).status, 429);
    (h.clock as { now: number }).now += 60_000;
    assert.equal((await status(t.token)).status, 200);
  });
});
