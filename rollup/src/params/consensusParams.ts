/**
 * Consensus constants of a shard. Every value cites where it comes from; nothing in the logic is
 * a magic number (DESIGN.md §5).
 */

/** §7.3: a slot lasts 400 ms. */
export const SLOT_DURATION_MS = 400;

/** §7.3: 432,000 slots per epoch (~2 days). Tests and local networks configure far fewer. */
export const SLOTS_PER_EPOCH = 432_000;

/**
 * Ticks per slot. The paper is silent; Agave's DEFAULT_TICKS_PER_SLOT is 64, which gives a tick
 * every 6.25 ms at 400 ms slots.
 */
export const TICKS_PER_SLOT = 64;

/**
 * SHA-256 hashes per tick in production. Agave's DEFAULT_HASHES_PER_TICK is 12,500 at 160
 * ticks/s, i.e. 2 M hashes/s — the same PoH speed our 6.25 ms ticks need (DESIGN.md §7 goal).
 * Local networks that run many validators on one machine configure fewer.
 */
export const HASHES_PER_TICK = 12_500;

/** Target duration of one tick in nanoseconds: the PoH generator never runs ahead of it. */
export const TARGET_TICK_NS = targetTickNs(TICKS_PER_SLOT);

/** Tick duration that makes `ticksPerSlot` ticks last one 400 ms slot (integer ns). */
export function targetTickNs(ticksPerSlot: number): bigint {
  return (BigInt(SLOT_DURATION_MS) * 1_000_000n) / BigInt(ticksPerSlot);
}

/** Length of every hash in the protocol (SHA-256). */
export const HASH_BYTES = 32;

/** §7.7: the shard counts as stalled (partitioned) after this many slots without confirmation. */
export const PARTITION_STALL_SLOTS = 75;

/**
 * §7.7: a validator that is in a stalled minority partition (it sees less than half the stake)
 * stops producing after this long: 1 hour of 400 ms slots.
 */
export const MINORITY_HALT_SLOTS = 9_000;

/**
 * Hashes per tick of the local development network (`npm start`). One machine runs the L2, the
 * validators and the relay on 2 cores, so the local PoH is made 2.5× lighter than production to
 * keep 400 ms slots; the chain is verified exactly the same way.
 */
export const LOCAL_HASHES_PER_TICK = 5_000;
