/**
 * `npm run bench throughput` — transfers per second through the full node pipeline (admission:
 * decode + signature + nonce/fee checks; leader: execution, PoH mix-in, state root, block) (issue 4
 * goal: ≥ 10,000 tx/s on one node, and with 4 validators on loopback):
 *
 *   (a) one in-process validator (the whole shard), 400 ms slots of 64 ticks × 1,250 hashes;
 *       pre-signed transfers handed to `submitTransaction` in chunks from the same process;
 *       included tx/s = N / (first submit → the block that holds the last transfer added);
 *   (b) 4 validator processes on loopback (`--slot-ms 400`), pre-signed transfers sent over HTTP
 *       JSON-RPC in batches of 100, round-robin over the nodes (each node serves a quarter of
 *       the senders, as a client sticks to its RPC node); tx/s = N / (first send → every sender's
 *       nonce visible at `confirmed` on node 0).
 *
 * Sizes: BENCH_TPUT_TXS (100,000), BENCH_TPUT_SENDERS (400), BENCH_TPUT_CLUSTER_TXS (20,000),
 * BENCH_TPUT_CLUSTER_SENDERS (200), BENCH_TPUT_CHUNK (500 per event-loop turn in (a)),
 * BENCH_TPUT_ONLY (`single` | `cluster`, both by default).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldTurn } from 'node:timers/promises';
import { ValidatorNode } from '../rollup/src/node/validatorNode.ts';
import { toHex } from '../rollup/src/utils/hex.ts';
import {
  BenchCluster,
  benchGenesis,
  keys,
  nowMs,
  onCleanup,
  rpcBatch,
  runBench,
  signTransfers,
  waitProgress,
} from './lib/cluster.ts';
import { createReporter, type Reporter } from './lib/report.ts';

const N = Number(process.env.BENCH_TPUT_TXS ?? 100_000);
const S = Number(process.env.BENCH_TPUT_SENDERS ?? 400);
const NC = Number(process.env.BENCH_TPUT_CLUSTER_TXS ?? 20_000);
const SC = Number(process.env.BENCH_TPUT_CLUSTER_SENDERS ?? 200);
const CHUNK = Number(process.env.BENCH_TPUT_CHUNK ?? 500);
/** Chunks outstanding at once in (a) (BENCH_TPUT_IN_FLIGHT). */
const IN_FLIGHT = Number(process.env.BENCH_TPUT_IN_FLIGHT ?? 4);
const ONLY = process.env.BENCH_TPUT_ONLY ?? '';
const SLOT_MS = 400;
const RPC_BATCH = 100;
/** (b) stop waiting once every mempool is empty and nothing new was confirmed for this long. */
const DRAINED_MS = 15_000;
const INCLUDED_METRIC = 'moltbook_node_transactions_included_total';

/** Sum of every series of a Prometheus counter in a /metrics text. */
function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

const round = (v: number, d = 0) => Math.round(v * 10 ** d) / 10 ** d;

function countInto(m: Map<string, number>, code: string): void {
  m.set(code, (m.get(code) ?? 0) + 1);
}

function rejections(m: ReadonlyMap<string, number>): string {
  return m.size === 0 ? 'none' : [...m.entries()].map(([c, n]) => `${c}:${n}`).join(',');
}

