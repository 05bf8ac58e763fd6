import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EMPTY_MERKLE_ROOT, merkleRoot } from '../../src/execution/merkleRoot.ts';
import type { ApplyResult } from '../../src/execution/stateMachine.ts';
import { TransferState } from '../../src/execution/transferState.ts';
import { transferStateMachine as sm } from '../../src/execution/transferStateMachine.ts';
import { TRANSFER_GAS } from '../../src/params/txParams.ts';
import type { SignedTransaction } from '../../src/tx/transaction.ts';
import { toHex } from '../../src/utils/hex.ts';
import { testKey } from '../tx/txFixtures.ts';

const KEYS = [1, 2, 3, 4].map((i) => testKey(i).publicKey);
const key = (i: number) => KEYS[i] as Uint8Array;
const SIG = new Uint8Array(64);

/** An (unsigned-in-practice) transfer: the state machine runs after signature verification. */
function transfer(
  from: number,
  to: number,
  nonce: bigint,
  amount: bigint,
  fee = 2n,
  gasLimit = TRANSFER_GAS,
): SignedTransaction {
  return {
    version: 1,
    shard: 0,
    sender: key(from),
    nonce,
    maxFeePerGas: fee,
    gasLimit,
    payload: { kind: 'transfer', to: key(to), amount },
    signature: SIG,
  };
}

const genesis = () =>
  TransferState.genesis([
    { key: key(0), balance: 1_000_000n },
    { key: key(1), balance: 50_000n },
    { key: key(2), balance: 0n },
  ]);
const ctx = { baseFee: 2n };

describe('transfer state machine', () => {
  it('a transfer moves the amount, bumps the nonce and burns gasUsed × baseFee', () => {
    const s = genesis();
    const r = sm.apply(s, transfer(0, 3, 0n, 1_000n, 5n), ctx);
    assert.deepEqual(r, { kind: 'success', gasUsed: TRANSFER_GAS, fee: TRANSFER_GAS * 2n });
    assert.deepEqual(s.account(key(0)), {
      key: key(0),
      nonce: 1n,
      balance: 1_000_000n - 1_000n - 42_000n,
    });
    assert.equal(s.account(key(3)).balance, 1_000n); // created
    assert.equal(s.burned, 42_000n);
  });

  it('a failed transfer (amount beyond balance after the fee) still bumps the nonce and pays', () => {
    const s = genesis();
    const r = sm.apply(s, transfer(1, 0, 0n, 10_000n), ctx);
    assert.equal(r.kind, 'failed');
    assert.equal((r as Extract<ApplyResult, { kind: 'failed' }>).code, 'exec.insufficient_balance');
    assert.equal(s.account(key(1)).nonce, 1n);
    assert.equal(s.account(key(1)).balance, 50_000n - 42_000n);
    assert.equal(s.account(key(0)).balance, 1_000_000n);
    assert.equal(s.burned, 42_000n);
  });

  it('invalid transactions leave the state (and its root) untouched', () => {
    const s = genesis();
    const root = toHex(sm.stateRoot(s));
    const cases: [SignedTransaction, string][] = [
      [transfer(0, 1, 1n, 1n), 'exec.nonce_mismatch'],
      [transfer(0, 1, 0n, 1n, 1n), 'exec.fee_too_low'],
      [transfer(0, 1, 0n, 1n, 2n, TRANSFER_GAS - 1n), 'exec.gas_limit_too_low'],
      [transfer(2, 1, 0n, 0n, 2n), 'exec.cannot_pay_fee'], // balance 0
      [transfer(3, 1, 0n, 0n, 2n), 'exec.cannot_pay_fee'], // no account
      [transfer(1, 0, 0n, 0n, 2n, 30_000n), 'exec.cannot_pay_fee'], // 50,000 < 30,000 × 2
    ];
    for (const [tx, code] of cases) {
      const r = sm.apply(s, tx, ctx);
      assert.equal(r.kind, 'invalid');
      assert.equal((r as { code: string }).code, code);
    }
    assert.equal(toHex(sm.stateRoot(s)), root);
    assert.equal(s.burned, 0n);
  });

  it('known answer: state roots of a fixed small history', () => {
    const s = genesis();
    assert.equal(toHex(sm.stateRoot(s)), KAT_GENESIS_ROOT);
    sm.apply(s, transfer(0, 3, 0n, 1_000n), ctx);
    sm.apply(s, transfer(1, 0, 0n, 10_000n), ctx); // failed
    assert.equal(toHex(sm.stateRoot(s)), KAT_ROOT_AFTER);
    assert.equal(toHex(TransferState.genesis([]).root()), KAT_EMPTY_ROOT);
  });

  it('Merkle root: tagged nodes, odd node promoted, 32 zero bytes for no leaves', () => {
    const h = (...parts: Uint8Array[]) =>
      createHash('sha256').update(Buffer.concat(parts)).digest();
    const [a, b, c] = [1, 2, 3].map((i) => h(Uint8Array.of(0, i)));
    const node = (l: Uint8Array, r: Uint8Array) => h(Uint8Array.of(1), l, r);
    assert.equal(toHex(merkleRoot([])), toHex(EMPTY_MERKLE_ROOT));
    assert.equal(toHex(merkleRoot([a as Buffer])), toHex(a as Buffer));
    assert.equal(
      toHex(merkleRoot([a, b, c] as Buffer[])),
      toHex(node(node(a as Buffer, b as Buffer), c as Buffer)),
    );
  });

  const step = fc.record({
    from: fc.nat(3),
    to: fc.nat(3),
    nonceDelta: fc.constantFrom(0n, 0n, 0n, 0n, 1n, -1n),
    amount: fc.oneof(fc.bigInt({ min: 0n, max: 2_000n }), fc.bigInt({ min: 0n, max: 2_000_000n })),
    fee: fc.constantFrom(1n, 2n, 3n),
    gasLimit: fc.constantFrom(TRANSFER_GAS, TRANSFER_GAS, 30_000n, TRANSFER_GAS - 1n),
    baseFee: fc.constantFrom(1n, 2n),
  });

  it('property: conservation, incremental root = root from scratch, independent runs agree', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), fc.nat(5), (steps, rootEvery) => {
        const a = genesis();
        // An independent run: accounts inserted in the other order, roots taken at other times.
        const b = TransferState.genesis([
          { key: key(2), balance: 0n },
          { key: key(1), balance: 50_000n },
          { key: key(0), balance: 1_000_000n },
        ]);
        steps.forEach((st, i) => {
          const nonce = a.account(key(st.from)).nonce + st.nonceDelta;
          if (nonce < 0n) return;
          const tx = transfer(st.from, st.to, nonce, st.amount, st.fee, st.gasLimit);
          const before = a.totalBalance() + a.burned;
          const ra = sm.apply(a, tx, { baseFee: st.baseFee });
          const rb = sm.apply(b, tx, { baseFee: st.baseFee });
          assert.deepEqual(ra, rb);
          assert.equal(a.totalBalance() + a.burned, a.supply, 'Σ balances + burned = supply');
          assert.equal(before, a.supply);
          if (ra.kind !== 'invalid') assert.equal(ra.fee, ra.gasUsed * st.baseFee);
          if (i % (rootEvery + 1) === 0) assert.equal(toHex(a.root()), toHex(a.rootFromScratch()));
        });
        assert.equal(toHex(sm.stateRoot(a)), toHex(sm.stateRoot(b)));
        assert.equal(toHex(a.root()), toHex(a.rootFromScratch()));
        const rootA = toHex(a.root());
        const c = a.clone();
        assert.equal(toHex(c.root()), rootA);
        const rc = sm.apply(c, transfer(0, 1, c.account(key(0)).nonce, 1n, 1n), { baseFee: 1n });
        if (rc.kind !== 'invalid') assert.notEqual(toHex(c.root()), rootA);
        assert.equal(toHex(a.root()), rootA, 'a clone is independent');
      }),
      { numRuns: 200 },
    );
  });
});

