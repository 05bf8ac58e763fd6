import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import ckzg from 'c-kzg';
import fc from 'fast-check';
import type { DaErrorCode } from '../../src/da/daError.ts';
import { DaError } from '../../src/da/daError.ts';
import type { CellsAndProofs } from '../../src/da/kzg.ts';
import {
  commitBlob,
  computeCells,
  loadKzgSetup,
  recoverCells,
  verifyBlobs,
  verifyCells,
} from '../../src/da/kzg.ts';
import * as params from '../../src/params/daParams.ts';
import { randomBlob } from './randomBlob.ts';

const isDaError = (code: DaErrorCode) => (error: unknown) =>
  error instanceof DaError && error.code === code;

const { BYTES_PER_BLOB, BYTES_PER_CELL, CELLS_PER_EXT_BLOB } = params;
const ALL_INDICES = Array.from({ length: CELLS_PER_EXT_BLOB }, (_, i) => i);

/** Flips the lowest bit of a 32-byte element: stays canonical unless it was BLS_MODULUS - 1. */
function flipLowBit(bytes: Uint8Array, element: number): Uint8Array {
  const copy = bytes.slice();
  const at = element * 32 + 31;
  copy[at] = (copy[at] as number) ^ 1;
  return copy;
}

// At module level, not in before(): describe bodies run while the file loads, before any hook.
loadKzgSetup({ precompute: 0 });

test('protocol parameters match c-kzg (EIP-4844 / EIP-7594)', () => {
  assert.equal(params.BYTES_PER_BLOB, ckzg.BYTES_PER_BLOB);
  assert.equal(params.FIELD_ELEMENTS_PER_BLOB, ckzg.FIELD_ELEMENTS_PER_BLOB);
  assert.equal(params.BYTES_PER_FIELD_ELEMENT, ckzg.BYTES_PER_FIELD_ELEMENT);
  assert.equal(params.BYTES_PER_COMMITMENT, ckzg.BYTES_PER_COMMITMENT);
  assert.equal(params.BYTES_PER_PROOF, ckzg.BYTES_PER_PROOF);
  assert.equal(params.BYTES_PER_CELL, ckzg.BYTES_PER_CELL);
  assert.equal(params.FIELD_ELEMENTS_PER_CELL, ckzg.FIELD_ELEMENTS_PER_CELL);
  assert.equal(params.CELLS_PER_EXT_BLOB, ckzg.CELLS_PER_EXT_BLOB);
});

