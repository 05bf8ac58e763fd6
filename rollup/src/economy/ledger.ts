import { BPS, SPLIT_BPS, STORAGE_SPLIT_BPS } from '../params/economyParams.ts';
import { toHex } from '../utils/hex.ts';
import type { EconomyState } from './economyState.ts';
import { bpsOf } from './fees.ts';
import { effectiveBurnBps, recordFeeVolume } from './monetary/dynamicBurn.ts';
import type { AccountRecord } from './records.ts';

/**
 * Every movement of money in the economy goes through here, so the conservation law
 * (docs/economy.md) holds by construction: Σ balances + escrowed + deposits + pools + burned =
 * supply. Amounts are µMOLT; callers check balances before they call (these never go negative
 * and throw RangeError on a programmer error, which the state machine never makes).
 */

/** How an action fee is split (§10.2). */
export type FeeSplit = 'content' | 'burn' | 'boost';

export function debit(a: AccountRecord, amount: bigint): void {
  if (amount < 0n || a.balance < amount) throw new RangeError(`debit ${amount} of ${a.balance}`);
  a.balance -= amount;
}

/** Credits `amount` to the account of `key` (created if absent, bound to no identity). */
export function credit(state: EconomyState, key: Uint8Array, amount: bigint): void {
  if (amount < 0n) throw new RangeError('negative credit');
  if (amount === 0n) return;
  const id = toHex(key);
  const a = state.accounts.getMut(id);
  if (a === undefined)
    state.accounts.set(id, { key: Uint8Array.from(key), nonce: 0n, balance: amount, identity: 0n });
  else a.balance += amount;
}

export function burn(state: EconomyState, amount: bigint): void {
  if (amount < 0n) throw new RangeError('negative burn');
  if (amount === 0n) return;
  state.totalsMut().burned += amount;
}

/**
 * Splits an action fee already taken from a payer (§10.2 "Distribution"). For `content` (posts,
 * replies) the burn share is the §11.4 dynamic burn rate and the rest goes 3:3:1 to validators,
 * storage and treasury; `boost` uses the fixed 40/30/20/10; `burn` burns all. Rounding remainders
 * are burned, so nothing is created or lost.
 */
export function distributeFee(state: EconomyState, fee: bigint, split: FeeSplit): void {
  if (fee === 0n) return;
  const t = state.totalsMut();
  t.epochFeeRevenue += fee;
  if (split === 'burn') {
    t.burned += fee;
    recordFeeVolume(state.burnMut(), { splitFees: 0n, fixedBurn: fee });
    return;
  }
  let validators: bigint;
  let storage: bigint;
  let treasury: bigint;
  if (split === 'boost') {
    validators = bpsOf(fee, SPLIT_BPS.boost.validators);
    storage = bpsOf(fee, SPLIT_BPS.boost.storage);
    treasury = bpsOf(fee, SPLIT_BPS.boost.treasury);
  } else {
    const c = SPLIT_BPS.content;
    const rest = fee - bpsOf(fee, effectiveBurnBps(state.burnState()));
    const parts = c.validators + c.storage + c.treasury;
    validators = (rest * c.validators) / parts;
    storage = (rest * c.storage) / parts;
    treasury = (rest * c.treasury) / parts;
  }
  t.validatorsPool += validators;
  t.daPool += storage;
  t.treasuryPool += treasury;
  const burned = fee - validators - storage - treasury;
  t.burned += burned;
  recordFeeVolume(
    state.burnMut(),
    split === 'content' ? { splitFees: fee, fixedBurn: 0n } : { splitFees: 0n, fixedBurn: burned },
  );
}

/** §9.3: 60 % DA operators, 20 % archival, 20 % burn (remainders burned). */
export function distributeStorage(state: EconomyState, fee: bigint, bytes: bigint): void {
  if (fee === 0n) return;
  const t = state.totalsMut();
  const da = bpsOf(fee, STORAGE_SPLIT_BPS.da);
  const archival = bpsOf(fee, STORAGE_SPLIT_BPS.archival);
  t.daPool += da;
  t.archivalPool += archival;
  t.burned += fee - da - archival;
  recordFeeVolume(state.burnMut(), { splitFees: 0n, fixedBurn: fee - da - archival });
  t.epochFeeRevenue += fee;
  t.epochStorageFees += fee;
  t.epochStorageBytes += bytes;
}

/** Moves `amount` from an account into escrow (bounties, boost bids). */
export function escrow(state: EconomyState, from: AccountRecord, amount: bigint): void {
  debit(from, amount);
  state.totalsMut().escrowed += amount;
}

/** Pays `amount` out of escrow to the account of `key`. */
export function release(state: EconomyState, key: Uint8Array, amount: bigint): void {
  const t = state.totalsMut();
  if (amount < 0n || t.escrowed < amount) throw new RangeError('release above escrow');
  t.escrowed -= amount;
  credit(state, key, amount);
}

/** Burns `amount` out of escrow. */
export function burnEscrow(state: EconomyState, amount: bigint): void {
  const t = state.totalsMut();
  if (amount < 0n || t.escrowed < amount) throw new RangeError('burn above escrow');
  t.escrowed -= amount;
  t.burned += amount;
}

/** Whether the share `part/whole` is above `bps` basis points (exact, no division). */
export function aboveBps(part: bigint, whole: bigint, bps: bigint): boolean {
  return part * BPS > whole * bps;
}
