import type { KeyObject } from 'node:crypto';
import { ByteReader } from '../codec/byteReader.ts';
import { ByteWriter } from '../codec/byteWriter.ts';
import { CodecError } from '../codec/codecError.ts';
import { importPublicKey, signEd25519, verifyEd25519 } from '../crypto/ed25519.ts';
import { sha256 } from '../poh/poh.ts';

const INCLUSION_LIST_VERSION = 1;
/** Domain tag: an inclusion-list signature never passes as a block, vote or tx signature. */
const DOMAIN = new TextEncoder().encode('moltbook/inclusion-list/v1');
/** Most transaction ids one list names. */
export const MAX_INCLUSION_LIST_TXS = 64;

/**
 * A validator's signed statement "these transactions have waited in my mempool for
 * CR_LIST_DELAY_SLOTS slots" (§7.6 crList; after Ethereum's FOCIL inclusion lists). A transaction
 * named by validators holding more than half the stake must be in the next block: a validator
 * holding such lists treats a block that leaves it out, while it is executable, as invalid.
 */
export interface InclusionList {
  readonly shard: number;
  readonly validator: Uint8Array;
  /** The validator's PoH slot when it made the list (newer lists replace older ones). */
  readonly slot: number;
  /** SHA-256 ids of the transactions (txId). */
  readonly txIds: readonly Uint8Array[];
}

export interface SignedInclusionList extends InclusionList {
  readonly signature: Uint8Array;
}

function body(l: InclusionList): Uint8Array {
  const w = new ByteWriter(64 + 32 * l.txIds.length);
  w.u8(INCLUSION_LIST_VERSION).u32(l.shard).fixed(l.validator, 32).u64(l.slot).u32(l.txIds.length);
  for (const id of l.txIds) w.fixed(id, 32);
  return w.finish();
}

function message(l: InclusionList): Uint8Array {
  const d = sha256(body(l));
  const m = new Uint8Array(DOMAIN.length + 32);
  m.set(DOMAIN);
  m.set(d, DOMAIN.length);
  return m;
}

export function signInclusionList(l: InclusionList, key: KeyObject): SignedInclusionList {
  if (l.txIds.length > MAX_INCLUSION_LIST_TXS) throw new RangeError('too many transactions');
  return { ...l, signature: signEd25519(key, message(l)) };
}

export function verifyInclusionList(l: SignedInclusionList): boolean {
  return verifyEd25519(importPublicKey(l.validator), message(l), l.signature);
}

export function encodeInclusionList(l: SignedInclusionList): Uint8Array {
  const b = body(l);
  const out = new Uint8Array(b.length + 64);
  out.set(b);
  out.set(l.signature, b.length);
  return out;
}

/** Decodes untrusted bytes; CodecError with a stable code on any defect. */
export function decodeInclusionList(bytes: Uint8Array): SignedInclusionList {
  const r = new ByteReader(bytes);
  const version = r.u8();
  if (version !== INCLUSION_LIST_VERSION)
    throw new CodecError(
      'codec.inclusion_list_version',
      `unknown inclusion list version ${version}`,
    );
  const shard = r.u32();
  const validator = r.fixed(32);
  const slot = r.u64();
  const txIds: Uint8Array[] = [];
  for (let n = r.count(MAX_INCLUSION_LIST_TXS); n > 0; n--) txIds.push(r.fixed(32));
  const signature = r.fixed(64);
  r.end();
  return { shard, validator, slot, txIds, signature };
}
