import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { revealCommitment } from '../../src/economy/commitReveal.ts';
import { EconomyState, identityKey } from '../../src/economy/economyState.ts';
import { conservationHolds } from '../../src/economy/economyStateMachine.ts';
import { ZERO_HASH } from '../../src/economy/ids.ts';
import { applyL2Event } from '../../src/economy/l2Events.ts';
import { WAD } from '../../src/economy/math/fixedPoint.ts';
import { effectiveBurnBps } from '../../src/economy/monetary/dynamicBurn.ts';
import {
  BOOST_SLOTS,
  BOOST_WINDOW_SLOTS,
  FREE_POSTS_PER_DAY,
  MOLT,
  REVIEW_SLOTS,
  SLOTS_PER_DAY,
} from '../../src/params/economyParams.ts';
import type { RevealPostPayload, TxPayload } from '../../src/tx/transaction.ts';
import { toHex } from '../../src/utils/hex.ts';
import { arbPayload, u64 } from '../tx/arbitraries.ts';
import { determinismRun } from './helpers/determinismRun.ts';
import { keyOf } from './helpers/reputationFixtures.ts';
import { BODY, COMMUNITY, show, TxWorld } from './helpers/txWorld.ts';

const B0 = 100_000n; // §10.2 post fee at genesis, µMOLT
const STORAGE_YEAR_1000B = 1n * 1_000n * 12n; // §9.3 rate × bytes × 12 (1 year)

describe('economy state machine: fees and their distribution (§9.3, §10.2)', () => {
  it('a post pays 0.10 MOLT + storage, split 30/30/30/10 and 60/20/20', () => {
    const w = new TxWorld();
    w.begin();
    const before = w.balance(1);
    const t0 = { ...w.state.totals() };
    w.post(1);
    assert.equal(before - w.balance(1), B0 + STORAGE_YEAR_1000B);
    const t = w.state.totals();
    assert.equal(t.validatorsPool - t0.validatorsPool, 30_000n);
    assert.equal(t.treasuryPool - t0.treasuryPool, 10_000n);
    // storage: 30 % of the post fee plus 60 % of the storage fee to DA, 20 % to archival
    assert.equal(t.daPool - t0.daPool, 30_000n + 7_200n);
    assert.equal(t.archivalPool - t0.archivalPool, 2_400n);
    assert.equal(t.burned - t0.burned, 30_000n + 2_400n);
    assert.ok(conservationHolds(w.state));
  });

  it('reply 0.01, upvote 1 % and downvote 5 % of B (votes 100 % burned), community 100 MOLT', () => {
    const w = new TxWorld();
    w.begin();
    const p = w.post(1);
    const cost = (id: number, payload: TxPayload) => {
      const b = w.balance(id);
      const burned = w.state.totals().burned;
      const { r } = w.do(id, payload);
      assert.equal(r.kind, 'success', show(r));
      return { paid: b - w.balance(id), burned: w.state.totals().burned - burned };
    };
    assert.equal(
      cost(2, { kind: 'reply', parent: p, content: BODY }).paid,
      10_000n + STORAGE_YEAR_1000B,
    );
    assert.deepEqual(cost(3, { kind: 'vote', post: p, direction: 'up' }), {
      paid: 1_000n,
      burned: 1_000n,
    });
    assert.deepEqual(cost(4, { kind: 'vote', post: p, direction: 'down' }), {
      paid: 5_000n,
      burned: 5_000n,
    });
    assert.deepEqual(cost(2, { kind: 'createCommunity', name: 'new-place' }), {
      paid: 100n * MOLT,
      burned: 100n * MOLT,
    });
    assert.equal(
      cost(2, { kind: 'updateProfile', content: { ...BODY, storage: 'days30' } }).paid,
      10_000n + 1_000n,
    );
  });

  it('a broken rule is included: nonce + 1, the failure fee (1 % of B, burned), nothing else', () => {
    const w = new TxWorld();
    w.begin();
    const rootBefore = w.state.communities.get(COMMUNITY);
    const b = w.balance(1);
    const { r } = w.do(1, { kind: 'createCommunity', name: COMMUNITY });
    assert.equal(r.kind, 'failed');
    assert.equal(r.kind === 'failed' && r.code, 'exec.community_exists');
    assert.equal(b - w.balance(1), 1_000n);
    assert.equal(w.state.account(keyOf(1n)).nonce, 1n);
    assert.deepEqual(w.state.communities.get(COMMUNITY), rootBefore);
    assert.ok(conservationHolds(w.state));
  });

  it('invalid transactions change nothing: wrong nonce, fee above max fee, fee above balance', () => {
    const w = new TxWorld({ balance: 50_000n });
    w.begin();
    const root = w.state.root();
    const tx = w.tx(1, { kind: 'transfer', to: keyOf(2n), amount: 1n });
    assert.equal(w.apply({ ...tx, nonce: 5n }).r.kind, 'invalid');
    assert.deepEqual(w.apply({ ...tx, maxFee: 999n }).r, {
      kind: 'invalid',
      code: 'exec.fee_too_low',
      reason: 'fee 1000 > max fee 999',
    });
    const post = w.tx(1, { kind: 'createPost', community: COMMUNITY, content: BODY });
    assert.equal((w.apply(post).r as { code: string }).code, 'exec.cannot_pay_fee');
    assert.deepEqual(w.state.root(), root);
  });
});

