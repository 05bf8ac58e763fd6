// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IStaking} from "../../../contracts/interfaces/IStaking.sol";
import {IMoltToken} from "../../../contracts/interfaces/IMoltToken.sol";
import {MoltRoles} from "../../../contracts/libraries/MoltRoles.sol";
import {HookedTokenForTests} from "../../../contracts/staking/mocks/HookedTokenForTests.sol";
import {IdentityLookupForTests} from "../../../contracts/staking/mocks/IdentityLookupForTests.sol";
import {StakingAttackerForTests} from "../../../contracts/staking/mocks/StakingAttackerForTests.sol";
import {Staking} from "../../../contracts/staking/Staking.sol";
import {Test} from "../utils/Test.sol";
import {MIN_SELF_STAKE, MOLT, ReportBuilder, SCALE} from "./StakingFixture.sol";

/// @notice Staking on a token with ERC-777-style hooks: an attacker that gets control in the
///         middle of a transfer tries to call staking again, and must be refused.
contract StakingReentrancyTest is Test {
    HookedTokenForTests private token;
    IdentityLookupForTests private identity;
    Staking private staking;
    StakingAttackerForTests private attacker;
    address private admin = address(0xAD);
    address private beacon = address(0xBEAC0);

    function setUp() public {
        token = new HookedTokenForTests();
        identity = new IdentityLookupForTests();
        staking = new Staking(IMoltToken(address(token)), identity, admin, 100, 200, 1);
        vm.prank(admin);
        staking.grantRole(MoltRoles.BEACON_ROLE, beacon);
        attacker = new StakingAttackerForTests();
        identity.setIdentity(address(attacker), 1, true);
        token.mint(address(attacker), 100 * MIN_SELF_STAKE);
        _as(address(token), abi.encodeCall(token.approve, (address(staking), type(uint256).max)));
        _as(address(token), abi.encodeCall(token.setHooked, (true)));
    }

    function _as(address target, bytes memory data) private returns (bytes memory) {
        return attacker.execute(target, data);
    }

    function _advance() private {
        IStaking.EpochReport memory report =
            ReportBuilder.uniform(staking, uint64(SCALE), uint32(SCALE), bytes32(uint256(staking.currentEpoch())), 1);
        vm.prank(beacon);
        staking.reportEpoch(report);
    }

    function _assertReentryRefused() private view {
        assertEq(attacker.attempts(), 1);
        assertFalse(attacker.lastSuccess());
        assertEq(
            keccak256(attacker.lastReturnData()),
            keccak256(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector))
        );
    }

    function test_registerValidator_refusesReentryFromTheSendHook() public {
        attacker.setReentry(address(staking), abi.encodeCall(staking.delegate, (address(attacker), MOLT)));
        _as(address(staking), abi.encodeCall(staking.registerValidator, (1, 0, MIN_SELF_STAKE)));
        _assertReentryRefused();
        assertEq(staking.delegationOf(address(attacker), address(attacker)).pendingTokens, MIN_SELF_STAKE);
        assertEq(token.balanceOf(address(staking)), MIN_SELF_STAKE);
    }

    function test_delegate_refusesReentryFromTheSendHook() public {
        _as(address(staking), abi.encodeCall(staking.registerValidator, (1, 0, MIN_SELF_STAKE)));
        _advance();
        // Mid-deposit, try to undelegate the bonded stake.
        attacker.setReentry(address(staking), abi.encodeCall(staking.undelegate, (address(attacker), MIN_SELF_STAKE)));
        _as(address(staking), abi.encodeCall(staking.delegate, (address(attacker), 5 * MOLT)));
        _assertReentryRefused();
        assertEq(staking.delegationOf(address(attacker), address(attacker)).shares, MIN_SELF_STAKE);
        assertEq(staking.stakeHeld(), MIN_SELF_STAKE + 5 * MOLT);
    }

    function test_withdraw_refusesReentryFromTheReceiveHook() public {
        _as(address(staking), abi.encodeCall(staking.registerValidator, (1, 0, 2 * MIN_SELF_STAKE)));
        _advance();
        _as(address(staking), abi.encodeCall(staking.undelegate, (address(attacker), MIN_SELF_STAKE)));
        _advance(); // unbonding delay of 1 epoch
        attacker.setReentry(address(staking), abi.encodeCall(staking.withdraw, (1)));
        uint256 before = token.balanceOf(address(attacker));
        _as(address(staking), abi.encodeCall(staking.withdraw, (1)));
        _assertReentryRefused();
        assertEq(token.balanceOf(address(attacker)), before + MIN_SELF_STAKE);
        assertEq(staking.stakeHeld(), MIN_SELF_STAKE);
        assertEq(token.balanceOf(address(staking)), MIN_SELF_STAKE);
    }

    function test_claimRewards_refusesReentryFromTheReceiveHook() public {
        _as(address(staking), abi.encodeCall(staking.registerValidator, (1, 0, MIN_SELF_STAKE)));
        _advance();
        _advance();
        token.mint(address(staking), 100 * MOLT);
        staking.notifyRewards(100 * MOLT);
        _advance();
        attacker.setReentry(address(staking), abi.encodeCall(staking.claimRewards, (address(attacker))));
        uint256 before = token.balanceOf(address(attacker));
        _as(address(staking), abi.encodeCall(staking.claimRewards, (address(attacker))));
        _assertReentryRefused();
        assertEq(token.balanceOf(address(attacker)), before + 100 * MOLT);
        assertEq(staking.rewardsHeld(), 0);
    }

    function test_withdraw_reentryIntoNotifyCannotCountStakeAsRewards() public {
        _as(address(staking), abi.encodeCall(staking.registerValidator, (1, 0, 2 * MIN_SELF_STAKE)));
        _advance();
        _as(address(staking), abi.encodeCall(staking.undelegate, (address(attacker), MIN_SELF_STAKE)));
        _advance();
        attacker.setReentry(address(staking), abi.encodeCall(staking.notifyRewards, (1)));
        _as(address(staking), abi.encodeCall(staking.withdraw, (1)));
        _assertReentryRefused();
        assertEq(staking.rewardsHeld(), 0);
    }
}
