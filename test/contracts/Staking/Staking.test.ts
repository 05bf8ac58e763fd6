import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import {
  type Address,
  encodeFunctionData,
  getAddress,
  keccak256,
  toFunctionSelector,
  toHex,
  zeroAddress,
  zeroHash,
} from 'viem';
import {
  CARD_TYPE,
  cardMessage,
  cardRef,
  deployIdentityFixture,
  type RegisteredIdentity,
  randomHash,
} from '../helpers/identityFixture.ts';
import {
  BEACON_ROLE,
  buildReport,
  type EpochReport,
  GOVERNANCE_ROLE,
  MAX_COMMISSION_BPS,
  MIN_SELF_STAKE,
  MINTER_ROLE,
  MOLT,
  SCALE,
  SlashReason,
  UNBONDING_EPOCHS,
} from './stakingHelpers.ts';

// Validators hold real identities: the IdentityRegistry of test/contracts/helpers/identityFixture.ts
// (manufacturer certificate and card signature per identity). Only the rule about identities that
// change wallets, which that registry cannot do, uses IdentityLookupForTests. A wallet may hold
// several identities and names the one backing its validator.

for (const chainName of ['op', 'l1'] as const) {
  describe(`Staking on ${chainName}`, async () => {
    const { viem, networkHelpers } = await network.create(chainName);
    const publicClient = await viem.getPublicClient();
    const wallets = await viem.getWalletClients();
    const account = (i: number) => {
      const wallet = wallets[i];
      if (wallet === undefined) throw new Error(`expected at least ${i + 1} funded accounts`);
      return wallet.account;
    };
    const admin = account(0);
    const beacon = account(1);
    const governance = account(2);
    const alice = account(3);
    const bob = account(4);
    const v1 = account(5);
    const v2 = account(6);
    const v3 = account(7);
    type Account = typeof admin;

    async function deployStaking() {
      // The identity fixture's token has account 0 as admin and minter.
      const fx = await deployIdentityFixture({ viem, networkHelpers });
      const { token, registry } = fx;
      const staking = await viem.deployContract('Staking', [
        token.address,
        registry.address,
        admin.address,
        100,
        200,
        UNBONDING_EPOCHS,
      ]);
      await staking.write.grantRole([BEACON_ROLE, beacon.address]);
      await staking.write.grantRole([GOVERNANCE_ROLE, governance.address]);
      const identities = new Map<Address, RegisteredIdentity>();

      const fund = async (who: Account, amount: bigint) => {
        await token.write.mint([who.address, amount]);
        await token.write.approve([staking.address, amount], { account: who });
      };
      const giveIdentity = async (who: Address) => {
        const registered = await fx.registerIdentity(who);
        identities.set(getAddress(who), registered);
        return registered.identityId;
      };
      /** Freezes `who`'s identity the way §5.4 does: a clone report of two equal counters. */
      const freeze = async (who: Address) => {
        const registered = identities.get(getAddress(who));
        if (registered === undefined) throw new Error('no identity');
        const clone = registered.card.clone();
        const a = registered.card.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        const b = clone.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        await fx.gateway.write.reportClone([
          registered.identityId,
          cardRef(registered),
          cardMessage(a),
          cardMessage(b),
        ]);
      };
      const register = async (who: Account, commission = 0, selfStake = MIN_SELF_STAKE) => {
        const id = await giveIdentity(who.address);
        await fund(who, selfStake);
        await staking.write.registerValidator([id, commission, selfStake], { account: who });
        return id;
      };
      const delegate = async (who: Account, validator: Account, amount: bigint) => {
        await fund(who, amount);
        await staking.write.delegate([validator.address, amount], { account: who });
      };
      const report = async (value: EpochReport) =>
        staking.write.reportEpoch([value], { account: beacon });
      const advance = async () => report(await buildReport(staking));
      const notify = async (amount: bigint) => {
        await token.write.mint([staking.address, amount]);
        await staking.write.notifyRewards([amount]);
      };
      return {
        token,
        registry,
        staking,
        fund,
        giveIdentity,
        freeze,
        register,
        delegate,
        report,
        advance,
        notify,
      };
    }

    const load = () => networkHelpers.loadFixture(deployStaking);

    describe('deployment and parameters', () => {
      it('starts at epoch 0 with the given parameters and roles', async () => {
        const { staking, token, registry } = await load();
        assert.equal(getAddress(await staking.read.token()), getAddress(token.address));
        assert.equal(
          getAddress(await staking.read.identityRegistry()),
          getAddress(registry.address),
        );
        assert.equal(await staking.read.currentEpoch(), 0n);
        assert.equal(await staking.read.maxValidators(), 100);
        assert.equal(await staking.read.committeeSize(), 200);
        assert.equal(await staking.read.unbondingEpochs(), UNBONDING_EPOCHS);
        assert.equal(await staking.read.shardCount(), 1);
        assert.deepEqual(await staking.read.candidates(), []);
        assert.equal(await staking.read.hasRole([BEACON_ROLE, beacon.address]), true);
        assert.equal(await staking.read.hasRole([GOVERNANCE_ROLE, governance.address]), true);
      });

      it('rejects zero addresses and parameters out of range at deployment', async () => {
        const { staking, token, registry } = await load();
        const args = [token.address, registry.address, admin.address, 100, 200, 7] as const;
        for (const i of [0, 1, 2]) {
          const bad = [...args] as [Address, Address, Address, number, number, number];
          bad[i] = zeroAddress;
          await viem.assertions.revertWithCustomError(
            viem.deployContract('Staking', bad),
            staking,
            'Staking__ZeroAddress',
          );
        }
        const cases = [
          [[99, 200, 7], 'Staking__MaxValidatorsOutOfRange', 99n],
          [[151, 200, 7], 'Staking__MaxValidatorsOutOfRange', 151n],
          [[100, 0, 7], 'Staking__CommitteeSizeOutOfRange', 0n],
          [[100, 201, 7], 'Staking__CommitteeSizeOutOfRange', 201n],
          [[100, 200, 0], 'Staking__UnbondingEpochsOutOfRange', 0n],
          [[100, 200, 31], 'Staking__UnbondingEpochsOutOfRange', 31n],
        ] as const;
        for (const [[n, k, u], error, value] of cases) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            viem.deployContract('Staking', [...args.slice(0, 3), n, k, u] as never),
            staking,
            error,
            [value],
          );
        }
      });

      it('lets only governance set the parameters, within their bounds', async () => {
        const { staking } = await load();
        await viem.assertions.emitWithArgs(
          staking.write.setMaxValidators([150], { account: governance }),
          staking,
          'MaxValidatorsSet',
          [150],
        );
        await viem.assertions.emitWithArgs(
          staking.write.setCommitteeSize([1], { account: governance }),
          staking,
          'CommitteeSizeSet',
          [1],
        );
        await viem.assertions.emitWithArgs(
          staking.write.setUnbondingEpochs([30], { account: governance }),
          staking,
          'UnbondingEpochsSet',
          [30],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.setMaxValidators([151], { account: governance }),
          staking,
          'Staking__MaxValidatorsOutOfRange',
          [151n],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.setCommitteeSize([201], { account: governance }),
          staking,
          'Staking__CommitteeSizeOutOfRange',
          [201n],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.setUnbondingEpochs([0], { account: governance }),
          staking,
          'Staking__UnbondingEpochsOutOfRange',
          [0n],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.setMaxValidators([120], { account: beacon }),
          staking,
          'AccessControlUnauthorizedAccount',
          [getAddress(beacon.address), GOVERNANCE_ROLE],
        );
        assert.equal(await staking.read.maxValidators(), 150);
      });
    });

    describe('validators', () => {
      it('registers a validator holding an active identity, with pending self-stake', async () => {
        const { staking, token, giveIdentity, fund } = await load();
        const id = await giveIdentity(v1.address);
        await fund(v1, MIN_SELF_STAKE);
        const tx = staking.write.registerValidator([id, 500, MIN_SELF_STAKE], { account: v1 });
        await viem.assertions.emitWithArgs(tx, staking, 'ValidatorRegistered', [
          getAddress(v1.address),
          id,
          500,
        ]);
        const info = await staking.read.validatorInfo([v1.address]);
        assert.equal(info.identityId, id);
        assert.equal(info.candidate, true);
        assert.equal(info.commissionBps, 500);
        assert.equal(await staking.read.candidateCount(), 1n);
        assert.equal(await staking.read.electionStake([v1.address]), 0n);
        assert.equal(
          (await staking.read.delegationOf([v1.address, v1.address])).pendingTokens,
          MIN_SELF_STAKE,
        );
        assert.equal(await token.read.balanceOf([staking.address]), MIN_SELF_STAKE);
      });

      it('rejects registrations with an unknown, foreign or frozen identity, duplicate, overpriced or understaked', async () => {
        const { staking, giveIdentity, freeze, fund, register } = await load();
        await fund(v1, 2n * MIN_SELF_STAKE);
        for (const id of [0n, 99n]) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            staking.write.registerValidator([id, 0, MIN_SELF_STAKE], { account: v1 }),
            staking,
            'Staking__NotIdentityOwner',
            [id, getAddress(v1.address)],
          );
        }
        const frozen = await giveIdentity(v2.address);
        await freeze(v2.address);
        await fund(v2, MIN_SELF_STAKE);
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.registerValidator([frozen, 0, MIN_SELF_STAKE], { account: v2 }),
          staking,
          'Staking__IdentityNotActive',
          [frozen],
        );
        // Another wallet's identity, active or not, is not the caller's to name.
        const theirs = await giveIdentity(v3.address);
        for (const id of [theirs, frozen]) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            staking.write.registerValidator([id, 0, MIN_SELF_STAKE], { account: v1 }),
            staking,
            'Staking__NotIdentityOwner',
            [id, getAddress(v1.address)],
          );
        }
        const own = await giveIdentity(v1.address);
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.registerValidator([own, MAX_COMMISSION_BPS + 1, MIN_SELF_STAKE], {
            account: v1,
          }),
          staking,
          'Staking__CommissionTooHigh',
          [BigInt(MAX_COMMISSION_BPS + 1)],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.registerValidator([own, 0, MIN_SELF_STAKE - 1n], { account: v1 }),
          staking,
          'Staking__SelfStakeTooLow',
          [MIN_SELF_STAKE - 1n],
        );
        await staking.write.registerValidator([own, MAX_COMMISSION_BPS, MIN_SELF_STAKE], {
          account: v1,
        });
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.registerValidator([own, 0, MIN_SELF_STAKE], { account: v1 }),
          staking,
          'Staking__AlreadyCandidate',
          [getAddress(v1.address)],
        );
        await fund(v3, MIN_SELF_STAKE);
        await staking.write.registerValidator([theirs, 0, MIN_SELF_STAKE], { account: v3 });
        await register(alice);
        assert.equal(await staking.read.candidateCount(), 3n);
      });

      it('lets a wallet with several identities back its validator with one it names', async () => {
        const { staking, registry, giveIdentity, freeze, fund } = await load();
        const first = await giveIdentity(v1.address);
        const second = await giveIdentity(v1.address);
        assert.equal(await registry.read.ownerOf([first]), getAddress(v1.address));
        assert.equal(await registry.read.ownerOf([second]), getAddress(v1.address));
        await fund(v1, MIN_SELF_STAKE);
        await staking.write.registerValidator([first, 0, MIN_SELF_STAKE], { account: v1 });
        assert.equal((await staking.read.validatorInfo([v1.address])).identityId, first);
        // Freezing the wallet's other identity (freeze() takes its latest: `second`) leaves the
        // validator eligible.
        await freeze(v1.address);
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.pruneCandidate([v1.address], { account: alice }),
          staking,
          'Staking__CandidateStillEligible',
          [getAddress(v1.address)],
        );
        await staking.write.deregisterValidator({ account: v1 });
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.registerValidator([second, 0, 0n], { account: v1 }),
          staking,
          'Staking__IdentityNotActive',
          [second],
        );
        // It comes back with a third identity: rebound to it.
        const third = await giveIdentity(v1.address);
        await staking.write.registerValidator([third, 0, 0n], { account: v1 });
        assert.equal((await staking.read.validatorInfo([v1.address])).identityId, third);
        assert.equal(await staking.read.candidateCount(), 1n);
      });

      it('deregisters, prunes only ineligible candidates, and takes a validator back', async () => {
        const { staking, freeze, register, advance } = await load();
        await register(v1, 100);
        const id2 = await register(v2);
        await viem.assertions.emitWithArgs(
          staking.write.deregisterValidator({ account: v2 }),
          staking,
          'CandidateRemoved',
          [getAddress(v2.address), getAddress(v2.address)],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.deregisterValidator({ account: v2 }),
          staking,
          'Staking__NotCandidate',
          [getAddress(v2.address)],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.pruneCandidate([v1.address], { account: alice }),
          staking,
          'Staking__CandidateStillEligible',
          [getAddress(v1.address)],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.pruneCandidate([v2.address], { account: alice }),
          staking,
          'Staking__NotCandidate',
          [getAddress(v2.address)],
        );
        await freeze(v1.address); // §5.4 clone dispute
        await viem.assertions.emitWithArgs(
          staking.write.pruneCandidate([v1.address], { account: alice }),
          staking,
          'CandidateRemoved',
          [getAddress(v1.address), getAddress(alice.address)],
        );
        assert.equal(await staking.read.candidateCount(), 0n);

        // v2 comes back on the stake already in its pool; its new commission waits an epoch.
        await advance();
        await staking.write.registerValidator([id2, 300, 0n], { account: v2 });
        const info = await staking.read.validatorInfo([v2.address]);
        assert.deepEqual(
          [info.candidate, info.commissionBps, info.nextCommissionBps],
          [true, 0, 300],
        );
        assert.equal(info.commissionEpoch, 2n);
      });

      it('lets anyone prune a candidate whose self-stake fell below the minimum', async () => {
        const { staking, register, advance } = await load();
        await register(v1);
        await advance();
        const { shares } = await staking.read.delegationOf([v1.address, v1.address]);
        await staking.write.undelegate([v1.address, shares / 2n], { account: v1 });
        assert.equal(await staking.read.electionWeight([v1.address, SCALE, Number(SCALE)]), 0n);
        await staking.write.pruneCandidate([v1.address], { account: bob });
        assert.equal(await staking.read.candidateCount(), 0n);
      });

      it('applies a commission change from the next epoch only', async () => {
        const { staking, register, delegate, advance, notify } = await load();
        await register(v1, 1000);
        await delegate(alice, v1, 3n * MIN_SELF_STAKE);
        await advance();
        await advance(); // v1 seated for epoch 2
        await viem.assertions.emitWithArgs(
          staking.write.setCommission([2000], { account: v1 }),
          staking,
          'CommissionChangeScheduled',
          [getAddress(v1.address), 2000, 3n],
        );
        await notify(1000n * MOLT);
        await advance();
        assert.equal(
          (await staking.read.delegationOf([v1.address, alice.address])).claimableRewards,
          675n * MOLT,
        );
        await notify(1000n * MOLT);
        await advance();
        assert.equal(
          (await staking.read.delegationOf([v1.address, alice.address])).claimableRewards,
          (675n + 600n) * MOLT,
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.setCommission([MAX_COMMISSION_BPS + 1], { account: v1 }),
          staking,
          'Staking__CommissionTooHigh',
          [BigInt(MAX_COMMISSION_BPS + 1)],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.setCommission([1], { account: alice }),
          staking,
          'Staking__UnknownValidator',
          [getAddress(alice.address)],
        );
      });
    });

    describe('delegation, unbonding, withdrawal', () => {
      it('keeps a deposit pending for its epoch and bonds it from the next', async () => {
        const { staking, register, delegate, advance } = await load();
        await register(v1);
        await viem.assertions.revertWithCustomError(
          staking.write.delegate([v1.address, 0n], { account: alice }),
          staking,
          'Staking__ZeroAmount',
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.delegate([v2.address, 1n], { account: alice }),
          staking,
          'Staking__NotCandidate',
          [getAddress(v2.address)],
        );
        await delegate(alice, v1, 500n * MOLT);
        let d = await staking.read.delegationOf([v1.address, alice.address]);
        assert.deepEqual([d.shares, d.pendingTokens], [0n, 500n * MOLT]);
        assert.equal(await staking.read.electionStake([v1.address]), 0n);
        await advance();
        d = await staking.read.delegationOf([v1.address, alice.address]);
        assert.deepEqual(
          [d.shares, d.bondedTokens, d.pendingTokens],
          [500n * MOLT, 500n * MOLT, 0n],
        );
        assert.equal(await staking.read.electionStake([v1.address]), MIN_SELF_STAKE + 500n * MOLT);
      });

      it('does not count a deposit made in the same block as the report', async () => {
        const { staking, token, register, advance, fund } = await load();
        await register(v1);
        await register(v2);
        await advance(); // both bonded with 10k
        await fund(alice, 1_000_000n * MOLT);
        const report = await buildReport(staking);
        // One block: the deposit first, then the report.
        await networkHelpers.mine(); // settle pending state
        await publicClient.request({ method: 'evm_setAutomine', params: [false] } as never);
        const depositHash = await staking.write.delegate([v2.address, 1_000_000n * MOLT], {
          account: alice,
        });
        const reportHash = await staking.write.reportEpoch([report], { account: beacon });
        await networkHelpers.mine();
        await publicClient.request({ method: 'evm_setAutomine', params: [true] } as never);
        const [a, b] = await Promise.all([
          publicClient.getTransactionReceipt({ hash: depositHash }),
          publicClient.getTransactionReceipt({ hash: reportHash }),
        ]);
        assert.equal(a.blockNumber, b.blockNumber);
        assert.equal(a.transactionIndex < b.transactionIndex, true);
        assert.deepEqual([a.status, b.status], ['success', 'success']);
        const seats = await staking.read.validatorSet();
        const v2Seat = seats.find((s) => getAddress(s.validator) === getAddress(v2.address));
        assert.equal(v2Seat?.stake, MIN_SELF_STAKE);
        assert.equal(await token.read.balanceOf([alice.address]), 0n);
      });

      it('unbonds for the delay, then pays out; refuses bad undelegations and withdrawals', async () => {
        const { staking, token, register, delegate, advance } = await load();
        await register(v1);
        await delegate(alice, v1, 1000n * MOLT);
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.undelegate([v1.address, 1n], { account: alice }),
          staking,
          'Staking__InsufficientShares',
          [0n, 1n],
        );
        await advance();
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.undelegate([v2.address, 1n], { account: alice }),
          staking,
          'Staking__UnknownValidator',
          [getAddress(v2.address)],
        );
        await viem.assertions.revertWithCustomError(
          staking.write.undelegate([v1.address, 0n], { account: alice }),
          staking,
          'Staking__ZeroAmount',
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.undelegate([v1.address, 1000n * MOLT + 1n], { account: alice }),
          staking,
          'Staking__InsufficientShares',
          [1000n * MOLT, 1000n * MOLT + 1n],
        );
        const release = 1n + BigInt(UNBONDING_EPOCHS);
        await viem.assertions.emitWithArgs(
          staking.write.undelegate([v1.address, 400n * MOLT], { account: alice }),
          staking,
          'Undelegated',
          [
            getAddress(v1.address),
            getAddress(alice.address),
            1n,
            400n * MOLT,
            400n * MOLT,
            release,
          ],
        );
        for (let epoch = 1n; epoch < release; epoch++) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            staking.write.withdraw([1n], { account: alice }),
            staking,
            'Staking__StillUnbonding',
            [1n, release],
          );
          await advance();
        }
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.withdraw([1n], { account: bob }),
          staking,
          'Staking__NotUnbondingOwner',
          [1n],
        );
        await viem.assertions.emitWithArgs(
          staking.write.withdraw([1n], { account: alice }),
          staking,
          'Withdrawn',
          [1n, getAddress(alice.address), getAddress(v1.address), 400n * MOLT],
        );
        assert.equal(await token.read.balanceOf([alice.address]), 400n * MOLT);
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.withdraw([1n], { account: alice }),
          staking,
          'Staking__NotUnbondingOwner',
          [1n],
        );
      });
    });

    describe('rewards', () => {
      it('accepts only rewards that arrived, from anyone', async () => {
        const { staking, token, register } = await load();
        await viem.assertions.revertWithCustomError(
          staking.write.notifyRewards([0n]),
          staking,
          'Staking__ZeroAmount',
        );
        await register(v1);
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.notifyRewards([1n]),
          staking,
          'Staking__RewardsNotReceived',
          [1n, 0n],
        );
        await token.write.mint([staking.address, 50n]);
        await viem.assertions.emitWithArgs(
          staking.write.notifyFeeRewards([20n], { account: bob }),
          staking,
          'RewardsNotified',
          [1, getAddress(bob.address), 20n, 0n],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.notifyRewards([31n]),
          staking,
          'Staking__RewardsNotReceived',
          [31n, 30n],
        );
        await staking.write.notifyRewards([30n]);
        assert.equal(await staking.read.epochRewards(), 50n);
        assert.equal(await staking.read.rewardsHeld(), 50n);
      });

      it('shares the pot by weight, then commission and shares; pays claims once', async () => {
        const { staking, token, register, delegate, advance, notify } = await load();
        await register(v1, 1000);
        await register(v2, 0);
        await delegate(alice, v1, MIN_SELF_STAKE);
        await delegate(bob, v2, 2n * MIN_SELF_STAKE);
        await advance();
        await notify(999n * MOLT); // epoch 1 has no seats: carried over
        await advance();
        assert.equal(await staking.read.epochRewards(), 999n * MOLT);
        await notify(MOLT);
        const tx = advance();
        await viem.assertions.emitWithArgs(tx, staking, 'ValidatorRewarded', [
          2n,
          getAddress(v1.address),
          400n * MOLT,
          40n * MOLT,
        ]);
        const claimable = async (v: Account, who: Account) =>
          (await staking.read.delegationOf([v.address, who.address])).claimableRewards;
        assert.equal(await claimable(v1, v1), 220n * MOLT);
        assert.equal(await claimable(v1, alice), 180n * MOLT);
        assert.equal(await claimable(v2, v2), 200n * MOLT);
        assert.equal(await claimable(v2, bob), 400n * MOLT);
        await viem.assertions.emitWithArgs(
          staking.write.claimRewards([v2.address], { account: bob }),
          staking,
          'RewardsClaimed',
          [getAddress(v2.address), getAddress(bob.address), 400n * MOLT],
        );
        assert.equal(await token.read.balanceOf([bob.address]), 400n * MOLT);
        await viem.assertions.revertWithCustomError(
          staking.write.claimRewards([v2.address], { account: bob }),
          staking,
          'Staking__NothingToClaim',
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.claimRewards([v3.address], { account: bob }),
          staking,
          'Staking__UnknownValidator',
          [getAddress(v3.address)],
        );
      });

      it('gives a deposit of the closing epoch none of that epoch’s rewards', async () => {
        const { staking, register, delegate, advance, notify } = await load();
        await register(v1);
        await advance();
        await advance();
        await notify(100n * MOLT);
        await delegate(alice, v1, 1_000_000n * MOLT);
        await advance();
        assert.equal(
          (await staking.read.delegationOf([v1.address, alice.address])).claimableRewards,
          0n,
        );
        assert.equal(
          (await staking.read.delegationOf([v1.address, v1.address])).claimableRewards,
          100n * MOLT,
        );
      });
    });

    describe('epoch reports', () => {
      it('elects by weight, deals shards and samples the committee', async () => {
        const { staking, register, advance, report } = await load();
        const validators = [v1, v2, v3, alice, bob];
        for (const [i, v] of validators.entries())
          await register(v, 0, MIN_SELF_STAKE + BigInt(i) * MOLT);
        await advance();
        await staking.write.setCommitteeSize([2], { account: governance });
        const value = await buildReport(staking, {
          shardCount: 2,
          score: (c) => ({
            reputation: getAddress(c) === getAddress(v1.address) ? 2n * SCALE : SCALE,
            uptime: Number(SCALE),
          }),
        });
        assert.equal(value.candidates[0], getAddress(v1.address));
        assert.equal(value.candidates[1], getAddress(bob.address));
        await viem.assertions.emitWithArgs(report(value), staking, 'EpochReported', [
          1n,
          value.randomness,
          2,
          5n,
          (MIN_SELF_STAKE * 2n +
            (MIN_SELF_STAKE + 4n * MOLT) +
            (MIN_SELF_STAKE + 3n * MOLT) +
            (MIN_SELF_STAKE + MOLT) +
            (MIN_SELF_STAKE + 2n * MOLT)) *
            SCALE *
            SCALE,
          0n,
          0n,
        ]);
        const seats = await staking.read.validatorSet();
        assert.deepEqual(
          seats.map((s) => getAddress(s.validator)),
          value.candidates,
        );
        const perShard = [0, 0];
        for (const s of seats) perShard[s.shard] = (perShard[s.shard] ?? 0) + 1;
        assert.deepEqual(perShard.toSorted(), [2, 3]);
        assert.equal((await staking.read.beaconCommittee()).length, 2);
        assert.equal(seats.filter((s) => s.inCommittee).length, 2);
        const [seated, seat] = await staking.read.seatOf([v1.address]);
        assert.equal(seated, true);
        assert.equal(seat.weight, MIN_SELF_STAKE * 2n * SCALE * SCALE);
      });

      it('rejects reports from others and malformed reports', async () => {
        const { staking, register, advance, report } = await load();
        await register(v1);
        await register(v2, 0, MIN_SELF_STAKE + MOLT);
        await register(v3, 0, MIN_SELF_STAKE + 2n * MOLT);
        await advance();
        const good = await buildReport(staking);
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.reportEpoch([good], { account: alice }),
          staking,
          'AccessControlUnauthorizedAccount',
          [getAddress(alice.address), BEACON_ROLE],
        );
        const bad = async (change: (r: EpochReport) => void, error: string, args: unknown[]) => {
          const r = structuredClone(good);
          change(r);
          // The error name and arguments are checked at run time against the ABI.
          await viem.assertions.revertWithCustomErrorWithArgs(
            report(r),
            staking,
            error as never,
            args as never,
          );
        };
        await bad(
          (r) => {
            r.epoch = 2n;
          },
          'Staking__WrongEpoch',
          [2n, 1n],
        );
        await bad(
          (r) => {
            r.shardCount = 0;
          },
          'Staking__ShardCountOutOfRange',
          [0n],
        );
        await bad(
          (r) => {
            r.shardCount = 17;
          },
          'Staking__ShardCountOutOfRange',
          [17n],
        );
        await bad(
          (r) => {
            r.shardCount = 4;
          },
          'Staking__ShardCountOutOfRange',
          [4n],
        );
        await bad(
          (r) => {
            r.candidates.pop();
          },
          'Staking__CandidateListLength',
          [2n, 3n],
        );
        await bad(
          (r) => {
            r.reputations.push(1n);
          },
          'Staking__CandidateListLength',
          [4n, 3n],
        );
        await bad(
          (r) => {
            r.uptimes.pop();
          },
          'Staking__CandidateListLength',
          [2n, 3n],
        );
        await bad(
          (r) => {
            r.candidates[2] = getAddress(alice.address);
          },
          'Staking__NotCandidate',
          [getAddress(alice.address)],
        );
        await bad(
          (r) => {
            r.candidates[2] = r.candidates[0] as Address;
          },
          'Staking__CandidatesNotSorted',
          [2n],
        );
        await bad(
          (r) => {
            [r.candidates[0], r.candidates[1]] = [
              r.candidates[1] as Address,
              r.candidates[0] as Address,
            ];
          },
          'Staking__CandidatesNotSorted',
          [1n],
        );
        await bad(
          (r) => {
            r.uptimes[1] = Number(SCALE) + 1;
          },
          'Staking__UptimeOutOfRange',
          [1n, SCALE + 1n],
        );
        assert.equal(await staking.read.currentEpoch(), 1n);
        await report(good);
        assert.equal(await staking.read.currentEpoch(), 2n);
      });
    });

    describe('slashing', () => {
      it('burns proportionally from bonded and unbonding stake, never pending', async () => {
        const { staking, token, register, delegate, advance } = await load();
        await register(v1);
        await delegate(alice, v1, 30_000n * MOLT);
        await advance();
        await staking.write.undelegate([v1.address, 10_000n * MOLT], { account: alice });
        await delegate(bob, v1, 5_000n * MOLT);
        const supply = await token.read.totalSupply();
        const evidence = keccak256(toHex('double-signed headers'));
        await viem.assertions.emitWithArgs(
          staking.write.slash([v1.address, 1000, SlashReason.DoubleSigning, evidence], {
            account: beacon,
          }),
          staking,
          'ValidatorSlashed',
          [
            getAddress(v1.address),
            SlashReason.DoubleSigning,
            1000,
            3_000n * MOLT,
            1_000n * MOLT,
            evidence,
          ],
        );
        assert.equal(await token.read.totalSupply(), supply - 4_000n * MOLT);
        assert.equal(
          (await staking.read.delegationOf([v1.address, alice.address])).bondedTokens,
          18_000n * MOLT,
        );
        assert.equal(
          (await staking.read.delegationOf([v1.address, v1.address])).bondedTokens,
          9_000n * MOLT,
        );
        assert.equal((await staking.read.unbondingOf([1n])).tokens, 9_000n * MOLT);
        assert.equal(
          (await staking.read.delegationOf([v1.address, bob.address])).pendingTokens,
          5_000n * MOLT,
        );
        assert.equal(await token.read.balanceOf([staking.address]), await staking.read.stakeHeld());
      });

      it('checks the role for the reason and rejects bad slashes', async () => {
        const { staking, register } = await load();
        await register(v1);
        const ev = keccak256(toHex('e'));
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.slash([v1.address, 1, SlashReason.Governance, ev], { account: beacon }),
          staking,
          'AccessControlUnauthorizedAccount',
          [getAddress(beacon.address), GOVERNANCE_ROLE],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.slash([v1.address, 1, SlashReason.ForcedInclusionFailure, ev], {
            account: governance,
          }),
          staking,
          'AccessControlUnauthorizedAccount',
          [getAddress(governance.address), BEACON_ROLE],
        );
        const slashBy = (bps: number, evidence: `0x${string}`, who = v1.address) =>
          staking.write.slash([who, bps, SlashReason.DoubleSigning, evidence], { account: beacon });
        await viem.assertions.revertWithCustomErrorWithArgs(
          slashBy(1, ev, alice.address),
          staking,
          'Staking__UnknownValidator',
          [getAddress(alice.address)],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          slashBy(0, ev),
          staking,
          'Staking__SlashBpsOutOfRange',
          [0n],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          slashBy(10_001, ev),
          staking,
          'Staking__SlashBpsOutOfRange',
          [10_001n],
        );
        await viem.assertions.revertWithCustomError(
          slashBy(1, zeroHash),
          staking,
          'Staking__ZeroEvidence',
        );
        await slashBy(1, ev);
        await viem.assertions.revertWithCustomErrorWithArgs(
          slashBy(1, ev),
          staking,
          'Staking__EvidenceAlreadyUsed',
          [ev],
        );
        await staking.write.slash(
          [v1.address, 1, SlashReason.Governance, keccak256(toHex('vote'))],
          {
            account: governance,
          },
        );
      });

      it('makes a validator slashed while seated forfeit the epoch’s rewards', async () => {
        const { staking, register, advance, notify } = await load();
        await register(v1);
        await register(v2);
        await advance();
        await advance();
        await notify(100n * MOLT);
        await staking.write.slash(
          [v1.address, 500, SlashReason.DoubleSigning, keccak256(toHex('x'))],
          {
            account: beacon,
          },
        );
        const [seated, seat] = await staking.read.seatOf([v1.address]);
        assert.deepEqual([seated, seat.weight], [true, 0n]);
        await advance();
        assert.equal(
          (await staking.read.delegationOf([v1.address, v1.address])).claimableRewards,
          0n,
        );
        assert.equal(
          (await staking.read.delegationOf([v2.address, v2.address])).claimableRewards,
          100n * MOLT,
        );
      });

      it('wipes out a validator slashed in full; its pending depositors leave whole', async () => {
        const { staking, register, delegate, advance, fund } = await load();
        await register(v1);
        await advance();
        await delegate(alice, v1, 1000n * MOLT);
        await viem.assertions.emitWithArgs(
          staking.write.slash(
            [v1.address, 10_000, SlashReason.Governance, keccak256(toHex('retire'))],
            {
              account: governance,
            },
          ),
          staking,
          'ValidatorWipedOut',
          [getAddress(v1.address)],
        );
        assert.equal((await staking.read.validatorInfo([v1.address])).wipedOut, true);
        assert.equal(await staking.read.candidateCount(), 0n);
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.delegate([v1.address, 1n], { account: alice }),
          staking,
          'Staking__ValidatorWipedOut',
          [getAddress(v1.address)],
        );
        await fund(v1, MIN_SELF_STAKE);
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.registerValidator([1n, 0, MIN_SELF_STAKE], { account: v1 }),
          staking,
          'Staking__ValidatorWipedOut',
          [getAddress(v1.address)],
        );
        await advance();
        const d = await staking.read.delegationOf([v1.address, alice.address]);
        assert.equal(d.bondedTokens, 1000n * MOLT);
      });
    });

    describe('with an identity lookup whose identities change wallets', () => {
      // The IdentityRegistry of this issue never moves an identity to another wallet; a later
      // registry (recovery, §5.4 resolution) may. IdentityLookupForTests can, so these rules run.
      async function deployWithDouble() {
        const token = await viem.deployContract('MoltToken', [admin.address]);
        await token.write.grantRole([MINTER_ROLE, admin.address]);
        const identity = await viem.deployContract('IdentityLookupForTests');
        const staking = await viem.deployContract('Staking', [
          token.address,
          identity.address,
          admin.address,
          100,
          200,
          UNBONDING_EPOCHS,
        ]);
        for (const who of [v1, v2]) {
          await token.write.mint([who.address, MIN_SELF_STAKE]);
          await token.write.approve([staking.address, MIN_SELF_STAKE], { account: who });
        }
        await identity.write.setIdentity([v1.address, 7n, true]);
        await staking.write.registerValidator([7n, 0, MIN_SELF_STAKE], { account: v1 });
        return { identity, staking };
      }

      it('keeps one validator per identity, and lets anyone prune a validator without its identity', async () => {
        const { identity, staking } = await networkHelpers.loadFixture(deployWithDouble);
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.pruneCandidate([v1.address], { account: bob }),
          staking,
          'Staking__CandidateStillEligible',
          [getAddress(v1.address)],
        );
        // Identity 7 moves from v1's wallet to v2's.
        await identity.write.setIdentity([v2.address, 7n, true]);
        await viem.assertions.revertWithCustomErrorWithArgs(
          staking.write.registerValidator([7n, 0, MIN_SELF_STAKE], { account: v2 }),
          staking,
          'Staking__IdentityAlreadyValidator',
          [7n, getAddress(v1.address)],
        );
        await staking.write.pruneCandidate([v1.address], { account: bob });
        assert.equal(await staking.read.candidateCount(), 0n);
        // v1 comes back with another identity; identity 7 is then free for v2.
        await identity.write.setIdentity([v1.address, 8n, true]);
        await staking.write.registerValidator([8n, 0, 0n], { account: v1 });
        assert.equal((await staking.read.validatorInfo([v1.address])).identityId, 8n);
        await staking.write.registerValidator([7n, 0, MIN_SELF_STAKE], { account: v2 });
        assert.equal(await staking.read.candidateCount(), 2n);
      });
    });

    describe('reentrancy', () => {
      // The attacker is a contract, and the hooked token is not the registry's token, so these use
      // IdentityLookupForTests for its identity.
      async function deployHooked() {
        const token = await viem.deployContract('HookedTokenForTests');
        const identity = await viem.deployContract('IdentityLookupForTests');
        const staking = await viem.deployContract('Staking', [
          token.address,
          identity.address,
          admin.address,
          100,
          200,
          1,
        ]);
        await staking.write.grantRole([BEACON_ROLE, beacon.address]);
        const attacker = await viem.deployContract('StakingAttackerForTests');
        await identity.write.setIdentity([attacker.address, 1n, true]);
        await token.write.mint([attacker.address, 10n * MIN_SELF_STAKE]);
        const call = (target: Address, data: `0x${string}`) =>
          attacker.write.execute([target, data]);
        await call(
          token.address,
          encodeFunctionData({
            abi: token.abi,
            functionName: 'approve',
            args: [staking.address, 10n * MIN_SELF_STAKE],
          }),
        );
        await call(
          token.address,
          encodeFunctionData({ abi: token.abi, functionName: 'setHooked', args: [true] }),
        );
        return { token, staking, attacker, call };
      }

      it('refuses a reentrant withdraw from the receiver hook', async () => {
        const { staking, attacker, call, token } = await networkHelpers.loadFixture(deployHooked);
        const data = (functionName: string, args: unknown[]) =>
          encodeFunctionData({ abi: staking.abi, functionName, args } as never);
        await call(staking.address, data('registerValidator', [1n, 0, 2n * MIN_SELF_STAKE]));
        await staking.write.reportEpoch([await buildReport(staking)], { account: beacon });
        await call(staking.address, data('undelegate', [attacker.address, MIN_SELF_STAKE]));
        await staking.write.reportEpoch([await buildReport(staking)], { account: beacon });
        await attacker.write.setReentry([staking.address, data('withdraw', [1n])]);
        await call(staking.address, data('withdraw', [1n]));
        assert.equal(await attacker.read.attempts(), 1n);
        assert.equal(await attacker.read.lastSuccess(), false);
        assert.equal(
          await attacker.read.lastReturnData(),
          toFunctionSelector('ReentrancyGuardReentrantCall()'),
        );
        assert.equal(await token.read.balanceOf([staking.address]), MIN_SELF_STAKE);
        assert.equal(await staking.read.stakeHeld(), MIN_SELF_STAKE);
      });

      it('refuses a reentrant undelegate from the sender hook of a deposit', async () => {
        const { staking, attacker, call } = await networkHelpers.loadFixture(deployHooked);
        const data = (functionName: string, args: unknown[]) =>
          encodeFunctionData({ abi: staking.abi, functionName, args } as never);
        await call(staking.address, data('registerValidator', [1n, 0, MIN_SELF_STAKE]));
        await staking.write.reportEpoch([await buildReport(staking)], { account: beacon });
        await attacker.write.setReentry([
          staking.address,
          data('undelegate', [attacker.address, MIN_SELF_STAKE]),
        ]);
        await call(staking.address, data('delegate', [attacker.address, 5n * MOLT]));
        assert.equal(await attacker.read.lastSuccess(), false);
        assert.equal(
          await attacker.read.lastReturnData(),
          toFunctionSelector('ReentrancyGuardReentrantCall()'),
        );
        assert.equal(
          (await staking.read.delegationOf([attacker.address, attacker.address])).shares,
          MIN_SELF_STAKE,
        );
      });
    });
  });
}
