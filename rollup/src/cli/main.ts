#!/usr/bin/env node
/**
 * moltbook-node — the validator CLI.
 *
 *   moltbook-node run [--data-dir d] [--host h] [--rpc-port p] [--genesis file --key file]
 *   moltbook-node keygen --out <file>
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
import { createLogger } from '../utils/createLogger.ts';
import { toHex } from '../utils/hex.ts';

const USAGE = `usage:
  moltbook-node run [--data-dir <dir>] [--host <addr>] [--rpc-port <port>] [--genesis <file> --key <file>]
      Without --genesis/--key, runs a single-validator development shard under --data-dir
      (key and genesis are created there on first run).
  moltbook-node keygen --out <file>
      Writes a new Ed25519 validator key (PKCS#8 PEM, mode 0600) and prints its public key.`;

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
} else if (command === 'run') {
  const v = parse(rest, {
    'data-dir': { type: 'string', default: '.moltbook/node' },
    host: { type: 'string', default: '127.0.0.1' },
    'rpc-port': { type: 'string', default: '8899' },
    genesis: { type: 'string' },
    key: { type: 'string' },
  });
  const portText = String(v['rpc-port']);
  if (!/^\d+$/.test(portText) || Number(portText) > 65_535)
    die(`--rpc-port must be a port number 0-65535, got '${portText}'`);
  if ((v.genesis === undefined) !== (v.key === undefined)) die('--genesis and --key go together');
  const dataDir = String(v['data-dir']);
  const log = createLogger('node');
  let setup: ReturnType<typeof loadOrCreateDevNet>;
  try {
    if (typeof v.genesis === 'string' && typeof v.key === 'string') {
      setup = {
        genesis: parseGenesis(JSON.parse(readFileSync(v.genesis, 'utf8'))),
        key: privateKeyFromPem(readFileSync(v.key, 'utf8')),
        created: false,
      };
    } else {
      setup = loadOrCreateDevNet(dataDir);
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
  const node = new ValidatorNode(
    { dataDir, genesis: setup.genesis, host: String(v.host), rpcPort: Number(portText) },
    {
      key: setup.key,
      log,
      onBlock: (b) => b.slot % 25 === 0 && log(`slot ${b.slot} · tick height ${b.tickHeight}`),
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
  log(`RPC ${node.rpcUrl}  ·  metrics ${node.rpcUrl}/metrics  ·  data ${dataDir}`);
} else {
  die(command === undefined ? 'missing command' : `unknown command '${command}'`);
}
