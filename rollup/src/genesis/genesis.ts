import { ByteWriter } from '../codec/byteWriter.ts';
import { HASHES_PER_TICK, SLOTS_PER_EPOCH, TICKS_PER_SLOT } from '../params/consensusParams.ts';
import { U64_MAX } from '../params/txParams.ts';
import { sha256 } from '../poh/poh.ts';
import { isCommunityName } from '../tx/txCodec.ts';
import { fromHex, toHex } from '../utils/hex.ts';
import { RollupError } from '../utils/rollupError.ts';

export interface GenesisValidator {
  /** Ed25519 validator key (hex). */
  readonly pubkey: string;
  /** Stake in micromolt, decimal string. */
  readonly stake: string;
}

export interface GenesisBalance {
  /** Ed25519 signer key of the account (hex). */
  readonly pubkey: string;
  /** Micromolt, decimal string. */
  readonly balance: string;
}

/** An identity the shard knows from slot 0 (before the beacon relays L2 events). */
export interface GenesisIdentity {
  /** Identity id on the L2 registry, decimal string ≥ 1. */
  readonly id: string;
  /** L2 stake in micromolt, decimal string. */
  readonly stake: string;
  /** Ed25519 signer keys (hex) authorized for it. */
  readonly signers: readonly string[];
}

/** The genesis of one shard: everything every validator must agree on before slot 1. */
export interface Genesis {
  readonly version: 1;
  readonly shard: number;
  readonly hashesPerTick: number;
  readonly ticksPerSlot: number;
  readonly slotsPerEpoch: number;
  readonly validators: readonly GenesisValidator[];
  /** Funded accounts of the shard's state at slot 0 (deposits from the L2 come later). */
  readonly accounts: readonly GenesisBalance[];
  /** Identities and their signer keys at slot 0. */
  readonly identities?: readonly GenesisIdentity[];
  /** Communities that exist at slot 0 (names, economyParams COMMUNITY_NAME_*). */
  readonly communities?: readonly string[];
  /** µMOLT in the treasury pool at slot 0 (pays the §17.3 free tier), decimal string. */
  readonly treasury?: string;
  /**
   * The L2 the shard follows (DESIGN.md §4 step 5; node/l2Follower.ts): its AnonymitySet, whose
   * roots reach the shard as `anonymityRoot` events (§6). Absent: a shard without an L2 link
   * (blocks carry no L2 events).
   */
  readonly l2?: GenesisL2;
}

export interface GenesisL2 {
  /** AnonymitySet address (0x + 40 hex). */
  readonly anonymitySet: string;
  /** L2 block it was deployed in, decimal string (where reading starts). */
  readonly fromBlock: string;
}

/** Most genesis accounts a file may list (bounds what a config file can make us allocate). */
export const MAX_GENESIS_ACCOUNTS = 100_000;

/** An invalid genesis (a config file from the outside); `code` is `genesis.<reason>`. */
export class GenesisError extends RollupError {
  override readonly name = 'GenesisError';
}

export function defaultGenesis(
  validators: readonly GenesisValidator[],
  overrides: Partial<Genesis> = {},
): Genesis {
  return {
    version: 1,
    shard: 0,
    hashesPerTick: HASHES_PER_TICK,
    ticksPerSlot: TICKS_PER_SLOT,
    slotsPerEpoch: SLOTS_PER_EPOCH,
    accounts: [],
    identities: [],
    communities: [],
    treasury: '0',
    ...overrides,
    validators,
  };
}

function positiveInt(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new GenesisError(
      'genesis.invalid_field',
      `${field} must be an integer in [${min}, ${max}]`,
    );
  }
  return v;
}

