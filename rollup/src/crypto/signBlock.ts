import type { KeyObject } from 'node:crypto';
import { blockHash } from '../codec/blockCodec.ts';
import type { Block, SignedBlock } from '../types/block.ts';
import { signEd25519, verifyEd25519 } from './ed25519.ts';

/** Domain tag: a block signature can never be replayed as a vote or transaction signature. */
const BLOCK_DOMAIN = new TextEncoder().encode('moltbook/block/v1');

function signingMessage(hash: Uint8Array): Uint8Array {
  const m = new Uint8Array(BLOCK_DOMAIN.length + hash.length);
  m.set(BLOCK_DOMAIN);
  m.set(hash, BLOCK_DOMAIN.length);
  return m;
}

export function signBlock(block: Block, key: KeyObject): SignedBlock {
  return { ...block, signature: signEd25519(key, signingMessage(blockHash(block))) };
}

export function verifyBlockSignature(block: SignedBlock, leaderKey: KeyObject): boolean {
  return verifyEd25519(leaderKey, signingMessage(blockHash(block)), block.signature);
}
