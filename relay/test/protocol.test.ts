import assert from 'node:assert/strict';
import { createPrivateKey, sign } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  base64DecodedLength,
  base64ToBytes,
  bytesToBase64,
  deviceCertificatePayload,
  deviceFingerprint,
  ERROR_CODES,
  identityKeyPayload,
  isAcceptableEd25519PublicKey,
  isCanonicalBase64,
  lastResortPreKeyPayload,
  moltbotIdFromPublicKey,
  normalizePairingToken,
  PAIRING_TOKEN_ALPHABET,
  signedPreKeyPayload,
  signRequest,
  validateSendMessage,
} from '../src/protocol/index.ts';
import { DEFAULT_LIMITS } from '../src/protocol/limits.ts';

// RFC 8032 §7.1 TEST 1 (the vector docs/moltdm.md quotes).
const SECRET = Buffer.from(
  '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  'hex',
);
const PUBLIC = Buffer.from(
  'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  'hex',
);
const KEY = createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), SECRET]),
  format: 'der',
  type: 'pkcs8',
});
const rfcSign = (m: Uint8Array) => new Uint8Array(sign(null, m, KEY));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const COUNTING = new Uint8Array(32).map((_, i) => i);

describe('protocol module (shared with clients)', () => {
  it('imports nothing from node: — it must load in a browser', () => {
    const dir = new URL('../src/protocol/', import.meta.url).pathname;
    const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) =>
      f.endsWith('.ts'),
    );
    assert.ok(files.length > 10);
    for (const f of files) {
      const src = readFileSync(join(dir, f), 'utf8');
      for (const m of src.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        const spec = m[1] as string;
        assert.ok(
          spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('@noble/hashes/'),
          `${f} imports ${spec}`,
        );
        assert.ok(!spec.startsWith('../') || !spec.includes('..//'), spec);
        assert.ok(!spec.includes('server') && !spec.includes('store'), `${f} reaches ${spec}`);
      }
      assert.doesNotMatch(src, /\bBuffer\b|process\./, `${f} uses a Node global`);
    }
  });

  it('signRequest reproduces the documented known-answer signature', async () => {
    const headers = await signRequest({
      id: moltbotIdFromPublicKey(PUBLIC),
      sign: rfcSign,
      method: 'POST',
      pathWithQuery: '/messages?wait=30',
      body: new TextEncoder().encode(
        '{"toId":"0123456789abcdef0123456789abcdef","ciphertexts":[]}',
      ),
      nowMs: 1_800_000_000_000,
      nonce: 'AAAAAAAAAAAAAAAAAAAAAAAA',
    });
    assert.deepEqual(headers, {
      'x-moltbot-id': '1e40b957c44c6f98b2f1a3fdfcae17d0',
      'x-timestamp': '1800000000000',
      'x-nonce': 'AAAAAAAAAAAAAAAAAAAAAAAA',
      'x-signature':
        '8o3zDB+ly0ORly2TeXJViqw38fdD76Gv/Fi8I7EfrzipHSkpWPQEaTOrp00h4Fs9oZkHyLXzZxdQ2e9re7XGCQ==',
    });
  });

  it('signRequest makes a fresh 24-character nonce per call', async () => {
    const a = await signRequest({
      id: 'a'.repeat(32),
      sign: rfcSign,
      method: 'GET',
      pathWithQuery: '/x',
    });
    const b = await signRequest({
      id: 'a'.repeat(32),
      sign: rfcSign,
      method: 'GET',
      pathWithQuery: '/x',
    });
    assert.match(a['x-nonce'], /^[A-Za-z0-9_-]{24}$/);
    assert.notEqual(a['x-nonce'], b['x-nonce']);
  });

  it('signature payloads are the documented bytes (frozen vectors)', () => {
    assert.equal(
      hex(identityKeyPayload(COUNTING)),
      `${hex(new TextEncoder().encode('moltdm/identity-key/v1'))}00${hex(COUNTING)}`,
    );
    assert.equal(
      hex(signedPreKeyPayload(7, COUNTING)),
      `6d6f6c74646d2f7369676e65642d7072656b65792f76310000000007${hex(COUNTING)}`,
    );
    assert.equal(
      hex(lastResortPreKeyPayload(0xfffffff0, COUNTING)),
      `6d6f6c74646d2f6c6173742d7265736f72742d7072656b65792f763100fffffff0${hex(COUNTING)}`,
    );
    const cert = deviceCertificatePayload({
      moltbotId: moltbotIdFromPublicKey(PUBLIC),
      deviceId: '0123456789abcdef0123456789abcdef',
      signingKey: new Uint8Array(32).fill(1),
      identityKey: COUNTING,
    });
    assert.equal(
      hex(cert),
      `${hex(new TextEncoder().encode('moltdm/device-certificate/v1'))}00` +
        `1e40b957c44c6f98b2f1a3fdfcae17d00123456789abcdef0123456789abcdef${'01'.repeat(32)}${hex(COUNTING)}`,
    );
    // Ed25519 is deterministic: the RFC key's signatures over these payloads are fixed too.
    assert.equal(
      bytesToBase64(rfcSign(signedPreKeyPayload(7, COUNTING))),
      'uKBYt15ik0dYMXVhoLVTJ+tybLLxSuWN71u4osaqnsVgOlW9VirDS0vUMt5QB5xokXn6Xas2o5wjHgChCLr7Bg==',
    );
    assert.equal(
      bytesToBase64(rfcSign(cert)),
      'A6xcaJl1XzZACo/b9zh3NXT5DUXMtFsC17mHad2/eEK9YlCaas3MEgvLfWVtba6Vr63LwbjNAKw23XbO92R0CA==',
    );
    assert.equal(
      deviceFingerprint(PUBLIC, COUNTING),
      'e821 d92a 4b61 bc2f f2c9 6a15 51b5 49a4 1010 fb6e',
    );
  });

  it('payload builders refuse wrong sizes and ids', () => {
    assert.throws(() => identityKeyPayload(new Uint8Array(31)), RangeError);
    assert.throws(() => signedPreKeyPayload(-1, COUNTING), RangeError);
    assert.throws(() => signedPreKeyPayload(2 ** 32, COUNTING), RangeError);
    assert.throws(
      () =>
        deviceCertificatePayload({
          moltbotId: 'XYZ',
          deviceId: '0'.repeat(32),
          signingKey: COUNTING,
          identityKey: COUNTING,
        }),
      RangeError,
    );
  });

  it('payloads of different purposes never share bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (id, key) => {
          const all = [
            identityKeyPayload(key),
            signedPreKeyPayload(id, key),
            lastResortPreKeyPayload(id, key),
          ].map(hex);
          assert.equal(new Set(all).size, 3);
        },
      ),
    );
  });

  it('base64: encode/decode round-trips and matches Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const s = bytesToBase64(bytes);
        assert.equal(s, Buffer.from(bytes).toString('base64'));
        assert.deepEqual(base64ToBytes(s), bytes);
        assert.equal(base64DecodedLength(s), bytes.length);
      }),
      { numRuns: 500 },
    );
  });

  it('base64: only the canonical spelling is accepted', () => {
    for (const bad of [
      'A',
      'AA',
      'AAA',
      'AB==',
      'AAB=',
      'AA=A',
      ' AAA',
      'AA\nAA',
      'AA-_',
      'AA==AA==',
      'é===',
    ]) {
      assert.equal(isCanonicalBase64(bad), false, bad);
      assert.throws(() => base64ToBytes(bad), RangeError);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        // Whatever we accept re-encodes to itself.
        if (isCanonicalBase64(s)) assert.equal(bytesToBase64(base64ToBytes(s)), s);
      }),
      { numRuns: 1000 },
    );
  });

  it('small-order and non-canonical Ed25519 keys are refused, real keys never', () => {
    const bad = [
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0000000000000000000000000000000000000000000000000000000000000080',
      '0100000000000000000000000000000000000000000000000000000000000000',
      '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
      'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ];
    for (const h of bad)
      assert.equal(isAcceptableEd25519PublicKey(Buffer.from(h, 'hex')), false, h);
    assert.equal(isAcceptableEd25519PublicKey(PUBLIC), true);
    assert.equal(isAcceptableEd25519PublicKey(new Uint8Array(31)), false);
  });

  it('pairing tokens: unambiguous alphabet, case-insensitive input', () => {
    assert.equal(PAIRING_TOKEN_ALPHABET.length, 31);
    for (const c of '01ILOilo') assert.ok(!PAIRING_TOKEN_ALPHABET.includes(c));
    assert.equal(normalizePairingToken('abcd2345'), 'ABCD2345');
    assert.equal(normalizePairingToken('ABCD234O'), null);
    assert.equal(normalizePairingToken('ABCD23456'), null);
  });

  it('validators name the offending field and separate bad base64 from bad shape', () => {
    const item = { toDeviceId: 'a'.repeat(32), type: 'ratchet', ciphertext: 'AAAA' };
    const ok = validateSendMessage(
      { conversationId: 'b'.repeat(32), clientMessageId: 'm-1', items: [item] },
      DEFAULT_LIMITS,
    );
    assert.equal(ok.ok, true);
    const bad64 = validateSendMessage(
      {
        conversationId: 'b'.repeat(32),
        clientMessageId: 'm',
        items: [{ ...item, ciphertext: 'AAB=' }],
      },
      DEFAULT_LIMITS,
    );
    assert.deepEqual(bad64.ok ? null : [bad64.code, bad64.field], [
      'request.bad_base64',
      'items[0].ciphertext',
    ]);
    const extra = validateSendMessage(
      { conversationId: 'b'.repeat(32), clientMessageId: 'm', items: [item], expiresAT: 5 },
      DEFAULT_LIMITS,
    );
    assert.deepEqual(extra.ok ? null : [extra.code, extra.field], [
      'request.invalid_body',
      'expiresAT',
    ]);
    const type = validateSendMessage(
      {
        conversationId: 'b'.repeat(32),
        clientMessageId: 'm',
        items: [{ ...item, type: 'plaintext' }],
      },
      DEFAULT_LIMITS,
    );
    assert.equal(type.ok ? null : type.field, 'items[0].type');
  });

  it('every error code maps to a 4xx, except the two server-side ones', () => {
    for (const [code, status] of Object.entries(ERROR_CODES)) {
      if (code === 'internal' || code === 'server.shutting_down') assert.ok(status >= 500);
      else assert.ok(status >= 400 && status < 500, code);
    }
  });
});
