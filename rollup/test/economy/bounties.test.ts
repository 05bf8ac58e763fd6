import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  acceptAnswer,
  answerBounty,
  createBounty,
  isIndependentUpvote,
  resolveBountyDue,
} from '../../src/economy/bounties.ts';
import { type BountyRecord, bountyCodec } from '../../src/economy/bountyRecord.ts';
import { vote } from '../../src/economy/content.ts';
import { takeDue } from '../../src/economy/dues.ts';
import type { EconomyState } from '../../src/economy/economyState.ts';
import type { ExecFailure } from '../../src/economy/execTypes.ts';
import type { PostRecord } from '../../src/economy/records.ts';
import {
  epochOf,
  recordUpvote,
  reputationOf,
  setSybilPenalty,
} from '../../src/economy/reputation.ts';
import {
  BOUNTY_MAX_ANSWERS,
  ECONOMY_SLOTS_PER_EPOCH,
  SLOTS_PER_DAY,
} from '../../src/params/economyParams.ts';
import type {
  AcceptAnswerPayload,
  AnswerBountyPayload,
  CreateBountyPayload,
} from '../../src/tx/transaction.ts';
import { toHex } from '../../src/utils/hex.ts';
import {
  agents,
  anonymousInput,
  balanceOf,
  COMMUNITY,
  CONTENT,
  downvotePost,
  heldTotal,
  ident,
  inputOf,
  MOLT,
  postId,
  pts,
  upvotePost,
  world,
} from './helpers/reputationFixtures.ts';

const EPOCH = ECONOMY_SLOTS_PER_EPOCH;
const DAY = SLOTS_PER_DAY;
/** Tests run in epoch 1, a few slots in. */
const SLOT = EPOCH + 100n;
const DEADLINE = SLOT + 10_000n;
const Q = postId(1);
const U64 = (1n << 64n) - 1n;

const ask = (o: Partial<CreateBountyPayload> = {}): CreateBountyPayload => ({
  kind: 'createBounty',
  community: COMMUNITY,
  content: CONTENT,
  amount: 10n * MOLT,
  deadline: DEADLINE,
  minReputation: 0,
  newcomerOnly: false,
  ...o,
});

const answerOf = (who: bigint) => postId(1_000 + Number(who));

function open(s: EconomyState, o: Partial<CreateBountyPayload> = {}, asker = 1n): void {
  assert.equal(createBounty(s, inputOf(s, asker, SLOT), ask(o), Q), null);
}

function answer(s: EconomyState, who: bigint, slot = SLOT + 1n, bounty = Q): ExecFailure | null {
  const p: AnswerBountyPayload = { kind: 'answerBounty', bounty, content: CONTENT };
  return answerBounty(s, inputOf(s, who, slot), p, answerOf(who));
}

function accept(
  s: EconomyState,
  who: bigint,
  answerer: bigint,
  slot = SLOT + 2n,
): ExecFailure | null {
  const p: AcceptAnswerPayload = { kind: 'acceptAnswer', bounty: Q, answer: answerOf(answerer) };
  return acceptAnswer(s, inputOf(s, who, slot), p);
}

const bounty = (s: EconomyState): BountyRecord => s.bounties.get(toHex(Q)) as BountyRecord;
const code = (r: ExecFailure | null) => r?.code ?? null;

/** Runs the dues of slots (from, to], as the state machine's beginSlot does. */
function advance(s: EconomyState, from: bigint, to: bigint): void {
  // Only slots with something scheduled matter; visit those in order.
  const due = s.dues
    .entries()
    .map(([k]) => BigInt(`0x${k}`))
    .filter((x) => x > from && x <= to)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const x of due)
    for (const item of takeDue(s, x))
      if (item.kind === 'bountyDeadline') resolveBountyDue(s, item.ref, x);
}

