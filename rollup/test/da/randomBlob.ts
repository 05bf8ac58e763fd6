import { hash } from 'node:crypto';
import { blobCodec } from '../../src/da/blobCodec.ts';
import { PAYLOAD_BYTES_PER_BLOB } from '../../src/params/daParams.ts';

/** Deterministic pseudo-random bytes: SHA-256(label ‖ u32be(i)) blocks, concatenated. */
export function randomBytes(length: number, label: string): Uint8Array {
  const out = new Uint8Array(length);
  const prefix = new TextEncoder().encode(label);
  const input = new Uint8Array(prefix.length + 4);
  input.set(prefix);
  const view = new DataView(input.buffer);
  for (let block = 0, at = 0; at < length; block++, at += 32) {
    view.setUint32(prefix.length, block);
    out.set(hash('sha256', input, 'buffer').subarray(0, Math.min(32, length - at)), at);
  }
  return out;
}

/** A full blob (every payload byte used) of pseudo-random content, canonical by construction. */
export function randomBlob(label: string): Uint8Array {
  const [blob] = blobCodec.encode(randomBytes(PAYLOAD_BYTES_PER_BLOB, label));
  if (blob === undefined) throw new Error('a full payload encodes to one blob');
  return blob;
}
