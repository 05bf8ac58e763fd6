import { batchHash } from '../codec/blockCodec.ts';
import { CodecError } from '../codec/codecError.ts';
import { ConsensusError } from '../consensus/consensusError.ts';
import { decodeVote, type SignedVote, verifyVoteSignature } from '../consensus/vote.ts';
import type { EconomyState } from '../economy/economyState.ts';
import { applyTx, beginSlot } from '../economy/economyStateMachine.ts';
import type { EconomyContext } from '../economy/execTypes.ts';
import { decodeL2Event } from '../economy/l2EventCodec.ts';
import { applyL2Event } from '../economy/l2Events.ts';
import type { Genesis } from '../genesis/genesis.ts';
import { SLOT_GAS_LIMIT } from '../params/txParams.ts';
import type { PohEntry } from '../poh/poh.ts';
import type { PohVerifierPool } from '../poh/pohVerifierPool.ts';
import {
  equalBytes,
  type PohRules,
  type PohVerdict,
  verifyEntries,
  verifyEntryShape,
} from '../poh/verifyEntries.ts';
import type { SignerKeyCache } from '../tx/signerKeyCache.ts';
import type { SignedTransaction } from '../tx/transaction.ts';
import { decodeTransaction } from '../tx/txCodec.ts';
import {
  type TxValidation,
  type ValidTx,
  validateAgainstState,
  validateStateless,
} from '../tx/validateTransaction.ts';
import type { SignedBlock } from '../types/block.ts';
import { fromHex, toHex } from '../utils/hex.ts';
import { type MembershipProofs, mayCarryProof } from '../zk/membershipProofs.ts';
import type { Bank } from './forks.ts';

/** Why a block is invalid: a stable code (`block.<reason>`) and a message. */
export type ReplayVerdict =
  | {
      readonly kind: 'valid';
      readonly bank: Bank;
      readonly votes: readonly SignedVote[];
      readonly txs: readonly ValidTx[];
    }
  | { readonly kind: 'invalid'; readonly code: string; readonly reason: string };

export interface ExecDeps {
  readonly genesis: Genesis;
  readonly keys: SignerKeyCache;
  /**
   * Membership-proof verdicts (§6, zk/membershipProofs.ts); absent: zero-knowledge actions are
   * refused (a node without the privacy layer).
   */
  readonly membership?: MembershipProofs;
  /**
   * This validator's view of the L2 (node/l2Follower.ts): blocks carrying L2 events are checked
   * against it. Absent: a block with L2 events cannot be checked and is refused.
   */
  readonly l2?: L2EventSource;
}

/** What replay asks of the L2 (implemented by L2Follower; a shard's validators share one L2). */
export interface L2EventSource {
  /**
   * The encoded events (economy/l2EventCodec.ts) of the L2 blocks whose timestamps are in
   * (`after`, `upTo`], in chain order; null when this node's L2 has no block at `upTo` or later
   * yet (it cannot judge the block now).
   */
  eventsBetween(after: number, upTo: number): Promise<Uint8Array[] | null>;
}

/** The L2 time a bank's block reached (0 for the genesis). */
export function l2TimeOf(bank: Bank): number {
  return bank.block?.l2Time ?? 0;
}

/** The execution context of a block at `slot` on `parent` (economy/execTypes.ts). */
export function blockContext(
  slot: number,
  parent: Bank,
  membership?: MembershipProofs,
): EconomyContext {
  return membership === undefined
    ? { slot: BigInt(slot), pohHash: parent.lastHash }
    : { slot: BigInt(slot), pohHash: parent.lastHash, membership: membership.verifier };
}

/**
 * A block's working state: a fork of its parent's state with the slot's scheduled work done
 * (economy beginSlot: deadlines, fee-market roll-over, monetary periods), before any transaction.
 */
export function openBlockState(
  parent: Bank,
  ctx: EconomyContext,
  l2Events: readonly Uint8Array[] = [],
): EconomyState {
  const state = parent.state.clone();
  beginSlot(state, ctx);
  // Facts final on the L2: they apply (or are ignored, l2Events.ts) and never fail the block.
  for (const e of l2Events) applyL2Event(state, decodeL2Event(e), ctx.slot);
  return state;
}

/** Gas used per sender within one block, for the §7.6 cap. */
export type SenderGas = Map<string, bigint>;

export type ExecOutcome =
  | { readonly kind: 'included'; readonly valid: ValidTx; readonly gas: bigint }
  | { readonly kind: 'excluded'; readonly code: string; readonly reason: string };

/**
 * Runs one transaction against `state` the way both the leader (building) and every validator
 * (replaying) do: the 7 edge steps of `validateTransaction` against the state at this position
 * (with the sender's gas so far in the block), then the state machine. Only an `included` tx may
 * be in a block; it has changed `state`.
 */
