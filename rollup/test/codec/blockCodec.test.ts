import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { blockHash, decodeBlock, encodeBlock } from '../../src/codec/blockCodec.ts';
import { CodecError } from '../../src/codec/codecError.ts';
import { generateEd25519, importPublicKey } from '../../src/crypto/ed25519.ts';
import { signBlock, verifyBlockSignature } from '../../src/crypto/signBlock.ts';
import type { PohEntry } from '../../src/poh/poh.ts';
import type { Block } from '../../src/types/block.ts';
import { toHex } from '../../src/utils/hex.ts';
import { testBlock } from '../helpers/testBlock.ts';

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const entry: fc.Arbitrary<PohEntry> = fc.oneof(
  fc.record({ numHashes: fc.integer({ min: 1, max: 2 ** 32 - 1 }), hash: bytes(32) }),
  fc.record({
    numHashes: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
    hash: bytes(32),
    mixin: bytes(32),
  }),
);
const block: fc.Arbitrary<Block> = fc
  .record({
    shard: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    parentSlot: fc.integer({ min: 0, max: 2 ** 40 }),
    gap: fc.integer({ min: 1, max: 1000 }),
    parentHash: bytes(32),
    leader: bytes(32),
    pohStart: bytes(32),
    tickHeight: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    entries: fc.array(entry, { maxLength: 20 }),
    transactions: fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 5 }),
    entryTxCounts: fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 5 }),
    votes: fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 5 }),
    stateRoot: bytes(32),
    flags: fc.constantFrom(0, 1),
    daCommitment: bytes(48),
    l2Time: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    l2Events: fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 4 }),
  })
  .map(({ gap, ...b }) => ({ ...b, slot: b.parentSlot + gap }));

const key = generateEd25519();
const pub = importPublicKey(key.publicKey);

describe('block codec', () => {
  it('property: decode ∘ encode is the identity and keeps the signature valid', () => {
    fc.assert(
      fc.property(block, (b) => {
        const signed = signBlock(b, key.privateKey);
        const back = decodeBlock(encodeBlock(signed));
        assert.equal(toHex(encodeBlock(back)), toHex(encodeBlock(signed)));
        assert.equal(toHex(blockHash(back)), toHex(blockHash(signed)));
        assert.ok(verifyBlockSignature(back, pub));
      }),
      { numRuns: 100 },
    );
  });

  it('property: any truncation or trailing byte is a CodecError, never a crash', () => {
    fc.assert(
      fc.property(block, fc.nat(), (b, cut) => {
        const enc = encodeBlock(signBlock(b, key.privateKey));
        const at = cut % enc.length;
        assert.throws(() => decodeBlock(enc.subarray(0, at)), CodecError);
        const longer = new Uint8Array(enc.length + 1);
        longer.set(enc);
        assert.throws(() => decodeBlock(longer), { code: 'codec.trailing_bytes' });
      }),
      { numRuns: 100 },
    );
  });

  it('property: random bytes decode to a block or a CodecError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (junk) => {
        try {
          decodeBlock(junk);
        } catch (err) {
          assert.ok(err instanceof CodecError, String(err));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('bounds counts before allocating: a huge entry count is rejected', () => {
    const b = signBlock(testBlock(), key.privateKey);
    const enc = encodeBlock(b);
    // entries count sits after version(1) shard(4) slot(8) parent(8) 3×32 bytes and tickHeight(8)
    const at = 1 + 4 + 8 + 8 + 96 + 8;
    new DataView(enc.buffer).setUint32(at, 0xffff_ffff);
    assert.throws(() => decodeBlock(enc), { code: 'codec.too_many' });
  });

  it('a changed field breaks the leader signature', () => {
    const signed = signBlock(
      testBlock({ slot: 2, parentSlot: 1, leader: key.publicKey, tickHeight: 128 }),
      key.privateKey,
    );
    assert.ok(verifyBlockSignature(signed, pub));
    assert.equal(verifyBlockSignature({ ...signed, tickHeight: 129 }, pub), false);
  });
});
