import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultGenesis, generateEd25519, ValidatorNode } from '@moltbook/rollup';
import {
  createRollupClient,
  generateSignerKey,
  HttpRequestError,
  InvalidParameterError,
  RpcRequestError,
  VerificationError,
} from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'molt-sdk-'));
const key = generateEd25519();
const genesis = defaultGenesis(
  [{ pubkey: Buffer.from(key.publicKey).toString('hex'), stake: '1' }],
  { hashesPerTick: 500, ticksPerSlot: 4 },
);
const node = new ValidatorNode(
  { dataDir: dir, genesis, host: '127.0.0.1', rpcPort: 0, targetTickNs: 2_000_000n },
  { key, log: () => {} },
);

before(() => node.start());
after(async () => {
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('createRollupClient against a running validator', () => {
  it('reads genesis, slots and blocks, and verifies a chain of slots as a light client', async () => {
    const client = createRollupClient({ url: node.rpcUrl });
    const served = await client.getGenesis();
    assert.deepEqual(served.genesis, genesis);
    let slot = await client.getSlot();
    while (slot === null || slot < 3) {
      await new Promise((r) => setTimeout(r, 20));
      slot = await client.getSlot();
    }
    const chain = await client.getVerifiedChain({ from: 0, to: 3, genesis });
    assert.deepEqual(
      chain.map((b) => b.slot),
      [0, 1, 2, 3],
    );
    assert.deepEqual(await client.getBlocks({ from: 0, to: 3 }), [0, 1, 2, 3]);
    const poh = await client.getPohStatus();
    assert.equal(poh.hashesPerTick, 500);
  });

  it('refuses a block that does not continue the expected PoH chain, parent, or shard', async () => {
    const client = createRollupClient({ url: node.rpcUrl });
    await assert.rejects(
      client.getVerifiedBlock({ slot: 1, genesis, expectedParentHash: new Uint8Array(32).fill(1) }),
      /does not link to the expected parent/,
    );
    await assert.rejects(
      client.getVerifiedBlock({ slot: 1, genesis: { ...genesis, shard: 7 } }),
      /is of shard 0/,
    );
    await assert.rejects(
      client.getVerifiedBlock({ slot: 1, genesis, expectedPohStart: new Uint8Array(32) }),
      VerificationError,
    );
  });

  it('maps errors: bad argument, node error reason, unreachable node', async () => {
    const client = createRollupClient({ url: node.rpcUrl });
    await assert.rejects(client.getBlock({ slot: -1 }), InvalidParameterError);
    await assert.rejects(client.getBlocks({ from: 0, to: 10_000 }), (err: unknown) => {
      assert.ok(err instanceof RpcRequestError);
      assert.equal(err.reason, 'rpc.invalid_params.to');
      return true;
    });
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