/** `f` fails with `expected` on one world and leaves it exactly like an untouched twin. */
function failsCleanly(
  build: () => EconomyState,
  f: (s: EconomyState) => ExecFailure | null,
  expected: ExecFailure['code'],
): void {
  const s = build();
  const twin = build();
  assert.equal(code(f(s)), expected);
  assert.deepEqual(s.root(), twin.root());
}

const conserved = (s: EconomyState) => assert.equal(heldTotal(s), s.totals().supply);

describe('bounties: create (§10.3, §17.3)', () => {
  it('escrows the amount, inserts the question, the bounty and its deadline', () => {
    const s = world(agents(2));
    open(s);
    assert.equal(balanceOf(s, 1n), 990n * MOLT);
    assert.equal(s.totals().escrowed, 10n * MOLT);
    const q = s.posts.get(toHex(Q)) as PostRecord;
    assert.equal(q.kind, 'bountyQuestion');
    assert.equal(q.author, 1n);
    assert.equal(q.community, COMMUNITY);
    const b = bounty(s);
    assert.equal(b.amount, 10n * MOLT);
    assert.equal(b.asker, 1n);
    assert.equal(b.deadline, DEADLINE);
    assert.equal(b.status, 'open');
    assert.deepEqual(
      takeDue(s, DEADLINE + 1n).map((d) => [d.kind, toHex(d.ref)]),
      [['bountyDeadline', toHex(Q)]],
    );
    assert.deepEqual(s.totals().epochBounties, [10n * MOLT]);
    assert.equal(ident(s, 1n).interactions, 1n);
    conserved(s);
  });

  it('accepts the edges: 1 MOLT, a 5 MOLT newcomer bounty, the shortest and longest deadline', () => {
    for (const o of [
      { amount: MOLT },
      { amount: 5n * MOLT, newcomerOnly: true },
      { deadline: SLOT + 1_000n },
      { deadline: SLOT + 30n * DAY },
    ]) {
      const s = world(agents(1));
      open(s, o);
    }
  });

  const build = () => world(agents(2));
  const tries: [string, Partial<CreateBountyPayload>, ExecFailure['code']][] = [
    ['below 1 MOLT', { amount: MOLT - 1n }, 'exec.bounty_amount'],
    [
      'a newcomer bounty above 5 MOLT',
      { amount: 5n * MOLT + 1n, newcomerOnly: true },
      'exec.bounty_amount',
    ],
    ['a deadline sooner than 1,000 slots', { deadline: SLOT + 999n }, 'exec.bounty_deadline'],
    ['a deadline past 30 days', { deadline: SLOT + 30n * DAY + 1n }, 'exec.bounty_deadline'],
    ['a deadline in the past', { deadline: 0n }, 'exec.bounty_deadline'],
    ['an unknown community', { community: 'nope' }, 'exec.unknown_community'],
    ['more than the balance', { amount: 1_000n * MOLT + 1n }, 'exec.insufficient_balance'],
    ['a negative minimum reputation', { minReputation: -1 }, 'exec.bounty_reputation'],
    ['a fractional minimum reputation', { minReputation: 1.5 }, 'exec.bounty_reputation'],
  ];
  for (const [what, o, expected] of tries)
    it(`rejects ${what} and writes nothing`, () => {
      failsCleanly(build, (s) => createBounty(s, inputOf(s, 1n, SLOT), ask(o), Q), expected);
    });

  it('rejects a key without identity and an inactive identity', () => {
    const withKey = () => {
      const s = build();
      anonymousInput(s, SLOT, 100n * MOLT);
      return s;
    };
    failsCleanly(
      withKey,
      (s) => createBounty(s, anonymousInput(s, SLOT, 100n * MOLT), ask(), Q),
      'exec.no_identity',
    );
    const frozen = () => {
      const s = build();
      ident(s, 1n).status = 'frozen';
      return s;
    };
    failsCleanly(
      frozen,
      (s) => createBounty(s, inputOf(s, 1n, SLOT), ask(), Q),
      'exec.identity_inactive',
    );
  });
});

