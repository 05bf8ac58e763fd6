import { ByteReader } from '../codec/byteReader.ts';
import { ByteWriter } from '../codec/byteWriter.ts';
import { CodecError } from '../codec/codecError.ts';
import { MAX_TX_BYTES } from '../params/txParams.ts';

const TX_BATCH_VERSION = 1;
/** Most transactions in one gossip message. */
export const MAX_GOSSIP_BATCH_TXS = 256;

/**
 * The `txs` gossip payload: several transactions in one message, so that gossipsub signs and
 * verifies one message per batch instead of one per transaction (its per-message Ed25519 work
 * dominated admission under load). u8 version ‖ u32 count ‖ (u32 length ‖ tx bytes)*.
 */
export function encodeTxBatch(txs: readonly Uint8Array[]): Uint8Array {
  if (txs.length === 0 || txs.length > MAX_GOSSIP_BATCH_TXS)
    throw new RangeError(`a batch holds 1-${MAX_GOSSIP_BATCH_TXS} transactions`);
  const w = new ByteWriter(16 + txs.reduce((n, t) => n + 4 + t.length, 0));
  w.u8(TX_BATCH_VERSION).u32(txs.length);
  for (const t of txs) w.bytes(t);
  return w.finish();
}

/** Decodes untrusted batch bytes (each tx is validated separately afterwards). */
export function decodeTxBatch(bytes: Uint8Array): Uint8Array[] {
  const r = new ByteReader(bytes);
  const version = r.u8();
  if (version !== TX_BATCH_VERSION)
    throw new CodecError('codec.tx_batch_version', `unknown tx batch version ${version}`);
  const out: Uint8Array[] = [];
  for (let n = r.count(MAX_GOSSIP_BATCH_TXS); n > 0; n--) out.push(r.bytes(MAX_TX_BYTES));
  r.end();
  if (out.length === 0) throw new CodecError('codec.tx_batch_empty', 'empty tx batch');
  return out;
}
