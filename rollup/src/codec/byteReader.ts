import { CodecError } from './codecError.ts';

/** Reads what ByteWriter wrote; every read is bounds-checked and fails with a CodecError. */
export class ByteReader {
  readonly #buf: Uint8Array;
  readonly #view: DataView;
  #pos = 0;

  constructor(buf: Uint8Array) {
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  #take(n: number): number {
    if (this.#pos + n > this.#buf.length) {
      throw new CodecError(
        'codec.truncated',
        `need ${n} bytes at offset ${this.#pos}, have ${this.#buf.length - this.#pos}`,
      );
    }
    const at = this.#pos;
    this.#pos += n;
    return at;
  }

  u8(): number {
    return this.#view.getUint8(this.#take(1));
  }

  u32(): number {
    return this.#view.getUint32(this.#take(4));
  }

  u64(): number {
    const v = this.#view.getBigUint64(this.#take(8));
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      throw new CodecError('codec.u64_too_large', `u64 ${v} exceeds 2^53`);
    return Number(v);
  }

  fixed(length: number): Uint8Array {
    const at = this.#take(length);
    return this.#buf.slice(at, at + length);
  }

  bytes(maxLength: number): Uint8Array {
    const len = this.u32();
    if (len > maxLength)
      throw new CodecError('codec.too_long', `length ${len} exceeds ${maxLength}`);
    return this.fixed(len);
  }

  /** Count prefix of a list, bounded so a hostile peer cannot make us allocate without limit. */
  count(max: number): number {
    const n = this.u32();
    if (n > max) throw new CodecError('codec.too_many', `count ${n} exceeds ${max}`);
    return n;
  }

  end(): void {
    if (this.#pos !== this.#buf.length) {
      throw new CodecError(
        'codec.trailing_bytes',
        `${this.#buf.length - this.#pos} trailing bytes`,
      );
    }
  }
}
