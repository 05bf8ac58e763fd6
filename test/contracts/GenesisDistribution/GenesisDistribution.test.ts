import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { getAddress, zeroAddress } from 'viem';
import { MINTER_ROLE } from '../helpers/roles.ts';
import { walletClientAt } from '../helpers/walletClientAt.ts';

// §11.2, written out here rather than imported.
const MOLT = 10n ** 6n;
const YEAR = 365n * 24n * 3600n;
const CAP = 1_000_000_000n * MOLT;

describe('GenesisDistribution', async () => {
  const { viem, networkHelpers } = await network.create('op');
  const clients = await viem.getWalletClients();
  const client = (i: number) => walletClientAt(clients, i);
  const admin = client(0);
  const treasury = client(1);
  const auction = client(2);
  const auditFund = client(3);
  const devTeam = client(4);
  const manufacturers = client(5);
  const recipients = {
    treasury: treasury.account.address,
    liquidityAuction: auction.account.address,
    securityAuditFund: auditFund.account.address,
    developmentBeneficiary: devTeam.account.address,
    hardwareBeneficiary: manufacturers.account.address,
  };

  async function deploy() {
    const start = BigInt(await networkHelpers.time.latest());
    const token = await viem.deployContract('MoltToken', [admin.account.address]);
    const genesis = await viem.deployContract('GenesisDistribution', [
      token.address,
      recipients,
      start,
    ]);
    await token.write.grantRole([MINTER_ROLE, genesis.address]);
    const dev = await viem.getContractAt('MoltVestingWallet', await genesis.read.developmentFund());
    const hardware = await viem.getContractAt(
      'MoltVestingWallet',
      await genesis.read.hardwareFund(),
    );
    return { token, genesis, dev, hardware, start };
  }

  it('deploys the two vesting wallets with the §11.2 schedules', async () => {
    const { token, genesis, dev, hardware, start } = await networkHelpers.loadFixture(deploy);
    assert.equal(getAddress(await dev.read.owner()), getAddress(devTeam.account.address));
    assert.equal(await dev.read.start(), start);
    assert.equal(await dev.read.duration(), 4n * YEAR);
    assert.equal(await dev.read.cliff(), start + YEAR);
    assert.equal(
      getAddress(await hardware.read.owner()),
      getAddress(manufacturers.account.address),
    );
    assert.equal(await hardware.read.duration(), 2n * YEAR);
    assert.equal(await hardware.read.cliff(), start);
    assert.equal(getAddress(await genesis.read.token()), getAddress(token.address));
    assert.equal(await genesis.read.vestingStart(), start);
    assert.equal(getAddress(await genesis.read.treasury()), getAddress(recipients.treasury));
    assert.equal(
      getAddress(await genesis.read.liquidityAuction()),
      getAddress(recipients.liquidityAuction),
    );
    assert.equal(
      getAddress(await genesis.read.securityAuditFund()),
      getAddress(recipients.securityAuditFund),
    );
    assert.equal(await genesis.read.distributed(), false);
  });

  it('mints exactly the 55 % once, then gives up MINTER_ROLE', async () => {
    const { token, genesis, dev, hardware } = await networkHelpers.loadFixture(deploy);
    await viem.assertions.emitWithArgs(
      genesis.write.distribute({ account: devTeam.account }), // anyone may call it
      genesis,
      'GenesisDistributed',
      [
        getAddress(recipients.treasury),
        getAddress(dev.address),
        getAddress(hardware.address),
        getAddress(recipients.liquidityAuction),
        getAddress(recipients.securityAuditFund),
      ],
    );
    const expected: [string, bigint][] = [
      [recipients.treasury, 200_000_000n * MOLT],
      [dev.address, 120_000_000n * MOLT],
      [hardware.address, 80_000_000n * MOLT],
      [recipients.liquidityAuction, 100_000_000n * MOLT],
      [recipients.securityAuditFund, 50_000_000n * MOLT],
    ];
    for (const [holder, amount] of expected) {
      assert.equal(await token.read.balanceOf([holder as `0x${string}`]), amount);
    }
    assert.equal(await token.read.totalSupply(), 550_000_000n * MOLT);
    assert.equal(CAP - (await token.read.totalMinted()), 450_000_000n * MOLT);
    assert.equal(await genesis.read.distributed(), true);
    assert.equal(await token.read.hasRole([MINTER_ROLE, genesis.address]), false);

    await viem.assertions.revertWithCustomError(
      genesis.write.distribute(),
      genesis,
      'GenesisDistribution__AlreadyDistributed',
    );
    // Granting the role again does not reopen it.
    await token.write.grantRole([MINTER_ROLE, genesis.address]);
    await viem.assertions.revertWithCustomError(
      genesis.write.distribute(),
      genesis,
      'GenesisDistribution__AlreadyDistributed',
    );
  });

  it('reverts without MINTER_ROLE, and when the cap has no room left', async () => {
    const { token, genesis } = await networkHelpers.loadFixture(deploy);
    await token.write.revokeRole([MINTER_ROLE, genesis.address]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      genesis.write.distribute(),
      token,
      'AccessControlUnauthorizedAccount',
      [getAddress(genesis.address), MINTER_ROLE],
    );
    await token.write.grantRole([MINTER_ROLE, genesis.address]);
    await token.write.grantRole([MINTER_ROLE, admin.account.address]);
    await token.write.mint([admin.account.address, 500_000_000n * MOLT]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      genesis.write.distribute(),
      token,
      'MoltToken__CapExceeded',
      [50_000_000n * MOLT, 0n],
    );
    assert.equal(await genesis.read.distributed(), false);
  });

  it('rejects a zero token, recipient or vesting start', async () => {
    const { token } = await networkHelpers.loadFixture(deploy);
    await assert.rejects(
      viem.deployContract('GenesisDistribution', [zeroAddress, recipients, 1n]),
      /GenesisDistribution__ZeroAddress/,
    );
    for (const key of Object.keys(recipients) as (keyof typeof recipients)[]) {
      await assert.rejects(
        viem.deployContract('GenesisDistribution', [
          token.address,
          { ...recipients, [key]: zeroAddress },
          1n,
        ]),
        /GenesisDistribution__ZeroAddress/,
        key,
      );
    }
    await assert.rejects(
      viem.deployContract('GenesisDistribution', [token.address, recipients, 0n]),
      /GenesisDistribution__ZeroVestingStart/,
    );
  });

  it('vests the development fund after a 1-year cliff and the hardware fund from day one', async () => {
    const { token, genesis, dev, hardware, start } = await networkHelpers.loadFixture(deploy);
    await genesis.write.distribute();
    await networkHelpers.time.setNextBlockTimestamp(start + YEAR - 1n);
    await dev.write.release([token.address]);
    assert.equal(await token.read.balanceOf([devTeam.account.address]), 0n);
    await networkHelpers.time.setNextBlockTimestamp(start + YEAR);
    await hardware.write.release([token.address]);
    assert.equal(await token.read.balanceOf([manufacturers.account.address]), 40_000_000n * MOLT);
    await networkHelpers.time.setNextBlockTimestamp(start + YEAR + 1n);
    await dev.write.release([token.address]);
    // One second past the cliff: a quarter of 4 years, plus one second's worth, rounded down.
    assert.equal(
      await token.read.balanceOf([devTeam.account.address]),
      (120_000_000n * MOLT * (YEAR + 1n)) / (4n * YEAR),
    );
    await networkHelpers.time.setNextBlockTimestamp(start + 4n * YEAR);
    await dev.write.release([token.address]);
    await hardware.write.release([token.address]);
    assert.equal(await token.read.balanceOf([devTeam.account.address]), 120_000_000n * MOLT);
    assert.equal(await token.read.balanceOf([manufacturers.account.address]), 80_000_000n * MOLT);
  });
});
