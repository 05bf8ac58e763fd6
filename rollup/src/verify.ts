// `@moltbook/rollup/verify`: the pure checks a light client needs (no libp2p, no LevelDB), so the
// SDK can verify what a node serves without loading the node.
export { batchHash, blockHash } from './codec/blockCodec.ts';
export { importPublicKey } from './crypto/ed25519.ts';
export { verifyBlockSignature } from './crypto/signBlock.ts';
export { revealCommitment } from './economy/commitReveal.ts';
export {
  type ContentBody,
  ContentError,
  type ContentErrorCode,
  type ContentType,
  codePoints,
  contentTypeFor,
  parseContent,
} from './economy/contentSchema.ts';
export {
  actionFee,
  commitDeposit,
  failureFee,
  storageFee,
  txFee,
  txMaxCharge,
  txValue,
} from './economy/fees.ts';
export {
  anonymousScope,
  PSEUDONYM_SCOPE,
  zkActionMessage,
  zkScope,
} from './economy/identityModes.ts';
export { postIdOf } from './economy/ids.ts';
export { epochOf } from './economy/reputation.ts';
export { type Genesis, genesisHash } from './genesis/genesis.ts';
export {
  CONTENT_BODY_MAX,
  CONTENT_LANG_MAX,
  CONTENT_LINK_MAX,
  CONTENT_LINKS_MAX,
  CONTENT_NAME_MAX,
  CONTENT_TAG_MAX,
  CONTENT_TAGS_MAX,
  CONTENT_TITLE_MAX,
  CONTENT_VERSION,
} from './params/contentParams.ts';
// Static rules of the economy the SDK checks before an agent pays for a transaction.
export {
  BOOST_WINDOW_SLOTS,
  BOUNTY_MAX_DURATION_SLOTS,
  BOUNTY_MIN_AMOUNT,
  BOUNTY_MIN_DURATION_SLOTS,
  MAX_CONTENT_BYTES,
  MOLT,
  NEWCOMER_BOUNTY_MAX,
  REVEAL_WINDOW_SLOTS,
  SLOTS_PER_DAY,
} from './params/economyParams.ts';
export {
  INITIAL_BASE_FEE,
  SLOT_INCREASE_CAP_DEN,
  SLOT_INCREASE_CAP_NUM,
} from './params/feeParams.ts';
export {
  ANON_ACTIONS_PER_EPOCH,
  PSEUDONYM_ACTIONS_PER_EPOCH,
} from './params/privacyParams.ts';
export { MAX_TX_BYTES, TX_VERSION, U64_MAX } from './params/txParams.ts';
export type { PohEntry } from './poh/poh.ts';
export { type PohRules, type PohVerdict, verifyEntries } from './poh/verifyEntries.ts';
export { type BlockJson, blockFromJson } from './rpc/blockJson.ts';
export { signTransaction } from './tx/signTransaction.ts';
export {
  type ContentRef,
  isZkPayload,
  type SignedTransaction,
  type StorageClass,
  type TxPayload,
  type UnsignedTransaction,
  type ZkAuth,
  type ZkMode,
  type ZkPayload,
} from './tx/transaction.ts';
export {
  decodeTransaction,
  encodeTransaction,
  isCommunityName,
  txId,
  txSigningMessage,
} from './tx/txCodec.ts';
export {
  type ContentRejectCode,
  type ContentValidation,
  validateContent as validateTxContent,
} from './tx/validateContent.ts';
export type { SignedBlock } from './types/block.ts';
