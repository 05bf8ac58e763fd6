import type { LeafChange } from './bucket.ts';
import {
  type BucketUpdate,
  type TreeNode,
  treeLayout,
  treeRoot,
  updateTree,
} from './bucketTree.ts';
import { referenceTableRoot } from './referenceRoot.ts';
import {
  ABSENT_SINGLETON_HASH,
  bucketOf,
  composeRoot,
  digestBytes,
  leafDigest,
  singletonHash,
} from './stateHashing.ts';
import {
  type CompiledSchema,
  compileSchema,
  type SingletonSpec,
  type TableSpec,
} from './stateSchema.ts';
import { decodeSnapshot, encodeSnapshot, type SnapshotTable } from './stateSnapshot.ts';
import {
  type LayerFlags,
  retiredError,
  Table,
  TableState,
  TOMBSTONE,
  type Tombstone,
} from './table.ts';

export type { RecordCodec, SingletonSpec, TableSpec } from './stateSchema.ts';
export { Table } from './table.ts';

/**
 * The economy's state container (docs/economy.md): tables of records and singleton blobs,
 * in layers. `child()` is an O(1) fork (an overlay that reads through to its parent, which it
 * seals); `root()` costs O(records changed since the parent's root) hashes, not O(records);
 * `compact()` folds the ancestors into the node's new root bank in O(their deltas).
 *
 * Precondition of `compact()` (the node's `setRoot` guarantees it): every layer that does not
 * descend from the compacted one is abandoned. Its ancestors are retired — any later use of them
 * throws — and their base maps are reused in place.
 */
export class LayeredStore {
  readonly #schema: CompiledSchema;
  #parent: LayeredStore | null;
  readonly #flags: LayerFlags = { sealed: false, retired: false };
  /** Owner token of the tree nodes this layer may change in place (copy-on-write). */
  readonly #token = {};
  readonly #states: TableState<unknown>[];
  readonly #views: Table<unknown>[];
  /** Singletons written in this layer (base: all of them, no tombstone). */
  #singles: Map<number, Uint8Array | Tombstone>;
  readonly #singleDirty = new Set<number>();
  /** Singleton hashes as of this layer's last root; null until the first (then the parent's). */
  #singleHashes: Uint8Array[] | null;
  #root: Uint8Array | null = null;

  private constructor(
    schema: CompiledSchema,
    parent: LayeredStore | null,
    own: readonly Map<string, unknown>[],
    trees: readonly (TreeNode | null)[],
    singles: Map<number, Uint8Array | Tombstone>,
    singleHashes: Uint8Array[] | null,
  ) {
    this.#schema = schema;
    this.#parent = parent;
    this.#states = schema.tables.map((t, i) => {
      const up = parent === null ? null : (parent.#states[i] as TableState<unknown>);
      const map = own[i] as Map<string, unknown>;
      return new TableState(this.#flags, t, up, map, up?.size ?? map.size, trees[i] ?? null);
    });
    this.#views = this.#states.map((s) => new Table(s));
    this.#singles = singles;
    this.#singleHashes = singleHashes;
  }

  /**
   * An empty state of these tables and singletons. RangeError on duplicate or out-of-range ids,
   * duplicate names or bucket bits out of range.
   */
  static create(
    tables: readonly TableSpec<unknown>[],
    singletons: readonly SingletonSpec[] = [],
  ): LayeredStore {
    const c = compileSchema({ tables, singletons });
    return new LayeredStore(
      c,
      null,
      c.tables.map(() => new Map()),
      c.tables.map((t) => treeLayout(t.bits).empty),
      new Map(),
      c.singletons.map(() => ABSENT_SINGLETON_HASH),
    );
  }

  /** The table of `spec` in this layer (the same spec object the schema was given). */
  table<T>(spec: TableSpec<T>): Table<T> {
    const t = this.#schema.tableById.get(spec.id);
    if (t === undefined || t.spec !== spec)
      throw new Error(`table ${spec.name} is not in the schema`);
    return this.#views[t.index] as unknown as Table<T>;
  }

  /** Whether this layer has children (its records and singletons are then frozen). */
  get sealed(): boolean {
    return this.#flags.sealed;
  }

