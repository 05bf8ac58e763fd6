import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type AddResult, Mempool } from '../../src/mempool/mempool.ts';
import { TRANSFER_GAS } from '../../src/params/txParams.ts';
import type { ValidTx } from '../../src/tx/validateTransaction.ts';
import { toHex } from '../../src/utils/hex.ts';
import { testKey, testTransfer, validTx } from '../tx/txFixtures.ts';

const SENDERS = [testKey(1), testKey(2), testKey(3), testKey(4)];
/** Max fees in thousands of µMOLT: a transfer costs 1 % of B, so B = 100,000 × k needs k. */
const FEES = [1n, 2n, 3n, 5n, 8n];
const K = 1_000n;
/** The base fee at which a transfer costs `k` thousand µMOLT. */
const B = (k: bigint) => k * 100n * K;
const NONCES = 8;
/** Pre-signed txs: POOL[sender][nonce][feeIndex]. */
const POOL: ValidTx[][][] = SENDERS.map((k) =>
  Array.from({ length: NONCES }, (_, n) =>
    FEES.map((fee) => validTx(testTransfer(k, { nonce: BigInt(n), maxFee: fee * K }))),
  ),
);
function pooled(s: number, n: number, f: number): ValidTx {
  return POOL[s]?.[n]?.[f] as ValidTx;
}
const zeroNonce = () => 0n;
const roomy = {
  gasBudget: 10n ** 12n,
  senderGasCap: 10n ** 12n,
  baseFee: B(1n),
  nonceOf: zeroNonce,
};
const ids = (txs: readonly ValidTx[]) => txs.map((t) => t.id);