describe('bounties: answer (§10.3, §17.3)', () => {
  it('inserts the answer under the question and records it', () => {
    const s = world(agents(3));
    open(s);
    assert.equal(answer(s, 2n), null);
    const a = s.posts.get(toHex(answerOf(2n))) as PostRecord;
    assert.equal(a.kind, 'bountyAnswer');
    assert.deepEqual(a.parent, Q);
    assert.equal(a.community, COMMUNITY);
    assert.equal((s.posts.get(toHex(Q)) as PostRecord).replies, 1);
    assert.deepEqual(bounty(s).answers, [
      { post: answerOf(2n), answerer: 2n, independentUpvotes: 0 },
    ]);
    assert.equal(ident(s, 2n).interactions, 1n);
    assert.equal(answer(s, 3n, DEADLINE), null); // the deadline slot itself is still open
  });

  const built =
    (n = 3, o: Partial<CreateBountyPayload> = {}) =>
    () => {
      const s = world(agents(n));
      open(s, o);
      return s;
    };

  it('rejects an unknown bounty, a late answer, the asker, a second answer', () => {
    failsCleanly(built(), (s) => answer(s, 2n, SLOT + 1n, postId(77)), 'exec.unknown_bounty');
    failsCleanly(built(), (s) => answer(s, 2n, DEADLINE + 1n), 'exec.bounty_closed');
    failsCleanly(built(), (s) => answer(s, 1n), 'exec.bounty_self_answer');
    const answered = () => {
      const s = built()();
      assert.equal(answer(s, 2n), null);
      return s;
    };
    failsCleanly(answered, (s) => answer(s, 2n), 'exec.bounty_already_answered');
  });

  it('min_reputation: whole points of reputationOf', () => {
    const withMin = built(3, { minReputation: 5 });
    failsCleanly(withMin, (s) => answer(s, 2n), 'exec.bounty_reputation');
    const s = withMin();
    const id = ident(s, 2n);
    id.reputation = pts(5);
    id.lastQualitySlot = SLOT;
    assert.equal(reputationOf(id, SLOT + 1n), pts(5));
    assert.equal(answer(s, 2n), null);
  });

  it('§17.3 newcomer pool: answerers < 30 days old AND < 100 interactions', () => {
    const pool = built(3, { amount: 5n * MOLT, newcomerOnly: true, deadline: SLOT + 30n * DAY });
    const s = pool();
    assert.equal(answer(s, 2n), null); // registered at genesis, 2 days ago, no interactions
    const busy = () => {
      const w = pool();
      ident(w, 2n).interactions = 100n;
      return w;
    };
    failsCleanly(busy, (w) => answer(w, 2n), 'exec.bounty_newcomer_only');
    const old = () => {
      const w = pool();
      ident(w, 2n).registeredSlot = 0n;
      return w;
    };
    failsCleanly(old, (w) => answer(w, 2n, 30n * DAY), 'exec.bounty_newcomer_only');
    const young = pool();
    ident(young, 2n).interactions = 99n;
    assert.equal(answer(young, 2n, 30n * DAY - 1n), null);
  });

  it(`takes at most ${BOUNTY_MAX_ANSWERS} answers`, () => {
    const full = () => {
      const s = built(BOUNTY_MAX_ANSWERS + 2)();
      for (let k = 2n; k < BigInt(BOUNTY_MAX_ANSWERS) + 2n; k++) assert.equal(answer(s, k), null);
      return s;
    };
    failsCleanly(full, (s) => answer(s, BigInt(BOUNTY_MAX_ANSWERS) + 2n), 'exec.bounty_full');
  });

  it('rejects answers to a removed question', () => {
    const removed = () => {
      const s = built()();
      (s.posts.getMut(toHex(Q)) as PostRecord).moderation = 'removed';
      return s;
    };
    failsCleanly(removed, (s) => answer(s, 2n), 'exec.post_removed');
  });
});

