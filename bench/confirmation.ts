/**
 * `npm run bench confirmation` — time from sending a transfer to seeing it at `confirmed`
 * commitment (issue 4 goal with 4 validators: p50 ≤ 1 s, p99 ≤ 2 s):
 *
 *   (a) client-observed: 4 validator processes on loopback (`--slot-ms 400`, 64 ticks × 1,250
 *       hashes); one transfer every 250 ms, each from its own funded sender to a fresh recipient,
 *       to a rotating node via `sendTransaction`; the client polls the recipient's balance at
 *       `confirmed` on that node every 10 ms; latency = send → first confirmed observation;
 *   (b) block-level, from the nodes' own histogram `moltbook_consensus_confirmation_latency_seconds`
 *       (block added → optimistically confirmed), scraped from every node's /metrics at the end.
 *
 * Sizes: BENCH_CONF_TXS (120), BENCH_CONF_INTERVAL_MS (250), BENCH_CONF_TIMEOUT_S (30 per tx).
 */
import { toHex } from '../rollup/src/utils/hex.ts';
import {
  BenchCluster,
  benchGenesis,
  keys,
  nowMs,
  rpcCall,
  runBench,
  signTransfers,
  sleep,
} from './lib/cluster.ts';
import { createReporter } from './lib/report.ts';

const N = Number(process.env.BENCH_CONF_TXS ?? 120);
const INTERVAL_MS = Number(process.env.BENCH_CONF_INTERVAL_MS ?? 250);
const TIMEOUT_MS = Number(process.env.BENCH_CONF_TIMEOUT_S ?? 30) * 1000;
const POLL_MS = 10;
const SLOT_MS = 400;
const HISTOGRAM = 'moltbook_consensus_confirmation_latency_seconds';

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

/** Cumulative `le` buckets of one histogram, summed over every series in a /metrics text. */
function histogram(text: string, name: string): { buckets: Map<string, number>; count: number } {
  const buckets = new Map<string, number>();
  let count = 0;
  for (const line of text.split('\n')) {
    const v = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith(`${name}_bucket{`)) {
      const le = /le="([^"]+)"/.exec(line)?.[1] ?? '?';
      buckets.set(le, (buckets.get(le) ?? 0) + v);
    } else if (line.startsWith(`${name}_count`)) count += v;
  }
  return { buckets, count };
}

/** Smallest bucket bound holding at least p % of the observations (an upper bound of the pXX). */
function bucketPercentile(buckets: ReadonlyMap<string, number>, count: number, p: number): number {
  for (const [le, n] of buckets)
    if (n >= (p / 100) * count) return le === '+Inf' ? Infinity : Number(le);
  return Infinity;
}

await runBench(async () => {
  const validators = keys(4);
  const senders = keys(N);
  const recipients = keys(N);
  const txs = signTransfers(
    senders,
    1,
    (s) => (recipients[s] as (typeof recipients)[number]).publicKey,
  );
  const c = await BenchCluster.start({
    validators,
    genesis: benchGenesis(validators, senders),
    slotMs: SLOT_MS,
  });
  try {
    await c.waitConfirmed(8);
    process.stderr.write(`cluster confirming: ${await c.describe()}\n`);
    const latencies: (number | null)[] = [];
    const inflight: Promise<void>[] = [];
    const start = nowMs();
    for (let i = 0; i < N; i++) {
      // Fixed schedule: tx i leaves at start + i × interval, whatever the previous ones do.
      const due = start + i * INTERVAL_MS;
      if (due > nowMs()) await sleep(due - nowMs());
      c.checkAlive();
      const url = c.urls[i % 4] as string;
      const to = toHex((recipients[i] as (typeof recipients)[number]).publicKey);
      const sent = nowMs();
      inflight.push(
        (async () => {
          latencies[i] = null;
          try {
            await rpcCall(url, 'sendTransaction', [toHex(txs[i] as Uint8Array)]);
            for (;;) {
              const a = (await rpcCall(url, 'getAccount', [to, 'confirmed'])) as {
                balance: string;
              };
              const at = nowMs();
              if (a.balance !== '0') {
                latencies[i] = at - sent;
                return;
              }
              if (at - sent > TIMEOUT_MS) return;
              await sleep(POLL_MS);
            }
          } catch (err) {
            process.stderr.write(`tx ${i}: ${(err as Error).message}\n`);
          }
        })(),
      );
    }
    await Promise.all(inflight);
    const ok = latencies
      .filter((l): l is number => l !== null && l !== undefined)
      .sort((a, b) => a - b);
    const lost = N - ok.length;
    if (ok.length === 0) throw new Error(`no transfer was confirmed within ${TIMEOUT_MS / 1000} s`);
    const report = createReporter();
    const params = {
      txs: N,
      interval_ms: INTERVAL_MS,
      poll_ms: POLL_MS,
      validators: 4,
      slot_ms: SLOT_MS,
      hashes_per_tick: 1_250,
    };
    const ms = (v: number) => Math.round(v);
    for (const p of [50, 90, 99])
      report.emit({
        name: `confirmation.client_ms.p${p}`,
        value: ms(percentile(ok, p)),
        unit: 'ms',
        params,
      });
    report.emit({
      name: 'confirmation.client_ms.max',
      value: ms(ok.at(-1) as number),
      unit: 'ms',
      params,
    });
    report.emit({
      name: 'confirmation.client_ms.min',
      value: ms(ok[0] as number),
      unit: 'ms',
      params,
    });
    report.emit({
      name: 'confirmation.not_confirmed',
      value: lost,
      unit: 'txs',
      params: { ...params, timeout_s: TIMEOUT_MS / 1000 },
    });
    // (b) the nodes' block-level histogram, summed over the 4 nodes.
    const all = new Map<string, number>();
    let count = 0;
    for (const u of c.metricsUrls) {
      const h = histogram(await (await fetch(u)).text(), HISTOGRAM);
      for (const [le, n] of h.buckets) all.set(le, (all.get(le) ?? 0) + n);
      count += h.count;
    }
    for (const [le, n] of all)
      report.emit({
        name: `confirmation.block_s.le_${le}`,
        value: count === 0 ? 0 : Math.round((n / count) * 1000) / 10,
        unit: '% of blocks',
        params: { blocks: count, nodes: 4 },
      });
    for (const p of [50, 99])
      report.emit({
        name: `confirmation.block_s.p${p}_bucket_bound`,
        value: bucketPercentile(all, count, p),
        unit: 's',
        params: { blocks: count, nodes: 4 },
      });
    process.stderr.write(`end: ${await c.describe()}\n`);
    report.table('Confirmation latency — goal p50 ≤ 1 s, p99 ≤ 2 s with 4 validators (issue 4)');
  } finally {
    await c.stop();
  }
});
