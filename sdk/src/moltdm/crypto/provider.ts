/**
 * The primitives MoltDM's protocols are built from, behind one small async interface so the same
 * protocol code runs on node:crypto in agents (`nodeCrypto`) and on pure-JS @noble in browsers
 * (`portableCrypto`). Both implementations check every argument at this edge, answer untrusted
 * input with a MoltdmCryptoError, and agree bit for bit (tested against Wycheproof and each other).
 */

/** A raw 32-byte key pair (X25519 scalar, or Ed25519 seed). Zero `privateKey` when discarding. */
export interface KeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

export interface CryptoProvider {
  /** `node` or `portable`; for logs and benchmark labels. */
  readonly name: string;
  /** Cryptographically secure random bytes. */
  randomBytes(length: number): Promise<Uint8Array>;
  sha256(data: Uint8Array): Promise<Uint8Array>;
  /** Full 32-byte HMAC-SHA256 tag. */
  hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  /** RFC 5869 with SHA-256; `length` in 1..8160, `info` at most 1024 bytes. */
  hkdfSha256(
    ikm: Uint8Array,
    salt: Uint8Array,
    info: Uint8Array,
    length: number,
  ): Promise<Uint8Array>;
  /** AES-256-GCM, 12-byte nonce, 16-byte tag appended: returns ciphertext || tag. */
  aesGcmEncrypt(
    key: Uint8Array,
    nonce: Uint8Array,
    plaintext: Uint8Array,
    associatedData: Uint8Array,
  ): Promise<Uint8Array>;
  /** Inverse of aesGcmEncrypt; a bad tag (or input shorter than a tag) is `crypto.decrypt_failed`. */
  aesGcmDecrypt(
    key: Uint8Array,
    nonce: Uint8Array,
    ciphertext: Uint8Array,
    associatedData: Uint8Array,
  ): Promise<Uint8Array>;
  x25519Generate(): Promise<KeyPair>;
  x25519PublicKey(privateKey: Uint8Array): Promise<Uint8Array>;
  /**
   * RFC 7748 X25519. Non-canonical and twist public keys are computed as the RFC defines; an
   * all-zero result (a low-order public key) is `crypto.low_order_point` (RFC 7748 §6.1).
   */
  x25519(privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array>;
  ed25519Generate(): Promise<KeyPair>;
  ed25519PublicKey(privateKey: Uint8Array): Promise<Uint8Array>;
  ed25519Sign(privateKey: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
  /** RFC 8032 strict verification (canonical R, A and S < L); never throws, malformed → false. */
  ed25519Verify(
    publicKey: Uint8Array,
    message: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean>;
}

/** HKDF-SHA256 can produce at most 255 blocks of 32 bytes (RFC 5869 §2.3). */
export const HKDF_MAX_LENGTH = 255 * 32;
/** node:crypto's hkdf refuses longer info; both providers share the bound so they agree. */
export const HKDF_MAX_INFO = 1024;
export const AES_KEY_LENGTH = 32;
export const AES_NONCE_LENGTH = 12;
export const AES_TAG_LENGTH = 16;
