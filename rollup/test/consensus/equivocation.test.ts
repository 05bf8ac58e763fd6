import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ConsensusError } from '../../src/consensus/consensusError.ts';
import {
  decodeEvidence,
  detectDuplicateBlock,
  detectVoteLockoutViolation,
  type Evidence,
  encodeEvidence,
  verifyEvidence,
} from '../../src/consensus/equivocation.ts';
import { lastLockedOutSlot, Tower } from '../../src/consensus/tower.ts';
import {
  decodeVote,
  encodeVote,
  makeVote,
  type SignedVote,
  signVote,
  verifyVoteSignature,
  voteSlot,
} from '../../src/consensus/vote.ts';
import { generateEd25519 } from '../../src/crypto/ed25519.ts';
import { signBlock } from '../../src/crypto/signBlock.ts';
import { toHex } from '../../src/utils/hex.ts';
import { testBlock } from '../helpers/testBlock.ts';

const LEADER = generateEd25519();
const OTHER = generateEd25519();
const chain = (slot: number): Set<number> => new Set(Array.from({ length: slot }, (_, i) => i));
const hashOf = (slot: number, fork = 0): Uint8Array => new Uint8Array(32).fill(slot * 7 + fork);

function voteAfter(tower: Tower, slot: number, key = LEADER, fork = 0): SignedVote {
  tower.recordVote(slot, chain(slot));
  return signVote(makeVote(tower, { shard: 0, hash: hashOf(slot, fork) }), key.privateKey);
}

describe('votes', () => {
  it('sign, verify, encode and decode; tampering breaks the signature', () => {
    const t = Tower.empty(LEADER.publicKey);
    voteAfter(t, 1);
    const v = voteAfter(t, 2);
    assert.equal(voteSlot(v), 2);
    assert.equal(verifyVoteSignature(v), true);
    const back = decodeVote(encodeVote(v));
    assert.deepEqual(back, { ...v, validator: back.validator });
    assert.deepEqual(encodeVote(back), encodeVote(v));
    assert.equal(verifyVoteSignature({ ...v, hash: hashOf(2, 1) }), false);
    assert.equal(verifyVoteSignature({ ...v, shard: 1 }), false);
    assert.equal(verifyVoteSignature({ ...v, validator: OTHER.publicKey }), false);
    const bytes = encodeVote(v);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    assert.equal(verifyVoteSignature(decodeVote(bytes)), false);
  });
});

describe('duplicate block evidence', () => {
  const a = signBlock(
    testBlock({ slot: 5, parentSlot: 4, leader: LEADER.publicKey }),
    LEADER.privateKey,
  );
  const b = signBlock(
    testBlock({
      slot: 5,
      parentSlot: 4,
      leader: LEADER.publicKey,
      stateRoot: new Uint8Array(32).fill(1),
    }),
    LEADER.privateKey,
  );

  it('is detected, canonical whatever the order, portable and verifiable by anyone', () => {
    const d1 = detectDuplicateBlock(a, b);
    const d2 = detectDuplicateBlock(b, a);
    assert.equal(d1.kind, 'duplicateBlock');
    assert.equal(d2.kind, 'duplicateBlock');
    if (d1.kind !== 'duplicateBlock' || d2.kind !== 'duplicateBlock') return;
    const bytes = encodeEvidence(d1.evidence);
    assert.deepEqual(bytes, encodeEvidence(d2.evidence));
    assert.deepEqual(verifyEvidence(decodeEvidence(bytes)), {
      kind: 'valid',
      offender: toHex(LEADER.publicKey),
      slot: 5,
    });
  });

  it('is not made of honest or unrelated blocks, and forgeries are rejected', () => {
    const none = (x: ReturnType<typeof detectDuplicateBlock>, reason: string) =>
      assert.deepEqual(x, { kind: 'none', reason });
    none(detectDuplicateBlock(a, a), 'sameBlock');
    none(
      detectDuplicateBlock(
        a,
        signBlock(
          testBlock({ slot: 6, parentSlot: 4, leader: LEADER.publicKey }),
          LEADER.privateKey,
        ),
      ),
      'differentSlot',
    );
    none(
      detectDuplicateBlock(
        a,
        signBlock(testBlock({ slot: 5, parentSlot: 4, leader: OTHER.publicKey }), OTHER.privateKey),
      ),
      'differentSigner',
    );
    none(
      detectDuplicateBlock(
        a,
        signBlock(
          testBlock({ slot: 5, parentSlot: 4, shard: 1, leader: LEADER.publicKey }),
          LEADER.privateKey,
        ),
      ),
      'differentShard',
    );
    // Someone else signs a block in the leader's name: no evidence against the leader.
    const forged = signBlock(
      testBlock({ slot: 5, parentSlot: 3, leader: LEADER.publicKey }),
      OTHER.privateKey,
    );
    none(detectDuplicateBlock(a, forged), 'badSignature');
    const d = detectDuplicateBlock(a, b);
    assert.ok(d.kind === 'duplicateBlock' && d.evidence.kind === 'duplicateBlock');
    const { first, second } = d.evidence;
    const tampered: Evidence = {
      kind: 'duplicateBlock',
      first,
      second: { ...second, parentSlot: 3 },
    };
    assert.deepEqual(verifyEvidence(tampered), { kind: 'invalid', reason: 'badSignature' });
    assert.deepEqual(verifyEvidence({ kind: 'duplicateBlock', first: second, second: first }), {
      kind: 'invalid',
      reason: 'notCanonical',
    });
  });
});

