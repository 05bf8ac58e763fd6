import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CodecError } from '../../src/codec/codecError.ts';
import { importPublicKey, verifyEd25519 } from '../../src/crypto/ed25519.ts';
import { signBlock, verifyBlockSignature } from '../../src/crypto/signBlock.ts';
import { TX_VERSION, U64_MAX } from '../../src/params/txParams.ts';
import type { SignedTransaction } from '../../src/tx/transaction.ts';
import {
  decodeTransaction,
  encodeTransaction,
  encodeUnsignedTransaction,
  txId,
  txSigningMessage,
} from '../../src/tx/txCodec.ts';
import { toHex } from '../../src/utils/hex.ts';
import { testBlock } from '../helpers/testBlock.ts';
import { arbPayload, bytes, u64 } from './arbitraries.ts';
import { testKey, testTransfer } from './txFixtures.ts';

const alice = testKey(1);
const bob = testKey(2);
const arbTx: fc.Arbitrary<SignedTransaction> = fc.record({
  version: fc.constant(TX_VERSION),
  shard: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  sender: bytes(32),
  nonce: u64,
  maxFee: u64,
  payload: arbPayload,
  signature: bytes(64),
});

/** A deep copy with ordinary prototypes (fast-check records have none). */
function plain<T>(x: T): T {
  if (x instanceof Uint8Array || typeof x !== 'object' || x === null) return x;
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)])) as T;
}

