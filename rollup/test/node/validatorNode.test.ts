import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { blockHash } from '../../src/codec/blockCodec.ts';
import { generateEd25519, importPublicKey } from '../../src/crypto/ed25519.ts';
import { verifyBlockSignature } from '../../src/crypto/signBlock.ts';
import { defaultGenesis, genesisHash } from '../../src/genesis/genesis.ts';
import { ValidatorNode } from '../../src/node/validatorNode.ts';
import { verifyEntries } from '../../src/poh/verifyEntries.ts';
import { blockFromJson } from '../../src/rpc/blockJson.ts';
import type { SignedBlock } from '../../src/types/block.ts';
import { toHex } from '../../src/utils/hex.ts';
import { rpcCall, waitForSlot } from '../helpers/rpc.ts';

const dir = mkdtempSync(join(tmpdir(), 'molt-node-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const key = generateEd25519();
const genesis = defaultGenesis([{ pubkey: toHex(key.publicKey), stake: '1000000000' }], {
  hashesPerTick: 1_000,
  ticksPerSlot: 8,
});

async function fetchChain(url: string, upTo: number): Promise<SignedBlock[]> {
  const out: SignedBlock[] = [];
  for (let s = 0; s <= upTo; s++) {
    const b = blockFromJson(await rpcCall(url, 'getBlock', [s]));
    assert.ok(b !== null, `block ${s} is served and well-formed`);
    out.push(b);
  }
  return out;
}

/** What any client can check from the RPC alone: signatures, links, and every slot's PoH. */
function assertValidChain(chain: readonly SignedBlock[]): void {
  const leaderKey = importPublicKey(key.publicKey);
  let prevEnd: Uint8Array = genesisHash(genesis);
  let prevHash: Uint8Array = new Uint8Array(32);
  for (const [i, b] of chain.entries()) {
    assert.equal(b.slot, i);
    assert.equal(
      toHex(b.pohStart),
      toHex(prevEnd),
      `slot ${i} starts where its parent's PoH ended`,
    );
    assert.equal(toHex(b.parentHash), toHex(prevHash), `slot ${i} links to its parent`);
    assert.ok(verifyBlockSignature(b, leaderKey), `slot ${i} is signed by the leader`);
    const v = verifyEntries(b.pohStart, b.entries, {
      hashesPerTick: genesis.hashesPerTick,
      ticksPerSlot: genesis.ticksPerSlot,
    });
    assert.equal(v.kind, 'valid', `slot ${i} PoH verifies`);
    assert.equal(b.tickHeight, (i + 1) * genesis.ticksPerSlot);
    prevEnd = (b.entries.at(-1) as { hash: Uint8Array }).hash;
    prevHash = blockHash(b);
  }
}

describe('ValidatorNode (single-validator shard)', () => {
  it('produces signed slots whose PoH verifies, and resumes the same chain after a restart', async () => {
    const logs: string[] = [];
    const first = new ValidatorNode(
      { dataDir: dir, genesis, host: '127.0.0.1', rpcPort: 0 },
      { key, log: (l) => logs.push(l) },
    );
    await first.start();
    await waitForSlot(first.rpcUrl, 3);
    await first.stop();

    const second = new ValidatorNode(
      { dataDir: dir, genesis, host: '127.0.0.1', rpcPort: 0 },
      { key, log: (l) => logs.push(l) },
    );
    await second.start();
    const before = (await rpcCall(second.rpcUrl, 'getSlot', [])) as number;
    await waitForSlot(second.rpcUrl, before + 3);
    assertValidChain(await fetchChain(second.rpcUrl, before + 3));
    assert.ok(logs.some((l) => l.startsWith('resuming after slot')));
    assert.equal(
      (await fetch(`${second.rpcUrl}/health`)).status,
      200,
      'a producing node is healthy',
    );
    const metrics = await (await fetch(`${second.rpcUrl}/metrics`)).text();
    assert.match(metrics, /moltbook_poh_tick_height\{shard="0"\} \d+/);
    assert.match(metrics, /moltbook_node_blocks_produced_total\{shard="0"\} [1-9]/);
    await second.stop();
  });

  it('refuses a key that is not in the genesis validator set', async () => {
    const other = generateEd25519();
    const node = new ValidatorNode(
      { dataDir: join(dir, 'x'), genesis, host: '127.0.0.1', rpcPort: 0 },
      { key: other, log: () => {} },
    );
    await assert.rejects(node.start(), { code: 'node.not_a_validator' });
  });

  it('refuses to run a different genesis on a data directory that holds another chain', async () => {
    const other = defaultGenesis([{ pubkey: toHex(key.publicKey), stake: '1000000000' }], {
      hashesPerTick: 999,
      ticksPerSlot: 8,
    });
    const node = new ValidatorNode(
      { dataDir: dir, genesis: other, host: '127.0.0.1', rpcPort: 0 },
      { key, log: () => {} },
    );
    await assert.rejects(node.start(), { code: 'node.genesis_mismatch' });
    // The directory still serves its own chain afterwards.
    const again = new ValidatorNode(
      { dataDir: dir, genesis, host: '127.0.0.1', rpcPort: 0 },
      { key, log: () => {} },
    );
    await again.start();
    await again.stop();
  });
});
