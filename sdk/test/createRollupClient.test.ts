import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type Block,
  blockFromJson,
  blockToJson,
  defaultGenesis,
  generateEd25519,
  genesisHash,
  type SignedBlock,
  signBlock,
  ValidatorNode,
} from '@moltbook/rollup';
import {
  type BlockJson,
  createRollupClient,
  createTransfer,
  generateSignerKey,
  HttpRequestError,
  InvalidParameterError,
  RpcRequestError,
  VerificationError,
  verifyBlock,
} from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'molt-sdk-'));
const key = generateEd25519();
const alice = generateSignerKey();
const bob = generateSignerKey();
const genesis = defaultGenesis(
  [{ pubkey: Buffer.from(key.publicKey).toString('hex'), stake: '1' }],
  {
    hashesPerTick: 200,
    ticksPerSlot: 8,
    accounts: [{ pubkey: alice.publicKeyHex, balance: '1000000000' }],
  },
);
const node = new ValidatorNode(
  {
    dataDir: dir,
    genesis,
    host: '127.0.0.1',
    rpcPort: 0,
    targetTickNs: 5_000_000n,
    verifierThreads: 1,
  },
  { key, log: () => {} },
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The block (as served) that holds the transfer of the transfer test, for the tamper tests. */
let txBlockJson: BlockJson | null = null;

/** Re-signs a served block after `change`, as a malicious leader of this genesis could. */
function resign(json: BlockJson, change: (b: SignedBlock) => Partial<Block>): BlockJson {
  const b = blockFromJson(json);
  assert.ok(b !== null);
  const { signature: _, ...unsigned } = b;
  return blockToJson(signBlock({ ...unsigned, ...change(b) }, key.privateKey));
}

before(() => node.start());
after(async () => {
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('createRollupClient against a running validator', () => {
  it('reads genesis, slots and blocks, and verifies a chain anchored at the genesis', async () => {
    const client = createRollupClient({ url: node.rpcUrl });
    const served = await client.getGenesis();
    assert.deepEqual(served.genesis, genesis);
    let slot = await client.getSlot();
    while (slot < 4) {
      await sleep(20);
      slot = await client.getSlot();
    }
    const finalized = await client.getSlot({ commitment: 'finalized' });
    const confirmed = await client.getSlot({ commitment: 'confirmed' });
    assert.ok(Number.isSafeInteger(finalized) && Number.isSafeInteger(confirmed));
    assert.ok(finalized <= (await client.getSlot({ commitment: 'processed' })));
    await assert.rejects(
      client.getSlot({ commitment: 'safe' as 'confirmed' }),
      InvalidParameterError,
    );

    assert.equal(await client.getBlock({ slot: 0 }), null, 'slot 0 is the genesis, no block');
    const slots = await client.getBlocks({ from: 1, to: slot });
    assert.ok(slots.length >= 1 && slots.every((s) => s >= 1 && s <= slot));
    const chain = await client.getVerifiedChain({ from: 0, to: slot, genesis });
    assert.deepEqual(
      chain.map((b) => b.slot),
      slots,
    );
    const first = chain[0] as SignedBlock;
    assert.equal(first.parentSlot, 0);
    const anchor = Buffer.from(genesisHash(genesis)).toString('hex');
    assert.equal(Buffer.from(first.parentHash).toString('hex'), anchor);
    assert.equal(Buffer.from(first.pohStart).toString('hex'), anchor);
    for (const [i, b] of chain.entries()) {
      assert.equal(b.tickHeight, b.slot * genesis.ticksPerSlot);
      if (i > 0) assert.equal(b.parentSlot, (chain[i - 1] as SignedBlock).slot);
    }
    // Ranges wider than one getBlocks call (500 slots) are fetched in chunks.
    const wide = await client.getVerifiedChain({ from: 0, to: 1_000, genesis });
    assert.deepEqual(
      wide.slice(0, slots.length).map((b) => b.slot),
      slots,
    );
    const poh = await client.getPohStatus();
    assert.equal(poh.hashesPerTick, 200);
    const status = await client.getStatus();
    assert.equal(status.identity.length, 64);
    assert.ok(status.slot >= 1);
    assert.deepEqual(await client.getEvidence(), []);
  });

  it('sends a transfer, sees it confirmed, verifies its block, and refuses a replay', async () => {
    const client = createRollupClient({ url: node.rpcUrl });
    const before = await client.getAccount({ pubkey: alice.publicKeyHex });
    assert.equal(before.balance, 1_000_000_000n);
    assert.equal(before.nonce, 0n);
    const tx = createTransfer({ key: alice, to: bob.publicKeyHex, amount: 1_000n, nonce: 0n });
    const { id } = await client.sendTransaction({ transaction: tx });
    assert.match(id, /^[0-9a-f]{64}$/);

    let got = await client.getAccount({ pubkey: bob.publicKeyHex, commitment: 'confirmed' });
    while (got.balance !== 1_000n) {
      await sleep(20);
      got = await client.getAccount({
        pubkey: Buffer.from(bob.publicKeyHex, 'hex'),
        commitment: 'confirmed',
      });
    }
    assert.equal(got.pubkey, bob.publicKeyHex);
    const sender = await client.getAccount({ pubkey: alice.publicKeyHex, commitment: 'confirmed' });
    assert.equal(sender.nonce, 1n);
    assert.ok(sender.balance < 1_000_000_000n - 1_000n, 'the sender paid the fee');

    await assert.rejects(client.sendTransaction({ transaction: tx }), (err: unknown) => {
      assert.ok(err instanceof RpcRequestError);
      assert.equal(err.reason, 'tx.nonce_too_low');
      return true;
    });

    // The block holding the transfer verifies: its mixin commits to the transaction.
    const chain = await client.getVerifiedChain({ from: 1, to: got.slot, genesis });
    const hex = Buffer.from(tx).toString('hex');
    const holder = chain.find((b) =>
      b.transactions.some((t) => Buffer.from(t).toString('hex') === hex),
    );
    assert.ok(holder !== undefined, 'a verified block holds the transfer');
    assert.ok(holder.entryTxCounts.length >= 1);
    txBlockJson = await client.getBlock({ slot: holder.slot });
  });

  it('refuses a tampered block: mixins, entryTxCounts, ticks, links', async () => {
    const json = txBlockJson;
    assert.ok(json !== null, 'the transfer test found a block with a transaction');
    assert.equal(verifyBlock(json, genesis).slot, json.slot);

    // Not re-signed: the signature no longer covers the bytes.
    const counts = { ...json, entryTxCounts: json.entryTxCounts.map((n) => n + 1) };
    assert.throws(() => verifyBlock(counts, genesis), /signature is invalid/);
    const mixinFlipped = {
      ...json,
      entries: json.entries.map((e) =>
        e.mixin === undefined
          ? e
          : { ...e, mixin: `${e.mixin.startsWith('0') ? '1' : '0'}${e.mixin.slice(1)}` },
      ),
    };
    assert.throws(() => verifyBlock(mixinFlipped, genesis), VerificationError);

    // Re-signed by the leader's key: the content rules still catch it.
    assert.throws(
      () =>
        verifyBlock(
          resign(json, (b) => ({ entryTxCounts: b.entryTxCounts.map((n) => n + 1) })),
          genesis,
        ),
      /entryTxCounts do not match its transactions/,
    );
    assert.throws(
      () =>
        verifyBlock(
          resign(json, (b) => ({ entryTxCounts: [...b.entryTxCounts, 1] })),
          genesis,
        ),
      /entryTxCounts do not match its entries/,
    );
    assert.throws(
      () =>
        verifyBlock(
          resign(json, (b) => ({
            transactions: b.transactions.map((t, i) => {
              if (i !== 0) return t;
              const u = Uint8Array.from(t);
              u[u.length - 1] = (u[u.length - 1] as number) ^ 1;
              return u;
            }),
          })),
          genesis,
        ),
      /mixin 0 does not commit to its transactions/,
    );
    assert.throws(
      () =>
        verifyBlock(
          resign(json, (b) => ({
            entries: b.entries.map((e) =>
              e.mixin === undefined ? e : { ...e, mixin: new Uint8Array(32).fill(7) },
            ),
          })),
          genesis,
        ),
      /PoH is invalid/,
    );
    assert.throws(
      () =>
        verifyBlock(
          resign(json, (b) => ({ tickHeight: b.tickHeight + 1 })),
          genesis,
        ),
      /wrong tick height/,
    );
    assert.throws(() => verifyBlock(json, genesis, { slot: json.slot + 1 }), /is for slot/);
    assert.throws(() => verifyBlock({ ...json, leader: 'zz' }, genesis), /malformed/);
  });

  it('refuses a first block that is not anchored at the genesis', async () => {
    const client = createRollupClient({ url: node.rpcUrl });
    const [first] = await client.getBlocks({ from: 1, to: 50 });
    assert.ok(first !== undefined);
    const json = (await client.getBlock({ slot: first })) as BlockJson;
    assert.equal(json.parentSlot, 0);
    assert.throws(
      () =>
        verifyBlock(
          resign(json, () => ({ parentHash: new Uint8Array(32) })),
          genesis,
        ),
      /does not link to the expected parent/,
    );
    assert.throws(
      () =>
        verifyBlock(
          resign(json, () => ({ pohStart: new Uint8Array(32) })),
          genesis,
        ),
      /does not continue the PoH chain/,
    );
  });

  it('getVerifiedChain refuses blocks of different forks (a node serving a tampered answer)', async () => {
    const client = createRollupClient({ url: node.rpcUrl });
    const slots = await client.getBlocks({ from: 1, to: 50 });
    assert.ok(slots.length >= 3);
    const [a, , c] = slots as [number, number, number];
    // A proxy that serves block c re-signed to build on a (skipping the block in between).
    const forged = resign((await client.getBlock({ slot: c })) as BlockJson, () => ({
      parentSlot: a,
    }));
    const proxy: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', async () => {
        const call = JSON.parse(body) as { id: number; method: string; params: unknown[] };
        let result: unknown;
        if (call.method === 'getBlock' && call.params[0] === c) result = forged;
        else if (call.method === 'getBlocks') result = slots.slice(0, 3);
        else
          result = await (client.getBlock({ slot: call.params[0] as number }) as Promise<unknown>);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ jsonrpc: '2.0', id: call.id, result }));
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const port = (proxy.address() as AddressInfo).port;
      const tampered = createRollupClient({ url: `http://127.0.0.1:${port}` });
      await assert.rejects(
        tampered.getVerifiedChain({ from: 1, to: 50, genesis }),
        (err: unknown) => {
          assert.ok(err instanceof VerificationError);
          assert.match(err.shortMessage, new RegExp(`block ${c} does not build on slot`));
          return true;
        },
      );
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });

  it('refuses a block that does not continue the expected PoH chain, parent, or shard', async () => {
    const client = createRollupClient({ url: node.rpcUrl });
    const [s] = await client.getBlocks({ from: 1, to: 50 });
    assert.ok(s !== undefined);
    await assert.rejects(
      client.getVerifiedBlock({ slot: s, genesis, expectedParentHash: new Uint8Array(32).fill(1) }),
      /does not link to the expected parent/,
    );
    await assert.rejects(
      client.getVerifiedBlock({ slot: s, genesis: { ...genesis, shard: 7 } }),
      /is of shard 0/,
    );
    await assert.rejects(
      client.getVerifiedBlock({ slot: s, genesis, expectedPohStart: new Uint8Array(32) }),
      VerificationError,
    );
  });

  it('maps errors: bad argument, node error reason, unreachable node', async () => {
    const client = createRollupClient({ url: node.rpcUrl });
    await assert.rejects(client.getBlock({ slot: -1 }), InvalidParameterError);
    await assert.rejects(client.getAccount({ pubkey: 'xyz' }), InvalidParameterError);
    await assert.rejects(
      client.sendTransaction({ transaction: 'ab' as unknown as Uint8Array }),
      InvalidParameterError,
    );
    assert.throws(
      () => createTransfer({ key: alice, to: bob.publicKeyHex, amount: -1n, nonce: 0n }),
      InvalidParameterError,
    );
    await assert.rejects(client.getBlocks({ from: 0, to: 10_000 }), (err: unknown) => {
      assert.ok(err instanceof RpcRequestError);
      assert.equal(err.reason, 'rpc.invalid_params.to');
      return true;
    });
    await assert.rejects(
      client.sendTransaction({ transaction: new Uint8Array([1, 2, 3]) }),
      (err: unknown) => {
        assert.ok(err instanceof RpcRequestError);
        assert.equal(err.reason, 'tx.malformed');
        return true;
      },
    );
    const dead = createRollupClient({ url: 'http://127.0.0.1:1', timeoutMs: 2_000 });
    await assert.rejects(dead.getSlot(), HttpRequestError);
    assert.throws(() => createRollupClient({ url: 'not a url' }), InvalidParameterError);
    assert.throws(() => createRollupClient({ url: 'ftp://127.0.0.1/' }), InvalidParameterError);
  });

  it('generates distinct Ed25519 signer keys', () => {
    const a = generateSignerKey();
    const b = generateSignerKey();
    assert.match(a.publicKeyHex, /^[0-9a-f]{64}$/);
    assert.notEqual(a.publicKeyHex, b.publicKeyHex);
    assert.equal(a.privateKey.asymmetricKeyType, 'ed25519');
  });
});
