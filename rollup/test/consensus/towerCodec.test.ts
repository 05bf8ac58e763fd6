import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CodecError } from '../../src/codec/codecError.ts';
import { ConsensusError } from '../../src/consensus/consensusError.ts';
import { Tower } from '../../src/consensus/tower.ts';
import {
  decodeTower,
  encodeTower,
  signTower,
  verifyTower,
} from '../../src/consensus/towerCodec.ts';
import { generateEd25519 } from '../../src/crypto/ed25519.ts';
import { toHex } from '../../src/utils/hex.ts';

const KEY = generateEd25519();
const OTHER = generateEd25519();

/** A tower reached by an honest vote sequence on one chain (increasing slots). */
function towerFrom(node: Uint8Array, gaps: readonly number[]): Tower {
  const t = Tower.empty(node);
  let slot = 0;
  for (const g of gaps) {
    slot += g;
    t.recordVote(slot, new Set(Array.from({ length: slot }, (_, i) => i)));
  }
  return t;
}

const gapsArb = fc.array(
  fc.integer({ min: 1, max: 20 }).map((g) => (g > 17 ? g * 3 : 1)),
  { maxLength: 120, size: 'max' },
);

describe('tower codec', () => {
  it('encodes to the documented bytes (frozen vector)', () => {
    const t = new Tower({
      node: new Uint8Array(32).fill(0x11),
      root: 5,
      votes: [
        { slot: 6, confirmationCount: 2 },
        { slot: 7, confirmationCount: 1 },
      ],
    });
    assert.equal(
      toHex(encodeTower(t)),
      `01${'11'.repeat(32)}01000000000000000502000000000000000602000000000000000701`,
    );
  });

  it('property: decode ∘ encode is the identity; signed towers verify', () => {
    fc.assert(
      fc.property(gapsArb, (gaps) => {
        const t = towerFrom(KEY.publicKey, gaps);
        const back = decodeTower(encodeTower(t));
        assert.deepEqual(back.state(), t.state());
        assert.deepEqual(encodeTower(back), encodeTower(t));
        const v = verifyTower(signTower(t, KEY.privateKey), KEY.publicKey);
        assert.equal(v.kind, 'valid');
        if (v.kind === 'valid') assert.deepEqual(v.tower.state(), t.state());
      }),
      { numRuns: 100 },
    );
  });

  it('property: any flipped bit of a saved tower is rejected', () => {
    fc.assert(
      fc.property(gapsArb, fc.nat(), fc.integer({ min: 0, max: 7 }), (gaps, at, bit) => {
        const saved = signTower(towerFrom(KEY.publicKey, gaps), KEY.privateKey);
        const i = at % saved.length;
        saved[i] = (saved[i] as number) ^ (1 << bit);
        assert.notEqual(verifyTower(saved, KEY.publicKey).kind, 'valid');
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a tower of another node, a foreign signature and truncated bytes', () => {
    const t = towerFrom(KEY.publicKey, [1, 1, 1]);
    assert.deepEqual(verifyTower(signTower(t, KEY.privateKey), OTHER.publicKey), {
      kind: 'wrongNode',
    });
    assert.deepEqual(verifyTower(signTower(t, OTHER.privateKey), KEY.publicKey), {
      kind: 'badSignature',
    });
    assert.equal(verifyTower(new Uint8Array(10), KEY.publicKey).kind, 'malformed');
    const sig = signTower(t, KEY.privateKey);
    assert.equal(verifyTower(sig.subarray(0, sig.length - 1), KEY.publicKey).kind, 'malformed');
  });

  it('decode refuses layouts and towers no vote sequence can build', () => {
    const node = new Uint8Array(32);
    const enc = (root: number | null, votes: [number, number][]) => {
      const b = [
        1,
        ...node,
        ...(root === null ? [0] : [1, 0, 0, 0, 0, 0, 0, 0, root]),
        votes.length,
      ];
      for (const [s, c] of votes) b.push(0, 0, 0, 0, 0, 0, 0, s, c);
      return Uint8Array.from(b);
    };
    assert.equal(
      decodeTower(
        enc(null, [
          [3, 2],
          [4, 1],
        ]),
      ).votes.length,
      2,
    );
    const invalid = (bytes: Uint8Array) =>
      assert.throws(
        () => decodeTower(bytes),
        (e: unknown) => e instanceof ConsensusError && e.code === 'tower.invalid',
      );
    invalid(
      enc(null, [
        [4, 2],
        [3, 1],
      ]),
    ); // slots must increase
    invalid(enc(5, [[5, 1]])); // above the root
    invalid(enc(null, [[3, 0]])); // confirmations ≥ 1
    invalid(enc(null, [[3, 32]])); // ≤ 31
    invalid(
      enc(null, [
        [3, 1],
        [6, 1],
      ]),
    ); // 3 expired (locks through 5) before 6 was pushed
    const layout = (bytes: Uint8Array) => assert.throws(() => decodeTower(bytes), CodecError);
    layout(Uint8Array.of(2, ...node, 0, 0)); // version
    layout(Uint8Array.of(1, ...node, 2, 0)); // root tag
    layout(Uint8Array.of(1, ...node, 0, 32)); // more than 31 votes
    layout(Uint8Array.of(...enc(null, []), 0)); // trailing byte
  });
});
