// Public entry of @moltbook/relay (Node only): the protocol, plus the server, its store and the
// node:crypto request verification. Browsers import `@moltbook/relay/protocol` instead.

export { nodeSigner } from './nodeSigner.ts';
export * from './protocol/index.ts';
export {
  type AuthFailure,
  type AuthResult,
  checkRequestSignature,
  type IncomingRequest,
  importEd25519PublicKey,
  type KeyLookup,
  type NonceStore,
  type SignedRequest,
  verifyEd25519,
  verifyRequest,
} from './server/auth/verifyRequest.ts';
export {
  createRelayServer,
  type RelayServer,
  type RelayServerOptions,
} from './server/createRelayServer.ts';
export type * from './store/relayStore.ts';
export { openSqliteRelayStore } from './store/sqlite/sqliteRelayStore.ts';
export { SqliteNonceStore } from './store/sqliteNonceStore.ts';
