import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPublicClient, http, parseAbi } from 'viem';
import { type LocalL2, PortInUseError, startLocalL2 } from '../../../deploy/local/startLocalL2.ts';

// Only what a plain client needs: the point is that it works without Hardhat's artifacts.
const MOLT_ABI = parseAbi([
  'function name() view returns (string)',
  'function decimals() view returns (uint8)',
  'function cap() view returns (uint256)',
  'function hasRole(bytes32 role, address account) view returns (bool)',
  'function MINTER_ROLE() view returns (bytes32)',
]);

describe('startLocalL2', () => {
  let l2: LocalL2;
  const lines: string[] = [];

  before(async () => {
    l2 = await startLocalL2({ port: 0, log: (line) => lines.push(line) });
  });

  after(async () => {
    await l2.close();
  });

  it('serves the op chain over HTTP on the port it reports', async () => {
    const url = new URL(l2.rpcUrl);
    assert.equal(url.protocol, 'http:');
    assert.notEqual(Number(url.port), 0);
    assert.equal(l2.chainType, 'op');

    const client = createPublicClient({ transport: http(l2.rpcUrl) });
    assert.equal(await client.getChainId(), l2.chainId);
    assert.equal(l2.chainId, 31337);
    assert.ok(lines.some((line) => line.includes(l2.rpcUrl)));
  });

  it('has MoltToken deployed, with the deployer as minter', async () => {
    const client = createPublicClient({ transport: http(l2.rpcUrl) });
    const address = l2.contracts.MoltToken;
    assert.ok(address !== undefined, 'MoltToken missing from contracts');
    const read = { address, abi: MOLT_ABI } as const;

    assert.equal(await client.readContract({ ...read, functionName: 'name' }), 'Molt');
    assert.equal(await client.readContract({ ...read, functionName: 'decimals' }), 6);
    assert.equal(await client.readContract({ ...read, functionName: 'cap' }), 10n ** 15n);

    const [deployer] = l2.accounts;
    assert.ok(deployer !== undefined, 'no accounts');
    const minterRole = await client.readContract({ ...read, functionName: 'MINTER_ROLE' });
    assert.equal(
      await client.readContract({ ...read, functionName: 'hasRole', args: [minterRole, deployer] }),
      true,
    );
  });

  it('rejects a second start on the same port with PortInUseError', async () => {
    const port = Number(new URL(l2.rpcUrl).port);
    await assert.rejects(startLocalL2({ port }), (error: unknown) => {
      assert.ok(error instanceof PortInUseError);
      assert.equal(error.port, port);
      assert.match(error.message, new RegExp(`port ${port} is already in use`));
      assert.match(error.message, /--l2-port/);
      return true;
    });
  });
});
