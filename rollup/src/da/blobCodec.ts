import {
  BLOB_CODEC_VERSION,
  BYTES_PER_BLOB,
  BYTES_PER_FIELD_ELEMENT,
  FIELD_ELEMENTS_PER_BLOB,
  HEADER_FIELD_ELEMENTS_PER_BLOB,
  MAX_PAYLOAD_BYTES,
  PAYLOAD_BYTES_PER_BLOB,
  USABLE_BYTES_PER_FIELD_ELEMENT,
} from '../params/daParams.ts';
import { DaError } from './daError.ts';

/**
 * Packs arbitrary bytes into EIP-4844 blobs and back (pure).
 *
 * Layout of every blob (4,096 field elements of 32 bytes):
 * - byte 0 of every element is 0x00, so each element is < 2^248 and canonical;
 * - element 0 is the header: [0x00, version u8, blob index u16, blob count u16, payload length
 *   u32, 22 zero bytes], integers big-endian;
 * - elements 1..4095 carry payload bytes 31 at a time (bytes 1..31 of the element); blob i holds
 *   payload bytes [i·126,945, (i+1)·126,945); everything after the payload's end is zero.
 *
 * An empty payload is one blob with length 0. Decoding checks every byte that the layout fixes, so
 * each payload has exactly one encoding: `encode(decode(blobs))` reproduces `blobs` byte for byte,
 * and a commitment to the blobs is a commitment to the payload.
 */
export const blobCodec = {
  /** Number of blobs `encode` produces for a payload of `length` bytes. */
  blobCount(length: number): number {
    assertPayloadLength(length);
    return Math.max(1, Math.ceil(length / PAYLOAD_BYTES_PER_BLOB));
  },

  encode(payload: Uint8Array): Uint8Array[] {
    const count = blobCodec.blobCount(payload.length);
    const blobs: Uint8Array[] = [];
    for (let index = 0; index < count; index++) {
      const blob = new Uint8Array(BYTES_PER_BLOB);
      writeHeader(blob, index, count, payload.length);
      const start = index * PAYLOAD_BYTES_PER_BLOB;
      const end = Math.min(payload.length, start + PAYLOAD_BYTES_PER_BLOB);
      let element = HEADER_FIELD_ELEMENTS_PER_BLOB;
      for (let from = start; from < end; from += USABLE_BYTES_PER_FIELD_ELEMENT) {
        const chunk = payload.subarray(from, Math.min(end, from + USABLE_BYTES_PER_FIELD_ELEMENT));
        blob.set(chunk, element * BYTES_PER_FIELD_ELEMENT + 1);
        element++;
      }
      blobs.push(blob);
    }
    return blobs;
  },

  /** Inverse of `encode`; the blobs must be exactly one payload's, in order. */
  decode(blobs: readonly Uint8Array[]): Uint8Array {
    // 1. Shape: at least one blob, each exactly BYTES_PER_BLOB.
    const first = blobs[0];
    if (first === undefined) throw new DaError('da.no_blobs', 'no blobs to decode');
    blobs.forEach(assertBlobLength);
    // 2. Every element canonical (top byte zero).
    blobs.forEach(assertTopBytesZero);
    // 3. The first header fixes length and count; every header must agree with them.
    const length = readU32(first, 6);
    if (blobCodec.blobCount(length) !== blobs.length) {
      throw new DaError('da.bad_header', 'payload length does not match the number of blobs', {
        details: { length, blobs: blobs.length },
      });
    }
    const payload = new Uint8Array(length);
    blobs.forEach((blob, index) => {
      assertHeader(blob, index, blobs.length, length);
      // 4. Payload bytes out, then the padding after the payload's end must be zero.
      const start = index * PAYLOAD_BYTES_PER_BLOB;
      const end = Math.min(length, start + PAYLOAD_BYTES_PER_BLOB);
      let element = HEADER_FIELD_ELEMENTS_PER_BLOB;
      for (let to = start; to < end; to += USABLE_BYTES_PER_FIELD_ELEMENT) {
        const n = Math.min(USABLE_BYTES_PER_FIELD_ELEMENT, end - to);
        const at = element * BYTES_PER_FIELD_ELEMENT + 1;
        payload.set(blob.subarray(at, at + n), to);
        assertZero(
          blob,
          at + n,
          (element + 1) * BYTES_PER_FIELD_ELEMENT,
          index,
          'da.non_zero_padding',
        );
        element++;
      }
      assertZero(
        blob,
        element * BYTES_PER_FIELD_ELEMENT,
        BYTES_PER_BLOB,
        index,
        'da.non_zero_padding',
      );
    });
    return payload;
  },
} as const;

const HEADER_USED_BYTES = 10;

function assertPayloadLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_PAYLOAD_BYTES) {
    throw new DaError('da.payload_too_large', `payload of ${length} bytes exceeds the u32 length`, {
      details: { length, max: MAX_PAYLOAD_BYTES },
    });
  }
}

function writeHeader(blob: Uint8Array, index: number, count: number, length: number): void {
  const view = new DataView(blob.buffer, blob.byteOffset, BYTES_PER_FIELD_ELEMENT);
  view.setUint8(1, BLOB_CODEC_VERSION);
  view.setUint16(2, index);
  view.setUint16(4, count);
  view.setUint32(6, length);
}

function assertHeader(blob: Uint8Array, index: number, count: number, length: number): void {
  const view = new DataView(blob.buffer, blob.byteOffset, BYTES_PER_FIELD_ELEMENT);
  const version = view.getUint8(1);
  if (version !== BLOB_CODEC_VERSION) {
    throw new DaError('da.unsupported_version', `blob ${index} has codec version ${version}`, {
      details: { blob: index, version, expected: BLOB_CODEC_VERSION },
    });
  }
  const got = { index: view.getUint16(2), count: view.getUint16(4), length: view.getUint32(6) };
  if (got.index !== index || got.count !== count || got.length !== length) {
    throw new DaError('da.bad_header', `blob ${index} header disagrees with its position`, {
      details: {
        blob: index,
        headerIndex: got.index,
        headerCount: got.count,
        headerLength: got.length,
      },
    });
  }
  assertZero(blob, HEADER_USED_BYTES, BYTES_PER_FIELD_ELEMENT, index, 'da.bad_header');
}

function assertBlobLength(blob: Uint8Array, index: number): void {
  if (blob.length !== BYTES_PER_BLOB) {
    throw new DaError('da.blob_length', `blob ${index} is ${blob.length} bytes`, {
      details: { blob: index, length: blob.length, expected: BYTES_PER_BLOB },
    });
  }
}

function assertTopBytesZero(blob: Uint8Array, index: number): void {
  for (let element = 0; element < FIELD_ELEMENTS_PER_BLOB; element++) {
    if (blob[element * BYTES_PER_FIELD_ELEMENT] !== 0) {
      throw new DaError(
        'da.non_canonical_element',
        `blob ${index} element ${element} top byte set`,
        {
          details: { blob: index, element },
        },
      );
    }
  }
}

function assertZero(
  blob: Uint8Array,
  from: number,
  to: number,
  index: number,
  code: 'da.non_zero_padding' | 'da.bad_header',
): void {
  for (let i = from; i < to; i++) {
    if (blob[i] !== 0) {
      throw new DaError(code, `blob ${index} byte ${i} must be zero`, {
        details: { blob: index, byte: i },
      });
    }
  }
}

function readU32(blob: Uint8Array, offset: number): number {
  return new DataView(blob.buffer, blob.byteOffset, BYTES_PER_FIELD_ELEMENT).getUint32(offset);
}
