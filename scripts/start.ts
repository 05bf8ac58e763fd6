/**
 * `npm start` — the local Open Moltbook network on this machine: the EVM L2 (Hardhat's EDR, chain
 * type op) with every contract deployed, and a shard validator producing 400 ms PoH slots.
 * Ctrl-C stops every part cleanly and exits 0.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { blockHash } from '../rollup/src/codec/blockCodec.ts';
import { describeGenesis } from '../rollup/src/genesis/genesis.ts';
import { loadOrCreateDevNet } from '../rollup/src/node/devNet.ts';
import { ValidatorNode } from '../rollup/src/node/validatorNode.ts';
import { createLogger } from '../rollup/src/utils/createLogger.ts';
import { toHex } from '../rollup/src/utils/hex.ts';
import { usageError } from './lib/usageError.ts';

const USAGE = `usage: npm start [-- options]
  --host <addr>        interface to listen on (default 127.0.0.1)
  --l2-port <port>     L2 JSON-RPC port (default 8545, 0 = any free port)
  --rpc-port <port>    rollup validator RPC port (default 8899, 0 = any free port)
  --data-dir <dir>     where the validator keeps its key, genesis and blocks (default .moltbook/local)
  --reset              delete the data directory first (a new chain)
  --help               this text`;

function parseFlags() {
  try {
    return parseArgs({
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        'l2-port': { type: 'string', default: '8545' },
        'rpc-port': { type: 'string', default: '8899' },
        'data-dir': { type: 'string', default: '.moltbook/local' },
        reset: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    return usageError((err as Error).message.split('\n')[0] ?? 'bad arguments', USAGE);
  }
}

function port(v: string, flag: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65_535)
    usageError(`${flag} must be a port number 0-65535, got '${v}'`, USAGE);
  return n;
}

const flags = parseFlags();
if (flags.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const host = flags.host;
const l2Port = port(flags['l2-port'], '--l2-port');
const rpcPort = port(flags['rpc-port'], '--rpc-port');
const dataDir = resolve(flags['data-dir']);

const log = createLogger('start');
const stoppers: (() => Promise<void>)[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log('stopping…');
    for (const stop of stoppers.reverse()) {
      try {
        await stop();
      } catch (err) {
        log(`error while stopping: ${(err as Error).message}`);
        code = code === 0 ? 1 : code;
      }
    }
    log(code === 0 ? 'stopped cleanly' : 'stopped');
  }
  process.exit(code);
}

process.on('SIGINT', () => {
  if (stopping) process.exit(130); // a second Ctrl-C does not wait
  void shutdown(0);
});
process.on('SIGTERM', () => void shutdown(0));

/** Known startup failures are one line that says what to do; anything else keeps its stack. */
function fatal(err: unknown): Promise<never> {
  const e = err as Error & { code?: string };
  const known = e.name === 'PortInUseError' || e.name === 'GenesisError' || e.name === 'NodeError';
  process.stderr.write(`error: ${known ? e.message : (e.stack ?? String(e))}\n`);
  return shutdown(1);
}

try {
  if (flags.reset) {
    rmSync(dataDir, { recursive: true, force: true });
    log(`--reset: removed ${dataDir}`);
  }

  const t0 = Date.now();
  log('[1/2] starting the L2 (EDR, chain type op) and deploying contracts…');
  const { startLocalL2 } = await import('../deploy/local/startLocalL2.ts');
  const l2 = await startLocalL2({ hostname: host, port: l2Port, log: createLogger('l2') });
  stoppers.push(() => l2.close());
  log(`      L2 ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  log('[2/2] starting the shard-0 validator (PoH in a worker thread)…');
  const devnet = loadOrCreateDevNet(dataDir);
  const rollupLog = createLogger('rollup');
  let lastReport = 0;
  const node = new ValidatorNode(
    { dataDir, genesis: devnet.genesis, host, rpcPort },
    {
      key: devnet.key,
      log: rollupLog,
      onBlock: (b) => {
        // A human heartbeat every 25 slots (~10 s), not a line per slot.
        if (b.slot === 0 || b.slot - lastReport >= 25) {
          lastReport = b.slot;
          rollupLog(
            `slot ${b.slot} · tick height ${b.tickHeight} · block ${toHex(blockHash(b)).slice(0, 12)}…`,
          );
        }
      },
    },
  );
  stoppers.push(() => node.stop());
  await node.start();
  rollupLog(`${devnet.created ? 'created' : 'loaded'} ${describeGenesis(devnet.genesis)}`);

  const rows: [string, string][] = [
    ['L2 JSON-RPC', `${l2.rpcUrl}  (chain id ${l2.chainId}, ${l2.chainType})`],
    ...Object.entries(l2.contracts).map(([name, addr]): [string, string] => [`  ${name}`, addr]),
    [
      'Rollup RPC',
      `${node.rpcUrl}  (JSON-RPC: getSlot, getBlock, getBlocks, getGenesis, getPohStatus)`,
    ],
    ['  metrics', `${node.rpcUrl}/metrics`],
    ['  validator', toHex(devnet.key.publicKey)],
    ['Data dir', dataDir],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(
    `\nOpen Moltbook local network is up:\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n\nPress Ctrl-C to stop.\n\n`,
  );
} catch (err) {
  await fatal(err);
}
