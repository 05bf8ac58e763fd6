import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { type Bucket, bucketDigest, rebuildBucket } from '../../../src/economy/state/bucket.ts';
import { LayeredStore, type RecordCodec } from '../../../src/economy/state/layeredStore.ts';
import { merkleRoot } from '../../../src/execution/merkleRoot.ts';
import { toHex } from '../../../src/utils/hex.ts';

const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);

/** FNV-1a 32 in BigInt arithmetic: a second implementation of the bucket function. */
function fnv1a(key: string): bigint {
  let h = 0x811c9dc5n;
  for (const b of ascii(key)) h = ((h ^ BigInt(b)) * 0x01000193n) % 2n ** 32n;
  return h;
}
const bucket = (key: string, bits: number) =>
  bits === 0 ? 0 : Number(fnv1a(key) >> BigInt(32 - bits));
const leaf = (key: string, value: Uint8Array) =>
  sha(Uint8Array.of(0x00), u16(key.length), ascii(key), value);
const node = (l: Uint8Array, r: Uint8Array) => sha(Uint8Array.of(0x01), l, r);

/** Values are their bytes. */
const bytesCodec: RecordCodec<Uint8Array> = {
  encode: (v) => v,
  decode: (b) => b.slice(),
  clone: (v) => v.slice(),
};

describe('state root: known answers', () => {
  it('a tiny store has the root the documented layout gives, computed by hand', () => {
    const T = { name: 't', id: 5, codec: bytesCodec, bucketBits: 1 };
    const U = { name: 'u', id: 2, codec: bytesCodec, bucketBits: 0 };
    const S3 = { name: 's3', id: 3 };
    const S9 = { name: 's9', id: 9 };
    const store = LayeredStore.create([T, U], [S9, S3]);
    const t = store.table(T);
    const records: [string, Uint8Array][] = [
      ['a', Uint8Array.of(1)],
      ['b', Uint8Array.of(2, 3)],
      ['c', new Uint8Array(0)],
      ['dd', Uint8Array.of(4)],
    ];
    for (const [k, v] of [...records].reverse()) t.set(k, v);
    store.table(U).set('k', Uint8Array.of(0xff));
    store.setSingleton(S3, Uint8Array.of(7, 7));

    // By hand: table t has 2 buckets (top bit of FNV-1a), each the Merkle root of its leaves in
    // key order (pairs, an odd last node moves up); table u has one bucket.
    const inBucket = (b: number) => records.filter(([k]) => bucket(k, 1) === b);
    assert.deepEqual(
      records.map(([k]) => bucket(k, 1)),
      [1, 1, 1, 0],
      'the buckets this test was written for',
    );
    const b0 = leaf(...(inBucket(0)[0] as [string, Uint8Array])); // 'dd' alone
    const [a, b, c] = inBucket(1).map(([k, v]) => leaf(k, v)) as [
      Uint8Array,
      Uint8Array,
      Uint8Array,
    ];
    const b1 = node(node(a, b), c); // 'c' moves up
    const rootT = node(b0, b1);
    const rootU = leaf('k', Uint8Array.of(0xff));
    const s3 = sha(Uint8Array.of(0x02, 3), Uint8Array.of(7, 7));
    const s9 = new Uint8Array(32); // absent
    const expected = sha(ascii('moltbook/state/v2'), rootU, rootT, s3, s9);
    assert.equal(toHex(store.root()), toHex(expected));
    assert.equal(toHex(store.rootFromScratch()), toHex(expected));
    // Frozen: a change of layout must show here too, not only in both implementations.
    assert.equal(
      toHex(expected),
      '2103e8fcb3a7921605e2c5e155e269efe19caf1660cb11c953129b0dcdc03b06',
    );
  });

  it('an empty table of 4,096 buckets is the perfect tree of 32 zero bytes, 12 levels up', () => {
    const store = LayeredStore.create([{ name: 'e', id: 0, codec: bytesCodec }]);
    let z = new Uint8Array(32);
    for (let h = 0; h < 12; h++) z = node(z, z);
    assert.equal(toHex(store.root()), toHex(sha(ascii('moltbook/state/v2'), z)));
  });

  it('a record in bucket i of 4,096 sits at leaf i of the fixed-shape tree', () => {
    const E = { name: 'e', id: 0, codec: bytesCodec };
    const store = LayeredStore.create([E]);
    const key = 'f00d'.repeat(16);
    store.table(E).set(key, Uint8Array.of(9));
    let level: Uint8Array[] = Array.from({ length: 4096 }, () => new Uint8Array(32));
    level[bucket(key, 12)] = leaf(key, Uint8Array.of(9));
    while (level.length > 1)
      level = Array.from({ length: level.length / 2 }, (_, i) =>
        node(level[2 * i] as Uint8Array, level[2 * i + 1] as Uint8Array),
      );
    assert.equal(
      toHex(store.root()),
      toHex(sha(ascii('moltbook/state/v2'), level[0] as Uint8Array)),
    );
  });
});

