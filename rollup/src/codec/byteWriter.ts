/** Appends big-endian integers and byte strings to a growing buffer (the canonical encoding). */
export class ByteWriter {
  #buf: Uint8Array;
  #view: DataView;
  #len = 0;

  constructor(initial = 256) {
    this.#buf = new Uint8Array(initial);
    this.#view = new DataView(this.#buf.buffer);
  }

  #reserve(n: number): number {
    const at = this.#len;
    if (at + n > this.#buf.length) {
      const next = new Uint8Array(Math.max(this.#buf.length * 2, at + n));
      next.set(this.#buf.subarray(0, at));
      this.#buf = next;
      this.#view = new DataView(next.buffer);
    }
    this.#len += n;
    return at;
  }

  // Each write reserves first and only then reads #buf/#view: reserving may replace them.
  u8(v: number): this {
    const at = this.#reserve(1);
    this.#view.setUint8(at, v);
    return this;
  }

  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff)
      throw new RangeError(`u32 out of range: ${v}`);
    const at = this.#reserve(4);
    this.#view.setUint32(at, v);
    return this;
  }

  /** u64 from a non-negative safe integer (slots, tick heights). */
  u64(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`u64 out of range: ${v}`);
    const at = this.#reserve(8);
    this.#view.setBigUint64(at, BigInt(v));
    return this;
  }

  /** u64 from a bigint in [0, 2^64) (balances, amounts). */
  u64n(v: bigint): this {
    if (v < 0n || v > 0xffff_ffff_ffff_ffffn) throw new RangeError(`u64 out of range: ${v}`);
    const at = this.#reserve(8);
    this.#view.setBigUint64(at, v);
    return this;
  }

  /** Fixed-length bytes; the reader must know the length. */
  fixed(bytes: Uint8Array, length: number): this {
    if (bytes.length !== length)
      throw new RangeError(`expected ${length} bytes, got ${bytes.length}`);
    const at = this.#reserve(length);
    this.#buf.set(bytes, at);
    return this;
  }

  /** Length-prefixed (u32) bytes. */
  bytes(bytes: Uint8Array): this {
    this.u32(bytes.length);
    const at = this.#reserve(bytes.length);
    this.#buf.set(bytes, at);
    return this;
  }

  /** Empties the writer, keeping its buffer (a scratch writer reused across encodings). */
  reset(): this {
    this.#len = 0;
    return this;
  }

  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}
