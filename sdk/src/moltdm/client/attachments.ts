import { encodeBase64 as b64, decodeBase64 as unb64 } from '../crypto/base64.ts';
import { concatBytes, equalBytes, utf8, zeroize } from '../crypto/bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { MoltdmClientError } from './clientError.ts';
import type { AttachmentRef } from './envelope.ts';

const AD = utf8('moltdm/attachment/v1');
const NONCE = 12;
const TAG = 16;

/**
 * Encrypted attachments: a fresh random AES-256-GCM key per file, `blob = nonce ‖ ciphertext ‖
 * tag`, uploaded as is; the message carries the relay id, the key and the SHA-256 of the blob.
 * The receiver checks the hash before decrypting (a substituted blob is refused even before the
 * AEAD would refuse it, and the check names the problem).
 */
export async function encryptAttachment(
  p: CryptoProvider,
  data: Uint8Array,
): Promise<{ blob: Uint8Array; key: Uint8Array; sha256: Uint8Array }> {
  const key = await p.randomBytes(32);
  const nonce = await p.randomBytes(NONCE);
  const blob = concatBytes(nonce, await p.aesGcmEncrypt(key, nonce, data, AD));
  return { blob, key, sha256: await p.sha256(blob) };
}

export async function decryptAttachment(
  p: CryptoProvider,
  ref: AttachmentRef,
  blob: Uint8Array,
): Promise<Uint8Array> {
  if (blob.length < NONCE + TAG || !equalBytes(await p.sha256(blob), unb64(ref.sha256))) {
    throw new MoltdmClientError('client.attachment_corrupt', ref.id);
  }
  const key = unb64(ref.key);
  try {
    const data = await p.aesGcmDecrypt(key, blob.subarray(0, NONCE), blob.subarray(NONCE), AD);
    if (data.length !== ref.size) throw new MoltdmClientError('client.attachment_corrupt', 'size');
    return data;
  } finally {
    zeroize(key);
  }
}

export function attachmentRef(
  id: string,
  enc: { key: Uint8Array; sha256: Uint8Array },
  size: number,
  meta: { name?: string; type?: string },
): AttachmentRef {
  return {
    id,
    key: b64(enc.key),
    sha256: b64(enc.sha256),
    size,
    ...(meta.name === undefined ? {} : { name: meta.name }),
    ...(meta.type === undefined ? {} : { type: meta.type }),
  };
}
