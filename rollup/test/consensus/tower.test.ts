import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ConsensusError } from '../../src/consensus/consensusError.ts';
import { findVoteViolation } from '../../src/consensus/equivocation.ts';
import { checkOptimisticConfirmation } from '../../src/consensus/optimisticConfirmation.ts';
import {
  type Lockout,
  lastLockedOutSlot,
  type ObservedLockout,
  Tower,
} from '../../src/consensus/tower.ts';
import { makeVote, type SignedVote } from '../../src/consensus/vote.ts';
import { MAX_LOCKOUT_HISTORY } from '../../src/params/towerParams.ts';
import { forkTree, forkTreeArb } from './forkTree.ts';

const NODE = new Uint8Array(32).fill(9);
const chainAncestors = (slot: number): Set<number> =>
  new Set(Array.from({ length: slot }, (_, i) => i));
const pairs = (t: Tower): [number, number][] => t.votes.map((v) => [v.slot, v.confirmationCount]);
const isCode = (c: string) => (e: unknown) => e instanceof ConsensusError && e.code === c;

function chainTower(slots: readonly number[]): Tower {
  const t = Tower.empty(NODE);
  for (const s of slots) t.recordVote(s, chainAncestors(s));
  return t;
}

describe('Tower: lockouts (Agave process_next_vote_slot)', () => {
  it('doubles lockouts of votes with enough votes stacked on them', () => {
    assert.deepEqual(pairs(chainTower([1])), [[1, 1]]);
    assert.deepEqual(pairs(chainTower([1, 2])), [
      [1, 2],
      [2, 1],
    ]);
    assert.deepEqual(pairs(chainTower([1, 2, 3])), [
      [1, 3],
      [2, 2],
      [3, 1],
    ]);
    assert.equal(lastLockedOutSlot({ slot: 1, confirmationCount: 3 }), 9);
  });

  it('pops expired votes before pushing the new one', () => {
    // 3 locks through 5, 2 through 6, 1 through 9: a vote on 7 expires 3 and 2 only.
    assert.deepEqual(pairs(chainTower([1, 2, 3, 7])), [
      [1, 3],
      [7, 1],
    ]);
    assert.deepEqual(pairs(chainTower([1, 2, 3, 100])), [[100, 1]]);
  });

  it('roots the oldest vote on the 32nd consecutive confirmation (§7.5)', () => {
    const t = chainTower(Array.from({ length: MAX_LOCKOUT_HISTORY }, (_, i) => i + 1));
    assert.equal(t.root, null);
    assert.equal(t.votes.length, 31);
    assert.equal(t.votes[0]?.confirmationCount, 31);
    const { newRoot } = t.recordVote(32, chainAncestors(32));
    assert.equal(newRoot, 1);
    assert.equal(t.root, 1);
    assert.equal(t.votes.length, 31);
    assert.equal(t.votes[0]?.slot, 2);
  });

  it('refuses votes that are not recent or that break a lockout', () => {
    const tree = forkTree([0, 0, 1, 0, 3]); // 0 → 1 → 2 and 0 → 3 → 4
    const t = Tower.empty(NODE);
    t.recordVote(1, tree.ancestors(1));
    t.recordVote(2, tree.ancestors(2)); // [(1,2),(2,1)]: 1 locks through 5, 2 through 4
    assert.deepEqual(t.checkLockout(2, tree.ancestors(2)), { kind: 'notRecent', lastVotedSlot: 2 });
    // Reported as it would stand after the vote (Agave simulates it): 1 gains a confirmation.
    assert.deepEqual(t.checkLockout(3, tree.ancestors(3)), {
      kind: 'lockedOut',
      lockout: { slot: 1, confirmationCount: 3 },
    });
    assert.equal(t.isLockedOut(4, tree.ancestors(4)), true);
    assert.throws(() => t.recordVote(4, tree.ancestors(4)), isCode('tower.lockout_violation'));
    assert.throws(() => t.recordVote(1, tree.ancestors(1)), isCode('tower.vote_not_recent'));
    // Once every lockout has expired (slot 6 > 5), the other fork is free again.
    assert.deepEqual(t.checkLockout(6, new Set([0, 3, 4])), { kind: 'free' });
  });

  it('property: lockouts only grow until expiry or rooting; the root never moves backwards', () => {
    let rooted = 0;
    // Mostly consecutive slots (deep towers that root), sometimes a gap that expires lockouts.
    const gap = fc.integer({ min: 1, max: 20 }).map((g) => (g > 18 ? g - 12 : 1));
    fc.assert(
      fc.property(fc.array(gap, { minLength: 1, maxLength: 200, size: 'max' }), (gaps) => {
        const t = Tower.empty(NODE);
        let slot = 0;
        for (const gap of gaps) {
          slot += gap;
          const before = t.votes;
          const rootBefore = t.root;
          const { newRoot } = t.recordVote(slot, chainAncestors(slot));
          const after = new Map(t.votes.map((v) => [v.slot, v.confirmationCount]));
          for (const v of before) {
            const c = after.get(v.slot);
            if (c !== undefined)
              assert.ok(c === v.confirmationCount || c === v.confirmationCount + 1);
            else if (v.slot !== newRoot)
              assert.ok(lastLockedOutSlot(v) < slot, `vote ${v.slot} left before expiring`);
          }
          if (rootBefore !== null) assert.ok(t.root !== null && t.root >= rootBefore);
          if (newRoot !== null) {
            assert.equal(before.length, MAX_LOCKOUT_HISTORY);
            rooted++;
          }
          assert.equal(t.lastVotedSlot, slot);
        }
      }),
      { numRuns: 150 },
    );
    assert.ok(rooted > 0, 'some runs reach a root');
  });

  it('property: votes admitted by checkLockout never violate a lockout (random fork trees)', () => {
    let admitted = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        forkTreeArb(20, 120),
        fc.array(fc.nat(), { minLength: 1, maxLength: 80, size: 'max' }),
        (tree, picks) => {
          const t = Tower.empty(NODE);
          const history: { slot: number; before: readonly Lockout[]; rootBefore: number | null }[] =
            [];
          const votes: SignedVote[] = [];
          for (const p of picks) {
            // Mostly the next descendant of the last vote (an honest leader's chain), sometimes
            // any later slot (another fork), sometimes any slot at all.
            const last = t.lastVotedSlot ?? 0;
            const later = Array.from({ length: tree.size - last - 1 }, (_, i) => last + 1 + i);
            const onFork = later.filter((s) => tree.isAncestor(last, s));
            const pool = p % 4 !== 0 && onFork.length > 0 ? onFork.slice(0, 2) : later;
            if (pool.length === 0) break;
            const slot =
              p % 7 === 0 ? (p % (tree.size - 1)) + 1 : (pool[p % pool.length] as number);
            const anc = tree.ancestors(slot);
            const before = t.votes;
            const rootBefore = t.root;
            if (t.checkLockout(slot, anc).kind !== 'free') {
              assert.throws(() => t.recordVote(slot, anc), ConsensusError);
              refused++;
              continue;
            }
            t.recordVote(slot, anc);
            admitted++;
            history.push({ slot, before, rootBefore });
            votes.push({
              ...makeVote(t, { shard: 0, hash: new Uint8Array(32) }),
              signature: new Uint8Array(64),
            });
          }
          // Independent check: every lockout still running at a new vote is on that vote's fork.
          for (const { slot, before, rootBefore } of history) {
            const anc = tree.ancestors(slot);
            for (const l of before)
              if (lastLockedOutSlot(l) >= slot)
                assert.ok(anc.has(l.slot), `vote ${slot} broke ${l.slot}`);
            if (rootBefore !== null) assert.ok(anc.has(rootBefore) || rootBefore === slot);
          }
          // And no pair of the signed votes is evidence of a violation.
          for (const a of votes) for (const b of votes) assert.equal(findVoteViolation(a, b), null);
        },
      ),
      { numRuns: 100 },
    );
    assert.ok(admitted > 100 && refused > 100, `admitted ${admitted}, refused ${refused}`);
  });
});

