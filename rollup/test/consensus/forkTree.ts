import fc from 'fast-check';
import type { SlotAncestry } from '../../src/consensus/tower.ts';

/** A random fork tree rooted at slot 0: `parents[s]` is the parent of slot s (s ≥ 1, parent < s). */
export interface ForkTree extends SlotAncestry {
  readonly size: number;
  parentOf(slot: number): number;
  /** Strict ancestors of `slot`. */
  ancestors(slot: number): Set<number>;
}

export function forkTree(parents: readonly number[]): ForkTree {
  const ancestors = (slot: number): Set<number> => {
    const out = new Set<number>();
    for (let s = slot; s > 0; ) {
      s = parents[s] as number;
      out.add(s);
    }
    return out;
  };
  return {
    size: parents.length,
    parentOf: (s) => parents[s] as number,
    ancestors,
    contains: (s) => Number.isInteger(s) && s >= 0 && s < parents.length,
    isAncestor: (a, s) => ancestors(s).has(a),
  };
}

/**
 * Trees of `size` slots where each slot's parent is one of the few slots just below it: mostly
 * chains with short forks, like a real shard. parents[0] = 0 (the root).
 */
export const forkTreeArb = (minSize: number, maxSize: number): fc.Arbitrary<ForkTree> =>
  fc
    .array(
      fc.integer({ min: 1, max: 10 }).map((b) => (b > 7 ? b - 6 : 1)),
      { minLength: minSize, maxLength: maxSize, size: 'max' },
    )
    .map((backs) => forkTree(backs.map((b, s) => (s === 0 ? 0 : Math.max(0, s - b)))));
