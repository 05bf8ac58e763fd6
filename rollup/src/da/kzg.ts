import ckzg from 'c-kzg';
import {
  BYTES_PER_CELL,
  BYTES_PER_COMMITMENT,
  BYTES_PER_PROOF,
  CELLS_NEEDED_FOR_RECOVERY,
  CELLS_PER_EXT_BLOB,
} from '../params/daParams.ts';
import { assertKzgBlob } from './assertKzgBlob.ts';
import type { DaErrorCode } from './daError.ts';
import { DaError } from './daError.ts';

/**
 * Typed facade over c-kzg (EIP-4844 blob commitments, EIP-7594 cells). Every argument is
 * length- and range-checked here and every failure is a DaError with a stable code; outputs are
 * plain Uint8Arrays (not Buffers).
 *
 * c-kzg keeps its trusted setup in per-thread native state (N-API instance data) that can be loaded
 * once and never replaced. This module mirrors that state in `loaded`, which is per thread as well
 * (each worker gets its own module instance), so `loadKzgSetup` can be called by every user of the
 * facade and only the first call in a thread does work. All calls are synchronous and CPU-bound
 * (~40 ms for a commitment, ~170-270 ms for cells; bench/kzg.ts): on a node's main thread, use
 * KzgWorkerPool.
 */

export interface LoadKzgSetupOptions {
  /**
   * blst MSM window for cell proofs, 0..15: 0 = no tables; 8 = ~92 MiB of tables, ~1.5× faster
   * computeCells (bench/kzg.ts). It does not change blob commitments.
   */
  readonly precompute: number;
}

export type KzgSetupStatus =
  | { readonly kind: 'loaded'; readonly precompute: number }
  /** `precompute` is null when the setup was loaded behind the facade's back (c-kzg directly). */
  | { readonly kind: 'alreadyLoaded'; readonly precompute: number | null };

export interface BlobCommitment {
  readonly commitment: Uint8Array;
  /** EIP-4844 blob proof: opens the commitment at the Fiat-Shamir point of the blob. */
  readonly proof: Uint8Array;
}

export interface CellsAndProofs {
  /** CELLS_PER_EXT_BLOB cells of BYTES_PER_CELL, cell i at index i. */
  readonly cells: Uint8Array[];
  readonly proofs: Uint8Array[];
}

export interface VerifyBlobsParameters {
  readonly blobs: readonly Uint8Array[];
  readonly commitments: readonly Uint8Array[];
  readonly proofs: readonly Uint8Array[];
}

export interface VerifyCellsParameters {
  /** The commitment of the blob each cell belongs to (one entry per cell). */
  readonly commitments: readonly Uint8Array[];
  readonly cellIndices: readonly number[];
  readonly cells: readonly Uint8Array[];
  readonly proofs: readonly Uint8Array[];
}

let loaded: { readonly precompute: number | null } | undefined;

/** Loads the mainnet trusted setup into this thread's c-kzg; idempotent (~1.5 s the first time). */
export function loadKzgSetup(opts: LoadKzgSetupOptions): KzgSetupStatus {
  const { precompute } = opts;
  if (!Number.isInteger(precompute) || precompute < 0 || precompute > 15) {
    throw new DaError('da.bad_precompute', 'precompute must be an integer in [0, 15]', {
      details: { precompute: String(precompute) },
    });
  }
  if (loaded === undefined) {
    try {
      ckzg.loadTrustedSetup(precompute);
      loaded = { precompute };
      return { kind: 'loaded', precompute };
    } catch (cause) {
      if (!messageOf(cause).includes('already loaded')) throw kzgFailure('loadTrustedSetup', cause);
      loaded = { precompute: null };
    }
  }
  if (loaded.precompute !== null && loaded.precompute !== precompute) {
    throw new DaError('da.setup_conflict', 'this thread already loaded another precompute', {
      details: { loaded: loaded.precompute, requested: precompute },
    });
  }
  return { kind: 'alreadyLoaded', precompute: loaded.precompute };
}

/** The blob's KZG commitment and its EIP-4844 blob proof. */
export function commitBlob(blob: Uint8Array): BlobCommitment {
  assertLoaded();
  assertKzgBlob(blob);
  const commitment = call('blobToKzgCommitment', () => ckzg.blobToKzgCommitment(blob));
  const proof = call('computeBlobKzgProof', () => ckzg.computeBlobKzgProof(blob, commitment));
  return { commitment: plain(commitment), proof: plain(proof) };
}