describe('Mempool', () => {
  it('take orders by fee, then arrival, keeping each sender’s nonces in order', () => {
    const m = new Mempool();
    m.add(pooled(0, 0, 1)); // fee 2, seq 0
    m.add(pooled(1, 0, 1)); // fee 2, seq 1
    m.add(pooled(0, 1, 4)); // fee 8, but behind sender 0's nonce 0
    m.add(pooled(2, 0, 3)); // fee 5
    assert.deepEqual(ids(m.take(roomy)), [
      pooled(2, 0, 3).id,
      pooled(0, 0, 1).id,
      pooled(0, 1, 4).id,
      pooled(1, 0, 1).id,
    ]);
    assert.equal(m.size, 0);
  });

  it('replacement needs a 10 % bump (rounded up) and a strictly higher fee', () => {
    const m = new Mempool();
    assert.equal(m.add(pooled(0, 0, 1)).kind, 'added'); // fee 2
    assert.equal(m.add(pooled(0, 0, 1)).kind, 'rejected'); // duplicate
    assert.deepEqual(m.add(pooled(0, 0, 0)), {
      kind: 'rejected',
      code: 'mempool.replacement_underpriced',
      reason: 'max fee 1000 < 2200 to replace nonce 0',
    });
    const r = m.add(pooled(0, 0, 2)); // 3,000 ≥ ceil(2,000 × 1.1) = 2,200
    assert.deepEqual(r, { kind: 'replaced', replaced: pooled(0, 0, 1).id, evicted: [] });
    assert.equal(m.size, 1);
    assert.throws(() => new Mempool({ maxTxs: 0 }), RangeError);
    const bump = new Mempool({ bumpPercent: 100n });
    bump.add(pooled(0, 0, 1)); // 2
    assert.equal(bump.add(pooled(0, 0, 2)).kind, 'rejected'); // 3,000 < 4,000
  });

  it('per-sender bound: a later nonce is refused, an earlier one evicts the sender’s own tail', () => {
    const m = new Mempool({ maxPerSender: 2 });
    m.add(pooled(0, 1, 0));
    m.add(pooled(0, 2, 0));
    assert.equal((m.add(pooled(0, 3, 0)) as { code: string }).code, 'mempool.sender_full');
    assert.deepEqual(m.add(pooled(0, 0, 0)), { kind: 'added', evicted: [pooled(0, 2, 0).id] });
  });

  it('eviction: lowest-fee tails first, a sender’s next-executable tx only when nothing else is left', () => {
    const m = new Mempool({ maxTxs: 3 });
    m.add(pooled(0, 0, 0)); // sender 0 head, fee 1
    m.add(pooled(1, 0, 4)); // sender 1 head, fee 8
    m.add(pooled(1, 1, 3)); // sender 1 tail, fee 5
    // Full. A fee-2 head from sender 2: the only non-head tail (sender 1's fee 5) goes, not the
    // fee-1 head of sender 0.
    assert.deepEqual(m.add(pooled(2, 0, 1)), { kind: 'added', evicted: [pooled(1, 1, 3).id] });
    // Now only heads: the lowest (sender 0, fee 1) goes for a fee-3 head.
    assert.deepEqual(m.add(pooled(3, 0, 2)), { kind: 'added', evicted: [pooled(0, 0, 0).id] });
    // A newcomer that would itself be the victim is refused and changes nothing.
    const before = ids(m.all());
    const r = m.add(pooled(0, 0, 0)) as Extract<AddResult, { kind: 'rejected' }>;
    assert.equal(r.code, 'mempool.full');
    assert.deepEqual(ids(m.all()), before);
  });

  it('take honours the block budget and the §7.6 per-sender cap', () => {
    const m = new Mempool();
    for (let n = 0; n < 5; n++) m.add(pooled(0, n, 4));
    for (let n = 0; n < 5; n++) m.add(pooled(1, n, 0));
    const taken = m.take({
      ...roomy,
      senderGasCap: 2n * TRANSFER_GAS,
      gasBudget: 3n * TRANSFER_GAS,
    });
    assert.deepEqual(ids(taken), [pooled(0, 0, 4).id, pooled(0, 1, 4).id, pooled(1, 0, 0).id]);
    assert.equal(m.size, 7);
  });

  it('take waits for nonce gaps and base fee, drops spent nonces; removeIncluded and reinject', () => {
    const m = new Mempool();
    m.add(pooled(0, 0, 0));
    m.add(pooled(0, 1, 4));
    m.add(pooled(1, 2, 4)); // gap: sender 1 is at nonce 0
    const nonceOf = (k: Uint8Array) =>
      toHex(k) === toHex(SENDERS[0]?.publicKey as Uint8Array) ? 1n : 0n;
    assert.deepEqual(ids(m.take({ ...roomy, nonceOf })), [pooled(0, 1, 4).id]);
    assert.equal(m.has(pooled(0, 0, 0).id), false); // nonce 0 was spent
    assert.equal(m.has(pooled(1, 2, 4).id), true);
    assert.deepEqual(m.take({ ...roomy, baseFee: B(9n) }), []);
    m.add(pooled(2, 0, 0));
    m.add(pooled(2, 1, 0));
    // Another leader included sender 2's nonce 0 (a different tx, fee 5): our nonce-0 tx is spent
    // and dropped, nonce 1 stays.
    assert.equal(m.removeIncluded([pooled(2, 0, 3)]), 1);
    assert.deepEqual(ids(m.senderTxs(SENDERS[2]?.publicKey as Uint8Array)), [pooled(2, 1, 0).id]);
    assert.equal(m.reinject([pooled(2, 0, 3), pooled(2, 1, 0)]), 1); // the second is pooled
    assert.equal(m.size, 3);
  });

  it('property: bounds hold; a refused add changes nothing; take keeps nonce order; nothing is both taken and kept', () => {
    const add = fc
      .record({ s: fc.nat(SENDERS.length - 1), n: fc.nat(NONCES - 1), f: fc.nat(FEES.length - 1) })
      .map((x) => ({ op: 'add' as const, ...x }));
    const take = fc
      .record({ budget: fc.nat(12), cap: fc.nat(6), baseFee: fc.constantFrom(1n, 2n, 4n) })
      .map((x) => ({ op: 'take' as const, ...x }));
    const ops = fc.array(fc.oneof({ weight: 5, arbitrary: add }, { weight: 1, arbitrary: take }), {
      maxLength: 60,
    });
    const bounds = fc.record({
      maxTxs: fc.integer({ min: 1, max: 12 }),
      maxPerSender: fc.integer({ min: 1, max: 6 }),
      maxBytes: fc.integer({ min: 166, max: 166 * 10 }),
    });
    fc.assert(
      fc.property(bounds, ops, (b, list) => {
        const m = new Mempool(b);
        const nonces = SENDERS.map(() => 0n);
        const nonceOf = (k: Uint8Array) =>
          nonces[SENDERS.findIndex((s) => toHex(s.publicKey) === toHex(k))] ?? 0n;
        for (const o of list) {
          if (o.op === 'add') {
            const before = new Set(ids(m.all()));
            const r = m.add(pooled(o.s, o.n, o.f));
            if (r.kind === 'rejected') assert.deepEqual(new Set(ids(m.all())), before);
            else assert.equal(m.has(pooled(o.s, o.n, o.f).id), true);
          } else {
            const taken = m.take({
              gasBudget: BigInt(o.budget) * TRANSFER_GAS,
              senderGasCap: BigInt(o.cap) * TRANSFER_GAS,
              baseFee: B(o.baseFee),
              nonceOf,
            });
            assert.ok(BigInt(taken.length) * TRANSFER_GAS <= BigInt(o.budget) * TRANSFER_GAS);
            assert.equal(new Set(ids(taken)).size, taken.length, 'no tx taken twice');
            const perSender = new Map<string, number>();
            for (const t of taken) {
              const i = SENDERS.findIndex((s) => toHex(s.publicKey) === toHex(t.tx.sender));
              assert.equal(
                t.tx.nonce,
                nonces[i],
                'each sender’s txs come in nonce order, gap-free',
              );
              assert.ok(t.tx.maxFee >= o.baseFee * K);
              nonces[i] = t.tx.nonce + 1n; // executed
              perSender.set(toHex(t.tx.sender), (perSender.get(toHex(t.tx.sender)) ?? 0) + 1);
              assert.equal(m.has(t.id), false, 'taken and kept');
            }
            for (const c of perSender.values()) assert.ok(c <= o.cap, '§7.6 cap');
          }
          assert.ok(m.size <= b.maxTxs);
          assert.ok(m.bytes <= b.maxBytes);
          const all = m.all();
          assert.equal(all.length, m.size);
          assert.equal(
            all.reduce((n, t) => n + t.bytes.length, 0),
            m.bytes,
          );
          for (const k of SENDERS) {
            const q = m.senderTxs(k.publicKey);
            assert.ok(q.length <= b.maxPerSender);
            for (let i = 1; i < q.length; i++)
              assert.ok((q[i - 1] as ValidTx).tx.nonce < (q[i] as ValidTx).tx.nonce);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
