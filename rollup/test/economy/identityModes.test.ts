import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  anonymousScope,
  INFLUENCE,
  NO_MEMBERSHIP_VERIFIER,
  PSEUDONYM_SCOPE,
  zkScope,
} from '../../src/economy/identityModes.ts';
import type { ZkPayload } from '../../src/tx/transaction.ts';

const P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const z32 = new Uint8Array(32);
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

  it('anonymous scopes differ per epoch, shard, kind and index, are field elements, and zkScope picks them', () => {
    const seen = new Set<string>();
    for (const epoch of [0n, 1n])
      for (const shard of [0, 1])
        for (const kind of [3, 4])
          for (const index of [0, 1]) {
            const s = anonymousScope(epoch, shard, kind, index);
            assert.ok(asInt(s) < P);
            seen.add(Buffer.from(s).toString('hex'));
          }
    assert.equal(seen.size, 16);
    const zk = { root: z32, nullifier: z32, epoch: 5n, index: 1, pseudonymNonce: 0n, proof: z32 };
    const content = { hash: z32, size: 1, storage: 'days30' } as const;
    const post: ZkPayload = {
      kind: 'zkPost',
      mode: 'anonymous',
      community: 'general',
      content,
      zk,
    };
    assert.deepEqual(zkScope(0, post), anonymousScope(5n, 0, 14, 1));
    assert.deepEqual(zkScope(0, { ...post, mode: 'pseudonymous' }), PSEUDONYM_SCOPE);
  });

  it('a node without the privacy layer refuses every proof', () => {
    const z = new Uint8Array(32);
    assert.equal(
      NO_MEMBERSHIP_VERIFIER.verify({ root: z, nullifier: z, scope: z, message: z, proof: z }),
      false,
    );
  });
});
