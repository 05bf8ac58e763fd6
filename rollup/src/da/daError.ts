import { RollupError } from '../utils/rollupError.ts';

/** Stable dotted codes of every error the DA layer raises: callers branch on these, not on text. */
export type DaErrorCode =
  /** A payload longer than the codec's u32 length field (MAX_PAYLOAD_BYTES). */
  | 'da.payload_too_large'
  /** A payload was decoded from an empty list of blobs. */
  | 'da.no_blobs'
  /** A blob is not exactly BYTES_PER_BLOB bytes. */
  | 'da.blob_length'
  /** A field element is out of range (top byte set for the codec, ≥ BLS_MODULUS for KZG). */
  | 'da.non_canonical_element'
  /** A blob header names a codec version this node does not know. */
  | 'da.unsupported_version'
  /** A blob header is inconsistent: index, count or length disagree, or reserved bytes are set. */
  | 'da.bad_header'
  /** Bytes after the payload's end are not zero (every payload has exactly one encoding). */
  | 'da.non_zero_padding'
  /** A commitment is not BYTES_PER_COMMITMENT bytes. */
  | 'da.commitment_length'
  /** A proof is not BYTES_PER_PROOF bytes. */
  | 'da.proof_length'
  /** A cell is not BYTES_PER_CELL bytes. */
  | 'da.cell_length'
  /** A cell index is not an integer in [0, CELLS_PER_EXT_BLOB), or repeats where it must not. */
  | 'da.cell_index'
  /** Parallel argument arrays (blobs/commitments/proofs, cells/indices) differ in length. */
  | 'da.batch_mismatch'
  /** Fewer than CELLS_NEEDED_FOR_RECOVERY cells were given to recovery. */
  | 'da.too_few_cells'
  /** The precompute window is not an integer in [0, 15]. */
  | 'da.bad_precompute'
  /** A KZG call was made before loadKzgSetup in this thread. */
  | 'da.setup_not_loaded'
  /** loadKzgSetup was asked for a precompute other than the one already loaded in this thread. */
  | 'da.setup_conflict'
  /** c-kzg refused well-sized input (e.g. bytes that are not a G1 point) or failed internally. */
  | 'da.kzg_failed'
  /** A worker thread died or could not load the setup; its in-flight request is rejected. */
  | 'da.worker_failed'
  /** The worker pool was closed before or while the request ran. */
  | 'da.pool_closed';

export type DaErrorDetails = Readonly<Record<string, string | number>>;

export interface DaErrorOptions {
  readonly details?: DaErrorDetails;
  readonly cause?: unknown;
}

/** The one error type of the DA layer; `code` is stable, `message` is for humans. */
export class DaError extends RollupError<DaErrorCode> {
  override readonly name = 'DaError';
  readonly details: DaErrorDetails;

  constructor(code: DaErrorCode, message: string, options: DaErrorOptions = {}) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.details = options.details ?? {};
  }
}
