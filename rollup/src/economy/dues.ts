import type { EconomyState } from './economyState.ts';
import { u64Key } from './recordCodec.ts';
import type { DueItem, DueKind } from './records.ts';

/**
 * Deadlines (bounty deadlines, reveal windows, auction closes, moderation reviews) kept by slot in
 * the `dues` table. `beginSlot` takes every slot from the last one processed up to the block's
 * slot, so skipped slots lose nothing; a slot's items run in the order they were scheduled.
 */
export function scheduleDue(
  state: EconomyState,
  slot: bigint,
  kind: DueKind,
  ref: Uint8Array,
): void {
  const key = u64Key(slot);
  const item: DueItem = { kind, ref: Uint8Array.from(ref) };
  const d = state.dues.getMut(key);
  if (d === undefined) state.dues.set(key, { items: [item] });
  else d.items.push(item);
}

/** Removes and returns what is due at `slot` (empty when nothing). */
export function takeDue(state: EconomyState, slot: bigint): readonly DueItem[] {
  const key = u64Key(slot);
  const d = state.dues.get(key);
  if (d === undefined) return [];
  state.dues.delete(key);
  return d.items;
}

/** A u64 as a 32-byte ref (an auction window). */
export function u64Ref(v: bigint): Uint8Array {
  const b = new Uint8Array(32);
  new DataView(b.buffer).setBigUint64(24, v);
  return b;
}

export function refU64(ref: Uint8Array): bigint {
  return new DataView(ref.buffer, ref.byteOffset, ref.byteLength).getBigUint64(24);
}
