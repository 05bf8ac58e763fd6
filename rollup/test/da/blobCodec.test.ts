import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { blobCodec } from '../../src/da/blobCodec.ts';
import type { DaErrorCode } from '../../src/da/daError.ts';
import { DaError } from '../../src/da/daError.ts';
import {
  BYTES_PER_BLOB,
  BYTES_PER_FIELD_ELEMENT,
  FIELD_ELEMENTS_PER_BLOB,
  MAX_PAYLOAD_BYTES,
  PAYLOAD_BYTES_PER_BLOB,
} from '../../src/params/daParams.ts';
import { randomBytes } from './randomBlob.ts';

const isDaError = (code: DaErrorCode) => (error: unknown) =>
  error instanceof DaError && error.code === code;

const FULL = PAYLOAD_BYTES_PER_BLOB;
const BOUNDARY_SIZES = [0, 1, 30, 31, 32, FULL - 1, FULL, FULL + 1, 2 * FULL, 2 * FULL + 31];

describe('blobCodec', () => {
  test('round-trips payloads of 0..300 KB, canonically', () => {
    const size = fc.oneof(fc.constantFrom(...BOUNDARY_SIZES), fc.integer({ min: 0, max: 300_000 }));
    fc.assert(
      fc.property(size, fc.nat(), (length, seed) => {
        const payload = randomBytes(length, `payload-${seed}`);
        const blobs = blobCodec.encode(payload);
        assert.equal(blobs.length, Math.max(1, Math.ceil(length / FULL)));
        for (const blob of blobs) {
          assert.equal(blob.length, BYTES_PER_BLOB);
          for (let e = 0; e < FIELD_ELEMENTS_PER_BLOB; e++) {
            assert.equal(blob[e * BYTES_PER_FIELD_ELEMENT], 0);
          }
        }
        const decoded = blobCodec.decode(blobs);
        assert.deepEqual(decoded, payload);
        // One encoding per payload: re-encoding the decoded bytes gives the same blobs.
        assert.deepEqual(blobCodec.encode(decoded), blobs);
      }),
      { numRuns: 40 },
    );
  });

  test('lays out a small payload as documented (frozen vector)', () => {
    const [blob, ...rest] = blobCodec.encode(new TextEncoder().encode('hello'));
    assert.equal(rest.length, 0);
    assert.ok(blob);
    // Header element: 0x00, version 1, index 0, count 1, length 5 (u32 BE), zeros.
    assert.deepEqual([...blob.subarray(0, 10)], [0, 1, 0, 0, 0, 1, 0, 0, 0, 5]);
    assert.ok(blob.subarray(10, 33).every((b) => b === 0));
    // First payload element: 0x00 then 'hello', then zeros to the end of the blob.
    assert.equal(new TextDecoder().decode(blob.subarray(33, 38)), 'hello');
    assert.ok(blob.subarray(38).every((b) => b === 0));
  });

  test('a payload crossing a blob boundary writes index and count in every header', () => {
    const blobs = blobCodec.encode(randomBytes(FULL + 1, 'two'));
    assert.equal(blobs.length, 2);
    assert.deepEqual([...(blobs[1]?.subarray(0, 10) ?? [])], [0, 1, 0, 1, 0, 2, 0, 1, 0xef, 0xe2]);
    // The second blob holds exactly one payload byte, at byte 1 of element 1.
    assert.ok(blobs[1]?.subarray(34).every((b) => b === 0));
  });

  test('rejects a payload longer than the u32 length field', () => {
    assert.throws(
      () => blobCodec.blobCount(MAX_PAYLOAD_BYTES + 1),
      isDaError('da.payload_too_large'),
    );
    assert.equal(blobCodec.blobCount(MAX_PAYLOAD_BYTES), Math.ceil(MAX_PAYLOAD_BYTES / FULL));
  });

  describe('rejects malformed blobs', () => {
    const payload = randomBytes(FULL + 1000, 'malformed');
    const fresh = () => blobCodec.encode(payload);

    test('no blobs, or a blob of the wrong length', () => {
      assert.throws(() => blobCodec.decode([]), isDaError('da.no_blobs'));
      const [first, second] = fresh();
      assert.ok(first && second);
      assert.throws(
        () => blobCodec.decode([first, second.subarray(1)]),
        isDaError('da.blob_length'),
      );
      const longer = new Uint8Array(BYTES_PER_BLOB + 32);
      longer.set(second);
      assert.throws(() => blobCodec.decode([first, longer]), isDaError('da.blob_length'));
    });

    test('a field element with its top byte set (any element)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 1 }),
          fc.integer({ min: 0, max: FIELD_ELEMENTS_PER_BLOB - 1 }),
          fc.integer({ min: 1, max: 255 }),
          (blobIndex, element, value) => {
            const blobs = fresh();
            const blob = blobs[blobIndex];
            assert.ok(blob);
            blob[element * BYTES_PER_FIELD_ELEMENT] = value;
            assert.throws(() => blobCodec.decode(blobs), isDaError('da.non_canonical_element'));
          },
        ),
        { numRuns: 20 },
      );
    });

    test('an unknown codec version', () => {
      const blobs = fresh();
      (blobs[0] as Uint8Array)[1] = 2;
      assert.throws(() => blobCodec.decode(blobs), isDaError('da.unsupported_version'));
    });

    test('blobs out of order, missing, or with a header that disagrees', () => {
      const [first, second] = fresh();
      assert.ok(first && second);
      assert.throws(() => blobCodec.decode([second, first]), isDaError('da.bad_header'));
      assert.throws(() => blobCodec.decode([first]), isDaError('da.bad_header'));
      assert.throws(() => blobCodec.decode([first, second, second]), isDaError('da.bad_header'));
      const lying = fresh();
      (lying[1] as Uint8Array)[9] = 0; // second header claims another length (…c9 → …00)
      assert.throws(() => blobCodec.decode(lying), isDaError('da.bad_header'));
      const reserved = fresh();
      (reserved[0] as Uint8Array)[20] = 1; // a reserved header byte
      assert.throws(() => blobCodec.decode(reserved), isDaError('da.bad_header'));
    });

    test('non-zero bytes after the end of the payload', () => {
      const endInBlob = 1000; // payload bytes in the second blob
      const lastElement = 1 + Math.floor(endInBlob / 31);
      const inLastElement = 1 + (endInBlob % 31);
      for (const byte of [
        lastElement * BYTES_PER_FIELD_ELEMENT + inLastElement, // same element, after the end
        (lastElement + 1) * BYTES_PER_FIELD_ELEMENT + 1, // the next element
        BYTES_PER_BLOB - 1, // the very last byte
      ]) {
        const blobs = fresh();
        (blobs[1] as Uint8Array)[byte] = 1;
        assert.throws(
          () => blobCodec.decode(blobs),
          isDaError('da.non_zero_padding'),
          `byte ${byte}`,
        );
      }
      // ... while the last payload byte itself is data.
      const blobs = fresh();
      const lastData = lastElement * BYTES_PER_FIELD_ELEMENT + inLastElement - 1;
      const flipped = ((payload.at(-1) as number) ^ 0xff) & 0xff;
      (blobs[1] as Uint8Array)[lastData] = flipped;
      assert.equal(blobCodec.decode(blobs)[payload.length - 1], flipped);
    });
  });
});
