import { hash as nodeHash } from 'node:crypto';
import { ByteReader } from '../codec/byteReader.ts';
import { ByteWriter } from '../codec/byteWriter.ts';
import { CodecError } from '../codec/codecError.ts';
import { TX_DOMAIN_TAG, TX_VERSION, U64_MAX } from '../params/txParams.ts';
import {
  PAYLOAD_KIND,
  type SignedTransaction,
  type TxPayload,
  type UnsignedTransaction,
} from './transaction.ts';

/**
 * Canonical encoding of a transaction (big-endian, fixed widths, no optional fields):
 *
 *   u8 version · u32 shard · 32 sender · u64 nonce · u64 maxFeePerGas · u64 gasLimit ·
 *   u8 payload kind · payload · 64 signature
 *
 * transfer payload (kind 1): 32 to · u64 amount. A transfer is 166 bytes. The signature is last,
 * so the unsigned encoding is the signed one without its last 64 bytes.
 */
export const SIGNATURE_BYTES = 64;

const TAG = new TextEncoder().encode(TX_DOMAIN_TAG);

function u64(v: bigint): Uint8Array {
  if (typeof v !== 'bigint' || v < 0n || v > U64_MAX)
    throw new RangeError(`u64 out of range: ${v}`);
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v);
  return b;
}

function readU64(r: ByteReader): bigint {
  const b = r.fixed(8);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
}

function writeUnsigned(w: ByteWriter, tx: UnsignedTransaction): void {
  w.u8(tx.version)
    .u32(tx.shard)
    .fixed(tx.sender, 32)
    .fixed(u64(tx.nonce), 8)
    .fixed(u64(tx.maxFeePerGas), 8)
    .fixed(u64(tx.gasLimit), 8);
  const p = tx.payload;
  switch (p.kind) {
    case 'transfer':
      w.u8(PAYLOAD_KIND.transfer).fixed(p.to, 32).fixed(u64(p.amount), 8);
      break;
  }
}

/** The unsigned encoding (what the signature covers, hashed). Throws RangeError on bad fields. */
export function encodeUnsignedTransaction(tx: UnsignedTransaction): Uint8Array {
  const w = new ByteWriter(128);
  writeUnsigned(w, tx);
  return w.finish();
}

export function encodeTransaction(tx: SignedTransaction): Uint8Array {
  const w = new ByteWriter(192);
  writeUnsigned(w, tx);
  w.fixed(tx.signature, SIGNATURE_BYTES);
  return w.finish();
}

/**
 * What the sender signs: `TX_DOMAIN_TAG ‖ u32 shard ‖ SHA-256(unsigned encoding)`. The tag keeps
 * a tx signature from ever verifying as a block or vote signature; the shard, repeated outside
 * the hash, pins it to one shard even if a future envelope version moved the field.
 */
export function signingMessage(shard: number, unsigned: Uint8Array): Uint8Array {
  const m = new Uint8Array(TAG.length + 4 + 32);
  m.set(TAG);
  new DataView(m.buffer).setUint32(TAG.length, shard);
  m.set(nodeHash('sha256', unsigned, 'buffer'), TAG.length + 4);
  return m;
}

export function txSigningMessage(tx: UnsignedTransaction): Uint8Array {
  return signingMessage(tx.shard, encodeUnsignedTransaction(tx));
}

/** Identity of a transaction: SHA-256 of its full (signed) encoding. */
export function txId(encoded: Uint8Array): Uint8Array {
  return nodeHash('sha256', encoded, 'buffer');
}

function readPayload(r: ByteReader): TxPayload {
  const kind = r.u8();
  switch (kind) {
    case PAYLOAD_KIND.transfer: {
      const to = r.fixed(32);
      return { kind: 'transfer', to, amount: readU64(r) };
    }
    default:
      throw new CodecError('codec.tx_payload_kind', `unknown payload kind ${kind}`);
  }
}

/** Decodes untrusted bytes; throws CodecError with a stable code on any defect, nothing else. */
export function decodeTransaction(bytes: Uint8Array): SignedTransaction {
  const r = new ByteReader(bytes);
  const version = r.u8();
  if (version !== TX_VERSION)
    throw new CodecError('codec.tx_version', `unknown transaction version ${version}`);
  const shard = r.u32();
  const sender = r.fixed(32);
  const nonce = readU64(r);
  const maxFeePerGas = readU64(r);
  const gasLimit = readU64(r);
  const payload = readPayload(r);
  const signature = r.fixed(SIGNATURE_BYTES);
  r.end();
  return { version, shard, sender, nonce, maxFeePerGas, gasLimit, payload, signature };
}
