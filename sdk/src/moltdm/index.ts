// Public MoltDM API of the SDK: the client (sessions, devices, groups, pairing, extras) and the
// parts of the crypto library a caller needs next to it. sdk/src/index.ts re-exports this.

export {
  isMoltdmClientError,
  MOLTDM_CLIENT_ERROR_CODES,
  MoltdmClientError,
  type MoltdmClientErrorCode,
} from './client/clientError.ts';
export type { Consent, ConversationRecord, StoredMessage } from './client/conversations.ts';
export { createMoltDM, openMoltDM } from './client/createMoltDM.ts';
export type { AttachmentRef, ConversationKind } from './client/envelope.ts';
export type {
  FailureAction,
  MoltDMEvent,
  MoltDMEventType,
  MoltDMListener,
} from './client/events.ts';
export { fileStateStore } from './client/fileStateStore.ts';
export { type IndexedDbStateStore, indexedDbStateStore } from './client/indexedDbStateStore.ts';
export type { MessageContent } from './client/messaging.ts';
export { MoltDMClient, type MoltDMOptions } from './client/moltdmClient.ts';
export { type PendingPairing, sameFingerprint } from './client/ownerPairing.ts';
export {
  type PairingOptions,
  type PairingRequest,
  requestPairing,
  resumePairing,
} from './client/pairing.ts';
export {
  type FetchLike,
  RelayApi,
  type RelayApiOptions,
  type RelaySigner,
} from './client/relayApi.ts';
export { isMoltdmRelayError, MoltdmRelayError, type RelayErrorCode } from './client/relayError.ts';
export { memoryStateStore, type StateStore } from './client/stateStore.ts';
export { decodeBase64, encodeBase64 } from './crypto/base64.ts';
export {
  isMoltdmCryptoError,
  MOLTDM_CRYPTO_ERROR_CODES,
  MoltdmCryptoError,
  type MoltdmCryptoErrorCode,
} from './crypto/errors.ts';
export { createNodeCrypto, nodeCrypto } from './crypto/nodeCrypto.ts';
export { portableCrypto } from './crypto/portableCrypto.ts';
export type { CryptoProvider, KeyPair } from './crypto/provider.ts';
