import { hash as nodeHash } from 'node:crypto';
import { ByteReader } from '../codec/byteReader.ts';
import { ByteWriter } from '../codec/byteWriter.ts';
import { CodecError } from '../codec/codecError.ts';
import {
  COMMUNITY_NAME_MAX,
  COMMUNITY_NAME_MIN,
  MAX_CONTENT_BYTES,
  STORAGE_CLASS,
} from '../params/economyParams.ts';
import { TX_DOMAIN_TAG, TX_VERSION, U64_MAX } from '../params/txParams.ts';
import {
  type ContentRef,
  PAYLOAD_KIND,
  type SignedTransaction,
  type StorageClass,
  type TxPayload,
  type UnsignedTransaction,
  type ZkAuth,
  type ZkMode,
} from './transaction.ts';

/**
 * Canonical encoding of a transaction (big-endian, fixed widths, no optional fields):
 *
 *   u8 version · u32 shard · 32 sender · u64 nonce · u64 maxFee · u8 payload kind · payload ·
 *   64 signature
 *
 * Payload fields in declaration order (transaction.ts): keys and hashes 32 bytes, amounts and
 * slots u64, `size` u32, `minReputation` u32, `direction` u8 (1 up, 2 down), `storage` u8
 * (STORAGE_CLASS ids), `mode` u8 (1 pseudonymous, 2 anonymous), `index` u8, names u8 length +
 * ASCII, a Groth16 proof 256 bytes (ZK_PROOF_BYTES). A content reference is 32 hash · u32 size · u8
 * storage. A transfer is 158 bytes. The signature is last, so the unsigned encoding is the signed
 * one without its last 64 bytes. Decoding accepts only canonical bytes: one encoding per
 * transaction, so the transaction id (its hash) cannot be malleated.
 */
export const SIGNATURE_BYTES = 64;

const TAG = new TextEncoder().encode(TX_DOMAIN_TAG);
const STORAGE_IDS: readonly StorageClass[] = ['days30', 'year', 'permanent'];
const COMMUNITY_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

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

/** True for a well-formed community name (the codec refuses others). */
export function isCommunityName(name: string): boolean {
  return (
    name.length >= COMMUNITY_NAME_MIN &&
    name.length <= COMMUNITY_NAME_MAX &&
    COMMUNITY_NAME.test(name)
  );
}

function writeName(w: ByteWriter, name: string, allowEmpty: boolean): void {
  if (!(allowEmpty && name === '') && !isCommunityName(name))
    throw new RangeError(`bad community name ${JSON.stringify(name)}`);
  w.u8(name.length).fixed(new TextEncoder().encode(name), name.length);
}

function readName(r: ByteReader, allowEmpty: boolean): string {
  const len = r.u8();
  const name = String.fromCharCode(...r.fixed(len));
  if (!(allowEmpty && name === '') && !isCommunityName(name))
    throw new CodecError('codec.tx_name', 'community name must be 3-32 of [a-z0-9-]');
  return name;
}

function writeContent(w: ByteWriter, c: ContentRef): void {
  if (!Number.isInteger(c.size) || c.size < 1 || c.size > MAX_CONTENT_BYTES)
    throw new RangeError(`content size out of range: ${c.size}`);
  w.fixed(c.hash, 32).u32(c.size).u8(STORAGE_CLASS[c.storage].id);
}

function readContent(r: ByteReader): ContentRef {
  const hash = r.fixed(32);
  const size = r.u32();
  if (size < 1 || size > MAX_CONTENT_BYTES)
    throw new CodecError(
      'codec.tx_content_size',
      `content size ${size} not in 1..${MAX_CONTENT_BYTES}`,
    );
  const storage = STORAGE_IDS[r.u8()];
  if (storage === undefined) throw new CodecError('codec.tx_storage', 'unknown storage class');
  return { hash, size, storage };
}

/** Bytes of a Groth16 proof on the wire (ZkAuth.proof). */
export const ZK_PROOF_BYTES = 256;
const ZK_MODES: readonly (ZkMode | undefined)[] = [undefined, 'pseudonymous', 'anonymous'];

