/**
 * Benchmark helpers for nodes: N validator processes (`moltbook-node run`, as the cluster tests
 * spawn them) on loopback with one genesis, JSON-RPC over HTTP, bounded waits, and cleanup that
 * runs on every way out (success, error, SIGINT/SIGTERM): no validator outlives the bench and the
 * temp directory is removed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../rollup/src/cli/freePort.ts';
import {
  localValidatorAddr,
  localValidatorArgs,
  spawnValidator,
  type ValidatorProcess,
} from '../../rollup/src/cli/spawnValidator.ts';
import {
  type Ed25519KeyPair,
  generateEd25519,
  privateKeyToPem,
} from '../../rollup/src/crypto/ed25519.ts';
import { defaultGenesis, type Genesis } from '../../rollup/src/genesis/genesis.ts';
import { DEV_HASHES_PER_TICK } from '../../rollup/src/node/devNet.ts';
import { TX_VERSION } from '../../rollup/src/params/txParams.ts';
import { signTransaction } from '../../rollup/src/tx/signTransaction.ts';
import { encodeTransaction } from '../../rollup/src/tx/txCodec.ts';
import { toHex } from '../../rollup/src/utils/hex.ts';

/** Give up when a wait sees no progress for this long. */
export const NO_PROGRESS_MS = 120_000;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

// ── cleanup ──────────────────────────────────────────────────────────────────────────────────

const cleanups: (() => void)[] = [];

/** Registers a synchronous cleanup that runs on exit, error or signal (last registered first). */
export function onCleanup(fn: () => void): void {
  cleanups.push(fn);
}

let cleaned = false;
function runCleanups(): void {
  if (cleaned) return;
  cleaned = true;
  for (const fn of cleanups.reverse()) {
    try {
      fn();
    } catch {
      // Best effort: the others still run.
    }
  }
}
process.on('exit', runCleanups);
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    runCleanups();
    process.exit(130);
  });

/** Runs `main`; on error prints it and exits 1 (cleanups run on exit). */
export async function runBench(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  }
  runCleanups();
  // libp2p, fetch keep-alive sockets and timers must not keep the bench alive.
  process.exit(process.exitCode ?? 0);
}

// ── keys, genesis, transfers ─────────────────────────────────────────────────────────────────

/** `count` transfers per sender, nonce-major (all senders' nonce 0, then nonce 1, …). */
export function signTransfers(
  senders: readonly Ed25519KeyPair[],
  perSender: number,
  recipientOf: (senderIndex: number, nonce: number) => Uint8Array,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let n = 0; n < perSender; n++)
    for (const [s, from] of senders.entries())
      out.push(
        encodeTransaction(
          signTransaction(
            {
              version: TX_VERSION,
              shard: 0,
              sender: from.publicKey,
              nonce: BigInt(n),
              maxFee: 10_000n,
              payload: { kind: 'transfer', to: recipientOf(s, n), amount: 1n },
            },
            from.privateKey,
          ),
        ),
      );
  return out;
}

/** A genesis of `validators` (equal stake) that funds every key of `funded` generously. */
export function benchGenesis(
  validators: readonly Ed25519KeyPair[],
  funded: readonly Ed25519KeyPair[],
): Genesis {
  return defaultGenesis(
    validators.map((k) => ({ pubkey: toHex(k.publicKey), stake: '1000000000000' })),
    {
      hashesPerTick: DEV_HASHES_PER_TICK,
      ticksPerSlot: 64,
      slotsPerEpoch: 1_000,
      accounts: funded.map((k) => ({ pubkey: toHex(k.publicKey), balance: '1000000000000' })),
    },
  );
}

// ── JSON-RPC ─────────────────────────────────────────────────────────────────────────────────

export interface RpcReply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: { readonly message: string; readonly data?: { readonly reason?: string } };
}

/**
 * POST with up to 3 attempts on a transport failure (a busy node resets a connection now and
 * then); the last failure is rethrown with its cause.
 */
async function post(url: string, body: string): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    } catch (err) {
      const cause = (err as Error & { cause?: unknown }).cause;
      if (attempt >= 3)
        throw new Error(
          `POST ${url} failed ${attempt}×: ${(err as Error).message} (${String(cause)})`,
        );
      process.stderr.write(`  POST ${url}: ${String(cause)}; retrying\n`);
      await sleep(200 * attempt);
    }
  }
}

/** One JSON-RPC batch (≤ 100 calls); replies in call order. */
export async function rpcBatch(
  url: string,
  calls: readonly { method: string; params: unknown[] }[],
): Promise<RpcReply[]> {
  const res = await post(url, JSON.stringify(calls.map((c, id) => ({ jsonrpc: '2.0', id, ...c }))));
  const json = (await res.json()) as RpcReply[] | RpcReply;
  if (!Array.isArray(json)) throw new Error(`batch refused: ${JSON.stringify(json).slice(0, 200)}`);
  return [...json].sort((a, b) => a.id - b.id);
}

export async function rpcCall(url: string, method: string, params: unknown[]): Promise<unknown> {
  const res = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
  const r = (await res.json()) as RpcReply;
  if (r.error !== undefined) throw new Error(`${method}: ${r.error.message}`);
  return r.result;
}

// ── validator processes ──────────────────────────────────────────────────────────────────────

