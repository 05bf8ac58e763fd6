// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IStaking} from "../../../contracts/interfaces/IStaking.sol";
import {IMoltToken} from "../../../contracts/interfaces/IMoltToken.sol";
import {MoltRoles} from "../../../contracts/libraries/MoltRoles.sol";
import {IdentityLookupForTests} from "../../../contracts/staking/mocks/IdentityLookupForTests.sol";
import {Staking} from "../../../contracts/staking/Staking.sol";
import {Test} from "../utils/Test.sol";
import {
    COMMITTEE_SIZE,
    MAX_CANDIDATES,
    MAX_COMMISSION_BPS,
    MAX_VALIDATORS,
    MIN_SELF_STAKE,
    MOLT,
    ReportBuilder,
    SCALE,
    StakingFixture,
    UNBONDING_EPOCHS
} from "./StakingFixture.sol";

contract StakingTest is Test, StakingFixture {
    address private v1 = address(0x1001);
    address private v2 = address(0x1002);
    address private v3 = address(0x1003);
    address private alice = address(0xA11CE);
    address private bob = address(0xB0B);

    function setUp() public {
        _deployStaking();
    }

    // ----------------------------------------------------------------- constructor and parameters

    function test_constructor_setsParametersAndRoles() public view {
        assertEq(address(staking.token()), address(token));
        assertEq(address(staking.identityRegistry()), address(identity));
        assertEq(staking.currentEpoch(), 0);
        assertEq(staking.maxValidators(), MAX_VALIDATORS);
        assertEq(staking.committeeSize(), COMMITTEE_SIZE);
        assertEq(staking.unbondingEpochs(), UNBONDING_EPOCHS);
        assertEq(staking.shardCount(), 1);
        assertEq(staking.candidateCount(), 0);
        assertEq(staking.validatorSet().length, 0);
        assertTrue(staking.hasRole(staking.DEFAULT_ADMIN_ROLE(), admin));
        assertTrue(staking.hasRole(MoltRoles.BEACON_ROLE, beacon));
        assertTrue(staking.hasRole(MoltRoles.GOVERNANCE_ROLE, governance));
    }

    function test_constructor_revertsOnZeroAddress() public {
        IMoltToken molt = IMoltToken(address(token));
        vm.expectRevert(IStaking.Staking__ZeroAddress.selector);
        new Staking(IMoltToken(address(0)), identity, admin, 100, 200, 7);
        vm.expectRevert(IStaking.Staking__ZeroAddress.selector);
        new Staking(molt, IdentityLookupForTests(address(0)), admin, 100, 200, 7);
        vm.expectRevert(IStaking.Staking__ZeroAddress.selector);
        new Staking(molt, identity, address(0), 100, 200, 7);
    }

    function testFuzz_setMaxValidators_acceptsOnly100To150(uint16 value) public {
        if (value < 100 || value > 150) {
            vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__MaxValidatorsOutOfRange.selector, value));
        } else {
            vm.expectEmit(true, true, true, true, address(staking));
            emit IStaking.MaxValidatorsSet(value);
        }
        vm.prank(governance);
        staking.setMaxValidators(value);
        assertEq(staking.maxValidators(), value < 100 || value > 150 ? MAX_VALIDATORS : value);
    }

    function testFuzz_setCommitteeSize_acceptsOnly1To200(uint16 value) public {
        bool ok = value >= 1 && value <= 200;
        if (!ok) vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__CommitteeSizeOutOfRange.selector, value));
        vm.prank(governance);
        staking.setCommitteeSize(value);
        assertEq(staking.committeeSize(), ok ? value : COMMITTEE_SIZE);
    }

    function testFuzz_setUnbondingEpochs_acceptsOnly1To30(uint16 value) public {
        bool ok = value >= 1 && value <= 30;
        if (!ok) vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__UnbondingEpochsOutOfRange.selector, value));
        vm.prank(governance);
        staking.setUnbondingEpochs(value);
        assertEq(staking.unbondingEpochs(), ok ? value : UNBONDING_EPOCHS);
    }

    function testFuzz_constructor_revertsOnParametersOutOfRange(uint16 maxV, uint16 committee, uint16 unbonding)
        public
    {
        IMoltToken molt = IMoltToken(address(token));
        if (maxV < 100 || maxV > 150) {
            vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__MaxValidatorsOutOfRange.selector, maxV));
        } else if (committee == 0 || committee > 200) {
            vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__CommitteeSizeOutOfRange.selector, committee));
        } else if (unbonding == 0 || unbonding > 30) {
            vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__UnbondingEpochsOutOfRange.selector, unbonding));
        }
        Staking deployed = new Staking(molt, identity, admin, maxV, committee, unbonding);
        if (maxV >= 100 && maxV <= 150 && committee >= 1 && committee <= 200 && unbonding >= 1 && unbonding <= 30) {
            assertEq(deployed.maxValidators(), maxV);
        }
    }

    function test_parameterSetters_requireGovernance() public {
        bytes memory err = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector, beacon, MoltRoles.GOVERNANCE_ROLE
        );
        vm.startPrank(beacon);
        vm.expectRevert(err);
        staking.setMaxValidators(120);
        vm.expectRevert(err);
        staking.setCommitteeSize(50);
        vm.expectRevert(err);
        staking.setUnbondingEpochs(3);
        vm.stopPrank();
    }

    // ----------------------------------------------------------------- registration

    function test_registerValidator_registersWithPendingSelfStake() public {
        identity.setIdentity(v1, 7, true);
        _fund(v1, MIN_SELF_STAKE);
        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.ValidatorRegistered(v1, 7, 500);
        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.Delegated(v1, v1, MIN_SELF_STAKE, 1);
        vm.prank(v1);
        staking.registerValidator(7, 500, MIN_SELF_STAKE);

        IStaking.ValidatorInfo memory info = staking.validatorInfo(v1);
        assertEq(info.identityId, 7);
        assertTrue(info.registered && info.candidate && !info.wipedOut);
        assertEq(info.commissionBps, 500);
        assertEq(staking.candidateCount(), 1);
        assertEq(staking.candidates()[0], v1);
        // Pending this epoch: no election stake, no shares yet.
        assertEq(staking.electionStake(v1), 0);
        assertEq(staking.selfStake(v1), 0);
        assertEq(staking.delegationOf(v1, v1).pendingTokens, MIN_SELF_STAKE);
        assertEq(staking.stakeHeld(), MIN_SELF_STAKE);
        assertEq(token.balanceOf(address(staking)), MIN_SELF_STAKE);
    }

    function test_registerValidator_revertsWithoutActiveIdentity() public {
        _fund(v1, MIN_SELF_STAKE);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__NotIdentityOwner.selector, 0, v1));
        vm.prank(v1);
        staking.registerValidator(0, 0, MIN_SELF_STAKE);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__NotIdentityOwner.selector, 9, v1));
        vm.prank(v1);
        staking.registerValidator(9, 0, MIN_SELF_STAKE);

        identity.setIdentity(v1, 9, false);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__IdentityNotActive.selector, 9));
        vm.prank(v1);
        staking.registerValidator(9, 0, MIN_SELF_STAKE);
        assertEq(staking.candidateCount(), 0);
    }

    /// @dev A wallet registers only with an identity it owns, whatever identity it names.
    function testFuzz_registerValidator_onlyWithAnIdentityTheCallerOwns(address owner, uint256 id, bool active) public {
        vm.assume(owner != v1);
        id = bound(id, 1, type(uint64).max - 1);
        identity.setIdentity(owner, id, active);
        _fund(v1, MIN_SELF_STAKE);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__NotIdentityOwner.selector, id, v1));
        vm.prank(v1);
        staking.registerValidator(id, 0, MIN_SELF_STAKE);

        // The caller's own identity (a wallet may hold several): accepted.
        identity.setIdentity(v1, id + 1, true);
        vm.prank(v1);
        staking.registerValidator(id + 1, 0, MIN_SELF_STAKE);
        assertEq(staking.validatorInfo(v1).identityId, id + 1);
    }

    function test_registerValidator_oneValidatorPerIdentity() public {
        uint256 id = _register(v1, 0, MIN_SELF_STAKE);
        // The identity moves to another wallet, which tries to register it again.
        identity.setIdentity(v2, id, true);
        _fund(v2, MIN_SELF_STAKE);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__IdentityAlreadyValidator.selector, id, v1));
        vm.prank(v2);
        staking.registerValidator(id, 0, MIN_SELF_STAKE);
    }

    function test_registerValidator_revertsWhenAlreadyCandidate() public {
        uint256 id = _register(v1, 0, MIN_SELF_STAKE);
        _fund(v1, MIN_SELF_STAKE);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__AlreadyCandidate.selector, v1));
        vm.prank(v1);
        staking.registerValidator(id, 0, MIN_SELF_STAKE);
    }

    function testFuzz_registerValidator_boundsCommission(uint16 commission) public {
        identity.setIdentity(v1, 1, true);
        _fund(v1, MIN_SELF_STAKE);
        if (commission > MAX_COMMISSION_BPS) {
            vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__CommissionTooHigh.selector, commission));
        }
        vm.prank(v1);
        staking.registerValidator(1, commission, MIN_SELF_STAKE);
        assertEq(staking.candidateCount(), commission > MAX_COMMISSION_BPS ? 0 : 1);
    }

    function testFuzz_registerValidator_requiresMinimumSelfStake(uint256 amount) public {
        amount = bound(amount, 0, 2 * MIN_SELF_STAKE);
        identity.setIdentity(v1, 1, true);
        _fund(v1, amount);
        if (amount < MIN_SELF_STAKE) {
            vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__SelfStakeTooLow.selector, amount));
        }
        vm.prank(v1);
        staking.registerValidator(1, 0, amount);
        assertEq(token.balanceOf(address(staking)), amount < MIN_SELF_STAKE ? 0 : amount);
    }

    function test_registerValidator_boundsTheCandidateSet() public {
        for (uint256 i = 0; i < MAX_CANDIDATES; ++i) {
            _register(address(uint160(0x10000 + i)), 0, MIN_SELF_STAKE);
        }
        assertEq(staking.candidateCount(), MAX_CANDIDATES);
        identity.setIdentity(v1, 999_999, true);
        _fund(v1, MIN_SELF_STAKE);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__CandidateSetFull.selector, MAX_CANDIDATES));
        vm.prank(v1);
        staking.registerValidator(999_999, 0, MIN_SELF_STAKE);

        // Leaving frees a place.
        vm.prank(address(uint160(0x10000)));
        staking.deregisterValidator();
        vm.prank(v1);
        staking.registerValidator(999_999, 0, MIN_SELF_STAKE);
        assertEq(staking.candidateCount(), MAX_CANDIDATES);
    }

    function test_deregisterValidator_leavesAndMayReturn() public {
        uint256 id = _register(v1, 100, MIN_SELF_STAKE);
        _register(v2, 0, MIN_SELF_STAKE);
        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.CandidateRemoved(v1, v1);
        vm.prank(v1);
        staking.deregisterValidator();
        assertEq(staking.candidateCount(), 1);
        assertEq(staking.candidates()[0], v2);
        assertFalse(staking.validatorInfo(v1).candidate);

        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__NotCandidate.selector, v1));
        vm.prank(v1);
        staking.deregisterValidator();
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__NotCandidate.selector, v1));
        vm.prank(alice);
        staking.delegate(v1, 1);

        // It returns with the stake already in its pool; the new commission waits an epoch.
        vm.prank(v1);
        staking.registerValidator(id, 200, 0);
        IStaking.ValidatorInfo memory info = staking.validatorInfo(v1);
        assertTrue(info.candidate);
        assertEq(info.commissionBps, 100);
        assertEq(info.nextCommissionBps, 200);
        assertEq(info.commissionEpoch, 1);
    }

    function test_pruneCandidate_removesOnlyIneligibleCandidates() public {
        uint256 id1 = _register(v1, 0, MIN_SELF_STAKE);
        uint256 id2 = _register(v2, 0, MIN_SELF_STAKE);
        _register(v3, 0, MIN_SELF_STAKE);

        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__CandidateStillEligible.selector, v1));
        staking.pruneCandidate(v1);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__NotCandidate.selector, alice));
        staking.pruneCandidate(alice);

        identity.setActive(id1, false); // frozen (§5.4)
        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.CandidateRemoved(v1, alice);
        vm.prank(alice);
        staking.pruneCandidate(v1);

        identity.setIdentity(bob, id2, true); // v2 no longer holds its identity
        staking.pruneCandidate(v2);

        // v3 takes its self-stake out.
        _advance();
        uint256 shares = _shares(v3, v3);
        vm.prank(v3);
        staking.undelegate(v3, shares / 2);
        staking.pruneCandidate(v3);
        assertEq(staking.candidateCount(), 0);
    }

    // ----------------------------------------------------------------- commission

    function test_setCommission_appliesFromNextEpoch() public {
        _register(v1, 1000, MIN_SELF_STAKE);
        _delegate(alice, v1, 3 * MIN_SELF_STAKE);
        _advance(); // epoch 1: stake bonded
        _advance(); // epoch 2: v1 seated
        assertEq(staking.validatorSet().length, 1);

        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.CommissionChangeScheduled(v1, 2000, 3);
        vm.prank(v1);
        staking.setCommission(2000);
        assertEq(staking.validatorInfo(v1).commissionBps, 1000);

        // Epoch 2's rewards are split at 10 %.
        _notify(1000 * MOLT);
        _advance();
        assertEq(staking.delegationOf(v1, alice).claimableRewards, 675 * MOLT); // 90 % × 3/4
        assertEq(staking.delegationOf(v1, v1).claimableRewards, 325 * MOLT); // 100 + 90 % × 1/4
        assertEq(staking.validatorInfo(v1).commissionBps, 2000);

        // Epoch 3's at 20 %.
        _notify(1000 * MOLT);
        _advance();
        assertEq(staking.delegationOf(v1, alice).claimableRewards, 675 * MOLT + 600 * MOLT);
    }

    function testFuzz_setCommission_isBounded(uint16 commission) public {
        _register(v1, 0, MIN_SELF_STAKE);
        if (commission > MAX_COMMISSION_BPS) {
            vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__CommissionTooHigh.selector, commission));
        }
        vm.prank(v1);
        staking.setCommission(commission);
        assertEq(staking.validatorInfo(v1).nextCommissionBps, commission > MAX_COMMISSION_BPS ? 0 : commission);
    }

    function test_setCommission_revertsForUnknownValidator() public {
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__UnknownValidator.selector, alice));
        vm.prank(alice);
        staking.setCommission(1);
    }

    // ----------------------------------------------------------------- delegation

    function test_delegate_isPendingUntilTheNextEpoch() public {
        _register(v1, 0, MIN_SELF_STAKE);
        _delegate(alice, v1, 500 * MOLT);
        IStaking.DelegationInfo memory d = staking.delegationOf(v1, alice);
        assertEq(d.shares, 0);
        assertEq(d.pendingTokens, 500 * MOLT);
        assertEq(staking.electionStake(v1), 0);

        _advance();
        d = staking.delegationOf(v1, alice);
        assertEq(d.shares, 500 * MOLT); // first batch: one share per micromolt
        assertEq(d.bondedTokens, 500 * MOLT);
        assertEq(d.pendingTokens, 0);
        assertEq(staking.electionStake(v1), MIN_SELF_STAKE + 500 * MOLT);

        // The conversion is written on the next touch, with an event.
        _fund(alice, 1);
        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.DelegationBonded(v1, alice, 0, 500 * MOLT, 500 * MOLT);
        vm.prank(alice);
        staking.delegate(v1, 1);
    }

    function test_delegate_revertsOnBadInput() public {
        _register(v1, 0, MIN_SELF_STAKE);
        _fund(alice, MOLT);
        vm.startPrank(alice);
        vm.expectRevert(IStaking.Staking__ZeroAmount.selector);
        staking.delegate(v1, 0);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__NotCandidate.selector, v2));
        staking.delegate(v2, MOLT);
        vm.stopPrank();
        assertEq(token.balanceOf(alice), MOLT);
    }

    function testFuzz_delegate_laterDepositsNeverDiluteEarlierOnes(uint256 first, uint256 second, uint16 slashBps)
        public
    {
        first = bound(first, 1, 4e8 * MOLT);
        second = bound(second, 1, 4e8 * MOLT);
        slashBps = uint16(bound(slashBps, 1, 9_999));
        _register(v1, 0, MIN_SELF_STAKE);
        _delegate(alice, v1, first);
        _advance();
        vm.prank(beacon);
        staking.slash(v1, slashBps, IStaking.SlashReason.DoubleSigning, keccak256("ev"));
        uint256 aliceBefore = staking.delegationOf(v1, alice).bondedTokens;

        _delegate(bob, v1, second);
        _advance();

        assertGe(staking.delegationOf(v1, alice).bondedTokens, aliceBefore);
        assertLe(staking.delegationOf(v1, bob).bondedTokens, second);
    }

    // ----------------------------------------------------------------- undelegation and withdrawal

    function test_undelegate_unbondsAndWithdrawsAfterTheDelay() public {
        _register(v1, 0, MIN_SELF_STAKE);
        _delegate(alice, v1, 1000 * MOLT);
        _advance();

        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.Undelegated(v1, alice, 1, 400 * MOLT, 400 * MOLT, 1 + UNBONDING_EPOCHS);
        vm.prank(alice);
        (uint256 id, uint256 tokens) = staking.undelegate(v1, 400 * MOLT);
        assertEq(id, 1);
        assertEq(tokens, 400 * MOLT);
        assertEq(staking.delegationOf(v1, alice).shares, 600 * MOLT);
        assertEq(staking.electionStake(v1), MIN_SELF_STAKE + 600 * MOLT);
        IStaking.UnbondingInfo memory entry = staking.unbondingOf(id);
        assertEq(entry.owner, alice);
        assertEq(entry.validator, v1);
        assertEq(entry.releaseEpoch, 1 + UNBONDING_EPOCHS);
        assertEq(entry.tokens, 400 * MOLT);

        for (uint256 e = 1; e < 1 + UNBONDING_EPOCHS; ++e) {
            vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__StillUnbonding.selector, id, 1 + UNBONDING_EPOCHS));
            vm.prank(alice);
            staking.withdraw(id);
            _advance();
        }
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__NotUnbondingOwner.selector, id));
        vm.prank(bob);
        staking.withdraw(id);

        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.Withdrawn(id, alice, v1, 400 * MOLT);
        vm.prank(alice);
        assertEq(staking.withdraw(id), 400 * MOLT);
        assertEq(token.balanceOf(alice), 400 * MOLT);
        assertEq(staking.stakeHeld(), MIN_SELF_STAKE + 600 * MOLT);

        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__NotUnbondingOwner.selector, id));
        vm.prank(alice);
        staking.withdraw(id);
    }

    function test_undelegate_revertsOnBadInput() public {
        _register(v1, 0, MIN_SELF_STAKE);
        _delegate(alice, v1, 1000 * MOLT);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__UnknownValidator.selector, v2));
        staking.undelegate(v2, 1);
        vm.expectRevert(IStaking.Staking__ZeroAmount.selector);
        staking.undelegate(v1, 0);
        // Pending deposits are not shares yet.
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__InsufficientShares.selector, 0, 1));
        staking.undelegate(v1, 1);
        vm.stopPrank();
        _advance();
        vm.expectRevert(
            abi.encodeWithSelector(IStaking.Staking__InsufficientShares.selector, 1000 * MOLT, 1000 * MOLT + 1)
        );
        vm.prank(alice);
        staking.undelegate(v1, 1000 * MOLT + 1);
    }

    function testFuzz_undelegate_roundTripNeverPaysMore(uint256 amount, uint256 part, uint16 bps) public {
        amount = bound(amount, 1, 9e8 * MOLT);
        vm.prank(governance);
        staking.setUnbondingEpochs(1); // one report to release, keeps 10,000 runs cheap
        _register(v1, 0, MIN_SELF_STAKE);
        _delegate(alice, v1, amount);
        _advance();
        bps = uint16(bound(bps, 0, 10_000));
        if (bps != 0) {
            vm.prank(governance);
            staking.slash(v1, bps, IStaking.SlashReason.Governance, keccak256("gov"));
        }
        uint256 shares = _shares(v1, alice);
        part = bound(part, 1, shares);
        uint256 value = staking.delegationOf(v1, alice).bondedTokens;
        vm.prank(alice);
        try staking.undelegate(v1, part) returns (uint256 id, uint256 tokens) {
            assertLe(tokens, value);
            _advance();
            vm.prank(alice);
            uint256 paid = staking.withdraw(id);
            assertLe(paid, tokens);
            assertLe(paid, amount);
        } catch (bytes memory reason) {
            // Only shares worth nothing may be refused.
            assertEq(keccak256(reason), keccak256(abi.encodeWithSelector(IStaking.Staking__ZeroAmount.selector)));
        }
    }

    // ----------------------------------------------------------------- rewards

    function test_notifyRewards_requiresTokensReceived() public {
        vm.expectRevert(IStaking.Staking__ZeroAmount.selector);
        staking.notifyRewards(0);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__RewardsNotReceived.selector, 1, 0));
        staking.notifyRewards(1);

        // Stake is accounted, so it cannot be notified as rewards.
        _register(v1, 0, MIN_SELF_STAKE);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__RewardsNotReceived.selector, 1, 0));
        staking.notifyFeeRewards(1);

        vm.prank(minter);
        token.mint(address(staking), 50);
        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.RewardsNotified(IStaking.RewardSource.Fees, address(this), 20, 0);
        staking.notifyFeeRewards(20);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__RewardsNotReceived.selector, 31, 30));
        staking.notifyRewards(31);
        staking.notifyRewards(30);
        assertEq(staking.epochRewards(), 50);
        assertEq(staking.rewardsHeld(), 50);
    }

    function test_rewards_areSharedByWeightThenByShares() public {
        _register(v1, 1000, MIN_SELF_STAKE); // 10 % commission
        _register(v2, 0, MIN_SELF_STAKE);
        _delegate(alice, v1, MIN_SELF_STAKE); // v1: 20k, v2: 10k... then bob on v2
        _delegate(bob, v2, 2 * MIN_SELF_STAKE); // v2: 30k
        _advance(); // epoch 1: bonded, no seats yet
        _notify(999 * MOLT); // no seats in epoch 1: carried over
        _advance(); // epoch 2: seats v1 (20k) and v2 (30k)
        assertEq(staking.epochRewards(), 999 * MOLT);
        assertEq(staking.totalWeight(), 50_000 * MOLT * SCALE * SCALE);

        _notify(1 * MOLT);
        // Seats are paid in rank order: v2 (30k) first.
        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.ValidatorRewarded(2, v2, 600 * MOLT, 0);
        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.ValidatorRewarded(2, v1, 400 * MOLT, 40 * MOLT);
        _advance();

        assertEq(staking.delegationOf(v1, v1).claimableRewards, 40 * MOLT + 180 * MOLT);
        assertEq(staking.delegationOf(v1, alice).claimableRewards, 180 * MOLT);
        assertEq(staking.delegationOf(v2, v2).claimableRewards, 200 * MOLT);
        assertEq(staking.delegationOf(v2, bob).claimableRewards, 400 * MOLT);

        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.RewardsClaimed(v2, bob, 400 * MOLT);
        vm.prank(bob);
        assertEq(staking.claimRewards(v2), 400 * MOLT);
        assertEq(token.balanceOf(bob), 400 * MOLT);
        vm.expectRevert(IStaking.Staking__NothingToClaim.selector);
        vm.prank(bob);
        staking.claimRewards(v2);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__UnknownValidator.selector, v3));
        vm.prank(bob);
        staking.claimRewards(v3);
        assertEq(staking.rewardsHeld(), 600 * MOLT);
    }

    function test_rewards_depositOfTheClosingEpochEarnsNothing() public {
        _register(v1, 0, MIN_SELF_STAKE);
        _advance();
        _advance(); // v1 seated with its 10k
        _notify(100 * MOLT);
        // A big deposit in the last block before the report takes none of the epoch's rewards.
        _delegate(alice, v1, 1_000_000 * MOLT);
        _advance();
        assertEq(staking.delegationOf(v1, alice).claimableRewards, 0);
        assertEq(staking.delegationOf(v1, v1).claimableRewards, 100 * MOLT);
        // It earns from the next epoch on.
        _notify(100 * MOLT);
        _advance();
        assertGt(staking.delegationOf(v1, alice).claimableRewards, 98 * MOLT);
    }

    function testFuzz_rewards_neverPayMoreThanThePot(uint256 pot, uint256 s1, uint256 s2, uint16 c1) public {
        pot = bound(pot, 1, 5e8 * MOLT);
        s1 = bound(s1, 0, 1e8 * MOLT);
        s2 = bound(s2, 0, 1e8 * MOLT);
        c1 = uint16(bound(c1, 0, MAX_COMMISSION_BPS));
        _register(v1, c1, MIN_SELF_STAKE);
        _register(v2, 0, MIN_SELF_STAKE);
        if (s1 != 0) _delegate(alice, v1, s1);
        if (s2 != 0) _delegate(bob, v2, s2);
        _advance();
        _advance();
        _notify(pot);
        _advance();
        uint256 sum = staking.delegationOf(v1, v1).claimableRewards + staking.delegationOf(v1, alice).claimableRewards
            + staking.delegationOf(v2, v2).claimableRewards + staking.delegationOf(v2, bob).claimableRewards;
        assertLe(sum + staking.epochRewards(), pot);
        assertLe(pot - sum - staking.epochRewards(), 8); // rounding dust only
        assertEq(staking.rewardsHeld(), pot);
    }

    // ----------------------------------------------------------------- slashing

    function test_slash_burnsProportionallyFromBondedAndUnbonding() public {
        _register(v1, 0, MIN_SELF_STAKE);
        _delegate(alice, v1, 30_000 * MOLT);
        _advance();
        vm.prank(alice);
        (uint256 id,) = staking.undelegate(v1, 10_000 * MOLT);
        _delegate(bob, v1, 5_000 * MOLT); // pending: not slashed
        uint256 supply = token.totalSupply();

        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.ValidatorSlashed(
            v1, IStaking.SlashReason.DoubleSigning, 1000, 3_000 * MOLT, 1_000 * MOLT, keccak256("double-sign")
        );
        vm.prank(beacon);
        uint256 burned = staking.slash(v1, 1000, IStaking.SlashReason.DoubleSigning, keccak256("double-sign"));

        assertEq(burned, 4_000 * MOLT);
        assertEq(token.totalSupply(), supply - 4_000 * MOLT);
        assertEq(staking.delegationOf(v1, v1).bondedTokens, 9_000 * MOLT);
        assertEq(staking.delegationOf(v1, alice).bondedTokens, 18_000 * MOLT);
        assertEq(staking.unbondingOf(id).tokens, 9_000 * MOLT);
        assertEq(staking.delegationOf(v1, bob).pendingTokens, 5_000 * MOLT);
        assertEq(staking.stakeHeld(), 9_000 * MOLT + 18_000 * MOLT + 9_000 * MOLT + 5_000 * MOLT);
        assertEq(token.balanceOf(address(staking)), staking.stakeHeld());
    }

    function test_slash_checksRoleForReason() public {
        _register(v1, 0, MIN_SELF_STAKE);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, beacon, MoltRoles.GOVERNANCE_ROLE
            )
        );
        vm.prank(beacon);
        staking.slash(v1, 1, IStaking.SlashReason.Governance, keccak256("a"));
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, governance, MoltRoles.BEACON_ROLE
            )
        );
        vm.prank(governance);
        staking.slash(v1, 1, IStaking.SlashReason.ForcedInclusionFailure, keccak256("a"));
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, alice, MoltRoles.BEACON_ROLE
            )
        );
        vm.prank(alice);
        staking.slash(v1, 1, IStaking.SlashReason.DoubleSigning, keccak256("a"));

        vm.prank(beacon);
        staking.slash(v1, 1, IStaking.SlashReason.ForcedInclusionFailure, keccak256("a"));
        vm.prank(governance);
        staking.slash(v1, 1, IStaking.SlashReason.Governance, keccak256("b"));
    }

    function test_slash_revertsOnBadInput() public {
        _register(v1, 0, MIN_SELF_STAKE);
        vm.startPrank(beacon);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__UnknownValidator.selector, alice));
        staking.slash(alice, 100, IStaking.SlashReason.DoubleSigning, keccak256("e"));
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__SlashBpsOutOfRange.selector, 0));
        staking.slash(v1, 0, IStaking.SlashReason.DoubleSigning, keccak256("e"));
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__SlashBpsOutOfRange.selector, 10_001));
        staking.slash(v1, 10_001, IStaking.SlashReason.DoubleSigning, keccak256("e"));
        vm.expectRevert(IStaking.Staking__ZeroEvidence.selector);
        staking.slash(v1, 100, IStaking.SlashReason.DoubleSigning, bytes32(0));
        staking.slash(v1, 100, IStaking.SlashReason.DoubleSigning, keccak256("e"));
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__EvidenceAlreadyUsed.selector, keccak256("e")));
        staking.slash(v1, 100, IStaking.SlashReason.DoubleSigning, keccak256("e"));
        vm.stopPrank();
    }

    function test_slash_seatedValidatorForfeitsTheEpochsRewards() public {
        _register(v1, 0, MIN_SELF_STAKE);
        _register(v2, 0, MIN_SELF_STAKE);
        _advance();
        _advance();
        _notify(100 * MOLT);
        vm.prank(beacon);
        staking.slash(v1, 500, IStaking.SlashReason.DoubleSigning, keccak256("x"));
        (bool seated, IStaking.Seat memory seat) = staking.seatOf(v1);
        assertTrue(seated);
        assertEq(seat.weight, 0);
        _advance();
        assertEq(staking.delegationOf(v1, v1).claimableRewards, 0);
        assertEq(staking.delegationOf(v2, v2).claimableRewards, 100 * MOLT);
    }

    function test_slash_fullSlashWipesTheValidatorOut() public {
        _register(v1, 0, MIN_SELF_STAKE);
        _advance();
        _delegate(alice, v1, 1000 * MOLT); // pending while the validator is wiped out
        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.ValidatorWipedOut(v1);
        vm.prank(governance);
        staking.slash(v1, 10_000, IStaking.SlashReason.Governance, keccak256("retire"));

        assertTrue(staking.validatorInfo(v1).wipedOut);
        assertEq(staking.candidateCount(), 0);
        assertEq(staking.delegationOf(v1, v1).bondedTokens, 0);
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__ValidatorWipedOut.selector, v1));
        vm.prank(alice);
        staking.delegate(v1, 1);
        _fund(v1, MIN_SELF_STAKE);
        uint256 identityId = staking.validatorInfo(v1).identityId;
        vm.expectRevert(abi.encodeWithSelector(IStaking.Staking__ValidatorWipedOut.selector, v1));
        vm.prank(v1);
        staking.registerValidator(identityId, 0, MIN_SELF_STAKE);

        // The pending deposit was not slashed, bonds next epoch and can leave whole.
        _advance();
        IStaking.DelegationInfo memory d = staking.delegationOf(v1, alice);
        assertEq(d.bondedTokens, 1000 * MOLT);
        vm.prank(alice);
        (uint256 id, uint256 tokens) = staking.undelegate(v1, d.shares);
        assertEq(tokens, 1000 * MOLT);
        for (uint256 i = 0; i < UNBONDING_EPOCHS; ++i) {
            _advance();
        }
        vm.prank(alice);
        assertEq(staking.withdraw(id), 1000 * MOLT);
    }

    function testFuzz_slash_hitsEveryoneInProportion(uint256 a, uint256 b, uint256 out, uint16 bps) public {
        a = bound(a, 1, 1e8 * MOLT);
        b = bound(b, 1, 1e8 * MOLT);
        bps = uint16(bound(bps, 1, 10_000));
        _register(v1, 0, MIN_SELF_STAKE);
        _delegate(alice, v1, a);
        _delegate(bob, v1, b);
        _advance();
        out = bound(out, 0, _shares(v1, bob));
        uint256 id;
        uint256 unbonding;
        if (out != 0) {
            vm.prank(bob);
            (id, unbonding) = staking.undelegate(v1, out);
        }
        uint256 aliceBefore = staking.delegationOf(v1, alice).bondedTokens;
        uint256 bobBefore = staking.delegationOf(v1, bob).bondedTokens;

        vm.prank(beacon);
        staking.slash(v1, bps, IStaking.SlashReason.DoubleSigning, keccak256("ev"));

        _assertScaled(staking.delegationOf(v1, alice).bondedTokens, aliceBefore, bps);
        _assertScaled(staking.delegationOf(v1, bob).bondedTokens, bobBefore, bps);
        if (out != 0) _assertScaled(staking.unbondingOf(id).tokens, unbonding, bps);
        assertEq(token.balanceOf(address(staking)), staking.stakeHeld());
    }

    /// @dev `afterSlash` is `before × (1 - bps/10^4)` within the pool's rounding (2 micromolt).
    function _assertScaled(uint256 afterSlash, uint256 before, uint256 bps) private pure {
        uint256 expected = before * (10_000 - bps) / 10_000;
        assertLe(afterSlash, expected + 2);
        assertGe(afterSlash + 2, expected);
    }

    function test_reportEpoch_requiresBeaconRole() public {
        IStaking.EpochReport memory report = ReportBuilder.uniform(staking, 1, 1, bytes32(0), 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, alice, MoltRoles.BEACON_ROLE
            )
        );
        vm.prank(alice);
        staking.reportEpoch(report);
    }
}
