import type { PeerId, Stream } from '@libp2p/interface';
import { type ByteStream, byteStream } from '@libp2p/utils';
import { CodecError } from '../codec/codecError.ts';
import {
  type BlocksByHashRequest,
  decodeBlocksByHashRequest,
  encodeBlocksByHashRequest,
  encodeItemPrefix,
  MAX_SYNC_ITEM_BYTES,
  ResponseDecoder,
  SYNC_REQUEST_BYTES,
} from './blockSyncCodec.ts';
import type { P2pNode } from './createP2pNode.ts';
import { SyncError } from './syncError.ts';

/**
 * Req/resp for catching up on missed blocks, after Ethereum consensus-specs `BlocksByRoot`
 * (phase0 p2p-interface): one request per stream, the requester half-closes after writing it, the
 * responder writes the items and closes. Items are opaque encoded blocks to this module; checking
 * that they hash and link up is the caller's job, as in BlocksByRoot.
 */
export function blockSyncProtocol(shard: number): string {
  return `/moltbook/shard/${shard}/blocks-by-hash/1`;
}

/** Looks up the block with `hash` and up to `count - 1` of its ancestors, newest first. */
export type BlockProvider = (hash: Uint8Array, count: number) => Promise<Uint8Array[]>;

export interface RequestBlocksOpts {
  /** Deadline for dial, request and whole response together. */
  readonly timeoutMs?: number;
}

/** consensus-specs MAX_CONCURRENT_REQUESTS: 2 open requests per protocol id per peer connection. */
export const MAX_CONCURRENT_SYNC_STREAMS = 2;
/** A peer that opens a stream must send its request within this (consensus-specs TTFB_TIMEOUT). */
export const SYNC_REQUEST_TIMEOUT_MS = 5_000;
/** The responder gives up on a slow reader after this (consensus-specs RESP_TIMEOUT). */
export const SYNC_RESPONSE_TIMEOUT_MS = 10_000;
export const DEFAULT_SYNC_TIMEOUT_MS = 5_000;
/** Bytes the transport may buffer between two reads of a response (the decoder holds one item). */
const RESPONSE_READ_BUFFER_BYTES = 2 * MAX_SYNC_ITEM_BYTES;

export interface BlockSyncServerOpts {
  /** How long a peer has to send its request after opening a stream (SYNC_REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs?: number;
}

/** Serves `blocks-by-hash` for `shard` from `provider`. Nothing a peer sends can throw out of it. */
export async function registerBlockSync(
  node: P2pNode,
  shard: number,
  provider: BlockProvider,
  opts: BlockSyncServerOpts = {},
): Promise<void> {
  const requestTimeoutMs = opts.requestTimeoutMs ?? SYNC_REQUEST_TIMEOUT_MS;
  await node.handle(
    blockSyncProtocol(shard),
    (stream) => serveBlocks(stream, provider, requestTimeoutMs),
    { maxInboundStreams: MAX_CONCURRENT_SYNC_STREAMS },
  );
}

/**
 * One inbound request. Any failure (malformed or late request, provider error, slow reader) resets
 * the stream without a response: the requester sees `sync.bad_response`, never an empty success.
 */
async function serveBlocks(
  stream: Stream,
  provider: BlockProvider,
  requestTimeoutMs: number,
): Promise<void> {
  try {
    const bytes = byteStream(stream, { maxBufferSize: SYNC_REQUEST_BYTES });
    const req = await readRequest(bytes, AbortSignal.timeout(requestTimeoutMs));
    const blocks = await provider(req.hash, req.count);
    const signal = AbortSignal.timeout(SYNC_RESPONSE_TIMEOUT_MS);
    for (const block of blocks.slice(0, req.count)) await writeItem(bytes, block, signal);
    await stream.close({ signal });
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)));
  }
}

type Bytes = ByteStream<Stream>;

/** Exactly one request, then the requester's half-close (consensus-specs: it MUST close writing). */
async function readRequest(bytes: Bytes, signal: AbortSignal): Promise<BlocksByHashRequest> {
  const request = await bytes.read({ bytes: SYNC_REQUEST_BYTES, signal });
  if ((await bytes.read({ signal })) !== null)
    throw new CodecError('codec.trailing_bytes', 'bytes after the sync request');
  return decodeBlocksByHashRequest(request.subarray());
}

async function writeItem(bytes: Bytes, block: Uint8Array, signal: AbortSignal): Promise<void> {
  // Our own provider broke the response bound: an internal invariant, but still no crash here.
  if (block.length > MAX_SYNC_ITEM_BYTES)
    throw new RangeError(`provider returned a ${block.length}-byte block`);
  await bytes.write(encodeItemPrefix(block.length), { signal });
  await bytes.write(block, { signal });
}

/**
 * Asks `peer` for the block with `hash` and up to `count - 1` ancestors, newest first. Arguments
 * are checked before dialing (RangeError). Rejects with a SyncError: `sync.timeout`,
 * `sync.dial_failed`, `sync.bad_response`, `sync.too_many`, `sync.item_too_large`.
 */
export async function requestBlocks(
  node: P2pNode,
  peer: PeerId,
  shard: number,
  hash: Uint8Array,
  count: number,
  opts: RequestBlocksOpts = {},
): Promise<Uint8Array[]> {
  const request = encodeBlocksByHashRequest({ hash, count });
  const signal = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_SYNC_TIMEOUT_MS);
  const stream = await openStream(node, peer, shard, signal);
  try {
    return await exchange(stream, request, count, signal);
  } catch (err) {
    const syncErr = toSyncError(err, signal);
    stream.abort(syncErr);
    throw syncErr;
  }
}

async function openStream(
  node: P2pNode,
  peer: PeerId,
  shard: number,
  signal: AbortSignal,
): Promise<Stream> {
  try {
    return await node.dialProtocol(peer, blockSyncProtocol(shard), { signal });
  } catch (err) {
    if (signal.aborted) throw new SyncError('sync.timeout', 'timed out dialing', { cause: err });
    throw new SyncError('sync.dial_failed', `cannot open ${blockSyncProtocol(shard)}`, {
      cause: err,
    });
  }
}

/** Writes the request, half-closes, and decodes items until the responder closes. */
async function exchange(
  stream: Stream,
  request: Uint8Array,
  count: number,
  signal: AbortSignal,
): Promise<Uint8Array[]> {
  const bytes = byteStream(stream, { maxBufferSize: RESPONSE_READ_BUFFER_BYTES });
  await bytes.write(request, { signal });
  await stream.close({ signal });
  const decoder = new ResponseDecoder(count);
  for (
    let chunk = await bytes.read({ signal });
    chunk !== null;
    chunk = await bytes.read({ signal })
  )
    for (const part of chunk) decoder.push(part);
  return decoder.finish();
}

function toSyncError(err: unknown, signal: AbortSignal): SyncError {
  if (err instanceof SyncError) return err;
  if (signal.aborted)
    return new SyncError('sync.timeout', 'no complete response in time', { cause: err });
  return new SyncError('sync.bad_response', 'the response stream failed', { cause: err });
}
