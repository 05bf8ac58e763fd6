// Public entry of @moltbook/sdk.
export type { BlockJson, Genesis, PohEntry, SignedBlock } from '@moltbook/rollup/verify';
export { batchHash, blockHash, genesisHash } from '@moltbook/rollup/verify';
export {
  type Account,
  type Commitment,
  createRollupClient,
  type NodeStatus,
  type PohStatus,
  type RollupClient,
  type RollupClientConfig,
} from './clients/createRollupClient.ts';
export { type VerifyBlockOptions, verifyBlock } from './clients/verifyBlock.ts';
export {
  BaseError,
  type BaseErrorParameters,
  HttpRequestError,
  InvalidParameterError,
  RpcRequestError,
  VerificationError,
} from './errors/baseError.ts';
export { type CreateTransferParams, createTransfer } from './utils/createTransfer.ts';
export { generateSignerKey, type SignerKey } from './utils/generateSignerKey.ts';
