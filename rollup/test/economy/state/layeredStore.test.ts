import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  LayeredStore,
  type RecordCodec,
  type SingletonSpec,
  type TableSpec,
} from '../../../src/economy/state/layeredStore.ts';
import { toHex } from '../../../src/utils/hex.ts';

/** A test record: a counter and a variable-length note (so leaves differ in length). */
interface Rec {
  n: number;
  note: Uint8Array;
}

const recCodec: RecordCodec<Rec> = {
  encode: (v) => {
    const out = new Uint8Array(4 + v.note.length);
    new DataView(out.buffer).setUint32(0, v.n);
    out.set(v.note, 4);
    return out;
  },
  decode: (b) => {
    if (b.length < 4) throw new RangeError('record shorter than 4 bytes');
    return { n: new DataView(b.buffer, b.byteOffset).getUint32(0), note: b.slice(4) };
  },
  clone: (v) => ({ n: v.n, note: v.note.slice() }),
};

// Ids out of order, one bucket, 32 buckets, the default 4,096: every tree shape.
const T0: TableSpec<Rec> = { name: 'one-bucket', id: 7, codec: recCodec, bucketBits: 0 };
const T1: TableSpec<Rec> = { name: 'small', id: 2, codec: recCodec, bucketBits: 5 };
const T2: TableSpec<Rec> = { name: 'default', id: 30, codec: recCodec };
const TABLES = [T0, T1, T2];
const S0: SingletonSpec = { name: 'fees', id: 4 };
const S1: SingletonSpec = { name: 'monetary', id: 1 };
const SINGLETONS = [S0, S1];

/** Hex keys (as the economy writes them), short ASCII keys and the empty key. */
const KEYS = [
  '',
  'a',
  'ab',
  'b',
  'zz~',
  'post/1',
  'post/10',
  'post/2',
  ...Array.from({ length: 12 }, (_, i) => (i * 0x1f3d5b79 + 0x9e37).toString(16).padStart(64, '0')),
];
const key = (i: number) => KEYS[i % KEYS.length] as string;

const fresh = () => LayeredStore.create(TABLES, SINGLETONS);
const rec = (n: number, len = 0): Rec => ({ n, note: new Uint8Array(len).fill(n & 0xff) });
const hex = (b: Uint8Array) => toHex(b);

type Model = { tables: Map<string, Rec>[]; singles: Map<number, Uint8Array> };
const copyModel = (m: Model): Model => ({
  tables: m.tables.map((t) => new Map([...t].map(([k, v]) => [k, recCodec.clone(v)]))),
  singles: new Map(m.singles),
});

function assertMatches(store: LayeredStore, model: Model): void {
  for (const [i, spec] of TABLES.entries()) {
    const t = store.table(spec);
    const m = model.tables[i] as Map<string, Rec>;
    assert.equal(t.size, m.size, `${spec.name} size`);
    for (const k of KEYS) {
      assert.equal(t.has(k), m.has(k));
      assert.deepEqual(t.get(k), m.get(k));
    }
    const sorted = [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    assert.deepEqual(t.entries(), sorted);
  }
  for (const s of SINGLETONS) assert.deepEqual(store.getSingleton(s), model.singles.get(s.id));
}

type Op =
  | { kind: 'set'; t: number; k: number; n: number; len: number }
  | { kind: 'mutate'; t: number; k: number; d: number }
  | { kind: 'delete'; t: number; k: number }
  | { kind: 'child' }
  | { kind: 'compact'; back: number }
  | { kind: 'root' }
  | { kind: 'single'; s: number; v: number | null };

const tableIx = fc.nat(TABLES.length - 1);
const keyIx = fc.nat(KEYS.length - 1);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      t: tableIx,
      k: keyIx,
      n: fc.nat(),
      len: fc.nat(40),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('mutate' as const),
      t: tableIx,
      k: keyIx,
      d: fc.integer({ min: 1, max: 9 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), t: tableIx, k: keyIx }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'child' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const), back: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'root' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('single' as const),
      s: fc.nat(1),
      v: fc.option(fc.nat(255)),
    }),
  },
);