// Frozen, and reproduced by an independent reference (Python hashlib, docs/transactions.md).
const KAT_GENESIS_ROOT = '80776581ad64b121da42099d2b2f36c6a02fba1e170d7568cd8fdd177476f9b4';
const KAT_ROOT_AFTER = '76da77f1ccd020dd818d231e70d41bf9ad10f0a916ade010e433f92fa747a8ea';
const KAT_EMPTY_ROOT = 'fcd3b67393bba5bcb8c5e239e7c2fde2f822c04ddc43adb05979b7058ccf7071';

describe('state snapshots (restart from a root)', () => {
  it('property: a snapshot after any transfer sequence restores the same root, balances and burn', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            from: fc.integer({ min: 0, max: 3 }),
            to: fc.integer({ min: 0, max: 3 }),
            amount: fc.bigInt({ min: 0n, max: 60_000n }),
          }),
          { maxLength: 30 },
        ),
        (steps) => {
          const s = genesis();
          for (const st of steps) {
            const nonce = s.account(key(st.from)).nonce;
            sm.apply(s, transfer(st.from, st.to, nonce, st.amount), ctx);
          }
          const back = TransferState.fromSnapshot(s.encodeSnapshot());
          assert.equal(toHex(back.root()), toHex(s.root()));
          assert.equal(back.burned, s.burned);
          assert.deepEqual(back.accounts(), s.accounts());
        },
      ),
    );
  });

  it('refuses a truncated, re-versioned or supply-breaking snapshot', () => {
    const bytes = genesis().encodeSnapshot();
    assert.throws(
      () => TransferState.fromSnapshot(bytes.subarray(0, bytes.length - 1)),
      RangeError,
    );
    assert.throws(
      () => TransferState.fromSnapshot(Uint8Array.of(2, ...bytes.subarray(1))),
      RangeError,
    );
    const inflated = Uint8Array.from(bytes);
    inflated[inflated.length - 1] = (inflated[inflated.length - 1] as number) + 1; // a balance + 1
    assert.throws(() => TransferState.fromSnapshot(inflated), /conserve/);
  });
});
