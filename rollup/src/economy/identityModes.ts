import { hash as nodeHash } from 'node:crypto';
import type { AuthorMode } from './records.ts';

/**
 * §6.3 identity modes: what each may do and how much it weighs, and the seam through which
 * zero-knowledge membership proofs (issue 6: `circuits/`, `contracts/privacy/AnonymitySet.sol`)
 * reach the state machine.
 *
 * - **public**: a signer key bound to a hardware identity; full influence.
 * - **pseudonymous**: a stable pseudonym (the proof's nullifier under the fixed pseudonym scope)
 *   with its own reputation; votes and bounties like a public identity, but no governance.
 * - **anonymous**: one-off nullifiers (scope = epoch, shard, action kind), so an identity gets a
 *   bounded number of unlinkable anonymous actions per epoch; zero influence: no vote weight, no
 *   bounty resolution, no reputation, no governance.
 */
export interface ModeInfluence {
  /** Its votes move tallies and reputation. */
  readonly voteWeight: boolean;
  /** It may ask, answer and accept bounties (and decide community votes on them). */
  readonly bounties: boolean;
  /** It earns (and loses) reputation. */
  readonly reputation: boolean;
  /** It counts in governance (§13.1 "Anonymous mode identities: voting power = 0"). */
  readonly governance: boolean;
}

export const INFLUENCE: Readonly<Record<AuthorMode, ModeInfluence>> = {
  public: { voteWeight: true, bounties: true, reputation: true, governance: true },
  pseudonymous: { voteWeight: true, bounties: true, reputation: true, governance: false },
  anonymous: { voteWeight: false, bounties: false, reputation: false, governance: false },
};

/**
 * A membership proof as the circuit's public signals order them (docs/privacy.md): the anonymity
 * set's root, the nullifier = Poseidon(scope, secret), the scope, and the message — the hash of
 * the action the proof authorizes, so a proof cannot be reused for other content. Field elements
 * as 32-byte big-endian; `proof` is the Groth16 proof (a, b, c) as the verifier takes it.
 */
export interface MembershipProof {
  readonly root: Uint8Array;
  readonly nullifier: Uint8Array;
  readonly scope: Uint8Array;
  readonly message: Uint8Array;
  readonly proof: Uint8Array;
}

/**
 * What the state machine needs from the privacy layer (issue 6 item 6 plugs a real one in): the
 * anonymity-set roots it accepts (relayed from the L2's `RootUpdated` events with their expiry)
 * and Groth16 verification against the pinned verification key. Pure and deterministic for a
 * given L2 history, like every other input of execution.
 */
export interface MembershipVerifier {
  isKnownRoot(root: Uint8Array, slot: bigint): boolean;
  verify(proof: MembershipProof): boolean;
}

/** Until issue 6 wires the verifier in, every proof is refused (`exec.proof_unsupported`). */
export const NO_MEMBERSHIP_VERIFIER: MembershipVerifier = {
  isKnownRoot: () => false,
  verify: () => false,
};

const PSEUDONYM_TAG = new TextEncoder().encode('moltbook/scope/pseudonym/v1');
const ANONYMOUS_TAG = new TextEncoder().encode('moltbook/scope/anonymous/v1');
/** BN254 scalar field order: scopes and messages must be field elements. */
const FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** SHA-256 of the parts reduced into the field, as 32 bytes (a public input of the circuit). */
function toField(parts: readonly Uint8Array[]): Uint8Array {
  const h = nodeHash('sha256', Buffer.concat(parts), 'buffer');
  let x = 0n;
  for (const b of h) x = (x << 8n) | BigInt(b);
  x %= FIELD;
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** §6.3 pseudonymous scope: one fixed label, so the nullifier is the same pseudonym every time. */
export const PSEUDONYM_SCOPE = toField([PSEUDONYM_TAG]);

/**
 * §6.3 anonymous scope: (epoch, shard, action kind, slot index), so each identity has at most
 * `indices` unlinkable anonymous actions of a kind per epoch and shard (the index is the
 * "counter" that makes several possible; the state machine bounds it).
 */
export function anonymousScope(
  epoch: bigint,
  shard: number,
  actionKind: number,
  index: number,
): Uint8Array {
  const b = new Uint8Array(8 + 4 + 1 + 2);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, epoch);
  v.setUint32(8, shard);
  v.setUint8(12, actionKind);
  v.setUint16(13, index);
  return toField([ANONYMOUS_TAG, b]);
}

/** The mode a proof's scope puts an action in (null: a scope of neither kind). */
export function modeOfScope(
  scope: Uint8Array,
  epoch: bigint,
  shard: number,
  actionKind: number,
  maxIndex: number,
): 'pseudonymous' | 'anonymous' | null {
  if (Buffer.compare(scope, PSEUDONYM_SCOPE) === 0) return 'pseudonymous';
  for (let i = 0; i < maxIndex; i++)
    if (Buffer.compare(scope, anonymousScope(epoch, shard, actionKind, i)) === 0)
      return 'anonymous';
  return null;
}