describe('Tower: threshold and switch checks', () => {
  it('checkVoteStakeThreshold needs > 2/3 of stake on the vote 8 deep', () => {
    const t = chainTower([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // After a vote on 10 the tower is 1..10; 8 deep is slot 2, whose confirmations go 8 → 9.
    let asked = -1;
    const staked = (stake: bigint) => (s: number) => {
      asked = s;
      return stake;
    };
    assert.deepEqual(t.checkVoteStakeThreshold(10, staked(200n), 300n), {
      kind: 'failedThreshold',
      depth: 8,
      observedStake: 200n,
      totalStake: 300n,
    });
    assert.equal(asked, 2);
    assert.deepEqual(t.checkVoteStakeThreshold(10, staked(201n), 300n), { kind: 'passed' });
    // Bouncing back after a gap: a vote on 15 pops 12 and adds no confirmation anywhere, so the
    // vote 8 deep (slot 4, 9 confirmations) is unchanged and the check passes without stake.
    const deep = chainTower([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.deepEqual(deep.checkVoteStakeThreshold(15, staked(0n), 300n), { kind: 'passed' });
    assert.equal(deep.checkVoteStakeThreshold(13, staked(0n), 300n).kind, 'failedThreshold');
    // Shallow tower: nothing 8 deep yet.
    assert.deepEqual(chainTower([1, 2, 3]).checkVoteStakeThreshold(4, staked(0n), 300n), {
      kind: 'passed',
    });
  });

  it('checkSwitchThreshold: same fork, rollback refused, > 38 % locked out elsewhere to switch', () => {
    const tree = forkTree([0, 0, 1, 0, 3, 2]); // 0 → 1 → 2 → 5 and 0 → 3 → 4
    const t = Tower.empty(NODE);
    t.recordVote(1, tree.ancestors(1));
    t.recordVote(2, tree.ancestors(2));
    const lock = (validator: string, stake: bigint, slot: number, c = 1): ObservedLockout => ({
      validator,
      stake,
      lockout: { slot, confirmationCount: c },
    });
    assert.deepEqual(t.checkSwitchThreshold(5, tree, [], 100n), { kind: 'sameFork' });
    assert.deepEqual(t.checkSwitchThreshold(1, tree, [lock('x', 100n, 4)], 100n), {
      kind: 'failedSwitchThreshold',
      lockedOutStake: 0n,
      totalStake: 100n,
    });
    const others = [
      lock('x', 30n, 3), // other fork, locks through 5 ≥ 2: counts
      lock('x', 30n, 4), // same validator again: counts once
      lock('y', 20n, 1, 3), // ancestor of the last vote: same fork, never counts
      lock('z', 8n, 4), // other fork: counts
    ];
    assert.deepEqual(t.checkSwitchThreshold(4, tree, others, 100n), {
      kind: 'failedSwitchThreshold',
      lockedOutStake: 38n,
      totalStake: 100n,
    });
    assert.deepEqual(t.checkSwitchThreshold(4, tree, [...others, lock('w', 1n, 3)], 100n), {
      kind: 'switchProof',
      lockedOutStake: 39n,
      totalStake: 100n,
    });
  });

  it('optimistic confirmation needs strictly more than 2/3 of stake', () => {
    assert.equal(checkOptimisticConfirmation(200n, 300n).kind, 'notConfirmed');
    assert.deepEqual(checkOptimisticConfirmation(201n, 300n), {
      kind: 'confirmed',
      votedStake: 201n,
      totalStake: 300n,
    });
  });
});