describe('blob commitments', () => {
  const blobs = ['a', 'b', 'c'].map((label) => randomBlob(`kzg-${label}`));
  const commits = blobs.map(commitBlob);
  const commitments = commits.map((c) => c.commitment);
  const proofs = commits.map((c) => c.proof);

  test('the zero blob commits to the point at infinity (known answer)', () => {
    const { commitment, proof } = commitBlob(new Uint8Array(BYTES_PER_BLOB));
    const infinity = new Uint8Array(48);
    infinity[0] = 0xc0; // compressed G1 encoding of the identity
    assert.deepEqual(commitment, infinity);
    assert.deepEqual(proof, infinity);
  });

  test('commitments are deterministic, distinct per blob, plain Uint8Arrays', () => {
    assert.deepEqual(commitBlob(blobs[0] as Uint8Array), commits[0]);
    assert.notDeepEqual(commitments[0], commitments[1]);
    assert.equal(Object.getPrototypeOf(commitments[0]), Uint8Array.prototype);
  });

  test('blob proofs verify, singly and in a batch', () => {
    assert.equal(verifyBlobs({ blobs, commitments, proofs }), true);
    assert.equal(
      verifyBlobs({
        blobs: [blobs[1] as Uint8Array],
        commitments: [commitments[1] as Uint8Array],
        proofs: [proofs[1] as Uint8Array],
      }),
      true,
    );
    assert.equal(verifyBlobs({ blobs: [], commitments: [], proofs: [] }), true);
  });

  test('a changed blob, a swapped proof or a swapped commitment fails', () => {
    const changed = [flipLowBit(blobs[0] as Uint8Array, 100), ...blobs.slice(1)];
    assert.equal(verifyBlobs({ blobs: changed, commitments, proofs }), false);
    const swappedProofs = [proofs[1], proofs[0], proofs[2]] as Uint8Array[];
    assert.equal(verifyBlobs({ blobs, commitments, proofs: swappedProofs }), false);
    const swappedCommitments = [commitments[1], commitments[0], commitments[2]] as Uint8Array[];
    assert.equal(verifyBlobs({ blobs, commitments: swappedCommitments, proofs }), false);
  });

  test('rejects wrong sizes, non-canonical elements and bytes that are not a G1 point', () => {
    assert.throws(
      () => commitBlob(new Uint8Array(BYTES_PER_BLOB - 1)),
      isDaError('da.blob_length'),
    );
    assert.throws(
      () => commitBlob(new Uint8Array(BYTES_PER_BLOB + 1)),
      isDaError('da.blob_length'),
    );

    const modulus = new Uint8Array(32);
    let m = params.BLS_MODULUS;
    for (let i = 31; i >= 0; i--, m >>= 8n) modulus[i] = Number(m & 0xffn);
    const atModulus = new Uint8Array(BYTES_PER_BLOB);
    atModulus.set(modulus, 7 * 32);
    assert.throws(() => commitBlob(atModulus), isDaError('da.non_canonical_element'));
    const belowModulus = atModulus.slice();
    belowModulus[7 * 32 + 31] = (modulus[31] as number) - 1;
    assert.equal(commitBlob(belowModulus).commitment.length, 48);

    const base = { blobs, commitments, proofs };
    assert.throws(
      () => verifyBlobs({ ...base, proofs: proofs.slice(1) }),
      isDaError('da.batch_mismatch'),
    );
    const shortCommitment = [commitments[0]?.subarray(1), ...commitments.slice(1)] as Uint8Array[];
    assert.throws(
      () => verifyBlobs({ ...base, commitments: shortCommitment }),
      isDaError('da.commitment_length'),
    );
    const longProof = [new Uint8Array(49), ...proofs.slice(1)];
    assert.throws(() => verifyBlobs({ ...base, proofs: longProof }), isDaError('da.proof_length'));
    const notAPoint = [new Uint8Array(48).fill(0xff), ...commitments.slice(1)];
    assert.throws(
      () => verifyBlobs({ ...base, commitments: notAPoint }),
      isDaError('da.kzg_failed'),
    );
  });
});

