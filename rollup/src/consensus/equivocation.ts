import { blockHash, decodeBlock, encodeBlock } from '../codec/blockCodec.ts';
import { ByteReader } from '../codec/byteReader.ts';
import { ByteWriter } from '../codec/byteWriter.ts';
import { CodecError } from '../codec/codecError.ts';
import { importPublicKey } from '../crypto/ed25519.ts';
import { verifyBlockSignature } from '../crypto/signBlock.ts';
import type { SignedBlock } from '../types/block.ts';
import { toHex } from '../utils/hex.ts';
import { ConsensusError } from './consensusError.ts';
import { type Lockout, lastLockedOutSlot } from './tower.ts';
import { decodeVote, encodeVote, type SignedVote, verifyVoteSignature, voteSlot } from './vote.ts';

const EVIDENCE_VERSION = 1;
const KIND_DUPLICATE_BLOCK = 1;
const KIND_VOTE_LOCKOUT_VIOLATION = 2;
/** Bound on one encoded block or vote inside evidence, checked before reading it. */
const MAX_EVIDENCE_ITEM_BYTES = 64 << 20;

/**
 * Portable proof of misbehaviour, for slashing on the L2 later. Both kinds are self-contained:
 * anyone holding the bytes can check them with `verifyEvidence`, no chain state needed.
 */
export type Evidence =
  /** One leader signed two different blocks for one slot of one shard; `first` has the lower hash. */
  | { readonly kind: 'duplicateBlock'; readonly first: SignedBlock; readonly second: SignedBlock }
  /** `violating` votes on a slot that `locking` locked the same validator out of. */
  | {
      readonly kind: 'voteLockoutViolation';
      readonly locking: SignedVote;
      readonly violating: SignedVote;
    };

/** Why two votes conflict (what `verifyEvidence` re-derives from the two votes alone). */
export type VoteViolation =
  /** `violating` votes slot t in (s, s + 2^c] and its tower holds neither s nor a root ≥ s. */
  | { readonly kind: 'lockoutViolation'; readonly lockout: Lockout; readonly votedSlot: number }
  /** Both vote the same slot with different block hashes. */
  | { readonly kind: 'conflictingHash'; readonly votedSlot: number };

export type EvidenceVerdict =
  | { readonly kind: 'valid'; readonly offender: string; readonly slot: number }
  | {
      readonly kind: 'invalid';
      readonly reason:
        | 'differentShard'
        | 'differentSlot'
        | 'differentSigner'
        | 'sameBlock'
        | 'badSignature'
        | 'noViolation'
        | 'notCanonical';
    };

export type BlockEquivocationDetection =
  | { readonly kind: 'duplicateBlock'; readonly evidence: Evidence }
  | {
      readonly kind: 'none';
      readonly reason: Exclude<EvidenceVerdict, { kind: 'valid' }>['reason'];
    };

export type VoteEquivocationDetection =
  | {
      readonly kind: 'voteLockoutViolation';
      readonly evidence: Evidence;
      readonly violation: VoteViolation;
    }
  | {
      readonly kind: 'none';
      readonly reason: Exclude<EvidenceVerdict, { kind: 'valid' }>['reason'];
    };

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

function checkBlocks(a: SignedBlock, b: SignedBlock): EvidenceVerdict {
  if (a.shard !== b.shard) return { kind: 'invalid', reason: 'differentShard' };
  if (a.slot !== b.slot) return { kind: 'invalid', reason: 'differentSlot' };
  if (!bytesEqual(a.leader, b.leader)) return { kind: 'invalid', reason: 'differentSigner' };
  if (bytesEqual(blockHash(a), blockHash(b))) return { kind: 'invalid', reason: 'sameBlock' };
  const key = importPublicKey(a.leader);
  if (!verifyBlockSignature(a, key) || !verifyBlockSignature(b, key))
    return { kind: 'invalid', reason: 'badSignature' };
  return { kind: 'valid', offender: toHex(a.leader), slot: a.slot };
}

/** Two signed blocks for one slot from one leader (checked signatures), as canonical evidence. */
export function detectDuplicateBlock(a: SignedBlock, b: SignedBlock): BlockEquivocationDetection {
  const verdict = checkBlocks(a, b);
  if (verdict.kind === 'invalid') return { kind: 'none', reason: verdict.reason };
  const [first, second] = Buffer.compare(blockHash(a), blockHash(b)) < 0 ? [a, b] : [b, a];
  return { kind: 'duplicateBlock', evidence: { kind: 'duplicateBlock', first, second } };
}

/**
 * Whether `violating` breaks a promise `locking` made. An honest tower keeps every vote until its
 * lockout expires or it is rooted, and lockouts only grow; so if `locking` holds lockout (s, c)
 * and `violating` votes t with s < t ≤ s + 2^c, an honest `violating` tower still holds s, or has
 * rooted at or above s. Neither ⇒ the validator voted on another fork while locked out. Sound
 * whichever vote was cast first (a tower can only lose s by expiry or rooting).
 */
