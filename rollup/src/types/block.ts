import type { PohEntry } from '../poh/poh.ts';

/**
 * A shard block: one 400 ms slot (§7.3). Slot 0 is the genesis (no block); a block at slot s ≥ 1
 * holds the PoH ticks from its parent's last entry to tick height s × ticksPerSlot, so the ticks of
 * skipped slots between parent and block are in it too (Agave: a leader ticks through the slots of
 * leaders that did not show up).
 */
export interface Block {
  readonly shard: number;
  readonly slot: number;
  /** Slot of the parent block; parentSlot < slot, the gap is skipped slots. */
  readonly parentSlot: number;
  /** Hash of the parent block; the genesis hash when the parent is slot 0. */
  readonly parentHash: Uint8Array;
  /** Ed25519 key of the slot leader (§7.3 `leader`). */
  readonly leader: Uint8Array;
  /** PoH hash the slot starts from: the last entry hash of the parent (or the genesis hash). */
  readonly pohStart: Uint8Array;
  /** Tick height at the end of this slot. */
  readonly tickHeight: number;
  /** §7.3 `poh_entries`. */
  readonly entries: readonly PohEntry[];
  /** §7.3 `transactions`, encoded, in execution order. */
  readonly transactions: readonly Uint8Array[];
  /**
   * How many of `transactions` each mixin entry commits to, in entry order (Agave entries carry
   * their transactions; here the list is flat and this splits it). Entry i's mixin is
   * `batchHash` of its transactions; the counts sum to `transactions.length`.
   */
  readonly entryTxCounts: readonly number[];
  /** §7.3 `attestations`: votes on prior slots, encoded. */
  readonly votes: readonly Uint8Array[];
  /** §7.3 `state_hash`: Merkle root after applying the transactions. */
  readonly stateRoot: Uint8Array;
  /**
   * Bit flags (BLOCK_FLAGS). `partitionRecovery` (§7.7): the leader produced this block while it
   * saw the shard stalled (no confirmation for 75 slots); content in it carries the flag.
   */
  readonly flags: number;
  /** §7.3 `da_commitment`: KZG commitment to the slot's content (48 bytes; zero when none). */
  readonly daCommitment: Uint8Array;
  /**
   * DESIGN.md §4 step 5: the L2 point up to which L2 events are applied — a timestamp (unix
   * seconds) of an L2 block, never below the parent's. The events of every L2 block with a
   * timestamp in (parent's l2Time, l2Time] are `l2Events`, in chain order; every validator checks
   * them against its own view of the L2 (node/l2Follower.ts). 0 in a shard without an L2 link.
   */
  readonly l2Time: number;
  /** Those events, encoded (economy/l2EventCodec.ts), applied before the transactions. */
  readonly l2Events: readonly Uint8Array[];
}

export interface SignedBlock extends Block {
  /** Leader's Ed25519 signature over the block hash (domain-separated). */
  readonly signature: Uint8Array;
}