describe('economy state machine: content (§10.2)', () => {
  it('replies thread under their root; votes are once per identity and never on one’s own', () => {
    const w = new TxWorld();
    w.begin();
    const p = w.post(1);
    const r1 = w.do(2, { kind: 'reply', parent: p, content: BODY });
    const r2 = w.do(3, { kind: 'reply', parent: r1.post, content: BODY });
    const reply2 = w.state.posts.get(toHex(r2.post));
    assert.deepEqual(reply2?.root, p);
    assert.deepEqual(reply2?.parent, r1.post);
    assert.equal(w.state.posts.get(toHex(p))?.replies, 1);
    assert.equal(w.state.communities.get(COMMUNITY)?.posts, 3n);
    const code = (id: number, payload: TxPayload) => {
      const { r } = w.do(id, payload);
      return r.kind === 'failed' ? r.code : r.kind;
    };
    assert.equal(code(1, { kind: 'vote', post: p, direction: 'up' }), 'exec.self_vote');
    assert.equal(code(2, { kind: 'vote', post: p, direction: 'up' }), 'success');
    assert.equal(code(2, { kind: 'vote', post: p, direction: 'down' }), 'exec.already_voted');
    assert.equal(
      code(2, { kind: 'reply', parent: new Uint8Array(32).fill(1), content: BODY }),
      'exec.unknown_post',
    );
    assert.equal(
      code(2, { kind: 'createPost', community: 'nowhere', content: BODY }),
      'exec.unknown_community',
    );
    const post = w.state.posts.get(toHex(p));
    assert.equal(post?.upCount, 1);
    assert.ok((post?.up ?? 0n) > 0n);
  });

  it('a key bound to no identity may transfer but not post; a frozen identity may not post', () => {
    const w = new TxWorld();
    w.begin();
    const stranger = new Uint8Array(32).fill(0xee);
    assert.equal(w.do(1, { kind: 'transfer', to: stranger, amount: 5n * MOLT }).r.kind, 'success');
    assert.equal(w.state.account(stranger).balance, 5n * MOLT);
    assert.ok(applyL2Event(w.state, { kind: 'identityFrozen', id: 2n }, w.slot));
    const { r } = w.do(2, { kind: 'createPost', community: COMMUNITY, content: BODY });
    assert.equal(r.kind === 'failed' && r.code, 'exec.identity_inactive');
    assert.ok(conservationHolds(w.state));
  });

  it('L2 events: a registered identity with an authorized key can post; deposits add supply', () => {
    const w = new TxWorld({ identities: 1 });
    w.begin();
    const key = keyOf(9n);
    assert.ok(
      applyL2Event(w.state, { kind: 'identityRegistered', id: 9n, stake: 200n * MOLT }, w.slot),
    );
    assert.ok(!applyL2Event(w.state, { kind: 'identityRegistered', id: 9n, stake: 1n }, w.slot));
    assert.ok(applyL2Event(w.state, { kind: 'signerAuthorized', id: 9n, key }, w.slot));
    assert.ok(!applyL2Event(w.state, { kind: 'signerAuthorized', id: 1n, key }, w.slot));
    assert.ok(applyL2Event(w.state, { kind: 'deposit', to: key, amount: 10n * MOLT }, w.slot));
    assert.equal(w.state.totals().staked, 100n * MOLT + 200n * MOLT);
    w.post(9n);
    assert.ok(applyL2Event(w.state, { kind: 'signerRevoked', id: 9n, key }, w.slot));
    const { r } = w.do(9n, { kind: 'createPost', community: COMMUNITY, content: BODY });
    assert.equal(r.kind === 'failed' && r.code, 'exec.no_identity');
    assert.ok(conservationHolds(w.state));
  });
});

