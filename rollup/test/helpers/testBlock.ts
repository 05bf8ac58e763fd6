import type { Block } from '../../src/types/block.ts';

/** An empty, well-formed block (slot 1 after genesis) with `overrides` applied: a test factory. */
export function testBlock(overrides: Partial<Block> = {}): Block {
  return {
    shard: 0,
    slot: 1,
    parentSlot: 0,
    parentHash: new Uint8Array(32),
    leader: new Uint8Array(32),
    pohStart: new Uint8Array(32),
    tickHeight: 0,
    entries: [],
    transactions: [],
    entryTxCounts: [],
    votes: [],
    stateRoot: new Uint8Array(32),
    flags: 0,
    daCommitment: new Uint8Array(48),
    l2Time: 0,
    l2Events: [],
    ...overrides,
  };
}
