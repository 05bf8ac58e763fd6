import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '../../../src/moltdm/crypto/bytes.ts';
import { isMoltdmCryptoError } from '../../../src/moltdm/crypto/errors.ts';
import { PROVIDERS } from './providers.ts';
import { lazyWycheproof } from './wycheproof.ts';

interface XdhVectors {
  testGroups: {
    curve: string;
    tests: {
      tcId: number;
      comment: string;
      flags: string[];
      public: string;
      private: string;
      shared: string;
      result: 'valid' | 'acceptable' | 'invalid';
    }[];
  }[];
}

const ZERO = '00'.repeat(32);

/**
 * Policy (docs/moltdm-crypto.md "X25519 acceptance"): compute exactly as RFC 7748 defines —
 * twist points, non-canonical u-coordinates (≥ p, reduced) and the masked top bit are accepted
 * and must give the vector's shared secret — and reject only an all-zero shared secret
 * (`ZeroSharedSecret`, which every `LowOrderPublic` vector carries) with crypto.low_order_point.
 * `valid` vectors must all be accepted; `invalid` ones (none in this file) must be rejected.
 */
describe('X25519 against Wycheproof (provider.x25519, as X3DH, the ratchet and sealed box call it)', () => {
  const vectors = lazyWycheproof<XdhVectors>('x25519_test.json');
  for (const p of PROVIDERS) {
    it(`${p.name}: accepts valid and acceptable vectors, rejects exactly the all-zero results`, async () => {
      const seen = { valid: 0, acceptedAcceptable: 0, rejectedLowOrder: 0 };
      for (const group of vectors().testGroups) {
        assert.equal(group.curve, 'curve25519');
        for (const t of group.tests) {
          const label = `tcId ${t.tcId} (${t.result}; ${t.flags.join(',')}): ${t.comment}`;
          const mustReject = t.result === 'invalid' || t.flags.includes('ZeroSharedSecret');
          assert.equal(t.flags.includes('ZeroSharedSecret'), t.shared === ZERO, label);
          if (t.flags.includes('LowOrderPublic')) assert.ok(mustReject, label);
          if (t.result === 'valid') assert.ok(!mustReject, label);
          let got: string;
          try {
            got = toHex(await p.x25519(fromHex(t.private), fromHex(t.public)));
          } catch (e) {
            assert.ok(isMoltdmCryptoError(e, 'crypto.low_order_point'), `${label}: ${String(e)}`);
            assert.ok(mustReject, `${label}: rejected but the policy accepts it`);
            seen.rejectedLowOrder += 1;
            continue;
          }
          assert.ok(!mustReject, `${label}: accepted but the policy rejects it`);
          assert.equal(got, t.shared, label);
          if (t.result === 'valid') seen.valid += 1;
          else seen.acceptedAcceptable += 1;
        }
      }
      assert.ok(seen.valid > 200, 'the vector file holds the full suite');
      assert.ok(seen.acceptedAcceptable > 100, 'twist and non-canonical keys are computed');
      assert.ok(seen.rejectedLowOrder >= 30, 'low-order keys are rejected');
    });
  }
});