/** (a) one in-process validator. */
async function single(report: Reporter): Promise<void> {
  const t0 = nowMs();
  const validator = keys(1);
  const senders = keys(S);
  const recipients = keys(64).map((k) => k.publicKey);
  const perSender = Math.ceil(N / S);
  const txs = signTransfers(
    senders,
    perSender,
    (s, n) => recipients[(s + n) % 64] as Uint8Array,
  ).slice(0, N);
  process.stderr.write(
    `(a) setup: ${S} senders, ${txs.length} signed transfers in ${((nowMs() - t0) / 1000).toFixed(1)} s\n`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'molt-bench-node-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  let included = 0;
  let blocksWithTxs = 0;
  let maxPerBlock = 0;
  let lastIncludedAt = 0;
  let firstIncludedAt = 0;
  const node = new ValidatorNode(
    {
      dataDir: dir,
      genesis: benchGenesis(validator, senders),
      host: '127.0.0.1',
      rpcPort: 0,
      verifierThreads: 1,
    },
    {
      key: validator[0] as (typeof validator)[number],
      log: (l) => process.stderr.write(`  node: ${l}\n`),
      onBlock: (block) => {
        const n = block.transactions.length;
        if (n === 0) return;
        if (included === 0) firstIncludedAt = nowMs();
        included += n;
        blocksWithTxs += 1;
        maxPerBlock = Math.max(maxPerBlock, n);
        lastIncludedAt = nowMs();
      },
    },
  );
  try {
    await node.start();
    // Let PoH start and a few empty slots pass (JIT, store warm).
    await waitProgress('the node producing slot 3', async () => {
      const slot = (node.status() as { slot: number }).slot;
      return { done: slot >= 3, progress: slot };
    });
    const rejected = new Map<string, number>();
    const start = nowMs();
    // Admission verifies signatures on the node's worker threads; a chunk is one batch there.
    // Up to IN_FLIGHT chunks are outstanding at once, as from concurrent clients, so the main
    // thread admits one chunk while the workers verify the next.
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < txs.length; i += CHUNK) {
      inflight.push(
        Promise.all(txs.slice(i, i + CHUNK).map((bytes) => node.submitTransaction(bytes))).then(
          (results) => {
            for (const r of results) if (r.kind === 'rejected') countInto(rejected, r.code);
          },
        ),
      );
      if (inflight.length >= IN_FLIGHT) await inflight.shift();
      await yieldTurn();
    }
    await Promise.all(inflight);
    const submitted = nowMs();
    const accepted = txs.length - [...rejected.values()].reduce((a, b) => a + b, 0);
    await waitProgress(
      `${accepted} transfers included`,
      async () => ({ done: included >= accepted, progress: included }),
      10,
    );
    const params = {
      txs: txs.length,
      senders: S,
      chunk: CHUNK,
      in_flight: IN_FLIGHT,
      slot_ms: SLOT_MS,
      hashes_per_tick: 1_250,
    };
    report.emit({
      name: 'throughput.single.tx_per_s.included',
      value: round(included / ((lastIncludedAt - start) / 1000)),
      unit: 'tx/s',
      params,
    });
    report.emit({
      name: 'throughput.single.tx_per_s.admission',
      value: round(txs.length / ((submitted - start) / 1000)),
      unit: 'tx/s',
      params,
    });
    report.emit({
      name: 'throughput.single.tx_per_s.first_to_last_block',
      value: round(included / ((lastIncludedAt - firstIncludedAt) / 1000 + SLOT_MS / 1000)),
      unit: 'tx/s',
      params: { ...params, note: 'included/(blocks span + 1 slot)' },
    });
    report.emit({
      name: 'throughput.single.blocks_used',
      value: blocksWithTxs,
      unit: 'blocks',
      params,
    });
    report.emit({
      name: 'throughput.single.max_txs_per_block',
      value: maxPerBlock,
      unit: 'txs',
      params,
    });
    report.emit({
      name: 'throughput.single.rejected',
      value: txs.length - accepted,
      unit: 'txs',
      params: { ...params, codes: rejections(rejected) },
    });
    process.stderr.write(
      `(a) submit ${((submitted - start) / 1000).toFixed(2)} s, all included after ${((lastIncludedAt - start) / 1000).toFixed(2)} s\n`,
    );
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** (b) 4 validator processes, transfers over JSON-RPC. */
async function cluster(report: Reporter): Promise<void> {
  const t0 = nowMs();
  const validators = keys(4);
  const senders = keys(SC);
  const recipients = keys(64).map((k) => k.publicKey);
  const perSender = Math.ceil(NC / SC);
  const total = perSender * SC;
  // Node j serves senders j, j+4, …: nonce-major order per node, then batches of 100.
  const perNode: Uint8Array[][] = [0, 1, 2, 3].map((j) =>
    signTransfers(
      senders.filter((_, s) => s % 4 === j),
      perSender,
      (s, n) => recipients[(s + n) % 64] as Uint8Array,
    ),
  );
  process.stderr.write(
    `(b) setup: ${SC} senders, ${total} signed transfers in ${((nowMs() - t0) / 1000).toFixed(1)} s\n`,
  );
  const c = await BenchCluster.start({
    validators,
    genesis: benchGenesis(validators, senders),
    slotMs: SLOT_MS,
  });
  try {
    await c.waitConfirmed(8);
    // Batches round-robin over the nodes: node 0 batch 0, node 1 batch 0, …, node 0 batch 1, …
    const batches: { node: number; txs: Uint8Array[] }[] = [];
    const most = Math.max(...perNode.map((l) => l.length));
    for (let i = 0; i < most; i += RPC_BATCH)
      for (let j = 0; j < 4; j++) {
        const part = (perNode[j] as Uint8Array[]).slice(i, i + RPC_BATCH);
        if (part.length > 0) batches.push({ node: j, txs: part });
      }
    const rejected = new Map<string, number>();
    const start = nowMs();
    // One batch in flight per node at a time (4 concurrent clients).
    await Promise.all(
      [0, 1, 2, 3].map(async (j) => {
        for (const b of batches.filter((x) => x.node === j)) {
          const replies = await rpcBatch(
            c.urls[j] as string,
            b.txs.map((t) => ({ method: 'sendTransaction', params: [toHex(t)] })),
          ).catch((err) => {
            c.checkAlive();
            throw new Error(`${(err as Error).message}\n${c.tails()}`);
          });
          for (const r of replies)
            if (r.error !== undefined) countInto(rejected, r.error.data?.reason ?? r.error.message);
        }
      }),
    );
    const submitted = nowMs();
    const rejectedCount = [...rejected.values()].reduce((a, b) => a + b, 0);
    process.stderr.write(
      `(b) sent ${total} in ${((submitted - start) / 1000).toFixed(2)} s; rejected ${rejections(rejected)}\n`,
    );
    // Done when every transfer is confirmed on node 0; also when progress stopped with every
    // mempool empty for DRAINED_MS (transfers were lost: reported as such, not waited for).
    const want = BigInt(perSender);
    let confirmed = 0;
    let progressAt = start;
    let lastLog = nowMs();
    let drained = false;
    const waited = waitProgress(
      `every sender's nonce ${perSender} at confirmed on node 0`,
      async () => {
        c.checkAlive();
        let sum = 0;
        let done = true;
        for (let i = 0; i < senders.length; i += RPC_BATCH) {
          const replies = await rpcBatch(
            c.urls[0] as string,
            senders.slice(i, i + RPC_BATCH).map((k) => ({
              method: 'getAccount',
              params: [toHex(k.publicKey), 'confirmed'],
            })),
          );
          for (const r of replies) {
            const nonce = BigInt((r.result as { nonce: string }).nonce);
            sum += Number(nonce);
            if (nonce < want) done = false;
          }
        }
        if (sum > confirmed) {
          confirmed = sum;
          progressAt = nowMs();
        }
        if (!done && nowMs() - progressAt > DRAINED_MS) {
          const st = await Promise.all(c.urls.map((_, i) => c.status(i)));
          if (st.every((x) => x.mempool === 0)) drained = true;
        }
        if (nowMs() - lastLog > 5_000) {
          lastLog = nowMs();
          process.stderr.write(
            `  ${((lastLog - start) / 1000).toFixed(0)} s: ${confirmed} confirmed; ${await c.describe()}\n`,
          );
        }
        return { done: done || drained, progress: confirmed };
      },
      50,
    );
    await waited.catch(async (err) => {
      throw new Error(`${(err as Error).message}\n${await c.describe()}\n${c.tails()}`);
    });
    const included = await Promise.all(
      c.metricsUrls.map(async (u) => metricSum(await (await fetch(u)).text(), INCLUDED_METRIC)),
    );
    process.stderr.write(
      `(b) ${confirmed}/${total} confirmed on node 0 after ${((progressAt - start) / 1000).toFixed(2)} s${drained ? ` — ${total - confirmed} lost (every mempool empty, no progress for ${DRAINED_MS / 1000} s)` : ''}; txs in blocks added per node (incl. abandoned forks): ${included.join(', ')}\n`,
    );
    const params = {
      txs: total,
      senders: SC,
      validators: 4,
      rpc_batch: RPC_BATCH,
      slot_ms: SLOT_MS,
      hashes_per_tick: 1_250,
    };
    report.emit({
      name: 'throughput.cluster4.tx_per_s.confirmed',
      value: round(confirmed / ((progressAt - start) / 1000)),
      unit: 'tx/s',
      params,
    });
    report.emit({
      name: 'throughput.cluster4.tx_per_s.rpc_admission',
      value: round(total / ((submitted - start) / 1000)),
      unit: 'tx/s',
      params,
    });
    report.emit({
      name: 'throughput.cluster4.lost',
      value: total - confirmed,
      unit: 'txs',
      params: { ...params, note: 'accepted but never confirmed, every mempool empty' },
    });
    report.emit({
      name: 'throughput.cluster4.rejected',
      value: rejectedCount,
      unit: 'txs',
      params: { ...params, codes: rejections(rejected) },
    });
  } finally {
    await c.stop();
  }
}

await runBench(async () => {
  const report = createReporter();
  try {
    if (ONLY !== 'cluster') await single(report);
    if (ONLY !== 'single') await cluster(report);
  } finally {
    // The figures measured before a failure still get their table.
    if (report.figures.length > 0)
      report.table(
        'Node throughput — goal ≥ 10,000 tx/s through the full pipeline, one node and 4 validators (issue 4)',
      );
  }
});
