import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { getAddress } from 'viem';
import StakingModule from '../../../deploy/ignition/modules/Staking.ts';
import { deployIdentityFixture } from '../helpers/identityFixture.ts';
import { BEACON_ROLE, GOVERNANCE_ROLE } from './stakingHelpers.ts';

describe('Staking Ignition module', async () => {
  const connection = await network.create('op');
  const { viem, ignition } = connection;
  const [deployer, governance] = await viem.getWalletClients();
  if (deployer === undefined || governance === undefined) throw new Error('accounts');

  it('deploys Staking on $MOLT and the given registry, with its roles and parameters', async () => {
    const fx = await deployIdentityFixture(connection);
    const { Staking } = await ignition.deploy(StakingModule, {
      parameters: {
        Staking: {
          identityRegistry: fx.registry.address,
          governance: governance.account.address,
          maxValidators: 120,
        },
      },
    });
    const staking = await viem.getContractAt('Staking', Staking.address);
    assert.equal(
      getAddress(await staking.read.identityRegistry()),
      getAddress(fx.registry.address),
    );
    assert.equal(await staking.read.maxValidators(), 120);
    assert.equal(await staking.read.committeeSize(), 200);
    assert.equal(await staking.read.unbondingEpochs(), 7);
    assert.equal(await staking.read.hasRole([GOVERNANCE_ROLE, governance.account.address]), true);
    assert.equal(await staking.read.hasRole([BEACON_ROLE, deployer.account.address]), true);
    const token = await viem.getContractAt('MoltToken', await staking.read.token());
    assert.equal(await token.read.symbol(), 'MOLT');
  });

  it('needs the identity registry address', async () => {
    await assert.rejects(ignition.deploy(StakingModule), /identityRegistry/);
  });
});
