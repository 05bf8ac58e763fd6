#!/usr/bin/env node
/**
 * moltbook-node — the validator CLI.
 *
 *   moltbook-node run [--config file] [--genesis file --key file] [--data-dir d] [--host h]
 *                     [--rpc-port p] [--p2p-port p] [--metrics-port p] [--peer multiaddr]… [--shard n]
 *   moltbook-node keygen --out <file>
 *   moltbook-node peer-id --key <file>
 *
 * Bad flags and known startup failures print one line that says what to do (exit 2 / 1);
 * SIGINT/SIGTERM stop the node cleanly (exit 0).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateEd25519, privateKeyFromPem, privateKeyToPem } from '../crypto/ed25519.ts';
import { describeGenesis, GenesisError, parseGenesis } from '../genesis/genesis.ts';
import { loadOrCreateDevNet } from '../node/devNet.ts';
import { ValidatorNode } from '../node/validatorNode.ts';
import { peerIdOfValidator } from '../p2p/createP2pNode.ts';
import { SLOT_DURATION_MS } from '../params/consensusParams.ts';
import { createLogger } from '../utils/createLogger.ts';
import { toHex } from '../utils/hex.ts';
import { type NodeConfig, parseNodeConfig } from './nodeConfig.ts';

const USAGE = `usage:
  moltbook-node run [options]
      --config <file>        JSON file with any of the options below (flags override it)
      --genesis <file>       shard genesis (JSON); with --key
      --key <file>           validator key (PKCS#8 PEM, from keygen); with --genesis
      --data-dir <dir>       store, tower and votes (default .moltbook/node)
      --host <addr>          interface for RPC, metrics and p2p (default 127.0.0.1)
      --rpc-port <port>      JSON-RPC + /metrics + /health (default 8899, 0 = any free port)
      --p2p-port <port>      libp2p TCP (default 0 = any free port)
      --metrics-port <port>  a separate port for /metrics and /health (default: the RPC port)
      --peer <multiaddr>     a validator to dial, e.g. /ip4/10.0.0.2/tcp/8900/p2p/12D3Koo…; repeatable
      --shard <n>            refuse to start unless the genesis is of this shard
      --slot-ms <ms>         pace of the PoH clock (default ${SLOT_DURATION_MS}; test networks only)
      --l2-rpc <url>         JSON-RPC of the L2, required when the genesis links the shard to one
      --l2-confirmations <n> L2 blocks an L2 event waits before it counts (default 0)
      --admin-rpc            also serve admin_blockPeers (operators, partition tests)
      --cr-delay-slots <n>   slots a tx waits before this node puts it on its crList (default 10)
      --fault <kind>         misbehave on purpose, tests only: equivocate (two blocks per slot)
                             or censor (lead blocks without any transaction)
      Without --genesis/--key, runs a single-validator development shard under --data-dir
      (key and genesis are created there on first run).
  moltbook-node keygen --out <file>
      Writes a new Ed25519 validator key (PKCS#8 PEM, mode 0600) and prints its public key.
  moltbook-node peer-id --key <file>
      Prints the libp2p peer id of a validator key (others put it in the /p2p/ part of --peer).`;

function die(message: string, code = 2): never {
  process.stderr.write(`error: ${message}\n${code === 2 ? `${USAGE}\n` : ''}`);
  process.exit(code);
}

function parse(
  args: string[],
  options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    return die((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

function readKey(path: string) {
  try {
    return privateKeyFromPem(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return die(
      e.code === 'ENOENT' ? `key file not found: ${path}` : `${path} is not an Ed25519 key`,
      1,
    );
  }
}

const [command, ...rest] = process.argv.slice(2);
if (command === '--help' || command === 'help' || rest.includes('--help')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (command === 'keygen') {
  const v = parse(rest, { out: { type: 'string' } });
  if (typeof v.out !== 'string') die('keygen needs --out <file>');
  if (existsSync(v.out)) die(`${v.out} exists; refusing to overwrite a key`, 1);
  const key = generateEd25519();
  try {
    writeFileSync(v.out, privateKeyToPem(key.privateKey), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    die(
      `cannot write ${v.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      1,
    );
  }
  process.stdout.write(`${toHex(key.publicKey)}\n`);
} else if (command === 'peer-id') {
  const v = parse(rest, { key: { type: 'string' } });
  if (typeof v.key !== 'string') die('peer-id needs --key <file>');
  process.stdout.write(`${peerIdOfValidator(readKey(v.key).publicKey)}\n`);
} else if (command === 'run') {
  const v = parse(rest, {
    config: { type: 'string' },
    'data-dir': { type: 'string' },
    host: { type: 'string' },
    'rpc-port': { type: 'string' },
    'p2p-port': { type: 'string' },
    'metrics-port': { type: 'string' },
    peer: { type: 'string', multiple: true },
    shard: { type: 'string' },
    'slot-ms': { type: 'string' },
    fault: { type: 'string' },
    'admin-rpc': { type: 'boolean' },
    'cr-delay-slots': { type: 'string' },
    genesis: { type: 'string' },
    key: { type: 'string' },
    'l2-rpc': { type: 'string' },
    'l2-confirmations': { type: 'string' },
  });
  let fileConfig: unknown = {};
  if (typeof v.config === 'string') {
    try {
      fileConfig = JSON.parse(readFileSync(v.config, 'utf8'));
    } catch (err) {
      die(
        (err as NodeJS.ErrnoException).code === 'ENOENT'
          ? `config file not found: ${v.config}`
          : `${v.config} is not valid JSON`,
        1,
      );
    }
  }
  let config: NodeConfig;
  try {
    config = parseNodeConfig(fileConfig, {
      dataDir: v['data-dir'],
      host: v.host,
      rpcPort: v['rpc-port'],
      p2pPort: v['p2p-port'],
      metricsPort: v['metrics-port'],
      peers: v.peer,
      shard: v.shard,
      slotMs: v['slot-ms'],
      genesis: v.genesis,
      key: v.key,
      l2Rpc: v['l2-rpc'],
      l2Confirmations: v['l2-confirmations'],
    });
  } catch (err) {
    die((err as Error).message);
  }
  if (v.fault !== undefined && v.fault !== 'equivocate' && v.fault !== 'censor')
    die(`--fault must be 'equivocate' or 'censor', got '${String(v.fault)}'`);
  const crDelay = v['cr-delay-slots'];
  if (crDelay !== undefined && (typeof crDelay !== 'string' || !/^\d{1,4}$/.test(crDelay)))
    die(`--cr-delay-slots must be an integer 0-9999, got '${String(crDelay)}'`);
  const log = createLogger('node');
  let setup: { genesis: ReturnType<typeof parseGenesis>; key: ReturnType<typeof readKey> };
  try {
    if (config.genesis !== undefined && config.key !== undefined) {
      setup = {
        genesis: parseGenesis(JSON.parse(readFileSync(config.genesis, 'utf8'))),
        key: readKey(config.key),
      };
    } else {
      const dev = loadOrCreateDevNet(config.dataDir, 1);
      setup = { genesis: dev.genesis, key: (dev.validators[0] as { key: typeof setup.key }).key };
    }
  } catch (err) {
    const e = err as Error & { code?: string };
    die(
      e instanceof GenesisError || e instanceof SyntaxError
        ? `genesis: ${e.message}`
        : `${e.code === 'ENOENT' ? 'file not found: ' : ''}${e.message}`,
      1,
    );
  }
  if (config.shard !== undefined && config.shard !== setup.genesis.shard)
    die(`--shard ${config.shard}, but the genesis is of shard ${setup.genesis.shard}`, 1);
  const dataDir = config.genesis === undefined ? `${config.dataDir}/validator-0` : config.dataDir;
  const node = new ValidatorNode(
    {
      dataDir,
      genesis: setup.genesis,
      host: config.host,
      rpcPort: config.rpcPort,
      p2pPort: config.p2pPort,
      peers: config.peers,
      ...(v.fault === 'equivocate' ? { faults: { equivocate: true } } : {}),
      ...(v.fault === 'censor' ? { faults: { censor: true } } : {}),
      ...(typeof crDelay === 'string' ? { crListDelaySlots: Number(crDelay) } : {}),
      ...(v['admin-rpc'] === true ? { adminRpc: true } : {}),
      ...(config.metricsPort === undefined ? {} : { metricsPort: config.metricsPort }),
      ...(config.l2Rpc === undefined ? {} : { l2RpcUrl: config.l2Rpc }),
      ...(config.l2Confirmations === undefined ? {} : { l2Confirmations: config.l2Confirmations }),
      ...(config.slotMs === undefined
        ? {}
        : {
            targetTickNs: (BigInt(config.slotMs) * 1_000_000n) / BigInt(setup.genesis.ticksPerSlot),
          }),
    },
    {
      key: setup.key,
      log,
      onBlock: (b, produced) =>
        produced &&
        b.slot % 20 === 0 &&
        log(`produced slot ${b.slot} · ${b.transactions.length} tx`),
      onRoot: (slot) => slot % 50 < 4 && log(`finalized slot ${slot}`),
    },
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(130);
    stopping = true;
    log('stopping…');
    await node.stop();
    log('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  try {
    await node.start();
  } catch (err) {
    const e = err as Error;
    die(
      e.name === 'PortInUseError' || e.name === 'NodeError' ? e.message : (e.stack ?? e.message),
      1,
    );
  }
  log(`validator ${toHex(setup.key.publicKey).slice(0, 16)}… · ${describeGenesis(setup.genesis)}`);
  log(`RPC ${node.rpcUrl}  ·  metrics ${node.metricsUrl}  ·  data ${dataDir}`);
  for (const a of node.p2pAddrs) log(`p2p ${a}`);
} else {
  die(command === undefined ? 'missing command' : `unknown command '${command}'`);
}
