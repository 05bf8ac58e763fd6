import { ByteWriter } from '../codec/byteWriter.ts';
import { HASHES_PER_TICK, SLOTS_PER_EPOCH, TICKS_PER_SLOT } from '../params/consensusParams.ts';
import { U64_MAX } from '../params/txParams.ts';
import { sha256 } from '../poh/poh.ts';
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
  const supply = accounts.reduce((s, a) => s + BigInt(a.balance), 0n);
  if (supply > U64_MAX)
    throw new GenesisError('genesis.account_balance', 'total supply exceeds 2^64 - 1');
  return {
    version: 1,
    accounts,
    shard: positiveInt(g.shard, 'shard', 0, 0xffff_ffff),
    hashesPerTick: positiveInt(g.hashesPerTick, 'hashesPerTick', 2, 10_000_000),
    ticksPerSlot: positiveInt(g.ticksPerSlot, 'ticksPerSlot', 1, 10_000),
    slotsPerEpoch: positiveInt(g.slotsPerEpoch, 'slotsPerEpoch', 1, 100_000_000),
    validators: parsed,
  };
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
  return sha256(w.finish());
}

export function describeGenesis(g: Genesis): string {
  return `shard ${g.shard}, ${g.validators.length} validator(s), genesis ${toHex(genesisHash(g)).slice(0, 16)}…`;
}
