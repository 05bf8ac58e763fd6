/**
 * `npm run bench execution` — one-thread throughput of the transfer state machine
 * (rollup/src/execution) on N pre-signed transfers across A accounts (DESIGN.md §7 goals:
 * execution alone ≥ 30,000 tx/s on one thread, the full shard ≥ 10,000 tx/s):
 *
 *   (a) execution alone (decoded txs, signatures already checked);
 *   (b) Ed25519 verification alone with cached KeyObjects, and the same without the cache (peer);
 *   (c) edge validation (size, decode, shard, signature, nonce, fee, cap) + execution;
 *   (d) the state root after the batch: incremental (cached leaves) and from scratch;
 *   (e) decode + verification split over worker threads (one per core), the part that scales.
 *
 * Sizes: BENCH_EXEC_TXS (100,000), BENCH_EXEC_ACCOUNTS (10,000), BENCH_EXEC_RUNS (3).
 */

import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { generateEd25519, importPublicKey, verifyEd25519 } from '../rollup/src/crypto/ed25519.ts';
import { TransferState } from '../rollup/src/execution/transferState.ts';
import { transferStateMachine as sm } from '../rollup/src/execution/transferStateMachine.ts';
import { TRANSFER_GAS } from '../rollup/src/params/txParams.ts';
import { SignerKeyCache } from '../rollup/src/tx/signerKeyCache.ts';
import { signTransaction } from '../rollup/src/tx/signTransaction.ts';
import type { SignedTransaction } from '../rollup/src/tx/transaction.ts';
import {
  decodeTransaction,
  encodeTransaction,
  SIGNATURE_BYTES,
  signingMessage,
  txSigningMessage,
} from '../rollup/src/tx/txCodec.ts';
import { validateTransaction } from '../rollup/src/tx/validateTransaction.ts';
import { createReporter, median } from './lib/report.ts';

const N = Number(process.env.BENCH_EXEC_TXS ?? 100_000);
const A = Number(process.env.BENCH_EXEC_ACCOUNTS ?? 10_000);
const RUNS = Number(process.env.BENCH_EXEC_RUNS ?? 3);
const BASE_FEE = 1n;
const PEER_SAMPLE = Math.min(N, 10_000);

/** (e) Worker thread: decodes and verifies its share of the batch each time it is told to. */
function verifierWorker(): void {
  const port = parentPort;
  if (port === null) return;
  const mine = workerData as Uint8Array[];
  const keys = new SignerKeyCache();
  port.on('message', () => {
    for (const bytes of mine) {
      const tx = decodeTransaction(bytes);
      const key = keys.get(tx.sender);
      const message = signingMessage(tx.shard, bytes.subarray(0, bytes.length - SIGNATURE_BYTES));
      if (key === null || !verifyEd25519(key, message, tx.signature))
        throw new Error('bench signature did not verify');
    }
    port.postMessage(mine.length);
  });
}

async function threadedVerify(encoded: readonly Uint8Array[], threads: number): Promise<number> {
  const share = Math.ceil(encoded.length / threads);
  const workers = Array.from(
    { length: threads },
    (_, t) =>
      new Worker(new URL(import.meta.url), {
        workerData: encoded.slice(t * share, (t + 1) * share),
      }),
  );
  const round = () =>
    Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', () => resolve());
            w.once('error', reject);
            w.postMessage('go');
          }),
      ),
    );
  await round(); // warm-up: keys imported, JIT warm
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = process.hrtime.bigint();
    await round();
    samples.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  await Promise.all(workers.map((w) => w.terminate()));
  return median(samples);
}