describe('cells (EIP-7594)', () => {
  const blob = randomBlob('kzg-cells');
  const { commitment } = commitBlob(blob);
  let computed: CellsAndProofs;
  before(() => {
    computed = computeCells(blob);
  });
  const verifyAll = (cells: Uint8Array[], proofs: Uint8Array[], indices = ALL_INDICES) =>
    verifyCells({
      commitments: indices.map(() => commitment),
      cellIndices: indices,
      cells,
      proofs,
    });

  test('128 cells of 2,048 bytes; the first 64 are the blob itself', () => {
    assert.equal(computed.cells.length, CELLS_PER_EXT_BLOB);
    assert.equal(computed.proofs.length, CELLS_PER_EXT_BLOB);
    for (const cell of computed.cells) assert.equal(cell.length, BYTES_PER_CELL);
    for (const proof of computed.proofs) assert.equal(proof.length, 48);
    const firstHalf = new Uint8Array(BYTES_PER_BLOB);
    computed.cells.slice(0, 64).forEach((cell, i) => {
      firstHalf.set(cell, i * BYTES_PER_CELL);
    });
    assert.deepEqual(firstHalf, blob);
  });

  test('all cells batch-verify against the blob commitment', () => {
    assert.equal(verifyAll(computed.cells, computed.proofs), true);
  });

  test('a tampered cell, a swapped proof, a wrong index or another commitment fails', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: CELLS_PER_EXT_BLOB - 1 }),
        fc.integer({ min: 0, max: 63 }),
        (cellIndex, element) => {
          const cells = [...computed.cells];
          cells[cellIndex] = flipLowBit(cells[cellIndex] as Uint8Array, element);
          assert.equal(verifyAll(cells, computed.proofs), false);
        },
      ),
      { numRuns: 5 },
    );
    const proofs = [...computed.proofs];
    [proofs[3], proofs[4]] = [proofs[4] as Uint8Array, proofs[3] as Uint8Array];
    assert.equal(verifyAll(computed.cells, proofs), false);
    const one = {
      cells: [computed.cells[5] as Uint8Array],
      proofs: [computed.proofs[5] as Uint8Array],
    };
    assert.equal(verifyAll(one.cells, one.proofs, [5]), true);
    assert.equal(verifyAll(one.cells, one.proofs, [6]), false);
    const other = commitBlob(randomBlob('kzg-other')).commitment;
    assert.equal(
      verifyCells({ commitments: [other], cellIndices: [5], cells: one.cells, proofs: one.proofs }),
      false,
    );
  });

  test('rejects wrong sizes and out-of-range indices', () => {
    const cell = computed.cells[0] as Uint8Array;
    const proof = computed.proofs[0] as Uint8Array;
    const ok = { commitments: [commitment], cellIndices: [0], cells: [cell], proofs: [proof] };
    assert.throws(
      () => verifyCells({ ...ok, cells: [cell.subarray(1)] }),
      isDaError('da.cell_length'),
    );
    assert.throws(
      () => verifyCells({ ...ok, proofs: [proof.subarray(1)] }),
      isDaError('da.proof_length'),
    );
    for (const bad of [-1, 128, 0.5]) {
      assert.throws(() => verifyCells({ ...ok, cellIndices: [bad] }), isDaError('da.cell_index'));
    }
    assert.throws(
      () => verifyCells({ ...ok, cellIndices: [0, 1] }),
      isDaError('da.batch_mismatch'),
    );
    assert.throws(() => computeCells(new Uint8Array(10)), isDaError('da.blob_length'));
  });

  test('any 64 cells recover all 128 cells and proofs', () => {
    const recoverFrom = (indices: number[]) => {
      const recovered = recoverCells(
        indices,
        indices.map((i) => computed.cells[i] as Uint8Array),
      );
      assert.deepEqual(recovered.cells, computed.cells);
      assert.deepEqual(recovered.proofs, computed.proofs);
    };
    // Fixed: only the extension (parity) half, and every odd cell.
    recoverFrom(ALL_INDICES.slice(64));
    recoverFrom(ALL_INDICES.filter((i) => i % 2 === 1));
    // Random subsets in random order.
    fc.assert(
      fc.property(fc.shuffledSubarray(ALL_INDICES, { minLength: 64, maxLength: 64 }), recoverFrom),
      { numRuns: 3 },
    );
  });

  test('recovery rejects too few, repeated or out-of-range cells', () => {
    const take = (indices: number[]) => indices.map((i) => computed.cells[i] as Uint8Array);
    const first63 = ALL_INDICES.slice(0, 63);
    assert.throws(() => recoverCells(first63, take(first63)), isDaError('da.too_few_cells'));
    const repeated = [...first63, 0];
    assert.throws(() => recoverCells(repeated, take(repeated)), isDaError('da.cell_index'));
    const outOfRange = [...first63, 128];
    assert.throws(
      () => recoverCells(outOfRange, take(first63).concat(take([0]))),
      isDaError('da.cell_index'),
    );
    assert.throws(
      () => recoverCells(first63, take(ALL_INDICES.slice(0, 64))),
      isDaError('da.batch_mismatch'),
    );
  });
});