describe('transaction codec', () => {
  it('known answer: a fixed transfer signed by a fixed key has frozen bytes and id', () => {
    const tx = testTransfer(alice, {
      shard: 7,
      nonce: 42n,
      maxFee: 5_000n,
      to: bob.publicKey,
      amount: 1_234_567n,
    });
    const enc = encodeTransaction(tx);
    assert.equal(enc.length, 158);
    // Frozen: any change of layout, tag or signing message breaks these (bump TX_VERSION then).
    assert.equal(toHex(alice.publicKey), KAT_SENDER);
    assert.equal(toHex(enc), KAT_TX_HEX);
    assert.equal(toHex(txId(enc)), KAT_TX_ID);
    // The signed message, rebuilt by hand: tag ‖ u32 shard ‖ SHA-256(unsigned encoding).
    const message = Buffer.concat([
      Buffer.from('moltbook/tx/v1'),
      Buffer.from('00000007', 'hex'),
      createHash('sha256').update(enc.subarray(0, 94)).digest(),
    ]);
    assert.equal(toHex(txSigningMessage(tx)), message.toString('hex'));
    assert.ok(verifyEd25519(importPublicKey(alice.publicKey), message, enc.subarray(94)));
  });

  it('property: decode ∘ encode is the identity (and encode ∘ decode on valid bytes)', () => {
    fc.assert(
      fc.property(arbTx, (tx) => {
        const enc = encodeTransaction(tx);
        const back = decodeTransaction(enc);
        assert.deepEqual(back, plain(tx));
        assert.equal(toHex(encodeTransaction(back)), toHex(enc));
        // The unsigned encoding is the prefix the signature does not cover.
        assert.equal(toHex(encodeUnsignedTransaction(tx)), toHex(enc.subarray(0, enc.length - 64)));
      }),
      { numRuns: 300 },
    );
  });

  it('property: truncations, trailing bytes and random bytes are CodecErrors, never crashes', () => {
    fc.assert(
      fc.property(arbTx, fc.nat(), fc.uint8Array({ maxLength: 300 }), (tx, cut, junk) => {
        const enc = encodeTransaction(tx);
        assert.throws(() => decodeTransaction(enc.subarray(0, cut % enc.length)), CodecError);
        const longer = new Uint8Array(enc.length + 1);
        longer.set(enc);
        assert.throws(() => decodeTransaction(longer), { code: 'codec.trailing_bytes' });
        try {
          decodeTransaction(junk);
        } catch (err) {
          assert.ok(err instanceof CodecError, String(err));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects an unknown version or payload kind with stable codes', () => {
    const enc = encodeTransaction(testTransfer(alice));
    const v = Uint8Array.from(enc);
    v[0] = 1;
    assert.throws(() => decodeTransaction(v), { code: 'codec.tx_version' });
    const k = Uint8Array.from(enc);
    k[53] = 99;
    assert.throws(() => decodeTransaction(k), { code: 'codec.tx_payload_kind' });
  });

  it('rejects non-canonical fields with stable codes (one encoding per transaction)', () => {
    const post = (over: Partial<{ community: string; size: number }>) =>
      encodeTransaction(
        testTransfer(alice, {
          payload: {
            kind: 'createPost',
            community: over.community ?? 'general',
            content: { hash: new Uint8Array(32), size: over.size ?? 10, storage: 'year' },
          },
        }),
      );
    const good = post({});
    assert.equal(decodeTransaction(good).payload.kind, 'createPost');
    // name 'general' → 'General' (uppercase is not a community name)
    const upper = Uint8Array.from(good);
    upper[55] = 'G'.charCodeAt(0);
    assert.throws(() => decodeTransaction(upper), { code: 'codec.tx_name' });
    // storage class byte (after name, hash and size) set to 3
    const storage = Uint8Array.from(good);
    storage[54 + 1 + 7 + 32 + 4] = 3;
    assert.throws(() => decodeTransaction(storage), { code: 'codec.tx_storage' });
    // content size 0
    const size = Uint8Array.from(good);
    size.set([0, 0, 0, 0], 54 + 1 + 7 + 32);
    assert.throws(() => decodeTransaction(size), { code: 'codec.tx_content_size' });
    // vote direction 3
    const vote = encodeTransaction(
      testTransfer(alice, { payload: { kind: 'vote', post: new Uint8Array(32), direction: 'up' } }),
    );
    const dir = Uint8Array.from(vote);
    dir[54 + 32] = 3;
    assert.throws(() => decodeTransaction(dir), { code: 'codec.tx_direction' });
    // encoding refuses what decoding refuses
    assert.throws(() => post({ community: 'No' }), RangeError);
    assert.throws(() => post({ size: 0 }), RangeError);
  });

  it('encoding refuses out-of-range integers and wrong key lengths (RangeError)', () => {
    const tx = testTransfer(alice);
    assert.throws(() => encodeTransaction({ ...tx, nonce: U64_MAX + 1n }), RangeError);
    assert.throws(() => encodeTransaction({ ...tx, maxFee: -1n }), RangeError);
    assert.throws(() => encodeTransaction({ ...tx, sender: new Uint8Array(31) }), RangeError);
  });

  it('domain separation: the signature is bound to the shard and never verifies as a block', () => {
    const tx = testTransfer(alice, { shard: 3 });
    const key = importPublicKey(alice.publicKey);
    assert.ok(verifyEd25519(key, txSigningMessage(tx), tx.signature));
    assert.ok(!verifyEd25519(key, txSigningMessage({ ...tx, shard: 4 }), tx.signature));
    const block = signBlock(testBlock(), alice.privateKey);
    assert.ok(!verifyBlockSignature({ ...block, signature: tx.signature }, key));
    assert.ok(!verifyEd25519(key, txSigningMessage(tx), block.signature));
  });
});

const KAT_SIGNATURE =
  'f6c8cc6fec0ecc444f2977804ad7126fd24405709831b0b86f67fbb4e2b98e28' +
  '4b018d86240af3928b85630545f095b07e392bfd8fec8cc83aa889c3b083950e';
const KAT_SENDER = '4cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29';
const KAT_TX_HEX =
  '02' + // version
  '00000007' + // shard
  '4cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29' + // sender
  '000000000000002a' + // nonce 42
  '0000000000001388' + // max fee 5,000
  '01' + // payload: transfer
  '7422b9887598068e32c4448a949adb290d0f4e35b9e01b0ee5f1a1e600fe2674' + // to
  '000000000012d687' + // amount 1,234,567
  KAT_SIGNATURE;
const KAT_TX_ID = '144ab083e0823d725be49b32aa993cdaffb5975a0d4a64f93b651b5f30291fcc';
