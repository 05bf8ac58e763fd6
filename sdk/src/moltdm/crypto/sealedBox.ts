import { checkBytes, concatBytes, zeroize } from './bytes.ts';
import { DOMAINS, MAX_PLAINTEXT_BYTES } from './constants.ts';
import { MoltdmCryptoError } from './errors.ts';
import type { CryptoProvider } from './provider.ts';
import { decodeSealedBox, encodeSealedBoxHeader } from './wire.ts';

/**
 * Anonymous encryption to an X25519 public key (the pairing link bundle travels this way, to the
 * new device's key): an ephemeral key pair, DH with the recipient, then
 *   key || nonce = HKDF(salt = 0^32, ikm = DH(e, R),
 *                       info = moltdm/sealed-box/v1 || 0x00 || ephemeralPub || recipientPub, 44)
 *   ciphertext  = AES-256-GCM(key, nonce, plaintext, AD = header || context)
 * The caller's `context` (e.g. pairing token and device id) is authenticated, not sent.
 */

const ZERO_SALT = new Uint8Array(32);

async function boxKeys(
  p: CryptoProvider,
  shared: Uint8Array,
  ephemeralKey: Uint8Array,
  recipientKey: Uint8Array,
): Promise<{ key: Uint8Array; nonce: Uint8Array }> {
  const out = await p.hkdfSha256(
    shared,
    ZERO_SALT,
    concatBytes(DOMAINS.sealedBox, ephemeralKey, recipientKey),
    44,
  );
  const keys = { key: out.slice(0, 32), nonce: out.slice(32) };
  zeroize(out);
  return keys;
}

export async function sealBox(
  p: CryptoProvider,
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
  context: Uint8Array = new Uint8Array(),
): Promise<Uint8Array> {
  checkBytes('recipient public key', recipientPublicKey, 32);
  checkBytes('plaintext', plaintext);
  checkBytes('context', context);
  if (plaintext.length > MAX_PLAINTEXT_BYTES) {
    throw new MoltdmCryptoError('crypto.bad_argument', 'plaintext larger than 1 MiB');
  }
  const ephemeral = await p.x25519Generate();
  let shared: Uint8Array | undefined;
  let keys: { key: Uint8Array; nonce: Uint8Array } | undefined;
  try {
    shared = await p.x25519(ephemeral.privateKey, recipientPublicKey);
    keys = await boxKeys(p, shared, ephemeral.publicKey, recipientPublicKey);
    const header = encodeSealedBoxHeader(ephemeral.publicKey);
    const ciphertext = await p.aesGcmEncrypt(
      keys.key,
      keys.nonce,
      plaintext,
      concatBytes(header, context),
    );
    return concatBytes(header, ciphertext);
  } finally {
    zeroize(ephemeral.privateKey, shared, keys?.key, keys?.nonce);
  }
}

/**
 * Opens a sealed box with the recipient's private key. Malformed bytes are `crypto.malformed`,
 * a low-order ephemeral key `crypto.low_order_point`, any tampering (or another recipient, or
 * another context) `crypto.decrypt_failed`.
 */
export async function openSealedBox(
  p: CryptoProvider,
  recipientPrivateKey: Uint8Array,
  message: Uint8Array,
  context: Uint8Array = new Uint8Array(),
): Promise<Uint8Array> {
  checkBytes('context', context);
  const box = decodeSealedBox(message);
  const recipientPublicKey = await p.x25519PublicKey(recipientPrivateKey);
  const shared = await p.x25519(recipientPrivateKey, box.ephemeralKey);
  let keys: { key: Uint8Array; nonce: Uint8Array } | undefined;
  try {
    keys = await boxKeys(p, shared, box.ephemeralKey, recipientPublicKey);
    return await p.aesGcmDecrypt(
      keys.key,
      keys.nonce,
      box.ciphertext,
      concatBytes(box.header, context),
    );
  } finally {
    zeroize(shared, keys?.key, keys?.nonce);
  }
}
