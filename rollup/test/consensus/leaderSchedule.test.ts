import assert from 'node:assert/strict';
import { createCipheriv, createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ChaChaRng } from '../../src/consensus/chaChaRng.ts';
import { ConsensusError } from '../../src/consensus/consensusError.ts';
import {
  leaderSchedule,
  leaderScheduleSeed,
  type StakedValidator,
} from '../../src/consensus/leaderSchedule.ts';
import { NUM_CONSECUTIVE_LEADER_SLOTS } from '../../src/params/towerParams.ts';
import { toHex } from '../../src/utils/hex.ts';

const key = (i: number): string => i.toString(16).padStart(2, '0').repeat(32);
const SEED = createHash('sha256').update('moltbook leader schedule test').digest();

/**
 * Reference sampler written from the documented rule, independent of ChaChaRng: the raw RFC 8439
 * keystream, 16-byte big-endian draws, rejection above the largest multiple of the total, a
 * linear scan over (stake desc, pubkey asc).
 */
function referenceLeaders(
  validators: readonly StakedValidator[],
  seed: Uint8Array,
  slots: number,
): string[] {
  const sorted = validators
    .filter((v) => v.stake > 0n)
    .map((v) => ({ pubkey: v.pubkey.toLowerCase(), stake: v.stake }))
    .sort((a, b) =>
      a.stake !== b.stake ? Number(b.stake - a.stake) : a.pubkey.localeCompare(b.pubkey),
    );
  const total = sorted.reduce((s, v) => s + v.stake, 0n);
  const draws = Math.ceil(slots / 4);
  const stream = createCipheriv('chacha20', seed, Buffer.alloc(16)).update(
    Buffer.alloc(16 * draws * 2 + 4096),
  );
  const limit = (1n << 128n) - ((1n << 128n) % total);
  const out: string[] = [];
  let at = 0;
  while (out.length < slots) {
    const r = BigInt(`0x${stream.subarray(at, at + 16).toString('hex')}`);
    at += 16;
    if (r >= limit) continue;
    let x = r % total;
    const leader = sorted.find((v) => {
      if (x < v.stake) return true;
      x -= v.stake;
      return false;
    });
    for (let k = 0; k < 4 && out.length < slots; k++) out.push((leader as StakedValidator).pubkey);
  }
  return out;
}

const validatorsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 250 }), { minLength: 1, maxLength: 8 })
  .chain((ids) =>
    fc.tuple(
      fc.constant(ids),
      fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), {
        minLength: ids.length,
        maxLength: ids.length,
      }),
    ),
  )
  .map(([ids, stakes]) => ids.map((id, i) => ({ pubkey: key(id), stake: stakes[i] as bigint })))
  .filter((vs) => vs.some((v) => v.stake > 0n));

describe('ChaChaRng', () => {
  it('is the RFC 8439 keystream (RFC 7539 A.1 test vector #1: zero key, zero nonce)', () => {
    const rng = new ChaChaRng(new Uint8Array(32));
    assert.equal(
      toHex(rng.bytes(64)),
      '76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7' +
        'da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586',
    );
  });

  it('nextBelow stays in range and rejects bad bounds', () => {
    const rng = new ChaChaRng(SEED);
    for (const bound of [1n, 2n, 3n, 10n ** 30n, (1n << 127n) + 1n]) {
      for (let i = 0; i < 50; i++) {
        const x = rng.nextBelow(bound);
        assert.ok(x >= 0n && x < bound);
      }
    }
    assert.throws(() => rng.nextBelow(0n), RangeError);
    assert.throws(() => new ChaChaRng(new Uint8Array(31)), RangeError);
  });
});

