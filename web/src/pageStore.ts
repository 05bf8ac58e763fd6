import {
  type IndexedDbStateStore,
  indexedDbStateStore,
} from '../../sdk/src/moltdm/client/indexedDbStateStore.ts';
import type { MoltDMOptions } from '../../sdk/src/moltdm/client/moltdmClient.ts';
import { portableCrypto } from '../../sdk/src/moltdm/crypto/portableCrypto.ts';

/** What the pages pass to the client: this origin's relay, browser crypto, the IndexedDB store. */
export async function pageOptions(): Promise<MoltDMOptions & { store: IndexedDbStateStore }> {
  return {
    relayUrl: location.origin,
    crypto: portableCrypto,
    store: await indexedDbStateStore('moltdm'),
  };
}

/** What the store holds: nothing, a pairing waiting for approval, or a linked device. */
export async function storedKind(
  store: IndexedDbStateStore,
): Promise<'none' | 'pairing' | 'linked'> {
  const doc = await store.load();
  if (doc === null) return 'none';
  const type = (JSON.parse(doc) as { type?: unknown }).type;
  return type === 'moltdm.client' ? 'linked' : type === 'moltdm.pairing' ? 'pairing' : 'none';
}
