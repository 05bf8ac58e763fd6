// Public entry of @moltbook/rollup.
export { blockHash, decodeBlock, encodeBlock } from './codec/blockCodec.ts';
export { CodecError } from './codec/codecError.ts';
export {
  type Ed25519KeyPair,
  generateEd25519,
  importPublicKey,
  verifyEd25519,
} from './crypto/ed25519.ts';
export { signBlock, verifyBlockSignature } from './crypto/signBlock.ts';
export {
  defaultGenesis,
  type Genesis,
  GenesisError,
  genesisHash,
  parseGenesis,
} from './genesis/genesis.ts';
export { createNodeMetrics, type NodeMetrics } from './metrics/nodeMetrics.ts';
export { loadOrCreateDevNet } from './node/devNet.ts';
export {
  EMPTY_STATE_ROOT,
  NodeError,
  ValidatorNode,
  type ValidatorNodeOpts,
} from './node/validatorNode.ts';
export { createP2pNode, setGossipValidator, shardTopic } from './p2p/createP2pNode.ts';
export * as consensusParams from './params/consensusParams.ts';
export { Poh, type PohEntry } from './poh/poh.ts';
export { PohService } from './poh/pohService.ts';
export { PohVerifierPool } from './poh/pohVerifierPool.ts';
export { type PohRules, type PohVerdict, verifyEntries } from './poh/verifyEntries.ts';
export { type BlockJson, blockFromJson, blockToJson } from './rpc/blockJson.ts';
export { PortInUseError, RpcError } from './rpc/rpcError.ts';
export type { Block, SignedBlock } from './types/block.ts';
