// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IStaking} from "../../../contracts/interfaces/IStaking.sol";
import {Test} from "../utils/Test.sol";
import {MAX_COMMISSION_BPS, MIN_SELF_STAKE, MOLT, ReportBuilder, SCALE, StakingFixture} from "./StakingFixture.sol";

/// @notice Drives Staking through random deposits, undelegations, withdrawals, claims, reward
///         notifications, epoch reports, slashes, commission changes and candidacy changes among
///         4 validators and 3 delegators, keeping ghost sums of every token that went in and out.
///         Every input is bounded to a valid call, so with `fail_on_revert` any revert is a bug.
contract StakingHandler is StakingFixture {
    uint256 private constant VALIDATORS = 4;
    uint256 private constant DELEGATORS = 3;

    address[] public validators;
    address[] public actors; // the delegators, then the validators (who also self-stake)
    uint256[] private _openUnbondings;

    uint256 public ghostDeposited;
    uint256 public ghostWithdrawn;
    uint256 public ghostBurned;
    uint256 public ghostNotified;
    uint256 public ghostClaimed;
    uint256 public reports;
    uint256 public slashes;

    /// @notice Deposits made with each validator in the current epoch.
    mapping(address validator => uint256) public depositedThisEpoch;

    /// @notice Times a share price fell without a slash, and seats whose stake was not the
    ///         election stake of before the report.
    uint256 public priceDrops;
    uint256 public seatStakeMismatches;

    mapping(address validator => uint256[4]) private _lastPrices; // T, S, U, US

    constructor() {
        _deployStaking();
        for (uint256 i = 0; i < VALIDATORS; ++i) {
            address v = address(uint160(0x5A110 + i));
            validators.push(v);
            _register(v, uint16(i * 500), MIN_SELF_STAKE);
            ghostDeposited += MIN_SELF_STAKE;
            depositedThisEpoch[v] += MIN_SELF_STAKE;
        }
        for (uint256 i = 0; i < DELEGATORS; ++i) {
            actors.push(address(uint160(0xDE1E6 + i)));
        }
        for (uint256 i = 0; i < VALIDATORS; ++i) {
            actors.push(validators[i]);
        }
        _snapshotPrices();
    }

    function validatorCount() external pure returns (uint256) {
        return VALIDATORS;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function openUnbondings() external view returns (uint256[] memory) {
        return _openUnbondings;
    }

    function stakingContract() external view returns (IStaking) {
        return staking;
    }

    function tokenBalanceOfStaking() external view returns (uint256) {
        return token.balanceOf(address(staking));
    }

    function tokenSupply() external view returns (uint256) {
        return token.totalSupply();
    }

    // ------------------------------------------------------------------ actions

    function delegate(uint256 actorSeed, uint256 validatorSeed, uint256 amount) external {
        address v = validators[validatorSeed % VALIDATORS];
        if (!staking.validatorInfo(v).candidate) return;
        address actor = actors[actorSeed % actors.length];
        amount = bound(amount, 1, 1_000_000 * MOLT);
        _delegate(actor, v, amount);
        ghostDeposited += amount;
        depositedThisEpoch[v] += amount;
        _checkPrices();
    }

    function undelegate(uint256 actorSeed, uint256 validatorSeed, uint256 shares) external {
        address v = validators[validatorSeed % VALIDATORS];
        address actor = actors[actorSeed % actors.length];
        uint256 held = staking.delegationOf(v, actor).shares;
        if (held == 0) return;
        shares = bound(shares, 1, held);
        vm.prank(actor);
        try staking.undelegate(v, shares) returns (uint256 id, uint256) {
            _openUnbondings.push(id);
        } catch (bytes memory reason) {
            // Only an undelegation worth nothing may be refused.
            assertEq(keccak256(reason), keccak256(abi.encodeWithSelector(IStaking.Staking__ZeroAmount.selector)));
        }
        _checkPrices();
    }

    function withdraw(uint256 seed) external {
        uint256 count = _openUnbondings.length;
        if (count == 0) return;
        uint256 index = seed % count;
        uint256 id = _openUnbondings[index];
        IStaking.UnbondingInfo memory entry = staking.unbondingOf(id);
        if (entry.releaseEpoch > staking.currentEpoch()) return;
        vm.prank(entry.owner);
        ghostWithdrawn += staking.withdraw(id);
        _openUnbondings[index] = _openUnbondings[count - 1];
        _openUnbondings.pop();
        _checkPrices();
    }

    function claim(uint256 actorSeed, uint256 validatorSeed) external {
        address v = validators[validatorSeed % VALIDATORS];
        address actor = actors[actorSeed % actors.length];
        if (staking.delegationOf(v, actor).claimableRewards == 0) return;
        vm.prank(actor);
        ghostClaimed += staking.claimRewards(v);
        _checkPrices();
    }

    function notify(uint256 amount, bool fees) external {
        amount = bound(amount, 1, 100_000 * MOLT);
        vm.prank(minter);
        token.mint(address(staking), amount);
        if (fees) staking.notifyFeeRewards(amount);
        else staking.notifyRewards(amount);
        ghostNotified += amount;
    }

    function report(uint256 seed) external {
        address[] memory list = staking.candidates();
        uint256 n = list.length;
        uint64[] memory reputations = new uint64[](n);
        uint32[] memory uptimes = new uint32[](n);
        uint256 positive;
        for (uint256 i = 0; i < n; ++i) {
            uint256 word = uint256(keccak256(abi.encode(seed, i)));
            reputations[i] = uint64(word % (3 * SCALE));
            uptimes[i] = uint32((word >> 64) % (SCALE + 1));
            if (staking.electionWeight(list[i], reputations[i], uptimes[i]) != 0) ++positive;
        }
        uint256 shards = positive == 0 ? 1 : 1 + (seed >> 128) % (positive < 16 ? positive : 16);
        IStaking.EpochReport memory epochReport =
            ReportBuilder.sorted(staking, list, reputations, uptimes, keccak256(abi.encode(seed)), uint16(shards));
        uint256[] memory stakesBefore = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            stakesBefore[i] = staking.electionStake(epochReport.candidates[i]);
        }
        _report(epochReport);
        ++reports;
        IStaking.Seat[] memory seats = staking.validatorSet();
        for (uint256 i = 0; i < seats.length; ++i) {
            if (seats[i].validator != epochReport.candidates[i] || seats[i].stake != stakesBefore[i]) {
                ++seatStakeMismatches;
            }
        }
        for (uint256 i = 0; i < VALIDATORS; ++i) {
            depositedThisEpoch[validators[i]] = 0;
        }
        _checkPrices();
    }

    function slash(uint256 validatorSeed, uint256 bps, bool byGovernance) external {
        address v = validators[validatorSeed % VALIDATORS];
        // Mostly small slashes; now and then a full one, which wipes the validator out.
        bps = bps % 16 == 0 ? 10_000 : bound(bps, 1, 2_000);
        ++slashes;
        bytes32 evidence = keccak256(abi.encode("evidence", slashes));
        vm.prank(byGovernance ? governance : beacon);
        ghostBurned += staking.slash(
            v,
            uint16(bps),
            byGovernance ? IStaking.SlashReason.Governance : IStaking.SlashReason.DoubleSigning,
            evidence
        );
        _snapshotPrices(); // slashing is the one thing allowed to lower a share price
    }

    function setCommission(uint256 validatorSeed, uint256 bps) external {
        address v = validators[validatorSeed % VALIDATORS];
        vm.prank(v);
        staking.setCommission(uint16(bound(bps, 0, MAX_COMMISSION_BPS)));
    }

    function toggleCandidacy(uint256 validatorSeed) external {
        address v = validators[validatorSeed % VALIDATORS];
        IStaking.ValidatorInfo memory info = staking.validatorInfo(v);
        if (info.wipedOut) return;
        if (info.candidate) {
            vm.prank(v);
            staking.deregisterValidator();
            return;
        }
        if (!identity.isActive(info.identityId)) return;
        IStaking.DelegationInfo memory own = staking.delegationOf(v, v);
        uint256 have = own.bondedTokens + own.pendingTokens;
        uint256 topUp = have >= MIN_SELF_STAKE ? 0 : MIN_SELF_STAKE - have;
        if (topUp != 0) _fund(v, topUp);
        vm.prank(v);
        staking.registerValidator(info.identityId, 0, topUp);
        ghostDeposited += topUp;
        depositedThisEpoch[v] += topUp;
        _checkPrices();
    }

    // ------------------------------------------------------------------ share price ghost

    /// @dev Counts a drop of any validator's active or unbonding share price since the last
    ///      snapshot; an emptied pool (no shares) starts afresh.
    function _checkPrices() private {
        for (uint256 i = 0; i < VALIDATORS; ++i) {
            address v = validators[i];
            IStaking.PoolInfo memory p = staking.poolInfo(v);
            uint256[4] memory last = _lastPrices[v];
            if (p.shares != 0 && last[1] != 0 && (p.tokens + 1) * (last[1] + 1) < (last[0] + 1) * (p.shares + 1)) {
                ++priceDrops;
            }
            if (
                p.unbondingShares != 0 && last[3] != 0
                    && (p.unbondingTokens + 1) * (last[3] + 1) < (last[2] + 1) * (p.unbondingShares + 1)
            ) ++priceDrops;
        }
        _snapshotPrices();
    }

    function _snapshotPrices() private {
        for (uint256 i = 0; i < VALIDATORS; ++i) {
            address v = validators[i];
            IStaking.PoolInfo memory p = staking.poolInfo(v);
            _lastPrices[v] = [p.tokens, p.shares, p.unbondingTokens, p.unbondingShares];
        }
    }
}

