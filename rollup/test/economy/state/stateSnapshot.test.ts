import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  LayeredStore,
  type RecordCodec,
  type SingletonSpec,
  type TableSpec,
} from '../../../src/economy/state/layeredStore.ts';
import { compileSchema } from '../../../src/economy/state/stateSchema.ts';
import { encodeSnapshot } from '../../../src/economy/state/stateSnapshot.ts';
import { toHex } from '../../../src/utils/hex.ts';

interface Acc {
  nonce: number;
  balance: bigint;
}

/** Canonical: u32 nonce ‖ u64 balance, exactly 12 bytes. */
const accCodec: RecordCodec<Acc> = {
  encode: (v) => {
    const out = new Uint8Array(12);
    const view = new DataView(out.buffer);
    view.setUint32(0, v.nonce);
    view.setBigUint64(4, v.balance);
    return out;
  },
  decode: (b) => {
    if (b.length !== 12) throw new RangeError('account is 12 bytes');
    const view = new DataView(b.buffer, b.byteOffset, 12);
    return { nonce: view.getUint32(0), balance: view.getBigUint64(4) };
  },
  clone: (v) => ({ ...v }),
};

const bytesCodec: RecordCodec<Uint8Array> = {
  encode: (v) => v,
  decode: (b) => b.slice(),
  clone: (v) => v.slice(),
};

const ACCOUNTS: TableSpec<Acc> = { name: 'accounts', id: 1, codec: accCodec, bucketBits: 6 };
const BLOBS: TableSpec<Uint8Array> = { name: 'blobs', id: 0, codec: bytesCodec };
const TABLES = [ACCOUNTS, BLOBS];
const FEES: SingletonSpec = { name: 'fees', id: 2 };
const MONETARY: SingletonSpec = { name: 'monetary', id: 0 };
const SINGLETONS = [FEES, MONETARY];
const hex = toHex;

function populated(n: number): LayeredStore {
  let s = LayeredStore.create(TABLES, SINGLETONS);
  for (let i = 0; i < n; i++)
    s.table(ACCOUNTS).set(`acc${i}`, { nonce: i, balance: BigInt(i) * 10n });
  s.table(BLOBS).set('blob', Uint8Array.of(1, 2, 3));
  s.setSingleton(FEES, Uint8Array.of(9, 9));
  s.root();
  // Through a fork and a compaction: a snapshot is taken of the node's root bank.
  s = s.child();
  s.table(ACCOUNTS).delete('acc0');
  (s.table(ACCOUNTS).getMut('acc1') as Acc).balance = 1n;
  s.table(BLOBS).set('empty', new Uint8Array(0));
  return s;
}

