import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { encodeFunctionData, getAddress, toFunctionSelector, zeroAddress } from 'viem';
import { GOVERNANCE_ROLE, MINTER_ROLE } from '../helpers/roles.ts';
import { walletClientAt } from '../helpers/walletClientAt.ts';

// §11.2, §13.4 and App. A, written out here rather than imported.
const MOLT = 10n ** 6n;
const YEAR = 365n * 24n * 3600n;
const QUARTER = 7_884_000n; // a quarter of the 365-day year, 91.25 days
const TREASURY = 200_000_000n * MOLT;
const QUARTER_CAP = (TREASURY * 2n) / 100n; // 4M $MOLT
const SUBSIDY_PER_YEAR = 5_000_000n * MOLT;
const REENTRANCY_GUARD_ERROR = toFunctionSelector('ReentrancyGuardReentrantCall()');
const MAX_UINT256 = 2n ** 256n - 1n;

describe('Treasury', async () => {
  const { viem, networkHelpers } = await network.create('op');
  const clients = await viem.getWalletClients();
  const client = (i: number) => walletClientAt(clients, i);
  const admin = client(0);
  const governance = client(1);
  const alice = client(2);
  const stranger = client(3);

  async function deploy() {
    // A day ahead: EDR's clock follows the wall clock, so a genesis only seconds ahead is overtaken
    // on a loaded machine before the test sets its own timestamps (which must never go backwards).
    const genesis = BigInt(await networkHelpers.time.latest()) + 86_400n;
    const token = await viem.deployContract('MoltToken', [admin.account.address]);
    const treasury = await viem.deployContract('Treasury', [
      token.address,
      admin.account.address,
      genesis,
    ]);
    const receiver = await viem.deployContract('ReceiverMock', [token.address]);
    await token.write.grantRole([MINTER_ROLE, admin.account.address]);
    await token.write.mint([treasury.address, TREASURY]);
    await treasury.write.grantRole([GOVERNANCE_ROLE, governance.account.address]);
    return { token, treasury, receiver, genesis };
  }

  async function at(genesis: bigint, offset: bigint) {
    await networkHelpers.time.setNextBlockTimestamp(genesis + offset);
  }

  describe('deployment and clock', () => {
    it('rejects zero addresses and a zero genesis time', async () => {
      const { token } = await networkHelpers.loadFixture(deploy);
      await assert.rejects(
        viem.deployContract('Treasury', [zeroAddress, admin.account.address, 1n]),
        /Treasury__ZeroAddress/,
      );
      await assert.rejects(
        viem.deployContract('Treasury', [token.address, zeroAddress, 1n]),
        /Treasury__ZeroAddress/,
      );
      await assert.rejects(
        viem.deployContract('Treasury', [token.address, admin.account.address, 0n]),
        /Treasury__ZeroGenesisTime/,
      );
    });

    it('counts 91.25-day quarters from genesis and is capped for exactly two years', async () => {
      const { token, treasury, genesis } = await networkHelpers.loadFixture(deploy);
      assert.equal(getAddress(await treasury.read.molt()), getAddress(token.address));
      assert.equal(await treasury.read.genesisTime(), genesis);
      assert.equal(await treasury.read.quarterAt([genesis - 5n]), 0n);
      assert.equal(await treasury.read.quarterAt([genesis + QUARTER - 1n]), 0n);
      assert.equal(await treasury.read.quarterAt([genesis + QUARTER]), 1n);
      assert.equal(await treasury.read.quarterAt([genesis + 2n * YEAR - 1n]), 7n);
      assert.equal(await treasury.read.quarterAt([genesis + 2n * YEAR]), 8n);
      assert.equal(await treasury.read.isCapped(), true);
      await networkHelpers.time.increaseTo(genesis + 2n * YEAR - 1n);
      assert.equal(await treasury.read.isCapped(), true);
      await networkHelpers.time.increaseTo(genesis + 2n * YEAR);
      assert.equal(await treasury.read.isCapped(), false);
      assert.deepEqual(await treasury.read.quarterlyAllowance([token.address]), [
        MAX_UINT256,
        MAX_UINT256,
      ]);
    });
  });

  describe('spend', () => {
    it('fixes the quarter cap at 2 % of the balance at the first withdrawal', async () => {
      const { token, treasury, genesis } = await networkHelpers.loadFixture(deploy);
      assert.deepEqual(await treasury.read.quarterlyAllowance([token.address]), [
        QUARTER_CAP,
        QUARTER_CAP,
      ]);
      const tx = treasury.write.spend([token.address, alice.account.address, 1n * MOLT], {
        account: governance.account,
      });
      await viem.assertions.emitWithArgs(tx, treasury, 'QuarterlyCapSet', [
        getAddress(token.address),
        0n,
        QUARTER_CAP,
      ]);
      await viem.assertions.emitWithArgs(
        treasury.write.spend([token.address, alice.account.address, 1n * MOLT], {
          account: governance.account,
        }),
        treasury,
        'Spent',
        [getAddress(token.address), getAddress(alice.account.address), 1n * MOLT],
      );
      assert.equal(await token.read.balanceOf([alice.account.address]), 2n * MOLT);

      // Inflows later in the quarter do not raise the cap.
      await token.write.mint([treasury.address, 100_000_000n * MOLT]);
      assert.deepEqual(await treasury.read.quarterlyAllowance([token.address]), [
        QUARTER_CAP - 2n * MOLT,
        QUARTER_CAP,
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        treasury.write.spend([token.address, alice.account.address, QUARTER_CAP - 2n * MOLT + 1n], {
          account: governance.account,
        }),
        treasury,
        'Treasury__QuarterlyCapExceeded',
        [getAddress(token.address), QUARTER_CAP - 2n * MOLT + 1n, QUARTER_CAP - 2n * MOLT],
      );
      await treasury.write.spend([token.address, alice.account.address, QUARTER_CAP - 2n * MOLT], {
        account: governance.account,
      });
      // The last second of the quarter is still in it.
      await at(genesis, QUARTER - 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        treasury.write.spend([token.address, alice.account.address, 1n], {
          account: governance.account,
        }),
        treasury,
        'Treasury__QuarterlyCapExceeded',
        [getAddress(token.address), 1n, 0n],
      );
      await networkHelpers.mine(); // use up the timestamp set above
    });

    it('renews the cap each quarter, on the balance then', async () => {
      const { token, treasury, genesis } = await networkHelpers.loadFixture(deploy);
      await treasury.write.spend([token.address, alice.account.address, QUARTER_CAP], {
        account: governance.account,
      });
      await at(genesis, QUARTER);
      const nextCap = ((TREASURY - QUARTER_CAP) * 2n) / 100n;
      await viem.assertions.emitWithArgs(
        treasury.write.spend([token.address, alice.account.address, nextCap], {
          account: governance.account,
        }),
        treasury,
        'QuarterlyCapSet',
        [getAddress(token.address), 1n, nextCap],
      );
      await at(genesis, 7n * QUARTER);
      const lastCap = ((TREASURY - QUARTER_CAP - nextCap) * 2n) / 100n;
      await treasury.write.spend([token.address, alice.account.address, lastCap], {
        account: governance.account,
      });
      assert.equal(
        await token.read.balanceOf([alice.account.address]),
        QUARTER_CAP + nextCap + lastCap,
      );
    });

    it('is uncapped after two years', async () => {
      const { token, treasury, genesis } = await networkHelpers.loadFixture(deploy);
      await at(genesis, 2n * YEAR);
      await treasury.write.spend([token.address, alice.account.address, TREASURY], {
        account: governance.account,
      });
      assert.equal(await token.read.balanceOf([alice.account.address]), TREASURY);
    });

    it('caps every asset on its own', async () => {
      const { token, treasury } = await networkHelpers.loadFixture(deploy);
      const other = await viem.deployContract('MoltToken', [admin.account.address]);
      await other.write.grantRole([MINTER_ROLE, admin.account.address]);
      await other.write.mint([treasury.address, 1000n]);
      await treasury.write.spend([token.address, alice.account.address, QUARTER_CAP], {
        account: governance.account,
      });
      await treasury.write.spend([other.address, alice.account.address, 20n], {
        account: governance.account,
      });
      await viem.assertions.revertWithCustomErrorWithArgs(
        treasury.write.spend([other.address, alice.account.address, 1n], {
          account: governance.account,
        }),
        treasury,
        'Treasury__QuarterlyCapExceeded',
        [getAddress(other.address), 1n, 0n],
      );
    });

    it('rejects bad input and callers without the governance role', async () => {
      const { token, treasury } = await networkHelpers.loadFixture(deploy);
      const g = { account: governance.account };
      await viem.assertions.revertWithCustomError(
        treasury.write.spend([zeroAddress, alice.account.address, 1n], g),
        treasury,
        'Treasury__ZeroAddress',
      );
      await viem.assertions.revertWithCustomError(
        treasury.write.spend([token.address, zeroAddress, 1n], g),
        treasury,
        'Treasury__ZeroAddress',
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        treasury.write.spend([alice.account.address, alice.account.address, 1n], g),
        treasury,
        'Treasury__NotAToken',
        [getAddress(alice.account.address)],
      );
      await viem.assertions.revertWithCustomError(
        treasury.read.quarterlyAllowance([zeroAddress]),
        treasury,
        'Treasury__ZeroAddress',
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        treasury.read.quarterlyAllowance([alice.account.address]),
        treasury,
        'Treasury__NotAToken',
        [getAddress(alice.account.address)],
      );
      await viem.assertions.revertWithCustomError(
        treasury.write.spend([token.address, alice.account.address, 0n], g),
        treasury,
        'Treasury__ZeroAmount',
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        treasury.write.spend([token.address, alice.account.address, TREASURY + 1n], g),
        treasury,
        'Treasury__InsufficientBalance',
        [getAddress(token.address), TREASURY, TREASURY + 1n],
      );
      for (const caller of [admin, stranger]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          treasury.write.spend([token.address, alice.account.address, 1n], {
            account: caller.account,
          }),
          treasury,
          'AccessControlUnauthorizedAccount',
          [getAddress(caller.account.address), GOVERNANCE_ROLE],
        );
      }
      assert.equal(await token.read.balanceOf([treasury.address]), TREASURY);
    });
  });

  describe('validator bootstrap subsidy (App. A)', () => {
    it('pays and notifies the receiver, within 5M $MOLT per year', async () => {
      const { token, treasury, receiver } = await networkHelpers.loadFixture(deploy);
      const g = { account: governance.account };
      const tx = treasury.write.paySubsidy([receiver.address, 3_000_000n * MOLT], g);
      await viem.assertions.emitWithArgs(tx, receiver, 'Notified', [
        3_000_000n * MOLT,
        3_000_000n * MOLT,
      ]);
      await viem.assertions.emitWithArgs(
        treasury.write.paySubsidy([receiver.address, 1_000_000n * MOLT], g),
        treasury,
        'SubsidyPaid',
        [getAddress(receiver.address), 0n, 1_000_000n * MOLT],
      );
      assert.equal(await token.read.balanceOf([receiver.address]), 4_000_000n * MOLT);
      assert.equal(await treasury.read.subsidyPaid([0n]), 4_000_000n * MOLT);
      assert.equal(await treasury.read.subsidyRemaining(), 1_000_000n * MOLT);
      // The 4M quarterly cap is used up; 1M of the year's budget is left for later quarters.
      await viem.assertions.revertWithCustomErrorWithArgs(
        treasury.write.paySubsidy([receiver.address, 1n], g),
        treasury,
        'Treasury__QuarterlyCapExceeded',
        [getAddress(token.address), 1n, 0n],
      );
    });

    it('refuses more than the year budget, renews it in year two, and ends after', async () => {
      const { token, treasury, receiver, genesis } = await networkHelpers.loadFixture(deploy);
      await token.write.mint([treasury.address, 300_000_000n * MOLT]); // a 10M quarterly cap
      const g = { account: governance.account };
      await treasury.write.paySubsidy([receiver.address, SUBSIDY_PER_YEAR], g);
      await viem.assertions.revertWithCustomErrorWithArgs(
        treasury.write.paySubsidy([receiver.address, 1n], g),
        treasury,
        'Treasury__SubsidyBudgetExceeded',
        [1n, 0n],
      );
      await at(genesis, YEAR);
      await treasury.write.paySubsidy([receiver.address, SUBSIDY_PER_YEAR], g);
      assert.equal(await treasury.read.subsidyPaid([1n]), SUBSIDY_PER_YEAR);
      await at(genesis, 2n * YEAR);
      await viem.assertions.revertWithCustomErrorWithArgs(
        treasury.write.paySubsidy([receiver.address, 1n], g),
        treasury,
        'Treasury__SubsidyPeriodOver',
        [genesis + 2n * YEAR],
      );
      await networkHelpers.mine(); // use up the timestamp set above
      assert.equal(await treasury.read.subsidyRemaining(), 0n);
      assert.equal(await receiver.read.totalNotified(), 2n * SUBSIDY_PER_YEAR);
    });

    it('rejects bad input and callers without the governance role', async () => {
      const { treasury, receiver } = await networkHelpers.loadFixture(deploy);
      await viem.assertions.revertWithCustomError(
        treasury.write.paySubsidy([zeroAddress, 1n], { account: governance.account }),
        treasury,
        'Treasury__ZeroAddress',
      );
      await viem.assertions.revertWithCustomError(
        treasury.write.paySubsidy([receiver.address, 0n], { account: governance.account }),
        treasury,
        'Treasury__ZeroAmount',
      );
      const poor = await viem.deployContract('Treasury', [
        await treasury.read.molt(),
        admin.account.address,
        await treasury.read.genesisTime(),
      ]);
      await poor.write.grantRole([GOVERNANCE_ROLE, governance.account.address]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        poor.write.paySubsidy([receiver.address, 1n], { account: governance.account }),
        poor,
        'Treasury__InsufficientBalance',
        [getAddress(await treasury.read.molt()), 0n, 1n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        treasury.write.paySubsidy([receiver.address, 1n], { account: stranger.account }),
        treasury,
        'AccessControlUnauthorizedAccount',
        [getAddress(stranger.account.address), GOVERNANCE_ROLE],
      );
    });

    it('blocks a receiver that reenters spend from notifyRewards', async () => {
      const { token, treasury, receiver } = await networkHelpers.loadFixture(deploy);
      await treasury.write.grantRole([GOVERNANCE_ROLE, receiver.address]);
      await receiver.write.setReentry([
        treasury.address,
        encodeFunctionData({
          abi: treasury.abi,
          functionName: 'spend',
          args: [token.address, receiver.address, 1n],
        }),
      ]);
      await viem.assertions.emitWithArgs(
        treasury.write.paySubsidy([receiver.address, 1000n], { account: governance.account }),
        receiver,
        'Reentered',
        [false, REENTRANCY_GUARD_ERROR],
      );
      assert.equal(await token.read.balanceOf([receiver.address]), 1000n);
    });
  });
});
