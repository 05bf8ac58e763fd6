import { HASH_BYTES } from '../params/consensusParams.ts';
import type { PohEntry } from './poh.ts';
import { hashChain, sha256Mix } from './poh.ts';

/** Why a PoH sequence is invalid, or that it is valid. Typed, never a boolean (STYLE.md). */
export type PohVerdict =
  | { readonly kind: 'valid'; readonly ticks: number; readonly hashes: number }
  | { readonly kind: 'hashMismatch'; readonly index: number }
  | { readonly kind: 'malformedEntry'; readonly index: number; readonly reason: string }
  | {
      readonly kind: 'tickHashCount';
      readonly index: number;
      readonly expected: number;
      readonly actual: number;
    }
  | { readonly kind: 'tickCount'; readonly expected: number; readonly actual: number };

export interface PohRules {
  readonly hashesPerTick: number;
  /** When set, the sequence must hold exactly this many ticks and end on a tick (a full slot). */
  readonly ticksPerSlot?: number;
}

/**
 * Checks the shape of a sequence without hashing: entry sizes, the hash count of every tick
 * period (Agave `verify_tick_hash_count`), and the number of ticks. Cheap; runs before the
 * hash-chain check.
 */
export function verifyEntryShape(entries: readonly PohEntry[], rules: PohRules): PohVerdict {
  let sinceTick = 0;
  let ticks = 0;
  let hashes = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as PohEntry;
    if (!Number.isSafeInteger(e.numHashes) || e.numHashes < 1) {
      return { kind: 'malformedEntry', index: i, reason: 'numHashes must be a positive integer' };
    }
    if (e.hash.length !== HASH_BYTES) {
      return { kind: 'malformedEntry', index: i, reason: 'hash must be 32 bytes' };
    }
    if (e.mixin !== undefined && e.mixin.length !== HASH_BYTES) {
      return { kind: 'malformedEntry', index: i, reason: 'mixin must be 32 bytes' };
    }
    sinceTick += e.numHashes;
    hashes += e.numHashes;
    if (e.mixin === undefined) {
      if (sinceTick !== rules.hashesPerTick) {
        return {
          kind: 'tickHashCount',
          index: i,
          expected: rules.hashesPerTick,
          actual: sinceTick,
        };
      }
      ticks += 1;
      sinceTick = 0;
    } else if (sinceTick >= rules.hashesPerTick) {
      // A recorded entry may never consume the hash that belongs to the tick.
      return {
        kind: 'tickHashCount',
        index: i,
        expected: rules.hashesPerTick - 1,
        actual: sinceTick,
      };
    }
  }
  if (rules.ticksPerSlot !== undefined) {
    if (ticks !== rules.ticksPerSlot || sinceTick !== 0) {
      return { kind: 'tickCount', expected: rules.ticksPerSlot, actual: ticks };
    }
  }
  return { kind: 'valid', ticks, hashes };
}

/** Recomputes one entry's hash from the previous hash (Agave `next_hash`). */
export function nextHash(prev: Uint8Array, entry: PohEntry): Uint8Array {
  if (entry.mixin === undefined) return hashChain(prev, entry.numHashes);
  return sha256Mix(hashChain(prev, entry.numHashes - 1), entry.mixin);
}

/**
 * Verifies the hash chain of `entries[from..to)` starting at `start`. Returns the index of the
 * first mismatching entry, or -1.
 */
export function verifyHashChain(
  start: Uint8Array,
  entries: readonly PohEntry[],
  from = 0,
  to = entries.length,
): number {
  let h = start;
  for (let i = from; i < to; i++) {
    const e = entries[i] as PohEntry;
    h = nextHash(h, e);
    if (!equalBytes(h, e.hash)) return i;
  }
  return -1;
}

/** Single-threaded verification of a PoH sequence: shape first, then the hash chain. */
export function verifyEntries(
  start: Uint8Array,
  entries: readonly PohEntry[],
  rules: PohRules,
): PohVerdict {
  if (start.length !== HASH_BYTES) {
    return { kind: 'malformedEntry', index: -1, reason: 'start hash must be 32 bytes' };
  }
  const shape = verifyEntryShape(entries, rules);
  if (shape.kind !== 'valid') return shape;
  const bad = verifyHashChain(start, entries);
  return bad === -1 ? shape : { kind: 'hashMismatch', index: bad };
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