describe('economy state machine: commit-reveal (§14.3)', () => {
  const reveal = (salt: number): RevealPostPayload => ({
    kind: 'revealPost',
    community: COMMUNITY,
    parent: ZERO_HASH,
    content: BODY,
    salt: new Uint8Array(32).fill(salt),
  });

  it('deposit 2× the post fee; a reveal in N+1..N+5 refunds it and posts at the commit slot', () => {
    const w = new TxWorld();
    w.begin(10n);
    const p = reveal(1);
    const commitment = revealCommitment(keyOf(1n), p);
    const b = w.balance(1);
    assert.equal(w.do(1, { kind: 'commitPost', commitment }).r.kind, 'success');
    assert.equal(b - w.balance(1), 2n * B0 + 1_000n); // deposit + the commitment's own fee
    assert.equal(w.state.totals().deposits, 2n * B0);
    // Not in the commitment's own slot.
    assert.equal((w.do(1, p).r as { code: string }).code, 'exec.reveal_window');
    w.begin(15n);
    w.pinBaseFee();
    const b2 = w.balance(1);
    const { r, post } = w.do(1, p);
    assert.equal(r.kind, 'success');
    assert.equal(w.balance(1) - b2, 2n * B0 - B0 - STORAGE_YEAR_1000B);
    assert.equal(w.state.totals().deposits, 0n);
    assert.equal(w.state.posts.get(toHex(post))?.createdSlot, 10n);
    assert.ok(conservationHolds(w.state));
  });

  it('no reveal by N+5: the deposit is burned at N+6; a late reveal fails', () => {
    const w = new TxWorld();
    w.begin(10n);
    const p = reveal(2);
    w.do(1, { kind: 'commitPost', commitment: revealCommitment(keyOf(1n), p) });
    w.begin(15n);
    const burned = w.state.totals().burned;
    w.begin(16n);
    assert.equal(w.state.totals().burned - burned, 2n * B0);
    assert.equal(w.state.totals().deposits, 0n);
    assert.equal((w.do(1, p).r as { code: string }).code, 'exec.unknown_commitment');
    assert.ok(conservationHolds(w.state));
  });

  it('a reveal by someone else, or of other content, matches no commitment', () => {
    const w = new TxWorld();
    w.begin(10n);
    const p = reveal(3);
    w.do(1, { kind: 'commitPost', commitment: revealCommitment(keyOf(1n), p) });
    w.begin(11n);
    assert.equal((w.do(2, p).r as { code: string }).code, 'exec.unknown_commitment');
    const other = { ...p, content: { ...BODY, size: 999 } };
    assert.equal((w.do(1, other).r as { code: string }).code, 'exec.unknown_commitment');
  });
});

describe('economy state machine: newcomers (§17.3)', () => {
  it('10 free posts a day for 30 days: 10 × 0.10 × 30 = 30 MOLT saved, paid by the treasury', () => {
    const w = new TxWorld({ identities: 1, treasury: 1_000n * MOLT });
    let saved = 0n;
    let treasuryPaid = 0n;
    for (let day = 0n; day < 31n; day++) {
      w.begin(day * SLOTS_PER_DAY + 1n);
      w.pinBaseFee();
      for (let i = 0; i < FREE_POSTS_PER_DAY + 1; i++) {
        const b = w.balance(1);
        const t = w.state.totals().treasuryPool;
        // The treasury's §10.2 share of this post, at the §11.4 burn rate in force now.
        const share = ((B0 - (B0 * effectiveBurnBps(w.state.burnState())) / 10_000n) * 1n) / 7n;
        w.post(1);
        saved += B0 + STORAGE_YEAR_1000B - (b - w.balance(1));
        treasuryPaid += share - (w.state.totals().treasuryPool - t);
      }
    }
    assert.equal(saved, 30n * MOLT);
    assert.equal(treasuryPaid, 30n * MOLT, 'the treasury paid every waived fee');
    assert.ok(conservationHolds(w.state));
  });

  it('no free tier without 100 MOLT staked, or once net votes in the first 7 days are negative', () => {
    const poor = new TxWorld({ identities: 1, stake: 99n * MOLT, treasury: 1_000n * MOLT });
    poor.begin();
    const b = poor.balance(1);
    poor.post(1);
    assert.equal(b - poor.balance(1), B0 + STORAGE_YEAR_1000B);

    const w = new TxWorld({ identities: 2, treasury: 1_000n * MOLT });
    w.begin();
    const p = w.post(1); // free, activates the tier
    assert.equal(w.identity(1n).freeTier, 'active');
    w.identity(2n); // voter
    assert.equal(w.do(2, { kind: 'vote', post: p, direction: 'down' }).r.kind, 'success');
    assert.equal(w.identity(1n).freeTier, 'lost');
    const b1 = w.balance(1);
    w.post(1);
    assert.ok(b1 - w.balance(1) > STORAGE_YEAR_1000B, 'the post fee is charged again');
  });

  it('at most 500 activations a day across the shard', () => {
    const w = new TxWorld({ identities: 501, treasury: 1_000n * MOLT });
    w.begin();
    for (let id = 1n; id <= 501n; id++) {
      w.pinBaseFee();
      w.post(id);
    }
    assert.equal(w.identity(500n).freeTier, 'active');
    assert.equal(w.identity(501n).freeTier, 'eligible');
    w.begin(SLOTS_PER_DAY + 1n);
    w.post(501n);
    assert.equal(w.identity(501n).freeTier, 'active');
  });
});

