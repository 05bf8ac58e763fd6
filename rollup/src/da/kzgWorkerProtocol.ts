import type { DaErrorCode, DaErrorDetails } from './daError.ts';

/** Messages between KzgWorkerPool (main thread) and kzgWorker.ts; structured-clone safe. */
export interface KzgWorkerData {
  readonly precompute: number;
}

export interface KzgWorkerRequest {
  readonly id: number;
  /** BYTES_PER_BLOB bytes; its ArrayBuffer is transferred (the pool sends a private copy). */
  readonly blob: Uint8Array;
}

/** A DaError flattened for postMessage (class identity does not survive structured clone). */
export interface SerializedDaError {
  readonly code: DaErrorCode;
  readonly message: string;
  readonly details: DaErrorDetails;
}

export type KzgWorkerResponse =
  | { readonly kind: 'ready' }
  | { readonly kind: 'setupFailed'; readonly error: SerializedDaError }
  /** `bytes` is commitAndCellsCodec's layout; its ArrayBuffer is transferred. */
  | { readonly kind: 'result'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly kind: 'error'; readonly id: number; readonly error: SerializedDaError };
