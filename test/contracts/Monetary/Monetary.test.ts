import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { getAddress, zeroAddress } from 'viem';
import MonetaryModule from '../../../deploy/ignition/modules/Monetary.ts';
import { BEACON_ROLE, GOVERNANCE_ROLE, MINTER_ROLE } from '../helpers/roles.ts';
import { walletClientAt } from '../helpers/walletClientAt.ts';

const MOLT = 10n ** 6n;

describe('Monetary Ignition module', async () => {
  const { ignition, viem, networkHelpers } = await network.create('op');
  const clients = await viem.getWalletClients();
  const client = (i: number) => walletClientAt(clients, i);
  const deployer = client(0);
  const me = deployer.account.address;

  async function deploy() {
    return ignition.deploy(MonetaryModule);
  }

  it('mints the genesis allocations and leaves only Emission able to mint', async () => {
    const c = await networkHelpers.loadFixture(deploy);
    const token = c.MoltToken;
    assert.equal(await token.read.totalSupply(), 550_000_000n * MOLT);
    assert.equal(await token.read.balanceOf([c.Treasury.address]), 200_000_000n * MOLT);
    assert.equal(await token.read.balanceOf([c.DevelopmentFund.address]), 120_000_000n * MOLT);
    assert.equal(await token.read.balanceOf([c.HardwareFund.address]), 80_000_000n * MOLT);
    assert.equal(await token.read.balanceOf([c.BatchAuction.address]), 100_000_000n * MOLT);
    assert.equal(await token.read.balanceOf([c.SecurityAuditFund.address]), 50_000_000n * MOLT);
    assert.equal(await c.GenesisDistribution.read.distributed(), true);
    assert.equal(await token.read.hasRole([MINTER_ROLE, c.GenesisDistribution.address]), false);
    assert.equal(await token.read.hasRole([MINTER_ROLE, c.Emission.address]), true);
    assert.equal(await token.read.hasRole([MINTER_ROLE, me]), false);
  });

  it('wires the roles and recipients', async () => {
    const c = await networkHelpers.loadFixture(deploy);
    for (const contract of [c.Treasury, c.SecurityAuditFund, c.Emission]) {
      assert.equal(await contract.read.hasRole([GOVERNANCE_ROLE, me]), true);
    }
    assert.equal(await c.Emission.read.hasRole([BEACON_ROLE, me]), true);
    assert.equal(getAddress(await c.Emission.read.treasury()), getAddress(c.Treasury.address));
    assert.equal(await c.Emission.read.rewardReceiver(), zeroAddress);
    assert.equal(
      getAddress(await c.BatchAuction.read.unsoldRecipient()),
      getAddress(c.Treasury.address),
    );
    assert.equal(getAddress(await c.DevelopmentFund.read.owner()), getAddress(me));
    assert.equal(await c.Emission.read.genesisTime(), await c.Treasury.read.genesisTime());
  });

  it('lets the beacon report slots right away', async () => {
    const c = await networkHelpers.loadFixture(deploy);
    await networkHelpers.time.increase(4);
    const slots = await c.Emission.read.slotsElapsed();
    assert.ok(slots > 0n);
    await c.Emission.write.reportSlots([slots]);
    assert.equal(await c.Emission.read.totalEmitted(), slots * 1_520_000n);
    assert.equal(
      await c.MoltToken.read.balanceOf([c.Treasury.address]),
      200_000_000n * MOLT + (slots * 1_520_000n) / 10n,
    );
  });

  it('deploys its own MoltToken (through useModule) and returns it with the rest', async () => {
    const c = await networkHelpers.loadFixture(deploy);
    assert.deepEqual(Object.keys(c).sort(), [
      'BatchAuction',
      'DevelopmentFund',
      'Emission',
      'GenesisDistribution',
      'HardwareFund',
      'MoltToken',
      'SecurityAuditFund',
      'Treasury',
    ]);
    assert.equal(getAddress(await c.Emission.read.token()), getAddress(c.MoltToken.address));
  });
});
