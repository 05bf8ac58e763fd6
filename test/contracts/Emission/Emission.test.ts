import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { encodeFunctionData, getAddress, toFunctionSelector, zeroAddress } from 'viem';
import { BEACON_ROLE, GOVERNANCE_ROLE, MINTER_ROLE } from '../helpers/roles.ts';
import { walletClientAt } from '../helpers/walletClientAt.ts';

// §11.1-§11.3 and the §11.6 note, written out here rather than imported so that a wrong constant
// in the contracts fails.
const MOLT = 10n ** 6n;
const SLOTS_PER_YEAR = 78_840_000n;
const PHASE_SLOTS = 2n * SLOTS_PER_YEAR;
const END_SLOT = 4n * PHASE_SLOTS;
const PHASE_REWARDS = [1_520_000n, 760_000n, 380_000n, 190_000n] as const;
const SCHEDULE_TOTAL = 449_388_000n * MOLT;
const REENTRANCY_GUARD_ERROR = toFunctionSelector('ReentrancyGuardReentrantCall()');

/** The schedule's sum, computed slot-phase by slot-phase here in TypeScript. */
function scheduleSum(slots: bigint): bigint {
  let total = 0n;
  let left = slots < END_SLOT ? slots : END_SLOT;
  for (const reward of PHASE_REWARDS) {
    const inPhase = left < PHASE_SLOTS ? left : PHASE_SLOTS;
    total += inPhase * reward;
    left -= inPhase;
  }
  return total;
}

function split(amount: bigint) {
  const toValidators = (amount * 30n) / 100n;
  const toStorage = (amount * 30n) / 100n;
  const toTreasury = (amount * 10n) / 100n;
  return {
    toValidators,
    toStorage,
    toTreasury,
    burned: amount - toValidators - toStorage - toTreasury,
  };
}

