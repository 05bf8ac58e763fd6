import { hash as nodeHash } from 'node:crypto';
import { PAYLOAD_KIND, type ZkPayload } from '../tx/transaction.ts';
import { encodePayload } from '../tx/txCodec.ts';
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
 * as 32-byte big-endian; `proof` is the 256-byte Groth16 proof of `ZkAuth.proof`.
 */
export interface MembershipProof {
  readonly root: Uint8Array;
  readonly nullifier: Uint8Array;
  readonly scope: Uint8Array;
  readonly message: Uint8Array;
  readonly proof: Uint8Array;
}

/**
 * Groth16 verification against the pinned verification key, as the state machine asks for it:
 * synchronous and deterministic. Verification itself is slow (~16 ms) and asynchronous
 * (snarkjs), so the node runs it before execution — on mempool admission and for every block it
 * replays (rollup/src/zk/membershipProofs.ts) — and hands the state machine the verdicts. Whether
 * the root is recent and the nullifier fresh is the state's own bookkeeping (zkActions.ts).
 */
export interface MembershipVerifier {
  verify(proof: MembershipProof): boolean;
}

/** Without a verifier every proof is refused (`exec.proof_invalid`): a node not set up for §6. */
export const NO_MEMBERSHIP_VERIFIER: MembershipVerifier = { verify: () => false };

const PSEUDONYM_TAG = new TextEncoder().encode('moltbook/scope/pseudonym/v1');
const MESSAGE_TAG = new TextEncoder().encode('moltbook/zk-action/v1');
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

/**
 * The message a zero-knowledge action's proof binds (the circuit's fourth public signal):
 * SHA-256(tag ‖ u32 shard ‖ sender ‖ canonical payload with the proof bytes zeroed), reduced
 * into the field. It covers the shard, the envelope's key, the content reference, the root, the
 * nullifier, the epoch, index and pseudonym nonce — so a proof authorizes exactly this action,
 * once, and nobody can lift it onto other content or another envelope.
 */
export function zkActionMessage(shard: number, sender: Uint8Array, payload: ZkPayload): Uint8Array {
  const blanked = { ...payload, zk: { ...payload.zk, proof: new Uint8Array(256) } };
  const head = new Uint8Array(4);
  new DataView(head.buffer).setUint32(0, shard);
  return toField([MESSAGE_TAG, head, sender, encodePayload(blanked)]);
}

/** The scope a zero-knowledge action's proof must use, from its mode (§6.3). */
export function zkScope(shard: number, payload: ZkPayload): Uint8Array {
  return payload.mode === 'pseudonymous'
    ? PSEUDONYM_SCOPE
    : anonymousScope(payload.zk.epoch, shard, PAYLOAD_KIND[payload.kind], payload.zk.index);
}
