/**
 * Fee-market constants of a shard (§10.5 "Fee Dynamics: Machine-Speed Adaptation"), used by
 * economy/feeMarket.ts. Every value cites where it comes from; nothing in the fee-market logic is
 * a magic number (DESIGN.md §5). Rationals are NUM/DEN bigint pairs: the base fee feeds the state
 * root, so no floating point (STYLE.md "Numbers in consensus").
 *
 * The base fee B is micromolt (µMOLT, §11.1: 1 MOLT = 10^6 µMOLT): the current fee of creating a
 * post; every other action's fee is a fixed ratio of it (economyParams.ts FEE_BPS). Slot capacity
 * and target come from txParams.ts (SLOT_GAS_LIMIT, SLOT_GAS_TARGET).
 */

/** §10.2 "Create post (new thread) 0.10" $MOLT: B at genesis, in µMOLT. */
export const INITIAL_BASE_FEE = 100_000n;

/**
 * Lowest B, µMOLT. §10.5 leaves the floor open; 1 µMOLT is the smallest unit (§11.1 "Smallest
 * unit"), so a post never becomes free.
 */
export const MIN_BASE_FEE = 1n;

/**
 * Highest B, µMOLT: the whole supply, 10^9 MOLT (§11.1 "Total supply cap"). A post fee above every
 * $MOLT in existence can never be paid, so the ceiling only bounds the arithmetic and the
 * encoding (B × BASE_FEE_PRECISION < 2^80 fits the 16-byte fields of encodeFeeMarket).
 */
export const MAX_BASE_FEE = 1_000_000_000n * 1_000_000n;

/**
 * Sub-µMOLT precision B is kept at in state (B is stored as µMOLT × 10^9). §10.5 moves B by
 * α × (u − target) per transaction (at most 0.05 % within capacity): at B = 100,000 µMOLT a
 * transfer past the target raises B by ~0.0125 µMOLT, and the ACI (§10.6) may push B down to a
 * few µMOLT, so whole µMOLT would round every step to 0 or to +1 (100 × too much). At 10^-9 µMOLT
 * a rounding is below 10^-9 of the smallest B. The fee charged is B rounded down to whole µMOLT
 * (currentBaseFee).
 */
export const BASE_FEE_PRECISION = 1_000_000_000n;

/** §10.5 `alpha = 0.001` (per-transaction adjustment factor; Appendix C.2), as a rational. */
export const FEE_ALPHA_NUM = 1n;
export const FEE_ALPHA_DEN = 1_000n;

/**
 * §10.5 `target = 0.50`: utilization u is the slot's cumulative gas over its capacity
 * (SLOT_GAS_LIMIT), so the target is half the capacity — SLOT_GAS_TARGET (txParams.ts), which is
 * §10.5's `gas_target_per_slot`.
 */
export const TARGET_UTILIZATION_NUM = 1n;
export const TARGET_UTILIZATION_DEN = 2n;

/** §10.5 "base_fee cannot increase by more than 50 % within a single slot": B ≤ 1.5 × start. */
export const SLOT_INCREASE_CAP_NUM = 3n;
export const SLOT_INCREASE_CAP_DEN = 2n;

/**
 * The decrease one slot below target asks for, at most (an empty slot): 1/3, i.e. B × 2/3 =
 * B ÷ 1.5, the mirror of the per-slot cap. §10.5 gives no decrease law: its per-transaction
 * formula cannot lower B for a slot without transactions, and applied literally (u counted from 0
 * at every slot start) it cuts B by ~63 % in a slot that is exactly at target. A slot with gas
 * G < target asks for a decrease of (1/3) × (target − G) / target; see DECREASE_WINDOW_SLOTS.
 */
export const MAX_SLOT_DECREASE_NUM = 1n;
export const MAX_SLOT_DECREASE_DEN = 3n;

/**
 * §10.5 "Fee decreases: smoothed over a 10-slot rolling average": at every slot boundary B is
 * lowered by the mean of the decreases asked for by the last 10 slots that had a block.
 */
export const DECREASE_WINDOW_SLOTS = 10;

/**
 * §10.5 fee revert heuristic, "If utilization drops below target within 5 slots after a spike":
 * a slot below target whose number is at most 5 after the spike's last slot unwinds it.
 */
export const REVERT_WINDOW_SLOTS = 5;

/** §10.5 "50 % of the spike is unwound". */
export const REVERT_UNWIND_NUM = 1n;
export const REVERT_UNWIND_DEN = 2n;

/**
 * What a "spike" is (§10.5 leaves it open): a slot whose B rose by at least 25 % from its start,
 * half the per-slot cap's 50 % headroom. Ordinary demand above target moves B by a few percent
 * per slot (a slot 55 % full of transfers: +1.0 %), a flood that fills the slot to ~74 % or more
 * crosses it.
 */
export const SPIKE_THRESHOLD_NUM = 1n;
export const SPIKE_THRESHOLD_DEN = 4n;