contract StakingInvariantTest is Test {
    StakingHandler private handler;
    IStaking private staking;

    function setUp() public {
        handler = new StakingHandler();
        staking = handler.stakingContract();
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = StakingHandler.delegate.selector;
        selectors[1] = StakingHandler.undelegate.selector;
        selectors[2] = StakingHandler.withdraw.selector;
        selectors[3] = StakingHandler.claim.selector;
        selectors[4] = StakingHandler.notify.selector;
        selectors[5] = StakingHandler.report.selector;
        selectors[6] = StakingHandler.slash.selector;
        selectors[7] = StakingHandler.setCommission.selector;
        selectors[8] = StakingHandler.toggleCandidacy.selector;
        selectors[9] = StakingHandler.report.selector; // reports twice as often: epochs must move
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice token.balanceOf(staking) == stakeHeld + rewardsHeld, stakeHeld is the sum of every
    ///         pool's bonded + pending + unbonding tokens, and both equal their ghost sums.
    function invariant_tokensHeldAreStakePlusRewards() public view {
        uint256 pools;
        for (uint256 i = 0; i < handler.validatorCount(); ++i) {
            IStaking.PoolInfo memory p = staking.poolInfo(handler.validators(i));
            pools += p.tokens + p.pendingTokens + p.unbondingTokens;
        }
        assertEq(staking.stakeHeld(), pools, "stakeHeld != sum of pools");
        assertEq(
            staking.stakeHeld(),
            handler.ghostDeposited() - handler.ghostWithdrawn() - handler.ghostBurned(),
            "stakeHeld != deposited - withdrawn - burned"
        );
        assertEq(staking.rewardsHeld(), handler.ghostNotified() - handler.ghostClaimed(), "rewardsHeld != ghost");
        assertEq(handler.tokenBalanceOfStaking(), staking.stakeHeld() + staking.rewardsHeld(), "balance mismatch");
        assertLe(handler.tokenSupply(), 1_000_000_000 * MOLT);
    }

    /// @notice What delegators and unbonding entries can take never exceeds what their pools hold.
    function invariant_claimsAreBacked() public view {
        uint256 claimable = staking.epochRewards();
        for (uint256 i = 0; i < handler.validatorCount(); ++i) {
            address v = handler.validators(i);
            IStaking.PoolInfo memory p = staking.poolInfo(v);
            uint256 matured = p.tokens + (p.pendingEpoch < staking.currentEpoch() ? p.pendingTokens : 0);
            uint256 bonded;
            uint256 pending;
            for (uint256 a = 0; a < handler.actorCount(); ++a) {
                IStaking.DelegationInfo memory d = staking.delegationOf(v, handler.actors(a));
                bonded += d.bondedTokens;
                pending += d.pendingTokens;
                claimable += d.claimableRewards;
            }
            assertLe(bonded, matured, "bonded value above the pool");
            assertEq(pending, p.pendingEpoch == staking.currentEpoch() ? p.pendingTokens : 0, "pending mismatch");
        }
        assertLe(claimable, staking.rewardsHeld(), "rewards owed above rewards held");

        uint256[] memory ids = handler.openUnbondings();
        uint256 unbonding;
        uint256 unbondingPools;
        for (uint256 k = 0; k < ids.length; ++k) {
            unbonding += staking.unbondingOf(ids[k]).tokens;
        }
        for (uint256 i = 0; i < handler.validatorCount(); ++i) {
            unbondingPools += staking.poolInfo(handler.validators(i)).unbondingTokens;
        }
        assertLe(unbonding, unbondingPools, "unbonding entries above their pools");
    }

    /// @notice Share prices (active and unbonding) only fall by slashing.
    function invariant_sharePriceNeverFallsExceptBySlashing() public view {
        assertEq(handler.priceDrops(), 0);
    }

    /// @notice Stake deposited in the current epoch is pending, is exactly what was deposited, and
    ///         is left out of every election stake; seats carry the stake of before their report.
    function invariant_sameEpochStakeNeverCountsInAnElection() public view {
        uint64 epoch = staking.currentEpoch();
        for (uint256 i = 0; i < handler.validatorCount(); ++i) {
            address v = handler.validators(i);
            IStaking.PoolInfo memory p = staking.poolInfo(v);
            uint256 current = p.pendingEpoch == epoch ? p.pendingTokens : 0;
            assertEq(current, handler.depositedThisEpoch(v), "pending != this epoch's deposits");
            assertEq(staking.electionStake(v), p.tokens + p.pendingTokens - current, "election stake counts new stake");
        }
        assertEq(handler.seatStakeMismatches(), 0);
    }
}