describe('bucket rebuild', () => {
  const KEYS = Array.from({ length: 40 }, (_, i) => `k${(i * 37) % 100}`);
  /** Leaf hashes as the store passes them: 32-char latin1 strings. */
  const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
  const leafOf = (k: string, version: number) => latin1(sha(ascii(k), Uint8Array.of(version)));

  it('every change set over a 5-key universe gives the tree built from scratch (exhaustive)', () => {
    const U = ['a', 'b', 'c', 'd', 'e'];
    const leafV = (k: string, v: number) => latin1(sha(ascii(k), Uint8Array.of(v)));
    for (let present = 0; present < 1 << U.length; present++) {
      const initial = U.filter((_, i) => (present >> i) & 1).map((key) => ({
        key,
        leaf: leafV(key, 0),
      }));
      const old = rebuildBucket(null, initial);
      // Per key: 0 untouched, 1 deleted, 2 set to the same leaf, 3 set to a new leaf.
      for (let code = 0; code < 4 ** U.length; code++) {
        const changes: { key: string; leaf: string | null }[] = [];
        const after = new Map(initial.map((r) => [r.key, r.leaf]));
        for (const [i, key] of U.entries()) {
          const what = Math.floor(code / 4 ** i) % 4;
          if (what === 0) continue;
          const l = what === 1 ? null : leafV(key, what === 2 ? 0 : 1);
          changes.push({ key, leaf: l });
          if (l === null) after.delete(key);
          else after.set(key, l);
        }
        const expected = U.filter((k) => after.has(k)).map((key) => ({
          key,
          leaf: after.get(key) as string,
        }));
        const got = rebuildBucket(old, changes);
        const scratch = rebuildBucket(null, expected);
        assert.deepEqual(got?.nodes ?? null, scratch?.nodes ?? null);
      }
    }
  });

  const changesArb = (maxLength: number) =>
    fc.uniqueArray(fc.record({ k: fc.nat(KEYS.length - 1), v: fc.option(fc.nat(3)) }), {
      selector: (c) => c.k,
      maxLength,
    });

  it('applying changes to a bucket gives the tree built from scratch, and merkleRoot of its leaves', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(KEYS.length - 1)),
        // Mostly a few changes (a block touches few records of a bucket), sometimes many.
        fc.oneof(
          { weight: 3, arbitrary: changesArb(3) },
          { weight: 1, arbitrary: changesArb(KEYS.length) },
        ),
        (present, changes) => {
          const sortByKey = <X extends { key: string }>(xs: X[]) =>
            xs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
          const initial = sortByKey(
            present.map((i) => ({ key: KEYS[i] as string, leaf: leafOf(KEYS[i] as string, 9) })),
          );
          const old = rebuildBucket(null, initial);
          const delta = sortByKey(
            changes.map((c) => ({
              key: KEYS[c.k] as string,
              leaf: c.v === null ? null : leafOf(KEYS[c.k] as string, c.v),
            })),
          );
          const model = new Map(initial.map((r) => [r.key, r.leaf]));
          for (const d of delta) {
            if (d.leaf === null) model.delete(d.key);
            else model.set(d.key, d.leaf);
          }
          const expected = sortByKey([...model].map(([key, l]) => ({ key, leaf: l })));
          const got = rebuildBucket(old, delta);
          const scratch = rebuildBucket(null, expected);
          if (expected.length === 0) {
            assert.equal(got, null);
            return;
          }
          const g = got as Bucket;
          assert.deepEqual(
            g.keys,
            expected.map((r) => r.key),
          );
          assert.deepEqual(g.nodes, (scratch as Bucket).nodes);
          assert.equal(
            toHex(ascii(bucketDigest(g))),
            toHex(merkleRoot(expected.map((r) => ascii(r.leaf)))),
          );
          // The old bucket is untouched (layers share it).
          if (old !== null)
            assert.deepEqual(
              old.keys,
              initial.map((r) => r.key),
            );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('root determinism', () => {
  it('root-affecting code uses no Math.random, clock, float or division', () => {
    const dir = fileURLToPath(new URL('../../../src/economy/state/', import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 5);
    for (const f of files) {
      const code = readFileSync(join(dir, f), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '')
        .replace(/'(?:[^'\\\n]|\\.)*'/g, "''")
        .replace(/`(?:[^`\\]|\\.)*`/g, '``');
      for (const banned of [
        /Math\.(?!imul\b|clz32\b)/,
        /\bDate\b/,
        /\bperformance\b/,
        /hrtime/,
        /parseFloat|toFixed|Number\.EPSILON/,
        /\b\d+\.\d+/,
        /\//,
      ])
        assert.doesNotMatch(code, banned, `${f}: ${banned}`);
    }
  });
});
