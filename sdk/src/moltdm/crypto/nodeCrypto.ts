import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  type KeyObject,
  sign,
  verify,
  webcrypto,
} from 'node:crypto';
import { checkBytes, checkPrivateKey, isAllZero, toHex } from './bytes.ts';
import { checkAesGcm, checkHkdf, checkRandomLength } from './checks.ts';
import { MoltdmCryptoError } from './errors.ts';
import { AES_TAG_LENGTH, type CryptoProvider, type KeyPair } from './provider.ts';

// RFC 8410 DER wrappers: the raw 32-byte key follows each prefix.
const ED25519_PKCS8 = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
const X25519_PKCS8 = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);
const ED25519_SPKI = Uint8Array.from([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
]);
const X25519_SPKI = Uint8Array.from([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00,
]);

/** Public KeyObjects kept per raw key: re-importing halves Ed25519 verify speed (TOOLCHAIN.md). */
const PUBLIC_CACHE_SIZE = 512;

function der(prefix: Uint8Array, raw: Uint8Array): Buffer {
  const out = Buffer.alloc(prefix.length + raw.length);
  out.set(prefix);
  out.set(raw, prefix.length);
  return out;
}

function rawPublic(key: KeyObject): Uint8Array {
  const spki = key.export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

/**
 * Private KeyObjects are cached by the identity of the caller's Uint8Array (WeakMap), never by
 * value: no secret becomes a map key, and the KeyObject is collected with the array. A zeroed
 * array is refused before the cache is consulted (checkPrivateKey), so a discarded key cannot be
 * used through its cached KeyObject. OpenSSL's internal copy cannot be wiped from JavaScript.
 */
function privateCache(prefix: Uint8Array) {
  const cache = new WeakMap<Uint8Array, KeyObject>();
  return (raw: Uint8Array): KeyObject => {
    let key = cache.get(raw);
    if (key === undefined) {
      const encoded = der(prefix, raw);
      try {
        key = createPrivateKey({ key: encoded, format: 'der', type: 'pkcs8' });
      } finally {
        encoded.fill(0);
      }
      cache.set(raw, key);
    }
    return key;
  };
}

function publicCache(prefix: Uint8Array) {
  const cache = new Map<string, KeyObject>();
  return (raw: Uint8Array): KeyObject => {
    const id = toHex(raw);
    let key = cache.get(id);
    if (key === undefined) {
      key = createPublicKey({ key: der(prefix, raw), format: 'der', type: 'spki' });
      if (cache.size >= PUBLIC_CACHE_SIZE) {
        const oldest = cache.keys().next();
        if (oldest.done !== true) cache.delete(oldest.value);
      }
    } else {
      cache.delete(id); // re-insert: most recently used last
    }
    cache.set(id, key);
    return key;
  };
}

function randomBytesSync(length: number): Uint8Array {
  checkRandomLength(length);
  return webcrypto.getRandomValues(new Uint8Array(length));
}

/** Creates the node:crypto provider (the hot path in agents). Each call has its own key caches. */
export function createNodeCrypto(): CryptoProvider {
  const edPrivate = privateCache(ED25519_PKCS8);
  const xPrivate = privateCache(X25519_PKCS8);
  const edPublic = publicCache(ED25519_SPKI);
  const xPublic = publicCache(X25519_SPKI);

  const x25519PublicKey = (privateKey: Uint8Array): Uint8Array =>
    rawPublic(createPublicKey(xPrivate(checkPrivateKey('X25519 private key', privateKey))));
  const ed25519PublicKey = (privateKey: Uint8Array): Uint8Array =>
    rawPublic(createPublicKey(edPrivate(checkPrivateKey('Ed25519 private key', privateKey))));

  return {
    name: 'node',
    async randomBytes(length) {
      return randomBytesSync(length);
    },
    async sha256(data) {
      return new Uint8Array(createHash('sha256').update(checkBytes('data', data)).digest());
    },
    async hmacSha256(key, data) {
      checkBytes('HMAC key', key);
      checkBytes('HMAC data', data);
      return new Uint8Array(createHmac('sha256', key).update(data).digest());
    },
    async hkdfSha256(ikm, salt, info, length) {
      checkHkdf(ikm, salt, info, length);
      return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
    },
    async aesGcmEncrypt(key, nonce, plaintext, associatedData) {
      checkAesGcm(key, nonce, plaintext, associatedData);
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: AES_TAG_LENGTH });
      cipher.setAAD(associatedData);
      const head = cipher.update(plaintext);
      const tail = cipher.final();
      const out = new Uint8Array(head.length + tail.length + AES_TAG_LENGTH);
      out.set(head);
      out.set(tail, head.length);
      out.set(cipher.getAuthTag(), head.length + tail.length);
      return out;
    },
    async aesGcmDecrypt(key, nonce, ciphertext, associatedData) {
      checkAesGcm(key, nonce, ciphertext, associatedData);
      if (ciphertext.length < AES_TAG_LENGTH) {
        throw new MoltdmCryptoError('crypto.decrypt_failed', 'ciphertext shorter than the tag');
      }
      const body = ciphertext.length - AES_TAG_LENGTH;
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, {
        authTagLength: AES_TAG_LENGTH,
      });
      decipher.setAAD(associatedData);
      decipher.setAuthTag(ciphertext.subarray(body));
      const head = decipher.update(ciphertext.subarray(0, body));
      let tail: Buffer;
      try {
        tail = decipher.final();
      } catch (cause) {
        head.fill(0);
        throw new MoltdmCryptoError('crypto.decrypt_failed', 'AES-GCM tag mismatch', { cause });
      }
      const out = new Uint8Array(head.length + tail.length);
      out.set(head);
      out.set(tail, head.length);
      head.fill(0);
      return out;
    },
    async x25519Generate(): Promise<KeyPair> {
      const privateKey = randomBytesSync(32);
      return { privateKey, publicKey: x25519PublicKey(privateKey) };
    },
    async x25519PublicKey(privateKey) {
      return x25519PublicKey(privateKey);
    },
    async x25519(privateKey, publicKey) {
      const priv = xPrivate(checkPrivateKey('X25519 private key', privateKey));
      const pub = xPublic(checkBytes('X25519 public key', publicKey, 32));
      let shared: Buffer;
      try {
        shared = diffieHellman({ privateKey: priv, publicKey: pub });
      } catch (cause) {
        // The lengths are checked, so OpenSSL only refuses an all-zero result (RFC 7748 §6.1).
        throw new MoltdmCryptoError('crypto.low_order_point', 'X25519 result is all zero', {
          cause,
        });
      }
      const out = new Uint8Array(shared);
      shared.fill(0);
      if (isAllZero(out)) {
        throw new MoltdmCryptoError('crypto.low_order_point', 'X25519 result is all zero');
      }
      return out;
    },
    async ed25519Generate(): Promise<KeyPair> {
      const privateKey = randomBytesSync(32);
      return { privateKey, publicKey: ed25519PublicKey(privateKey) };
    },
    async ed25519PublicKey(privateKey) {
      return ed25519PublicKey(privateKey);
    },
    async ed25519Sign(privateKey, message) {
      const key = edPrivate(checkPrivateKey('Ed25519 private key', privateKey));
      return new Uint8Array(sign(null, checkBytes('message', message), key));
    },
    async ed25519Verify(publicKey, message, signature) {
      if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
      if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
      if (!(message instanceof Uint8Array)) return false;
      try {
        return verify(null, message, edPublic(publicKey), signature);
      } catch {
        return false;
      }
    },
  };
}

/** The shared node:crypto provider. */
export const nodeCrypto: CryptoProvider = createNodeCrypto();
