/**
 * Worker-thread entry of KzgWorkerPool: loads the trusted setup once (c-kzg's setup is per thread),
 * then answers one blob at a time with its commitment, blob proof, cells and cell proofs. Every
 * failure is answered as a serialized DaError; the worker itself never throws.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { commitAndCellsCodec } from './commitAndCellsCodec.ts';
import { DaError } from './daError.ts';
import { commitBlob, computeCells, loadKzgSetup } from './kzg.ts';
import type {
  KzgWorkerData,
  KzgWorkerRequest,
  KzgWorkerResponse,
  SerializedDaError,
} from './kzgWorkerProtocol.ts';

const port = parentPort;
if (port === null) throw new Error('kzgWorker.ts must run in a worker thread');

const post = (message: KzgWorkerResponse, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

try {
  loadKzgSetup({ precompute: (workerData as KzgWorkerData).precompute });
  port.on('message', (request: KzgWorkerRequest) => {
    try {
      const bytes = commitAndCellsCodec.pack(commitBlob(request.blob), computeCells(request.blob));
      post({ kind: 'result', id: request.id, bytes }, [bytes.buffer as ArrayBuffer]);
    } catch (error) {
      post({ kind: 'error', id: request.id, error: serialize(error) });
    }
  });
  post({ kind: 'ready' });
} catch (error) {
  post({ kind: 'setupFailed', error: serialize(error) });
  port.close();
}

function serialize(error: unknown): SerializedDaError {
  if (error instanceof DaError) {
    return { code: error.code, message: error.message, details: error.details };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'da.kzg_failed', message, details: {} };
}
