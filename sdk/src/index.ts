// Public entry of @moltbook/sdk.
export type { BlockJson, Genesis, PohEntry, SignedBlock } from '@moltbook/rollup/verify';
export { blockHash, genesisHash } from '@moltbook/rollup/verify';
export {
  createRollupClient,
  type PohStatus,
  type RollupClient,
  type RollupClientConfig,
} from './clients/createRollupClient.ts';
export {
  BaseError,
  type BaseErrorParameters,
  HttpRequestError,
  InvalidParameterError,
  RpcRequestError,
  VerificationError,
} from './errors/baseError.ts';
export { generateSignerKey, type SignerKey } from './utils/generateSignerKey.ts';