export function executeTx(
  state: EconomyState,
  bytes: Uint8Array,
  senderGas: SenderGas,
  deps: ExecDeps,
  ctx: EconomyContext,
): ExecOutcome {
  const v = validateStateless(bytes, { shard: deps.genesis.shard, keys: deps.keys });
  if (v.kind === 'rejected') return { kind: 'excluded', code: v.code, reason: v.reason };
  return executeValidTx(state, v, senderGas, ctx);
}

/**
 * `executeTx` for a transaction whose bytes this node already validated (steps 1-4: size, decode,
 * shard, signature) when it entered the mempool: only the state-dependent steps 5-7 run again.
 * The leader path, and replay of transactions the verifier threads already checked.
 */
export function executeValidTx(
  state: EconomyState,
  v: ValidTx,
  senderGas: SenderGas,
  ctx: EconomyContext,
): ExecOutcome {
  const sender = toHex(v.tx.sender);
  const bad = validateAgainstState(v.tx, {
    account: (k) => state.account(k),
    baseFee: state.baseFee(),
    senderGasUsed: senderGas.get(sender) ?? 0n,
  });
  if (bad !== null) return { kind: 'excluded', code: bad.code, reason: bad.reason };
  const r = applyTx(state, { tx: v.tx, id: fromHex(v.id, 32) as Uint8Array }, ctx);
  if (r.kind === 'invalid') return { kind: 'excluded', code: r.code, reason: r.reason };
  senderGas.set(sender, (senderGas.get(sender) ?? 0n) + r.gas);
  return { kind: 'included', valid: v, gas: r.gas };
}

export interface ReplayDeps extends ExecDeps {
  /** Parallel PoH verification; the calling thread verifies when absent. */
  readonly verifier: PohVerifierPool | null;
  /**
   * Skip the PoH hash chain (shape is still checked): only for blocks read back from this node's
   * own store, which were verified before they were written.
   */
  readonly trustPoh?: boolean;
  /**
   * Steps 1-4 of the block's transactions, already run off this thread (TxVerifierPool), by
   * index; the others run here. Only the state steps 5-7 and execution remain for these.
   */
  readonly preverified?: readonly TxValidation[];
}

function invalid(code: string, reason: string): ReplayVerdict {
  return { kind: 'invalid', code: `block.${code}`, reason };
}

/**
 * The block's L2 events are exactly those of this node's L2 between the parent's L2 time and the
 * block's (DESIGN.md §4 step 5), each decodable; null when they are. Blocks this node stored
 * itself (`trustPoh`) were checked before they were written.
 */
async function checkL2Events(
  block: SignedBlock,
  parent: Bank,
  deps: ReplayDeps,
): Promise<ReplayVerdict | null> {
  const after = l2TimeOf(parent);
  if (block.l2Time < after)
    return invalid('l2_time', `L2 time ${block.l2Time} below the parent's ${after}`);
  if (block.l2Time === after)
    return block.l2Events.length === 0
      ? null
      : invalid('l2_events', 'L2 events without a later L2 time');
  for (const [i, e] of block.l2Events.entries()) {
    try {
      decodeL2Event(e);
    } catch (err) {
      if (err instanceof CodecError) return invalid('l2_events', `event ${i}: ${err.code}`);
      throw err;
    }
  }
  if (deps.trustPoh === true) return null;
  if (deps.l2 === undefined)
    return invalid('l2_unverifiable', 'this node follows no L2 and cannot check L2 events');
  const ours = await deps.l2.eventsBetween(after, block.l2Time);
  if (ours === null)
    return invalid('l2_ahead', `this node's L2 has not reached time ${block.l2Time} yet`);
  if (
    ours.length !== block.l2Events.length ||
    ours.some((e, i) => !equalBytes(e, block.l2Events[i] as Uint8Array))
  )
    return invalid(
      'l2_events',
      `the L2 events differ from this node's L2 in (${after}, ${block.l2Time}]`,
    );
  return null;
}

function pohReason(v: Exclude<PohVerdict, { kind: 'valid' }>): string {
  switch (v.kind) {
    case 'hashMismatch':
      return `entry ${v.index} does not hash from the one before`;
    case 'malformedEntry':
      return `entry ${v.index}: ${v.reason}`;
    case 'tickHashCount':
      return `entry ${v.index}: ${v.actual} hashes in a tick period, expected ${v.expected}`;
    case 'tickCount':
      return `${v.actual} ticks, expected ${v.expected}`;
  }
}

/**
 * Replays a block on its parent bank (Agave `replay_stage` + `blockstore_processor`), checking in
 * order, cheapest first: parent link, tick height, PoH start, PoH shape (ticks for every slot
 * since the parent, §7.2), the PoH hash chain (on worker threads), that every mixin is the hash of
 * its transaction batch, the transactions (each `executeTx`-included, block gas ≤ slot limit),
 * the votes (decode + signature), and the state root. The signature and leader are checked at
 * the gossip edge before this.
 */
