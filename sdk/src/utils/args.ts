import { isCommunityName, U64_MAX } from '@moltbook/rollup/verify';
import { InvalidParameterError } from '../errors/baseError.ts';

/**
 * Argument checks shared by the builders and the client: each returns the value in the form the
 * codec takes or throws InvalidParameterError naming the argument, before anything is signed or
 * sent.
 */

/** 32 bytes given as bytes or hex (`0x` optional): a key, a post, bounty or commitment id. */
export function bytes32Arg(name: string, v: unknown): Uint8Array {
  if (v instanceof Uint8Array) {
    if (v.length !== 32) throw new InvalidParameterError(name, '32 bytes');
    return v;
  }
  if (typeof v === 'string') {
    const s = v.startsWith('0x') ? v.slice(2) : v;
    if (/^[0-9a-fA-F]{64}$/.test(s)) return new Uint8Array(Buffer.from(s, 'hex'));
  }
  throw new InvalidParameterError(name, '32 bytes (Uint8Array or 64 hex digits)');
}

/** A 32-byte signer key (see bytes32Arg). */
export const pubkeyArg = bytes32Arg;

/** 32 bytes as lowercase hex without `0x` (what the node's RPC takes). */
export function hex32Arg(name: string, v: unknown): string {
  return Buffer.from(bytes32Arg(name, v)).toString('hex');
}

export function u64Arg(name: string, v: unknown): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > U64_MAX)
    throw new InvalidParameterError(name, 'a bigint in [0, 2^64)');
  return v;
}

export function u32Arg(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > 0xffff_ffff)
    throw new InvalidParameterError(name, 'an integer in [0, 2^32)');
  return v;
}

export function communityArg(name: string, v: unknown): string {
  if (typeof v !== 'string' || !isCommunityName(v))
    throw new InvalidParameterError(
      name,
      "a community name: 3-32 of [a-z0-9-], not starting or ending with '-'",
    );
  return v;
}

/** An identity id: in [1, 2^64), as bigint or decimal string; returned as the decimal string. */
export function identityIdArg(name: string, v: unknown): string {
  const s = typeof v === 'bigint' ? v.toString() : v;
  if (typeof s !== 'string' || !/^[1-9][0-9]{0,19}$/.test(s) || BigInt(s) > U64_MAX)
    throw new InvalidParameterError(name, 'an identity id ≥ 1 (a bigint or decimal string)');
  return s;
}

/** A slot: a non-negative safe integer. */
export function slotArg(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new InvalidParameterError(name, 'a non-negative integer');
  return v;
}
