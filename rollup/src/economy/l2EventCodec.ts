import { ByteReader } from '../codec/byteReader.ts';
import { ByteWriter } from '../codec/byteWriter.ts';
import { CodecError } from '../codec/codecError.ts';
import type { L2Event } from './l2Events.ts';

/**
 * Canonical bytes of an L2 event as a block carries it (DESIGN.md §4 step 5): u8 kind, then the
 * fields big-endian (ids, stakes, amounts, prices u64; keys, roots 32 bytes). Kind numbers are
 * stable: never renumber, only add.
 */
const KIND = {
  identityRegistered: 1,
  stakeChanged: 2,
  identityFrozen: 3,
  identityUnfrozen: 4,
  identityRetired: 5,
  signerAuthorized: 6,
  signerRevoked: 7,
  deposit: 8,
  oraclePrice: 9,
  anonymityRoot: 10,
} as const satisfies Record<L2Event['kind'], number>;

/** Most bytes one encoded event may have (a decoder bound). */
export const MAX_L2_EVENT_BYTES = 64;

export function encodeL2Event(e: L2Event): Uint8Array {
  const w = new ByteWriter(48).u8(KIND[e.kind]);
  switch (e.kind) {
    case 'identityRegistered':
    case 'stakeChanged':
      w.u64n(e.id).u64n(e.stake);
      break;
    case 'identityFrozen':
    case 'identityUnfrozen':
    case 'identityRetired':
      w.u64n(e.id);
      break;
    case 'signerAuthorized':
    case 'signerRevoked':
      w.u64n(e.id).fixed(e.key, 32);
      break;
    case 'deposit':
      w.fixed(e.to, 32).u64n(e.amount);
      break;
    case 'oraclePrice':
      w.u64n(e.priceMicroUsdPerMolt);
      break;
    case 'anonymityRoot':
      w.fixed(e.root, 32);
      break;
  }
  return w.finish();
}

function u64(r: ByteReader): bigint {
  const b = r.fixed(8);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
}

/** Decodes untrusted bytes; CodecError (`codec.l2_event`, …) on any defect, nothing else. */
export function decodeL2Event(bytes: Uint8Array): L2Event {
  const r = new ByteReader(bytes);
  const kind = r.u8();
  let e: L2Event;
  switch (kind) {
    case KIND.identityRegistered:
      e = { kind: 'identityRegistered', id: u64(r), stake: u64(r) };
      break;
    case KIND.stakeChanged:
      e = { kind: 'stakeChanged', id: u64(r), stake: u64(r) };
      break;
    case KIND.identityFrozen:
      e = { kind: 'identityFrozen', id: u64(r) };
      break;
    case KIND.identityUnfrozen:
      e = { kind: 'identityUnfrozen', id: u64(r) };
      break;
    case KIND.identityRetired:
      e = { kind: 'identityRetired', id: u64(r) };
      break;
    case KIND.signerAuthorized:
      e = { kind: 'signerAuthorized', id: u64(r), key: r.fixed(32) };
      break;
    case KIND.signerRevoked:
      e = { kind: 'signerRevoked', id: u64(r), key: r.fixed(32) };
      break;
    case KIND.deposit:
      e = { kind: 'deposit', to: r.fixed(32), amount: u64(r) };
      break;
    case KIND.oraclePrice:
      e = { kind: 'oraclePrice', priceMicroUsdPerMolt: u64(r) };
      break;
    case KIND.anonymityRoot:
      e = { kind: 'anonymityRoot', root: r.fixed(32) };
      break;
    default:
      throw new CodecError('codec.l2_event', `unknown L2 event kind ${kind}`);
  }
  r.end();
  return e;
}
