import { blockHash } from '../codec/blockCodec.ts';
import type { PohEntry } from '../poh/poh.ts';
import type { SignedBlock } from '../types/block.ts';
import { fromHex, toHex } from '../utils/hex.ts';

/** A block as the RPC answers it: hex strings for bytes, numbers for counters. */
export interface BlockJson {
  readonly shard: number;
  readonly slot: number;
  readonly parentSlot: number;
  readonly blockHash: string;
  readonly parentHash: string;
  readonly leader: string;
  readonly pohStart: string;
  readonly tickHeight: number;
  readonly entries: readonly { numHashes: number; hash: string; mixin?: string }[];
  readonly transactions: readonly string[];
  readonly entryTxCounts: readonly number[];
  readonly votes: readonly string[];
  readonly stateRoot: string;
  readonly flags: number;
  readonly daCommitment: string;
  /** L2 timestamp up to which L2 events apply (types/block.ts). */
  readonly l2Time: number;
  /** Encoded L2 events, hex. */
  readonly l2Events: readonly string[];
  readonly signature: string;
}

export function blockToJson(b: SignedBlock): BlockJson {
  return {
    shard: b.shard,
    slot: b.slot,
    parentSlot: b.parentSlot,
    blockHash: toHex(blockHash(b)),
    parentHash: toHex(b.parentHash),
    leader: toHex(b.leader),
    pohStart: toHex(b.pohStart),
    tickHeight: b.tickHeight,
    entries: b.entries.map((e) =>
      e.mixin === undefined
        ? { numHashes: e.numHashes, hash: toHex(e.hash) }
        : { numHashes: e.numHashes, hash: toHex(e.hash), mixin: toHex(e.mixin) },
    ),
    transactions: b.transactions.map(toHex),
    entryTxCounts: [...b.entryTxCounts],
    votes: b.votes.map(toHex),
    stateRoot: toHex(b.stateRoot),
    flags: b.flags,
    daCommitment: toHex(b.daCommitment),
    l2Time: b.l2Time,
    l2Events: b.l2Events.map(toHex),
    signature: toHex(b.signature),
  };
}

/** Parses a block answered by a node's RPC (untrusted) back into bytes; null when malformed. */
export function blockFromJson(j: unknown): SignedBlock | null {
  if (typeof j !== 'object' || j === null) return null;
  const o = j as Record<string, unknown>;
  const int = (v: unknown) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
  const entries: PohEntry[] = [];
  if (!Array.isArray(o.entries)) return null;
  for (const e of o.entries as unknown[]) {
    const x = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
    const numHashes = int(x.numHashes);
    const hash = fromHex(x.hash, 32);
    if (numHashes === null || hash === null) return null;
    if (x.mixin === undefined) entries.push({ numHashes, hash });
    else {
      const mixin = fromHex(x.mixin, 32);
      if (mixin === null) return null;
      entries.push({ numHashes, hash, mixin });
    }
  }
  const list = (v: unknown) => {
    if (!Array.isArray(v)) return null;
    const out = v.map((t) => fromHex(t));
    return out.every((t) => t !== null) ? (out as Uint8Array[]) : null;
  };
  if (!Array.isArray(o.entryTxCounts)) return null;
  const entryTxCounts = (o.entryTxCounts as unknown[]).map(int);
  if (entryTxCounts.some((n) => n === null || n > 0xffff_ffff)) return null;
  const shard = int(o.shard);
  const slot = int(o.slot);
  const parentSlot = int(o.parentSlot);
  const tickHeight = int(o.tickHeight);
  const parentHash = fromHex(o.parentHash, 32);
  const leader = fromHex(o.leader, 32);
  const pohStart = fromHex(o.pohStart, 32);
  const stateRoot = fromHex(o.stateRoot, 32);
  const flags = int(o.flags);
  const daCommitment = fromHex(o.daCommitment, 48);
  const signature = fromHex(o.signature, 64);
  const transactions = list(o.transactions);
  const votes = list(o.votes);
  const l2Time = int(o.l2Time);
  const l2Events = list(o.l2Events);
  if (
    shard === null ||
    slot === null ||
    parentSlot === null ||
    tickHeight === null ||
    parentHash === null ||
    leader === null ||
    pohStart === null ||
    stateRoot === null ||
    daCommitment === null ||
    flags === null ||
    flags > 255 ||
    signature === null ||
    transactions === null ||
    votes === null ||
    l2Time === null ||
    l2Events === null
  ) {
    return null;
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
    entryTxCounts: entryTxCounts as number[],
    votes,
    stateRoot,
    flags: flags as number,
    daCommitment,
    l2Time,
    l2Events,
    signature,
  };
}