describe('Emission', async () => {
  const { viem, networkHelpers } = await network.create('op');
  const clients = await viem.getWalletClients();
  const client = (i: number) => walletClientAt(clients, i);
  const admin = client(0);
  const beacon = client(1);
  const governance = client(2);
  const treasury = client(3);
  const storagePool = client(4);
  const stranger = client(5);

  async function deploy() {
    // A day ahead: EDR's clock follows the wall clock, so a genesis only seconds ahead is overtaken
    // on a loaded machine before the test sets its own timestamps (which must never go backwards).
    const genesis = BigInt(await networkHelpers.time.latest()) + 86_400n;
    const token = await viem.deployContract('MoltToken', [admin.account.address]);
    const emission = await viem.deployContract('Emission', [
      token.address,
      admin.account.address,
      genesis,
      treasury.account.address,
      zeroAddress,
      zeroAddress,
    ]);
    const receiver = await viem.deployContract('ReceiverMock', [token.address]);
    await token.write.grantRole([MINTER_ROLE, emission.address]);
    await emission.write.grantRole([BEACON_ROLE, beacon.account.address]);
    await emission.write.grantRole([GOVERNANCE_ROLE, governance.account.address]);
    return { token, emission, receiver, genesis };
  }

  async function deployWired() {
    const deployed = await deploy();
    await deployed.emission.write.setRewardReceiver([deployed.receiver.address], {
      account: governance.account,
    });
    await deployed.emission.write.setStoragePool([storagePool.account.address], {
      account: governance.account,
    });
    return deployed;
  }

  /** Mines the next block at `genesis + seconds`, so `slotsElapsed()` there is `seconds * 2.5`. */
  async function atSecond(genesis: bigint, seconds: bigint) {
    await networkHelpers.time.setNextBlockTimestamp(genesis + seconds);
  }

  describe('the §11.3 schedule', () => {
    it('pays 1.52 / 0.76 / 0.38 / 0.19 $MOLT per slot for four 2-year phases, then nothing', async () => {
      const { emission } = await networkHelpers.loadFixture(deploy);
      for (const [phase, reward] of PHASE_REWARDS.entries()) {
        const first = BigInt(phase) * PHASE_SLOTS;
        assert.equal(await emission.read.slotReward([first]), reward);
        assert.equal(await emission.read.slotReward([first + PHASE_SLOTS - 1n]), reward);
      }
      assert.equal(await emission.read.slotReward([END_SLOT]), 0n);
      assert.equal(await emission.read.slotReward([10n ** 30n]), 0n);
    });

    it('sums to 449.388M $MOLT, under the 450M reserve, and never more', async () => {
      const { emission } = await networkHelpers.loadFixture(deploy);
      for (const slots of [
        0n,
        1n,
        SLOTS_PER_YEAR,
        PHASE_SLOTS,
        PHASE_SLOTS + 1n,
        3n * PHASE_SLOTS - 7n,
        END_SLOT - 1n,
        END_SLOT,
        END_SLOT + 1n,
        2n ** 200n,
      ]) {
        assert.equal(await emission.read.emittedAt([slots]), scheduleSum(slots), `at ${slots}`);
      }
      assert.equal(await emission.read.emittedAt([END_SLOT]), SCHEDULE_TOTAL);
      assert.ok(SCHEDULE_TOTAL <= 450_000_000n * MOLT);
      // Year 1-2: 1.52 × 157.68M = 239.6736M ("≈ 240M").
      assert.equal(await emission.read.emittedAt([PHASE_SLOTS]), 239_673_600n * MOLT);
    });

    it('splits 30 / 30 / 30 / 10 and gives the rounding remainder to the burn', async () => {
      const { emission } = await networkHelpers.loadFixture(deploy);
      for (const amount of [0n, 1n, 9n, 1_520_000n, 123_456_789n, SCHEDULE_TOTAL]) {
        const [toValidators, toStorage, burned, toTreasury] = await emission.read.splitOf([amount]);
        assert.deepEqual({ toValidators, toStorage, burned, toTreasury }, split(amount));
        assert.equal(toValidators + toStorage + burned + toTreasury, amount);
      }
    });
  });

  describe('deployment', () => {
    it('keeps its parameters and gives only the admin role', async () => {
      const { emission, token, genesis } = await networkHelpers.loadFixture(deploy);
      assert.equal(getAddress(await emission.read.token()), getAddress(token.address));
      assert.equal(await emission.read.genesisTime(), genesis);
      assert.equal(
        getAddress(await emission.read.treasury()),
        getAddress(treasury.account.address),
      );
      assert.equal(await emission.read.rewardReceiver(), zeroAddress);
      assert.equal(await emission.read.storagePool(), zeroAddress);
      assert.equal(await emission.read.reportedSlots(), 0n);
      assert.equal(await emission.read.totalEmitted(), 0n);
      assert.equal(await emission.read.slotsElapsed(), 0n);
      const DEFAULT_ADMIN_ROLE = `0x${'00'.repeat(32)}` as const;
      assert.equal(await emission.read.hasRole([DEFAULT_ADMIN_ROLE, admin.account.address]), true);
      assert.equal(await emission.read.hasRole([BEACON_ROLE, admin.account.address]), false);
      assert.equal(await emission.read.hasRole([GOVERNANCE_ROLE, admin.account.address]), false);
    });

    it('rejects zero addresses and a zero genesis time', async () => {
      const { token } = await networkHelpers.loadFixture(deploy);
      const good = [
        token.address,
        admin.account.address,
        1n,
        treasury.account.address,
        zeroAddress,
        zeroAddress,
      ] as const;
      for (const index of [0, 1, 3]) {
        const args = [...good] as unknown as typeof good;
        (args as unknown as unknown[])[index] = zeroAddress;
        await assert.rejects(viem.deployContract('Emission', args), /Emission__ZeroAddress/);
      }
      await assert.rejects(
        viem.deployContract('Emission', [good[0], good[1], 0n, good[3], good[4], good[5]]),
        /Emission__ZeroGenesisTime/,
      );
    });
  });

  describe('reportSlots', () => {
    it('mints the schedule for the reported slots and splits it', async () => {
      const { token, emission, receiver, genesis } = await networkHelpers.loadFixture(deployWired);
      await atSecond(genesis, 400n); // 1000 slots on the clock
      const amount = 1000n * 1_520_000n;
      const shares = split(amount);
      await viem.assertions.emitWithArgs(
        emission.write.reportSlots([1000n], { account: beacon.account }),
        emission,
        'SlotsReported',
        [
          0n,
          1000n,
          amount,
          shares.toValidators,
          shares.toStorage,
          shares.burned,
          shares.toTreasury,
        ],
      );
      assert.equal(await token.read.totalMinted(), amount);
      assert.equal(await token.read.totalBurned(), shares.burned);
      assert.equal(await token.read.balanceOf([receiver.address]), shares.toValidators);
      assert.equal(await token.read.balanceOf([storagePool.account.address]), shares.toStorage);
      assert.equal(await token.read.balanceOf([treasury.account.address]), shares.toTreasury);
      assert.equal(await token.read.balanceOf([emission.address]), 0n);
      assert.equal(await receiver.read.totalNotified(), shares.toValidators);
      assert.equal(await emission.read.totalEmitted(), amount);
      assert.equal(await emission.read.reportedSlots(), 1000n);
    });

    it('sends the validators their share before notifying them', async () => {
      const { emission, receiver, genesis } = await networkHelpers.loadFixture(deployWired);
      await atSecond(genesis, 40n);
      const { toValidators } = split(100n * 1_520_000n);
      await viem.assertions.emitWithArgs(
        emission.write.reportSlots([100n], { account: beacon.account }),
        receiver,
        'Notified',
        [toValidators, toValidators],
      );
      await atSecond(genesis, 80n);
      await viem.assertions.emitWithArgs(
        emission.write.reportSlots([200n], { account: beacon.account }),
        emission,
        'ValidatorRewardsPaid',
        [getAddress(receiver.address), toValidators],
      );
    });

    it('mints exactly the schedule difference across reports and phase boundaries', async () => {
      const { token, emission, genesis } = await networkHelpers.loadFixture(deployWired);
      let previous = 0n;
      for (const slots of [5n, PHASE_SLOTS - 3n, PHASE_SLOTS + 4n, END_SLOT - 1n, END_SLOT + 9n]) {
        await atSecond(genesis, (slots * 2n) / 5n + 1n);
        await emission.write.reportSlots([slots], { account: beacon.account });
        assert.equal(await emission.read.totalEmitted(), scheduleSum(slots));
        assert.equal(await token.read.totalMinted(), scheduleSum(slots));
        assert.ok(scheduleSum(slots) >= scheduleSum(previous));
        previous = slots;
      }
      assert.equal(await token.read.totalMinted(), SCHEDULE_TOTAL);
    });

    it('holds the validator and storage shares until their recipients are set', async () => {
      const { token, emission, receiver, genesis } = await networkHelpers.loadFixture(deploy);
      await atSecond(genesis, 4n);
      await emission.write.reportSlots([10n], { account: beacon.account });
      const first = split(10n * 1_520_000n);
      assert.equal(await emission.read.pendingValidatorRewards(), first.toValidators);
      assert.equal(await emission.read.pendingStorageRewards(), first.toStorage);
      assert.equal(
        await token.read.balanceOf([emission.address]),
        first.toValidators + first.toStorage,
      );
      assert.equal(await token.read.balanceOf([treasury.account.address]), first.toTreasury);

      await viem.assertions.emitWithArgs(
        emission.write.setRewardReceiver([receiver.address], { account: governance.account }),
        emission,
        'RewardReceiverSet',
        [getAddress(receiver.address)],
      );
      await atSecond(genesis, 8n);
      await emission.write.reportSlots([20n], { account: beacon.account });
      const second = split(10n * 1_520_000n);
      assert.equal(await emission.read.pendingValidatorRewards(), 0n);
      assert.equal(
        await token.read.balanceOf([receiver.address]),
        first.toValidators + second.toValidators,
      );
      assert.equal(await emission.read.pendingStorageRewards(), first.toStorage + second.toStorage);

      await emission.write.setStoragePool([storagePool.account.address], {
        account: governance.account,
      });
      // After the end of the schedule a report mints nothing but still pays what is pending.
      await atSecond(genesis, (END_SLOT * 2n) / 5n + 1n);
      await emission.write.reportSlots([END_SLOT], { account: beacon.account });
      await atSecond(genesis, (END_SLOT * 2n) / 5n + 2n);
      const minted = await token.read.totalMinted();
      await emission.write.reportSlots([END_SLOT + 1n], { account: beacon.account });
      assert.equal(await token.read.totalMinted(), minted);
      assert.equal(await emission.read.pendingStorageRewards(), 0n);
      assert.equal(await token.read.balanceOf([emission.address]), 0n);
    });

    it('rejects a slot count that does not move forward', async () => {
      const { emission, genesis } = await networkHelpers.loadFixture(deployWired);
      await atSecond(genesis, 40n);
      await emission.write.reportSlots([100n], { account: beacon.account });
      for (const stale of [0n, 99n, 100n]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          emission.write.reportSlots([stale], { account: beacon.account }),
          emission,
          'Emission__SlotCountNotIncreasing',
          [stale, 100n],
        );
      }
    });

    it('rejects a slot count ahead of the clock, and any before genesis', async () => {
      const { emission, genesis } = await networkHelpers.loadFixture(deployWired);
      await atSecond(genesis, -1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        emission.write.reportSlots([1n], { account: beacon.account }),
        emission,
        'Emission__SlotCountAheadOfClock',
        [1n, 0n],
      );
      await atSecond(genesis, 3n); // 7.5 slots: 7 have fully passed
      await viem.assertions.revertWithCustomErrorWithArgs(
        emission.write.reportSlots([8n], { account: beacon.account }),
        emission,
        'Emission__SlotCountAheadOfClock',
        [8n, 7n],
      );
      await atSecond(genesis, 4n);
      await emission.write.reportSlots([10n], { account: beacon.account });
    });

    it('lets only the beacon report', async () => {
      const { emission, genesis } = await networkHelpers.loadFixture(deployWired);
      await atSecond(genesis, 4n);
      for (const caller of [admin, governance, stranger]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          emission.write.reportSlots([1n], { account: caller.account }),
          emission,
          'AccessControlUnauthorizedAccount',
          [getAddress(caller.account.address), BEACON_ROLE],
        );
      }
      await networkHelpers.mine(); // use up the timestamp set above
    });

    it('blocks a reward receiver that reenters reportSlots', async () => {
      const { token, emission, receiver, genesis } = await networkHelpers.loadFixture(deployWired);
      await emission.write.grantRole([BEACON_ROLE, receiver.address]);
      await receiver.write.setReentry([
        emission.address,
        encodeFunctionData({ abi: emission.abi, functionName: 'reportSlots', args: [20n] }),
      ]);
      await atSecond(genesis, 40n);
      await viem.assertions.emitWithArgs(
        emission.write.reportSlots([10n], { account: beacon.account }),
        receiver,
        'Reentered',
        [false, REENTRANCY_GUARD_ERROR],
      );
      assert.equal(await emission.read.reportedSlots(), 10n);
      assert.equal(await token.read.totalMinted(), 10n * 1_520_000n);
    });
  });

  describe('governance', () => {
    it('sets the recipients, each non-zero, and only by governance', async () => {
      const { emission, receiver } = await networkHelpers.loadFixture(deploy);
      await viem.assertions.emitWithArgs(
        emission.write.setStoragePool([storagePool.account.address], {
          account: governance.account,
        }),
        emission,
        'StoragePoolSet',
        [getAddress(storagePool.account.address)],
      );
      await viem.assertions.emitWithArgs(
        emission.write.setTreasury([stranger.account.address], { account: governance.account }),
        emission,
        'TreasurySet',
        [getAddress(stranger.account.address)],
      );
      assert.equal(
        getAddress(await emission.read.treasury()),
        getAddress(stranger.account.address),
      );

      for (const call of [
        emission.write.setRewardReceiver([zeroAddress], { account: governance.account }),
        emission.write.setStoragePool([zeroAddress], { account: governance.account }),
        emission.write.setTreasury([zeroAddress], { account: governance.account }),
      ]) {
        await viem.assertions.revertWithCustomError(call, emission, 'Emission__ZeroAddress');
      }
      for (const call of [
        emission.write.setRewardReceiver([receiver.address], { account: beacon.account }),
        emission.write.setStoragePool([stranger.account.address], { account: beacon.account }),
        emission.write.setTreasury([stranger.account.address], { account: admin.account }),
      ]) {
        await viem.assertions.revertWithCustomError(
          call,
          emission,
          'AccessControlUnauthorizedAccount',
        );
      }
    });
  });
});