/** Validates a genesis read from a file (untrusted JSON) field by field. */
export function parseGenesis(json: unknown): Genesis {
  if (typeof json !== 'object' || json === null)
    throw new GenesisError('genesis.not_object', 'genesis must be a JSON object');
  const g = json as Record<string, unknown>;
  if (g.version !== 1) throw new GenesisError('genesis.version', 'genesis version must be 1');
  const validators = g.validators;
  if (!Array.isArray(validators) || validators.length === 0) {
    throw new GenesisError('genesis.no_validators', 'genesis needs at least one validator');
  }
  const parsed = validators.map((v: unknown, i) => {
    const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
    if (fromHex(o.pubkey, 32) === null) {
      throw new GenesisError(
        'genesis.validator_pubkey',
        `validators[${i}].pubkey must be 32 bytes of hex`,
      );
    }
    if (typeof o.stake !== 'string' || !/^[1-9][0-9]{0,30}$/.test(o.stake)) {
      throw new GenesisError(
        'genesis.validator_stake',
        `validators[${i}].stake must be a positive decimal string`,
      );
    }
    return { pubkey: (o.pubkey as string).toLowerCase().replace(/^0x/, ''), stake: o.stake };
  });
  if (new Set(parsed.map((v) => v.pubkey)).size !== parsed.length) {
    throw new GenesisError('genesis.duplicate_validator', 'a validator pubkey appears twice');
  }
  const accountsJson = g.accounts ?? [];
  if (!Array.isArray(accountsJson) || accountsJson.length > MAX_GENESIS_ACCOUNTS) {
    throw new GenesisError(
      'genesis.accounts',
      `accounts must be a list of at most ${MAX_GENESIS_ACCOUNTS} entries`,
    );
  }
  const accounts = accountsJson.map((a: unknown, i) => {
    const o = (typeof a === 'object' && a !== null ? a : {}) as Record<string, unknown>;
    if (fromHex(o.pubkey, 32) === null)
      throw new GenesisError(
        'genesis.account_pubkey',
        `accounts[${i}].pubkey must be 32 bytes of hex`,
      );
    if (
      typeof o.balance !== 'string' ||
      !/^(0|[1-9][0-9]{0,19})$/.test(o.balance) ||
      BigInt(o.balance) > U64_MAX
    )
      throw new GenesisError(
        'genesis.account_balance',
        `accounts[${i}].balance must be a decimal string below 2^64`,
      );
    return { pubkey: (o.pubkey as string).toLowerCase().replace(/^0x/, ''), balance: o.balance };
  });
  if (new Set(accounts.map((a) => a.pubkey)).size !== accounts.length)
    throw new GenesisError('genesis.duplicate_account', 'an account pubkey appears twice');
  const treasury = g.treasury ?? '0';
  if (typeof treasury !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(treasury))
    throw new GenesisError('genesis.treasury', 'treasury must be a decimal string below 2^64');
  const supply = accounts.reduce((s, a) => s + BigInt(a.balance), BigInt(treasury));
  if (supply > U64_MAX)
    throw new GenesisError('genesis.account_balance', 'total supply exceeds 2^64 - 1');
  return {
    version: 1,
    accounts,
    ...(g.l2 === undefined ? {} : { l2: parseL2(g.l2) }),
    identities: parseIdentities(g.identities ?? []),
    communities: parseCommunities(g.communities ?? []),
    treasury,
    shard: positiveInt(g.shard, 'shard', 0, 0xffff_ffff),
    hashesPerTick: positiveInt(g.hashesPerTick, 'hashesPerTick', 2, 10_000_000),
    ticksPerSlot: positiveInt(g.ticksPerSlot, 'ticksPerSlot', 1, 10_000),
    slotsPerEpoch: positiveInt(g.slotsPerEpoch, 'slotsPerEpoch', 1, 100_000_000),
    validators: parsed,
  };
}