describe('LayeredStore against a Map model', () => {
  it('random writes across child()/compact() read like the model; root() = rootFromScratch() = a fresh build', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), fc.nat(), (ops, seed) => {
        // The chain of layers still in use, oldest first, each with the model it must show.
        let chain: { store: LayeredStore; model: Model }[] = [
          { store: fresh(), model: { tables: TABLES.map(() => new Map()), singles: new Map() } },
        ];
        const tip = () => chain[chain.length - 1] as { store: LayeredStore; model: Model };
        for (const op of ops) {
          const { store, model } = tip();
          switch (op.kind) {
            case 'set': {
              const v = rec(op.n, op.len);
              store.table(TABLES[op.t] as TableSpec<Rec>).set(key(op.k), v);
              (model.tables[op.t] as Map<string, Rec>).set(key(op.k), recCodec.clone(v));
              break;
            }
            case 'mutate': {
              const r = store.table(TABLES[op.t] as TableSpec<Rec>).getMut(key(op.k));
              const m = (model.tables[op.t] as Map<string, Rec>).get(key(op.k));
              assert.deepEqual(r, m);
              if (r !== undefined && m !== undefined) {
                r.n = (r.n + op.d) >>> 0;
                r.note = new Uint8Array(op.d).fill(op.d);
                m.n = r.n;
                m.note = r.note.slice();
              }
              break;
            }
            case 'delete': {
              const had = (model.tables[op.t] as Map<string, Rec>).delete(key(op.k));
              assert.equal(store.table(TABLES[op.t] as TableSpec<Rec>).delete(key(op.k)), had);
              break;
            }
            case 'child':
              chain.push({ store: store.child(), model: copyModel(model) });
              break;
            case 'compact': {
              const at = Math.max(0, chain.length - 1 - op.back);
              (chain[at] as { store: LayeredStore }).store.compact();
              chain = chain.slice(at);
              assert.equal((chain[0] as { store: LayeredStore }).store.depth, 0);
              break;
            }
            case 'root':
              assert.equal(hex(store.root()), hex(store.rootFromScratch()));
              break;
            case 'single': {
              const spec = SINGLETONS[op.s] as SingletonSpec;
              if (op.v === null) {
                assert.equal(store.deleteSingleton(spec), model.singles.delete(spec.id));
              } else {
                store.setSingleton(spec, Uint8Array.of(op.v, op.s));
                model.singles.set(spec.id, Uint8Array.of(op.v, op.s));
              }
              break;
            }
          }
        }
        // Every layer still in use (sealed ancestors included) shows its own model.
        for (const { store, model } of chain) {
          assertMatches(store, model);
          assert.equal(hex(store.root()), hex(store.rootFromScratch()));
        }
        // Order independence: the same contents written in another order, in one base layer.
        const { store, model } = tip();
        const rebuilt = fresh();
        let x = seed;
        for (const [i, spec] of TABLES.entries()) {
          const records = [...(model.tables[i] as Map<string, Rec>)];
          for (let j = records.length - 1; j > 0; j--) {
            x = (Math.imul(x, 1103515245) + 12345) >>> 0;
            const r = x % (j + 1);
            [records[j], records[r]] = [records[r] as [string, Rec], records[j] as [string, Rec]];
          }
          for (const [k, v] of records) rebuilt.table(spec).set(k, recCodec.clone(v));
        }
        for (const [id, v] of model.singles)
          rebuilt.setSingleton(SINGLETONS.find((s) => s.id === id) as SingletonSpec, v);
        assert.equal(hex(rebuilt.root()), hex(store.root()));
      }),
      { numRuns: 150 },
    );
  });
});