/** Batch-verifies blob proofs; false if any blob does not open its commitment. Empty → true. */
export function verifyBlobs(params: VerifyBlobsParameters): boolean {
  assertLoaded();
  const { blobs, commitments, proofs } = params;
  assertSameLength({ blobs: blobs.length, commitments: commitments.length, proofs: proofs.length });
  for (const [i, blob] of blobs.entries()) assertKzgBlob(blob, i);
  assertLengths(commitments, BYTES_PER_COMMITMENT, 'da.commitment_length');
  assertLengths(proofs, BYTES_PER_PROOF, 'da.proof_length');
  return call('verifyBlobKzgProofBatch', () =>
    ckzg.verifyBlobKzgProofBatch([...blobs], [...commitments], [...proofs]),
  );
}

/** EIP-7594: extends the blob ×2 and returns its 128 cells with one KZG proof each. */
export function computeCells(blob: Uint8Array): CellsAndProofs {
  assertLoaded();
  assertKzgBlob(blob);
  const [cells, proofs] = call('computeCellsAndKzgProofs', () =>
    ckzg.computeCellsAndKzgProofs(blob),
  );
  return { cells: cells.map(plain), proofs: proofs.map(plain) };
}

/** Batch-verifies cells (any blobs, any indices) against their blobs' commitments. Empty → true. */
export function verifyCells(params: VerifyCellsParameters): boolean {
  assertLoaded();
  const { commitments, cellIndices, cells, proofs } = params;
  assertSameLength({
    commitments: commitments.length,
    cellIndices: cellIndices.length,
    cells: cells.length,
    proofs: proofs.length,
  });
  assertLengths(commitments, BYTES_PER_COMMITMENT, 'da.commitment_length');
  assertCellIndices(cellIndices);
  assertLengths(cells, BYTES_PER_CELL, 'da.cell_length');
  assertLengths(proofs, BYTES_PER_PROOF, 'da.proof_length');
  return call('verifyCellKzgProofBatch', () =>
    ckzg.verifyCellKzgProofBatch([...commitments], [...cellIndices], [...cells], [...proofs]),
  );
}

/**
 * Recovers all CELLS_PER_EXT_BLOB cells and their proofs from at least half of them (distinct
 * indices, any order). The cells are not verified here: verify them first, or verify the output.
 */
export function recoverCells(
  cellIndices: readonly number[],
  cells: readonly Uint8Array[],
): CellsAndProofs {
  assertLoaded();
  assertSameLength({ cellIndices: cellIndices.length, cells: cells.length });
  assertCellIndices(cellIndices);
  if (new Set(cellIndices).size !== cellIndices.length) {
    throw new DaError('da.cell_index', 'cell indices repeat', { details: { cells: cells.length } });
  }
  if (cells.length < CELLS_NEEDED_FOR_RECOVERY) {
    throw new DaError('da.too_few_cells', `recovery needs ${CELLS_NEEDED_FOR_RECOVERY} cells`, {
      details: { cells: cells.length, needed: CELLS_NEEDED_FOR_RECOVERY },
    });
  }
  assertLengths(cells, BYTES_PER_CELL, 'da.cell_length');
  const [all, proofs] = call('recoverCellsAndKzgProofs', () =>
    ckzg.recoverCellsAndKzgProofs([...cellIndices], [...cells]),
  );
  return { cells: all.map(plain), proofs: proofs.map(plain) };
}

function assertLoaded(): void {
  if (loaded === undefined) {
    throw new DaError('da.setup_not_loaded', 'call loadKzgSetup in this thread first');
  }
}

function assertLengths(items: readonly Uint8Array[], expected: number, code: DaErrorCode): void {
  for (const [index, bytes] of items.entries()) {
    if (!(bytes instanceof Uint8Array) || bytes.length !== expected) {
      const length = bytes instanceof Uint8Array ? bytes.length : -1;
      throw new DaError(code, `item ${index} is ${length} bytes, expected ${expected}`, {
        details: { index, length, expected },
      });
    }
  }
}

function assertCellIndices(cellIndices: readonly number[]): void {
  for (const [index, cellIndex] of cellIndices.entries()) {
    if (!Number.isInteger(cellIndex) || cellIndex < 0 || cellIndex >= CELLS_PER_EXT_BLOB) {
      const message = `cell index ${cellIndex} outside [0, ${CELLS_PER_EXT_BLOB})`;
      throw new DaError('da.cell_index', message, {
        details: { index, cellIndex: String(cellIndex) },
      });
    }
  }
}

function assertSameLength(lengths: Readonly<Record<string, number>>): void {
  if (new Set(Object.values(lengths)).size > 1) {
    throw new DaError('da.batch_mismatch', 'parallel arrays differ in length', {
      details: lengths,
    });
  }
}

function call<T>(op: string, fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    throw kzgFailure(op, cause);
  }
}

function kzgFailure(op: string, cause: unknown): DaError {
  return new DaError('da.kzg_failed', `c-kzg ${op} failed: ${messageOf(cause)}`, {
    details: { op, reason: messageOf(cause) },
    cause,
  });
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** c-kzg returns Buffers that own their memory; expose them as plain Uint8Arrays (no copy). */
function plain(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
