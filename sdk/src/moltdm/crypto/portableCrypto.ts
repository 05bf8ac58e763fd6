import { gcm } from '@noble/ciphers/aes.js';
import { ed25519, x25519 } from '@noble/curves/ed25519';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { checkBytes, checkPrivateKey, isAllZero } from './bytes.ts';
import { checkAesGcm, checkHkdf, checkRandomLength } from './checks.ts';
import { MoltdmCryptoError } from './errors.ts';
import { AES_TAG_LENGTH, type CryptoProvider, type KeyPair } from './provider.ts';

/**
 * Pure-JS provider on @noble (browsers, and anywhere node:crypto is missing). Nothing this file
 * imports, transitively, imports a `node:` module (checked by a test over the browser import
 * graph). Randomness comes from WebCrypto's getRandomValues, present in browsers and Node ≥ 19.
 */

function randomBytesSync(length: number): Uint8Array {
  checkRandomLength(length);
  const out = new Uint8Array(length);
  globalThis.crypto.getRandomValues(out);
  return out;
}

/**
 * RFC 7748 §5: the top bit is masked and u-coordinates in [p, 2^255) MUST be accepted as their
 * value mod p. noble 1.9 refuses the latter, so reduce here (u - p is then 0..18): both providers
 * then compute the same result for every Wycheproof key. Public keys are public: no need for
 * constant time.
 */
function canonicalU(publicKey: Uint8Array): Uint8Array {
  const u = Uint8Array.from(publicKey);
  u[31] = (u[31] as number) & 0x7f;
  let high = u[31] === 0x7f && (u[0] as number) >= 0xed;
  for (let i = 1; high && i < 31; i++) high = u[i] === 0xff;
  if (!high) return u;
  const out = new Uint8Array(32);
  out[0] = (u[0] as number) - 0xed;
  return out;
}

function x25519PublicKey(privateKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(checkPrivateKey('X25519 private key', privateKey));
}

function ed25519PublicKey(privateKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(checkPrivateKey('Ed25519 private key', privateKey));
}

export const portableCrypto: CryptoProvider = {
  name: 'portable',
  async randomBytes(length) {
    return randomBytesSync(length);
  },
  async sha256(data) {
    return sha256(checkBytes('data', data));
  },
  async hmacSha256(key, data) {
    return hmac(sha256, checkBytes('HMAC key', key), checkBytes('HMAC data', data));
  },
  async hkdfSha256(ikm, salt, info, length) {
    checkHkdf(ikm, salt, info, length);
    return hkdf(sha256, ikm, salt, info, length);
  },
  async aesGcmEncrypt(key, nonce, plaintext, associatedData) {
    checkAesGcm(key, nonce, plaintext, associatedData);
    return gcm(key, nonce, associatedData).encrypt(plaintext);
  },
  async aesGcmDecrypt(key, nonce, ciphertext, associatedData) {
    checkAesGcm(key, nonce, ciphertext, associatedData);
    if (ciphertext.length < AES_TAG_LENGTH) {
      throw new MoltdmCryptoError('crypto.decrypt_failed', 'ciphertext shorter than the tag');
    }
    try {
      return gcm(key, nonce, associatedData).decrypt(ciphertext);
    } catch (cause) {
      throw new MoltdmCryptoError('crypto.decrypt_failed', 'AES-GCM tag mismatch', { cause });
    }
  },
  async x25519Generate(): Promise<KeyPair> {
    const privateKey = randomBytesSync(32);
    return { privateKey, publicKey: x25519PublicKey(privateKey) };
  },
  async x25519PublicKey(privateKey) {
    return x25519PublicKey(privateKey);
  },
  async x25519(privateKey, publicKey) {
    checkPrivateKey('X25519 private key', privateKey);
    checkBytes('X25519 public key', publicKey, 32);
    let shared: Uint8Array;
    try {
      shared = x25519.getSharedSecret(privateKey, canonicalU(publicKey));
    } catch (cause) {
      // Lengths are checked, so noble only refuses an all-zero result (RFC 7748 §6.1).
      throw new MoltdmCryptoError('crypto.low_order_point', 'X25519 result is all zero', {
        cause,
      });
    }
    if (isAllZero(shared)) {
      throw new MoltdmCryptoError('crypto.low_order_point', 'X25519 result is all zero');
    }
    return shared;
  },
  async ed25519Generate(): Promise<KeyPair> {
    const privateKey = randomBytesSync(32);
    return { privateKey, publicKey: ed25519PublicKey(privateKey) };
  },
  async ed25519PublicKey(privateKey) {
    return ed25519PublicKey(privateKey);
  },
  async ed25519Sign(privateKey, message) {
    return ed25519.sign(
      checkBytes('message', message),
      checkPrivateKey('Ed25519 private key', privateKey),
    );
  },
  async ed25519Verify(publicKey, message, signature) {
    if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
    if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
    if (!(message instanceof Uint8Array)) return false;
    try {
      // zip215: false = RFC 8032 strict decoding, the rule node:crypto (OpenSSL) applies.
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
};
