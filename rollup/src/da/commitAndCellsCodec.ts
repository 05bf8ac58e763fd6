import {
  BYTES_PER_CELL,
  BYTES_PER_COMMITMENT,
  BYTES_PER_PROOF,
  CELLS_PER_EXT_BLOB,
} from '../params/daParams.ts';
import { DaError } from './daError.ts';
import type { BlobCommitment, CellsAndProofs } from './kzg.ts';

/** Everything a block producer needs for one blob: commitment, blob proof, cells, cell proofs. */
export interface CommitAndCells {
  readonly commitment: Uint8Array;
  readonly blobProof: Uint8Array;
  readonly cells: Uint8Array[];
  readonly cellProofs: Uint8Array[];
}

const CELLS_OFFSET = BYTES_PER_COMMITMENT + BYTES_PER_PROOF;
const CELL_PROOFS_OFFSET = CELLS_OFFSET + CELLS_PER_EXT_BLOB * BYTES_PER_CELL;
const BYTE_LENGTH = CELL_PROOFS_OFFSET + CELLS_PER_EXT_BLOB * BYTES_PER_PROOF;

/**
 * One flat buffer [commitment | blob proof | 128 cells | 128 cell proofs] (268,384 bytes) so a
 * worker can hand its result to the main thread as a single transferred ArrayBuffer instead of
 * 258 structured-clone copies; `unpack` returns views into it, no copy.
 */
export const commitAndCellsCodec = {
  byteLength: BYTE_LENGTH,

  pack(blob: BlobCommitment, cells: CellsAndProofs): Uint8Array {
    const out = new Uint8Array(BYTE_LENGTH);
    out.set(blob.commitment, 0);
    out.set(blob.proof, BYTES_PER_COMMITMENT);
    for (const [i, cell] of cells.cells.entries()) out.set(cell, CELLS_OFFSET + i * BYTES_PER_CELL);
    for (const [i, proof] of cells.proofs.entries()) {
      out.set(proof, CELL_PROOFS_OFFSET + i * BYTES_PER_PROOF);
    }
    return out;
  },

  unpack(bytes: Uint8Array): CommitAndCells {
    if (bytes.length !== BYTE_LENGTH) {
      throw new DaError('da.worker_failed', `worker result is ${bytes.length} bytes`, {
        details: { length: bytes.length, expected: BYTE_LENGTH },
      });
    }
    const view = (offset: number, length: number) => bytes.subarray(offset, offset + length);
    const cells: Uint8Array[] = [];
    const cellProofs: Uint8Array[] = [];
    for (let i = 0; i < CELLS_PER_EXT_BLOB; i++) {
      cells.push(view(CELLS_OFFSET + i * BYTES_PER_CELL, BYTES_PER_CELL));
      cellProofs.push(view(CELL_PROOFS_OFFSET + i * BYTES_PER_PROOF, BYTES_PER_PROOF));
    }
    return {
      commitment: view(0, BYTES_PER_COMMITMENT),
      blobProof: view(BYTES_PER_COMMITMENT, BYTES_PER_PROOF),
      cells,
      cellProofs,
    };
  },
} as const;
