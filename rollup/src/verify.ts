// `@moltbook/rollup/verify`: the pure checks a light client needs (no libp2p, no LevelDB), so the
// SDK can verify what a node serves without loading the node.
export { batchHash, blockHash } from './codec/blockCodec.ts';
export { importPublicKey } from './crypto/ed25519.ts';
export { verifyBlockSignature } from './crypto/signBlock.ts';
export { type Genesis, genesisHash } from './genesis/genesis.ts';
export { MIN_BASE_FEE, TRANSFER_GAS, TX_VERSION } from './params/txParams.ts';
export type { PohEntry } from './poh/poh.ts';
export { type PohRules, type PohVerdict, verifyEntries } from './poh/verifyEntries.ts';
export { type BlockJson, blockFromJson } from './rpc/blockJson.ts';
export { signTransaction } from './tx/signTransaction.ts';
export type { SignedTransaction, TxPayload, UnsignedTransaction } from './tx/transaction.ts';
export { encodeTransaction, txId } from './tx/txCodec.ts';
export type { SignedBlock } from './types/block.ts';
