import {
  batchHash,
  blockFromJson,
  type Genesis,
  genesisHash,
  importPublicKey,
  type PohEntry,
  type SignedBlock,
  verifyBlockSignature,
  verifyEntries,
} from '@moltbook/rollup/verify';
import { VerificationError } from '../errors/baseError.ts';

export interface VerifyBlockOptions {
  /** The slot asked for; the block must be of this slot. */
  readonly slot?: number;
  /** The block must name this slot as its parent (e.g. the previous block of a chain). */
  readonly expectedParentSlot?: number;
  /** Default: the genesis hash when the block's parentSlot is 0, else not checked. */
  readonly expectedParentHash?: Uint8Array;
  /** Default: the genesis hash when the block's parentSlot is 0, else not checked. */
  readonly expectedPohStart?: Uint8Array;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/**
 * Checks a block as served by a node's RPC (`getBlock`, untrusted JSON) the way a light client
 * can, without the parent's state: well-formed, of the slot asked for and the genesis's shard,
 * a parent below it (and the expected one), signed by a genesis validator, tick height
 * `slot × ticksPerSlot`, PoH from the expected start holding `(slot − parentSlot) × ticksPerSlot`
 * valid ticks, and every mixin entry the `batchHash` of its `entryTxCounts` batch of transactions.
 * For a block whose parent is the genesis (parentSlot 0), `parentHash` and `pohStart` must be the
 * genesis hash unless other expectations are given. Pure; throws VerificationError at the first
 * failure, returns the parsed block otherwise. The state root and the votes are not checked.
 */
export function verifyBlock(
  json: unknown,
  genesis: Genesis,
  opts: VerifyBlockOptions = {},
): SignedBlock {
  const label = opts.slot ?? (json as { slot?: unknown } | null)?.slot ?? '?';
  const block = blockFromJson(json);
  if (block === null)
    throw new VerificationError(
      `block ${label} is malformed`,
      'a field is missing or has the wrong size',
    );
  const slot = block.slot;
  if (opts.slot !== undefined && slot !== opts.slot)
    throw new VerificationError(
      `block ${opts.slot} is for slot ${slot}`,
      'the node served another slot',
    );
  if (slot < 1 || block.parentSlot >= slot)
    throw new VerificationError(
      `block ${slot} has an invalid parent slot`,
      `parentSlot ${block.parentSlot} is not in [0, ${slot})`,
    );
  if (block.shard !== genesis.shard)
    throw new VerificationError(
      `block ${slot} is of shard ${block.shard}`,
      `the genesis is of shard ${genesis.shard}`,
    );
  if (opts.expectedParentSlot !== undefined && block.parentSlot !== opts.expectedParentSlot)
    throw new VerificationError(
      `block ${slot} does not build on slot ${opts.expectedParentSlot}`,
      `its parentSlot is ${block.parentSlot}: the blocks are of different forks`,
    );
  const anchor = block.parentSlot === 0 ? genesisHash(genesis) : undefined;
  const parentHash = opts.expectedParentHash ?? anchor;
  if (parentHash !== undefined && !equal(parentHash, block.parentHash))
    throw new VerificationError(
      `block ${slot} does not link to the expected parent`,
      block.parentSlot === 0 && opts.expectedParentHash === undefined
        ? 'parentHash differs from the genesis hash'
        : 'parentHash differs from the expected parent block hash',
    );
  const leaderHex = hex(block.leader);
  if (!genesis.validators.some((v) => v.pubkey.toLowerCase().replace(/^0x/, '') === leaderHex))
    throw new VerificationError(
      `block ${slot} has an unknown leader`,
      `leader ${leaderHex} is not a genesis validator`,
    );
  if (!verifyBlockSignature(block, importPublicKey(block.leader)))
    throw new VerificationError(
      `block ${slot} signature is invalid`,
      'the leader did not sign these bytes',
    );
  const t = genesis.ticksPerSlot;
  if (block.tickHeight !== slot * t)
    throw new VerificationError(
      `block ${slot} has the wrong tick height`,
      `tickHeight ${block.tickHeight}, expected ${slot} × ${t} = ${slot * t}`,
    );
  const start = opts.expectedPohStart ?? anchor;
  if (start !== undefined && !equal(start, block.pohStart))
    throw new VerificationError(
      `block ${slot} does not continue the PoH chain`,
      'pohStart differs from the expected start',
    );
  const v = verifyEntries(block.pohStart, block.entries, {
    hashesPerTick: genesis.hashesPerTick,
    ticksPerSlot: (slot - block.parentSlot) * t,
  });
  if (v.kind !== 'valid')
    throw new VerificationError(`block ${slot} PoH is invalid`, JSON.stringify(v));
  const mixins = block.entries.filter((e): e is Required<PohEntry> => e.mixin !== undefined);
  if (mixins.length !== block.entryTxCounts.length)
    throw new VerificationError(
      `block ${slot} entryTxCounts do not match its entries`,
      `${mixins.length} mixin entries, ${block.entryTxCounts.length} counts`,
    );
  let at = 0;
  for (const [i, e] of mixins.entries()) {
    const n = block.entryTxCounts[i] as number;
    if (n < 1 || at + n > block.transactions.length)
      throw new VerificationError(
        `block ${slot} entryTxCounts do not match its transactions`,
        `batch ${i} of ${n} transactions is out of range`,
      );
    if (!equal(e.mixin, batchHash(block.transactions.slice(at, at + n))))
      throw new VerificationError(
        `block ${slot} mixin ${i} does not commit to its transactions`,
        `the mixin is not batchHash of transactions ${at}..${at + n - 1}`,
      );
    at += n;
  }
  if (at !== block.transactions.length)
    throw new VerificationError(
      `block ${slot} entryTxCounts do not match its transactions`,
      `${block.transactions.length - at} transactions are in no batch`,
    );
  return block;
}
