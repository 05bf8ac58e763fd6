import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CodecError } from '../../src/codec/codecError.ts';
import { importPublicKey, verifyEd25519 } from '../../src/crypto/ed25519.ts';
import { signBlock, verifyBlockSignature } from '../../src/crypto/signBlock.ts';
import { U64_MAX } from '../../src/params/txParams.ts';
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
import { testKey, testTransfer } from './txFixtures.ts';

const alice = testKey(1);
const bob = testKey(2);
const u64 = fc.bigInt({ min: 0n, max: U64_MAX });
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const arbTx: fc.Arbitrary<SignedTransaction> = fc.record({
  version: fc.constant(1),
  shard: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  sender: bytes(32),
  nonce: u64,
  maxFeePerGas: u64,
  gasLimit: u64,
  payload: fc.record({ kind: fc.constant('transfer' as const), to: bytes(32), amount: u64 }),
  signature: bytes(64),
});

describe('transaction codec', () => {
  it('known answer: a fixed transfer signed by a fixed key has frozen bytes and id', () => {
    const tx = testTransfer(alice, {
      shard: 7,
      nonce: 42n,
      maxFeePerGas: 5n,
      gasLimit: 21_000n,
      to: bob.publicKey,
      amount: 1_234_567n,
    });
    const enc = encodeTransaction(tx);
    assert.equal(enc.length, 166);
    // Frozen: any change of layout, tag or signing message breaks these (bump TX_VERSION then).
    assert.equal(toHex(alice.publicKey), KAT_SENDER);
    assert.equal(toHex(enc), KAT_TX_HEX);
    assert.equal(toHex(txId(enc)), KAT_TX_ID);
    // The signed message, rebuilt by hand: tag ‖ u32 shard ‖ SHA-256(unsigned encoding).
    const message = Buffer.concat([
      Buffer.from('moltbook/tx/v1'),
      Buffer.from('00000007', 'hex'),
      createHash('sha256').update(enc.subarray(0, 102)).digest(),
    ]);
    assert.equal(toHex(txSigningMessage(tx)), message.toString('hex'));
    assert.ok(verifyEd25519(importPublicKey(alice.publicKey), message, enc.subarray(102)));
  });

  it('property: decode ∘ encode is the identity (and encode ∘ decode on valid bytes)', () => {
    fc.assert(
      fc.property(arbTx, (tx) => {
        const enc = encodeTransaction(tx);
        const back = decodeTransaction(enc);
        assert.deepEqual(
          { ...back, payload: { ...back.payload } },
          { ...tx, payload: { ...tx.payload } },
        );
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
    v[0] = 2;
    assert.throws(() => decodeTransaction(v), { code: 'codec.tx_version' });
    const k = Uint8Array.from(enc);
    k[61] = 9;
    assert.throws(() => decodeTransaction(k), { code: 'codec.tx_payload_kind' });
  });

  it('encoding refuses out-of-range integers and wrong key lengths (RangeError)', () => {
    const tx = testTransfer(alice);
    assert.throws(() => encodeTransaction({ ...tx, nonce: U64_MAX + 1n }), RangeError);
    assert.throws(() => encodeTransaction({ ...tx, gasLimit: -1n }), RangeError);
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

const KAT_SENDER = '4cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29';
const KAT_TX_HEX =
  '01' + // version
  '00000007' + // shard
  '4cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29' + // sender
  '000000000000002a' + // nonce 42
  '0000000000000005' + // max fee per gas 5
  '0000000000005208' + // gas limit 21,000
  '01' + // payload: transfer
  '7422b9887598068e32c4448a949adb290d0f4e35b9e01b0ee5f1a1e600fe2674' + // to
  '000000000012d687' + // amount 1,234,567
  '6270af83c49f1f8faa80e7671219b9fd4b277ebff77cd8d04df6cbc3da893558' + // signature
  '32481d44b72f90a040c3c62f71effbaddcb536069c29c6ac2ce614ca5d53760f';
const KAT_TX_ID = '6530a0a7d9955a688f5a9c9b3b3ddce5069d81c2f16083962fccc990ec8a0561';
