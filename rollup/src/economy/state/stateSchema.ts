/**
 * What a LayeredStore holds: its tables (namespaces of records, each with the codec whose bytes the
 * state root commits to) and its singletons (small module states — fee market, monetary — kept as
 * bytes their own module encodes). Both are fixed by the protocol: ids are stable and part of the
 * root and the snapshot layout.
 */

/** log2 of a table's bucket count unless its spec says otherwise: 4,096 buckets (§ root design). */
export const DEFAULT_BUCKET_BITS = 12;
/** Largest bucket count a table may have (2^20: a full tree is 64 MiB of hashes). */
export const MAX_BUCKET_BITS = 20;
/** Keys are committed with a u16 length prefix. */
export const MAX_KEY_LENGTH = 0xffff;

/** Canonical encoding of one kind of record. */
export interface RecordCodec<T> {
  /** The canonical bytes the state root and snapshots commit to. */
  encode(value: T): Uint8Array;
  /** Inverse of `encode`; RangeError on malformed bytes. */
  decode(bytes: Uint8Array): T;
  /** Deep copy: `getMut` copies a record out of an ancestor layer before the caller mutates it. */
  clone(value: T): T;
}

export interface TableSpec<T> {
  readonly name: string;
  /** u8, stable: the table's place in the state root and in snapshots. */
  readonly id: number;
  readonly codec: RecordCodec<T>;
  /**
   * log2 of the bucket count, 0..MAX_BUCKET_BITS (default DEFAULT_BUCKET_BITS). Part of the root,
   * so fixed per table by the protocol; size it so buckets stay small (records / 2^bits ≲ 16).
   */
  readonly bucketBits?: number;
}

export interface SingletonSpec {
  readonly name: string;
  /** u8, stable: the singleton's place in the state root and in snapshots. */
  readonly id: number;
}

export interface StateSchema {
  readonly tables: readonly TableSpec<unknown>[];
  readonly singletons?: readonly SingletonSpec[];
}

/** One table as the store uses it. */
export interface CompiledTable {
  readonly spec: TableSpec<unknown>;
  /** Position in id order (the order of the root and of snapshots). */
  readonly index: number;
  readonly bits: number;
}

export interface CompiledSchema {
  /** By ascending id. */
  readonly tables: readonly CompiledTable[];
  /** By ascending id. */
  readonly singletons: readonly SingletonSpec[];
  readonly tableById: ReadonlyMap<number, CompiledTable>;
  /** Singleton id → position in `singletons`. */
  readonly singletonIndex: ReadonlyMap<number, number>;
}

function checkId(kind: string, name: string, id: number, seen: Set<number>): void {
  if (!Number.isInteger(id) || id < 0 || id > 0xff)
    throw new RangeError(`${kind} ${name}: id must be a u8, got ${id}`);
  if (seen.has(id)) throw new RangeError(`${kind} ${name}: duplicate id ${id}`);
  seen.add(id);
}

/** Validates a schema (unique u8 ids and names, bucket bits in range) and sorts it by id. */
export function compileSchema(schema: StateSchema): CompiledSchema {
  const names = new Set<string>();
  const checkName = (kind: string, name: string) => {
    if (name.length === 0) throw new RangeError(`${kind} without a name`);
    if (names.has(name)) throw new RangeError(`duplicate name ${name}`);
    names.add(name);
  };
  const ids = new Set<number>();
  for (const t of schema.tables) {
    checkName('table', t.name);
    checkId('table', t.name, t.id, ids);
    const bits = t.bucketBits ?? DEFAULT_BUCKET_BITS;
    if (!Number.isInteger(bits) || bits < 0 || bits > MAX_BUCKET_BITS)
      throw new RangeError(`table ${t.name}: bucketBits must be 0..${MAX_BUCKET_BITS}`);
  }
  const singletonIds = new Set<number>();
  for (const s of schema.singletons ?? []) {
    checkName('singleton', s.name);
    checkId('singleton', s.name, s.id, singletonIds);
  }
  const tables = [...schema.tables]
    .sort((a, b) => a.id - b.id)
    .map((spec, index) => ({ spec, index, bits: spec.bucketBits ?? DEFAULT_BUCKET_BITS }));
  const singletons = [...(schema.singletons ?? [])].sort((a, b) => a.id - b.id);
  return {
    tables,
    singletons,
    tableById: new Map(tables.map((t) => [t.spec.id, t])),
    singletonIndex: new Map(singletons.map((s, i) => [s.id, i])),
  };
}

/**
 * A key is an ASCII string (every UTF-16 code unit < 0x80) of at most MAX_KEY_LENGTH characters;
 * the root commits to its ASCII bytes, and JS string order is then the order of those bytes.
 * Binary keys are written as lowercase hex.
 */
export function isValidKey(key: string): boolean {
  if (key.length > MAX_KEY_LENGTH) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0x7f) return false;
  return true;
}