describe('economy state machine: moderation (§14.2, §16.2)', () => {
  function flagged(downWins: boolean) {
    const w = new TxWorld({ identities: 4 });
    w.begin();
    const p = w.post(1);
    // Two flaggers with 600 reputation points each: 1,200 ≥ the 1,000 threshold.
    for (const id of [2n, 3n]) {
      const r = w.state.identities.getMut(identityKey(id));
      if (r !== undefined) r.reputation = 600n * WAD;
    }
    assert.equal(w.do(2, { kind: 'flag', post: p }).r.kind, 'success');
    assert.equal(w.state.posts.get(toHex(p))?.moderation, 'visible');
    assert.equal(
      (w.do(2, { kind: 'flag', post: p }).r as { code: string }).code,
      'exec.already_flagged',
    );
    w.do(3, { kind: 'flag', post: p });
    assert.equal(w.state.posts.get(toHex(p))?.moderation, 'hidden');
    w.do(4, { kind: 'vote', post: p, direction: downWins ? 'down' : 'up' });
    w.begin(w.slot + REVIEW_SLOTS);
    return { w, p };
  }

  it('hidden at 1,000 reputation of flags; the review soft-deletes when downvotes outweigh', () => {
    const { w, p } = flagged(true);
    const post = w.state.posts.get(toHex(p));
    assert.equal(post?.moderation, 'removed');
    assert.deepEqual(post?.contentHash, BODY.hash); // the hash stays
    const { r } = w.do(2, { kind: 'reply', parent: p, content: BODY });
    assert.equal(r.kind === 'failed' && r.code, 'exec.post_removed');
  });

  it('…and shows it again otherwise, its flag weight reset', () => {
    const { w, p } = flagged(false);
    const post = w.state.posts.get(toHex(p));
    assert.equal(post?.moderation, 'visible');
    assert.equal(post?.flagWeight, 0n);
  });
});

describe('economy state machine: boost auctions (§10.4)', () => {
  it(`the top ${BOOST_SLOTS} bids win and pay the highest losing bid; the rest is refunded`, () => {
    const w = new TxWorld({ identities: 7 });
    w.begin();
    const p = w.post(1);
    const bids = [10n, 20n, 30n, 40n, 50n, 60n].map((x) => x * MOLT);
    const posts: Uint8Array[] = [];
    for (const [i, amount] of bids.entries()) {
      const id = BigInt(i + 2);
      const target = i === 0 ? p : w.post(id);
      posts.push(target);
      const { r } = w.do(id, { kind: 'boostBid', post: target, window: 1n, amount });
      assert.equal(r.kind, 'success', show(r));
    }
    assert.equal(
      (w.do(7, { kind: 'boostBid', post: p, window: 1n, amount: MOLT }).r as { code: string }).code,
      'exec.auction_full',
    );
    assert.equal(
      (w.do(7, { kind: 'boostBid', post: p, window: 2n, amount: MOLT }).r as { code: string }).code,
      'exec.auction_window',
    );
    const balances = [2n, 3n, 4n, 5n, 6n, 7n].map((id) => w.balance(id));
    const t0 = { ...w.state.totals() };
    w.begin(BOOST_WINDOW_SLOTS);
    const t = w.state.totals();
    const price = 10n * MOLT;
    // Loser (10 MOLT) refunded in full; each winner pays 10 MOLT and gets the rest back.
    assert.equal(w.balance(2n) - (balances[0] as bigint), 10n * MOLT);
    for (const [k, id] of [3n, 4n, 5n, 6n, 7n].entries())
      assert.equal(w.balance(id) - (balances[k + 1] as bigint), (bids[k + 1] as bigint) - price);
    assert.equal(t.escrowed, 0n);
    assert.equal(t.burned - t0.burned, (5n * price * 40n) / 100n);
    assert.equal(t.validatorsPool - t0.validatorsPool, (5n * price * 30n) / 100n);
    const winner = w.state.posts.get(toHex(posts[5] as Uint8Array));
    assert.equal(winner?.boost, price);
    assert.equal(winner?.boostUntil, 2n * BOOST_WINDOW_SLOTS - 1n);
    assert.equal(w.state.posts.get(toHex(p))?.boostUntil, 0n);
    assert.ok(conservationHolds(w.state));
  });
});

