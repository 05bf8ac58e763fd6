import { ClassicLevel } from 'classic-level';
import { decodeBlock, encodeBlock } from '../codec/blockCodec.ts';
import type { SignedBlock } from '../types/block.ts';

const BLOCK_PREFIX = 0x62; // 'b'
const LATEST_KEY = Uint8Array.from([0x6d, 0x6c]); // 'ml': meta, latest slot
const GENESIS_KEY = Uint8Array.from([0x6d, 0x67]); // 'mg': meta, genesis hash of this chain

function blockKey(slot: number): Uint8Array {
  const k = new Uint8Array(9);
  k[0] = BLOCK_PREFIX;
  new DataView(k.buffer).setBigUint64(1, BigInt(slot));
  return k;
}

/**
 * Blocks by slot in LevelDB (classic-level). Keys are big-endian so iteration is in slot order.
 * A block and the "latest" pointer are written in one atomic batch: a crash never leaves the
 * pointer at a block that is not there.
 */
export class BlockStore {
  readonly #db: ClassicLevel<Uint8Array, Uint8Array>;

  private constructor(db: ClassicLevel<Uint8Array, Uint8Array>) {
    this.#db = db;
  }

  static async open(path: string): Promise<BlockStore> {
    const db = new ClassicLevel<Uint8Array, Uint8Array>(path, {
      keyEncoding: 'view',
      valueEncoding: 'view',
    });
    await db.open();
    return new BlockStore(db);
  }

  async put(block: SignedBlock): Promise<void> {
    const latest = new Uint8Array(8);
    new DataView(latest.buffer).setBigUint64(0, BigInt(block.slot));
    await this.#db.batch([
      { type: 'put', key: blockKey(block.slot), value: encodeBlock(block) },
      { type: 'put', key: LATEST_KEY, value: latest },
    ]);
  }

  async get(slot: number): Promise<SignedBlock | null> {
    const v = await this.#db.get(blockKey(slot));
    return v === undefined ? null : decodeBlock(v);
  }

  async latestSlot(): Promise<number | null> {
    const v = await this.#db.get(LATEST_KEY);
    return v === undefined ? null : Number(new DataView(v.buffer, v.byteOffset, 8).getBigUint64(0));
  }

  /** Slots with a stored block in [from, to], ascending, at most `limit`. */
  async slots(from: number, to: number, limit: number): Promise<number[]> {
    const out: number[] = [];
    for await (const key of this.#db.keys({ gte: blockKey(from), lte: blockKey(to), limit })) {
      out.push(Number(new DataView(key.buffer, key.byteOffset, 9).getBigUint64(1)));
    }
    return out;
  }

  /**
   * Binds the store to one chain: the first call records `hash`, later calls return the hash
   * already recorded (the caller refuses to run when it differs).
   */
  async bindGenesis(hash: Uint8Array): Promise<Uint8Array> {
    const have = await this.#db.get(GENESIS_KEY);
    if (have !== undefined) return have;
    await this.#db.put(GENESIS_KEY, hash);
    return hash;
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
