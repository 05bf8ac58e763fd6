/**
 * `npm run bench execution` — the attention-economy state machine (rollup/src/economy) on the
 * §15.1 transaction mix (65 % votes, 20 % replies, 8 % posts, 5 % bounty actions, 2 % other),
 * DESIGN.md §7 goals: execution alone ≥ 30,000 tx/s on one thread, the shard ≥ 10,000 tx/s.
 *
 * Workload (bench/lib/economyMix.ts): A identities (one signer key and a funded account each),
 * C communities, a warm-up history (posts, replies, bounties whose deadlines fall in the run),
 * then N signed transactions of the mix in blocks the way a leader builds them (SLOT_GAS_LIMIT,
 * §7.6 per-sender cap, one slot per block). Every transaction should succeed; the bench prints
 * each kind's outcome and fails (exit 1, after the figures) when one does not.
 *
 *   (a) execution alone: beginSlot + applyTx on decoded, signature-checked transactions, one
 *       state layer over the warm-up state; also by the process's CPU time, which a loaded,
 *       shared machine distorts less than the wall clock;
 *   (b) the node's layering: a child state per block (openBlockState) and its state root after
 *       each block — root ms per block (mean, p99) and the execution + root rate;
 *   (c) one thread, the node's replay path per transaction: size, decode, shard, Ed25519
 *       signature (validateStateless), nonce/fee/balance/§7.6 cap, then execution
 *       (executeValidTx); and the same plus (b)'s roots;
 *   (d) decode + verification (validateStateless) on worker threads, one per core.
 *
 * Full blocks raise the §10.5 base fee up to 1.5× per slot (0.1 → ~61 MOLT a post over the 19
 * blocks of the default sizes); the generator prices every maxFee from a mirror of the fee market
 * and stops with an error when the population can no longer pay (fewer BENCH_EXEC_TXS or more
 * BENCH_EXEC_ACCOUNTS then). History bounties need BOUNTY_MIN_DURATION_SLOTS (1,000), so the run
 * starts at slot 1,001 after skipped slots.
 *
 * Each figure is the median of RUNS timed runs after an untimed warm-up run. Sizes:
 * BENCH_EXEC_TXS (100,000), BENCH_EXEC_ACCOUNTS (10,000 identities), BENCH_EXEC_COMMUNITIES
 * (20), BENCH_EXEC_HISTORY (10,000 warm-up posts and replies), BENCH_EXEC_RUNS (3),
 * BENCH_EXEC_SEED (1), BENCH_EXEC_PARTS (a subset of `abcd`, all by default).
 */