// ------------------------------------------------------------------ properties

const KINDS = [
  'post',
  'reply',
  'up',
  'down',
  'transfer',
  'flag',
  'profile',
  'community',
  'bounty',
  'answer',
  'accept',
  'commit',
  'reveal',
  'bid',
] as const;

/** A random action by identity `from` against what exists; many break a rule on purpose. */
const arbStep = fc.record({
  from: fc.integer({ min: 1, max: 5 }),
  kind: fc.constantFrom(...KINDS),
  target: fc.nat(),
  amount: fc.bigInt({ min: 0n, max: 3n * MOLT }),
  slotGap: fc.constantFrom(0, 0, 0, 1, 1, 2, 7, 300),
});

type Step = {
  from: number;
  kind: (typeof KINDS)[number];
  target: number;
  amount: bigint;
  slotGap: number;
};

function run(steps: readonly Step[]): TxWorld {
  const w = new TxWorld({ identities: 5, balance: 200n * MOLT });
  w.begin();
  const posts: Uint8Array[] = [];
  const bounties: Uint8Array[] = [];
  const reveals: RevealPostPayload[] = [];
  for (const s of steps) {
    if (s.slotGap > 0) w.begin(w.slot + BigInt(s.slotGap));
    const from = BigInt(s.from);
    const pick = (xs: Uint8Array[]) =>
      xs.length === 0 ? new Uint8Array(32).fill(3) : (xs[s.target % xs.length] as Uint8Array);
    let payload: TxPayload;
    switch (s.kind) {
      case 'post':
        payload = { kind: 'createPost', community: COMMUNITY, content: BODY };
        break;
      case 'reply':
        payload = { kind: 'reply', parent: pick(posts), content: BODY };
        break;
      case 'up':
      case 'down':
        payload = { kind: 'vote', post: pick(posts), direction: s.kind };
        break;
      case 'transfer':
        payload = { kind: 'transfer', to: keyOf(BigInt((s.target % 6) + 1)), amount: s.amount };
        break;
      case 'flag':
        payload = { kind: 'flag', post: pick(posts) };
        break;
      case 'profile':
        payload = { kind: 'updateProfile', content: BODY };
        break;
      case 'community':
        payload = { kind: 'createCommunity', name: `c-${s.target % 3}x` };
        break;
      case 'bounty':
        payload = {
          kind: 'createBounty',
          community: COMMUNITY,
          content: BODY,
          amount: s.amount,
          deadline: w.slot + 1_000n + BigInt(s.target % 2_000),
          minReputation: 0,
          newcomerOnly: s.target % 5 === 0,
        };
        break;
      case 'answer':
        payload = { kind: 'answerBounty', bounty: pick(bounties), content: BODY };
        break;
      case 'accept':
        payload = { kind: 'acceptAnswer', bounty: pick(bounties), answer: pick(posts) };
        break;
      case 'commit': {
        const r: RevealPostPayload = {
          kind: 'revealPost',
          community: COMMUNITY,
          parent: ZERO_HASH,
          content: BODY,
          salt: new Uint8Array(32).fill(s.target % 256),
        };
        reveals.push(r);
        payload = { kind: 'commitPost', commitment: revealCommitment(keyOf(from), r) };
        break;
      }
      case 'reveal':
        payload = reveals[s.target % Math.max(reveals.length, 1)] ?? {
          kind: 'flag',
          post: pick(posts),
        };
        break;
      case 'bid':
        payload = {
          kind: 'boostBid',
          post: pick(posts),
          window: w.slot / BOOST_WINDOW_SLOTS + 1n,
          amount: s.amount,
        };
        break;
    }
    const { r, post } = w.do(from, payload);
    if (r.kind === 'success') {
      if (
        payload.kind === 'createPost' ||
        payload.kind === 'reply' ||
        payload.kind === 'answerBounty' ||
        payload.kind === 'revealPost'
      )
        posts.push(post);
      if (payload.kind === 'createBounty') {
        bounties.push(post);
        posts.push(post);
      }
    }
    // Invariants after every transaction.
    assert.ok(conservationHolds(w.state), `conservation after ${s.kind}`);
    for (const [, a] of w.state.accounts.entries()) assert.ok(a.balance >= 0n);
  }
  w.begin(w.slot + 3_000n); // let deadlines, reveal windows and auctions close
  assert.ok(conservationHolds(w.state));
  return w;
}