describe('bounties: path 1, asker selection with independent upvotes (§10.3)', () => {
  /** Asker 1, answers by 2 and 3, voters 4.. (no history with anyone). */
  const build =
    (answers: bigint[] = [2n, 3n]) =>
    () => {
      const s = world(agents(8));
      open(s);
      for (const a of answers) assert.equal(answer(s, a), null);
      return s;
    };

  it('fails without 3 independent upvotes and writes nothing (the bounty stays open)', () => {
    failsCleanly(
      () => {
        const s = build()();
        upvotePost(s, 4n, answerOf(2n), SLOT + 1n);
        upvotePost(s, 5n, answerOf(2n), SLOT + 1n);
        return s;
      },
      (s) => accept(s, 1n, 2n),
      'exec.bounty_not_independent',
    );
  });

  it('pays 100 % to the answer at factor 0.5 once it has 3 independent upvotes', () => {
    const s = build()();
    for (const v of [4n, 5n, 6n]) upvotePost(s, v, answerOf(2n), SLOT + 1n);
    assert.equal(bounty(s).answers[0]?.independentUpvotes, 3);
    const before = balanceOf(s, 2n);
    assert.equal(accept(s, 1n, 2n), null);
    assert.equal(balanceOf(s, 2n) - before, 10n * MOLT);
    assert.equal(s.totals().escrowed, 0n);
    assert.equal(bounty(s).status, 'resolved');
    assert.equal(bounty(s).path, 'askerSelected');
    assert.equal(ident(s, 2n).fromBounties, pts(5)); // 10 MOLT × 0.5
    conserved(s);
    // Resolved: the deadline does nothing, nobody answers or accepts any more.
    const burned = s.totals().burned;
    advance(s, SLOT, DEADLINE + 1n);
    assert.equal(s.totals().burned, burned);
    assert.equal(balanceOf(s, 1n), 990n * MOLT);
    assert.equal(code(answer(s, 7n, SLOT + 3n)), 'exec.bounty_closed');
    assert.equal(code(accept(s, 1n, 3n, SLOT + 3n)), 'exec.bounty_closed');
  });

  it('factor 0.25 without a competing answer', () => {
    const s = build([2n])();
    for (const v of [4n, 5n, 6n]) upvotePost(s, v, answerOf(2n), SLOT + 1n);
    assert.equal(accept(s, 1n, 2n), null);
    assert.equal(ident(s, 2n).fromBounties, pts(5) / 2n);
  });

  it('only the asker, only its answers, only before the deadline', () => {
    const ready = () => {
      const s = build()();
      for (const v of [4n, 5n, 6n]) upvotePost(s, v, answerOf(2n), SLOT + 1n);
      return s;
    };
    failsCleanly(ready, (s) => accept(s, 3n, 2n), 'exec.not_asker');
    failsCleanly(ready, (s) => accept(s, 1n, 7n), 'exec.unknown_answer');
    failsCleanly(ready, (s) => accept(s, 1n, 2n, DEADLINE + 1n), 'exec.bounty_closed');
  });
});

