import { ByteReader } from '../codec/byteReader.ts';
import { ByteWriter } from '../codec/byteWriter.ts';
import { CodecError } from '../codec/codecError.ts';
import { MAX_CONTENT_BYTES } from '../params/economyParams.ts';
import { MAX_TX_BYTES } from '../params/txParams.ts';

const CONTENT_GOSSIP_VERSION = 1;

/** A transaction that references content, with its body (the `content` gossip topic). */
export interface ContentMessage {
  readonly tx: Uint8Array;
  readonly body: Uint8Array;
}

/**
 * The `content` gossip payload: `u8 version ‖ u32 length ‖ tx bytes ‖ u32 length ‖ body`. The
 * transaction travels with its body so that every receiver can check the body itself (the
 * signed ContentRef gives hash, size and type) and forward it at once, instead of holding bodies
 * for transactions it has not seen yet. A content transaction is gossiped only this way.
 */
export function encodeContentMessage(m: ContentMessage): Uint8Array {
  const w = new ByteWriter(16 + m.tx.length + m.body.length);
  return w.u8(CONTENT_GOSSIP_VERSION).bytes(m.tx).bytes(m.body).finish();
}

/** Decodes untrusted bytes (the tx and the body are validated afterwards). */
export function decodeContentMessage(bytes: Uint8Array): ContentMessage {
  const r = new ByteReader(bytes);
  const version = r.u8();
  if (version !== CONTENT_GOSSIP_VERSION)
    throw new CodecError('codec.content_version', `unknown content message version ${version}`);
  const tx = r.bytes(MAX_TX_BYTES);
  const body = r.bytes(MAX_CONTENT_BYTES);
  r.end();
  if (body.length === 0) throw new CodecError('codec.content_empty', 'empty content body');
  return { tx, body };
}
