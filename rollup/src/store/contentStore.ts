import { ClassicLevel } from 'classic-level';

/**
 * Content bodies by content hash (§9.1: content is not state; the chain keeps only the hash and
 * size). This is the seam the DA issue replaces: there, bodies go into the slot's blobs and a
 * DA-backed store answers the same four calls. Callers check a body against its ContentRef
 * (SHA-256 and size, tx/validateContent.ts) before `put`; the store trusts them.
 */
export interface ContentStore {
  get(hash: Uint8Array): Promise<Uint8Array | null>;
  has(hash: Uint8Array): Promise<boolean>;
  put(hash: Uint8Array, body: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * A ContentStore in its own LevelDB beside the chain store (`<data-dir>/content`): key the raw
 * 32-byte SHA-256, value the body. Kept apart from ChainStore so bodies can be moved, pruned or
 * dropped (§16.2 soft deletion at the operator's discretion) without touching the chain.
 */
export class LevelContentStore implements ContentStore {
  readonly #db: ClassicLevel<Uint8Array, Uint8Array>;

  private constructor(db: ClassicLevel<Uint8Array, Uint8Array>) {
    this.#db = db;
  }

  static async open(path: string): Promise<LevelContentStore> {
    const db = new ClassicLevel<Uint8Array, Uint8Array>(path, {
      keyEncoding: 'view',
      valueEncoding: 'view',
    });
    await db.open();
    return new LevelContentStore(db);
  }

  async get(hash: Uint8Array): Promise<Uint8Array | null> {
    return (await this.#db.get(hash)) ?? null;
  }

  async has(hash: Uint8Array): Promise<boolean> {
    return this.#db.has(hash);
  }

  async put(hash: Uint8Array, body: Uint8Array): Promise<void> {
    await this.#db.put(hash, body);
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