export interface NodeStatus {
  readonly slot: number;
  readonly confirmedSlot: number;
  readonly finalizedSlot: number;
  readonly peers: number;
  readonly mempool: number;
}

/** N validator processes on loopback, each dialing all others, `--slot-ms` pace. */
export class BenchCluster {
  readonly dir: string;
  readonly procs: ValidatorProcess[] = [];
  readonly urls: string[] = [];
  readonly metricsUrls: string[] = [];

  private constructor(dir: string) {
    this.dir = dir;
  }

  static async start(opts: {
    readonly validators: readonly Ed25519KeyPair[];
    readonly genesis: Genesis;
    readonly slotMs: number;
  }): Promise<BenchCluster> {
    const c = new BenchCluster(mkdtempSync(join(tmpdir(), 'molt-bench-')));
    onCleanup(() => c.#killSync());
    const genesisPath = join(c.dir, 'genesis.json');
    writeFileSync(genesisPath, JSON.stringify(opts.genesis));
    const ports: number[] = [];
    for (const _ of opts.validators) ports.push(await freePort());
    const addr = (j: number) =>
      localValidatorAddr(ports[j] as number, (opts.validators[j] as Ed25519KeyPair).publicKey);
    for (const [i, k] of opts.validators.entries()) {
      mkdirSync(join(c.dir, `v${i}`));
      writeFileSync(join(c.dir, `v${i}.pem`), privateKeyToPem(k.privateKey), { mode: 0o600 });
      c.procs.push(
        spawnValidator({
          args: localValidatorArgs({
            genesisPath,
            keyPath: join(c.dir, `v${i}.pem`),
            dataDir: join(c.dir, `v${i}`),
            p2pPort: ports[i] as number,
            slotMs: opts.slotMs,
            peers: opts.validators.flatMap((_, j) => (j === i ? [] : [addr(j)])),
          }),
        }),
      );
    }
    const ready = await Promise.all(c.procs.map((p) => p.ready));
    for (const r of ready) {
      c.urls.push(r.rpcUrl);
      c.metricsUrls.push(r.metricsUrl);
    }
    return c;
  }

  status(i: number): Promise<NodeStatus> {
    return rpcCall(this.urls[i] as string, 'getStatus', []) as Promise<NodeStatus>;
  }

  /** Throws when a validator exited (with the tail of its output). */
  checkAlive(): void {
    for (const [i, p] of this.procs.entries())
      if (p.child.exitCode !== null || p.child.signalCode !== null)
        throw new Error(
          `validator ${i} exited (${p.child.exitCode ?? p.child.signalCode}):\n${p.output().slice(-2_000)}`,
        );
  }

  /** One line per node: slot, confirmed, finalized, mempool, peers (for progress and errors). */
  async describe(): Promise<string> {
    const st = await Promise.all(this.urls.map((_, i) => this.status(i).catch(() => null)));
    return st
      .map((s, i) =>
        s === null
          ? `v${i}: no answer`
          : `v${i}: slot ${s.slot} confirmed ${s.confirmedSlot} finalized ${s.finalizedSlot} mempool ${s.mempool} peers ${s.peers}`,
      )
      .join(' | ');
  }

  /** The last `lines` lines each validator printed (for error reports). */
  tails(lines = 12): string {
    return this.procs
      .map((p, i) => `── v${i}\n${p.output().trimEnd().split('\n').slice(-lines).join('\n')}`)
      .join('\n');
  }

  /** Waits until every node has a confirmed slot ≥ `slot` (the shard is voting). */
  async waitConfirmed(slot: number): Promise<void> {
    await waitProgress(`every node confirmed ≥ ${slot}`, async () => {
      this.checkAlive();
      const st = await Promise.all(this.urls.map((_, i) => this.status(i).catch(() => null)));
      const least = Math.min(...st.map((s) => s?.confirmedSlot ?? 0));
      return { done: least >= slot, progress: least };
    });
  }

  /** SIGTERM, then SIGKILL after `graceMs`; removes the temp directory. */
  async stop(graceMs = 10_000): Promise<void> {
    await Promise.all(
      this.procs.map(async (p) => {
        if (p.child.exitCode !== null || p.child.signalCode !== null) return;
        p.child.kill('SIGTERM');
        const t = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
        await p.exited;
        clearTimeout(t);
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  #killSync(): void {
    for (const p of this.procs)
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Polls `step` every `everyMs` until it reports done; gives up with an error when its progress
 * value has not changed for NO_PROGRESS_MS.
 */
export async function waitProgress(
  what: string,
  step: () => Promise<{ done: boolean; progress: number }>,
  everyMs = 100,
): Promise<void> {
  let last = Number.NaN;
  let since = nowMs();
  for (;;) {
    const { done, progress } = await step();
    if (done) return;
    if (progress !== last) {
      last = progress;
      since = nowMs();
    } else if (nowMs() - since > NO_PROGRESS_MS)
      throw new Error(
        `no progress for ${NO_PROGRESS_MS / 1000} s waiting for ${what} (at ${progress})`,
      );
    await sleep(everyMs);
  }
}

/** Fresh Ed25519 keys. */
export function keys(n: number): Ed25519KeyPair[] {
  return Array.from({ length: n }, () => generateEd25519());
}
