import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockHash } from '../../src/codec/blockCodec.ts';
import { generateEd25519 } from '../../src/crypto/ed25519.ts';
import { genesisState } from '../../src/economy/genesisState.ts';
import { encodeL2Event } from '../../src/economy/l2EventCodec.ts';
import { defaultGenesis, genesisHash } from '../../src/genesis/genesis.ts';
import { BlockBuilder, type L2Batch } from '../../src/node/blockBuilder.ts';
import type { Bank } from '../../src/node/forks.ts';
import { type L2EventSource, replayBlock } from '../../src/node/replay.ts';
import { Poh, type PohEntry } from '../../src/poh/poh.ts';
import { SignerKeyCache } from '../../src/tx/signerKeyCache.ts';
import type { SignedBlock } from '../../src/types/block.ts';
import { toHex } from '../../src/utils/hex.ts';

/**
 * DESIGN.md §4 step 5 in replay: a block's L2 events are exactly what the validator's own L2 holds
 * between the parent's L2 time and the block's, and they apply before the transactions.
 */

const leader = generateEd25519();
const genesis = defaultGenesis([{ pubkey: toHex(leader.publicKey), stake: '1000' }], {
  hashesPerTick: 4,
  ticksPerSlot: 2,
});
const root = (n: number) => new Uint8Array(32).fill(n);
const ev = (n: number) => encodeL2Event({ kind: 'anonymityRoot', root: root(n) });

function genesisBank(): Bank {
  const hash = genesisHash(genesis);
  return {
    slot: 0,
    hash,
    hashHex: toHex(hash),
    parentSlot: 0,
    lastHash: hash,
    tickHeight: 0,
    block: null,
    txs: [],
    state: genesisState(genesis),
  };
}

/** The leader's block at `slot` on `parent` with `l2` (ticks only, no transactions). */
function build(parent: Bank, slot: number, l2?: L2Batch): { block: SignedBlock; bank: Bank } {
  const keys = new SignerKeyCache();
  const b = new BlockBuilder(parent, slot, { genesis, keys }, 0, l2);
  const poh = new Poh({ startHash: parent.lastHash, hashesPerTick: genesis.hashesPerTick });
  const entries: PohEntry[] = [];
  while (entries.length < (slot - parent.slot) * genesis.ticksPerSlot) {
    poh.hash(1_000);
    const t = poh.tick();
    if (t !== null) entries.push(t);
  }
  const { block, state } = b.finish(entries, leader.publicKey, leader.privateKey, []);
  const hash = blockHash(block);
  return {
    block,
    bank: {
      slot,
      hash,
      hashHex: toHex(hash),
      parentSlot: parent.slot,
      lastHash: (entries.at(-1) as PohEntry).hash,
      tickHeight: block.tickHeight,
      block,
      state,
      txs: [],
    },
  };
}

/** An L2 as the test defines it: events by L2 time. */
function l2Source(byTime: Map<number, Uint8Array[]>, head: number): L2EventSource {
  return {
    eventsBetween: async (after, upTo) =>
      upTo > head
        ? null
        : [...byTime.entries()]
            .filter(([t]) => t > after && t <= upTo)
            .sort(([a], [b]) => a - b)
            .flatMap(([, e]) => e),
  };
}

const deps = (l2?: L2EventSource) => ({
  genesis,
  keys: new SignerKeyCache(),
  verifier: null,
  ...(l2 === undefined ? {} : { l2 }),
});

describe('L2 events in blocks (DESIGN.md §4 step 5)', () => {
  const events = new Map([
    [100, [ev(1)]],
    [105, [ev(2), ev(3)]],
  ]);
  const source = l2Source(events, 110);

  it('a block with the L2’s events up to its L2 time replays, and the state has the latest root', async () => {
    const g = genesisBank();
    const { block } = build(g, 1, { time: 110, events: [ev(1), ev(2), ev(3)] });
    const v = await replayBlock(block, blockHash(block), g, deps(source));
    assert.equal(v.kind, 'valid', JSON.stringify(v));
    if (v.kind !== 'valid') return;
    assert.deepEqual(v.bank.state.privacy().currentRoot, root(3));
    assert.ok(v.bank.state.anonRoots.has(toHex(root(1))), 'replaced roots stay known');
  });

  it('missing, extra, reordered or invented events are refused', async () => {
    const g = genesisBank();
    for (const evs of [
      [ev(1), ev(2)],
      [ev(1), ev(2), ev(3), ev(4)],
      [ev(2), ev(1), ev(3)],
    ]) {
      const { block } = build(g, 1, { time: 110, events: evs });
      const v = await replayBlock(block, blockHash(block), g, deps(source));
      assert.equal(v.kind === 'invalid' && v.code, 'block.l2_events');
    }
    const { block } = build(g, 1, { time: 0, events: [ev(1)] });
    const v = await replayBlock(block, blockHash(block), g, deps(source));
    assert.equal(v.kind === 'invalid' && v.code, 'block.l2_events', 'events need a later L2 time');
  });

  it('L2 time never goes back; a time beyond this node’s L2 and a node without an L2 cannot judge', async () => {
    const g = genesisBank();
    const first = build(g, 1, { time: 105, events: [ev(1), ev(2), ev(3)] });
    const back = build(first.bank, 2, { time: 100, events: [] });
    const v1 = await replayBlock(back.block, blockHash(back.block), first.bank, deps(source));
    assert.equal(v1.kind === 'invalid' && v1.code, 'block.l2_time');
    const ahead = build(g, 1, { time: 200, events: [ev(1), ev(2), ev(3)] });
    const v2 = await replayBlock(ahead.block, blockHash(ahead.block), g, deps(source));
    assert.equal(v2.kind === 'invalid' && v2.code, 'block.l2_ahead');
    const v3 = await replayBlock(first.block, blockHash(first.block), g, deps());
    assert.equal(v3.kind === 'invalid' && v3.code, 'block.l2_unverifiable');
  });

  it('without L2 events a block keeps its parent’s L2 time and needs no L2', async () => {
    const g = genesisBank();
    const { block } = build(g, 1);
    assert.equal(block.l2Time, 0);
    assert.equal((await replayBlock(block, blockHash(block), g, deps())).kind, 'valid');
  });
});
