import { hash as nodeHash } from 'node:crypto';
import {
  type Groth16VerificationKey,
  groth16ProofFromBytes,
  loadMembershipVerificationKey,
  verifyMembershipProof,
} from '@moltbook/circuits';
import type { MembershipProof, MembershipVerifier } from '../economy/identityModes.ts';
import { zkActionMessage, zkScope } from '../economy/identityModes.ts';
import { isZkPayload, PAYLOAD_KIND, type SignedTransaction } from '../tx/transaction.ts';

/** Verdicts kept (a proof is ~16 ms to verify; its verdict 1 map entry). */
const MAX_VERDICTS = 16_384;
/** Offset of the payload kind in a v2 envelope: version, shard, sender, nonce, maxFee. */
const PAYLOAD_KIND_OFFSET = 1 + 4 + 32 + 8 + 8;

/** True when encoded transaction bytes hold a zero-knowledge action (cheap: one byte). */
export function mayCarryProof(bytes: Uint8Array): boolean {
  const k = bytes[PAYLOAD_KIND_OFFSET];
  return k === PAYLOAD_KIND.zkPost || k === PAYLOAD_KIND.zkReply;
}

/** The proof a zero-knowledge transaction carries, with the scope and message it must verify for. */
export function membershipProofOf(tx: SignedTransaction): MembershipProof | null {
  const p = tx.payload;
  if (!isZkPayload(p)) return null;
  return {
    root: p.zk.root,
    nullifier: p.zk.nullifier,
    scope: zkScope(tx.shard, p),
    message: zkActionMessage(tx.shard, tx.sender, p),
    proof: p.zk.proof,
  };
}

const toBig = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);

function proofKey(p: MembershipProof): string {
  return nodeHash(
    'sha256',
    Buffer.concat([p.root, p.nullifier, p.scope, p.message, p.proof]),
    'hex',
  );
}

/**
 * A node's Groth16 verification of membership proofs (§6.2) against the pinned verification key
 * (circuits/ceremony/membership), with the verdicts remembered: a proof is verified once per node
 * — on mempool admission, or before replaying the block that carries it — and the synchronous
 * state machine then reads the verdict (`verifier`, the MembershipVerifier seam of
 * economy/identityModes.ts). A proof never verified reads as invalid, so execution can only be
 * stricter than verification, never looser.
 */
export class MembershipProofs {
  readonly #vkey: Groth16VerificationKey;
  readonly #verdicts = new Map<string, boolean>();
  /** Proofs verified (not answered from the cache), for metrics. */
  verified = 0;

  readonly verifier: MembershipVerifier = {
    verify: (proof) => this.#verdicts.get(proofKey(proof)) === true,
  };

  constructor(vkey: Groth16VerificationKey) {
    this.#vkey = vkey;
  }

  /** With the checked-in verification key (its pin checked against the ceremony manifest). */
  static async load(): Promise<MembershipProofs> {
    return new MembershipProofs(await loadMembershipVerificationKey());
  }

  /** Verifies (or recalls) one proof; never throws for a bad one. */
  async check(proof: MembershipProof): Promise<boolean> {
    const key = proofKey(proof);
    const known = this.#verdicts.get(key);
    if (known !== undefined) return known;
    let ok = false;
    try {
      const r = await verifyMembershipProof(
        groth16ProofFromBytes(proof.proof),
        [proof.root, proof.nullifier, proof.scope, proof.message].map(toBig),
        this.#vkey,
      );
      ok = r.kind === 'valid';
    } catch {
      ok = false;
    }
    this.verified += 1;
    if (this.#verdicts.size >= MAX_VERDICTS) {
      const oldest = this.#verdicts.keys().next().value as string;
      this.#verdicts.delete(oldest);
    }
    this.#verdicts.set(key, ok);
    return ok;
  }

  /** Verifies every proof of `txs` not verified yet (before a block's execution). */
  async checkAll(txs: readonly SignedTransaction[]): Promise<void> {
    const proofs = txs.map(membershipProofOf).filter((p) => p !== null);
    await Promise.all(proofs.map((p) => this.check(p)));
  }
}
