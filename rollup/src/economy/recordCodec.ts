import { ByteReader } from '../codec/byteReader.ts';
import { ByteWriter } from '../codec/byteWriter.ts';
import { CodecError } from '../codec/codecError.ts';

/**
 * Field codecs for state records (what the state root commits to): big-endian, fixed widths.
 * Unsigned amounts, slots and counters are u64; signed fixed-point values (reputation, WAD) are
 * two's-complement 256-bit words (i256). Decoding failures are RangeErrors (a corrupt snapshot is
 * a programmer or disk error, never peer input: peers send transactions, not records).
 */
const I256_MIN = -(1n << 255n);
const I256_MAX = (1n << 255n) - 1n;
const U256 = 1n << 256n;
const U64_MASK = (1n << 64n) - 1n;
const ZERO_24 = new Uint8Array(24);
const ONES_24 = new Uint8Array(24).fill(0xff);

/**
 * One scratch buffer for every record encoding: state roots encode tens of thousands of records
 * per block, and a fresh, regrown buffer each time was a third of the root's cost
 * (docs/BENCHMARKS.md). Encoders must not nest: a writer started while another is open makes
 * the older one throw on its next use (each writer holds the generation it started in), so a
 * mistake cannot silently mix two records — and an encoder that threw leaves nothing stuck.
 */
const SCRATCH = new ByteWriter(512);
let generation = 0;

export class RecordWriter {
  readonly #w: ByteWriter;
  readonly #gen: number;

  constructor() {
    generation += 1;
    this.#gen = generation;
    this.#w = SCRATCH.reset();
  }

  #open(): ByteWriter {
    if (this.#gen !== generation) throw new Error('RecordWriter: encoders must not nest');
    return this.#w;
  }

  u8(v: number): this {
    this.#open().u8(v);
    return this;
  }

  u32(v: number): this {
    this.#open().u32(v);
    return this;
  }

  u64(v: bigint): this {
    this.#open().u64n(v);
    return this;
  }

  /** Two's-complement 256-bit word, written as four u64 (one when the value fits 64 bits). */
  i256(v: bigint): this {
    if (v < I256_MIN || v > I256_MAX) throw new RangeError(`i256 out of range: ${v}`);
    if (v >= 0n && v <= U64_MASK) {
      this.#open().fixed(ZERO_24, 24).u64n(v);
      return this;
    }
    if (v < 0n && v >= -(U64_MASK + 1n)) {
      this.#open()
        .fixed(ONES_24, 24)
        .u64n(v + U64_MASK + 1n);
      return this;
    }
    const u = v < 0n ? v + U256 : v;
    this.#open()
      .u64n((u >> 192n) & U64_MASK)
      .u64n((u >> 128n) & U64_MASK)
      .u64n((u >> 64n) & U64_MASK)
      .u64n(u & U64_MASK);
    return this;
  }

  bytes32(b: Uint8Array): this {
    this.#open().fixed(b, 32);
    return this;
  }

  /** Short ASCII string (u8 length). */
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    if (b.length > 255) throw new RangeError('string longer than 255 bytes');
    this.#open().u8(b.length).fixed(b, b.length);
    return this;
  }

  /** The encoded bytes (a copy); the writer may not be used after. */
  finish(): Uint8Array {
    return this.#open().finish();
  }
}

export class RecordReader {
  readonly #r: ByteReader;

  constructor(bytes: Uint8Array) {
    this.#r = new ByteReader(bytes);
  }

  #wrap<T>(f: () => T): T {
    try {
      return f();
    } catch (err) {
      if (err instanceof CodecError) throw new RangeError(`bad state record: ${err.message}`);
      throw err;
    }
  }

  u8(): number {
    return this.#wrap(() => this.#r.u8());
  }

  u32(): number {
    return this.#wrap(() => this.#r.u32());
  }

  u64(): bigint {
    return this.#wrap(() => {
      const b = this.#r.fixed(8);
      return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
    });
  }

  i256(): bigint {
    const b = this.#wrap(() => this.#r.fixed(32));
    let x = 0n;
    for (const byte of b) x = (x << 8n) | BigInt(byte);
    return x > I256_MAX ? x - U256 : x;
  }

  bytes32(): Uint8Array {
    return this.#wrap(() => this.#r.fixed(32));
  }

  str(): string {
    return this.#wrap(() => {
      const n = this.#r.u8();
      return new TextDecoder('utf-8', { fatal: true }).decode(this.#r.fixed(n));
    });
  }

  /** A bounded list count (u32). */
  count(max: number): number {
    return this.#wrap(() => this.#r.count(max));
  }

  end(): void {
    this.#wrap(() => this.#r.end());
  }
}

/** u64 as 16 lowercase hex digits: record keys that sort like the number. */
export function u64Key(v: bigint): string {
  return v.toString(16).padStart(16, '0');
}
