import { multiaddr } from '@multiformats/multiaddr';
import { RollupError } from '../utils/rollupError.ts';

/** A bad config file field or flag; `code` is `config.<field>`. */
export class ConfigError extends RollupError {
  override readonly name = 'ConfigError';
}

/** Everything `moltbook-node run` is configured with, validated. */
export interface NodeConfig {
  readonly dataDir: string;
  readonly host: string;
  readonly rpcPort: number;
  readonly p2pPort: number;
  readonly metricsPort?: number;
  readonly peers: readonly string[];
  readonly shard?: number;
  readonly slotMs?: number;
  readonly genesis?: string;
  readonly key?: string;
  /** JSON-RPC URL of the L2 the genesis links the shard to (`genesis.l2`). */
  readonly l2Rpc?: string;
  readonly l2Confirmations?: number;
}

/** Flags as parsed from the command line (validated here like the file); they override it. */
export interface NodeFlags {
  readonly dataDir?: unknown;
  readonly host?: unknown;
  readonly rpcPort?: unknown;
  readonly p2pPort?: unknown;
  readonly metricsPort?: unknown;
  readonly peers?: unknown;
  readonly shard?: unknown;
  readonly slotMs?: unknown;
  readonly genesis?: unknown;
  readonly key?: unknown;
  readonly l2Rpc?: unknown;
  readonly l2Confirmations?: unknown;
}

const KEYS = [
  'dataDir',
  'host',
  'rpcPort',
  'p2pPort',
  'metricsPort',
  'peers',
  'shard',
  'slotMs',
  'genesis',
  'key',
  'l2Rpc',
  'l2Confirmations',
] as const;
const FLAG: Record<(typeof KEYS)[number], string> = {
  dataDir: '--data-dir',
  host: '--host',
  rpcPort: '--rpc-port',
  p2pPort: '--p2p-port',
  metricsPort: '--metrics-port',
  peers: '--peer',
  shard: '--shard',
  slotMs: '--slot-ms',
  genesis: '--genesis',
  key: '--key',
  l2Rpc: '--l2-rpc',
  l2Confirmations: '--l2-confirmations',
};

function int(v: unknown, field: (typeof KEYS)[number], min: number, max: number): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max)
    throw new ConfigError(
      `config.${field}`,
      `${FLAG[field]} must be an integer ${min}-${max}, got '${String(v)}'`,
    );
  return n;
}

function str(v: unknown, field: (typeof KEYS)[number]): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 4096)
    throw new ConfigError(`config.${field}`, `${FLAG[field]} must be a non-empty string`);
  return v;
}

/**
 * Merges a config file (untrusted JSON: unknown keys and wrong types are errors) with flags, and
 * validates every field: ports, shard, peers as multiaddrs, the slot pace.
 */
export function parseNodeConfig(file: unknown, flags: NodeFlags): NodeConfig {
  if (typeof file !== 'object' || file === null || Array.isArray(file))
    throw new ConfigError('config.not_object', 'the config file must hold a JSON object');
  const f = file as Record<string, unknown>;
  for (const k of Object.keys(f))
    if (!(KEYS as readonly string[]).includes(k))
      throw new ConfigError(
        'config.unknown_key',
        `unknown config key '${k}' (known: ${KEYS.join(', ')})`,
      );
  const pick = (k: (typeof KEYS)[number]): unknown => flags[k] ?? f[k];
  const peersRaw = pick('peers') ?? [];
  if (!Array.isArray(peersRaw) || peersRaw.length > 1_000)
    throw new ConfigError('config.peers', 'peers must be a list of multiaddrs');
  const peers = peersRaw.map((p: unknown) => {
    try {
      return multiaddr(str(p, 'peers')).toString();
    } catch {
      throw new ConfigError('config.peers', `--peer '${String(p)}' is not a multiaddr`);
    }
  });
  const genesis = pick('genesis');
  const key = pick('key');
  if ((genesis === undefined) !== (key === undefined))
    throw new ConfigError('config.genesis', '--genesis and --key go together');
  const opt = <T>(k: (typeof KEYS)[number], parse: (v: unknown) => T): T | undefined => {
    const v = pick(k);
    return v === undefined ? undefined : parse(v);
  };
  const metricsPort = opt('metricsPort', (v) => int(v, 'metricsPort', 0, 65_535));
  const shard = opt('shard', (v) => int(v, 'shard', 0, 0xffff_ffff));
  const slotMs = opt('slotMs', (v) => int(v, 'slotMs', 10, 60_000));
  const l2Rpc = opt('l2Rpc', (v) => {
    const url = str(v, 'l2Rpc');
    if (!/^https?:\/\/[^\s]+$/.test(url))
      throw new ConfigError('config.l2Rpc', `--l2-rpc must be an http(s) URL, got '${url}'`);
    return url;
  });
  const l2Confirmations = opt('l2Confirmations', (v) => int(v, 'l2Confirmations', 0, 1_000));
  return {
    dataDir: str(pick('dataDir') ?? '.moltbook/node', 'dataDir'),
    host: str(pick('host') ?? '127.0.0.1', 'host'),
    rpcPort: int(pick('rpcPort') ?? 8899, 'rpcPort', 0, 65_535),
    p2pPort: int(pick('p2pPort') ?? 0, 'p2pPort', 0, 65_535),
    peers,
    ...(metricsPort === undefined ? {} : { metricsPort }),
    ...(shard === undefined ? {} : { shard }),
    ...(slotMs === undefined ? {} : { slotMs }),
    ...(genesis === undefined ? {} : { genesis: str(genesis, 'genesis') }),
    ...(key === undefined ? {} : { key: str(key, 'key') }),
    ...(l2Rpc === undefined ? {} : { l2Rpc }),
    ...(l2Confirmations === undefined ? {} : { l2Confirmations }),
  };
}
