import { concatBytes, zeroize } from './bytes.ts';
import { DOMAINS, LABELS } from './constants.ts';
import { expandMessageKey } from './kdf.ts';
import type { CryptoProvider } from './provider.ts';

/**
 * What a sender-key message binds, shared by sender and receivers:
 *  - AEAD: key and nonce from HKDF(mk, info = moltdm/sender-key-message/v1); AD =
 *    len(conversationId) || conversationId || header (version, kind, key version, index).
 *  - Signature (Ed25519, sender key's signing key) over moltdm/sender-key-signature/v1 || 0x00 ||
 *    len(conversationId) || conversationId || header || ciphertext.
 * The conversation id is bound without travelling: a message moved to another conversation fails.
 */

export function senderKeySignaturePayload(
  conversationId: Uint8Array,
  signed: Uint8Array,
): Uint8Array {
  return concatBytes(DOMAINS.senderKeySignature, conversationId, signed);
}

export async function sealSenderKeyMessage(
  p: CryptoProvider,
  messageKey: Uint8Array,
  conversationId: Uint8Array,
  header: Uint8Array,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  const k = await expandMessageKey(p, messageKey, LABELS.senderKeyMessage);
  try {
    return await p.aesGcmEncrypt(k.key, k.nonce, plaintext, concatBytes(conversationId, header));
  } finally {
    zeroize(k.key, k.nonce);
  }
}

export async function openSenderKeyMessage(
  p: CryptoProvider,
  messageKey: Uint8Array,
  conversationId: Uint8Array,
  header: Uint8Array,
  ciphertext: Uint8Array,
): Promise<Uint8Array> {
  const k = await expandMessageKey(p, messageKey, LABELS.senderKeyMessage);
  try {
    return await p.aesGcmDecrypt(k.key, k.nonce, ciphertext, concatBytes(conversationId, header));
  } finally {
    zeroize(k.key, k.nonce);
  }
}
