import type { TreeNode } from './bucketTree.ts';
import { type CompiledTable, isValidKey, MAX_KEY_LENGTH, type RecordCodec } from './stateSchema.ts';

/** A deleted record in an overlay layer (hides the ancestors' value). */
export const TOMBSTONE: unique symbol = Symbol('deleted');
export type Tombstone = typeof TOMBSTONE;

/** State shared by every table of one layer. */
export interface LayerFlags {
  /** The layer has children: its records are frozen. */
  sealed: boolean;
  /** A descendant was compacted: this layer's records were folded into it and are gone. */
  retired: boolean;
}

/**
 * One table in one layer (internal to the store). A base layer (parent null) holds every record
 * in `own` and no tombstone; an overlay holds the records written in it and tombstones.
 */
export class TableState<T> {
  readonly flags: LayerFlags;
  readonly compiled: CompiledTable;
  readonly codec: RecordCodec<T>;
  parent: TableState<T> | null;
  own: Map<string, T | Tombstone>;
  size: number;
  /** Keys written since this layer's last root (their leaves are re-hashed at the next). */
  readonly dirty = new Set<string>();
  /** The bucket tree as of this layer's last root; null until the first (then the parent's). */
  tree: TreeNode | null;

  constructor(
    flags: LayerFlags,
    compiled: CompiledTable,
    parent: TableState<T> | null,
    own: Map<string, T | Tombstone>,
    size: number,
    tree: TreeNode | null,
  ) {
    this.flags = flags;
    this.compiled = compiled;
    this.codec = compiled.spec.codec as RecordCodec<T>;
    this.parent = parent;
    this.own = own;
    this.size = size;
    this.tree = tree;
  }
}

export function retiredError(): Error {
  return new Error('state layer used after compact() folded it into a descendant');
}

/** The live value of `key` as seen from `s`: its own map, then its ancestors'. */
export function lookup<T>(s: TableState<T>, key: string): T | undefined {
  for (let l: TableState<T> | null = s; l !== null; l = l.parent) {
    if (l.flags.retired) throw retiredError();
    const v = l.own.get(key);
    if (v !== undefined) return v === TOMBSTONE ? undefined : v;
  }
  return undefined;
}

function writable<T>(s: TableState<T>): void {
  if (s.flags.retired) throw retiredError();
  if (s.flags.sealed) throw new Error(`table ${s.compiled.spec.name}: write to a sealed layer`);
}

/** Whether `key` has a live record as seen from `s`. */
function exists<T>(s: TableState<T>, key: string): boolean {
  const mine = s.own.get(key);
  if (mine !== undefined) return mine !== TOMBSTONE;
  return s.parent !== null && lookup(s.parent, key) !== undefined;
}

/**
 * One namespace of records in one layer of a LayeredStore. Keys are ASCII strings (binary keys as
 * lowercase hex); the root commits to their bytes. Values are owned by the store: `get` returns a
 * read-only view (possibly an ancestor layer's object), `getMut` the layer's own copy, which may
 * be mutated until the next `root()` or `child()` (mutations are picked up at the next root
 * because `getMut` marked the key), `set` takes ownership of the value it is given.
 */
export class Table<T> {
  readonly #s: TableState<T>;

  constructor(state: TableState<T>) {
    this.#s = state;
  }

  get name(): string {
    return this.#s.compiled.spec.name;
  }

  get size(): number {
    if (this.#s.flags.retired) throw retiredError();
    return this.#s.size;
  }

  /** Read-only: callers must not mutate it. */
  get(key: string): T | undefined {
    return lookup(this.#s, key);
  }

  has(key: string): boolean {
    return lookup(this.#s, key) !== undefined;
  }

  /** The record to mutate: copied (codec.clone) into this layer first when an ancestor holds it. */
  getMut(key: string): T | undefined {
    const s = this.#s;
    writable(s);
    const mine = s.own.get(key);
    if (mine !== undefined) {
      if (mine === TOMBSTONE) return undefined;
      s.dirty.add(key);
      return mine;
    }
    if (s.parent === null) return undefined;
    const v = lookup(s.parent, key);
    if (v === undefined) return undefined;
    const copy = s.codec.clone(v);
    s.own.set(key, copy);
    s.dirty.add(key);
    return copy;
  }

  /** Inserts or replaces. RangeError on a key that is not ASCII or longer than 65,535. */
  set(key: string, value: T): void {
    const s = this.#s;
    writable(s);
    if (!isValidKey(key))
      throw new RangeError(`table ${this.name}: key must be ASCII of ≤ ${MAX_KEY_LENGTH} chars`);
    if (value === undefined) throw new RangeError(`table ${this.name}: undefined value`);
    if (!exists(s, key)) s.size++;
    s.own.set(key, value);
    s.dirty.add(key);
  }

  /** Removes the record; false when there was none. */
  delete(key: string): boolean {
    const s = this.#s;
    writable(s);
    if (!exists(s, key)) return false;
    if (s.parent === null) s.own.delete(key);
    else s.own.set(key, TOMBSTONE);
    s.size--;
    s.dirty.add(key);
    return true;
  }

  /** Every live record in key order (a full scan: snapshots, RPC scans, tests). */
  entries(): [string, T][] {
    const chain: TableState<T>[] = [];
    for (let l: TableState<T> | null = this.#s; l !== null; l = l.parent) {
      if (l.flags.retired) throw retiredError();
      chain.push(l);
    }
    const base = chain[chain.length - 1] as TableState<T>;
    // Overlay writes, newest first wins; then the base records they do not hide.
    const over = new Map<string, T | Tombstone>();
    for (let i = 0; i < chain.length - 1; i++) {
      for (const [k, v] of (chain[i] as TableState<T>).own) if (!over.has(k)) over.set(k, v);
    }
    const out: [string, T][] = [];
    for (const [k, v] of base.own) if (v !== TOMBSTONE && !over.has(k)) out.push([k, v]);
    for (const [k, v] of over) if (v !== TOMBSTONE) out.push([k, v]);
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}
