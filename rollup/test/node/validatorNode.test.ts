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
import { encodeTransaction } from '../../src/tx/txCodec.ts';
import type { SignedBlock } from '../../src/types/block.ts';
import { toHex } from '../../src/utils/hex.ts';
import { rpcCall, rpcRaw } from '../helpers/rpc.ts';
import { testKey, testTransfer } from '../tx/txFixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'molt-node-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const key = generateEd25519();
const alice = testKey(1);
const bob = testKey(2);
const genesis = defaultGenesis([{ pubkey: toHex(key.publicKey), stake: '1000000000' }], {
  hashesPerTick: 200,
  ticksPerSlot: 8,
  accounts: [{ pubkey: toHex(alice.publicKey), balance: '1000000000' }],
});
/** 5 ms ticks: 40 ms slots, so the single validator roots slots within seconds. */
const FAST = 5_000_000n;

function node(dataDir: string, log: (l: string) => void = () => {}): ValidatorNode {
  return new ValidatorNode(
    { dataDir, genesis, host: '127.0.0.1', rpcPort: 0, targetTickNs: FAST, verifierThreads: 1 },
    { key, log },
  );
}

/** The best-fork chain from slot 1 to `upTo`, as any client reads it over RPC. */
async function fetchChain(url: string, upTo: number): Promise<SignedBlock[]> {
  const out: SignedBlock[] = [];
  for (const s of (await rpcCall(url, 'getBlocks', [1, upTo])) as number[]) {
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
  let prevHash: Uint8Array = genesisHash(genesis);
  let prevSlot = 0;
  assert.ok(chain.length > 0);
  for (const b of chain) {
    assert.equal(b.parentSlot, prevSlot, `slot ${b.slot} names its parent slot`);
    assert.equal(
      toHex(b.pohStart),
      toHex(prevEnd),
      `slot ${b.slot} starts where its parent's PoH ended`,
    );
    assert.equal(toHex(b.parentHash), toHex(prevHash), `slot ${b.slot} links to its parent`);
    assert.ok(verifyBlockSignature(b, leaderKey), `slot ${b.slot} is signed by the leader`);
    const v = verifyEntries(b.pohStart, b.entries, {
      hashesPerTick: genesis.hashesPerTick,
      ticksPerSlot: (b.slot - b.parentSlot) * genesis.ticksPerSlot,
    });
    assert.equal(v.kind, 'valid', `slot ${b.slot} PoH verifies`);
    assert.equal(b.tickHeight, b.slot * genesis.ticksPerSlot);
    prevEnd = (b.entries.at(-1) as { hash: Uint8Array }).hash;
    prevHash = blockHash(b);
    prevSlot = b.slot;
  }
}

async function waitFor(url: string, commitment: string, slot: number): Promise<void> {
  while (((await rpcCall(url, 'getSlot', [commitment])) as number) < slot)
    await new Promise((r) => setTimeout(r, 20));
}

describe('ValidatorNode (single-validator shard)', () => {
  it('produces signed slots whose PoH verifies, votes, roots, and resumes the same chain after a restart', async () => {
    const logs: string[] = [];
    const first = node(dir, (l) => logs.push(l));
    await first.start();
    // Past 100 rooted slots the node keeps a state snapshot; the restart replays only after it.
    await waitFor(first.rpcUrl, 'finalized', 105);
    await first.stop();

    const second = node(dir, (l) => logs.push(l));
    await second.start();
    assert.ok(
      logs.some((l) => l.startsWith('restored ')),
      'the restart replays the stored chain',
    );
    const before = (await rpcCall(second.rpcUrl, 'getSlot', ['finalized'])) as number;
    assert.ok(before >= 105, 'the root survives the restart');
    assert.ok(
      logs.some((l) => /from the state snapshot at slot [1-9]/.test(l)),
      'the restart starts from the stored state snapshot',
    );
    await waitFor(second.rpcUrl, 'finalized', before + 3);
    const tip = (await rpcCall(second.rpcUrl, 'getSlot', [])) as number;
    assertValidChain(await fetchChain(second.rpcUrl, tip));
    assert.equal(
      await rpcCall(second.rpcUrl, 'getBlock', [0]),
      null,
      'slot 0 is the genesis, not a block',
    );
    assert.equal(
      (await fetch(`${second.rpcUrl}/health`)).status,
      200,
      'a producing node is healthy',
    );
    const metrics = await (await fetch(`${second.rpcUrl}/metrics`)).text();
    assert.match(metrics, /moltbook_poh_tick_height\{shard="0"\} \d+/);
    assert.match(metrics, /moltbook_node_blocks_produced_total\{shard="0"\} [1-9]/);
    assert.match(metrics, /moltbook_consensus_finalized_slot\{shard="0"\} [1-9]/);
    await second.stop();
  });

  it('takes a transfer over RPC, includes it in a block and serves the new balances', async () => {
    const n = node(join(dir, 'tx'));
    await n.start();
    const tx = encodeTransaction(testTransfer(alice, { to: bob.publicKey, amount: 5_000n }));
    const { id } = (await rpcCall(n.rpcUrl, 'sendTransaction', [toHex(tx)])) as { id: string };
    assert.match(id, /^[0-9a-f]{64}$/);
    let bal = '0';
    while (bal === '0') {
      bal = (
        (await rpcCall(n.rpcUrl, 'getAccount', [toHex(bob.publicKey), 'confirmed'])) as {
          balance: string;
        }
      ).balance;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(bal, '5000');
    const a = (await rpcCall(n.rpcUrl, 'getAccount', [toHex(alice.publicKey)])) as {
      nonce: string;
      balance: string;
    };
    assert.equal(a.nonce, '1');
    // The fee is 1 % of the base fee B at the transaction's position (§10.2 "other"); B starts at
    // 100,000 µMOLT and only falls while the shard idles (§10.5 smoothing), so 0 < fee ≤ 1,000.
    const fee = 1_000_000_000n - 5_000n - BigInt(a.balance);
    assert.ok(fee > 0n && fee <= 1_000n, `amount and a fee of at most 1,000 left alice: ${fee}`);
    // The same bytes again: its nonce is used.
    const again = await rpcRaw(n.rpcUrl, {
      jsonrpc: '2.0',
      id: 1,
      method: 'sendTransaction',
      params: [toHex(tx)],
    });
    assert.equal(
      (again.json as { error: { data: { reason: string } } }).error.data.reason,
      'tx.nonce_too_low',
    );
    const bad = await rpcRaw(n.rpcUrl, {
      jsonrpc: '2.0',
      id: 1,
      method: 'sendTransaction',
      params: ['zz'],
    });
    assert.equal(
      (bad.json as { error: { data: { reason: string } } }).error.data.reason,
      'rpc.invalid_params.transaction',
    );
    await n.stop();
  });

  it('refuses a key that is not in the genesis validator set', async () => {
    const other = generateEd25519();
    const n = new ValidatorNode(
      { dataDir: join(dir, 'x'), genesis, host: '127.0.0.1', rpcPort: 0 },
      { key: other, log: () => {} },
    );
    await assert.rejects(n.start(), { code: 'node.not_a_validator' });
  });

  it('refuses to run a different genesis on a data directory that holds another chain', async () => {
    const other = defaultGenesis([{ pubkey: toHex(key.publicKey), stake: '1000000000' }], {
      hashesPerTick: 999,
      ticksPerSlot: 8,
    });
    const n = new ValidatorNode(
      { dataDir: dir, genesis: other, host: '127.0.0.1', rpcPort: 0 },
      { key, log: () => {} },
    );
    await assert.rejects(n.start(), { code: 'node.genesis_mismatch' });
    // The directory still serves its own chain afterwards.
    const again = node(dir);
    await again.start();
    await again.stop();
  });
});
