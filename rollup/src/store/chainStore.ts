import { ClassicLevel } from 'classic-level';
import { decodeBlock, encodeBlock } from '../codec/blockCodec.ts';
import type { SignedBlock } from '../types/block.ts';

/**
 * On-disk layout version. Bumped whenever a key or value format changes; a store of another
 * version is refused with a message (start over with a fresh data directory / `--reset`).
 */
export const STORE_VERSION = 2;

const enc = new TextEncoder();
const K = {
  block: 0x42, // 'B' ‖ hash → encoded block
  slot: 0x53, // 'S' ‖ u64 slot ‖ hash → '' (every block stored for the slot)
  canonical: 0x43, // 'C' ‖ u64 slot → hash of the rooted block at that slot
  vote: 0x56, // 'V' ‖ validator key → latest encoded vote seen from it
} as const;
const META = {
  version: enc.encode('m/version'),
  genesis: enc.encode('m/genesis'),
  root: enc.encode('m/root'),
  tower: enc.encode('m/tower'),
  produced: enc.encode('m/produced'),
  snapshot: enc.encode('m/snapshot'),
};
const EMPTY = new Uint8Array(0);

type BatchOp =
  | { type: 'put'; key: Uint8Array; value: Uint8Array }
  | { type: 'del'; key: Uint8Array };

function u64(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(v));
  return b;
}

function readU64(b: Uint8Array, at = 0): number {
  return Number(new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(at));
}

function key(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((n, p) => n + p.length, 1);
  const k = new Uint8Array(len);
  k[0] = prefix;
  let at = 1;
  for (const p of parts) {
    k.set(p, at);
    at += p.length;
  }
  return k;
}

/** A rooted (finalized by this validator's tower) block: its slot and hash. */
export interface RootRef {
  readonly slot: number;
  readonly hash: Uint8Array;
}

/**
 * Everything a validator keeps across restarts (issue 4 §8), in LevelDB (classic-level): a state
 * snapshot at a recent root (restart replays only the blocks after it), every
 * verified block by hash with a slot index (forks and duplicate slots included), the canonical
 * chain of rooted blocks by slot, the root, the signed tower, the highest slot this node produced
 * (so a restarted leader never signs a second block for a slot) and the latest vote per
 * validator. Every multi-key change is one atomic batch; LevelDB's write-ahead log makes a
 * SIGKILL lose at most writes that had not returned, never half a batch.
 */
export class ChainStore {
  readonly #db: ClassicLevel<Uint8Array, Uint8Array>;

  private constructor(db: ClassicLevel<Uint8Array, Uint8Array>) {
    this.#db = db;
  }

  static async open(path: string): Promise<ChainStore> {
    const db = new ClassicLevel<Uint8Array, Uint8Array>(path, {
      keyEncoding: 'view',
      valueEncoding: 'view',
    });
    await db.open();
    return new ChainStore(db);
  }