describe('bounties: independent agents (§10.3 "no shared voting history")', () => {
  const build = () => {
    const s = world(agents(8));
    open(s);
    assert.equal(answer(s, 2n), null);
    return s;
  };
  const independent = (s: EconomyState) => bounty(s).answers[0]?.independentUpvotes;

  it('a voter who upvoted the answerer before, this epoch, is not independent', () => {
    const s = build();
    recordUpvote(s, ident(s, 4n), ident(s, 2n), SLOT);
    upvotePost(s, 4n, answerOf(2n), SLOT + 1n);
    assert.equal(independent(s), 0);
  });

  it('nor one the answerer upvoted in the previous epoch', () => {
    const s = build();
    recordUpvote(s, ident(s, 2n), ident(s, 4n), SLOT - EPOCH);
    upvotePost(s, 4n, answerOf(2n), SLOT + 1n);
    assert.equal(independent(s), 0);
  });

  it('history two epochs back has expired', () => {
    const s = build();
    recordUpvote(s, ident(s, 2n), ident(s, 4n), 50n); // epoch 0…
    assert.equal(epochOf(50n), 0n);
    // …is the previous epoch for a vote in epoch 1, but not for one in epoch 2.
    assert.equal(isIndependentUpvote(s, ident(s, 4n), 2n, 1n, SLOT + 1n), false);
    assert.equal(isIndependentUpvote(s, ident(s, 4n), 2n, 1n, SLOT + EPOCH), true);
  });

  it('the asker and §12.1-flagged identities are not independent', () => {
    const s = build();
    upvotePost(s, 1n, answerOf(2n), SLOT + 1n);
    setSybilPenalty(ident(s, 5n), 5_000);
    upvotePost(s, 5n, answerOf(2n), SLOT + 1n);
    assert.equal(independent(s), 0);
    upvotePost(s, 6n, answerOf(2n), SLOT + 1n);
    assert.equal(independent(s), 1);
  });

  it("counts upvotes made through the state machine's vote handler (content.ts)", () => {
    const s = build();
    for (const v of [4n, 5n, 6n])
      assert.equal(
        vote(s, inputOf(s, v, SLOT + 1n), { kind: 'vote', post: answerOf(2n), direction: 'up' }),
        null,
      );
    assert.equal(independent(s), 3);
    assert.equal(accept(s, 1n, 2n), null);
  });
});

