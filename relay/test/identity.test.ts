import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bytesToBase64, moltbotIdFromPublicKey } from '../src/protocol/index.ts';
import type { IdentityResponse, PreKeyStatusResponse } from '../src/protocol/wireTypes.ts';
import { TestDevice, x25519Public } from './helpers/keys.ts';
import { errorCode, Harness } from './helpers/relayHarness.ts';

let h: Harness;
before(async () => {
  h = await Harness.start({
    limits: { rates: { bundleFetch: { limit: 1000, windowMs: 60_000 } } },
  });
});
after(() => h.destroy());

const registerBody = (d: TestDevice, keys = d.keys()) => ({
  publicKey: bytesToBase64(d.signingKey),
  device: keys,
});

describe('identity registration', () => {
  it('registers a moltbot whose id is derived from its key (201), once', async () => {
    const d = new TestDevice();
    const r = await h.signed(d, 'POST', '/identity/register', registerBody(d));
    assert.equal(r.status, 201);
    assert.deepEqual(r.json, { moltbotId: d.id, deviceId: d.id, oneTimePreKeyCount: 5 });
    assert.equal(d.id, moltbotIdFromPublicKey(d.signingKey));
    const again = await h.signed(d, 'POST', '/identity/register', registerBody(d));
    assert.deepEqual([again.status, errorCode(again)], [409, 'identity.already_registered']);
  });

  it('must be signed by the key being registered', async () => {
    const d = new TestDevice();
    const other = new TestDevice();
    // Signed by another key, claiming the new id: the signature fails.
    const forged = await h.signed(
      Object.assign(Object.create(Object.getPrototypeOf(other)), other, { id: d.id }) as TestDevice,
      'POST',
      '/identity/register',
      registerBody(d),
    );
    assert.deepEqual([forged.status, errorCode(forged)], [401, 'auth.signature_invalid']);
    // Signed by another key under that key's own id: the ids do not match.
    const mismatch = await h.signed(other, 'POST', '/identity/register', registerBody(d));
    assert.deepEqual([mismatch.status, errorCode(mismatch)], [400, 'identity.id_mismatch']);
    const unsigned = await h.raw('POST', '/identity/register', { body: registerBody(d) });
    assert.deepEqual([unsigned.status, errorCode(unsigned)], [400, 'auth.missing_header']);
  });

  it('checks every key signature on upload, naming the field', async () => {
    const d = new TestDevice();
    const keys = d.keys();
    const cases: [string, object][] = [
      ['device.identityKeySignature', { ...keys, identityKey: bytesToBase64(x25519Public()) }],
      ['device.signedPreKey.signature', { ...keys, signedPreKey: { ...keys.signedPreKey, id: 2 } }],
      [
        'device.lastResortPreKey.signature',
        {
          ...keys,
          lastResortPreKey: { ...keys.lastResortPreKey, key: bytesToBase64(x25519Public()) },
        },
      ],
      // A signed pre-key signature is not valid as a last-resort one (domain separation).
      ['device.lastResortPreKey.signature', { ...keys, lastResortPreKey: keys.signedPreKey }],
    ];
    for (const [field, bad] of cases) {
      const r = await h.signed(d, 'POST', '/identity/register', {
        publicKey: bytesToBase64(d.signingKey),
        device: bad,
      });
      assert.deepEqual(
        [r.status, errorCode(r), (r.json as { error: { field: string } }).error.field],
        [400, 'keys.signature_invalid', field],
      );
    }
  });

  it('refuses small-order signing keys, for which a signature needs no private key', async () => {
    // Under the identity point, R = identity and S = 0 "signs" every message (node:crypto agrees).
    const identityPoint = new Uint8Array(32);
    identityPoint[0] = 1;
    const forger = Object.assign(Object.create(TestDevice.prototype) as TestDevice, {
      id: moltbotIdFromPublicKey(identityPoint),
      signingKey: identityPoint,
      sign: () => {
        const sig = new Uint8Array(64);
        sig[0] = 1;
        return sig;
      },
    });
    const keys = new TestDevice().keys(0);
    const r = await h.signed(forger, 'POST', '/identity/register', {
      publicKey: bytesToBase64(identityPoint),
      device: keys,
    });
    assert.deepEqual([r.status, errorCode(r)], [400, 'keys.weak_key']);
  });

  it('refuses repeated one-time pre-key ids', async () => {
    const d = new TestDevice();
    const keys = d.keys(2);
    const dup = { ...keys, oneTimePreKeys: [keys.oneTimePreKeys[0], keys.oneTimePreKeys[0]] };
    const r = await h.signed(d, 'POST', '/identity/register', registerBody(d, dup as typeof keys));
    assert.deepEqual([r.status, errorCode(r)], [409, 'keys.duplicate_prekey_id']);
  });
});