  /**
   * Binds the store to one chain and layout: the first call records `genesisHash` and the
   * version; later calls return what is recorded (the caller refuses to run on a mismatch).
   */
  async bind(genesisHash: Uint8Array): Promise<{ genesis: Uint8Array; version: number }> {
    const have = await this.#db.get(META.genesis);
    if (have !== undefined) {
      const v = await this.#db.get(META.version);
      return { genesis: have, version: v === undefined ? 1 : readU64(v) };
    }
    await this.#db.batch([
      { type: 'put', key: META.genesis, value: genesisHash },
      { type: 'put', key: META.version, value: u64(STORE_VERSION) },
    ]);
    return { genesis: genesisHash, version: STORE_VERSION };
  }

  /** Stores a verified block (idempotent). */
  async putBlock(block: SignedBlock, hash: Uint8Array): Promise<void> {
    await this.#db.batch([
      { type: 'put', key: key(K.block, hash), value: encodeBlock(block) },
      { type: 'put', key: key(K.slot, u64(block.slot), hash), value: EMPTY },
    ]);
  }

  async getBlockBytes(hash: Uint8Array): Promise<Uint8Array | null> {
    return (await this.#db.get(key(K.block, hash))) ?? null;
  }

  async getBlock(hash: Uint8Array): Promise<SignedBlock | null> {
    const v = await this.getBlockBytes(hash);
    return v === null ? null : decodeBlock(v);
  }

  /** Every stored block with slot in [from, ∞), in slot order (replay after a restart). */
  async *blocksFrom(from: number): AsyncGenerator<{ hash: Uint8Array; block: SignedBlock }> {
    for await (const k of this.#db.keys({
      gte: key(K.slot, u64(from)),
      lt: Uint8Array.of(K.slot + 1),
    })) {
      const hash = k.slice(9, 41);
      const block = await this.getBlock(hash);
      if (block !== null) yield { hash, block };
    }
  }

  async root(): Promise<RootRef | null> {
    const v = await this.#db.get(META.root);
    return v === undefined ? null : { slot: readU64(v), hash: v.slice(8, 40) };
  }

  /**
   * Records a new root and the rooted chain up to it (`rooted`, ascending), and deletes the blocks
   * of abandoned forks at or below it (`pruned`), in one batch.
   */
  async setRoot(
    root: RootRef,
    rooted: readonly RootRef[],
    pruned: readonly { slot: number; hash: Uint8Array }[],
  ): Promise<void> {
    const ops: BatchOp[] = [];
    for (const r of rooted)
      ops.push({ type: 'put', key: key(K.canonical, u64(r.slot)), value: r.hash });
    for (const p of pruned) {
      ops.push({ type: 'del', key: key(K.block, p.hash) });
      ops.push({ type: 'del', key: key(K.slot, u64(p.slot), p.hash) });
    }
    const v = new Uint8Array(40);
    v.set(u64(root.slot));
    v.set(root.hash, 8);
    ops.push({ type: 'put', key: META.root, value: v });
    await this.#db.batch(ops);
  }

  async canonicalHash(slot: number): Promise<Uint8Array | null> {
    return (await this.#db.get(key(K.canonical, u64(slot)))) ?? null;
  }

  /** Rooted slots in [from, to], ascending, at most `limit`. */
  async canonicalSlots(from: number, to: number, limit: number): Promise<number[]> {
    const out: number[] = [];
    for await (const k of this.#db.keys({
      gte: key(K.canonical, u64(from)),
      lte: key(K.canonical, u64(to)),
      limit,
    }))
      out.push(readU64(k, 1));
    return out;
  }

  /** Keeps the state at a rooted block (only the latest snapshot is kept). */
  async putSnapshot(root: RootRef, state: Uint8Array): Promise<void> {
    const v = new Uint8Array(40 + state.length);
    v.set(u64(root.slot));
    v.set(root.hash, 8);
    v.set(state, 40);
    await this.#db.put(META.snapshot, v);
  }

  async latestSnapshot(): Promise<{ root: RootRef; state: Uint8Array } | null> {
    const v = await this.#db.get(META.snapshot);
    if (v === undefined || v.length < 40) return null;
    return { root: { slot: readU64(v), hash: v.slice(8, 40) }, state: v.subarray(40) };
  }

  async saveTower(signed: Uint8Array): Promise<void> {
    await this.#db.put(META.tower, signed);
  }

  async loadTower(): Promise<Uint8Array | null> {
    return (await this.#db.get(META.tower)) ?? null;
  }

  /** Written before a produced block leaves the node. */
  async setProducedSlot(slot: number): Promise<void> {
    await this.#db.put(META.produced, u64(slot));
  }

  async producedSlot(): Promise<number | null> {
    const v = await this.#db.get(META.produced);
    return v === undefined ? null : readU64(v);
  }

  async saveVote(validator: Uint8Array, encoded: Uint8Array): Promise<void> {
    await this.#db.put(key(K.vote, validator), encoded);
  }

  async latestVotes(): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for await (const v of this.#db.values({
      gte: Uint8Array.of(K.vote),
      lt: Uint8Array.of(K.vote + 1),
    }))
      out.push(v);
    return out;
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
