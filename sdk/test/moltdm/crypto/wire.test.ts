import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeBase64, encodeBase64 } from '../../../src/moltdm/crypto/base64.ts';
import { concatBytes } from '../../../src/moltdm/crypto/bytes.ts';
import { MAX_PLAINTEXT_BYTES } from '../../../src/moltdm/crypto/constants.ts';
import { MoltdmCryptoError } from '../../../src/moltdm/crypto/errors.ts';
import {
  decodePreKeyMessage,
  decodeRatchetMessage,
  decodeSealedBox,
  decodeSenderKeyDistribution,
  decodeSenderKeyMessage,
  encodePreKeyMessage,
  encodeRatchetHeader,
  encodeRatchetMessage,
  encodeSenderKeyDistribution,
  encodeSenderKeyHeader,
  peekWireKind,
} from '../../../src/moltdm/crypto/wire.ts';

const DECODERS = {
  peekWireKind,
  decodePreKeyMessage,
  decodeRatchetMessage,
  decodeSealedBox,
  decodeSenderKeyDistribution,
  decodeSenderKeyMessage,
  decodeBase64: (b: Uint8Array) =>
    decodeBase64(b instanceof Uint8Array ? String.fromCharCode(...b) : (b as unknown as string)),
};

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const u32 = fc.nat({ max: 0xffffffff });

/** Only MoltdmCryptoError may escape a decoder, whatever the input. */
function onlyTypedErrors(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof MoltdmCryptoError)) throw e;
    assert.equal(e.code, 'crypto.malformed');
  }
}

