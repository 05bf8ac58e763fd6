import type { KeyObject } from 'node:crypto';
import { ByteReader } from '../codec/byteReader.ts';
import { ByteWriter } from '../codec/byteWriter.ts';
import { CodecError } from '../codec/codecError.ts';
import { importPublicKey, signEd25519, verifyEd25519 } from '../crypto/ed25519.ts';
import { MAX_LOCKOUT_HISTORY } from '../params/towerParams.ts';
import { sha256 } from '../poh/poh.ts';
import { ConsensusError } from './consensusError.ts';
import { type Lockout, Tower } from './tower.ts';

const TOWER_VERSION = 1;
const TOWER_DOMAIN = new TextEncoder().encode('moltbook/tower/v1');
const SIGNATURE_BYTES = 64;

/** Root and lockouts, shared by the tower and the vote encodings (see docs/consensus.md). */
export function writeLockouts(w: ByteWriter, root: number | null, votes: readonly Lockout[]): void {
  if (root === null) w.u8(0);
  else w.u8(1).u64(root);
  w.u8(votes.length);
  for (const v of votes) w.u64(v.slot).u8(v.confirmationCount);
}

export function readLockouts(r: ByteReader): { root: number | null; votes: Lockout[] } {
  const tag = r.u8();
  if (tag > 1) throw new CodecError('codec.root_tag', `bad root tag ${tag}`);
  const root = tag === 1 ? r.u64() : null;
  const n = r.u8();
  if (n > MAX_LOCKOUT_HISTORY) throw new CodecError('codec.too_many', `${n} lockouts`);
  const votes: Lockout[] = [];
  for (let i = 0; i < n; i++) votes.push({ slot: r.u64(), confirmationCount: r.u8() });
  return { root, votes };
}

/**
 * Canonical bytes of a tower: u8 version ‖ node (32) ‖ root tag (0 | 1 ‖ u64be root) ‖ u8 count
 * ‖ count × (u64be slot ‖ u8 confirmationCount), oldest vote first.
 */
export function encodeTower(tower: Tower): Uint8Array {
  const w = new ByteWriter(64 + 9 * MAX_LOCKOUT_HISTORY);
  w.u8(TOWER_VERSION).fixed(tower.node, 32);
  writeLockouts(w, tower.root, tower.votes);
  return w.finish();
}

/** Decodes `encodeTower` bytes; CodecError on a bad layout, ConsensusError on a broken tower. */
export function decodeTower(bytes: Uint8Array): Tower {
  const r = new ByteReader(bytes);
  const version = r.u8();
  if (version !== TOWER_VERSION)
    throw new CodecError('codec.tower_version', `unknown tower version ${version}`);
  const node = r.fixed(32);
  const { root, votes } = readLockouts(r);
  r.end();
  return new Tower({ node, root, votes });
}

function signingMessage(body: Uint8Array): Uint8Array {
  const digest = sha256(body);
  const m = new Uint8Array(TOWER_DOMAIN.length + digest.length);
  m.set(TOWER_DOMAIN);
  m.set(digest, TOWER_DOMAIN.length);
  return m;
}

/**
 * What the node persists after every vote (Agave `SavedTower`): `encodeTower` bytes followed by
 * the node's Ed25519 signature over "moltbook/tower/v1" ‖ SHA-256(those bytes).
 */
export function signTower(tower: Tower, privateKey: KeyObject): Uint8Array {
  const body = encodeTower(tower);
  const out = new Uint8Array(body.length + SIGNATURE_BYTES);
  out.set(body);
  out.set(signEd25519(privateKey, signingMessage(body)), body.length);
  return out;
}

export type TowerVerdict =
  | { readonly kind: 'valid'; readonly tower: Tower }
  | { readonly kind: 'malformed'; readonly code: string; readonly message: string }
  | { readonly kind: 'wrongNode' }
  | { readonly kind: 'badSignature' };

/** Loads a saved tower: it must decode, belong to `node` (32-byte key) and carry its signature. */
export function verifyTower(saved: Uint8Array, node: Uint8Array): TowerVerdict {
  if (saved.length < SIGNATURE_BYTES + 1)
    return { kind: 'malformed', code: 'codec.truncated', message: 'saved tower too short' };
  const body = saved.subarray(0, saved.length - SIGNATURE_BYTES);
  const signature = saved.subarray(saved.length - SIGNATURE_BYTES);
  let tower: Tower;
  try {
    tower = decodeTower(body);
  } catch (err) {
    if (err instanceof CodecError || err instanceof ConsensusError)
      return { kind: 'malformed', code: err.code, message: err.message };
    throw err;
  }
  if (Buffer.compare(tower.node, node) !== 0) return { kind: 'wrongNode' };
  if (!verifyEd25519(importPublicKey(node), signingMessage(body), signature))
    return { kind: 'badSignature' };
  return { kind: 'valid', tower };
}