export function findVoteViolation(
  locking: SignedVote,
  violating: SignedVote,
): VoteViolation | null {
  const t = voteSlot(violating);
  if (voteSlot(locking) === t && !bytesEqual(locking.hash, violating.hash))
    return { kind: 'conflictingHash', votedSlot: t };
  const held = new Set(violating.lockouts.map((l) => l.slot));
  for (const l of locking.lockouts) {
    if (l.slot >= t || lastLockedOutSlot(l) < t || held.has(l.slot)) continue;
    if (violating.root !== null && violating.root >= l.slot) continue;
    return { kind: 'lockoutViolation', lockout: l, votedSlot: t };
  }
  return null;
}

function checkVotes(locking: SignedVote, violating: SignedVote): EvidenceVerdict {
  if (locking.shard !== violating.shard) return { kind: 'invalid', reason: 'differentShard' };
  if (!bytesEqual(locking.validator, violating.validator))
    return { kind: 'invalid', reason: 'differentSigner' };
  if (findVoteViolation(locking, violating) === null)
    return { kind: 'invalid', reason: 'noViolation' };
  if (!verifyVoteSignature(locking) || !verifyVoteSignature(violating))
    return { kind: 'invalid', reason: 'badSignature' };
  return { kind: 'valid', offender: toHex(locking.validator), slot: voteSlot(violating) };
}

/**
 * Two signed votes of one validator that conflict, as evidence. Tries (a locks, b violates), then
 * the reverse: the evidence names the locking vote first.
 */
export function detectVoteLockoutViolation(
  a: SignedVote,
  b: SignedVote,
): VoteEquivocationDetection {
  let reason: Exclude<EvidenceVerdict, { kind: 'valid' }>['reason'] = 'noViolation';
  for (const [locking, violating] of [
    [a, b],
    [b, a],
  ] as const) {
    const verdict = checkVotes(locking, violating);
    const violation = findVoteViolation(locking, violating);
    if (verdict.kind === 'valid' && violation !== null) {
      return {
        kind: 'voteLockoutViolation',
        evidence: { kind: 'voteLockoutViolation', locking, violating },
        violation,
      };
    }
    if (verdict.kind === 'invalid' && verdict.reason !== 'noViolation') reason = verdict.reason;
  }
  return { kind: 'none', reason };
}

/** Anyone can run this: re-checks signatures and the conflict from the evidence alone. */
export function verifyEvidence(evidence: Evidence): EvidenceVerdict {
  if (evidence.kind === 'duplicateBlock') {
    const verdict = checkBlocks(evidence.first, evidence.second);
    if (
      verdict.kind === 'valid' &&
      Buffer.compare(blockHash(evidence.first), blockHash(evidence.second)) > 0
    )
      return { kind: 'invalid', reason: 'notCanonical' };
    return verdict;
  }
  return checkVotes(evidence.locking, evidence.violating);
}

/**
 * Canonical bytes: u8 version (1) ‖ u8 kind (1 duplicate block, 2 vote lockout violation) ‖
 * u32be length ‖ first item ‖ u32be length ‖ second item, the items being `encodeBlock` bytes
 * (first = lower block hash) or `encodeVote` bytes (locking vote first).
 */
export function encodeEvidence(evidence: Evidence): Uint8Array {
  const w = new ByteWriter(1024).u8(EVIDENCE_VERSION);
  if (evidence.kind === 'duplicateBlock')
    w.u8(KIND_DUPLICATE_BLOCK)
      .bytes(encodeBlock(evidence.first))
      .bytes(encodeBlock(evidence.second));
  else
    w.u8(KIND_VOTE_LOCKOUT_VIOLATION)
      .bytes(encodeVote(evidence.locking))
      .bytes(encodeVote(evidence.violating));
  return w.finish();
}

/** Decodes evidence bytes (untrusted); `evidence.malformed` wraps any inner decoding error. */
export function decodeEvidence(bytes: Uint8Array): Evidence {
  try {
    const r = new ByteReader(bytes);
    const version = r.u8();
    if (version !== EVIDENCE_VERSION)
      throw new CodecError('codec.evidence_version', `unknown evidence version ${version}`);
    const kind = r.u8();
    const first = r.bytes(MAX_EVIDENCE_ITEM_BYTES);
    const second = r.bytes(MAX_EVIDENCE_ITEM_BYTES);
    r.end();
    if (kind === KIND_DUPLICATE_BLOCK)
      return { kind: 'duplicateBlock', first: decodeBlock(first), second: decodeBlock(second) };
    if (kind === KIND_VOTE_LOCKOUT_VIOLATION)
      return {
        kind: 'voteLockoutViolation',
        locking: decodeVote(first),
        violating: decodeVote(second),
      };
    throw new CodecError('codec.evidence_kind', `unknown evidence kind ${kind}`);
  } catch (err) {
    if (err instanceof CodecError || err instanceof ConsensusError)
      throw new ConsensusError('evidence.malformed', `${err.code}: ${err.message}`, { cause: err });
    throw err;
  }
}
