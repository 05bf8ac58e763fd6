// Public entry of @moltbook/rollup.
export { blockHash, decodeBlock, encodeBlock } from './codec/blockCodec.ts';
export { CodecError } from './codec/codecError.ts';
// Consensus (pure): leader schedule, Tower BFT, fork choice, votes, evidence (docs/consensus.md).
export { ConsensusError } from './consensus/consensusError.ts';
export {
  decodeEvidence,
  detectDuplicateBlock,
  detectVoteLockoutViolation,
  type Evidence,
  type EvidenceVerdict,
  encodeEvidence,
  verifyEvidence,
} from './consensus/equivocation.ts';
export { HeaviestSubtreeForkChoice } from './consensus/heaviestSubtreeForkChoice.ts';
export {
  type LeaderSchedule,
  leaderSchedule,
  leaderScheduleSeed,
} from './consensus/leaderSchedule.ts';
export { checkOptimisticConfirmation } from './consensus/optimisticConfirmation.ts';
export { type SwitchForkDecision, type ThresholdDecision, Tower } from './consensus/tower.ts';
export { decodeTower, encodeTower, signTower, verifyTower } from './consensus/towerCodec.ts';
export {
  decodeVote,
  encodeVote,
  makeVote,
  type SignedVote,
  signVote,
  type Vote,
  verifyVoteSignature,
} from './consensus/vote.ts';
export {
  type Ed25519KeyPair,
  generateEd25519,
  importPublicKey,
  verifyEd25519,
} from './crypto/ed25519.ts';
export { signBlock, verifyBlockSignature } from './crypto/signBlock.ts';
// Transactions, mempool and execution (pure; docs/transactions.md).
export { EconomyState } from './economy/economyState.ts';
export {
  applyTx,
  beginSlot,
  conservationHolds,
  type EconomyApplyResult,
} from './economy/economyStateMachine.ts';
export type { EconomyContext, EconomyTx } from './economy/execTypes.ts';
export { applyL2Event, type L2Event } from './economy/l2Events.ts';
export {
  defaultGenesis,
  type Genesis,
  GenesisError,
  genesisHash,
  parseGenesis,
} from './genesis/genesis.ts';
export { Mempool } from './mempool/mempool.ts';
export { createNodeMetrics, type NodeMetrics } from './metrics/nodeMetrics.ts';
export { loadOrCreateDevNet } from './node/devNet.ts';
export { type Bank, Forks, type VoteDecision } from './node/forks.ts';
export { NodeError, ValidatorNode, type ValidatorNodeOpts } from './node/validatorNode.ts';
export { createP2pNode, setGossipValidator, shardTopic } from './p2p/createP2pNode.ts';
export * as consensusParams from './params/consensusParams.ts';
export { Poh, type PohEntry } from './poh/poh.ts';
export { PohService } from './poh/pohService.ts';
export { PohVerifierPool } from './poh/pohVerifierPool.ts';
export { type PohRules, type PohVerdict, verifyEntries } from './poh/verifyEntries.ts';
export { type BlockJson, blockFromJson, blockToJson } from './rpc/blockJson.ts';
export { PortInUseError, RpcError } from './rpc/rpcError.ts';
export { ChainStore } from './store/chainStore.ts';
export { signTransaction } from './tx/signTransaction.ts';
export type { SignedTransaction, TxPayload, UnsignedTransaction } from './tx/transaction.ts';
export { decodeTransaction, encodeTransaction, txId } from './tx/txCodec.ts';
export { TxError } from './tx/txError.ts';
export { type TxValidation, validateTransaction } from './tx/validateTransaction.ts';
export type { Block, SignedBlock } from './types/block.ts';