describe('pre-key bundles', () => {
  it('GET /identity pops one one-time pre-key per device, then falls back to the last-resort key', async () => {
    const bob = await h.register(new TestDevice(), 2);
    const alice = await h.register();
    const seen: number[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await h.signed(alice, 'GET', `/identity/${bob.id}`);
      assert.equal(r.status, 200);
      const body = r.json as IdentityResponse;
      assert.equal(body.moltbotId, bob.id);
      assert.equal(body.publicKey, bytesToBase64(bob.signingKey));
      const dev = body.devices[0];
      assert.ok(dev !== undefined && dev.preKey.kind === 'one_time');
      assert.equal(dev.kind, 'primary');
      assert.equal(dev.certificate, null);
      seen.push(dev.preKey.id);
    }
    assert.deepEqual(seen.sort(), [1, 2]);
    const empty = await h.signed(alice, 'GET', `/identity/${bob.id}`);
    const dev = (empty.json as IdentityResponse).devices[0];
    assert.ok(dev !== undefined && dev.preKey.kind === 'last_resort');
    assert.equal(dev.preKey.id, 0xffff_fff0);
    assert.equal(typeof dev.preKey.signature, 'string');
    const status = await h.signed(bob, 'GET', `/identity/${bob.id}/prekeys`);
    assert.equal((status.json as PreKeyStatusResponse).devices[0]?.oneTimePreKeyCount, 0);
  });

  it('includes linked devices with their certificate; ?device= selects one', async () => {
    const owner = await h.register();
    const phone = await h.link(owner, 'phone');
    const alice = await h.register();
    const all = (await h.signed(alice, 'GET', `/identity/${owner.id}`)).json as IdentityResponse;
    assert.deepEqual(
      all.devices.map((d) => [d.deviceId, d.kind, d.certificate === null]),
      [
        [owner.id, 'primary', true],
        [phone.id, 'linked', false],
      ],
    );
    const one = await h.signed(alice, 'GET', `/identity/${owner.id}?device=${phone.id}`);
    assert.deepEqual(
      (one.json as IdentityResponse).devices.map((d) => d.deviceId),
      [phone.id],
    );
    const none = await h.signed(alice, 'GET', `/identity/${owner.id}?device=${'e'.repeat(32)}`);
    assert.deepEqual([none.status, errorCode(none)], [404, 'device.not_found']);
    const unknown = await h.signed(alice, 'GET', `/identity/${'f'.repeat(32)}`);
    assert.deepEqual([unknown.status, errorCode(unknown)], [404, 'identity.not_found']);
    // A device never pops its own pre-key.
    const self = (await h.signed(owner, 'GET', `/identity/${owner.id}`)).json as IdentityResponse;
    assert.deepEqual(
      self.devices.map((d) => d.deviceId),
      [phone.id],
    );
  });

  it('replenishes and rotates pre-keys, checking signatures; only for the caller itself', async () => {
    const bob = await h.register(new TestDevice(), 0);
    const up = await h.signed(bob, 'POST', `/identity/${bob.id}/prekeys`, {
      oneTimePreKeys: bob.oneTimePreKeys(3),
      signedPreKey: bob.signedPreKey(2),
    });
    assert.equal(up.status, 200);
    assert.deepEqual(up.json, {
      deviceId: bob.id,
      oneTimePreKeyCount: 3,
      signedPreKeyId: 2,
      lastResortPreKeyId: 0xffff_fff0,
    });
    const perDevice = await h.signed(bob, 'POST', `/identity/${bob.id}/devices/${bob.id}/prekeys`, {
      lastResortPreKey: bob.lastResortPreKey(9),
    });
    assert.equal((perDevice.json as { lastResortPreKeyId: number }).lastResortPreKeyId, 9);
    const forgedSpk = { ...bob.signedPreKey(3), key: bytesToBase64(x25519Public()) };
    const bad = await h.signed(bob, 'POST', `/identity/${bob.id}/prekeys`, {
      signedPreKey: forgedSpk,
    });
    assert.deepEqual([bad.status, errorCode(bad)], [400, 'keys.signature_invalid']);
    const reused = await h.signed(bob, 'POST', `/identity/${bob.id}/prekeys`, {
      oneTimePreKeys: [{ id: 1, key: bytesToBase64(x25519Public()) }],
    });
    assert.deepEqual([reused.status, errorCode(reused)], [409, 'keys.duplicate_prekey_id']);
    const empty = await h.signed(bob, 'POST', `/identity/${bob.id}/prekeys`, {});
    assert.deepEqual([empty.status, errorCode(empty)], [400, 'request.invalid_body']);
    const mallory = await h.register();
    const other = await h.signed(mallory, 'POST', `/identity/${bob.id}/prekeys`, {
      oneTimePreKeys: mallory.oneTimePreKeys(1),
    });
    assert.deepEqual([other.status, errorCode(other)], [403, 'auth.forbidden']);
    const otherDevice = await h.signed(
      bob,
      'POST',
      `/identity/${bob.id}/devices/${mallory.id}/prekeys`,
      {
        oneTimePreKeys: bob.oneTimePreKeys(1),
      },
    );
    assert.deepEqual([otherDevice.status, errorCode(otherDevice)], [403, 'auth.forbidden']);
    const peek = await h.signed(mallory, 'GET', `/identity/${bob.id}/prekeys`);
    assert.deepEqual([peek.status, errorCode(peek)], [403, 'auth.forbidden']);
  });

  it('caps the pool (keys.pool_full says how much room is left)', async () => {
    const small = await Harness.start({ limits: { maxOneTimePreKeyPool: 4 } });
    try {
      const bob = await small.register(new TestDevice(), 3);
      const r = await small.signed(bob, 'POST', `/identity/${bob.id}/prekeys`, {
        oneTimePreKeys: bob.oneTimePreKeys(2),
      });
      assert.deepEqual([r.status, errorCode(r)], [409, 'keys.pool_full']);
      assert.match((r.json as { error: { message: string } }).error.message, /room for 1/);
    } finally {
      await small.destroy();
    }
  });
});
