import assert from 'node:assert/strict';
import { createHmac, hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ed25519, x25519 } from '@noble/curves/ed25519';
import { fromHex, toHex } from '../../../src/moltdm/crypto/bytes.ts';
import { PROVIDERS } from './providers.ts';
import { computeKdfVectors, VECTORS_PATH } from './vectors/generate.ts';

interface Frozen {
  root: { rootKey: string; dhOutput: string; nextRootKey: string; chainKey: string }[];
  chainStart: string;
  chain: { messageKey: string; nextChainKey: string }[];
  messageKey: string;
  expansions: { label: string; key: string; nonce: string }[];
  senderChainStart: string;
  senderKeyChain: { index: number; messageKey: string; key: string; nonce: string }[];
  x3dhKdf: { dhOutputs: string[]; sharedSecret: string }[];
  x3dh: {
    oneTimePreKey: boolean;
    initiatorSigningPrivate: string;
    initiatorIdentityPrivate: string;
    initiatorEphemeralPrivate: string;
    responderSigningPrivate: string;
    responderIdentityPrivate: string;
    signedPreKeyPrivate: string;
    oneTimePreKeyPrivate: string | null;
    sharedSecret: string;
    associatedData: string;
  }[];
}

const frozen = JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as Frozen;
const ZERO32 = Buffer.alloc(32);
const hkdf = (ikm: string | Buffer, salt: Buffer, info: string, length: number): string =>
  Buffer.from(
    hkdfSync('sha256', typeof ikm === 'string' ? Buffer.from(ikm, 'hex') : ikm, salt, info, length),
  ).toString('hex');
const hmac = (key: string, byte: number): string =>
  createHmac('sha256', Buffer.from(key, 'hex')).update(Buffer.of(byte)).digest('hex');

describe('frozen KDF vectors (sdk/test/moltdm/crypto/vectors/kdf.json)', () => {
  for (const p of PROVIDERS) {
    it(`${p.name}: recomputes every vector and the seeded transcript byte for byte`, async () => {
      // Any change to a label, a KDF, an encoding or the protocol flow fails here. To change one
      // deliberately, bump the wire/label version and regenerate (see vectors/generate.ts).
      assert.deepEqual(await computeKdfVectors(p), frozen);
    });
  }

  it('matches an independent reading of the documented definitions (node:crypto, noble)', () => {
    for (const r of frozen.root) {
      const okm = hkdf(r.dhOutput, Buffer.from(r.rootKey, 'hex'), 'moltdm/ratchet-root/v1', 64);
      assert.equal(okm, r.nextRootKey + r.chainKey);
    }
    let ck = frozen.chainStart;
    for (const step of frozen.chain) {
      assert.equal(hmac(ck, 1), step.messageKey);
      assert.equal(hmac(ck, 2), step.nextChainKey);
      ck = step.nextChainKey;
    }
    for (const e of frozen.expansions) {
      assert.equal(hkdf(frozen.messageKey, ZERO32, `moltdm/${e.label}/v1`, 44), e.key + e.nonce);
    }
    ck = frozen.senderChainStart;
    for (const s of frozen.senderKeyChain) {
      assert.equal(hmac(ck, 1), s.messageKey);
      assert.equal(hkdf(s.messageKey, ZERO32, 'moltdm/sender-key-message/v1', 44), s.key + s.nonce);
      ck = hmac(ck, 2);
    }
    for (const x of frozen.x3dhKdf) {
      const ikm = Buffer.concat([
        Buffer.alloc(32, 0xff),
        ...x.dhOutputs.map((d) => Buffer.from(d, 'hex')),
      ]);
      assert.equal(hkdf(ikm, ZERO32, 'moltdm/x3dh/v1', 32), x.sharedSecret);
    }
    assert.deepEqual(
      frozen.x3dh.map((x) => x.oneTimePreKey),
      [false, true],
    );
    for (const x of frozen.x3dh) {
      const k = (hex: string): Uint8Array => fromHex(hex);
      const dh = (a: string, b: Uint8Array): Uint8Array => x25519.getSharedSecret(k(a), b);
      const ikA = x25519.getPublicKey(k(x.initiatorIdentityPrivate));
      const ikB = x25519.getPublicKey(k(x.responderIdentityPrivate));
      const spk = x25519.getPublicKey(k(x.signedPreKeyPrivate));
      const dhs = [
        dh(x.initiatorIdentityPrivate, spk), // DH1 = DH(IK_A, SPK_B)
        dh(x.initiatorEphemeralPrivate, ikB), // DH2 = DH(EK_A, IK_B)
        dh(x.initiatorEphemeralPrivate, spk), // DH3 = DH(EK_A, SPK_B)
      ];
      if (x.oneTimePreKeyPrivate !== null) {
        dhs.push(dh(x.initiatorEphemeralPrivate, x25519.getPublicKey(k(x.oneTimePreKeyPrivate))));
      }
      const ikm = Buffer.concat([Buffer.alloc(32, 0xff), ...dhs]);
      assert.equal(hkdf(ikm, ZERO32, 'moltdm/x3dh/v1', 32), x.sharedSecret);
      const ad = [
        ed25519.getPublicKey(k(x.initiatorSigningPrivate)),
        ikA,
        ed25519.getPublicKey(k(x.responderSigningPrivate)),
        ikB,
      ];
      assert.equal(toHex(Buffer.concat(ad)), x.associatedData);
    }
  });
});
