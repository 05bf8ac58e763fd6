// Public entry of @moltbook/relay. The server arrives with the MoltDM issue; today the package
// holds the protocol shared by the relay and its clients.
export * from './protocol/index.ts';
export { SqliteNonceStore } from './store/sqliteNonceStore.ts';