describe('vote lockout evidence', () => {
  it('catches a validator that forgets its tower and votes another fork while locked out', () => {
    const honest = Tower.empty(LEADER.publicKey);
    voteAfter(honest, 1);
    const locking = voteAfter(honest, 2); // [(1,2),(2,1)]: 2 locks through 4, 1 through 5
    const cheat = voteAfter(Tower.empty(LEADER.publicKey), 4, LEADER, 1); // [(4,1)] on another fork
    const d = detectVoteLockoutViolation(cheat, locking);
    assert.equal(d.kind, 'voteLockoutViolation');
    if (d.kind !== 'voteLockoutViolation') return;
    assert.deepEqual(d.violation, {
      kind: 'lockoutViolation',
      lockout: { slot: 1, confirmationCount: 2 },
      votedSlot: 4,
    });
    const bytes = encodeEvidence(d.evidence);
    assert.deepEqual(verifyEvidence(decodeEvidence(bytes)), {
      kind: 'valid',
      offender: toHex(LEADER.publicKey),
      slot: 4,
    });
    // Forgery: the cheating vote re-signed by someone else, or claimed for another validator.
    const forged = signVote({ ...cheat }, OTHER.privateKey);
    assert.deepEqual(detectVoteLockoutViolation(locking, forged), {
      kind: 'none',
      reason: 'badSignature',
    });
    assert.deepEqual(verifyEvidence({ kind: 'voteLockoutViolation', locking, violating: forged }), {
      kind: 'invalid',
      reason: 'badSignature',
    });
    const theirs = voteAfter(Tower.empty(OTHER.publicKey), 4, OTHER);
    assert.deepEqual(detectVoteLockoutViolation(locking, theirs), {
      kind: 'none',
      reason: 'differentSigner',
    });
    // After the lockouts expire (6 > 5) the same jump is legal.
    const late = voteAfter(Tower.empty(LEADER.publicKey), 6, LEADER, 1);
    assert.deepEqual(detectVoteLockoutViolation(locking, late), {
      kind: 'none',
      reason: 'noViolation',
    });
  });

  it('catches two votes for one slot with different block hashes', () => {
    const v1 = voteAfter(Tower.empty(LEADER.publicKey), 3, LEADER, 0);
    const v2 = voteAfter(Tower.empty(LEADER.publicKey), 3, LEADER, 1);
    const d = detectVoteLockoutViolation(v1, v2);
    assert.ok(d.kind === 'voteLockoutViolation');
    assert.deepEqual(d.violation, { kind: 'conflictingHash', votedSlot: 3 });
    assert.equal(verifyEvidence(d.evidence).kind, 'valid');
  });

  it('property: an honest chain of votes never yields evidence; a locked-out restart always does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 40, size: 'max' }),
        fc.nat(),
        fc.nat(),
        (gaps, pickVote, pickGap) => {
          const t = Tower.empty(LEADER.publicKey);
          const votes: SignedVote[] = [];
          let slot = 0;
          for (const g of gaps) {
            slot += g;
            votes.push(voteAfter(t, slot));
          }
          for (let i = 0; i + 1 < votes.length; i += 5)
            assert.equal(
              detectVoteLockoutViolation(votes[i] as SignedVote, votes[i + 1] as SignedVote).kind,
              'none',
            );
          // A restart with an empty tower votes inside the latest lockout of a past vote.
          const locking = votes[pickVote % votes.length] as SignedVote;
          const top = locking.lockouts.at(-1);
          assert.ok(top !== undefined);
          const target = top.slot + 1 + (pickGap % (lastLockedOutSlot(top) - top.slot));
          const cheat = voteAfter(Tower.empty(LEADER.publicKey), target, LEADER, 1);
          const d = detectVoteLockoutViolation(locking, cheat);
          assert.equal(d.kind, 'voteLockoutViolation');
          if (d.kind === 'voteLockoutViolation')
            assert.equal(verifyEvidence(decodeEvidence(encodeEvidence(d.evidence))).kind, 'valid');
        },
      ),
      { numRuns: 40 },
    );
  });

  it('property: random bytes decode to evidence or fail with evidence.malformed', () => {
    const t = Tower.empty(LEADER.publicKey);
    const valid = encodeEvidence({
      kind: 'voteLockoutViolation',
      locking: voteAfter(t, 1),
      violating: voteAfter(t, 2),
    });
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.uint8Array({ maxLength: 64 }),
        (at, x, junk) => {
          for (const bytes of [junk, valid.map((b, i) => (i === at % valid.length ? b ^ x : b))]) {
            try {
              verifyEvidence(decodeEvidence(bytes));
            } catch (err) {
              assert.ok(
                err instanceof ConsensusError && err.code === 'evidence.malformed',
                String(err),
              );
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
