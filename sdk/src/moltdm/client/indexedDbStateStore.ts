import type { StateStore } from './stateStore.ts';

/**
 * The browser store: the state document in IndexedDB, encrypted with AES-256-GCM under a
 * WebCrypto key that is generated non-extractable and kept in the same database (a CryptoKey is
 * stored as an opaque handle: scripts can use it but never read its bytes, so a copy of the
 * database files or a dump of the stored values does not reveal the state). Where WebCrypto is
 * missing (a page served over plain http from another host than localhost) the document is stored
 * as it is and `encrypted` is false: the page tells the user.
 *
 * Typed structurally (the SDK compiles without the DOM library).
 */
export interface IndexedDbStateStore extends StateStore {
  readonly encrypted: boolean;
}

interface IdbRequest {
  result: unknown;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbOpenRequest extends IdbRequest {
  onupgradeneeded: (() => void) | null;
}
interface IdbObjectStore {
  get(key: string): IdbRequest;
  put(value: unknown, key: string): IdbRequest;
  delete(key: string): IdbRequest;
}
interface IdbTransaction {
  objectStore(name: string): IdbObjectStore;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  error: unknown;
}
interface IdbDatabase {
  readonly objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string): unknown;
  transaction(store: string, mode: 'readonly' | 'readwrite'): IdbTransaction;
}
interface IdbFactory {
  open(name: string, version: number): IdbOpenRequest;
}

type Subtle = typeof globalThis.crypto.subtle;
type Key = Parameters<Subtle['encrypt']>[1];

const OBJECTS = 'moltdm';
const STATE = 'state';
const KEY = 'key';

function done(req: IdbRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function committed(tx: IdbTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

async function openDb(idb: IdbFactory, name: string): Promise<IdbDatabase> {
  const req = idb.open(name, 1);
  req.onupgradeneeded = () => {
    const db = req.result as IdbDatabase;
    if (!db.objectStoreNames.contains(OBJECTS)) db.createObjectStore(OBJECTS);
  };
  return (await done(req)) as IdbDatabase;
}

/** `name` is the IndexedDB database (one per page origin and account). */
export async function indexedDbStateStore(name = 'moltdm'): Promise<IndexedDbStateStore> {
  const idb = (globalThis as { indexedDB?: IdbFactory }).indexedDB;
  if (idb === undefined) throw new Error('IndexedDB is not available here');
  const db = await openDb(idb, name);
  // Undefined outside secure contexts (plain http other than localhost).
  const subtle = (globalThis.crypto as { subtle?: Subtle } | undefined)?.subtle;

  const get = async (key: string): Promise<unknown> => {
    const tx = db.transaction(OBJECTS, 'readonly');
    return done(tx.objectStore(OBJECTS).get(key));
  };
  const put = async (key: string, value: unknown): Promise<void> => {
    const tx = db.transaction(OBJECTS, 'readwrite');
    tx.objectStore(OBJECTS).put(value, key);
    await committed(tx);
  };

  let key: Key | null = null;
  if (subtle !== undefined) {
    key = ((await get(KEY)) as Key | undefined) ?? null;
    if (key === null) {
      key = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
        'encrypt',
        'decrypt',
      ]);
      await put(KEY, key);
    }
  }

  return {
    encrypted: key !== null,
    load: async () => {
      const v = (await get(STATE)) as
        | { iv: Uint8Array<ArrayBuffer>; data: ArrayBuffer }
        | { plain: string }
        | undefined;
      if (v === undefined) return null;
      if ('plain' in v) return v.plain;
      if (subtle === undefined || key === null) throw new Error('stored state is encrypted');
      const plain = await subtle.decrypt({ name: 'AES-GCM', iv: v.iv }, key, v.data);
      return new TextDecoder().decode(plain);
    },
    save: async (document) => {
      if (subtle === undefined || key === null) {
        await put(STATE, { plain: document });
        return;
      }
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
      const data = await subtle.encrypt(
        { name: 'AES-GCM', iv },
        key,
        new TextEncoder().encode(document),
      );
      await put(STATE, { iv, data });
    },
    clear: async () => {
      const tx = db.transaction(OBJECTS, 'readwrite');
      tx.objectStore(OBJECTS).delete(STATE);
      await committed(tx);
    },
  };
}