describe('bounties: deadline, paths 2-4 (§10.3)', () => {
  it('path 3, no answers: 90 % back to the asker, 10 % burned', () => {
    const s = world(agents(2));
    open(s);
    advance(s, SLOT, DEADLINE);
    assert.equal(bounty(s).status, 'open'); // not before deadline + 1
    advance(s, DEADLINE, DEADLINE + 1n);
    assert.equal(balanceOf(s, 1n), 999n * MOLT);
    assert.equal(s.totals().burned, MOLT);
    assert.equal(s.totals().escrowed, 0n);
    assert.equal(bounty(s).path, 'noAnswers');
    assert.equal(bounty(s).resolvedSlot, DEADLINE + 1n);
    conserved(s);
  });

  it('path 2: ranked by net reputation-weighted score; 80 % / 15 % / 5 % burned; factor 1.0', () => {
    const s = world(agents(8));
    open(s);
    for (const a of [2n, 3n, 4n]) assert.equal(answer(s, a), null);
    upvotePost(s, 5n, answerOf(3n), SLOT + 2n);
    upvotePost(s, 6n, answerOf(3n), SLOT + 2n);
    upvotePost(s, 5n, answerOf(2n), SLOT + 2n);
    const bal = [2n, 3n, 4n].map((i) => balanceOf(s, i));
    advance(s, SLOT, DEADLINE + 1n);
    assert.deepEqual(
      [2n, 3n, 4n].map((i, k) => balanceOf(s, i) - (bal[k] as bigint)),
      [(15n * MOLT) / 10n, 8n * MOLT, 0n],
    );
    assert.equal(s.totals().burned, MOLT / 2n);
    assert.equal(balanceOf(s, 1n), 990n * MOLT);
    assert.equal(bounty(s).path, 'communityVote');
    assert.equal(ident(s, 3n).fromBounties, pts(8));
    assert.equal(ident(s, 2n).fromBounties, pts(15) / 10n);
    assert.equal(ident(s, 4n).fromBounties, 0n);
    conserved(s);
  });

  it('downvotes count against an answer; equal scores go to the earlier answer', () => {
    const s = world(agents(8));
    open(s);
    for (const a of [2n, 3n, 4n]) assert.equal(answer(s, a), null);
    upvotePost(s, 5n, answerOf(2n), SLOT + 2n); // +0.1 (a staked newcomer's vote)
    ident(s, 6n).reputation = pts(10_000);
    ident(s, 6n).lastQualitySlot = SLOT;
    downvotePost(s, 6n, answerOf(2n), SLOT + 2n); // −100 × 20 % (2 is < 30 days old)
    assert.ok((s.posts.get(toHex(answerOf(2n))) as PostRecord).down === pts(20));
    // 2: net negative; 3 and 4 tie at 0
    const bal = [2n, 3n, 4n].map((i) => balanceOf(s, i));
    advance(s, SLOT, DEADLINE + 1n);
    assert.deepEqual(
      [2n, 3n, 4n].map((i, k) => balanceOf(s, i) - (bal[k] as bigint)),
      [0n, 8n * MOLT, (15n * MOLT) / 10n],
    );
  });

  it("path 4, one answer: 80 % to it, the second's 15 % back to the asker, 5 % burned, factor 0.25", () => {
    const s = world(agents(3));
    open(s);
    assert.equal(answer(s, 2n), null);
    advance(s, SLOT, DEADLINE + 1n);
    assert.equal(balanceOf(s, 2n), 1_008n * MOLT);
    assert.equal(balanceOf(s, 1n), 990n * MOLT + (15n * MOLT) / 10n);
    assert.equal(s.totals().burned, MOLT / 2n);
    assert.equal(ident(s, 2n).fromBounties, pts(2)); // 8 MOLT × 0.25
    conserved(s);
  });

  it('removed answers neither win nor compete; all removed is path 3', () => {
    const s = world(agents(4));
    open(s);
    for (const a of [2n, 3n]) assert.equal(answer(s, a), null);
    upvotePost(s, 4n, answerOf(2n), SLOT + 2n);
    (s.posts.getMut(toHex(answerOf(2n))) as PostRecord).moderation = 'removed';
    advance(s, SLOT, DEADLINE + 1n);
    assert.equal(balanceOf(s, 2n), 1_000n * MOLT);
    assert.equal(balanceOf(s, 3n), 1_008n * MOLT);
    assert.equal(ident(s, 3n).fromBounties, pts(2)); // no competitor left: 0.25

    const t = world(agents(3));
    open(t);
    assert.equal(answer(t, 2n), null);
    (t.posts.getMut(toHex(answerOf(2n))) as PostRecord).moderation = 'removed';
    advance(t, SLOT, DEADLINE + 1n);
    assert.equal(bounty(t).path, 'noAnswers');
    assert.equal(balanceOf(t, 1n), 999n * MOLT);
  });

  it('an unknown or resolved bounty id is a no-op', () => {
    const s = world(agents(2));
    const root = s.root();
    resolveBountyDue(s, postId(5), SLOT);
    resolveBountyDue(s, new Uint8Array(32), SLOT);
    assert.deepEqual(s.root(), root);
  });

  it('bounty reputation respects the 20 % cap (floor 10): a 100 MOLT win gives a newcomer 10', () => {
    const s = world(agents(5));
    open(s, { amount: 100n * MOLT });
    for (const a of [2n, 3n]) assert.equal(answer(s, a), null);
    upvotePost(s, 4n, answerOf(2n), SLOT + 2n);
    advance(s, SLOT, DEADLINE + 1n);
    assert.equal(balanceOf(s, 2n), 1_080n * MOLT);
    assert.equal(ident(s, 2n).fromBounties, pts(10));
  });
});

// ------------------------------------------------------------------ properties

type Op =
  | { kind: 'create'; who: number; amount: bigint; duration: bigint; newcomer: boolean }
  | { kind: 'answer'; who: number; bounty: number }
  | { kind: 'up' | 'down'; who: number; bounty: number; answer: number }
  | { kind: 'accept'; who: number | 'asker'; bounty: number; answer: number }
  | { kind: 'wait'; slots: bigint };