function parseIdentities(json: unknown): GenesisIdentity[] {
  if (!Array.isArray(json) || json.length > MAX_GENESIS_ACCOUNTS)
    throw new GenesisError(
      'genesis.identities',
      `identities must be a list of at most ${MAX_GENESIS_ACCOUNTS}`,
    );
  const ids = new Set<string>();
  const signers = new Set<string>();
  return json.map((x: unknown, i) => {
    const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
    if (typeof o.id !== 'string' || !/^[1-9][0-9]{0,18}$/.test(o.id) || BigInt(o.id) > U64_MAX)
      throw new GenesisError(
        'genesis.identity_id',
        `identities[${i}].id must be a decimal string ≥ 1`,
      );
    if (
      typeof o.stake !== 'string' ||
      !/^(0|[1-9][0-9]{0,19})$/.test(o.stake) ||
      BigInt(o.stake) > U64_MAX
    )
      throw new GenesisError(
        'genesis.identity_stake',
        `identities[${i}].stake must be a decimal string below 2^64`,
      );
    if (ids.has(o.id))
      throw new GenesisError('genesis.identity_id', `identity ${o.id} appears twice`);
    ids.add(o.id);
    if (!Array.isArray(o.signers) || o.signers.length > 16)
      throw new GenesisError(
        'genesis.identity_signers',
        `identities[${i}].signers must be a list of at most 16 keys`,
      );
    const keys = o.signers.map((k: unknown, j) => {
      if (fromHex(k, 32) === null)
        throw new GenesisError(
          'genesis.identity_signers',
          `identities[${i}].signers[${j}] must be 32 bytes of hex`,
        );
      const hex = (k as string).toLowerCase().replace(/^0x/, '');
      if (signers.has(hex))
        throw new GenesisError('genesis.identity_signers', `signer ${hex} appears twice`);
      signers.add(hex);
      return hex;
    });
    return { id: o.id, stake: o.stake, signers: keys };
  });
}

function parseCommunities(json: unknown): string[] {
  if (!Array.isArray(json) || json.length > 1_000)
    throw new GenesisError(
      'genesis.communities',
      'communities must be a list of at most 1,000 names',
    );
  const names = json.map((n: unknown, i) => {
    if (typeof n !== 'string' || !isCommunityName(n))
      throw new GenesisError('genesis.communities', `communities[${i}] must be 3-32 of [a-z0-9-]`);
    return n;
  });
  if (new Set(names).size !== names.length)
    throw new GenesisError('genesis.communities', 'a community appears twice');
  return names;
}

function parseL2(v: unknown): GenesisL2 {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (typeof o.anonymitySet !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(o.anonymitySet))
    throw new GenesisError('genesis.l2', 'l2.anonymitySet must be an address (0x + 40 hex)');
  const from = o.fromBlock ?? '0';
  if (typeof from !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(from) || BigInt(from) > U64_MAX)
    throw new GenesisError('genesis.l2', 'l2.fromBlock must be a decimal string below 2^64');
  return { anonymitySet: o.anonymitySet.toLowerCase(), fromBlock: from };
}

/** Hash of the canonical encoding: the PoH chain of the shard starts here. */
export function genesisHash(g: Genesis): Uint8Array {
  const w = new ByteWriter();
  w.bytes(new TextEncoder().encode('moltbook/genesis/v1'))
    .u8(g.version)
    .u32(g.shard)
    .u32(g.hashesPerTick)
    .u32(g.ticksPerSlot)
    .u64(g.slotsPerEpoch)
    .u32(g.validators.length);
  for (const v of g.validators) {
    w.fixed(fromHex(v.pubkey, 32) as Uint8Array, 32).bytes(new TextEncoder().encode(v.stake));
  }
  w.u32(g.accounts.length);
  for (const a of g.accounts)
    w.fixed(fromHex(a.pubkey, 32) as Uint8Array, 32).u64n(BigInt(a.balance));
  const identities = g.identities ?? [];
  w.u32(identities.length);
  for (const i of identities) {
    w.u64n(BigInt(i.id)).u64n(BigInt(i.stake)).u32(i.signers.length);
    for (const k of i.signers) w.fixed(fromHex(k, 32) as Uint8Array, 32);
  }
  const communities = g.communities ?? [];
  w.u32(communities.length);
  for (const c of communities) w.bytes(new TextEncoder().encode(c));
  w.u64n(BigInt(g.treasury ?? '0'));
  // The L2 link, only when there is one (genesis hashes of shards without one are unchanged).
  if (g.l2 !== undefined)
    w.bytes(new TextEncoder().encode(g.l2.anonymitySet)).u64n(BigInt(g.l2.fromBlock));
  return sha256(w.finish());
}

export function describeGenesis(g: Genesis): string {
  return `shard ${g.shard}, ${g.validators.length} validator(s), genesis ${toHex(genesisHash(g)).slice(0, 16)}…`;
}
