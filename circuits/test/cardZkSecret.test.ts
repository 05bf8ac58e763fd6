import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { BABY_JUBJUB_SUBGROUP_ORDER } from '../src/babyJubjub.ts';
import { deriveZkSecret, ZK_SECRET_KDF_LABEL, zkSecretFromCardBytes } from '../src/cardZkSecret.ts';
import { zkIdentity } from '../src/zkIdentity.ts';
import { hasErrorCode } from './hasErrorCode.ts';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
/** Frozen: a change of the KDF (label, salt, length, reduction) changes every card's identity. */
const FROZEN = 0x3a2ac0372cc193e8c2c87b4eefbcc99576d43ef1891243045680ca44d81ed6dn;

describe('the card’s ZK secret KDF (issue 6 item 1)', () => {
  it('matches its frozen known answer and an independent HKDF (@noble/hashes)', () => {
    assert.equal(deriveZkSecret(KEY), FROZEN);
    const okm = hkdf(
      sha256,
      KEY,
      new Uint8Array(0),
      new TextEncoder().encode(ZK_SECRET_KDF_LABEL),
      64,
    );
    const x = BigInt(`0x${Buffer.from(okm).toString('hex')}`);
    assert.equal(deriveZkSecret(KEY), 1n + (x % (BABY_JUBJUB_SUBGROUP_ORDER - 1n)));
  });

  it('any card key gives a usable secret (0 < s < l), the same every time, distinct per key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        const s = deriveZkSecret(key);
        assert.ok(s > 0n && s < BABY_JUBJUB_SUBGROUP_ORDER);
        assert.equal(deriveZkSecret(key), s);
        const other = Uint8Array.from(key);
        other[0] = (other[0] as number) ^ 1;
        assert.notEqual(deriveZkSecret(other), s);
        zkIdentity(s); // never throws for a derived secret
      }),
      { numRuns: 50 },
    );
  });

  it('refuses keys that are not 32 bytes, and secrets from the card outside (0, l)', () => {
    assert.throws(
      () => deriveZkSecret(new Uint8Array(31)),
      hasErrorCode('circuits.invalid_secret'),
    );
    const bytes = (x: bigint) =>
      Uint8Array.from(Buffer.from(x.toString(16).padStart(64, '0'), 'hex'));
    assert.equal(zkSecretFromCardBytes(bytes(FROZEN)), FROZEN);
    assert.throws(() => zkSecretFromCardBytes(bytes(0n)), hasErrorCode('circuits.invalid_secret'));
    assert.throws(
      () => zkSecretFromCardBytes(bytes(BABY_JUBJUB_SUBGROUP_ORDER)),
      hasErrorCode('circuits.invalid_secret'),
    );
    assert.throws(
      () => zkSecretFromCardBytes(new Uint8Array(33)),
      hasErrorCode('circuits.invalid_secret'),
    );
  });
});