import { availableParallelism, loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { EconomyState } from '../rollup/src/economy/economyState.ts';
import {
  applyTx,
  beginSlot,
  conservationHolds,
  type EconomyApplyResult,
} from '../rollup/src/economy/economyStateMachine.ts';
import { executeValidTx, type SenderGas } from '../rollup/src/node/replay.ts';
import { SignerKeyCache } from '../rollup/src/tx/signerKeyCache.ts';
import { validateStateless } from '../rollup/src/tx/validateTransaction.ts';
import { toHex } from '../rollup/src/utils/hex.ts';
import {
  buildEconomyMix,
  type EconomyMix,
  genesisOf,
  MIX_SHARES,
  type MixBlock,
  type MixClass,
} from './lib/economyMix.ts';
import { createReporter, median } from './lib/report.ts';

const N = Number(process.env.BENCH_EXEC_TXS ?? 100_000);
const A = Number(process.env.BENCH_EXEC_ACCOUNTS ?? 10_000);
const C = Number(process.env.BENCH_EXEC_COMMUNITIES ?? 20);
const HISTORY = Number(process.env.BENCH_EXEC_HISTORY ?? 10_000);
const RUNS = Number(process.env.BENCH_EXEC_RUNS ?? 3);
const SEED = Number(process.env.BENCH_EXEC_SEED ?? 1);
const PARTS = process.env.BENCH_EXEC_PARTS ?? 'abcd';
/** DESIGN.md §7: execution alone, §15.1 mix, one thread. */
const GOAL_EXECUTE = 30_000;
/** DESIGN.md §7: the whole shard. */
const GOAL_SHARD = 10_000;

const nowS = (): number => Number(process.hrtime.bigint()) / 1e9;

// ------------------------------------------------------------------ (d) worker side

interface VerifyShare {
  readonly txs: readonly Uint8Array[];
}

/** (d) Worker thread: steps 1-4 of edge validation over its share each time it is told to. */
function verifierWorker(): void {
  const port = parentPort;
  if (port === null) return;
  const { txs } = workerData as VerifyShare;
  const keys = new SignerKeyCache();
  port.on('message', () => {
    let rejected = 0;
    for (const bytes of txs)
      if (validateStateless(bytes, { shard: 0, keys }).kind !== 'valid') rejected += 1;
    port.postMessage(rejected);
  });
}

async function threadedVerify(
  encoded: readonly Uint8Array[],
  threads: number,
): Promise<{ seconds: number; rejected: number }> {
  const share = Math.ceil(encoded.length / threads);
  const workers = Array.from(
    { length: threads },
    (_, t) =>
      new Worker(new URL(import.meta.url), {
        workerData: { txs: encoded.slice(t * share, (t + 1) * share) } satisfies VerifyShare,
      }),
  );
  let rejected = 0;
  const round = () => {
    rejected = 0;
    return Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', (n: number) => {
              rejected += n;
              resolve();
            });
            w.once('error', reject);
            w.postMessage('go');
          }),
      ),
    );
  };
  await round(); // warm-up: keys imported, JIT warm
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = nowS();
    await round();
    samples.push(nowS() - start);
  }
  await Promise.all(workers.map((w) => w.terminate()));
  return { seconds: median(samples), rejected };
}

// ------------------------------------------------------------------ main thread

/** Outcomes of one kind of transaction. */
interface KindTally {
  cls: MixClass;
  count: number;
  success: number;
  /** `failed:<code>` / `invalid:<code>` → count and the first reason given. */
  readonly bad: Map<string, { n: number; reason: string }>;
}

function tallyOf(
  tally: Map<string, KindTally>,
  kind: string,
  cls: MixClass,
  r: EconomyApplyResult,
): void {
  let t = tally.get(kind);
  if (t === undefined) {
    t = { cls, count: 0, success: 0, bad: new Map() };
    tally.set(kind, t);
  }
  t.count += 1;
  if (r.kind === 'success') t.success += 1;
  else {
    const key = `${r.kind}:${r.code}`;
    const seen = t.bad.get(key);
    if (seen === undefined) t.bad.set(key, { n: 1, reason: r.reason });
    else seen.n += 1;
  }
}

/** Runs blocks on `state` (no root), tallying outcomes when asked; returns the non-successes. */
function runExecution(
  state: EconomyState,
  blocks: readonly MixBlock[],
  tally: Map<string, KindTally> | null,
): number {
  let bad = 0;
  for (const b of blocks) {
    const ctx = { slot: b.slot, pohHash: b.pohHash };
    beginSlot(state, ctx);
    for (const t of b.txs) {
      const r = applyTx(state, t, ctx);
      if (r.kind !== 'success') bad += 1;
      if (tally !== null) tallyOf(tally, t.kind, t.cls, r);
    }
  }
  return bad;
}

interface LayeredRun {
  readonly execS: number;
  readonly rootS: number;
  readonly rootMs: readonly number[];
  readonly bad: number;
  /** The last block's state (its root is computed). */
  readonly state: EconomyState;
}

/** (b) A child state per block (the node's openBlockState) and its root after the block. */
function runLayered(base: EconomyState, blocks: readonly MixBlock[]): LayeredRun {
  let state = base;
  let execS = 0;
  let rootS = 0;
  let bad = 0;
  const rootMs: number[] = [];
  for (const b of blocks) {
    const t0 = nowS();
    state = state.clone();
    const ctx = { slot: b.slot, pohHash: b.pohHash };
    beginSlot(state, ctx);
    for (const t of b.txs) if (applyTx(state, t, ctx).kind !== 'success') bad += 1;
    const t1 = nowS();
    state.root();
    const t2 = nowS();
    execS += t1 - t0;
    rootS += t2 - t1;
    rootMs.push((t2 - t1) * 1e3);
  }
  return { execS, rootS, rootMs, bad, state };
}