describe('economy state machine: properties', () => {
  it('conservation and no negative balance after every transaction of random sequences', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { maxLength: 60 }), (steps) => void run(steps)),
      {
        numRuns: 60,
      },
    );
  });

  it('determinism: the same sequence twice gives the same root; roots equal from-scratch roots and survive a snapshot', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { maxLength: 40 }), (steps) => {
        const a = run(steps);
        const b = run(steps);
        assert.deepEqual(a.state.root(), b.state.root());
        assert.deepEqual(a.state.root(), a.state.store.rootFromScratch());
        const back = EconomyState.fromSnapshot(a.state.encodeSnapshot());
        assert.deepEqual(back.root(), a.state.root());
      }),
      { numRuns: 25 },
    );
  });

  it('hostile input: any well-formed payload, at any field value, never makes the machine throw', () => {
    // Payloads straight from the codec's arbitraries: u64 amounts and deadlines at the extremes,
    // random ids, names and windows; references to real posts mixed in so rules get past lookups.
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            from: fc.integer({ min: 1, max: 3 }),
            payload: arbPayload,
            aim: fc.boolean(),
            maxFee: fc.oneof(u64, fc.constant(10n ** 12n)),
            gap: fc.constantFrom(0n, 1n, 5_000n, SLOTS_PER_DAY),
          }),
          { maxLength: 25 },
        ),
        (steps) => {
          const w = new TxWorld({ identities: 3, balance: (1n << 62n) / 4n });
          w.begin();
          const known = [w.post(1)];
          for (const s of steps) {
            if (s.gap > 0n) w.begin(w.slot + s.gap);
            let payload = s.payload;
            if (s.aim && 'post' in payload) payload = { ...payload, post: known[0] as Uint8Array };
            if (s.aim && 'parent' in payload)
              payload = { ...payload, parent: known[0] as Uint8Array };
            const { r, post } = w.do(s.from, payload, s.maxFee);
            if (r.kind !== 'invalid') assert.ok(r.fee <= s.maxFee, 'a fee never exceeds maxFee');
            if (r.kind === 'success') known.push(post);
            assert.ok(conservationHolds(w.state));
          }
          w.state.root();
        },
      ),
      { numRuns: 80 },
    );
  });

  it('determinism across threads: the same history on two worker threads gives the main thread’s root', async () => {
    const steps = 400;
    const here = determinismRun(42, steps);
    const onWorker = () =>
      new Promise<string>((resolve, reject) => {
        const worker = new Worker(new URL('./helpers/determinismRun.ts', import.meta.url), {
          workerData: { seed: 42, steps },
        });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    const [a, b] = await Promise.all([onWorker(), onWorker()]);
    assert.equal(a, here);
    assert.equal(b, here);
    assert.notEqual(determinismRun(43, steps), here, 'another history gives another root');
  });

  it('a fork executes on a clone without touching its parent', () => {
    const w = new TxWorld();
    w.begin();
    w.post(1);
    const parentRoot = w.state.root();
    const fork = w.fork();
    assert.equal(
      fork.do(2, { kind: 'createPost', community: COMMUNITY, content: BODY }).r.kind,
      'success',
    );
    assert.deepEqual(w.state.root(), parentRoot);
    assert.notDeepEqual(fork.state.root(), parentRoot);
    assert.throws(() => w.post(3), 'the parent is sealed once forked');
  });
});
