/**
 * `npm run bench stateStore` — the attention economy's state container
 * (rollup/src/economy/state/layeredStore.ts) at node scale: R records across T tables, then B
 * blocks executed the way the node does (each a `child()` of the previous block's state, M
 * mutations — half inserts, half `getMut` updates — then `root()`), with the node's root lagging
 * L blocks behind the tip (`compact()` on the newly rooted block, §7.5: 32 confirmations).
 *
 * Reports ms per child(), per root() and per compact(), get() through L layers, memory, and the
 * peers in the same process: the same root with no cache (`rootFromScratch`, what re-sorting and
 * re-hashing every record costs) and a fork that copies every record (TransferState.clone's way).
 *
 * Sizes: BENCH_STATE_RECORDS (1,000,000), BENCH_STATE_TABLES (4), BENCH_STATE_BLOCKS (100),
 * BENCH_STATE_MUTATIONS (10,000), BENCH_STATE_ROOT_LAG (32), BENCH_STATE_BUCKET_BITS (12).
 */
import { hash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  LayeredStore,
  type RecordCodec,
  type Table,
  type TableSpec,
} from '../rollup/src/economy/state/layeredStore.ts';
import { bucketOf } from '../rollup/src/economy/state/stateHashing.ts';
import { createReporter, median } from './lib/report.ts';

const R = Number(process.env.BENCH_STATE_RECORDS ?? 1_000_000);
const T = Number(process.env.BENCH_STATE_TABLES ?? 4);
const B = Number(process.env.BENCH_STATE_BLOCKS ?? 100);
const M = Number(process.env.BENCH_STATE_MUTATIONS ?? 10_000);
const LAG = Number(process.env.BENCH_STATE_ROOT_LAG ?? 32);
const BITS = Number(process.env.BENCH_STATE_BUCKET_BITS ?? 12);

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** An account-like record: 16 canonical bytes. */
interface Acc {
  nonce: bigint;
  balance: bigint;
}
const accCodec: RecordCodec<Acc> = {
  encode: (v) => {
    const out = new Uint8Array(16);
    const view = new DataView(out.buffer);
    view.setBigUint64(0, v.nonce);
    view.setBigUint64(8, v.balance);
    return out;
  },
  decode: (b) => {
    if (b.length !== 16) throw new RangeError('account is 16 bytes');
    const view = new DataView(b.buffer, b.byteOffset, 16);
    return { nonce: view.getBigUint64(0), balance: view.getBigUint64(8) };
  },
  clone: (v) => ({ nonce: v.nonce, balance: v.balance }),
};
const specs: TableSpec<Acc>[] = Array.from({ length: T }, (_, i) => ({
  name: `table${i}`,
  id: i,
  codec: accCodec,
  bucketBits: BITS,
}));

/** Keys like the economy's: 64 lowercase hex characters (a hash or a public key). */
let counter = 0;
const nextKey = () => hash('sha256', `record ${counter++}`, 'hex');

