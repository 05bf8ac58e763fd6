// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IStaking} from "../../../contracts/interfaces/IStaking.sol";
import {ValidatorSampling} from "../../../contracts/staking/ValidatorSampling.sol";
import {Test} from "../utils/Test.sol";
import {MIN_SELF_STAKE, MOLT, ReportBuilder, SCALE, StakingFixture} from "./StakingFixture.sol";

/// @notice Exposes the sampling library to the tests.
contract ValidatorSamplingHarness {
    function assignShards(uint256 count, uint256 shardCount, bytes32 randomness)
        external
        pure
        returns (uint16[] memory)
    {
        return ValidatorSampling.assignShards(count, shardCount, randomness);
    }

    function sampleCommittee(uint256[] memory stakes, uint256 size, bytes32 randomness)
        external
        pure
        returns (bool[] memory)
    {
        return ValidatorSampling.sampleCommittee(stakes, size, randomness);
    }
}

contract StakingElectionTest is Test, StakingFixture {
    address private alice = address(0xA11CE);
    ValidatorSamplingHarness private sampling;

    function setUp() public {
        _deployStaking();
        sampling = new ValidatorSamplingHarness();
    }

    function _validator(uint256 i) private pure returns (address) {
        return address(uint160(0x20000 + i));
    }

    /// @dev Registers `count` validators, validator i with self-stake MIN + (i + 1) MOLT, and
    ///      bonds them (one report).
    function _registerMany(uint256 count) private {
        for (uint256 i = 0; i < count; ++i) {
            _register(_validator(i), 0, MIN_SELF_STAKE + (i + 1) * MOLT);
        }
        _advance();
    }

    function _expectRevertReport(IStaking.EpochReport memory report, bytes memory err) private {
        vm.expectRevert(err);
        vm.prank(beacon);
        staking.reportEpoch(report);
    }

    // ----------------------------------------------------------------- election

    function test_reportEpoch_seatsCandidatesByWeightAndAdvancesTheEpoch() public {
        _registerMany(3);
        uint64[] memory reputations = new uint64[](3);
        uint32[] memory uptimes = new uint32[](3);
        address[] memory list = new address[](3);
        for (uint256 i = 0; i < 3; ++i) {
            list[i] = _validator(i);
            uptimes[i] = uint32(SCALE);
        }
        // Validator 0 has the least stake but the best reputation.
        reputations[0] = uint64(3 * SCALE);
        reputations[1] = uint64(SCALE);
        reputations[2] = uint64(SCALE / 2);
        IStaking.EpochReport memory report = ReportBuilder.sorted(staking, list, reputations, uptimes, "r", 1);
        assertEq(report.candidates[0], _validator(0));
        assertEq(report.candidates[1], _validator(1));
        assertEq(report.candidates[2], _validator(2));

        uint256 w0 = (MIN_SELF_STAKE + MOLT) * 3 * SCALE * SCALE;
        vm.expectEmit(true, true, true, true, address(staking));
        emit IStaking.ValidatorElected(2, _validator(0), 0, 0, true, MIN_SELF_STAKE + MOLT, w0);
        _report(report);

        assertEq(staking.currentEpoch(), 2);
        IStaking.Seat[] memory seats = staking.validatorSet();
        assertEq(seats.length, 3);
        assertEq(seats[0].validator, _validator(0));
        assertEq(seats[0].weight, w0);
        assertEq(seats[2].weight, (MIN_SELF_STAKE + 3 * MOLT) * (SCALE / 2) * SCALE);
        (bool seated, IStaking.Seat memory seat) = staking.seatOf(_validator(1));
        assertTrue(seated);
        assertEq(seat.stake, MIN_SELF_STAKE + 2 * MOLT);
        (seated,) = staking.seatOf(alice);
        assertFalse(seated);
        assertEq(staking.beaconCommittee().length, 3); // 3 seats <= 200: everyone
    }

    function test_reportEpoch_stakeAddedInTheSameEpochNeverDecidesASeat() public {
        // 101 candidates for 100 seats; validator 0 is the lightest and is left out.
        _registerMany(101);
        // In the report's own block, a whale delegates to validator 0.
        _delegate(alice, _validator(0), 1_000_000 * MOLT);
        assertEq(staking.electionStake(_validator(0)), MIN_SELF_STAKE + MOLT);

        // A report counting the deposit (validator 0 first) is refused...
        IStaking.EpochReport memory honest = ReportBuilder.uniform(staking, uint64(SCALE), uint32(SCALE), "r", 1);
        assertEq(honest.candidates[100], _validator(0));
        IStaking.EpochReport memory bought = ReportBuilder.uniform(staking, uint64(SCALE), uint32(SCALE), "r", 1);
        for (uint256 i = 100; i > 0; --i) {
            bought.candidates[i] = bought.candidates[i - 1];
        }
        bought.candidates[0] = _validator(0);
        _expectRevertReport(bought, abi.encodeWithSelector(IStaking.Staking__CandidatesNotSorted.selector, 1));

        // ...and the honest one leaves validator 0 out of epoch 2.
        _report(honest);
        (bool seated,) = staking.seatOf(_validator(0));
        assertFalse(seated);
        assertEq(staking.validatorSet().length, 100);

        // The deposit counts in the next election.
        _advance();
        (seated,) = staking.seatOf(_validator(0));
        assertTrue(seated);
        assertEq(staking.validatorSet()[0].validator, _validator(0));
    }

    function test_reportEpoch_aNewValidatorStandsFromTheFollowingElection() public {
        _register(_validator(0), 0, MIN_SELF_STAKE);
        assertEq(staking.electionWeight(_validator(0), uint64(SCALE), uint32(SCALE)), 0);
        _advance(); // closes epoch 0: the self-stake was pending, no seat
        assertEq(staking.validatorSet().length, 0);
        assertEq(staking.electionWeight(_validator(0), uint64(SCALE), uint32(SCALE)), MIN_SELF_STAKE * SCALE * SCALE);
        _advance(); // closes epoch 1: seated for epoch 2
        assertEq(staking.validatorSet().length, 1);
    }

    function test_reportEpoch_zeroWeightCandidatesAreListedButNotSeated() public {
        _registerMany(5);
        // 1: reputation 0; 2: uptime 0; 3: identity frozen; 4: self-stake below the minimum.
        identity.setActive(staking.validatorInfo(_validator(3)).identityId, false);
        uint256 shares = _shares(_validator(4), _validator(4));
        vm.prank(_validator(4));
        staking.undelegate(_validator(4), shares / 2);

        address[] memory list = staking.candidates();
        uint64[] memory reputations = new uint64[](5);
        uint32[] memory uptimes = new uint32[](5);
        for (uint256 i = 0; i < 5; ++i) {
            reputations[i] = list[i] == _validator(1) ? 0 : uint64(SCALE);
            uptimes[i] = list[i] == _validator(2) ? 0 : uint32(SCALE);
        }
        IStaking.EpochReport memory report = ReportBuilder.sorted(staking, list, reputations, uptimes, "r", 1);
        _report(report);
        IStaking.Seat[] memory seats = staking.validatorSet();
        assertEq(seats.length, 1);
        assertEq(seats[0].validator, _validator(0));
    }

    function test_reportEpoch_seatsAtMostMaxValidators() public {
        _registerMany(105);
        vm.prank(governance);
        staking.setMaxValidators(101);
        _advance();
        IStaking.Seat[] memory seats = staking.validatorSet();
        assertEq(seats.length, 101);
        // The heaviest 101: validators 104 down to 4.
        assertEq(seats[0].validator, _validator(104));
        assertEq(seats[100].validator, _validator(4));
        for (uint256 i = 0; i < 4; ++i) {
            (bool seated,) = staking.seatOf(_validator(i));
            assertFalse(seated);
        }
    }

    function test_reportEpoch_revertsOnMalformedReports() public {
        _registerMany(3);
        IStaking.EpochReport memory report = ReportBuilder.uniform(staking, uint64(SCALE), uint32(SCALE), "r", 1);

        report.epoch = 0;
        _expectRevertReport(report, abi.encodeWithSelector(IStaking.Staking__WrongEpoch.selector, 0, 1));
        report.epoch = 2;
        _expectRevertReport(report, abi.encodeWithSelector(IStaking.Staking__WrongEpoch.selector, 2, 1));
        report.epoch = 1;

        report.shardCount = 0;
        _expectRevertReport(report, abi.encodeWithSelector(IStaking.Staking__ShardCountOutOfRange.selector, 0));
        report.shardCount = 17;
        _expectRevertReport(report, abi.encodeWithSelector(IStaking.Staking__ShardCountOutOfRange.selector, 17));
        report.shardCount = 4; // more shards than the 3 validators elected
        _expectRevertReport(report, abi.encodeWithSelector(IStaking.Staking__ShardCountOutOfRange.selector, 4));
        report.shardCount = 3;

        address third = report.candidates[2];
        report.candidates[2] = alice; // not a candidate
        _expectRevertReport(report, abi.encodeWithSelector(IStaking.Staking__NotCandidate.selector, alice));
        report.candidates[2] = report.candidates[0]; // listed twice, one left out
        _expectRevertReport(report, abi.encodeWithSelector(IStaking.Staking__CandidatesNotSorted.selector, 2));
        report.candidates[2] = third;

        report.uptimes[1] = uint32(SCALE + 1);
        _expectRevertReport(report, abi.encodeWithSelector(IStaking.Staking__UptimeOutOfRange.selector, 1, SCALE + 1));
        report.uptimes[1] = uint32(SCALE);

        (report.candidates[0], report.candidates[1]) = (report.candidates[1], report.candidates[0]);
        _expectRevertReport(report, abi.encodeWithSelector(IStaking.Staking__CandidatesNotSorted.selector, 1));
        (report.candidates[0], report.candidates[1]) = (report.candidates[1], report.candidates[0]);

        address[] memory short = new address[](2);
        short[0] = report.candidates[0];
        short[1] = report.candidates[1];
        address[] memory full = report.candidates;
        report.candidates = short;
        _expectRevertReport(report, abi.encodeWithSelector(IStaking.Staking__CandidateListLength.selector, 2, 3));
        report.candidates = full;
        report.reputations = new uint64[](4);
        _expectRevertReport(report, abi.encodeWithSelector(IStaking.Staking__CandidateListLength.selector, 4, 3));
        report.reputations = new uint64[](3);
        report.uptimes = new uint32[](0);
        _expectRevertReport(report, abi.encodeWithSelector(IStaking.Staking__CandidateListLength.selector, 0, 3));

        assertEq(staking.currentEpoch(), 1);
    }

    function test_reportEpoch_equalWeightsAreOrderedByAddress() public {
        _register(_validator(1), 0, MIN_SELF_STAKE);
        _register(_validator(0), 0, MIN_SELF_STAKE);
        _advance();
        IStaking.EpochReport memory report = ReportBuilder.uniform(staking, uint64(SCALE), uint32(SCALE), "r", 1);
        assertEq(report.candidates[0], _validator(0));
        (report.candidates[0], report.candidates[1]) = (report.candidates[1], report.candidates[0]);
        _expectRevertReport(report, abi.encodeWithSelector(IStaking.Staking__CandidatesNotSorted.selector, 1));
    }

    function testFuzz_reportEpoch_rejectsAnyOtherOrder(uint256 i, uint256 j, uint256 seed) public {
        _registerMany(6);
        IStaking.EpochReport memory report = ReportBuilder.uniform(staking, uint64(SCALE), uint32(SCALE), "r", 1);
        // Random reputations make ties unlikely but possible; the order stays valid either way.
        address[] memory list = report.candidates;
        uint64[] memory reputations = new uint64[](6);
        for (uint256 k = 0; k < 6; ++k) {
            reputations[k] = uint64(uint256(keccak256(abi.encode(seed, k))) % 4);
        }
        report = ReportBuilder.sorted(staking, list, reputations, report.uptimes, "r", 1);
        i = bound(i, 0, 5);
        j = bound(j, 0, 5);
        vm.assume(i != j);
        (report.candidates[i], report.candidates[j]) = (report.candidates[j], report.candidates[i]);
        (report.reputations[i], report.reputations[j]) = (report.reputations[j], report.reputations[i]);
        vm.expectRevert();
        vm.prank(beacon);
        staking.reportEpoch(report);
    }

    function test_reportEpoch_dealsShardsAndSamplesTheCommittee() public {
        _registerMany(10);
        vm.prank(governance);
        staking.setCommitteeSize(4);
        _advance(keccak256("beacon randomness"), 3);
        assertEq(staking.shardCount(), 3);
        IStaking.Seat[] memory seats = staking.validatorSet();
        uint16[] memory shards = sampling.assignShards(10, 3, keccak256("beacon randomness"));
        uint256[] memory stakes = new uint256[](10);
        uint256[3] memory sizes;
        for (uint256 i = 0; i < 10; ++i) {
            assertEq(seats[i].shard, shards[i]);
            stakes[i] = seats[i].stake;
            ++sizes[seats[i].shard];
        }
        assertEq(sizes[0] + sizes[1] + sizes[2], 10);
        for (uint256 s = 0; s < 3; ++s) {
            assertGe(sizes[s], 3);
            assertLe(sizes[s], 4);
        }
        bool[] memory chosen = sampling.sampleCommittee(stakes, 4, keccak256("beacon randomness"));
        address[] memory committee = staking.beaconCommittee();
        assertEq(committee.length, 4);
        uint256 k;
        for (uint256 i = 0; i < 10; ++i) {
            assertEq(seats[i].inCommittee, chosen[i]);
            if (chosen[i]) assertEq(committee[k++], seats[i].validator);
        }
    }

    // ----------------------------------------------------------------- shard assignment

    function testFuzz_assignShards_dealsEachRoundAsAPermutation(uint256 count, uint256 shardCount, bytes32 randomness)
        public
        view
    {
        count = bound(count, 0, 150);
        shardCount = bound(shardCount, 1, 16);
        uint16[] memory shards = sampling.assignShards(count, shardCount, randomness);
        assertEq(shards.length, count);
        for (uint256 base = 0; base < count; base += shardCount) {
            // Within a round every shard appears at most once.
            uint256 seen;
            for (uint256 p = base; p < base + shardCount && p < count; ++p) {
                assertLt(shards[p], shardCount);
                assertEq(seen & (uint256(1) << shards[p]), 0);
                seen |= uint256(1) << shards[p];
            }
        }
        // So shard sizes differ by at most one.
        uint256 minSize = type(uint256).max;
        uint256 maxSize;
        for (uint256 s = 0; s < shardCount; ++s) {
            uint256 size;
            for (uint256 p = 0; p < count; ++p) {
                if (shards[p] == s) ++size;
            }
            if (size < minSize) minSize = size;
            if (size > maxSize) maxSize = size;
        }
        assertLe(maxSize - minSize, 1);
    }

    // ----------------------------------------------------------------- committee sampling

    function testFuzz_sampleCommittee_matchesTheNaiveDraw(uint256 n, uint256 size, bytes32 randomness) public view {
        n = bound(n, 1, 40);
        size = bound(size, 0, n - 1);
        uint256[] memory stakes = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            stakes[i] = 1 + uint256(keccak256(abi.encode(randomness, i))) % (1e9 * MOLT);
        }
        bool[] memory chosen = sampling.sampleCommittee(stakes, size, randomness);
        bool[] memory expected = _naiveSample(stakes, size, randomness);
        uint256 count;
        for (uint256 i = 0; i < n; ++i) {
            assertEq(chosen[i], expected[i]);
            if (chosen[i]) ++count;
        }
        assertEq(count, size);
    }

    function testFuzz_sampleCommittee_choosesEveryoneWhenSmall(uint256 n, uint256 size) public view {
        n = bound(n, 0, 50);
        size = bound(size, n, 200);
        uint256[] memory stakes = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            stakes[i] = i + 1;
        }
        bool[] memory chosen = sampling.sampleCommittee(stakes, size, bytes32(n));
        for (uint256 i = 0; i < n; ++i) {
            assertTrue(chosen[i]);
        }
    }

    function testFuzz_sampleCommittee_isStakeWeighted(bytes32 randomness) public view {
        // One validator holds almost all stake: it is drawn first with probability > 1 - 10^-9.
        uint256[] memory stakes = new uint256[](50);
        for (uint256 i = 0; i < 50; ++i) {
            stakes[i] = 1;
        }
        stakes[17] = 1e12;
        bool[] memory chosen = sampling.sampleCommittee(stakes, 1, randomness);
        assertTrue(chosen[17]);
    }

    /// @dev Reference: draw i walks the undrawn stakes in order until the running sum passes r.
    function _naiveSample(uint256[] memory stakes, uint256 size, bytes32 randomness)
        private
        pure
        returns (bool[] memory chosen)
    {
        uint256 n = stakes.length;
        chosen = new bool[](n);
        uint256 remaining;
        for (uint256 i = 0; i < n; ++i) {
            remaining += stakes[i];
        }
        for (uint256 draw = 0; draw < size; ++draw) {
            uint256 r = uint256(keccak256(abi.encode(randomness, ValidatorSampling.COMMITTEE_DOMAIN, draw, uint256(0))))
                % remaining;
            uint256 running;
            for (uint256 i = 0; i < n; ++i) {
                if (chosen[i]) continue;
                running += stakes[i];
                if (running > r) {
                    chosen[i] = true;
                    remaining -= stakes[i];
                    break;
                }
            }
        }
    }
}