describe('state snapshot', () => {
  it('round-trips: same root, records, singletons and the same bytes again', () => {
    const s = populated(50);
    const bytes = s.encodeSnapshot();
    const back = LayeredStore.fromSnapshot(TABLES, bytes, SINGLETONS);
    assert.equal(hex(back.root()), hex(s.root()));
    assert.equal(hex(back.root()), hex(back.rootFromScratch()));
    assert.deepEqual(back.table(ACCOUNTS).entries(), s.table(ACCOUNTS).entries());
    assert.deepEqual(back.table(BLOBS).entries(), s.table(BLOBS).entries());
    assert.equal(back.table(ACCOUNTS).size, 49);
    assert.deepEqual(back.getSingleton(FEES), Uint8Array.of(9, 9));
    assert.equal(back.getSingleton(MONETARY), undefined);
    assert.equal(hex(back.encodeSnapshot()), hex(bytes));
    // A loaded state is an ordinary base layer: it forks and roots incrementally.
    const c = back.child();
    c.table(ACCOUNTS).set('acc0', { nonce: 0, balance: 0n });
    assert.equal(hex(c.root()), hex(c.rootFromScratch()));
  });

  it('round-trips random contents (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'binary-ascii', maxLength: 12 }), fc.nat(), {
          maxKeys: 40,
        }),
        fc.option(fc.uint8Array({ maxLength: 20 })),
        (records, fees) => {
          const s = LayeredStore.create(TABLES, SINGLETONS);
          for (const [k, n] of Object.entries(records))
            s.table(ACCOUNTS).set(k, { nonce: n, balance: BigInt(n) });
          if (fees !== null) s.setSingleton(FEES, fees);
          const back = LayeredStore.fromSnapshot(TABLES, s.encodeSnapshot(), SINGLETONS);
          assert.equal(hex(back.root()), hex(s.root()));
          assert.deepEqual(back.table(ACCOUNTS).entries(), s.table(ACCOUNTS).entries());
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects every truncation and any extension with RangeError', () => {
    const bytes = populated(3).encodeSnapshot();
    for (let n = 0; n < bytes.length; n++)
      assert.throws(
        () => LayeredStore.fromSnapshot(TABLES, bytes.subarray(0, n), SINGLETONS),
        RangeError,
      );
    for (const extra of [Uint8Array.of(0), Uint8Array.of(1, 2, 3)]) {
      const longer = new Uint8Array([...bytes, ...extra]);
      assert.throws(() => LayeredStore.fromSnapshot(TABLES, longer, SINGLETONS), /trailing/);
    }
  });

  it('rejects any single changed byte with RangeError (the root covers what the format does not)', () => {
    const bytes = populated(3).encodeSnapshot();
    for (let i = 0; i < bytes.length; i++) {
      const bad = bytes.slice();
      bad[i] = (bad[i] as number) ^ 0x01;
      assert.throws(
        () => LayeredStore.fromSnapshot(TABLES, bad, SINGLETONS),
        RangeError,
        `byte ${i}`,
      );
    }
  });

  it('rejects garbage with RangeError, never another error', () => {
    const header = populated(3).encodeSnapshot().subarray(0, 18); // tag ‖ format
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (junk, withHeader) => {
        const bytes = withHeader ? new Uint8Array([...header, ...junk]) : junk;
        assert.throws(() => LayeredStore.fromSnapshot(TABLES, bytes, SINGLETONS), RangeError);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a snapshot of another schema', () => {
    const bytes = populated(3).encodeSnapshot();
    const cases: [TableSpec<unknown>[], SingletonSpec[], RegExp][] = [
      [
        [{ ...ACCOUNTS, bucketBits: 7 } as TableSpec<unknown>, BLOBS as TableSpec<unknown>],
        SINGLETONS,
        /bucket bits/,
      ],
      [[ACCOUNTS as TableSpec<unknown>], SINGLETONS, /tables/],
      [
        [{ ...ACCOUNTS, id: 3 } as TableSpec<unknown>, BLOBS as TableSpec<unknown>],
        SINGLETONS,
        /table id/,
      ],
      [TABLES as TableSpec<unknown>[], [MONETARY], /unknown singleton/],
    ];
    for (const [tables, singletons, message] of cases)
      assert.throws(() => LayeredStore.fromSnapshot(tables, bytes, singletons), message);
  });

  it('rejects unsorted or duplicate keys, non-canonical values and codec failures', () => {
    const schema = compileSchema({ tables: [ACCOUNTS as TableSpec<unknown>], singletons: [] });
    const acc = (n: number) => accCodec.encode({ nonce: n, balance: 0n });
    const root = new Uint8Array(32);
    const load = (records: [string, Uint8Array][]) =>
      LayeredStore.fromSnapshot([ACCOUNTS], encodeSnapshot(schema, [records], [], root));
    assert.throws(
      () =>
        load([
          ['b', acc(1)],
          ['a', acc(2)],
        ]),
      /ascending/,
    );
    assert.throws(
      () =>
        load([
          ['a', acc(1)],
          ['a', acc(2)],
        ]),
      /ascending/,
    );
    assert.throws(() => load([['a', new Uint8Array(11)]]), /does not decode/);
    assert.throws(() => load([['a', acc(1)]]), /root/); // well formed, wrong root

    // A lenient codec: decode also takes a 16-byte form that encode never writes.
    const lenient: RecordCodec<Acc> = {
      ...accCodec,
      decode: (b) => accCodec.decode(b.length === 16 ? b.subarray(4) : b),
    };
    const L = { ...ACCOUNTS, codec: lenient };
    const lSchema = compileSchema({ tables: [L as TableSpec<unknown>], singletons: [] });
    const wide = new Uint8Array([0, 0, 0, 0, ...acc(1)]);
    assert.throws(
      () => LayeredStore.fromSnapshot([L], encodeSnapshot(lSchema, [[['a', wide]]], [], root)),
      /canonical/,
    );

    // A codec that throws something other than RangeError still gives a RangeError.
    const throwing = {
      ...ACCOUNTS,
      codec: {
        ...accCodec,
        decode: () => {
          throw new TypeError('boom');
        },
      },
    };
    const tSchema = compileSchema({ tables: [throwing as TableSpec<unknown>], singletons: [] });
    assert.throws(
      () =>
        LayeredStore.fromSnapshot([throwing], encodeSnapshot(tSchema, [[['a', acc(1)]]], [], root)),
      RangeError,
    );
  });
});
