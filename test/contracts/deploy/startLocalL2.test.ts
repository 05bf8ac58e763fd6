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
  'function totalSupply() view returns (uint256)',
]);
const WIRING_ABI = parseAbi([
  'function rewardReceiver() view returns (address)',
  'function identityRegistry() view returns (address)',
  'function token() view returns (address)',
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

  it('deploys every contract, wired: genesis minted, only Emission mints, Emission pays Staking', async () => {
    const client = createPublicClient({ transport: http(l2.rpcUrl) });
    const c = l2.contracts;
    for (const name of [
      'MoltToken',
      'GenesisDistribution',
      'DevelopmentFund',
      'HardwareFund',
      'BatchAuction',
      'Treasury',
      'SecurityAuditFund',
      'Emission',
      'ManufacturerRegistry',
      'IdentityRegistry',
      'IdentityGateway',
      'Staking',
    ]) {
      const address = c[name];
      assert.ok(address !== undefined, `${name} missing from contracts`);
      assert.ok(((await client.getCode({ address })) ?? '0x').length > 2, `${name} has code`);
    }
    const token = { address: c.MoltToken as `0x${string}`, abi: MOLT_ABI } as const;
    assert.equal(await client.readContract({ ...token, functionName: 'name' }), 'Molt');
    assert.equal(await client.readContract({ ...token, functionName: 'decimals' }), 6);
    assert.equal(await client.readContract({ ...token, functionName: 'cap' }), 10n ** 15n);
    // §11.2: the 55 % genesis allocations are minted once; the 45 % reserve is left to Emission.
    assert.equal(
      await client.readContract({ ...token, functionName: 'totalSupply' }),
      550_000_000n * 10n ** 6n,
    );

    const minter = await client.readContract({ ...token, functionName: 'MINTER_ROLE' });
    const isMinter = (account: `0x${string}`) =>
      client.readContract({ ...token, functionName: 'hasRole', args: [minter, account] });
    const [deployer] = l2.accounts;
    assert.ok(deployer !== undefined, 'no accounts');
    assert.equal(await isMinter(c.Emission as `0x${string}`), true);
    assert.equal(
      await isMinter(c.GenesisDistribution as `0x${string}`),
      false,
      'gave up its role after the mint',
    );
    assert.equal(await isMinter(deployer), false);

    const read = (
      address: string | undefined,
      functionName: 'rewardReceiver' | 'identityRegistry' | 'token',
    ) => client.readContract({ address: address as `0x${string}`, abi: WIRING_ABI, functionName });
    assert.equal(await read(c.Emission, 'rewardReceiver'), c.Staking);
    assert.equal(await read(c.Staking, 'identityRegistry'), c.IdentityRegistry);
    assert.equal(await read(c.Staking, 'token'), c.MoltToken);
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