const AGENTS = 10;
const who = fc.integer({ min: 1, max: AGENTS });
const idx = fc.integer({ min: 0, max: 7 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      who,
      amount: fc.oneof(
        fc.bigInt({ min: 0n, max: 6n * MOLT }),
        fc.bigInt({ min: 0n, max: 300n * MOLT }),
      ),
      duration: fc.bigInt({ min: 900n, max: 5_000n }),
      newcomer: fc.boolean(),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('answer' as const), who, bounty: idx }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('up' as const, 'up' as const, 'down' as const),
      who,
      bounty: idx,
      answer: idx,
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('accept' as const),
      who: fc.oneof(who, fc.constant('asker' as const)),
      bounty: idx,
      answer: idx,
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      slots: fc.bigInt({ min: 1n, max: 3_000n }),
    }),
    weight: 1,
  },
);

/** Runs `ops`; after each, `check`. Returns the state after every deadline has passed. */
function play(ops: Op[], check: (s: EconomyState) => void = () => {}): EconomyState {
  const s = world(agents(AGENTS));
  let slot = SLOT;
  let n = 0;
  const bounties: Uint8Array[] = [];
  const answerIds = new Map<string, Uint8Array[]>();
  const step = (to: bigint) => {
    advance(s, slot, to);
    slot = to;
  };
  for (const op of ops) {
    n++;
    const at = slot;
    switch (op.kind) {
      case 'create': {
        const id = postId(n);
        const r = createBounty(
          s,
          inputOf(s, BigInt(op.who), at),
          ask({ amount: op.amount, deadline: at + op.duration, newcomerOnly: op.newcomer }),
          id,
        );
        if (r === null) bounties.push(id);
        break;
      }
      case 'answer': {
        const b = bounties[op.bounty % (bounties.length || 1)];
        if (b === undefined) break;
        const id = postId(n);
        const r = answerBounty(
          s,
          inputOf(s, BigInt(op.who), at),
          { kind: 'answerBounty', bounty: b, content: CONTENT },
          id,
        );
        if (r === null) answerIds.set(toHex(b), [...(answerIds.get(toHex(b)) ?? []), id]);
        break;
      }
      case 'up':
      case 'down':
      case 'accept': {
        const b = bounties[op.bounty % (bounties.length || 1)];
        const list = b === undefined ? [] : (answerIds.get(toHex(b)) ?? []);
        const a = list[op.answer % (list.length || 1)];
        if (b === undefined || a === undefined) break;
        if (op.kind === 'accept') {
          const by =
            op.who === 'asker' ? (s.bounties.get(toHex(b)) as BountyRecord).asker : BigInt(op.who);
          acceptAnswer(s, inputOf(s, by, at), { kind: 'acceptAnswer', bounty: b, answer: a });
        } else {
          const author = (s.posts.get(toHex(a)) as PostRecord).author;
          const voteKey = `${op.who}:${toHex(a)}`;
          if (author === BigInt(op.who) || voted.has(voteKey)) break;
          voted.add(voteKey);
          if (op.kind === 'up') upvotePost(s, BigInt(op.who), a, at);
          else downvotePost(s, BigInt(op.who), a, at);
        }
        break;
      }
      case 'wait':
        step(slot + op.slots);
        break;
    }
    check(s);
  }
  step(slot + 30n * DAY + 1n);
  check(s);
  return s;
}
const voted = new Set<string>();