  /** Layers below this one down to the base (0 for a base): what compaction folds. */
  get depth(): number {
    let d = 0;
    for (let l = this.#parent; l !== null; l = l.#parent) d++;
    return d;
  }

  /** A fork on top of this state, O(tables): seals this layer. */
  child(): LayeredStore {
    this.#live();
    this.#flags.sealed = true;
    return new LayeredStore(
      this.#schema,
      this,
      this.#states.map(() => new Map()),
      [],
      new Map(),
      null,
    );
  }

  getSingleton(spec: SingletonSpec): Uint8Array | undefined {
    this.#singletonIndex(spec);
    const v = this.#singleton(spec.id);
    return v?.slice();
  }

  setSingleton(spec: SingletonSpec, bytes: Uint8Array): void {
    this.#singletonIndex(spec);
    this.#writable();
    this.#singles.set(spec.id, Uint8Array.from(bytes));
    this.#singleDirty.add(spec.id);
  }

  deleteSingleton(spec: SingletonSpec): boolean {
    this.#singletonIndex(spec);
    this.#writable();
    if (this.#singleton(spec.id) === undefined) return false;
    if (this.#parent === null) this.#singles.delete(spec.id);
    else this.#singles.set(spec.id, TOMBSTONE);
    this.#singleDirty.add(spec.id);
    return true;
  }

  /** 32-byte commitment to every table and singleton (docs/economy.md, "State root"). */
  root(): Uint8Array {
    return this.#computeRoot().slice();
  }

  /** The same root from the records alone, no cache (the reference for tests). */
  rootFromScratch(): Uint8Array {
    this.#live();
    const roots = this.#schema.tables.map((t, i) => {
      const codec = t.spec.codec;
      const records = (this.#views[i] as Table<unknown>)
        .entries()
        .map(([k, v]) => [k, codec.encode(v)] as const);
      return referenceTableRoot(records, t.bits);
    });
    const hashes = this.#schema.singletons.map((s) => {
      const v = this.#singleton(s.id);
      return v === undefined ? ABSENT_SINGLETON_HASH : singletonHash(s.id, v);
    });
    return composeRoot(roots, hashes);
  }

