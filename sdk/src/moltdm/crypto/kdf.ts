import { concatBytes, zeroize } from './bytes.ts';
import { LABELS } from './constants.ts';
import type { CryptoProvider } from './provider.ts';

/**
 * The KDF chains of MoltDM, pinned by frozen known-answer vectors
 * (sdk/test/moltdm/crypto/vectors/kdf.json): change one and that test fails.
 */

const ZERO_SALT = new Uint8Array(32);
const MESSAGE_KEY_CONSTANT = Uint8Array.of(0x01);
const CHAIN_KEY_CONSTANT = Uint8Array.of(0x02);
/** X3DH §2.2: F is 32 0xFF bytes for X25519, so the KDF input never starts like a DH output. */
const X3DH_F = new Uint8Array(32).fill(0xff);

export interface RootStep {
  readonly rootKey: Uint8Array;
  readonly chainKey: Uint8Array;
}

export interface ChainStep {
  readonly messageKey: Uint8Array;
  readonly chainKey: Uint8Array;
}

export interface MessageKeys {
  /** AES-256-GCM key. */
  readonly key: Uint8Array;
  /** 96-bit nonce; deterministic is safe because every message key encrypts exactly once. */
  readonly nonce: Uint8Array;
}

/** SK = HKDF(salt = 0^32, ikm = 0xFF^32 || DH1 || DH2 || DH3 [|| DH4], info = moltdm/x3dh/v1). */
export async function kdfX3dh(
  p: CryptoProvider,
  dhOutputs: readonly Uint8Array[],
): Promise<Uint8Array> {
  const ikm = concatBytes(X3DH_F, ...dhOutputs);
  try {
    return await p.hkdfSha256(ikm, ZERO_SALT, LABELS.x3dh, 32);
  } finally {
    zeroize(ikm);
  }
}

/** KDF_RK(rk, dh) = HKDF(salt = rk, ikm = dh, info = moltdm/ratchet-root/v1, 64) → (rk', ck). */
export async function kdfRoot(
  p: CryptoProvider,
  rootKey: Uint8Array,
  dhOutput: Uint8Array,
): Promise<RootStep> {
  const out = await p.hkdfSha256(dhOutput, rootKey, LABELS.ratchetRoot, 64);
  const step = { rootKey: out.slice(0, 32), chainKey: out.slice(32, 64) };
  zeroize(out);
  return step;
}

/** KDF_CK(ck): message key = HMAC(ck, 0x01), next chain key = HMAC(ck, 0x02). */
export async function kdfChain(p: CryptoProvider, chainKey: Uint8Array): Promise<ChainStep> {
  const [messageKey, next] = await Promise.all([
    p.hmacSha256(chainKey, MESSAGE_KEY_CONSTANT),
    p.hmacSha256(chainKey, CHAIN_KEY_CONSTANT),
  ]);
  return { messageKey, chainKey: next };
}

/**
 * Message key → AES key and nonce: HKDF(salt = 0^32, ikm = mk, info = label, 44) split 32 | 12.
 * The label separates 1:1 ratchet messages from sender-key (group) messages.
 */
export async function expandMessageKey(
  p: CryptoProvider,
  messageKey: Uint8Array,
  label: Uint8Array,
): Promise<MessageKeys> {
  const out = await p.hkdfSha256(messageKey, ZERO_SALT, label, 44);
  const keys = { key: out.slice(0, 32), nonce: out.slice(32, 44) };
  zeroize(out);
  return keys;
}