/** (c) The node's per-transaction path: steps 1-4, steps 5-7 against the state, execution. */
function runValidated(
  state: EconomyState,
  blocks: readonly MixBlock[],
  keys: SignerKeyCache,
): number {
  let excluded = 0;
  for (const b of blocks) {
    const ctx = { slot: b.slot, pohHash: b.pohHash };
    beginSlot(state, ctx);
    const senderGas: SenderGas = new Map();
    for (const t of b.txs) {
      const v = validateStateless(t.bytes, { shard: 0, keys });
      if (v.kind !== 'valid' || executeValidTx(state, v, senderGas, ctx).kind !== 'included')
        excluded += 1;
    }
  }
  return excluded;
}

/**
 * The warm-up run of (a), tallied: outcomes per kind, the root, conservation and how the bounties
 * were resolved. A function of its own so that its state is garbage before the timed runs.
 */
function talliedRun(
  warm: EconomyState,
  mix: EconomyMix,
): {
  bad: number;
  root: string;
  conserved: boolean;
  tally: Map<string, KindTally>;
  resolved: Map<string, number>;
} {
  const tally = new Map<string, KindTally>();
  const s = warm.clone();
  const bad = runExecution(s, mix.run, tally);
  const resolved = new Map<string, number>();
  for (const [, b] of s.bounties.entries())
    if (b.status === 'resolved') resolved.set(b.path, (resolved.get(b.path) ?? 0) + 1);
  return { bad, root: toHex(s.root()), conserved: conservationHolds(s), tally, resolved };
}

function p99(samples: readonly number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(s.length * 0.99) - 1)] as number;
}

const round3 = (v: number): number => Math.round(v * 1e3) / 1e3;

function printTally(tally: Map<string, KindTally>, mix: EconomyMix): void {
  const byClass = new Map<MixClass, number>();
  for (const t of tally.values()) byClass.set(t.cls, (byClass.get(t.cls) ?? 0) + t.count);
  const out = (l: string) => process.stdout.write(`${l}\n`);
  out('');
  out(`Mix of the run (§15.1 share → drawn): ${N} txs in ${mix.run.length} blocks`);
  for (const [cls, share] of Object.entries(MIX_SHARES) as [MixClass, number][]) {
    const n = byClass.get(cls) ?? 0;
    out(
      `  ${cls.padEnd(7)} ${(share * 100).toFixed(0).padStart(3)} % → ${((n / N) * 100).toFixed(2).padStart(6)} % (${n})`,
    );
  }
  out('Outcome per payload kind (all should succeed):');
  const rows = [...tally.entries()].sort((a, b) => b[1].count - a[1].count);
  for (const [kind, t] of rows) {
    const bad = [...t.bad.entries()]
      .map(([code, { n, reason }]) => `${code} ×${n} (first: ${reason})`)
      .join(', ');
    out(
      `  ${kind.padEnd(16)} ${String(t.count).padStart(7)}  success ${((t.success / t.count) * 100).toFixed(2).padStart(6)} %${bad === '' ? '' : `  NOT: ${bad}`}`,
    );
  }
}

