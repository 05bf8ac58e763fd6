import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  MAX_TX_BYTES,
  NONCE_WINDOW,
  SLOT_GAS_LIMIT,
  senderGasCap,
  TRANSFER_GAS,
} from '../../src/params/txParams.ts';
import { SignerKeyCache } from '../../src/tx/signerKeyCache.ts';
import { encodeTransaction } from '../../src/tx/txCodec.ts';
import { type TxValidation, validateTransaction } from '../../src/tx/validateTransaction.ts';
import { testContext, testKey, testTransfer } from './txFixtures.ts';

const alice = testKey(1);
const mallory = testKey(3);

function rejected(r: TxValidation): { step: number; code: string; codecCode?: string } {
  assert.equal(r.kind, 'rejected');
  if (r.kind !== 'rejected') throw new Error('unreachable');
  return r.codecCode === undefined
    ? { step: r.step, code: r.code }
    : { step: r.step, code: r.code, codecCode: r.codecCode };
}

describe('validateTransaction (edge, numbered steps)', () => {
  const ctx = testContext();

  it('accepts a well-formed transfer and returns its id and bytes', () => {
    const bytes = encodeTransaction(testTransfer(alice));
    const r = validateTransaction(bytes, ctx);
    assert.equal(r.kind, 'valid');
    if (r.kind === 'valid') {
      assert.equal(r.id.length, 64);
      assert.equal(r.bytes, bytes);
      assert.deepEqual(r.tx.payload.kind === 'transfer' && r.tx.payload.amount, 1_000n);
    }
  });

  it('1 too large, before any parsing', () => {
    assert.deepEqual(rejected(validateTransaction(new Uint8Array(MAX_TX_BYTES + 1), ctx)), {
      step: 1,
      code: 'tx.too_large',
    });
  });

  it('2 malformed, carrying the codec code', () => {
    const enc = encodeTransaction(testTransfer(alice));
    assert.deepEqual(rejected(validateTransaction(enc.subarray(0, 100), ctx)), {
      step: 2,
      code: 'tx.malformed',
      codecCode: 'codec.truncated',
    });
  });

  it('3 wrong shard', () => {
    const enc = encodeTransaction(testTransfer(alice, { shard: 1 }));
    assert.deepEqual(rejected(validateTransaction(enc, ctx)), { step: 3, code: 'tx.wrong_shard' });
  });

  it('4 signature: tampered field, someone else’s signature, a non-point key', () => {
    const tx = testTransfer(alice);
    const enc = encodeTransaction({ ...tx, maxFee: tx.maxFee + 1n });
    assert.deepEqual(rejected(validateTransaction(enc, ctx)), {
      step: 4,
      code: 'tx.signature_invalid',
    });
    const forged = encodeTransaction({ ...tx, signature: testTransfer(mallory).signature });
    assert.equal(rejected(validateTransaction(forged, ctx)).code, 'tx.signature_invalid');
    const junkKey = encodeTransaction({ ...tx, sender: new Uint8Array(32).fill(0xff) });
    assert.equal(rejected(validateTransaction(junkKey, ctx)).code, 'tx.signature_invalid');
  });

  it('4 the key cache imports each sender once and stays bounded', () => {
    const keys = new SignerKeyCache({ maxKeys: 4 });
    const c = testContext({ keys });
    for (let i = 0; i < 3; i++)
      assert.equal(validateTransaction(encodeTransaction(testTransfer(alice)), c).kind, 'valid');
    assert.equal(keys.size, 1);
    for (let i = 10; i < 20; i++)
      validateTransaction(encodeTransaction(testTransfer(testKey(i))), c);
    assert.ok(keys.size <= 4);
  });

  it('5 nonce too low, and beyond the window', () => {
    const c = testContext({ account: () => ({ nonce: 5n, balance: 10n ** 12n }) });
    const low = encodeTransaction(testTransfer(alice, { nonce: 4n }));
    assert.deepEqual(rejected(validateTransaction(low, c)), { step: 5, code: 'tx.nonce_too_low' });
    const edge = encodeTransaction(testTransfer(alice, { nonce: 5n + NONCE_WINDOW }));
    assert.equal(validateTransaction(edge, c).kind, 'valid');
    const gap = encodeTransaction(testTransfer(alice, { nonce: 6n + NONCE_WINDOW }));
    assert.deepEqual(rejected(validateTransaction(gap, c)), { step: 5, code: 'tx.nonce_gap' });
  });

  it('6 max fee below the fee at the base fee, balance for value + max fee (exact edges)', () => {
    // A transfer's fee is 1 % of B (§10.2 "other"): 1,000 µMOLT at B = 100,000.
    const c = testContext({ baseFee: 100_000n });
    const cheap = encodeTransaction(testTransfer(alice, { maxFee: 999n }));
    assert.deepEqual(rejected(validateTransaction(cheap, c)), { step: 6, code: 'tx.fee_too_low' });
    assert.equal(
      validateTransaction(encodeTransaction(testTransfer(alice, { maxFee: 1_000n })), c).kind,
      'valid',
    );
    const need = 1_000n + 5_000n;
    const enc = encodeTransaction(testTransfer(alice, { maxFee: 5_000n, amount: 1_000n }));
    const exact = testContext({ account: () => ({ nonce: 0n, balance: need }) });
    assert.equal(validateTransaction(enc, exact).kind, 'valid');
    const short = testContext({ account: () => ({ nonce: 0n, balance: need - 1n }) });
    assert.deepEqual(rejected(validateTransaction(enc, short)), {
      step: 6,
      code: 'tx.insufficient_balance',
    });
  });

  it('7 §7.6 sender cap: 5 % of the slot gas, counting what the sender already has', () => {
    const cap = senderGasCap(SLOT_GAS_LIMIT);
    assert.equal(cap, (SLOT_GAS_LIMIT * 5n) / 100n);
    const one = encodeTransaction(testTransfer(alice));
    const used = testContext({ senderGasUsed: cap - TRANSFER_GAS });
    assert.equal(validateTransaction(one, used).kind, 'valid');
    const over = testContext({ senderGasUsed: cap - TRANSFER_GAS + 1n });
    assert.deepEqual(rejected(validateTransaction(one, over)), { step: 7, code: 'tx.sender_cap' });
  });

  it('property: hostile bytes (random, or mutations of a valid tx) get a typed rejection', () => {
    const valid = encodeTransaction(testTransfer(alice));
    const codes = new Set([
      'tx.too_large',
      'tx.malformed',
      'tx.wrong_shard',
      'tx.signature_invalid',
      'tx.nonce_too_low',
      'tx.nonce_gap',
      'tx.gas_limit_too_low',
      'tx.fee_too_low',
      'tx.insufficient_balance',
      'tx.sender_cap',
    ]);
    const mutation = fc.oneof(
      fc.uint8Array({ maxLength: MAX_TX_BYTES + 8 }),
      fc
        .record({ at: fc.nat(valid.length - 1), xor: fc.integer({ min: 1, max: 255 }) })
        .map(({ at, xor }) => {
          const m = Uint8Array.from(valid);
          m[at] = (m[at] as number) ^ xor;
          return m;
        }),
      fc.nat(valid.length - 1).map((cut) => valid.subarray(0, cut)),
      fc.uint8Array({ minLength: 1, maxLength: 40 }).map((tail) => {
        const m = new Uint8Array(valid.length + tail.length);
        m.set(valid);
        m.set(tail, valid.length);
        return m;
      }),
    );
    fc.assert(
      fc.property(mutation, (bytes) => {
        const r = validateTransaction(bytes, ctx);
        // A flipped bit anywhere in a signed tx breaks the signature or the decoding.
        assert.equal(r.kind, 'rejected');
        if (r.kind === 'rejected') {
          assert.ok(codes.has(r.code), r.code);
          assert.ok(r.step >= 1 && r.step <= 7);
        }
      }),
      { numRuns: 400 },
    );
  });
});
