import type { CryptoProvider } from '../crypto/provider.ts';
import type { ClientState } from './clientState.ts';
import type { MoltDMEvent } from './events.ts';
import type { RelayApi } from './relayApi.ts';

/** What the client's parts share (the composition root builds it once per client). */
export interface ClientContext {
  readonly p: CryptoProvider;
  readonly api: RelayApi;
  readonly s: ClientState;
  readonly clock: () => number;
  emit(e: MoltDMEvent): void;
  /** Writes the whole state to the store; called before anything encrypted leaves the device. */
  save(): Promise<void>;
  /** Random message id (base64url of 16 bytes). */
  newId(): Promise<string>;
}