describe('LayeredStore forks', () => {
  it('writes in a child never show in its parent or in a sibling', () => {
    const p = fresh();
    p.table(T1).set('k', rec(1));
    p.table(T1).set('gone', rec(9));
    const rootP = hex(p.root());
    const c = p.child();
    const s = p.child();
    c.table(T1).set('k', rec(2));
    c.table(T1).set('new', rec(3));
    c.table(T1).delete('gone');
    (s.table(T1).getMut('k') as Rec).n = 7;
    assert.deepEqual(p.table(T1).get('k'), rec(1));
    assert.deepEqual(c.table(T1).get('k'), rec(2));
    assert.deepEqual(s.table(T1).get('k'), { n: 7, note: new Uint8Array(0) });
    assert.equal(p.table(T1).has('new'), false);
    assert.equal(s.table(T1).has('new'), false);
    assert.equal(p.table(T1).has('gone'), true);
    assert.equal(s.table(T1).has('gone'), true);
    assert.equal(c.table(T1).has('gone'), false);
    assert.deepEqual([p.table(T1).size, c.table(T1).size, s.table(T1).size], [2, 2, 2]);
    assert.equal(hex(p.root()), rootP);
    assert.notEqual(hex(c.root()), rootP);
    assert.notEqual(hex(s.root()), hex(c.root()));
    for (const l of [p, c, s]) assert.equal(hex(l.root()), hex(l.rootFromScratch()));
  });

  it('getMut copies an ancestor record: mutating the copy leaves the parent as it was', () => {
    const p = fresh();
    p.table(T2).set('k', rec(1, 3));
    const c = p.child();
    const m = c.table(T2).getMut('k') as Rec;
    m.n = 5;
    (m.note as Uint8Array)[0] = 0xee;
    assert.deepEqual(p.table(T2).get('k'), rec(1, 3));
    assert.equal(c.table(T2).get('k'), m);
  });

  it('a sealed layer throws on every write; reads and root() still work', () => {
    const p = fresh();
    p.table(T0).set('k', rec(1));
    p.setSingleton(S0, Uint8Array.of(1));
    const root = hex(p.root());
    p.child();
    assert.equal(p.sealed, true);
    const t = p.table(T0);
    assert.throws(() => t.set('k', rec(2)), { name: 'Error', message: /sealed/ });
    assert.throws(() => t.set('other', rec(2)), /sealed/);
    assert.throws(() => t.getMut('k'), /sealed/);
    assert.throws(() => t.delete('k'), /sealed/);
    assert.throws(() => p.setSingleton(S0, Uint8Array.of(2)), /sealed/);
    assert.throws(() => p.deleteSingleton(S0), /sealed/);
    assert.deepEqual(t.get('k'), rec(1));
    assert.equal(hex(p.root()), root);
  });

  it('a child with no write has its parent’s root; sizes follow overlays and tombstones', () => {
    const p = fresh();
    for (const k of ['a', 'b', 'c']) p.table(T2).set(k, rec(1));
    const c = p.child();
    assert.equal(hex(c.root()), hex(p.root()));
    const t = c.table(T2);
    t.set('a', rec(2)); // replace: same size
    assert.equal(t.size, 3);
    assert.equal(t.delete('b'), true);
    assert.equal(t.delete('b'), false);
    assert.equal(t.size, 2);
    t.set('b', rec(3)); // back over its own tombstone
    t.set('d', rec(4));
    assert.equal(t.size, 4);
    assert.equal(t.delete('d'), true); // inserted and deleted in the same layer
    assert.equal(t.size, 3);
    assert.equal(p.table(T2).size, 3);
    assert.deepEqual(
      t.entries().map(([k]) => k),
      ['a', 'b', 'c'],
    );
  });

  it('a deleted record leaves its bucket: delete then root = root without it', () => {
    const a = fresh();
    a.table(T0).set('x', rec(1));
    const before = hex(a.root());
    const c = a.child();
    c.table(T0).set('y', rec(2));
    c.root();
    const d = c.child();
    d.table(T0).delete('y');
    assert.equal(hex(d.root()), before);
  });

  it('set rejects keys that are not ASCII or longer than 65,535, and undefined values', () => {
    const t = fresh().table(T1);
    assert.throws(() => t.set('é', rec(1)), RangeError);
    assert.throws(() => t.set('a'.repeat(65_536), rec(1)), RangeError);
    assert.throws(() => t.set('k', undefined as unknown as Rec), RangeError);
    t.set('a'.repeat(65_535), rec(1));
    assert.equal(t.size, 1);
  });

  it('table() and the singleton calls take only the specs of the schema', () => {
    const s = fresh();
    assert.throws(() => s.table({ ...T1 }), /not in the schema/);
    assert.throws(() => s.getSingleton({ name: 'x', id: 99 }), /not in the schema/);
    assert.throws(
      () => LayeredStore.create([T1, { ...T2, id: T1.id }]),
      (e: unknown) => e instanceof RangeError && /duplicate id/.test(e.message),
    );
    assert.throws(() => LayeredStore.create([{ ...T1, bucketBits: 21 }]), RangeError);
    assert.throws(() => LayeredStore.create([{ ...T1, id: 256 }]), RangeError);
  });
});

