import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ConsensusError } from '../../src/consensus/consensusError.ts';
import {
  type AddVoteResult,
  HeaviestSubtreeForkChoice,
} from '../../src/consensus/heaviestSubtreeForkChoice.ts';

const VALIDATORS = ['a', 'b', 'c', 'd', 'e', 'f'];
const STAKES = new Map(VALIDATORS.map((v, i) => [v, BigInt((i % 3) + 1) * 10n]));

/** Reference: recomputes every weight from scratch on every query. Same rules, no caching. */
class NaiveForkChoice {
  readonly parent = new Map<number, number | null>();
  readonly latest = new Map<string, { slot: number; counted: boolean }>();
  root: number;
  constructor(root: number) {
    this.root = root;
    this.parent.set(root, null);
  }
  isAncestorOrSelf(a: number, s: number): boolean {
    for (let n: number | null | undefined = s; n != null; n = this.parent.get(n))
      if (n === a) return true;
    return false;
  }
  weight(slot: number): bigint {
    let w = 0n;
    for (const [v, l] of this.latest)
      if (l.counted && this.parent.has(l.slot) && this.isAncestorOrSelf(slot, l.slot))
        w += STAKES.get(v) as bigint;
    return w;
  }
  best(): number {
    let n = this.root;
    for (;;) {
      const kids = [...this.parent].filter(([, p]) => p === n).map(([s]) => s);
      if (kids.length === 0) return n;
      kids.sort((x, y) => {
        const d = this.weight(y) - this.weight(x);
        return d > 0n ? 1 : d < 0n ? -1 : x - y;
      });
      n = kids[0] as number;
    }
  }
  addVote(v: string, slot: number): AddVoteResult {
    if (!STAKES.has(v)) return { kind: 'ignored', reason: 'unknownValidator' };
    if (!this.parent.has(slot)) return { kind: 'ignored', reason: 'unknownSlot' };
    const prev = this.latest.get(v);
    if (prev !== undefined && prev.slot >= slot) return { kind: 'ignored', reason: 'notNewer' };
    this.latest.set(v, { slot, counted: true });
    return { kind: 'applied', previousSlot: prev?.slot ?? null };
  }
  setRoot(slot: number): void {
    for (const s of [...this.parent.keys()])
      if (!this.isAncestorOrSelf(slot, s)) this.parent.delete(s);
    this.parent.set(slot, null);
    this.root = slot;
    for (const l of this.latest.values()) if (!this.parent.has(l.slot)) l.counted = false;
  }
}

type Op =
  | { kind: 'slot'; parentPick: number; gap: number }
  | { kind: 'vote'; validator: number; pick: number }
  | { kind: 'root'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('slot' as const),
      parentPick: fc.nat(),
      gap: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('vote' as const),
      validator: fc.integer({ min: 0, max: 6 }),
      pick: fc.nat(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('root' as const), pick: fc.nat() }) },
);

describe('HeaviestSubtreeForkChoice', () => {
  it('follows the heaviest subtree, ties to the lower slot, and moves stake with the latest vote', () => {
    const fc1 = new HeaviestSubtreeForkChoice({
      root: 0,
      stakes: new Map([
        ['a', 10n],
        ['b', 20n],
      ]),
    });
    fc1.addSlot(3, 0);
    fc1.addSlot(1, 0); // arrives later, lower slot
    fc1.addSlot(2, 1);
    assert.equal(fc1.bestSlot(), 2, 'no votes: lower slot wins the tie, down to a leaf');
    assert.deepEqual(fc1.addVote('a', 3), { kind: 'applied', previousSlot: null });
    assert.equal(fc1.bestSlot(), 3);
    fc1.addVote('b', 2);
    assert.equal(fc1.bestSlot(), 2);
    assert.equal(fc1.stakeVotedSubtree(0), 30n);
    assert.equal(fc1.stakeVotedSubtree(1), 20n);
    assert.deepEqual(fc1.addVote('b', 1), { kind: 'ignored', reason: 'notNewer' });
    fc1.addSlot(4, 3);
    fc1.addVote('b', 4); // b's 20 leaves 2 for 4
    assert.equal(fc1.stakeVotedSubtree(1), 0n);
    assert.equal(fc1.stakeVotedSubtree(3), 30n);
    assert.equal(fc1.bestSlot(), 4);
    assert.deepEqual(fc1.addVote('z', 4), { kind: 'ignored', reason: 'unknownValidator' });
    assert.deepEqual(fc1.addVote('a', 9), { kind: 'ignored', reason: 'unknownSlot' });
    fc1.setRoot(3);
    assert.deepEqual(fc1.slots(), [3, 4]);
    assert.equal(fc1.contains(1), false);
    assert.equal(fc1.isAncestor(3, 4), true);
    const code = (f: () => unknown, c: string) =>
      assert.throws(f, (e: unknown) => e instanceof ConsensusError && e.code === c);
    code(() => fc1.addSlot(5, 1), 'fork_choice.unknown_slot');
    code(() => fc1.addSlot(4, 3), 'fork_choice.duplicate_slot');
    code(() => fc1.addSlot(3, 4), 'fork_choice.duplicate_slot');
    code(() => fc1.addSlot(2, 4), 'fork_choice.invalid_parent');
    code(() => fc1.setRoot(1), 'fork_choice.unknown_slot');
  });

  it('property: matches a recompute-everything reference on random trees and votes', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 80, size: 'max' }), (ops) => {
        const impl = new HeaviestSubtreeForkChoice({ root: 0, stakes: STAKES });
        const ref = new NaiveForkChoice(0);
        const ever = [0];
        for (const op of ops) {
          const live = [...ref.parent.keys()].sort((x, y) => x - y);
          if (op.kind === 'slot') {
            const parent = live[op.parentPick % live.length] as number;
            // Often a slot just above its parent (so later siblings can be lower), else a fresh one.
            let slot = parent + op.gap;
            if (ever.includes(slot)) slot = Math.max(...ever) + op.gap;
            ever.push(slot);
            impl.addSlot(slot, parent);
            ref.parent.set(slot, parent);
          } else if (op.kind === 'vote') {
            const v = VALIDATORS[op.validator] ?? 'stranger';
            // Any slot ever seen (pruned ones included) or, rarely, one never seen.
            const slot = op.pick % 11 === 0 ? 10_000 : (ever[op.pick % ever.length] as number);
            assert.deepEqual(impl.addVote(v, slot), ref.addVote(v, slot));
          } else {
            const slot = live[op.pick % live.length] as number;
            impl.setRoot(slot);
            ref.setRoot(slot);
          }
          assert.equal(impl.root, ref.root);
          assert.deepEqual(
            impl.slots(),
            [...ref.parent.keys()].sort((x, y) => x - y),
          );
          for (const s of impl.slots())
            assert.equal(impl.stakeVotedSubtree(s), ref.weight(s), `weight of ${s}`);
          assert.equal(impl.bestSlot(), ref.best());
        }
      }),
      { numRuns: 200 },
    );
  });
});
