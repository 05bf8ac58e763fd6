/**
 * `npm run bench poh` — PoH hash-chain speed on one core (DESIGN.md §7 goal: ≥ 2 M SHA-256/s),
 * comparing our PoH kernel (rollup/src/poh/sha256Chain.ts) with node:crypto `hash`, `createHash`
 * and @noble/hashes in the same run, then the Poh state machine itself and the parallel verifier.
 */
import { createHash, hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { Poh } from '../rollup/src/poh/poh.ts';
import { PohVerifierPool } from '../rollup/src/poh/pohVerifierPool.ts';
import { sha256ChainWords } from '../rollup/src/poh/sha256Chain.ts';
import { createReporter, median } from './lib/report.ts';

const N = Number(process.env.BENCH_POH_HASHES ?? 2_000_000);
const RUNS = Number(process.env.BENCH_POH_RUNS ?? 5);
const seed = new Uint8Array(32).fill(7);

function rate(run: () => void): number {
  run(); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    run();
    const ns = Number(process.hrtime.bigint() - t0);
    samples.push((N * 1e9) / ns);
  }
  return Math.round(median(samples));
}

const candidates: Record<string, () => void> = {
  crypto_hash: () => {
    let h: Uint8Array = seed;
    for (let i = 0; i < N; i++) h = hash('sha256', h, 'buffer');
  },
  create_hash: () => {
    let h: Uint8Array = seed;
    for (let i = 0; i < N; i++) h = createHash('sha256').update(h).digest();
  },
  noble_hashes: () => {
    let h: Uint8Array = seed;
    for (let i = 0; i < N; i++) h = nobleSha256(h);
  },
  sha256_chain_kernel: () => {
    sha256ChainWords(new Int32Array(8).fill(0x07070707), N);
  },
  poh_state_machine: () => {
    const poh = new Poh({ startHash: seed, hashesPerTick: 12_500 });
    let done = 0;
    while (done < N) {
      const before = poh.remainingHashes;
      if (poh.hash(64)) {
        poh.tick();
        done += before;
      } else {
        done += before - poh.remainingHashes;
      }
    }
  },
};

const report = createReporter();
const results: Record<string, number> = {};
for (const [name, run] of Object.entries(candidates)) {
  results[name] = rate(run);
  report.emit({
    name: `poh.hashes_per_s.${name}`,
    value: results[name] as number,
    unit: 'hashes/s',
    params: { hashes: N, runs: RUNS, threads: 1 },
  });
}
const ours = results.sha256_chain_kernel as number;
for (const peer of ['crypto_hash', 'create_hash', 'noble_hashes'] as const) {
  report.emit({
    name: `poh.ratio.kernel_vs_${peer}`,
    value: Math.round((ours / (results[peer] as number)) * 100) / 100,
    unit: 'x',
  });
}

// Verification of one slot's worth of entries, 1 thread vs all cores.
const slotTicks = 64 * 4;
const poh = new Poh({ startHash: seed, hashesPerTick: 12_500 });
const entries = [];
for (let t = 0; t < slotTicks; t++) {
  while (!poh.hash(1 << 20)) {}
  const e = poh.tick();
  if (e !== null) entries.push(e);
}
const totalHashes = slotTicks * 12_500;
for (const threads of [1, availableParallelism()]) {
  const pool = new PohVerifierPool({ threads });
  const rules = { hashesPerTick: 12_500 };
  await pool.verify(seed, entries, rules); // warm-up (worker start)
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    const v = await pool.verify(seed, entries, rules);
    const ns = Number(process.hrtime.bigint() - t0);
    if (v.kind !== 'valid') throw new Error(`bench produced an invalid chain: ${v.kind}`);
    samples.push((totalHashes * 1e9) / ns);
  }
  await pool.close();
  report.emit({
    name: `poh.verify_hashes_per_s.threads_${threads}`,
    value: Math.round(median(samples)),
    unit: 'hashes/s',
    params: { hashes: totalHashes, entries: entries.length, threads, runs: RUNS },
  });
}
report.table(`PoH — goal ≥ 2,000,000 hashes/s on one core (DESIGN.md §7)`);
