import { ByteWriter } from '../codec/byteWriter.ts';
import { NUM_CONSECUTIVE_LEADER_SLOTS } from '../params/towerParams.ts';
import { sha256 } from '../poh/poh.ts';
import { fromHex } from '../utils/hex.ts';
import { ChaChaRng } from './chaChaRng.ts';
import { ConsensusError } from './consensusError.ts';

export interface StakedValidator {
  /** Ed25519 key, 64 hex digits (either case; the schedule reports lowercase). */
  readonly pubkey: string;
  /** Stake in micromolt. Zero-stake validators are dropped: they never lead. */
  readonly stake: bigint;
}

export interface LeaderScheduleParams {
  readonly epoch: number;
  /** Slots of every epoch (fixed length, no Agave-style warmup): epoch e is [e·len, (e+1)·len). */
  readonly slotsPerEpoch: number;
  /** The stake snapshot the schedule is drawn from (see docs/consensus.md for which one). */
  readonly validators: readonly StakedValidator[];
  /** 32 bytes; the node passes `leaderScheduleSeed(genesisHash, epoch)`. */
  readonly seed: Uint8Array;
}

export interface LeaderSchedule {
  readonly epoch: number;
  readonly firstSlot: number;
  /** Exclusive. */
  readonly endSlot: number;
  /** Validators that can lead, in canonical order (stake desc, pubkey asc). */
  readonly validators: readonly StakedValidator[];
  /** Lowercase hex key of the leader of `slot`; throws for a slot outside the epoch. */
  leaderAt(slot: number): string;
  /** Slots of the epoch this validator leads, ascending (empty when it never does). */
  slotsOf(pubkey: string): number[];
}

const SEED_DOMAIN = new TextEncoder().encode('moltbook/leader-schedule-seed/v1');
/** The sampler draws 128-bit integers; the total must stay well below that. */
const MAX_TOTAL_STAKE = 1n << 127n;

/**
 * Seed of epoch `epoch`: SHA-256(domain ‖ genesisHash ‖ u64be(epoch)). Like Agave, whose seed is
 * the epoch number itself (`leader_schedule_utils::leader_schedule`), it depends on nothing a
 * leader can grind (no PoH or block hash), so the schedule of epoch e+1 is known during epoch e —
 * and indeed from genesis; the stake snapshot is what changes between epochs.
 */
export function leaderScheduleSeed(genesisHash: Uint8Array, epoch: number): Uint8Array {
  const w = new ByteWriter(96);
  w.bytes(SEED_DOMAIN).fixed(genesisHash, 32).u64(epoch);
  return sha256(w.finish());
}

/** Canonical order before sampling (Agave `sort_stakes`, but pubkey ascending): stake desc. */
function canonicalValidators(validators: readonly StakedValidator[]): StakedValidator[] {
  const seen = new Set<string>();
  const out: StakedValidator[] = [];
  for (const v of validators) {
    const key = typeof v.pubkey === 'string' ? v.pubkey.toLowerCase() : '';
    if (fromHex(key, 32) === null || key.startsWith('0x'))
      throw new ConsensusError(
        'leader_schedule.invalid_validator',
        `bad pubkey ${String(v.pubkey)}`,
      );
    if (typeof v.stake !== 'bigint' || v.stake < 0n)
      throw new ConsensusError('leader_schedule.invalid_validator', `bad stake for ${key}`);
    if (seen.has(key))
      throw new ConsensusError('leader_schedule.invalid_validator', `duplicate validator ${key}`);
    seen.add(key);
    if (v.stake > 0n) out.push({ pubkey: key, stake: v.stake });
  }
  return out.sort((a, b) =>
    a.stake === b.stake ? (a.pubkey < b.pubkey ? -1 : 1) : a.stake > b.stake ? -1 : 1,
  );
}

/**
 * Stake-weighted leader schedule of one epoch (§7.3 "rotates deterministically", §7.4; Agave
 * `LeaderSchedule::new`): ⌈slotsPerEpoch / 4⌉ draws, each a uniform integer x in [0, total stake)
 * from `ChaChaRng(seed)` mapped to the validator whose cumulative-stake interval holds x, each
 * leading NUM_CONSECUTIVE_LEADER_SLOTS slots in a row. Pure, integer-only: O(slots/4 · log n).
 */
export function leaderSchedule(params: LeaderScheduleParams): LeaderSchedule {
  const { epoch, slotsPerEpoch, seed } = params;
  if (!Number.isSafeInteger(epoch) || epoch < 0)
    throw new ConsensusError('leader_schedule.invalid_params', `bad epoch ${epoch}`);
  if (!Number.isSafeInteger(slotsPerEpoch) || slotsPerEpoch < 1 || slotsPerEpoch > 2 ** 32)
    throw new ConsensusError(
      'leader_schedule.invalid_params',
      `bad slotsPerEpoch ${slotsPerEpoch}`,
    );
  if (!(seed instanceof Uint8Array) || seed.length !== 32)
    throw new ConsensusError('leader_schedule.invalid_params', 'seed must be 32 bytes');
  const firstSlot = epoch * slotsPerEpoch;
  const endSlot = firstSlot + slotsPerEpoch;
  if (!Number.isSafeInteger(endSlot))
    throw new ConsensusError('leader_schedule.invalid_params', 'epoch end exceeds 2^53');

  const validators = canonicalValidators(params.validators);
  // cumulative[i] = stake of validators[0..i] inclusive: x < cumulative[i] picks the first such i.
  const cumulative: bigint[] = [];
  let total = 0n;
  for (const v of validators) {
    total += v.stake;
    cumulative.push(total);
  }
  if (total === 0n || total > MAX_TOTAL_STAKE)
    throw new ConsensusError('leader_schedule.no_stake', `total stake ${total} out of range`);

  const rng = new ChaChaRng(seed);
  const draws = Math.ceil(slotsPerEpoch / NUM_CONSECUTIVE_LEADER_SLOTS);
  const picks = new Uint32Array(draws);
  for (let d = 0; d < draws; d++) {
    const x = rng.nextBelow(total);
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x < (cumulative[mid] as bigint)) hi = mid;
      else lo = mid + 1;
    }
    picks[d] = lo;
  }

  const leaderAt = (slot: number): string => {
    if (!Number.isSafeInteger(slot) || slot < firstSlot || slot >= endSlot) {
      throw new ConsensusError(
        'leader_schedule.slot_out_of_epoch',
        `slot ${slot} is not in epoch ${epoch} [${firstSlot}, ${endSlot})`,
      );
    }
    const pick = picks[Math.floor((slot - firstSlot) / NUM_CONSECUTIVE_LEADER_SLOTS)] as number;
    return (validators[pick] as StakedValidator).pubkey;
  };
  const slotsOf = (pubkey: string): number[] => {
    const key = pubkey.toLowerCase();
    const out: number[] = [];
    for (let s = firstSlot; s < endSlot; s++) if (leaderAt(s) === key) out.push(s);
    return out;
  };
  return { epoch, firstSlot, endSlot, validators, leaderAt, slotsOf };
}
