import { RecordReader, RecordWriter } from './recordCodec.ts';

/**
 * The records of §6's privacy layer in the shard state (docs/privacy.md "Rollup"): anonymity-set
 * roots relayed from the L2, spent anonymous nullifiers, and pseudonyms.
 */

/** An anonymity-set root the L2's AnonymitySet published (key: the root, 64 hex). */
export interface AnonRootRecord {
  /** Slot at which the root arrived (its `RootUpdated` event was applied). */
  readonly addedSlot: bigint;
  /** Slot at which a newer root replaced it (0: it is the current root). */
  replacedSlot: bigint;
}

export const anonRootCodec = {
  encode: (r: AnonRootRecord) => new RecordWriter().u64(r.addedSlot).u64(r.replacedSlot).finish(),
  decode(b: Uint8Array): AnonRootRecord {
    const r = new RecordReader(b);
    const v = { addedSlot: r.u64(), replacedSlot: r.u64() };
    r.end();
    return v;
  },
  clone: (r: AnonRootRecord): AnonRootRecord => ({ ...r }),
};

/** A spent anonymous nullifier (key: scope ‖ nullifier, 128 hex): when it was spent. */
export interface NullifierRecord {
  readonly slot: bigint;
}

export const nullifierCodec = {
  encode: (r: NullifierRecord) => new RecordWriter().u64(r.slot).finish(),
  decode(b: Uint8Array): NullifierRecord {
    const r = new RecordReader(b);
    const v = { slot: r.u64() };
    r.end();
    return v;
  },
  clone: (r: NullifierRecord): NullifierRecord => ({ ...r }),
};

/**
 * A pseudonym (key: its nullifier in the pseudonym scope, 64 hex): the identity record that holds
 * its reputation (`id`, PSEUDONYM_ID_BASE + n), the counter that stops replays, and its quota use.
 */
export interface PseudonymRecord {
  readonly id: bigint;
  /** The `pseudonymNonce` its next action must carry. */
  nonce: bigint;
  /** Epoch of `actions`. */
  epoch: bigint;
  /** Actions taken in `epoch` (≤ PSEUDONYM_ACTIONS_PER_EPOCH). */
  actions: number;
}

export const pseudonymCodec = {
  encode: (p: PseudonymRecord) =>
    new RecordWriter().u64(p.id).u64(p.nonce).u64(p.epoch).u32(p.actions).finish(),
  decode(b: Uint8Array): PseudonymRecord {
    const r = new RecordReader(b);
    const v = { id: r.u64(), nonce: r.u64(), epoch: r.u64(), actions: r.u32() };
    r.end();
    return v;
  },
  clone: (p: PseudonymRecord): PseudonymRecord => ({ ...p }),
};

/** The shard's privacy singleton: the current anonymity-set root and the pseudonym count. */
export interface PrivacyRecord {
  /** The latest root (all zero before the first `anonymityRoot` event). */
  currentRoot: Uint8Array;
  /** Pseudonyms created so far (the next one gets PSEUDONYM_ID_BASE + this + 1). */
  pseudonyms: bigint;
}

export function newPrivacy(): PrivacyRecord {
  return { currentRoot: new Uint8Array(32), pseudonyms: 0n };
}

export const privacyCodec = {
  encode: (p: PrivacyRecord) =>
    new RecordWriter().bytes32(p.currentRoot).u64(p.pseudonyms).finish(),
  decode(b: Uint8Array): PrivacyRecord {
    const r = new RecordReader(b);
    const v = { currentRoot: r.bytes32(), pseudonyms: r.u64() };
    r.end();
    return v;
  },
  clone: (p: PrivacyRecord): PrivacyRecord => ({
    currentRoot: p.currentRoot.slice(),
    pseudonyms: p.pseudonyms,
  }),
};
