import { ByteReader } from '../codec/byteReader.ts';
import { ByteWriter } from '../codec/byteWriter.ts';
import { CodecError } from '../codec/codecError.ts';
import { SyncError } from './syncError.ts';

/**
 * Most blocks one request may ask for. Ethereum's BlocksByRoot caps a request at
 * MAX_REQUEST_BLOCKS; we keep a request small enough to serve from memory in one go.
 */
export const MAX_SYNC_BLOCKS = 64;
/** Largest encoded block a response item may carry (the receiver never buffers more). */
export const MAX_SYNC_ITEM_BYTES = 1024 * 1024;
/** Bytes of a block hash (the request's key). */
export const SYNC_HASH_BYTES = 32;
/** Wire version of the request; bump together with the protocol id's trailing `/1`. */
export const SYNC_REQUEST_VERSION = 1;
/** u8 version + hash + u16 count. */
export const SYNC_REQUEST_BYTES = 1 + SYNC_HASH_BYTES + 2;
/** Each response item is framed like ByteWriter.bytes: a big-endian u32 length, then the bytes. */
const LENGTH_PREFIX_BYTES = 4;

/** "The block with this hash and up to count-1 of its ancestors, newest first." */
export interface BlocksByHashRequest {
  readonly hash: Uint8Array;
  readonly count: number;
}

/** Checks a request's fields; the requester calls this before dialing, so misuse never hits the wire. */
export function assertBlocksByHashRequest(req: BlocksByHashRequest): void {
  if (req.hash.length !== SYNC_HASH_BYTES)
    throw new RangeError(`hash must be ${SYNC_HASH_BYTES} bytes, got ${req.hash.length}`);
  if (!Number.isInteger(req.count) || req.count < 1 || req.count > MAX_SYNC_BLOCKS)
    throw new RangeError(`count must be an integer in [1, ${MAX_SYNC_BLOCKS}], got ${req.count}`);
}

export function encodeBlocksByHashRequest(req: BlocksByHashRequest): Uint8Array {
  assertBlocksByHashRequest(req);
  // ByteWriter has no u16: the count is written big-endian as two u8s.
  return new ByteWriter(SYNC_REQUEST_BYTES)
    .u8(SYNC_REQUEST_VERSION)
    .fixed(req.hash, SYNC_HASH_BYTES)
    .u8(req.count >> 8)
    .u8(req.count & 0xff)
    .finish();
}

/** Decodes untrusted request bytes; anything but one well-formed request is a CodecError. */
export function decodeBlocksByHashRequest(bytes: Uint8Array): BlocksByHashRequest {
  const r = new ByteReader(bytes);
  const version = r.u8();
  if (version !== SYNC_REQUEST_VERSION)
    throw new CodecError('codec.version', `unknown sync request version ${version}`);
  const hash = r.fixed(SYNC_HASH_BYTES);
  const count = (r.u8() << 8) | r.u8();
  r.end();
  if (count < 1 || count > MAX_SYNC_BLOCKS)
    throw new CodecError('codec.out_of_range', `count ${count} not in [1, ${MAX_SYNC_BLOCKS}]`);
  return { hash, count };
}

/** The length prefix of one response item. */
export function encodeItemPrefix(length: number): Uint8Array {
  return new ByteWriter(LENGTH_PREFIX_BYTES).u32(length).finish();
}

/**
 * Incremental decoder of a response: length-prefixed items, then end of stream. Memory is bounded
 * before allocation: an item's length is checked against MAX_SYNC_ITEM_BYTES and the item count
 * against `maxItems` as soon as the prefix (or the first byte past the last allowed item) arrives.
 */
export class ResponseDecoder {
  readonly #maxItems: number;
  readonly #items: Uint8Array[] = [];
  readonly #prefix = new Uint8Array(LENGTH_PREFIX_BYTES);
  #prefixFill = 0;
  #body: Uint8Array | undefined;
  #bodyFill = 0;

  constructor(maxItems: number) {
    this.#maxItems = maxItems;
  }

  /** Consumes one chunk; throws SyncError `sync.too_many` / `sync.item_too_large`. */
  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      const body = this.#body;
      at = body === undefined ? this.#readPrefix(chunk, at) : this.#readBody(body, chunk, at);
    }
  }

  /** The items, once the stream has ended; a stream cut inside an item is `sync.bad_response`. */
  finish(): Uint8Array[] {
    if (this.#prefixFill !== 0 || this.#body !== undefined)
      throw new SyncError('sync.bad_response', 'response ended inside an item');
    return this.#items;
  }

  #readPrefix(chunk: Uint8Array, at: number): number {
    if (this.#prefixFill === 0 && this.#items.length >= this.#maxItems)
      throw new SyncError('sync.too_many', `more than the ${this.#maxItems} items requested`);
    const n = Math.min(LENGTH_PREFIX_BYTES - this.#prefixFill, chunk.length - at);
    this.#prefix.set(chunk.subarray(at, at + n), this.#prefixFill);
    this.#prefixFill += n;
    if (this.#prefixFill === LENGTH_PREFIX_BYTES)
      this.#startBody(new ByteReader(this.#prefix).u32());
    return at + n;
  }

  #startBody(length: number): void {
    this.#prefixFill = 0;
    if (length > MAX_SYNC_ITEM_BYTES)
      throw new SyncError(
        'sync.item_too_large',
        `item of ${length} bytes > ${MAX_SYNC_ITEM_BYTES}`,
      );
    if (length === 0) this.#items.push(new Uint8Array(0));
    else this.#body = new Uint8Array(length);
    this.#bodyFill = 0;
  }

  #readBody(body: Uint8Array, chunk: Uint8Array, at: number): number {
    const n = Math.min(body.length - this.#bodyFill, chunk.length - at);
    body.set(chunk.subarray(at, at + n), this.#bodyFill);
    this.#bodyFill += n;
    if (this.#bodyFill === body.length) {
      this.#items.push(body);
      this.#body = undefined;
    }
    return at + n;
  }
}