  /**
   * Folds every ancestor's delta (oldest first) and this layer's into the base maps and makes
   * this layer the base: reads stop walking the chain. O(size of those deltas). Descendants keep
   * working; ancestors are retired (see the class precondition).
   */
  compact(): void {
    this.#live();
    const p = this.#parent;
    if (p === null) return;
    // The trees of the chain, while their records can still be read.
    p.#computeRoot();
    for (const s of this.#states) s.tree ??= (s.parent as TableState<unknown>).tree;
    this.#singleHashes ??= [...(p.#singleHashes as Uint8Array[])];
    const chain: LayeredStore[] = [];
    for (let l: LayeredStore | null = this; l !== null; l = l.#parent) chain.push(l);
    const base = chain[chain.length - 1] as LayeredStore;
    for (const [t, s] of this.#states.entries()) {
      const into = (base.#states[t] as TableState<unknown>).own;
      for (let i = chain.length - 2; i >= 0; i--) {
        for (const [k, v] of ((chain[i] as LayeredStore).#states[t] as TableState<unknown>).own) {
          if (v === TOMBSTONE) into.delete(k);
          else into.set(k, v);
        }
      }
      s.own = into;
      s.parent = null;
    }
    const singles = base.#singles;
    for (let i = chain.length - 2; i >= 0; i--) {
      for (const [id, v] of (chain[i] as LayeredStore).#singles) {
        if (v === TOMBSTONE) singles.delete(id);
        else singles.set(id, v);
      }
    }
    this.#singles = singles;
    for (let i = 1; i < chain.length; i++) (chain[i] as LayeredStore).#retire();
    this.#parent = null;
  }

  /** The whole state as canonical bytes (stateSnapshot.ts), root included. */
  encodeSnapshot(): Uint8Array {
    const root = this.#computeRoot();
    const tables = this.#schema.tables.map((t, i) => {
      const codec = t.spec.codec;
      return (this.#views[i] as Table<unknown>)
        .entries()
        .map(([k, v]) => [k, codec.encode(v)] as const);
    });
    const singles = this.#schema.singletons.map((s) => this.#singleton(s.id));
    return encodeSnapshot(this.#schema, tables, singles, root);
  }

  /**
   * A base layer holding the snapshot's state. RangeError on malformed bytes, on a snapshot of
   * another schema, and on records whose root is not the one the snapshot carries.
   */
  static fromSnapshot(
    tables: readonly TableSpec<unknown>[],
    bytes: Uint8Array,
    singletons: readonly SingletonSpec[] = [],
  ): LayeredStore {
    const c = compileSchema({ tables, singletons });
    const snap = decodeSnapshot(c, bytes);
    const singles = new Map<number, Uint8Array | Tombstone>();
    for (const [i, s] of c.singletons.entries()) {
      const v = snap.singletons[i];
      if (v !== undefined) singles.set(s.id, v);
    }
    const store = new LayeredStore(
      c,
      null,
      snap.tables.map((t) => new Map(t.keys.map((k, j) => [k, t.values[j]]))),
      c.tables.map((t) => treeLayout(t.bits).empty),
      singles,
      null,
    );
    store.#build(snap.tables);
    const root = store.#computeRoot();
    if (Buffer.compare(root, snap.root) !== 0)
      throw new RangeError('bad state snapshot: its records do not have its root');
    return store;
  }

  /** Builds the trees of a base layer from sorted records (snapshot load): every bucket once. */
  #build(tables: readonly SnapshotTable[]): void {
    for (const [i, s] of this.#states.entries()) {
      const t = tables[i] as SnapshotTable;
      const bits = s.compiled.bits;
      const byBucket = new Map<number, LeafChange[]>();
      for (const [j, key] of t.keys.entries()) {
        const b = bucketOf(key, bits);
        const change = { key, leaf: leafDigest(key, t.encoded[j] as Uint8Array) };
        const list = byBucket.get(b);
        if (list === undefined) byBucket.set(b, [change]);
        else list.push(change);
      }
      const updates = [...byBucket.keys()]
        .sort((a, b) => a - b)
        .map((index) => ({ index, changes: byBucket.get(index) as LeafChange[] }));
      s.tree = updateTree(s.tree as TreeNode, treeLayout(bits), this.#token, updates);
    }
    this.#singleHashes = this.#schema.singletons.map((s) => {
      const v = this.#singleton(s.id);
      return v === undefined ? ABSENT_SINGLETON_HASH : singletonHash(s.id, v);
    });
  }

  /**
   * The root, refreshing first every ancestor whose root is missing or stale (oldest first). An
   * ancestor is sealed: its caches, not its records, may still change here.
   */
  #computeRoot(): Uint8Array {
    const stale: LayeredStore[] = [];
    for (let l: LayeredStore | null = this; l !== null; l = l.#parent) {
      l.#live();
      if (l.#root !== null && !l.#pending()) break;
      stale.push(l);
    }
    for (let i = stale.length - 1; i >= 0; i--) (stale[i] as LayeredStore).#refresh();
    return this.#root as Uint8Array;
  }

  /** Recomputes this layer's root from its parent's trees (already fresh) and its dirty keys. */
  #refresh(): void {
    const p = this.#parent;
    const roots: Uint8Array[] = [];
    for (const s of this.#states) {
      let tree = s.tree ?? ((s.parent as TableState<unknown>).tree as TreeNode);
      if (s.dirty.size > 0) {
        tree = updateTree(tree, treeLayout(s.compiled.bits), this.#token, bucketUpdates(s));
        s.dirty.clear();
      }
      s.tree = tree;
      roots.push(digestBytes(treeRoot(tree)));
    }
    const hashes = this.#singleHashes ?? [...((p as LayeredStore).#singleHashes as Uint8Array[])];
    for (const id of this.#singleDirty) {
      const v = this.#singles.get(id);
      hashes[this.#schema.singletonIndex.get(id) as number] =
        v === undefined || v === TOMBSTONE ? ABSENT_SINGLETON_HASH : singletonHash(id, v);
    }
    this.#singleDirty.clear();
    this.#singleHashes = hashes;
    this.#root = composeRoot(roots, hashes);
  }

  #pending(): boolean {
    if (this.#singleDirty.size > 0) return true;
    for (const s of this.#states) if (s.dirty.size > 0) return true;
    return false;
  }

  #singleton(id: number): Uint8Array | undefined {
    for (let l: LayeredStore | null = this; l !== null; l = l.#parent) {
      if (l.#flags.retired) throw retiredError();
      const v = l.#singles.get(id);
      if (v !== undefined) return v === TOMBSTONE ? undefined : v;
    }
    return undefined;
  }

  #singletonIndex(spec: SingletonSpec): void {
    const i = this.#schema.singletonIndex.get(spec.id);
    if (i === undefined || this.#schema.singletons[i] !== spec)
      throw new Error(`singleton ${spec.name} is not in the schema`);
  }

  #live(): void {
    if (this.#flags.retired) throw retiredError();
  }

  #writable(): void {
    this.#live();
    if (this.#flags.sealed) throw new Error('write to a sealed state layer');
  }

  #retire(): void {
    this.#flags.retired = true;
    for (const s of this.#states) {
      s.own = new Map();
      s.parent = null;
      s.tree = null;
    }
    this.#singles = new Map();
    this.#parent = null;
  }
}

/** The dirty keys of a table grouped by bucket, with their new leaves (null: deleted). */
function bucketUpdates(s: TableState<unknown>): BucketUpdate[] {
  const bits = s.compiled.bits;
  const byBucket = new Map<number, string[]>();
  for (const key of s.dirty) {
    const b = bucketOf(key, bits);
    const list = byBucket.get(b);
    if (list === undefined) byBucket.set(b, [key]);
    else list.push(key);
  }
  const indices = [...byBucket.keys()].sort((a, b) => a - b);
  const updates: BucketUpdate[] = [];
  for (const index of indices) {
    const keys = sortKeys(byBucket.get(index) as string[]);
    const changes: LeafChange[] = [];
    for (const key of keys) {
      const v = s.own.get(key);
      const live = v !== undefined && v !== TOMBSTONE;
      changes.push({ key, leaf: live ? leafDigest(key, s.codec.encode(v)) : null });
    }
    updates.push({ index, changes });
  }
  return updates;
}

/** Sorts ASCII keys in place by their bytes (insertion sort: a bucket's dirty keys are few). */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 32) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i] as string;
    let j = i - 1;
    for (; j >= 0 && (keys[j] as string) > k; j--) keys[j + 1] = keys[j] as string;
    keys[j + 1] = k;
  }
  return keys;
}
