/**
 * Ed25519 public keys the relay accepts as signing keys. node:crypto (OpenSSL) verifies
 * signatures under small-order keys, and for those a signature can be made without any private
 * key (e.g. R = identity, S = 0 verifies for every message under the identity point). So the
 * relay refuses, as libsodium's `crypto_sign_verify_detached` does, the small-order points and
 * every non-canonical encoding (y ≥ p) at registration and pairing, which keeps "only the key
 * holder can sign for this id" true.
 */

/** The small-order points with the sign bit cleared, as libsodium lists them. */
const SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000', // y = 0 (order 4)
  '0100000000000000000000000000000000000000000000000000000000000000', // y = 1 (identity)
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p − 1 (order 2)
];

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** y ≥ p = 2^255 − 19 (little-endian, sign bit ignored): a second spelling of some y − p. */
function nonCanonical(k: Uint8Array): boolean {
  if (((k[31] as number) & 0x7f) !== 0x7f) return false;
  for (let i = 30; i >= 1; i--) if (k[i] !== 0xff) return false;
  return (k[0] as number) >= 0xed;
}

export function isAcceptableEd25519PublicKey(k: Uint8Array): boolean {
  if (k.length !== 32 || nonCanonical(k)) return false;
  const masked = new Uint8Array(k);
  masked[31] = (masked[31] as number) & 0x7f;
  return !SMALL_ORDER.includes(hex(masked));
}
