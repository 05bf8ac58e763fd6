import { hkdfSync } from 'node:crypto';
import { BABY_JUBJUB_SUBGROUP_ORDER } from './babyJubjub.ts';
import { CircuitsError } from './circuitsError.ts';
import { assertZkSecret } from './zkIdentity.ts';

/**
 * The domain label of the ZK-secret KDF (issue 6 item 1): the card derives its ZK identity secret
 * from its own key under this label, so the secret is bound to the card yet reveals nothing about
 * the card key, and no other use of the key can produce it.
 */
export const ZK_SECRET_KDF_LABEL = 'moltbook/zk-identity-secret/v1';

/** Bytes of key material the KDF expands to before reduction (64: bias below 2^-250). */
const OKM_BYTES = 64;

/**
 * What the identity card computes inside its secure element (firmware/; this is the reference it
 * must match byte for byte, docs/privacy.md "Identity"): HKDF-SHA256 with the card's 32-byte
 * P-256 private scalar as input key material, an empty salt and `ZK_SECRET_KDF_LABEL` as info,
 * expanded to 64 bytes, read big-endian and reduced to 1 + (x mod (l − 1)), a Baby Jubjub scalar
 * in [1, l − 1]. Only this secret leaves the card; the card key never does (stronger than §6.2,
 * which exports sk).
 *
 * @throws CircuitsError `circuits.invalid_secret` unless `cardKey` is 32 bytes.
 */
export function deriveZkSecret(cardKey: Uint8Array): bigint {
  if (!(cardKey instanceof Uint8Array) || cardKey.length !== 32)
    throw new CircuitsError('circuits.invalid_secret', 'a card key is a 32-byte P-256 scalar');
  const okm = new Uint8Array(
    hkdfSync('sha256', cardKey, new Uint8Array(0), ZK_SECRET_KDF_LABEL, OKM_BYTES),
  );
  let x = 0n;
  for (const b of okm) x = (x << 8n) | BigInt(b);
  okm.fill(0);
  return 1n + (x % (BABY_JUBJUB_SUBGROUP_ORDER - 1n));
}

/**
 * The secret as the host receives it from the card (32 bytes big-endian), checked: 0 < s < l.
 *
 * @throws CircuitsError `circuits.invalid_secret`.
 */
export function zkSecretFromCardBytes(bytes: Uint8Array): bigint {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32)
    throw new CircuitsError('circuits.invalid_secret', 'the card returns the secret as 32 bytes');
  let x = 0n;
  for (const b of bytes) x = (x << 8n) | BigInt(b);
  assertZkSecret(x);
  return x;
}
