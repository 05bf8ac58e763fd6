import {
  BLS_MODULUS,
  BYTES_PER_BLOB,
  BYTES_PER_FIELD_ELEMENT,
  FIELD_ELEMENTS_PER_BLOB,
} from '../params/daParams.ts';
import { DaError } from './daError.ts';

const MODULUS_BYTES = toBytes32(BLS_MODULUS);

/**
 * Checks a blob at the KZG edge: exactly BYTES_PER_BLOB bytes, and every 32-byte big-endian field
 * element below BLS_MODULUS (EIP-4844 `blob_to_polynomial`). c-kzg rejects such blobs too, but only
 * with a bare C_KZG_BADARGS; this names the element.
 */
export function assertKzgBlob(blob: Uint8Array, index = 0): void {
  if (!(blob instanceof Uint8Array) || blob.length !== BYTES_PER_BLOB) {
    throw new DaError('da.blob_length', `blob ${index} is not ${BYTES_PER_BLOB} bytes`, {
      details: { blob: index, length: blob instanceof Uint8Array ? blob.length : -1 },
    });
  }
  for (let element = 0; element < FIELD_ELEMENTS_PER_BLOB; element++) {
    if (!isBelowModulus(blob, element * BYTES_PER_FIELD_ELEMENT)) {
      throw new DaError('da.non_canonical_element', `blob ${index} element ${element} ≥ modulus`, {
        details: { blob: index, element },
      });
    }
  }
}

function isBelowModulus(blob: Uint8Array, offset: number): boolean {
  for (let i = 0; i < BYTES_PER_FIELD_ELEMENT; i++) {
    const a = blob[offset + i] as number;
    const m = MODULUS_BYTES[i] as number;
    if (a !== m) return a < m;
  }
  return false; // equal to the modulus
}

function toBytes32(value: bigint): Uint8Array {
  const out = new Uint8Array(BYTES_PER_FIELD_ELEMENT);
  let v = value;
  for (let i = BYTES_PER_FIELD_ELEMENT - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
