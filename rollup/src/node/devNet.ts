import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Ed25519KeyPair,
  generateEd25519,
  privateKeyFromPem,
  privateKeyToPem,
} from '../crypto/ed25519.ts';
import {
  defaultGenesis,
  type Genesis,
  GenesisError,
  type GenesisL2,
  parseGenesis,
} from '../genesis/genesis.ts';
import { toHex } from '../utils/hex.ts';
import { NodeError } from './validatorNode.ts';

/** Stake of each development validator: 1,000,000 MOLT in micromolt. */
const DEV_STAKE = '1000000000000';
/** Balance of the development faucet account: 1,000,000 MOLT in micromolt. */
const DEV_FAUCET_BALANCE = '1000000000000';
/**
 * Content actions need an identity (§6.3), and votes and bounty answers a second one (nobody votes
 * on or answers their own post): the faucet key signs for identity 1 and the agent key for
 * identity 2, each staking the §C.5 minimum of 100 MOLT, in the community `general`.
 */
const DEV_IDENTITY_STAKE = '100000000';
const DEV_COMMUNITY = 'general';
/**
 * The development treasury pool: 10,000 MOLT, which pays the §17.3 free tier and the fees of
 * pseudonymous and anonymous posts (§6.3, docs/privacy.md "Fees").
 */
const DEV_TREASURY = '10000000000';
/** Balance of the development agent account: 1,000 MOLT in micromolt. */
const DEV_AGENT_BALANCE = '1000000000';
/** Epoch length of the development network (short, so epoch logic is exercised locally). */
const DEV_SLOTS_PER_EPOCH = 1_000;
/**
 * Hashes per tick of the local network. One 2-core machine runs the L2 and every validator's PoH,
 * so each validator's PoH is made 10× lighter than production (12,500): four validators then
 * hash ≈ 0.8 M/s together, a quarter of one core, and keep 400 ms slots. Verified the same way.
 */
export const DEV_HASHES_PER_TICK = 1_250;

export interface DevValidator {
  readonly key: Ed25519KeyPair;
  /** The validator's own data directory (store, tower). */
  readonly dataDir: string;
  readonly keyPath: string;
}

export interface DevNet {
  readonly genesis: Genesis;
  readonly genesisPath: string;
  readonly validators: readonly DevValidator[];
  /**
   * A funded account for trying transfers (its key is in `faucet-key.pem`); on a network created
   * by this version it is also the signer of identity 1, which can post in `general`.
   */
  readonly faucet: Ed25519KeyPair;
  readonly faucetKeyPath: string;
  /**
   * A second funded key (`agent-key.pem`), the signer of identity 2 on a network created by this
   * version: it can vote on and answer the faucet identity's posts.
   */
  readonly agent: Ed25519KeyPair;
  readonly agentKeyPath: string;
  readonly created: boolean;
}

function loadOrCreateKey(path: string): { key: Ed25519KeyPair; created: boolean } {
  if (existsSync(path))
    return { key: privateKeyFromPem(readFileSync(path, 'utf8')), created: false };
  const key = generateEd25519();
  writeFileSync(path, privateKeyToPem(key.privateKey), { mode: 0o600 });
  chmodSync(path, 0o600);
  return { key, created: true };
}

/**
 * The development shard under `dataDir`: `count` validator keys (PKCS#8 PEM, mode 0600) in
 * `validator-<i>/`, a funded faucet key and one genesis, created on first use and reused after,
 * so a restart resumes the same chain. A directory made for another number of validators (or by
 * an older version) is refused with a message.
 */
export function loadOrCreateDevNet(
  dataDir: string,
  count = 4,
  opts: { readonly l2?: GenesisL2 } = {},
): DevNet {
  mkdirSync(dataDir, { recursive: true });
  const genesisPath = join(dataDir, 'genesis.json');
  const hadGenesis = existsSync(genesisPath);
  let created = false;
  const validators: DevValidator[] = [];
  for (let i = 0; i < count; i++) {
    const dir = join(dataDir, `validator-${i}`);
    mkdirSync(dir, { recursive: true });
    const keyPath = join(dir, 'validator-key.pem');
    if (hadGenesis && !existsSync(keyPath))
      throw new NodeError(
        'node.devnet_layout',
        `${dataDir} holds a development network of another shape; start over with --reset`,
      );
    const k = loadOrCreateKey(keyPath);
    created ||= k.created;
    validators.push({ key: k.key, dataDir: dir, keyPath });
  }
  const faucetKeyPath = join(dataDir, 'faucet-key.pem');
  const faucet = loadOrCreateKey(faucetKeyPath);
  const agentKeyPath = join(dataDir, 'agent-key.pem');
  const agent = loadOrCreateKey(agentKeyPath);
  let genesis: Genesis;
  if (hadGenesis) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(genesisPath, 'utf8'));
    } catch {
      throw new GenesisError('genesis.not_json', `${genesisPath} is not valid JSON`);
    }
    genesis = parseGenesis(json);
    const keys = new Set(validators.map((v) => toHex(v.key.publicKey)));
    if (genesis.validators.length !== count || !genesis.validators.every((v) => keys.has(v.pubkey)))
      throw new NodeError(
        'node.devnet_layout',
        `${genesisPath} was made for other validators (an older layout?); start over with --reset`,
      );
    if (genesis.l2?.anonymitySet !== opts.l2?.anonymitySet?.toLowerCase())
      throw new NodeError(
        'node.devnet_layout',
        `${genesisPath} is linked to ${genesis.l2 === undefined ? 'no L2' : `the AnonymitySet ${genesis.l2.anonymitySet}`}, this network to ${opts.l2 === undefined ? 'none' : opts.l2.anonymitySet} (the contracts changed?); start over with --reset`,
      );
  } else {
    genesis = defaultGenesis(
      validators.map((v) => ({ pubkey: toHex(v.key.publicKey), stake: DEV_STAKE })),
      {
        hashesPerTick: DEV_HASHES_PER_TICK,
        slotsPerEpoch: DEV_SLOTS_PER_EPOCH,
        accounts: [
          { pubkey: toHex(faucet.key.publicKey), balance: DEV_FAUCET_BALANCE },
          { pubkey: toHex(agent.key.publicKey), balance: DEV_AGENT_BALANCE },
        ],
        identities: [faucet, agent].map((k, i) => ({
          id: String(i + 1),
          stake: DEV_IDENTITY_STAKE,
          signers: [toHex(k.key.publicKey)],
        })),
        communities: [DEV_COMMUNITY],
        treasury: DEV_TREASURY,
        ...(opts.l2 === undefined
          ? {}
          : {
              l2: {
                anonymitySet: opts.l2.anonymitySet.toLowerCase(),
                fromBlock: opts.l2.fromBlock,
              },
            }),
      },
    );
    writeFileSync(genesisPath, `${JSON.stringify(genesis, null, 2)}\n`);
    created = true;
  }
  return {
    genesis,
    genesisPath,
    validators,
    faucet: faucet.key,
    faucetKeyPath,
    agent: agent.key,
    agentKeyPath,
    created: created || faucet.created,
  };
}
