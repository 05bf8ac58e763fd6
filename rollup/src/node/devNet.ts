import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Ed25519KeyPair,
  generateEd25519,
  privateKeyFromPem,
  privateKeyToPem,
} from '../crypto/ed25519.ts';
import { defaultGenesis, type Genesis, GenesisError, parseGenesis } from '../genesis/genesis.ts';
import { LOCAL_HASHES_PER_TICK } from '../params/consensusParams.ts';
import { toHex } from '../utils/hex.ts';

/** Stake of the development validator: 1,000,000 MOLT in micromolt. */
const DEV_STAKE = '1000000000000';
/** Epoch length of the development network (short, so epoch logic is exercised locally). */
const DEV_SLOTS_PER_EPOCH = 1_000;

export interface DevNet {
  readonly key: Ed25519KeyPair;
  readonly genesis: Genesis;
  readonly created: boolean;
}

/**
 * The single-validator development shard under `dataDir`: its validator key (PKCS#8 PEM, mode
 * 0600) and genesis are created on first use and reused afterwards, so a restart resumes the
 * same chain.
 */
export function loadOrCreateDevNet(dataDir: string): DevNet {
  mkdirSync(dataDir, { recursive: true });
  const keyPath = join(dataDir, 'validator-key.pem');
  const genesisPath = join(dataDir, 'genesis.json');
  let created = false;
  let key: Ed25519KeyPair;
  if (existsSync(keyPath)) {
    key = privateKeyFromPem(readFileSync(keyPath, 'utf8'));
  } else {
    key = generateEd25519();
    writeFileSync(keyPath, privateKeyToPem(key.privateKey), { mode: 0o600 });
    chmodSync(keyPath, 0o600);
    created = true;
  }
  let genesis: Genesis;
  if (existsSync(genesisPath)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(genesisPath, 'utf8'));
    } catch {
      throw new GenesisError('genesis.not_json', `${genesisPath} is not valid JSON`);
    }
    genesis = parseGenesis(json);
  } else {
    genesis = defaultGenesis([{ pubkey: toHex(key.publicKey), stake: DEV_STAKE }], {
      hashesPerTick: LOCAL_HASHES_PER_TICK,
      slotsPerEpoch: DEV_SLOTS_PER_EPOCH,
    });
    writeFileSync(genesisPath, `${JSON.stringify(genesis, null, 2)}\n`);
    created = true;
  }
  return { key, genesis, created };
}
