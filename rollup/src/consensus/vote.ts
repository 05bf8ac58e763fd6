import type { KeyObject } from 'node:crypto';
import { ByteReader } from '../codec/byteReader.ts';
import { ByteWriter } from '../codec/byteWriter.ts';
import { CodecError } from '../codec/codecError.ts';
import { importPublicKey, signEd25519, verifyEd25519 } from '../crypto/ed25519.ts';
import { sha256 } from '../poh/poh.ts';
import { assertTowerState, type Lockout, type Tower } from './tower.ts';
import { readLockouts, writeLockouts } from './towerCodec.ts';

const VOTE_VERSION = 1;
/** Domain tag: a vote signature can never pass as a block, tower or transaction signature. */
const VOTE_DOMAIN = new TextEncoder().encode('moltbook/vote/v1');

/**
 * A Tower BFT vote (§7.3 `attestations`), after Agave's `TowerSync`: the voter's whole tower
 * after the vote, so that a vote alone states every lockout the voter has committed to — which is
 * what makes a lockout violation provable from two votes.
 */
export interface Vote {
  readonly shard: number;
  /** The voter's Ed25519 key (32 bytes). */
  readonly validator: Uint8Array;
  /** `blockHash` of the block at the voted slot (the last lockout). */
  readonly hash: Uint8Array;
  readonly root: number | null;
  /** Oldest first, non-empty; the last one is the slot voted on. */
  readonly lockouts: readonly Lockout[];
}

export interface SignedVote extends Vote {
  readonly signature: Uint8Array;
}

/** The slot a vote votes on: its last lockout. */
export function voteSlot(v: Vote): number {
  return (v.lockouts.at(-1) as Lockout).slot;
}

/** The vote a validator signs after `tower.recordVote(slot)`: its tower as it now stands. */
export function makeVote(tower: Tower, opts: { shard: number; hash: Uint8Array }): Vote {
  return {
    shard: opts.shard,
    validator: tower.node,
    hash: opts.hash,
    root: tower.root,
    lockouts: tower.votes,
  };
}

/** u8 version ‖ u32be shard ‖ validator (32) ‖ hash (32) ‖ root tag [‖ u64be root] ‖ lockouts. */
function voteBody(v: Vote): Uint8Array {
  const w = new ByteWriter(128 + 9 * v.lockouts.length);
  w.u8(VOTE_VERSION).u32(v.shard).fixed(v.validator, 32).fixed(v.hash, 32);
  writeLockouts(w, v.root, v.lockouts);
  return w.finish();
}

function signingMessage(v: Vote): Uint8Array {
  const digest = sha256(voteBody(v));
  const m = new Uint8Array(VOTE_DOMAIN.length + digest.length);
  m.set(VOTE_DOMAIN);
  m.set(digest, VOTE_DOMAIN.length);
  return m;
}

export function signVote(v: Vote, privateKey: KeyObject): SignedVote {
  return { ...v, signature: signEd25519(privateKey, signingMessage(v)) };
}

export function verifyVoteSignature(v: SignedVote): boolean {
  return verifyEd25519(importPublicKey(v.validator), signingMessage(v), v.signature);
}

/** Canonical bytes of a signed vote: the body, then the 64-byte signature. */
export function encodeVote(v: SignedVote): Uint8Array {
  if (v.signature.length !== 64) throw new RangeError('vote signature must be 64 bytes');
  const body = voteBody(v);
  const out = new Uint8Array(body.length + 64);
  out.set(body);
  out.set(v.signature, body.length);
  return out;
}

/** Decodes untrusted vote bytes; CodecError on layout, ConsensusError when no tower could say it. */
export function decodeVote(bytes: Uint8Array): SignedVote {
  const r = new ByteReader(bytes);
  const version = r.u8();
  if (version !== VOTE_VERSION)
    throw new CodecError('codec.vote_version', `unknown vote version ${version}`);
  const shard = r.u32();
  const validator = r.fixed(32);
  const hash = r.fixed(32);
  const { root, votes } = readLockouts(r);
  const signature = r.fixed(64);
  r.end();
  if (votes.length === 0) throw new CodecError('codec.empty_vote', 'a vote needs a lockout');
  assertTowerState({ node: validator, root, votes });
  return { shard, validator, hash, root, lockouts: votes, signature };
}
