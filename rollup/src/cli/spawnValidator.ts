import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { peerIdOfValidator } from '../p2p/createP2pNode.ts';

const CLI = fileURLToPath(new URL('./main.ts', import.meta.url));

export interface ValidatorProcessOpts {
  /** Arguments after `run` (see `moltbook-node --help`). */
  readonly args: readonly string[];
  /** Every line the process prints (stdout and stderr), without the newline. */
  readonly onLine?: (line: string) => void;
}

export interface ValidatorEndpoints {
  readonly rpcUrl: string;
  readonly metricsUrl: string;
  readonly p2p: readonly string[];
}

/** A `moltbook-node run` child process (the local network and the cluster tests use it). */
export interface ValidatorProcess {
  readonly child: ChildProcess;
  /** Resolves once the node printed its endpoints; rejects when it exits before. */
  readonly ready: Promise<ValidatorEndpoints>;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Everything printed so far. */
  output(): string;
}

/** Starts `moltbook-node run …` on this Node binary; lines go to `onLine` as they come. */
export function spawnValidator(opts: ValidatorProcessOpts): ValidatorProcess {
  const child = spawn(process.execPath, [CLI, 'run', ...opts.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let rpcUrl = '';
  let metricsUrl = '';
  const p2p: string[] = [];
  let resolveReady!: (e: ValidatorEndpoints) => void;
  let rejectReady!: (e: Error) => void;
  const ready = new Promise<ValidatorEndpoints>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  ready.catch(() => {});
  let partial = '';
  const onData = (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      out += `${line}\n`;
      opts.onLine?.(line);
      const rpc = line.match(/ RPC (http:\/\/\S+) {2}· {2}metrics (http:\/\/\S+)/);
      if (rpc !== null) {
        rpcUrl = rpc[1] as string;
        metricsUrl = rpc[2] as string;
      }
      const addr = line.match(/ p2p (\/\S+)/);
      if (addr !== null) {
        p2p.push(addr[1] as string);
        resolveReady({ rpcUrl, metricsUrl, p2p });
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((res) => {
    child.on('exit', (code) => {
      rejectReady(new Error(`validator exited (${code}) before it was ready:\n${out}`));
      res(code);
    });
  });
  return { child, ready, exited, output: () => out };
}

/** A validator's libp2p address on this machine: its peer id follows from its validator key. */
export function localValidatorAddr(
  p2pPort: number,
  pubkey: Uint8Array,
  host = '127.0.0.1',
): string {
  return `/ip4/${host}/tcp/${p2pPort}/p2p/${peerIdOfValidator(pubkey)}`;
}

export interface LocalValidatorArgs {
  readonly genesisPath: string;
  readonly keyPath: string;
  readonly dataDir: string;
  readonly p2pPort: number;
  /** Multiaddrs of the other validators. */
  readonly peers: readonly string[];
  readonly rpcPort?: number;
  readonly host?: string;
  /** Test networks only: the PoH clock's slot pace. */
  readonly slotMs?: number;
  /** The L2's JSON-RPC URL, for a genesis linked to an L2. */
  readonly l2Rpc?: string;
}

/** `moltbook-node run` arguments of one validator of a local shard (npm start, tests, benches). */
export function localValidatorArgs(o: LocalValidatorArgs): string[] {
  return [
    '--genesis',
    o.genesisPath,
    '--key',
    o.keyPath,
    '--data-dir',
    o.dataDir,
    ...(o.host === undefined ? [] : ['--host', o.host]),
    '--rpc-port',
    String(o.rpcPort ?? 0),
    '--p2p-port',
    String(o.p2pPort),
    ...(o.slotMs === undefined ? [] : ['--slot-ms', String(o.slotMs)]),
    ...(o.l2Rpc === undefined ? [] : ['--l2-rpc', o.l2Rpc]),
    ...o.peers.flatMap((p) => ['--peer', p]),
  ];
}
