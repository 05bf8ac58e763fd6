import { MoltdmCryptoError } from './errors.ts';

/** Strict cursor over untrusted bytes: every read past the end is `crypto.malformed`. */
export class WireReader {
  readonly #bytes: Uint8Array;
  #offset = 0;

  constructor(bytes: unknown, what: string) {
    if (!(bytes instanceof Uint8Array)) {
      throw new MoltdmCryptoError('crypto.malformed', `${what} must be bytes`);
    }
    this.#bytes = bytes;
  }

  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  u8(field: string): number {
    this.#need(1, field);
    return this.#bytes[this.#offset++] as number;
  }

  u32(field: string): number {
    this.#need(4, field);
    const b = this.#bytes;
    const o = this.#offset;
    this.#offset += 4;
    return (
      (b[o] as number) * 0x1000000 +
      (((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number))
    );
  }

  /** A copy, so the caller may keep or zero it independently of the input. */
  bytes(length: number, field: string): Uint8Array {
    this.#need(length, field);
    const out = this.#bytes.slice(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  /** Everything left, bounded to `min..max` bytes. */
  rest(min: number, max: number, field: string): Uint8Array {
    const n = this.remaining;
    if (n < min) throw new MoltdmCryptoError('crypto.malformed', `${field} truncated`);
    if (n > max) throw new MoltdmCryptoError('crypto.malformed', `${field} too large`);
    return this.bytes(n, field);
  }

  /** The bytes already read (a view); for headers that are authenticated as read. */
  consumed(): Uint8Array {
    return this.#bytes.subarray(0, this.#offset);
  }

  end(what: string): void {
    if (this.remaining !== 0) {
      throw new MoltdmCryptoError(
        'crypto.malformed',
        `${what} has ${this.remaining} trailing bytes`,
      );
    }
  }

  #need(n: number, field: string): void {
    if (this.remaining < n) throw new MoltdmCryptoError('crypto.malformed', `${field} truncated`);
  }
}