describe('wire decoders', () => {
  it('arbitrary bytes never throw anything but MoltdmCryptoError(crypto.malformed)', () => {
    // Bias toward plausible prefixes so the fuzzer gets past the version and kind bytes.
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc
        .tuple(fc.integer({ min: 0, max: 6 }), fc.uint8Array({ maxLength: 400 }))
        .map(([k, rest]) => concatBytes(Uint8Array.of(1, k), rest)),
    );
    fc.assert(
      fc.property(input, (b) => {
        for (const decode of Object.values(DECODERS)) onlyTypedErrors(() => decode(b));
      }),
      { numRuns: 3000 },
    );
    for (const decode of Object.values(DECODERS)) {
      for (const junk of [undefined, null, 'str', 12, {}, [1, 2]]) {
        onlyTypedErrors(() => decode(junk as unknown as Uint8Array));
      }
    }
  });

  it('ratchet messages round-trip; every truncation and any extension past the bound is refused', () => {
    fc.assert(
      fc.property(
        bytes(32),
        u32,
        u32,
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        (dh, pn, n, ct) => {
          const header = encodeRatchetHeader({ dh, previousChainLength: pn, messageNumber: n });
          const m = encodeRatchetMessage(header, ct);
          const d = decodeRatchetMessage(m);
          assert.deepEqual(
            [d.dh, d.previousChainLength, d.messageNumber, d.header, d.ciphertext],
            [dh, pn, n, header, ct],
          );
          assert.equal(peekWireKind(m), 'ratchet');
          for (let cut = 0; cut < 42 + 16; cut++) {
            assert.throws(() => decodeRatchetMessage(m.subarray(0, cut)), MoltdmCryptoError);
          }
        },
      ),
      { numRuns: 200 },
    );
    const huge = concatBytes(
      encodeRatchetHeader({ dh: new Uint8Array(32), previousChainLength: 0, messageNumber: 0 }),
      new Uint8Array(MAX_PLAINTEXT_BYTES + 17),
    );
    assert.throws(
      () => decodeRatchetMessage(huge),
      (e) => e instanceof MoltdmCryptoError && /too large/.test(e.message),
    );
  });

  it('pre-key messages round-trip with a one-time, a last-resort or no DH4 key; bad flags refused', () => {
    fc.assert(
      fc.property(
        bytes(32),
        bytes(32),
        bytes(64),
        bytes(32),
        u32,
        fc.option(u32, { nil: undefined }),
        fc.boolean(),
        fc.integer({ min: 3, max: 255 }),
        (sk, ik, sig, base, spk, extra, lastResort, badFlag) => {
          const inner = encodeRatchetMessage(
            encodeRatchetHeader({ dh: base, previousChainLength: 0, messageNumber: 0 }),
            new Uint8Array(16),
          );
          const fields = {
            initiator: { signingKey: sk, identityKey: ik, identityKeySignature: sig },
            baseKey: base,
            signedPreKeyId: spk,
            ...(extra === undefined
              ? {}
              : lastResort
                ? { lastResortPreKeyId: extra }
                : { oneTimePreKeyId: extra }),
          };
          const m = encodePreKeyMessage(fields, inner);
          const d = decodePreKeyMessage(m);
          assert.deepEqual(d.initiator, fields.initiator);
          assert.equal(d.oneTimePreKeyId, lastResort ? undefined : extra);
          assert.equal(d.lastResortPreKeyId, lastResort ? extra : undefined);
          assert.equal(d.signedPreKeyId, spk);
          const flagsAt = 2 + 32 + 32 + 64 + 32 + 4;
          const bad = m.slice();
          bad[flagsAt] = badFlag;
          assert.throws(() => decodePreKeyMessage(bad), MoltdmCryptoError);
          assert.throws(() => decodePreKeyMessage(m.subarray(0, m.length - 1)), MoltdmCryptoError);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('distributions round-trip; bad UTF-8, empty ids and trailing bytes are refused', () => {
    const convId = fc
      .string({ minLength: 1, maxLength: 60, unit: 'grapheme' })
      .filter((s) => new TextEncoder().encode(s).length <= 255);
    fc.assert(
      fc.property(
        convId,
        u32,
        u32,
        bytes(32),
        bytes(32),
        (conversationId, keyVersion, index, chainKey, signingKey) => {
          const d = { conversationId, keyVersion, index, chainKey, signingKey };
          const m = encodeSenderKeyDistribution(d);
          assert.deepEqual(decodeSenderKeyDistribution(m), d);
          assert.throws(
            () => decodeSenderKeyDistribution(concatBytes(m, Uint8Array.of(0))),
            MoltdmCryptoError,
          );
        },
      ),
      { numRuns: 200 },
    );
    const good = encodeSenderKeyDistribution({
      conversationId: 'ab',
      keyVersion: 1,
      index: 0,
      chainKey: new Uint8Array(32),
      signingKey: new Uint8Array(32),
    });
    const badUtf8 = good.slice();
    badUtf8[3] = 0xff;
    assert.throws(() => decodeSenderKeyDistribution(badUtf8), MoltdmCryptoError);
    const empty = concatBytes(Uint8Array.of(1, 4, 0), good.subarray(5));
    assert.throws(() => decodeSenderKeyDistribution(empty), MoltdmCryptoError);
    assert.throws(
      () =>
        encodeSenderKeyDistribution({
          conversationId: '\ud800',
          keyVersion: 1,
          index: 0,
          chainKey: new Uint8Array(32),
          signingKey: new Uint8Array(32),
        }),
      MoltdmCryptoError,
    );
    assert.throws(
      () =>
        encodeSenderKeyDistribution({
          conversationId: 'x'.repeat(256),
          keyVersion: 1,
          index: 0,
          chainKey: new Uint8Array(32),
          signingKey: new Uint8Array(32),
        }),
      MoltdmCryptoError,
    );
  });

  it('sender-key messages split into header, ciphertext and signature', () => {
    const header = encodeSenderKeyHeader(7, 9);
    const m = concatBytes(header, new Uint8Array(20).fill(3), new Uint8Array(64).fill(4));
    const d = decodeSenderKeyMessage(m);
    assert.deepEqual(
      [d.keyVersion, d.index, d.ciphertext.length, d.signature[0], d.signed.length],
      [7, 9, 20, 4, 30],
    );
    assert.throws(() => decodeSenderKeyMessage(m.subarray(0, 10 + 16 + 63)), MoltdmCryptoError);
  });

  it('base64 is canonical and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        const s = encodeBase64(b);
        assert.equal(s, Buffer.from(b).toString('base64'));
        assert.deepEqual(decodeBase64(s), b);
      }),
      { numRuns: 500 },
    );
    for (const bad of ['A', 'AB=', 'AB==A===', 'AB=C', '====', 'AR==', 'AB C', 'é===', 'QUJD\n']) {
      assert.throws(() => decodeBase64(bad), MoltdmCryptoError, bad);
    }
  });
});