export async function replayBlock(
  block: SignedBlock,
  hash: Uint8Array,
  parent: Bank,
  deps: ReplayDeps,
): Promise<ReplayVerdict> {
  const t = deps.genesis.ticksPerSlot;
  if (block.parentSlot !== parent.slot || !equalBytes(block.parentHash, parent.hash))
    return invalid('parent', `parent is not slot ${parent.slot}`);
  if (block.slot <= parent.slot) return invalid('slot', 'slot not above the parent');
  if (block.tickHeight !== block.slot * t)
    return invalid('tick_height', `tick height ${block.tickHeight} ≠ ${block.slot * t}`);
  if (!equalBytes(block.pohStart, parent.lastHash))
    return invalid('poh_start', 'PoH does not start at the parent’s last hash');
  const rules: PohRules = {
    hashesPerTick: deps.genesis.hashesPerTick,
    ticksPerSlot: (block.slot - parent.slot) * t,
  };
  const poh =
    deps.trustPoh === true
      ? verifyEntryShape(block.entries, rules)
      : deps.verifier === null
        ? verifyEntries(block.pohStart, block.entries, rules)
        : await deps.verifier.verify(block.pohStart, block.entries, rules);
  if (poh.kind !== 'valid') return invalid('poh', pohReason(poh));

  const mixins = block.entries.filter((e): e is Required<PohEntry> => e.mixin !== undefined);
  if (mixins.length !== block.entryTxCounts.length)
    return invalid(
      'entry_tx_counts',
      `${mixins.length} mixins, ${block.entryTxCounts.length} counts`,
    );
  let at = 0;
  for (const [i, e] of mixins.entries()) {
    const n = block.entryTxCounts[i] as number;
    if (n < 1 || at + n > block.transactions.length)
      return invalid('entry_tx_counts', `batch ${i} of ${n} transactions out of range`);
    if (!equalBytes(e.mixin, batchHash(block.transactions.slice(at, at + n))))
      return invalid('mixin', `entry mixin ${i} is not the hash of its batch`);
    at += n;
  }
  if (at !== block.transactions.length)
    return invalid('entry_tx_counts', `${block.transactions.length - at} transactions in no batch`);

  const l2 = await checkL2Events(block, parent, deps);
  if (l2 !== null) return l2;
  // Membership proofs verify asynchronously (~16 ms each), before the synchronous execution
  // reads their verdicts; blocks without zero-knowledge actions skip this (one byte per tx).
  if (deps.membership !== undefined && block.transactions.some(mayCarryProof)) {
    const txs: SignedTransaction[] = [];
    for (const bytes of block.transactions) {
      if (!mayCarryProof(bytes)) continue;
      try {
        txs.push(decodeTransaction(bytes));
      } catch (err) {
        if (!(err instanceof CodecError)) throw err; // execution reports it with its code
      }
    }
    await deps.membership.checkAll(txs);
  }
  const ctx = blockContext(block.slot, parent, deps.membership);
  const state = openBlockState(parent, ctx, block.l2Events);
  const senderGas: SenderGas = new Map();
  let gas = 0n;
  const txs: ValidTx[] = [];
  for (const [i, bytes] of block.transactions.entries()) {
    const pre = deps.preverified?.[i];
    if (pre !== undefined && pre.kind === 'rejected')
      return invalid('transaction', `tx ${i}: ${pre.code}: ${pre.reason}`);
    const r =
      pre === undefined
        ? executeTx(state, bytes, senderGas, deps, ctx)
        : executeValidTx(state, pre, senderGas, ctx);
    if (r.kind === 'excluded') return invalid('transaction', `tx ${i}: ${r.code}: ${r.reason}`);
    txs.push(r.valid);
    gas += r.gas;
    if (gas > SLOT_GAS_LIMIT) return invalid('gas', `block gas above ${SLOT_GAS_LIMIT}`);
  }

  const votes: SignedVote[] = [];
  for (const [i, bytes] of block.votes.entries()) {
    let v: SignedVote;
    try {
      v = decodeVote(bytes);
    } catch (err) {
      if (err instanceof CodecError || err instanceof ConsensusError)
        return invalid('vote', `vote ${i}: ${err.code}`);
      throw err;
    }
    if (v.shard !== block.shard || !verifyVoteSignature(v))
      return invalid('vote', `vote ${i} is not a valid vote of this shard`);
    votes.push(v);
  }

  if (!equalBytes(state.root(), block.stateRoot))
    return invalid('state_root', 'state root differs from the one executed');
  const last = block.entries.at(-1) as PohEntry;
  return {
    kind: 'valid',
    votes,
    txs,
    bank: {
      slot: block.slot,
      hash,
      hashHex: toHex(hash),
      parentSlot: parent.slot,
      lastHash: last.hash,
      tickHeight: block.tickHeight,
      block,
      state,
      txs,
    },
  };
}