describe('bounties: properties', () => {
  it('conservation: Σ balances + escrow + pools + burned never changes; escrow ends at 0', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 20, maxLength: 80 }), (ops) => {
        voted.clear();
        const s = play(ops, conserved);
        assert.equal(s.totals().escrowed, 0n);
        for (const [, b] of s.bounties.entries()) assert.equal(b.status, 'resolved');
      }),
      { numRuns: 120 },
    );
  });

  it('each resolution pays out + refunds + burns exactly its escrow', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: MOLT, max: 1_000n * MOLT }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.boolean()), { maxLength: 20 }),
        (amount, nAnswers, votes) => {
          const s = world(agents(12));
          open(s, { amount });
          for (let k = 0; k < nAnswers; k++) assert.equal(answer(s, BigInt(k + 2)), null);
          const seen = new Set<string>();
          votes.forEach(([a, up], v) => {
            if (a >= nAnswers) return;
            const voter = BigInt(7 + (v % 6));
            if (seen.has(`${voter}:${a}`)) return;
            seen.add(`${voter}:${a}`);
            if (up) upvotePost(s, voter, answerOf(BigInt(a + 2)), SLOT + 2n);
            else downvotePost(s, voter, answerOf(BigInt(a + 2)), SLOT + 2n);
          });
          const balances = () => {
            let sum = 0n;
            for (let i = 1n; i <= 12n; i++) sum += balanceOf(s, i);
            return sum;
          };
          const before = balances();
          const burned = s.totals().burned;
          advance(s, SLOT, DEADLINE + 1n);
          const paid = balances() - before;
          const burnt = s.totals().burned - burned;
          assert.equal(paid + burnt, amount);
          const expectedBurn =
            nAnswers === 0
              ? amount - (amount * 9_000n) / 10_000n
              : amount - (amount * 8_000n) / 10_000n - (amount * 1_500n) / 10_000n;
          assert.equal(burnt, expectedBurn);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('deterministic: the same operations give the same state root', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 40 }), (ops) => {
        voted.clear();
        const a = play(ops).root();
        voted.clear();
        const b = play(ops).root();
        assert.deepEqual(a, b);
      }),
      { numRuns: 25 },
    );
  });

  it('no payload throws: every call returns null or an ExecFailure, and money is conserved', () => {
    const anyNumber = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32, 2 ** 53),
    );
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: U64 }),
        fc.bigInt({ min: 0n, max: U64 }),
        anyNumber,
        fc.boolean(),
        fc.bigInt({ min: 0n, max: U64 - 1n }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (amount, deadline, minReputation, newcomerOnly, slot, randomId) => {
          const s = world(agents(3));
          const r1 = createBounty(
            s,
            inputOf(s, 1n, slot),
            ask({ amount, deadline, minReputation, newcomerOnly }),
            Q,
          );
          assert.ok(r1 === null || typeof r1.code === 'string');
          for (const b of [Q, randomId]) {
            const r2 = answerBounty(
              s,
              inputOf(s, 2n, slot),
              { kind: 'answerBounty', bounty: b, content: CONTENT },
              answerOf(2n),
            );
            assert.ok(r2 === null || typeof r2.code === 'string');
            for (const a of [answerOf(2n), randomId]) {
              const r3 = acceptAnswer(s, inputOf(s, 1n, slot), {
                kind: 'acceptAnswer',
                bounty: b,
                answer: a,
              });
              assert.ok(r3 === null || typeof r3.code === 'string');
            }
          }
          resolveBountyDue(s, randomId, slot);
          if (r1 === null) resolveBountyDue(s, Q, deadline + 1n);
          conserved(s);
          s.root();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the bounty codec round-trips', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: U64 }),
        fc.array(
          fc.record({
            post: fc.uint8Array({ minLength: 32, maxLength: 32 }),
            answerer: fc.bigInt({ min: 0n, max: U64 }),
            independentUpvotes: fc.nat(),
          }),
          { maxLength: BOUNTY_MAX_ANSWERS },
        ),
        fc.boolean(),
        (amount, answers, resolved) => {
          const b: BountyRecord = {
            id: new Uint8Array(32).fill(1),
            asker: 3n,
            askerKey: new Uint8Array(32).fill(2),
            amount,
            createdSlot: 5n,
            deadline: 9n,
            minReputation: 4,
            newcomerOnly: resolved,
            answers: answers.map((a) => ({ ...a })),
            status: resolved ? 'resolved' : 'open',
            path: resolved ? 'communityVote' : 'open',
            resolvedSlot: resolved ? 10n : 0n,
          };
          const decoded = bountyCodec.decode(bountyCodec.encode(b));
          assert.deepEqual(
            { ...decoded, answers: decoded.answers.map((a) => ({ ...a })) },
            { ...b, answers: b.answers.map((a) => ({ ...a })) },
          );
        },
      ),
    );
  });
});