describe('LayeredStore.compact', () => {
  /** base → a → b → c, each with writes; roots computed or not. */
  function chain(computeRoots: boolean) {
    const base = fresh();
    for (let i = 0; i < 50; i++) base.table(T1).set(`k${i}`, rec(i));
    base.setSingleton(S1, Uint8Array.of(1));
    if (computeRoots) base.root();
    const a = base.child();
    a.table(T1).delete('k1');
    (a.table(T1).getMut('k2') as Rec).n = 200;
    a.table(T2).set('only-a', rec(1));
    if (computeRoots) a.root();
    const b = a.child();
    b.table(T1).set('k1', rec(100)); // back over a's tombstone
    b.table(T1).delete('k3');
    b.deleteSingleton(S1);
    if (computeRoots) b.root();
    const c = b.child();
    c.table(T1).set('k50', rec(50));
    c.setSingleton(S0, Uint8Array.of(7));
    const sibling = a.child();
    return { base, a, b, c, sibling };
  }

  for (const computeRoots of [true, false]) {
    it(`folds the ancestors into the compacted layer; descendants keep working (roots ${computeRoots ? 'computed' : 'never computed'} before)`, () => {
      const { base, a, b, c, sibling } = chain(computeRoots);
      const bEntries = b.table(T1).entries();
      const bRoot = hex(b.rootFromScratch());
      const cRoot = hex(c.rootFromScratch());
      const bSize = b.table(T1).size;
      b.compact();
      assert.equal(b.depth, 0);
      assert.equal(c.depth, 1);
      assert.equal(b.table(T1).size, bSize);
      assert.deepEqual(b.table(T1).entries(), bEntries);
      assert.equal(b.getSingleton(S1), undefined);
      assert.equal(hex(b.root()), bRoot);
      assert.equal(hex(c.root()), cRoot);
      assert.deepEqual(c.getSingleton(S0), Uint8Array.of(7));
      // c keeps writing and forking after its ancestors were folded.
      c.table(T1).delete('k0');
      const d = c.child();
      d.table(T2).set('d', rec(4));
      assert.equal(hex(d.root()), hex(d.rootFromScratch()));
      assert.equal(d.table(T1).has('k0'), false);
      assert.deepEqual(d.table(T1).get('k1'), rec(100));
      // The ancestors, and the branch that forked from one of them, are retired.
      for (const gone of [base, a]) {
        assert.throws(() => gone.table(T1).get('k5'), /compact/);
        assert.throws(() => gone.root(), /compact/);
      }
      assert.throws(() => sibling.table(T1).get('k5'), /compact/);
      assert.throws(() => sibling.root(), /compact/);
    });
  }

  it('compacting the layer that is being written keeps its pending writes', () => {
    const base = fresh();
    base.table(T2).set('x', rec(1));
    const a = base.child();
    a.table(T2).set('y', rec(2));
    a.compact(); // unsealed, never rooted
    a.table(T2).set('z', rec(3));
    assert.equal(a.table(T2).size, 3);
    assert.equal(hex(a.root()), hex(a.rootFromScratch()));
    a.compact(); // already a base: no-op
    assert.equal(a.depth, 0);
  });
});
