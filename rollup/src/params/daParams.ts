/**
 * Data-availability protocol constants (§9.2). The KZG sizes are fixed by the trusted setup and
 * c-kzg, so they must match EIP-4844 / EIP-7594 exactly (a test checks them against c-kzg).
 */

/** EIP-4844: a blob field element is a 32-byte big-endian integer. */
export const BYTES_PER_FIELD_ELEMENT = 32;

/** EIP-4844: field elements per blob (the polynomial degree bound of the trusted setup). */
export const FIELD_ELEMENTS_PER_BLOB = 4096;

/** EIP-4844: 4096 × 32 = 131,072 bytes (128 KiB). */
export const BYTES_PER_BLOB = FIELD_ELEMENTS_PER_BLOB * BYTES_PER_FIELD_ELEMENT;

/** EIP-4844: a KZG commitment is a compressed BLS12-381 G1 point. */
export const BYTES_PER_COMMITMENT = 48;

/** EIP-4844: a KZG proof is a compressed BLS12-381 G1 point. */
export const BYTES_PER_PROOF = 48;

/**
 * EIP-4844 BLS_MODULUS: the BLS12-381 scalar field order. A field element is canonical iff its
 * big-endian value is below it; c-kzg rejects blobs holding any other value.
 */
export const BLS_MODULUS =
  52435875175126190479447740508185965837690552500527637822603658699938581184513n;

/** EIP-7594: field elements per cell. */
export const FIELD_ELEMENTS_PER_CELL = 64;

/** EIP-7594: 64 × 32 = 2,048 bytes per cell. */
export const BYTES_PER_CELL = FIELD_ELEMENTS_PER_CELL * BYTES_PER_FIELD_ELEMENT;

/**
 * EIP-7594: the blob is Reed-Solomon extended ×2 (8,192 evaluations) and cut into 128 cells; these
 * are the erasure-coded chunks that §9.2 step 1 asks for.
 */
export const CELLS_PER_EXT_BLOB = (FIELD_ELEMENTS_PER_BLOB * 2) / FIELD_ELEMENTS_PER_CELL;

/** EIP-7594: any half of the extended blob's cells recovers all of them (rate-1/2 code). */
export const CELLS_NEEDED_FOR_RECOVERY = CELLS_PER_EXT_BLOB / 2;

/**
 * Blob codec: the top byte of every field element is zero, so every element is < 2^248 <
 * BLS_MODULUS and canonical whatever the payload holds; 31 bytes per element carry payload.
 */
export const USABLE_BYTES_PER_FIELD_ELEMENT = BYTES_PER_FIELD_ELEMENT - 1;

/** Blob codec: field element 0 of every blob is the header; the others carry payload. */
export const HEADER_FIELD_ELEMENTS_PER_BLOB = 1;

/** Blob codec: 4,095 × 31 = 126,945 payload bytes per blob. */
export const PAYLOAD_BYTES_PER_BLOB =
  (FIELD_ELEMENTS_PER_BLOB - HEADER_FIELD_ELEMENTS_PER_BLOB) * USABLE_BYTES_PER_FIELD_ELEMENT;

/** Blob codec: layout version written in every header; decoders reject any other. */
export const BLOB_CODEC_VERSION = 1;

/**
 * Blob codec: the header stores the payload length as a u32, so one payload is at most
 * 2^32 - 1 bytes (33,834 blobs; §9.2's 10 MB slot payload needs 83).
 */
export const MAX_PAYLOAD_BYTES = 0xffff_ffff;
