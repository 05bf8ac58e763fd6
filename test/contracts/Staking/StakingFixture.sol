// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IStaking} from "../../../contracts/interfaces/IStaking.sol";
import {IMoltToken} from "../../../contracts/interfaces/IMoltToken.sol";
import {MoltRoles} from "../../../contracts/libraries/MoltRoles.sol";
import {IdentityLookupForTests} from "../../../contracts/staking/mocks/IdentityLookupForTests.sol";
import {Staking} from "../../../contracts/staking/Staking.sol";
import {MoltToken} from "../../../contracts/token/MoltToken.sol";
import {TestBase} from "../utils/Test.sol";

// The numbers of §7.4, §8.2, §8.4, §11.6, written out here rather than read from MoltConstants so
// that a wrong constant fails these tests.
uint256 constant MOLT = 1e6;
uint256 constant MIN_SELF_STAKE = 10_000 * MOLT;
uint256 constant MAX_CANDIDATES = 300;
uint256 constant MAX_COMMISSION_BPS = 2_500;
uint256 constant SCALE = 1e6; // reputation 1.0 and uptime 100 %
uint16 constant MAX_VALIDATORS = 100;
uint16 constant COMMITTEE_SIZE = 200;
uint16 constant UNBONDING_EPOCHS = 7;

/// @notice Builds epoch reports the way the beacon must: every candidate once, by weight
///         descending then address ascending, weights read from `electionWeight`.
library ReportBuilder {
    /// @notice A report of every candidate with reputation `reputation` and uptime `uptime`.
    function uniform(IStaking staking, uint64 reputation, uint32 uptime, bytes32 randomness, uint16 shardCount)
        internal
        view
        returns (IStaking.EpochReport memory report)
    {
        address[] memory list = staking.candidates();
        uint64[] memory reputations = new uint64[](list.length);
        uint32[] memory uptimes = new uint32[](list.length);
        for (uint256 i = 0; i < list.length; ++i) {
            reputations[i] = reputation;
            uptimes[i] = uptime;
        }
        return sorted(staking, list, reputations, uptimes, randomness, shardCount);
    }

    /// @notice Sorts the given candidates (with their scores) into a valid report.
    function sorted(
        IStaking staking,
        address[] memory list,
        uint64[] memory reputations,
        uint32[] memory uptimes,
        bytes32 randomness,
        uint16 shardCount
    ) internal view returns (IStaking.EpochReport memory report) {
        uint256 n = list.length;
        uint256[] memory weights = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            weights[i] = staking.electionWeight(list[i], reputations[i], uptimes[i]);
        }
        // Insertion sort: test sets are small.
        for (uint256 i = 1; i < n; ++i) {
            uint256 j = i;
            while (j > 0 && _before(weights[j], list[j], weights[j - 1], list[j - 1])) {
                (weights[j], weights[j - 1]) = (weights[j - 1], weights[j]);
                (list[j], list[j - 1]) = (list[j - 1], list[j]);
                (reputations[j], reputations[j - 1]) = (reputations[j - 1], reputations[j]);
                (uptimes[j], uptimes[j - 1]) = (uptimes[j - 1], uptimes[j]);
                --j;
            }
        }
        report = IStaking.EpochReport({
            epoch: staking.currentEpoch(),
            randomness: randomness,
            shardCount: shardCount,
            candidates: list,
            reputations: reputations,
            uptimes: uptimes
        });
    }

    function _before(uint256 wa, address a, uint256 wb, address b) private pure returns (bool) {
        return wa > wb || (wa == wb && a < b);
    }
}

/// @notice Deploys $MOLT, the identity double and Staking, and offers the steps every staking
///         test needs. No public functions, so handlers can inherit it too.
abstract contract StakingFixture is TestBase {
    MoltToken internal token;
    IdentityLookupForTests internal identity;
    Staking internal staking;

    address internal admin = address(0xAD);
    address internal beacon = address(0xBEAC0);
    address internal governance = address(0x60F);
    address internal minter = address(0x1117);
    uint256 private _nextIdentity = 1;

    function _deployStaking() internal {
        token = new MoltToken(admin);
        identity = new IdentityLookupForTests();
        staking =
            new Staking(IMoltToken(address(token)), identity, admin, MAX_VALIDATORS, COMMITTEE_SIZE, UNBONDING_EPOCHS);
        vm.startPrank(admin);
        token.grantRole(token.MINTER_ROLE(), minter);
        staking.grantRole(MoltRoles.BEACON_ROLE, beacon);
        staking.grantRole(MoltRoles.GOVERNANCE_ROLE, governance);
        vm.stopPrank();
    }

    /// @dev Mints `amount` to `who` and approves staking for everything.
    function _fund(address who, uint256 amount) internal {
        vm.prank(minter);
        token.mint(who, amount);
        vm.prank(who);
        token.approve(address(staking), type(uint256).max);
    }

    /// @dev Gives `operator` a fresh active identity, funds and registers it.
    function _register(address operator, uint16 commissionBps, uint256 selfStake) internal returns (uint256 id) {
        id = _nextIdentity++;
        identity.setIdentity(operator, id, true);
        _fund(operator, selfStake);
        vm.prank(operator);
        staking.registerValidator(id, commissionBps, selfStake);
    }

    function _delegate(address delegator, address validator, uint256 amount) internal {
        _fund(delegator, amount);
        vm.prank(delegator);
        staking.delegate(validator, amount);
    }

    /// @dev Closes the epoch with every candidate at reputation 1.0 and full uptime, one shard.
    function _advance() internal {
        _advance(keccak256(abi.encode("epoch", staking.currentEpoch())), 1);
    }

    function _advance(bytes32 randomness, uint16 shardCount) internal {
        IStaking.EpochReport memory report =
            ReportBuilder.uniform(staking, uint64(SCALE), uint32(SCALE), randomness, shardCount);
        vm.prank(beacon);
        staking.reportEpoch(report);
    }

    function _report(IStaking.EpochReport memory report) internal {
        vm.prank(beacon);
        staking.reportEpoch(report);
    }

    /// @dev Sends `amount` of fresh $MOLT to staking and notifies it as emission rewards.
    function _notify(uint256 amount) internal {
        vm.prank(minter);
        token.mint(address(staking), amount);
        staking.notifyRewards(amount);
    }

    function _shares(address validator, address delegator) internal view returns (uint256) {
        return staking.delegationOf(validator, delegator).shares;
    }
}
