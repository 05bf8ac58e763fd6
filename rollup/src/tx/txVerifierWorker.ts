// Worker entry of TxVerifierPool: runs the stateless edge steps 1-4 (size, decode, shard,
// Ed25519 signature) on batches of transaction bytes, with its own signer-key cache.
import { parentPort, workerData } from 'node:worker_threads';
import { SignerKeyCache } from './signerKeyCache.ts';
import { type TxValidation, validateStateless } from './validateTransaction.ts';

export interface TxVerifyRequest {
  readonly id: number;
  readonly txs: readonly Uint8Array[];
}

export interface TxVerifyResponse {
  readonly id: number;
  readonly results: readonly TxValidation[];
}

const shard = (workerData as { shard: number }).shard;
const keys = new SignerKeyCache();
parentPort?.on('message', (req: TxVerifyRequest) => {
  const results = req.txs.map((bytes) => validateStateless(bytes, { shard, keys }));
  parentPort?.postMessage({ id: req.id, results } satisfies TxVerifyResponse);
});