/** xorshift32: a reproducible workload, no Math.random. */
let rng = 0x9e3779b9;
function rand(n: number): number {
  rng ^= rng << 13;
  rng ^= rng >>> 17;
  rng ^= rng << 5;
  return (rng >>> 0) % n;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;

const report = createReporter();
const params = { records: R, tables: T, bucket_bits: BITS };
const heap0 = heapMiB();

// ── the bucket function: FNV-1a vs SHA-256 of the key (first, on a small warm heap) ──────────
{
  const sample = Array.from({ length: 100_000 }, (_, i) => hash('sha256', `probe ${i}`, 'hex'));
  const perKey = (f: (k: string) => number) => {
    const samples: number[] = [];
    let acc = 0;
    for (let r = 0; r < 6; r++) {
      const t = process.hrtime.bigint();
      for (const k of sample) acc ^= f(k);
      if (r > 0) samples.push(Number(process.hrtime.bigint() - t) / sample.length);
    }
    return acc === 0.5 ? 0 : median(samples);
  };
  const fnvNs = perKey((k) => bucketOf(k, BITS));
  const shaNs = perKey((k) => (hash('sha256', k, 'buffer')[0] as number) << 4);
  report.emit({
    name: 'state.bucket_fn_ns.fnv1a',
    value: round(fnvNs, 0),
    unit: 'ns',
    params: { key: '64 hex chars' },
  });
  report.emit({ name: 'state.bucket_fn_ns.sha256', value: round(shaNs, 0), unit: 'ns' });
}

// ── setup: R records in one base layer, then its first root (every bucket built once) ────────
const keys: string[][] = specs.map(() => []);
let t0 = process.hrtime.bigint();
const base = LayeredStore.create(specs);
for (let i = 0; i < R; i++) {
  const t = i % T;
  const k = nextKey();
  (keys[t] as string[]).push(k);
  base.table(specs[t] as TableSpec<Acc>).set(k, { nonce: 0n, balance: BigInt(i) });
}
const insertMs = ms(t0);
t0 = process.hrtime.bigint();
base.root();
const initialRootMs = ms(t0);
const heapBase = heapMiB();
report.emit({ name: 'state.setup.insert_ms', value: round(insertMs, 0), unit: 'ms', params });
report.emit({
  name: 'state.setup.first_root_ms',
  value: round(initialRootMs, 0),
  unit: 'ms',
  params,
});
report.emit({
  name: 'state.heap.bytes_per_record',
  value: Math.round(((heapBase - heap0) * 2 ** 20) / R),
  unit: 'B',
  params: { ...params, note: 'map entry + record + key + bucket caches' },
});

// ── blocks: child() + M mutations + root(); compact() the block LAG behind the tip ───────────
const childMs: number[] = [];
const mutateMs: number[] = [];
const rootMs: number[] = [];
const rootCpuMs: number[] = [];
const compactMs: number[] = [];
let chain: LayeredStore[] = [base];
for (let b = 0; b < B; b++) {
  const parent = chain[chain.length - 1] as LayeredStore;
  t0 = process.hrtime.bigint();
  const s = parent.child();
  childMs.push(ms(t0));
  const tables = specs.map((spec) => s.table(spec));
  t0 = process.hrtime.bigint();
  for (let m = 0; m < M; m++) {
    const t = m % T;
    const table = tables[t] as Table<Acc>;
    const ks = keys[t] as string[];
    if (m % 2 === 0) {
      const k = nextKey();
      ks.push(k);
      table.set(k, { nonce: 0n, balance: 1n });
    } else {
      const a = table.getMut(ks[rand(ks.length)] as string) as Acc;
      a.nonce += 1n;
      a.balance += 1n;
    }
  }
  mutateMs.push(ms(t0));
  t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  s.root();
  rootMs.push(ms(t0));
  const cpu = process.cpuUsage(cpu0);
  rootCpuMs.push((cpu.user + cpu.system) / 1000);
  chain.push(s);
  if (chain.length > LAG + 1) {
    const rooted = chain.length - 1 - LAG;
    t0 = process.hrtime.bigint();
    (chain[rooted] as LayeredStore).compact();
    compactMs.push(ms(t0));
    chain = chain.slice(rooted);
  }
}
const tip = chain[chain.length - 1] as LayeredStore;
const blockParams = { ...params, blocks: B, mutations: M, root_lag: LAG };
report.emit({
  name: 'state.child_ms.median',
  value: round(median(childMs)),
  unit: 'ms',
  params: blockParams,
});
report.emit({ name: 'state.child_ms.max', value: round(Math.max(...childMs)), unit: 'ms' });
report.emit({
  name: 'state.mutations_ms.median',
  value: round(median(mutateMs), 1),
  unit: 'ms',
  params: blockParams,
});
report.emit({
  name: 'state.root_ms.median',
  value: round(median(rootMs), 1),
  unit: 'ms',
  params: blockParams,
});
report.emit({ name: 'state.root_ms.p95', value: round(pct(rootMs, 95), 1), unit: 'ms' });
report.emit({
  name: 'state.root_cpu_ms.median',
  value: round(median(rootCpuMs), 1),
  unit: 'ms',
  params: { note: 'process CPU time, less sensitive to a loaded machine' },
});
report.emit({
  name: 'state.compact_ms.median',
  value: round(median(compactMs), 2),
  unit: 'ms',
  params: blockParams,
});
report.emit({ name: 'state.compact_ms.max', value: round(Math.max(...compactMs), 2), unit: 'ms' });

// ── reads through the overlay chain ──────────────────────────────────────────────────────────
function getNs(store: LayeredStore): number {
  const table = store.table(specs[0] as TableSpec<Acc>);
  const ks = keys[0] as string[];
  const n = 200_000;
  const probe = Array.from({ length: n }, () => ks[rand(R / T)] as string); // mostly base records
  for (let i = 0; i < 10_000; i++) table.get(probe[i] as string);
  const t = process.hrtime.bigint();
  for (const k of probe) table.get(k);
  return Number(process.hrtime.bigint() - t) / n;
}
const rootBank = chain[0] as LayeredStore;
report.emit({
  name: 'state.get_ns.tip',
  value: round(getNs(tip), 0),
  unit: 'ns',
  params: { depth: tip.depth },
});
report.emit({
  name: 'state.get_ns.root_bank',
  value: round(getNs(rootBank), 0),
  unit: 'ns',
  params: { depth: rootBank.depth },
});

// ── memory of the live overlays: the tip's heap, then the same state folded into one layer ───
const heapLive = heapMiB();
const records = specs.reduce((n, spec) => n + tip.table(spec).size, 0);
const tipRoot = Buffer.from(tip.root()).toString('hex');

// ── peers: the same root with no cache, and a fork that copies every record ──────────────────
t0 = process.hrtime.bigint();
const scratch = Buffer.from(tip.rootFromScratch()).toString('hex');
const scratchMs = ms(t0);
if (scratch !== tipRoot) throw new Error('incremental root differs from the root from scratch');
report.emit({
  name: 'state.root_from_scratch_ms',
  value: round(scratchMs, 0),
  unit: 'ms',
  params: { records },
});
report.emit({
  name: 'state.ratio.root_from_scratch_vs_incremental',
  value: round(scratchMs / median(rootMs), 1),
  unit: 'x',
});

t0 = process.hrtime.bigint();
const copies = specs.map((spec) => {
  const copy = new Map<string, Acc>();
  for (const [k, v] of tip.table(spec).entries()) copy.set(k, accCodec.clone(v));
  return copy;
});
const cloneMs = ms(t0);
report.emit({
  name: 'state.copy_all_fork_ms',
  value: round(cloneMs, 0),
  unit: 'ms',
  params: { records, note: 'TransferState.clone style' },
});
copies.length = 0;

tip.compact();
chain = [tip];
const heapFolded = heapMiB();
if (Buffer.from(tip.root()).toString('hex') !== tipRoot)
  throw new Error('compaction changed the root');
report.emit({
  name: 'state.heap.live_overlays_mib',
  value: round(heapLive - heapFolded, 1),
  unit: 'MiB',
  params: { layers: LAG, mutations: M },
});
report.emit({
  name: 'state.heap.per_live_block_mib',
  value: round((heapLive - heapFolded) / LAG, 2),
  unit: 'MiB',
});
report.emit({
  name: 'state.heap.total_mib',
  value: round(heapFolded - heap0, 0),
  unit: 'MiB',
  params: { records },
});

report.table(
  `state store: ${R.toLocaleString('en-US')} records in ${T} tables (2^${BITS} buckets each), ${B} blocks × ${M.toLocaleString('en-US')} mutations, root lag ${LAG}`,
);
