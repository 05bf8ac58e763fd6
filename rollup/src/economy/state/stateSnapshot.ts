import { STATE_ROOT_TAG } from './stateHashing.ts';
import type { CompiledSchema } from './stateSchema.ts';

/**
 * The bytes of a whole state (docs/economy.md, "Snapshot"):
 *
 *   'moltbook/state/v2' ‖ u8 SNAPSHOT_FORMAT
 *   u8 tableCount, then per table by ascending id:
 *     u8 id ‖ u8 bucketBits ‖ u32 recordCount ‖ (u16 keyLength ‖ key ‖ u32 valueLength ‖ value)*
 *     records in ascending key order, values in their codec's canonical bytes
 *   u8 singletonCount, then per present singleton by ascending id: u8 id ‖ u32 length ‖ bytes
 *   the 32-byte state root
 *
 * Big-endian integers. Canonical: one state has exactly one snapshot.
 */
export const SNAPSHOT_FORMAT = 1;

export interface SnapshotTable {
  /** Ascending. */
  readonly keys: readonly string[];
  readonly values: readonly unknown[];
  /** Canonical bytes of each value (what its leaf commits to). */
  readonly encoded: readonly Uint8Array[];
}

export interface DecodedSnapshot {
  readonly tables: readonly SnapshotTable[];
  /** By singleton position in the schema; undefined when absent. */
  readonly singletons: readonly (Uint8Array | undefined)[];
  readonly root: Uint8Array;
}

export function encodeSnapshot(
  schema: CompiledSchema,
  tables: readonly (readonly (readonly [string, Uint8Array])[])[],
  singletons: readonly (Uint8Array | undefined)[],
  root: Uint8Array,
): Uint8Array {
  let size = STATE_ROOT_TAG.length + 1 + 1 + 1 + 32;
  for (const records of tables) {
    size += 6;
    for (const [k, v] of records) size += 6 + k.length + v.length;
  }
  for (const s of singletons) if (s !== undefined) size += 5 + s.length;
  const out = Buffer.alloc(size);
  out.set(STATE_ROOT_TAG, 0);
  let at = STATE_ROOT_TAG.length;
  out[at++] = SNAPSHOT_FORMAT;
  out[at++] = schema.tables.length;
  for (const [i, t] of schema.tables.entries()) {
    const records = tables[i] ?? [];
    out[at++] = t.spec.id;
    out[at++] = t.bits;
    out.writeUInt32BE(records.length, at);
    at += 4;
    for (const [k, v] of records) {
      out.writeUInt16BE(k.length, at);
      out.write(k, at + 2, 'latin1');
      at += 2 + k.length;
      out.writeUInt32BE(v.length, at);
      out.set(v, at + 4);
      at += 4 + v.length;
    }
  }
  out[at++] = singletons.filter((s) => s !== undefined).length;
  for (const [i, s] of singletons.entries()) {
    if (s === undefined) continue;
    out[at++] = (schema.singletons[i] as { id: number }).id;
    out.writeUInt32BE(s.length, at);
    out.set(s, at + 4);
    at += 4 + s.length;
  }
  out.set(root, at);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function bad(reason: string, cause?: unknown): RangeError {
  return new RangeError(`bad state snapshot: ${reason}`, cause === undefined ? {} : { cause });
}

/** A bounds-checked big-endian reader: every short read is a RangeError. */
class Reader {
  readonly #b: Buffer;
  at = 0;
  constructor(bytes: Uint8Array) {
    this.#b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get left(): number {
    return this.#b.length - this.at;
  }
  #need(n: number, what: string): void {
    if (this.left < n) throw bad(`truncated in ${what}`);
  }
  u8(what: string): number {
    this.#need(1, what);
    return this.#b[this.at++] as number;
  }
  u16(what: string): number {
    this.#need(2, what);
    const v = this.#b.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }
  u32(what: string): number {
    this.#need(4, what);
    const v = this.#b.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  /** A copy (decoded values never alias the snapshot buffer). */
  bytes(n: number, what: string): Uint8Array {
    this.#need(n, what);
    const v = new Uint8Array(n);
    v.set(this.#b.subarray(this.at, this.at + n));
    this.at += n;
    return v;
  }
  ascii(n: number, what: string): string {
    this.#need(n, what);
    for (let i = this.at; i < this.at + n; i++)
      if ((this.#b[i] as number) > 0x7f) throw bad(`${what} is not ASCII`);
    const s = this.#b.toString('latin1', this.at, this.at + n);
    this.at += n;
    return s;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * Parses and checks a snapshot against `schema`: format, table ids and bucket bits, ASCII keys in
 * strictly ascending order, values that decode and re-encode to the same bytes, known singletons
 * in ascending order, no trailing byte. The root is returned for the caller to check against the
 * records. RangeError on anything else.
 */
export function decodeSnapshot(schema: CompiledSchema, bytes: Uint8Array): DecodedSnapshot {
  const r = new Reader(bytes);
  const tag = r.bytes(STATE_ROOT_TAG.length, 'tag');
  if (!equalBytes(tag, STATE_ROOT_TAG)) throw bad('not a moltbook/state/v2 snapshot');
  const format = r.u8('format');
  if (format !== SNAPSHOT_FORMAT) throw bad(`unknown format ${format}`);
  const tableCount = r.u8('table count');
  if (tableCount !== schema.tables.length)
    throw bad(`${tableCount} tables, the schema has ${schema.tables.length}`);
  const tables: SnapshotTable[] = [];
  for (const t of schema.tables) {
    const name = t.spec.name;
    const id = r.u8('table id');
    if (id !== t.spec.id) throw bad(`table id ${id} where the schema has ${t.spec.id} (${name})`);
    const bits = r.u8('bucket bits');
    if (bits !== t.bits) throw bad(`table ${name}: bucket bits ${bits}, the schema has ${t.bits}`);
    const count = r.u32('record count');
    // Each record takes ≥ 6 bytes: a count beyond that is malformed, not a reason to allocate.
    if (count * 6 > r.left) throw bad(`table ${name}: ${count} records cannot fit`);
    const keys: string[] = [];
    const values: unknown[] = [];
    const encoded: Uint8Array[] = [];
    let prev: string | null = null;
    for (let i = 0; i < count; i++) {
      const key = r.ascii(r.u16('key length'), 'key');
      if (prev !== null && !(prev < key)) throw bad(`table ${name}: keys not strictly ascending`);
      prev = key;
      const v = r.bytes(r.u32('value length'), 'value');
      let value: unknown;
      try {
        value = t.spec.codec.decode(v);
      } catch (err) {
        throw bad(`table ${name}: record ${key} does not decode`, err);
      }
      if (!equalBytes(t.spec.codec.encode(value), v))
        throw bad(`table ${name}: record ${key} is not in canonical form`);
      keys.push(key);
      values.push(value);
      encoded.push(v);
    }
    tables.push({ keys, values, encoded });
  }
  const singletons: (Uint8Array | undefined)[] = schema.singletons.map(() => undefined);
  const present = r.u8('singleton count');
  let prevId = -1;
  for (let i = 0; i < present; i++) {
    const id = r.u8('singleton id');
    const at = schema.singletonIndex.get(id);
    if (at === undefined) throw bad(`unknown singleton ${id}`);
    if (id <= prevId) throw bad('singletons not in ascending id order');
    prevId = id;
    singletons[at] = r.bytes(r.u32('singleton length'), 'singleton');
  }
  const root = r.bytes(32, 'root');
  if (r.left !== 0) throw bad(`${r.left} trailing bytes`);
  return { tables, singletons, root };
}
