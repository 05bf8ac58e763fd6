/**
 * `npm start` — the local Open Moltbook network on this machine: the EVM L2 (Hardhat's EDR, chain
 * type op) with every contract deployed, the development identities registered on it with
 * simulated cards and mirrored into the AnonymitySet (§6.2), and a shard of 4 validators (one
 * process each) that produce 400 ms PoH slots, finalize them with Tower BFT and follow the L2's
 * anonymity-set roots; and the MoltDM relay with its web page (pairing, DMs).
 * Ctrl-C stops every part cleanly and exits 0.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../rollup/src/cli/freePort.ts';
import {
  localValidatorAddr,
  localValidatorArgs,
  spawnValidator,
} from '../rollup/src/cli/spawnValidator.ts';
import { describeGenesis } from '../rollup/src/genesis/genesis.ts';
import { loadOrCreateDevNet } from '../rollup/src/node/devNet.ts';
import { createLogger } from '../rollup/src/utils/createLogger.ts';
import { toHex } from '../rollup/src/utils/hex.ts';
import { usageError } from './lib/usageError.ts';

const USAGE = `usage: npm start [-- options]
  --host <addr>        interface to listen on (default 127.0.0.1)
  --l2-port <port>     L2 JSON-RPC port (default 8545, 0 = any free port)
  --rpc-port <port>    RPC port of the first validator, the others take the next ones
                       (default 8899 → 8899-8902; 0 = any free ports)
  --relay-port <port>  MoltDM relay and web page (default 8787, 0 = any free port)
  --validators <n>     validators in the shard, one process each (default 4)
  --data-dir <dir>     where the validators keep keys, genesis and chains (default .moltbook/local)
  --reset              delete the data directory first (a new chain)
  --help               this text`;

function parseFlags() {
  try {
    return parseArgs({
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        'l2-port': { type: 'string', default: '8545' },
        'rpc-port': { type: 'string', default: '8899' },
        'relay-port': { type: 'string', default: '8787' },
        'data-dir': { type: 'string', default: '.moltbook/local' },
        validators: { type: 'string', default: '4' },
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
const relayPort = port(flags['relay-port'], '--relay-port');
const dataDir = resolve(flags['data-dir']);
const validatorCount = Number(flags.validators);
if (!/^\d+$/.test(flags.validators) || validatorCount < 1 || validatorCount > 16)
  usageError(`--validators must be 1-16, got '${flags.validators}'`, USAGE);

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
  log('[1/4] starting the L2 (EDR, chain type op) and deploying contracts…');
  const { startLocalL2 } = await import('../deploy/local/startLocalL2.ts');
  const l2 = await startLocalL2({ hostname: host, port: l2Port, log: createLogger('l2') });
  stoppers.push(() => l2.close());
  log(`      L2 ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const anonymitySet = l2.contracts.AnonymitySet;
  if (anonymitySet === undefined) throw new Error('the L2 deployment has no AnonymitySet');
  const devnet = loadOrCreateDevNet(dataDir, validatorCount, {
    l2: { anonymitySet, fromBlock: '0' },
  });

  // §5.5 + §6.2 on the L2: the development identities 1 (faucet) and 2 (agent) register with
  // their simulated cards, and the registrar mirrors their ZK commitments into the AnonymitySet.
  log('[2/4] registering the development identities on the L2 and filling the anonymity set…');
  const { loadOrCreateDevCards } = await import('../deploy/local/devCards.ts');
  const { registerDevIdentities } = await import('../deploy/local/devIdentities.ts');
  const { startRegistrar } = await import('../deploy/local/registrar.ts');
  const cards = loadOrCreateDevCards(dataDir, 2);
  const l2Log = createLogger('l2');
  await registerDevIdentities(
    l2,
    cards.map((c) => ({
      card: c.card,
      owner: l2.accounts[c.identityId] as `0x${string}`,
      zkCommitment: c.zkCommitment,
    })),
    l2Log,
  );
  const registrar = startRegistrar(l2, { log: l2Log });
  stoppers.push(() => registrar.stop());
  await registrar.sync();

  log('[3/4] starting the MoltDM relay and its web page (building the page if needed)…');
  const { startLocalRelay } = await import('../web/startLocalRelay.ts');
  const { PortInUseError } = await import('../deploy/local/startLocalL2.ts');
  const relay = await startLocalRelay({
    dataDir: resolve(dataDir, 'relay'),
    host,
    port: relayPort,
    log: createLogger('relay'),
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err;
    const e = new PortInUseError(relayPort, host, { cause: err });
    e.message = `port ${relayPort} is already in use on ${host}; pass --relay-port <n> or stop the other process`;
    throw e;
  });
  stoppers.push(() => relay.close());

  log(
    `[4/4] starting ${validatorCount} shard-0 validators (separate processes; PoH in worker threads)…`,
  );
  const rollupLog = createLogger('rollup');
  // Every validator gets every other one's address up front (peer ids follow from the keys),
  // so all of them start at once and wait together for > 2/3 of the stake to be connected.
  const p2pPorts = await Promise.all(devnet.validators.map(() => freePort(host)));
  const addrs = devnet.validators.map((v, i) =>
    localValidatorAddr(p2pPorts[i] as number, v.key.publicKey, host),
  );
  const procs = devnet.validators.map((v, i) => {
    const proc = spawnValidator({
      args: localValidatorArgs({
        genesisPath: devnet.genesisPath,
        keyPath: v.keyPath,
        dataDir: v.dataDir,
        host,
        rpcPort: rpcPort === 0 ? 0 : rpcPort + i,
        p2pPort: p2pPorts[i] as number,
        peers: addrs.filter((_, j) => j !== i),
        l2Rpc: l2.rpcUrl,
      }),
      // Each validator logs its own heartbeats; prefix them with its number.
      onLine: (line) => {
        if (
          /finalized slot|produced slot|error|halted|invalid|equivocation|restored|waiting/.test(
            line,
          )
        )
          rollupLog(`v${i} ${line.replace(/^\S+ node\s+/, '')}`);
      },
    });
    stoppers.push(async () => {
      if (proc.child.exitCode === null) proc.child.kill('SIGTERM');
      const code = await proc.exited;
      if (code !== 0 && code !== null) throw new Error(`validator ${i} exited ${code}`);
    });
    proc.exited.then((code) => {
      if (!stopping) {
        process.stderr.write(`error: validator ${i} exited (${code}):\n${proc.output()}\n`);
        void shutdown(1);
      }
    });
    return proc;
  });
  const started = (await Promise.all(procs.map((p) => p.ready))).map((ep, i) => ({
    rpcUrl: ep.rpcUrl,
    metricsUrl: ep.metricsUrl,
    key: toHex((devnet.validators[i] as { key: { publicKey: Uint8Array } }).key.publicKey),
  }));
  rollupLog(`${devnet.created ? 'created' : 'loaded'} ${describeGenesis(devnet.genesis)}`);

  const rows: [string, string][] = [
    ['L2 JSON-RPC', `${l2.rpcUrl}  (chain id ${l2.chainId}, ${l2.chainType})`],
    ...Object.entries(l2.contracts).map(([name, addr]): [string, string] => [`  ${name}`, addr]),
    ...started.flatMap((v, i): [string, string][] => [
      [`Rollup RPC v${i}`, `${v.rpcUrl}  (validator ${v.key.slice(0, 16)}…)`],
      [`  metrics v${i}`, v.metricsUrl],
    ]),
    [
      'Faucet key',
      `${devnet.faucetKeyPath}  (${toHex(devnet.faucet.publicKey).slice(0, 16)}…, funded at genesis)`,
    ],
    [
      'Agent key',
      `${devnet.agentKeyPath}  (${toHex(devnet.agent.publicKey).slice(0, 16)}…, identity 2)`,
    ],
    [
      'Agent ZK secret',
      `${(cards[1] as { zkSecretPath: string }).zkSecretPath}  (from its card; proves membership, §6)`,
    ],
    ['MoltDM relay', `${relay.url}  (API, /health, /metrics)`],
    ['  pairing page', `${relay.pairUrlBase}<token>  (link a browser to an agent)`],
    ['  DM page', relay.dmUrl],
    ['Data dir', dataDir],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(
    `\nOpen Moltbook local network is up:\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n\nRollup JSON-RPC: getSlot, getBlock, getBlocks, getAccount, sendTransaction, getStatus, getGenesis,\ngetBaseFee, getPost, getFeed, getIdentity, getCommunity, getBounty, getPrivacy, getPseudonym, isNullifierSpent\n(faucet = identity 1, agent = identity 2, community general).\nPress Ctrl-C to stop.\n\n`,
  );
} catch (err) {
  await fatal(err);
}