async function benchMain(): Promise<void> {
  const t0 = process.hrtime.bigint();
  const keys = Array.from({ length: A }, () => generateEd25519());
  const genesis = keys.map((k) => ({ key: k.publicKey, balance: 10n ** 12n }));
  const txs: SignedTransaction[] = [];
  for (let i = 0; i < N; i++) {
    const from = keys[i % A] as (typeof keys)[number];
    const to = keys[(i * 7 + 1) % A] as (typeof keys)[number];
    txs.push(
      signTransaction(
        {
          version: 1,
          shard: 0,
          sender: from.publicKey,
          nonce: BigInt(Math.floor(i / A)),
          maxFeePerGas: BASE_FEE,
          gasLimit: TRANSFER_GAS,
          payload: { kind: 'transfer', to: to.publicKey, amount: BigInt(1 + (i % 1_000)) },
        },
        from.privateKey,
      ),
    );
  }
  const encoded = txs.map(encodeTransaction);
  const messages = txs.map(txSigningMessage);
  process.stderr.write(
    `setup: ${A} keys, ${N} signed transfers in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s\n`,
  );

  /** Warm-up size: the JIT is warm long before, and a verify-bound warm-up of N costs seconds. */
  const WARM = Math.min(N, 5_000);

  /**
   * Median seconds of RUNS timed runs of `run(input, N)` after one warm-up `run(input, WARM)`;
   * `prepare` is not timed.
   */
  function seconds<T>(prepare: () => T, run: (input: T, count: number) => void): number {
    run(prepare(), WARM);
    const samples: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const input = prepare();
      const start = process.hrtime.bigint();
      run(input, N);
      samples.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
    return median(samples);
  }

  function mustSucceed(kind: string): void {
    if (kind !== 'success') throw new Error(`bench tx did not succeed: ${kind}`);
  }

  const report = createReporter();
  const params = { txs: N, accounts: A, runs: RUNS, threads: 1 };

  // (a) execution alone
  const execS = seconds(
    () => TransferState.genesis(genesis),
    (state, count) => {
      for (let i = 0; i < count; i++)
        mustSucceed(sm.apply(state, txs[i] as SignedTransaction, { baseFee: BASE_FEE }).kind);
    },
  );
  report.emit({
    name: 'execution.tx_per_s.execute',
    value: Math.round(N / execS),
    unit: 'tx/s',
    params,
  });

  // (b) signature verification alone, cached KeyObjects…
  const cache = new SignerKeyCache();
  const verifyS = seconds(
    () => null,
    (_, count) => {
      for (let i = 0; i < count; i++) {
        const tx = txs[i] as SignedTransaction;
        const key = cache.get(tx.sender);
        if (key === null || !verifyEd25519(key, messages[i] as Uint8Array, tx.signature))
          throw new Error('bench signature did not verify');
      }
    },
  );
  report.emit({
    name: 'execution.tx_per_s.verify',
    value: Math.round(N / verifyS),
    unit: 'tx/s',
    params,
  });
  // …and the peer: re-importing the key for every verification (on a sample).
  const reimportS = seconds(
    () => null,
    (_, count) => {
      for (let i = 0; i < Math.min(count, PEER_SAMPLE); i++) {
        const tx = txs[i] as SignedTransaction;
        if (!verifyEd25519(importPublicKey(tx.sender), messages[i] as Uint8Array, tx.signature))
          throw new Error('bench signature did not verify');
      }
    },
  );
  const reimportRate = Math.round(PEER_SAMPLE / reimportS);
  report.emit({
    name: 'execution.tx_per_s.verify_reimport_key',
    value: reimportRate,
    unit: 'tx/s',
    params: { ...params, txs: PEER_SAMPLE },
  });
  report.emit({
    name: 'execution.ratio.cached_vs_reimport_key',
    value: Math.round((N / verifyS / reimportRate) * 100) / 100,
    unit: 'x',
  });

  // (c) edge validation (decode + verify + nonce/fee/cap checks) + execution
  let lastState = TransferState.genesis(genesis);
  const fullS = seconds(
    () => TransferState.genesis(genesis),
    (state, count) => {
      lastState = state;
      const ctx = {
        shard: 0,
        baseFee: BASE_FEE,
        account: (k: Uint8Array) => state.account(k),
        keys: cache,
      };
      for (let i = 0; i < count; i++) {
        const v = validateTransaction(encoded[i] as Uint8Array, ctx);
        if (v.kind !== 'valid') throw new Error(`bench tx rejected: ${v.code}`);
        mustSucceed(sm.apply(state, v.tx, { baseFee: BASE_FEE }).kind);
      }
    },
  );
  report.emit({
    name: 'execution.tx_per_s.decode_verify_execute',
    value: Math.round(N / fullS),
    unit: 'tx/s',
    params,
  });

  // (d) state root after the batch: every account was touched, so every leaf is re-hashed
  const incrementalS = seconds(
    () => {
      const s = lastState.clone();
      for (const g of genesis) s.touch(Buffer.from(g.key).toString('hex'));
      return s;
    },
    (s) => {
      s.root();
    },
  );
  const scratchS = seconds(
    () => lastState,
    (s) => {
      s.rootFromScratch();
    },
  );
  // Incremental root after a small batch (1,000 txs touch ~2,000 of the accounts).
  const small = Math.min(1_000, N);
  const smallS = seconds(
    () => {
      const s = lastState.clone();
      s.root();
      let nonceOf = 0n;
      for (let i = 0; i < small; i++) {
        const tx = txs[i] as SignedTransaction;
        nonceOf = s.account(tx.sender).nonce;
        mustSucceed(sm.apply(s, { ...tx, nonce: nonceOf }, { baseFee: BASE_FEE }).kind);
      }
      return s;
    },
    (s) => {
      s.root();
    },
  );
  const ms = (s: number) => Math.round(s * 1e6) / 1e3;
  report.emit({
    name: 'execution.state_root_ms.incremental_all_dirty',
    value: ms(incrementalS),
    unit: 'ms',
    params: { accounts: A, dirty: A, runs: RUNS },
  });
  report.emit({
    name: 'execution.state_root_ms.from_scratch',
    value: ms(scratchS),
    unit: 'ms',
    params: { accounts: A, runs: RUNS },
  });
  report.emit({
    name: 'execution.state_root_ms.incremental_after_1000_txs',
    value: ms(smallS),
    unit: 'ms',
    params: { accounts: A, txs: small, runs: RUNS },
  });
  report.emit({
    name: 'execution.tx_per_s.decode_verify_execute_root',
    value: Math.round(N / (fullS + incrementalS)),
    unit: 'tx/s',
    params,
  });

  // (e) decode + verification on worker threads (the node would verify a slot's txs this way)
  const threads = availableParallelism();
  const threadedS = await threadedVerify(encoded, threads);
  report.emit({
    name: `execution.tx_per_s.decode_verify_threads_${threads}`,
    value: Math.round(N / threadedS),
    unit: 'tx/s',
    params: { ...params, threads },
  });
  report.table(
    'Execution — goals: execute ≥ 30,000 tx/s on one thread; full shard ≥ 10,000 tx/s (DESIGN.md §7)',
  );
}

if (isMainThread) await benchMain();
else verifierWorker();