describe('leaderSchedule', () => {
  it('matches the reference sampler and a frozen known answer for one seed', () => {
    const validators = [1, 2, 3, 4].map((i) => ({ pubkey: key(i), stake: BigInt(i) * 1_000_000n }));
    const s = leaderSchedule({ epoch: 0, slotsPerEpoch: 64, validators, seed: SEED });
    const leaders = Array.from({ length: 64 }, (_, i) => s.leaderAt(i));
    assert.deepEqual(leaders, referenceLeaders(validators, SEED, 64));
    // Frozen: the index (1-4) of the leader of each 4-slot run of epoch 0. A change here changes
    // every node's schedule: bump the seed domain, do not edit the vector.
    const runs = Array.from({ length: 16 }, (_, r) =>
      Number.parseInt(s.leaderAt(4 * r).slice(0, 2), 16),
    );
    assert.deepEqual(runs, KNOWN_RUNS);
  });

  it('property: deterministic, input-order independent, leaders staked, runs of 4', () => {
    fc.assert(
      fc.property(
        validatorsArb,
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 1000 }),
        (validators, seed, slotsPerEpoch, epoch) => {
          const a = leaderSchedule({ epoch, slotsPerEpoch, validators, seed });
          const b = leaderSchedule({
            epoch,
            slotsPerEpoch,
            validators: [...validators].reverse(),
            seed,
          });
          const staked = new Set(validators.filter((v) => v.stake > 0n).map((v) => v.pubkey));
          assert.equal(a.firstSlot, epoch * slotsPerEpoch);
          for (let slot = a.firstSlot; slot < a.endSlot; slot++) {
            const leader = a.leaderAt(slot);
            assert.equal(leader, b.leaderAt(slot));
            assert.ok(staked.has(leader), 'leader has stake');
            const runStart = slot - ((slot - a.firstSlot) % NUM_CONSECUTIVE_LEADER_SLOTS);
            assert.equal(leader, a.leaderAt(runStart), 'same leader through its 4-slot run');
          }
          assert.deepEqual(
            Array.from({ length: slotsPerEpoch }, (_, i) => a.leaderAt(a.firstSlot + i)),
            referenceLeaders(validators, seed, slotsPerEpoch),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is stake-proportional within 5 sigma over 40,000 draws (fixed seed); zero stake never leads', () => {
    const stakes = [1n, 2n, 3n, 4n, 0n];
    const validators = stakes.map((stake, i) => ({ pubkey: key(i + 1), stake: stake * 10n ** 9n }));
    const draws = 40_000;
    const s = leaderSchedule({ epoch: 3, slotsPerEpoch: draws * 4, validators, seed: SEED });
    const counts = new Map<string, number>();
    for (let r = 0; r < draws; r++) {
      const l = s.leaderAt(s.firstSlot + 4 * r);
      counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    assert.equal(counts.get(key(5)), undefined, 'zero-stake validator never leads');
    assert.deepEqual(s.slotsOf(key(5)), []);
    for (const [i, stake] of stakes.entries()) {
      if (stake === 0n) continue;
      const p = Number(stake) / 10;
      const mean = draws * p;
      const sigma = Math.sqrt(draws * p * (1 - p));
      const got = counts.get(key(i + 1)) ?? 0;
      assert.ok(
        Math.abs(got - mean) < 5 * sigma,
        `validator ${i + 1}: ${got} vs ${mean} ± ${sigma}`,
      );
    }
  });

  it('changes with the seed and the epoch seed rule is domain-separated', () => {
    const validators = [1, 2, 3].map((i) => ({ pubkey: key(i), stake: 100n }));
    const g = new Uint8Array(32).fill(7);
    const s0 = leaderScheduleSeed(g, 0);
    const s1 = leaderScheduleSeed(g, 1);
    const domain = Buffer.from('moltbook/leader-schedule-seed/v1');
    const expected = createHash('sha256')
      .update(
        Buffer.concat([
          Buffer.from([0, 0, 0, domain.length]),
          domain,
          g,
          Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]),
        ]),
      )
      .digest();
    assert.equal(toHex(s1), expected.toString('hex'));
    assert.notEqual(toHex(s0), toHex(s1));
    const a = leaderSchedule({ epoch: 0, slotsPerEpoch: 400, validators, seed: s0 });
    const b = leaderSchedule({ epoch: 0, slotsPerEpoch: 400, validators, seed: s1 });
    const differ = Array.from({ length: 400 }, (_, i) => a.leaderAt(i) !== b.leaderAt(i)).some(
      Boolean,
    );
    assert.ok(differ);
  });

  it('rejects bad input with stable codes', () => {
    const ok = [{ pubkey: key(1), stake: 1n }];
    const code = (f: () => unknown, c: string) =>
      assert.throws(f, (e: unknown) => e instanceof ConsensusError && e.code === c);
    const base = { epoch: 0, slotsPerEpoch: 8, seed: SEED };
    code(
      () => leaderSchedule({ ...base, validators: [{ pubkey: key(1), stake: 0n }] }),
      'leader_schedule.no_stake',
    );
    code(() => leaderSchedule({ ...base, validators: [] }), 'leader_schedule.no_stake');
    code(
      () => leaderSchedule({ ...base, validators: [...ok, ...ok] }),
      'leader_schedule.invalid_validator',
    );
    code(
      () => leaderSchedule({ ...base, validators: [{ pubkey: 'zz', stake: 1n }] }),
      'leader_schedule.invalid_validator',
    );
    code(
      () => leaderSchedule({ ...base, validators: [{ pubkey: key(1), stake: -1n }] }),
      'leader_schedule.invalid_validator',
    );
    code(
      () => leaderSchedule({ ...base, validators: ok, seed: new Uint8Array(3) }),
      'leader_schedule.invalid_params',
    );
    code(
      () => leaderSchedule({ ...base, validators: ok, slotsPerEpoch: 0 }),
      'leader_schedule.invalid_params',
    );
    code(
      () => leaderSchedule({ ...base, validators: ok, epoch: -1 }),
      'leader_schedule.invalid_params',
    );
    const s = leaderSchedule({ ...base, epoch: 2, validators: ok });
    code(() => s.leaderAt(15), 'leader_schedule.slot_out_of_epoch');
    code(() => s.leaderAt(24), 'leader_schedule.slot_out_of_epoch');
    assert.equal(s.leaderAt(16), key(1));
  });
});

const KNOWN_RUNS = [4, 3, 4, 4, 4, 3, 2, 4, 4, 4, 4, 2, 3, 3, 3, 3];