async function benchMain(): Promise<void> {
  const t0 = nowS();
  const mix = buildEconomyMix({
    identities: A,
    communities: C,
    txs: N,
    historyTxs: HISTORY,
    seed: SEED,
  });
  const historyTxs = mix.history.reduce((n, b) => n + b.txs.length, 0);
  const encoded = mix.run.flatMap((b) => b.txs.map((t) => t.bytes));
  const first = mix.run[0] as MixBlock;
  const last = mix.run[mix.run.length - 1] as MixBlock;
  process.stderr.write(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )} on ${availableParallelism()} cores; setup: ${A} identities, ${C} communities, ${historyTxs} history txs in ${mix.history.length} blocks, ` +
      `${N} run txs in ${mix.run.length} blocks (slots ${first.slot}-${last.slot}), ` +
      `signed in ${(nowS() - t0).toFixed(1)} s; base fee at the end ${mix.finalBaseFee} µMOLT\n`,
  );

  // The warm-up state: genesis + history, its root computed (so no run pays for it).
  const warm = genesisOf(mix);
  const historyBad = runExecution(warm, mix.history, null);
  if (historyBad > 0) process.stderr.write(`history: ${historyBad} txs did not succeed\n`);
  warm.root();

  const report = createReporter();
  const params = {
    txs: N,
    identities: A,
    communities: C,
    blocks: mix.run.length,
    runs: RUNS,
    threads: 1,
  };
  let notSuccess = historyBad;
  let expectedRoot = '';
  /** Non-successes of the tallied run: every later run must see as many (determinism). */
  let expectedBad = 0;
  const rate = (s: number) => Math.round(N / s);

  // (a) execution alone
  let execS = Number.NaN;
  if (PARTS.includes('a') || PARTS.includes('b')) {
    const { bad, root, conserved, tally, resolved } = talliedRun(warm, mix);
    expectedBad = bad;
    notSuccess += bad;
    expectedRoot = root;
    if (!conserved) {
      process.stderr.write('error: conservation broken after the run (economyStateMachine)\n');
      process.exitCode = 1;
    }
    printTally(tally, mix);
    process.stdout.write(
      `Bounties resolved: ${[...resolved].map(([p, n]) => `${p} ${n}`).join(', ')} ` +
        `(history bounties due in the run: ${mix.bountiesDueInRun}); commitments left ` +
        `unrevealed: ${mix.commitsUnrevealed}; state root ${expectedRoot.slice(0, 16)}…\n\n`,
    );
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    for (let r = 0; r < RUNS && PARTS.includes('a'); r++) {
      const state = warm.clone();
      const cpu = process.cpuUsage();
      const start = nowS();
      const bad = runExecution(state, mix.run, null);
      samples.push(nowS() - start);
      const used = process.cpuUsage(cpu);
      cpuSamples.push((used.user + used.system) / 1e6);
      if (bad !== expectedBad || toHex(state.root()) !== expectedRoot)
        throw new Error('a timed run differs from the warm-up run (non-deterministic?)');
    }
    if (samples.length > 0) {
      execS = median(samples);
      report.emit({ name: 'execution.tx_per_s.execute', value: rate(execS), unit: 'tx/s', params });
      // The same runs by the process's CPU time: what a shared, loaded machine does not distort
      // (GC helper threads count too, so it is not an upper bound).
      report.emit({
        name: 'execution.tx_per_s.execute_cpu_time',
        value: rate(median(cpuSamples)),
        unit: 'tx/s',
        params,
      });
    }
  }

  // (b) per-block layers and state roots
  let rootS = Number.NaN;
  if (PARTS.includes('b')) {
    runLayered(warm, mix.run.slice(0, 1)); // JIT warm-up of clone and root
    // Only the figures of each run are kept, not its chain of layers: the heap then holds what a
    // node's would (one chain), and major GCs stay the node's, not the bench's.
    const runs: Omit<LayeredRun, 'state'>[] = [];
    let lastState: EconomyState = warm;
    for (let r = 0; r < RUNS; r++) {
      lastState = warm;
      const { state, ...run } = runLayered(warm, mix.run);
      if (run.bad !== expectedBad || toHex(state.root()) !== expectedRoot)
        throw new Error('(b) differs from (a): layered execution gives another state root');
      runs.push(run);
      lastState = state;
    }
    const allRoots = runs.flatMap((r) => r.rootMs);
    rootS = median(runs.map((r) => r.rootS));
    const layeredS = median(runs.map((r) => r.execS));
    report.emit({
      name: 'execution.tx_per_s.execute_layered',
      value: rate(layeredS),
      unit: 'tx/s',
      params,
    });
    report.emit({
      name: 'execution.state_root_ms.per_block_mean',
      value: round3(allRoots.reduce((x, y) => x + y, 0) / allRoots.length),
      unit: 'ms',
      params: { ...params, samples: allRoots.length },
    });
    report.emit({
      name: 'execution.state_root_ms.per_block_p99',
      value: round3(p99(allRoots)),
      unit: 'ms',
      params: { ...params, samples: allRoots.length },
    });
    report.emit({
      name: 'execution.tx_per_s.execute_root',
      value: rate(median(runs.map((r) => r.execS + r.rootS))),
      unit: 'tx/s',
      params,
    });
    // The same root from every record, no cache: the reference, and what caching saves.
    const start = nowS();
    const scratch = toHex(lastState.store.rootFromScratch());
    const scratchMs = (nowS() - start) * 1e3;
    if (scratch !== expectedRoot)
      throw new Error('rootFromScratch differs from the incremental root');
    const st = lastState;
    report.emit({
      name: 'execution.state_root_ms.from_scratch',
      value: round3(scratchMs),
      unit: 'ms',
      params: {
        accounts: st.accounts.size,
        posts: st.posts.size,
        votes: st.votes.size,
        pairs: st.pairs.size,
      },
    });
  }

  // (c) decode + signature + edge validation + execution, one thread
  let fullS = Number.NaN;
  if (PARTS.includes('c')) {
    const keys = new SignerKeyCache();
    for (const g of mix.accounts) keys.get(g.key); // the node imported them at admission
    runValidated(warm.clone(), mix.run.slice(0, 1), keys); // JIT warm-up
    const samples: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const state = warm.clone();
      const start = nowS();
      const excluded = runValidated(state, mix.run, keys);
      samples.push(nowS() - start);
      if (r === 0) notSuccess += excluded;
      if (expectedRoot !== '' && toHex(state.root()) !== expectedRoot)
        throw new Error('(c) differs from (a): validated execution gives another state root');
    }
    fullS = median(samples);
    report.emit({
      name: 'execution.tx_per_s.decode_verify_validate_execute',
      value: rate(fullS),
      unit: 'tx/s',
      params,
    });
    if (!Number.isNaN(rootS))
      report.emit({
        name: 'execution.tx_per_s.decode_verify_validate_execute_root',
        value: rate(fullS + rootS),
        unit: 'tx/s',
        params,
      });
  }

  // (d) decode + verification on worker threads (the node's TxVerifierPool does this)
  if (PARTS.includes('d')) {
    const threads = availableParallelism();
    const d = await threadedVerify(encoded, threads);
    notSuccess += d.rejected;
    report.emit({
      name: `execution.tx_per_s.decode_verify_threads_${threads}`,
      value: rate(d.seconds),
      unit: 'tx/s',
      params: { ...params, threads },
    });
  }

  report.emit({ name: 'execution.txs.not_success', value: notSuccess, unit: 'txs', params });
  report.table(
    `Execution, §15.1 mix — goals: execute ≥ ${GOAL_EXECUTE.toLocaleString('en-US')} tx/s on one thread; shard ≥ ${GOAL_SHARD.toLocaleString('en-US')} tx/s (DESIGN.md §7)`,
  );
  const verdict = (v: number, goal: number) =>
    `${rate(v).toLocaleString('en-US')} tx/s, ${(N / v / goal).toFixed(2)}× the goal of ${goal.toLocaleString('en-US')}: ${N / v >= goal ? 'met' : 'NOT met'}`;
  if (!Number.isNaN(execS))
    process.stdout.write(`\n(a) execution alone: ${verdict(execS, GOAL_EXECUTE)}\n`);
  if (!Number.isNaN(fullS) && !Number.isNaN(rootS))
    process.stdout.write(
      `(c) + roots on one thread: ${verdict(fullS + rootS, GOAL_SHARD)} (before PoH, gossip, consensus)\n`,
    );
  if (notSuccess > 0) {
    process.stderr.write(
      `error: ${notSuccess} transactions did not succeed (see the outcome table)\n`,
    );
    process.exitCode = 1;
  }
}

if (isMainThread) await benchMain();
else verifierWorker();