function writeZk(w: ByteWriter, z: ZkAuth): void {
  if (!Number.isInteger(z.index) || z.index < 0 || z.index > 0xff)
    throw new RangeError(`zk index out of range: ${z.index}`);
  w.fixed(z.root, 32)
    .fixed(z.nullifier, 32)
    .fixed(u64(z.epoch), 8)
    .u8(z.index)
    .fixed(u64(z.pseudonymNonce), 8)
    .fixed(z.proof, ZK_PROOF_BYTES);
}

function readZk(r: ByteReader): ZkAuth {
  return {
    root: r.fixed(32),
    nullifier: r.fixed(32),
    epoch: readU64(r),
    index: r.u8(),
    pseudonymNonce: readU64(r),
    proof: r.fixed(ZK_PROOF_BYTES),
  };
}

function readZkMode(r: ByteReader): ZkMode {
  const mode = ZK_MODES[r.u8()];
  if (mode === undefined)
    throw new CodecError('codec.tx_zk_mode', 'zk mode must be 1 (pseudonymous) or 2 (anonymous)');
  return mode;
}

function writePayload(w: ByteWriter, p: TxPayload): void {
  w.u8(PAYLOAD_KIND[p.kind]);
  switch (p.kind) {
    case 'transfer':
      w.fixed(p.to, 32).fixed(u64(p.amount), 8);
      return;
    case 'createCommunity':
      writeName(w, p.name, false);
      return;
    case 'createPost':
      writeName(w, p.community, false);
      writeContent(w, p.content);
      return;
    case 'reply':
      w.fixed(p.parent, 32);
      writeContent(w, p.content);
      return;
    case 'vote':
      w.fixed(p.post, 32).u8(p.direction === 'up' ? 1 : 2);
      return;
    case 'updateProfile':
      writeContent(w, p.content);
      return;
    case 'flag':
      w.fixed(p.post, 32);
      return;
    case 'boostBid':
      w.fixed(p.post, 32).fixed(u64(p.window), 8).fixed(u64(p.amount), 8);
      return;
    case 'createBounty':
      writeName(w, p.community, false);
      writeContent(w, p.content);
      w.fixed(u64(p.amount), 8)
        .fixed(u64(p.deadline), 8)
        .u32(p.minReputation)
        .u8(p.newcomerOnly ? 1 : 0);
      return;
    case 'answerBounty':
      w.fixed(p.bounty, 32);
      writeContent(w, p.content);
      return;
    case 'acceptAnswer':
      w.fixed(p.bounty, 32).fixed(p.answer, 32);
      return;
    case 'commitPost':
      w.fixed(p.commitment, 32);
      return;
    case 'revealPost':
      writeName(w, p.community, true);
      w.fixed(p.parent, 32);
      writeContent(w, p.content);
      w.fixed(p.salt, 32);
      return;
    case 'zkPost':
      w.u8(ZK_MODES.indexOf(p.mode));
      writeName(w, p.community, false);
      writeContent(w, p.content);
      writeZk(w, p.zk);
      return;
    case 'zkReply':
      w.u8(ZK_MODES.indexOf(p.mode)).fixed(p.parent, 32);
      writeContent(w, p.content);
      writeZk(w, p.zk);
      return;
  }
}

