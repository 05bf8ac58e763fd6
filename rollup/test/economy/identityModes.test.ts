import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  anonymousScope,
  INFLUENCE,
  modeOfScope,
  NO_MEMBERSHIP_VERIFIER,
  PSEUDONYM_SCOPE,
} from '../../src/economy/identityModes.ts';

const P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const asInt = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex')}`);

describe('identity modes (§6.3)', () => {
  it('influence: public full, pseudonymous without governance, anonymous none (§6.3, §13.1)', () => {
    assert.deepEqual(INFLUENCE.public, {
      voteWeight: true,
      bounties: true,
      reputation: true,
      governance: true,
    });
    assert.equal(INFLUENCE.pseudonymous.governance, false);
    assert.equal(INFLUENCE.pseudonymous.reputation, true);
    assert.deepEqual(Object.values(INFLUENCE.anonymous), [false, false, false, false]);
  });

  it('the pseudonym scope is SHA-256 of its label reduced into the BN254 field (known answer)', () => {
    const h = createHash('sha256').update('moltbook/scope/pseudonym/v1').digest();
    assert.equal(asInt(PSEUDONYM_SCOPE), asInt(h) % P);
  });

  it('anonymous scopes differ per epoch, shard, kind and index, are field elements, and map back', () => {
    const seen = new Set<string>();
    for (const epoch of [0n, 1n])
      for (const shard of [0, 1])
        for (const kind of [3, 4])
          for (const index of [0, 1]) {
            const s = anonymousScope(epoch, shard, kind, index);
            assert.ok(asInt(s) < P);
            seen.add(Buffer.from(s).toString('hex'));
            assert.equal(modeOfScope(s, epoch, shard, kind, 2), 'anonymous');
            assert.equal(modeOfScope(s, epoch + 1n, shard, kind, 2), null);
          }
    assert.equal(seen.size, 16);
    assert.equal(modeOfScope(PSEUDONYM_SCOPE, 0n, 0, 3, 2), 'pseudonymous');
  });

  it('until the privacy layer is wired in, no proof verifies and no root is known', () => {
    const z = new Uint8Array(32);
    assert.equal(NO_MEMBERSHIP_VERIFIER.isKnownRoot(z, 1n), false);
    assert.equal(
      NO_MEMBERSHIP_VERIFIER.verify({ root: z, nullifier: z, scope: z, message: z, proof: z }),
      false,
    );
  });
});
