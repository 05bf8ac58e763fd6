import type { PohEntry } from '../poh/poh.ts';
import { sha256 } from '../poh/poh.ts';
import type { Block, SignedBlock } from '../types/block.ts';
import { ByteReader } from './byteReader.ts';
import { ByteWriter } from './byteWriter.ts';
import { CodecError } from './codecError.ts';

/** Encoding version byte; bump on any change of the layout below. */
const BLOCK_VERSION = 3;
/** Block flag bits. */
export const BLOCK_FLAGS = { partitionRecovery: 1 } as const;
const ALL_BLOCK_FLAGS = BLOCK_FLAGS.partitionRecovery;

/** Bounds a decoder enforces before allocating (a hostile peer chooses the counts). */
export const BLOCK_LIMITS = {
  maxEntries: 1 << 16,
  maxTransactions: 1 << 16,
  maxVotes: 1 << 12,
  maxItemBytes: 1 << 20,
  maxL2Events: 1 << 12,
  maxL2EventBytes: 64,
} as const;

function writeBody(w: ByteWriter, b: Block): void {
  w.u8(BLOCK_VERSION)
    .u32(b.shard)
    .u64(b.slot)
    .u64(b.parentSlot)
    .fixed(b.parentHash, 32)
    .fixed(b.leader, 32)
    .fixed(b.pohStart, 32)
    .u64(b.tickHeight)
    .u32(b.entries.length);
  for (const e of b.entries) {
    w.u32(e.numHashes).fixed(e.hash, 32);
    if (e.mixin === undefined) w.u8(0);
    else w.u8(1).fixed(e.mixin, 32);
  }
  w.u32(b.transactions.length);
  for (const t of b.transactions) w.bytes(t);
  w.u32(b.entryTxCounts.length);
  for (const n of b.entryTxCounts) w.u32(n);
  w.u32(b.votes.length);
  for (const v of b.votes) w.bytes(v);
  w.fixed(b.stateRoot, 32).u8(b.flags).fixed(b.daCommitment, 48);
  w.u64(b.l2Time).u32(b.l2Events.length);
  for (const e of b.l2Events) w.bytes(e);
}

/** The bytes a leader signs over, hashed: the block's identity. */
export function blockHash(b: Block): Uint8Array {
  const w = new ByteWriter(1024);
  writeBody(w, b);
  return sha256(w.finish());
}

export function encodeBlock(b: SignedBlock): Uint8Array {
  const w = new ByteWriter(1024);
  writeBody(w, b);
  w.fixed(b.signature, 64);
  return w.finish();
}

/** Decodes a block from untrusted bytes; throws CodecError with a stable code on any defect. */
export function decodeBlock(bytes: Uint8Array): SignedBlock {
  const r = new ByteReader(bytes);
  const version = r.u8();
  if (version !== BLOCK_VERSION)
    throw new CodecError('codec.block_version', `unknown block version ${version}`);
  const shard = r.u32();
  const slot = r.u64();
  const parentSlot = r.u64();
  const parentHash = r.fixed(32);
  const leader = r.fixed(32);
  const pohStart = r.fixed(32);
  const tickHeight = r.u64();
  const entries: PohEntry[] = [];
  for (let n = r.count(BLOCK_LIMITS.maxEntries); n > 0; n--) {
    const numHashes = r.u32();
    const hash = r.fixed(32);
    const tag = r.u8();
    if (tag === 0) entries.push({ numHashes, hash });
    else if (tag === 1) entries.push({ numHashes, hash, mixin: r.fixed(32) });
    else throw new CodecError('codec.entry_tag', `bad entry tag ${tag}`);
  }
  const transactions: Uint8Array[] = [];
  for (let n = r.count(BLOCK_LIMITS.maxTransactions); n > 0; n--)
    transactions.push(r.bytes(BLOCK_LIMITS.maxItemBytes));
  const entryTxCounts: number[] = [];
  for (let n = r.count(BLOCK_LIMITS.maxEntries); n > 0; n--) entryTxCounts.push(r.u32());
  const votes: Uint8Array[] = [];
  for (let n = r.count(BLOCK_LIMITS.maxVotes); n > 0; n--)
    votes.push(r.bytes(BLOCK_LIMITS.maxItemBytes));
  const stateRoot = r.fixed(32);
  const flags = r.u8();
  if ((flags & ~ALL_BLOCK_FLAGS) !== 0)
    throw new CodecError('codec.block_flags', `unknown block flags ${flags}`);
  const daCommitment = r.fixed(48);
  const l2Time = r.u64();
  const l2Events: Uint8Array[] = [];
  for (let n = r.count(BLOCK_LIMITS.maxL2Events); n > 0; n--)
    l2Events.push(r.bytes(BLOCK_LIMITS.maxL2EventBytes));
  const signature = r.fixed(64);
  r.end();
  if (parentSlot >= slot) {
    throw new CodecError('codec.parent_slot', `parent slot ${parentSlot} not below slot ${slot}`);
  }
  return {
    shard,
    slot,
    parentSlot,
    parentHash,
    leader,
    pohStart,
    tickHeight,
    entries,
    transactions,
    entryTxCounts,
    votes,
    stateRoot,
    flags,
    daCommitment,
    l2Time,
    l2Events,
    signature,
  };
}

const BATCH_DOMAIN = new TextEncoder().encode('moltbook/tx-batch/v1');

/**
 * The PoH mixin of a transaction batch (§7.2 "mixes in the hash of a transaction batch"):
 * SHA-256(domain ‖ SHA-256(tx₁) ‖ … ‖ SHA-256(txₙ)).
 */
export function batchHash(txs: readonly Uint8Array[]): Uint8Array {
  const buf = new Uint8Array(BATCH_DOMAIN.length + 32 * txs.length);
  buf.set(BATCH_DOMAIN);
  for (const [i, t] of txs.entries()) buf.set(sha256(t), BATCH_DOMAIN.length + 32 * i);
  return sha256(buf);
}