function readPayload(r: ByteReader): TxPayload {
  const kind = r.u8();
  switch (kind) {
    case PAYLOAD_KIND.transfer:
      return { kind: 'transfer', to: r.fixed(32), amount: readU64(r) };
    case PAYLOAD_KIND.createCommunity:
      return { kind: 'createCommunity', name: readName(r, false) };
    case PAYLOAD_KIND.createPost:
      return { kind: 'createPost', community: readName(r, false), content: readContent(r) };
    case PAYLOAD_KIND.reply:
      return { kind: 'reply', parent: r.fixed(32), content: readContent(r) };
    case PAYLOAD_KIND.vote: {
      const post = r.fixed(32);
      const d = r.u8();
      if (d !== 1 && d !== 2)
        throw new CodecError('codec.tx_direction', 'vote direction must be 1 or 2');
      return { kind: 'vote', post, direction: d === 1 ? 'up' : 'down' };
    }
    case PAYLOAD_KIND.updateProfile:
      return { kind: 'updateProfile', content: readContent(r) };
    case PAYLOAD_KIND.flag:
      return { kind: 'flag', post: r.fixed(32) };
    case PAYLOAD_KIND.boostBid:
      return { kind: 'boostBid', post: r.fixed(32), window: readU64(r), amount: readU64(r) };
    case PAYLOAD_KIND.createBounty:
      return {
        kind: 'createBounty',
        community: readName(r, false),
        content: readContent(r),
        amount: readU64(r),
        deadline: readU64(r),
        minReputation: r.u32(),
        newcomerOnly: readBool(r),
      };
    case PAYLOAD_KIND.answerBounty:
      return { kind: 'answerBounty', bounty: r.fixed(32), content: readContent(r) };
    case PAYLOAD_KIND.acceptAnswer:
      return { kind: 'acceptAnswer', bounty: r.fixed(32), answer: r.fixed(32) };
    case PAYLOAD_KIND.commitPost:
      return { kind: 'commitPost', commitment: r.fixed(32) };
    case PAYLOAD_KIND.revealPost:
      return {
        kind: 'revealPost',
        community: readName(r, true),
        parent: r.fixed(32),
        content: readContent(r),
        salt: r.fixed(32),
      };
    case PAYLOAD_KIND.zkPost:
      return {
        kind: 'zkPost',
        mode: readZkMode(r),
        community: readName(r, false),
        content: readContent(r),
        zk: readZk(r),
      };
    case PAYLOAD_KIND.zkReply:
      return {
        kind: 'zkReply',
        mode: readZkMode(r),
        parent: r.fixed(32),
        content: readContent(r),
        zk: readZk(r),
      };
    default:
      throw new CodecError('codec.tx_payload_kind', `unknown payload kind ${kind}`);
  }
}

function readBool(r: ByteReader): boolean {
  const b = r.u8();
  if (b > 1) throw new CodecError('codec.tx_bool', 'a flag must be 0 or 1');
  return b === 1;
}

function writeUnsigned(w: ByteWriter, tx: UnsignedTransaction): void {
  w.u8(tx.version)
    .u32(tx.shard)
    .fixed(tx.sender, 32)
    .fixed(u64(tx.nonce), 8)
    .fixed(u64(tx.maxFee), 8);
  writePayload(w, tx.payload);
}

/** The payload alone, canonically encoded (what a §14.3 commitment hashes). */
export function encodePayload(payload: TxPayload): Uint8Array {
  const w = new ByteWriter(128);
  writePayload(w, payload);
  return w.finish();
}

/** The unsigned encoding (what the signature covers, hashed). Throws RangeError on bad fields. */
export function encodeUnsignedTransaction(tx: UnsignedTransaction): Uint8Array {
  const w = new ByteWriter(192);
  writeUnsigned(w, tx);
  return w.finish();
}

export function encodeTransaction(tx: SignedTransaction): Uint8Array {
  const w = new ByteWriter(256);
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

/** Decodes untrusted bytes; throws CodecError with a stable code on any defect, nothing else. */
export function decodeTransaction(bytes: Uint8Array): SignedTransaction {
  const r = new ByteReader(bytes);
  const version = r.u8();
  if (version !== TX_VERSION)
    throw new CodecError('codec.tx_version', `unknown transaction version ${version}`);
  const shard = r.u32();
  const sender = r.fixed(32);
  const nonce = readU64(r);
  const maxFee = readU64(r);
  const payload = readPayload(r);
  const signature = r.fixed(SIGNATURE_BYTES);
  r.end();
  return { version, shard, sender, nonce, maxFee, payload, signature };
}
