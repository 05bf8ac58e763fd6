// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IEmission} from "../../../contracts/interfaces/IEmission.sol";
import {IGenesisDistribution} from "../../../contracts/interfaces/IGenesisDistribution.sol";
import {IRewardReceiver} from "../../../contracts/interfaces/IRewardReceiver.sol";
import {MoltRoles} from "../../../contracts/libraries/MoltRoles.sol";
import {Emission} from "../../../contracts/token/Emission.sol";
import {GenesisDistribution} from "../../../contracts/token/GenesisDistribution.sol";
import {MoltToken} from "../../../contracts/token/MoltToken.sol";
import {Test, TestBase} from "../utils/Test.sol";

/// @dev §11.1-§11.3 written out here, not read from MoltConstants, so a wrong constant fails.
uint256 constant MOLT = 1e6;
uint256 constant CAP = 1_000_000_000 * MOLT;
uint256 constant RESERVE = 450_000_000 * MOLT;
uint256 constant GENESIS_MINT = 550_000_000 * MOLT;
uint256 constant SLOTS_PER_YEAR = 78_840_000;
uint256 constant END_SLOT = 8 * SLOTS_PER_YEAR;
uint256 constant SCHEDULE_TOTAL = 449_388_000 * MOLT;
uint256 constant GENESIS = 1_800_000_000;

/// @notice The §11.3 schedule computed another way: year by year, the reward halving every second
///         year from 1.52 $MOLT (as a right shift), instead of the contract's phase-by-phase sums.
function referenceEmitted(uint256 slots) pure returns (uint256 total) {
    for (uint256 year = 0; year < 8; ++year) {
        uint256 start = year * SLOTS_PER_YEAR;
        if (slots <= start) break;
        uint256 inYear = slots - start < SLOTS_PER_YEAR ? slots - start : SLOTS_PER_YEAR;
        total += inYear * ((152 * MOLT / 100) >> (year / 2));
    }
}

/// @notice A reward receiver that records notifications and, if armed, tries to reenter
///         `reportSlots` from `notifyRewards` (it holds BEACON_ROLE in the reentrancy test).
contract ReentrantRewardReceiver is IRewardReceiver {
    Emission public immutable emission;
    MoltToken public immutable token;
    bool public armed;
    uint256 public notified;
    uint256 public balanceAtNotify;
    bytes public reentryError;

    constructor(Emission emission_, MoltToken token_) {
        emission = emission_;
        token = token_;
    }

    function arm() external {
        armed = true;
    }

    function notifyRewards(uint256 amount) external {
        notified += amount;
        balanceAtNotify = token.balanceOf(address(this));
        if (armed) {
            try emission.reportSlots(emission.slotsElapsed()) {
                reentryError = "reentered";
            } catch (bytes memory reason) {
                reentryError = reason;
            }
        }
    }
}

contract EmissionTest is Test {
    MoltToken private token;
    Emission private emission;
    ReentrantRewardReceiver private receiver;
    address private admin = address(0xAD);
    address private beacon = address(0xBEAC);
    address private governance = address(0x60F);
    address private treasury = address(0x7EA5);
    address private storagePool = address(0x5707);

    function setUp() public {
        vm.warp(GENESIS);
        token = new MoltToken(admin);
        emission = new Emission(token, admin, GENESIS, treasury, IRewardReceiver(address(0)), address(0));
        receiver = new ReentrantRewardReceiver(emission, token);
        vm.startPrank(admin);
        token.grantRole(token.MINTER_ROLE(), address(emission));
        emission.grantRole(MoltRoles.BEACON_ROLE, beacon);
        emission.grantRole(MoltRoles.GOVERNANCE_ROLE, governance);
        vm.stopPrank();
    }

    function _wire() private {
        vm.startPrank(governance);
        emission.setRewardReceiver(receiver);
        emission.setStoragePool(storagePool);
        vm.stopPrank();
    }

    function _report(uint256 slotCount) private returns (uint256) {
        uint256 needed = GENESIS + (slotCount * 400 + 999) / 1000; // rounds up: the first second it is reachable
        if (block.timestamp < needed) vm.warp(needed);
        vm.prank(beacon);
        return emission.reportSlots(slotCount);
    }

    // ----------------------------------------------------------------- the schedule (pure)

    function test_constants_matchThePaper() public view {
        assertEq(emission.emittedAt(END_SLOT), SCHEDULE_TOTAL);
        assertLe(SCHEDULE_TOTAL, RESERVE);
        assertLe(GENESIS_MINT + SCHEDULE_TOTAL, CAP);
        assertEq(emission.emittedAt(2 * SLOTS_PER_YEAR), 239_673_600 * MOLT); // "240M" after year 2
        assertEq(emission.slotReward(0), 1_520_000);
        assertEq(emission.slotReward(2 * SLOTS_PER_YEAR), 760_000);
        assertEq(emission.slotReward(4 * SLOTS_PER_YEAR), 380_000);
        assertEq(emission.slotReward(6 * SLOTS_PER_YEAR), 190_000);
        assertEq(emission.slotReward(END_SLOT - 1), 190_000);
        assertEq(emission.slotReward(END_SLOT), 0);
    }

    function testFuzz_emittedAt_matchesIndependentReference(uint256 slots) public view {
        slots = bound(slots, 0, 3 * END_SLOT);
        assertEq(emission.emittedAt(slots), referenceEmitted(slots));
        assertLe(emission.emittedAt(slots), RESERVE);
    }

    function testFuzz_emittedAt_isTheSumOfSlotRewards(uint256 slot) public view {
        slot = bound(slot, 0, 2 * END_SLOT);
        assertEq(emission.emittedAt(slot + 1) - emission.emittedAt(slot), emission.slotReward(slot));
    }

    function testFuzz_emittedAt_isConstantAfterYear8(uint256 slots) public view {
        slots = bound(slots, END_SLOT, type(uint256).max);
        assertEq(emission.emittedAt(slots), SCHEDULE_TOTAL);
        assertEq(emission.slotReward(slots), 0);
    }

    function testFuzz_splitOf_sumsExactlyAndRoundsOnlyTheBurn(uint256 amount) public view {
        amount = bound(amount, 0, CAP);
        (uint256 toValidators, uint256 toStorage, uint256 burned, uint256 toTreasury) = emission.splitOf(amount);
        assertEq(toValidators + toStorage + burned + toTreasury, amount);
        assertEq(toValidators, amount * 3 / 10);
        assertEq(toStorage, amount * 3 / 10);
        assertEq(toTreasury, amount / 10);
        // The burn is the exact 30 % plus the three rounding remainders, each below 1 micromolt.
        assertGe(burned * 10, amount * 3);
        assertLt(burned * 10, amount * 3 + 30);
    }

    // ----------------------------------------------------------------- constructor

    function test_constructor_revertsOnZeroArguments() public {
        IRewardReceiver none = IRewardReceiver(address(0));
        vm.expectRevert(IEmission.Emission__ZeroAddress.selector);
        new Emission(MoltToken(address(0)), admin, GENESIS, treasury, none, address(0));
        vm.expectRevert(IEmission.Emission__ZeroAddress.selector);
        new Emission(token, address(0), GENESIS, treasury, none, address(0));
        vm.expectRevert(IEmission.Emission__ZeroAddress.selector);
        new Emission(token, admin, GENESIS, address(0), none, address(0));
        vm.expectRevert(IEmission.Emission__ZeroGenesisTime.selector);
        new Emission(token, admin, 0, treasury, none, address(0));
    }

    // ----------------------------------------------------------------- reportSlots

    function testFuzz_reportSlots_mintsTheScheduleDifference(uint256 first, uint256 second) public {
        _wire();
        first = bound(first, 1, END_SLOT + 1000);
        second = bound(second, first + 1, END_SLOT + 2000);
        uint256 firstEmitted = _report(first);
        uint256 secondEmitted = _report(second);

        assertEq(firstEmitted, referenceEmitted(first));
        assertEq(secondEmitted, referenceEmitted(second) - referenceEmitted(first));
        assertEq(emission.totalEmitted(), referenceEmitted(second));
        assertEq(emission.reportedSlots(), second);
        assertEq(token.totalMinted(), referenceEmitted(second));
        uint256 total = referenceEmitted(second);
        // Every share arrived; the burn was minted and burned, so supply = emitted - burned.
        assertEq(
            token.balanceOf(treasury) + token.balanceOf(storagePool) + token.balanceOf(address(receiver))
                + token.totalBurned(),
            total
        );
        assertEq(token.balanceOf(address(emission)), 0);
        assertEq(receiver.notified(), token.balanceOf(address(receiver)));
    }

    function test_reportSlots_paysEachRecipientItsShare() public {
        _wire();
        uint256 slots = 1000;
        uint256 amount = 1000 * 1_520_000;
        vm.warp(GENESIS + 400);
        vm.expectEmit(true, true, true, true, address(emission));
        emit IEmission.SlotsReported(0, slots, amount, amount * 3 / 10, amount * 3 / 10, amount * 3 / 10, amount / 10);
        vm.prank(beacon);
        emission.reportSlots(slots);

        assertEq(token.balanceOf(address(receiver)), amount * 3 / 10);
        assertEq(receiver.balanceAtNotify(), amount * 3 / 10); // sent before the notification
        assertEq(receiver.notified(), amount * 3 / 10);
        assertEq(token.balanceOf(storagePool), amount * 3 / 10);
        assertEq(token.balanceOf(treasury), amount / 10);
        assertEq(token.totalBurned(), amount * 3 / 10);
        assertEq(token.totalSupply(), amount * 7 / 10);
    }

    function testFuzz_reportSlots_accruesUntilRecipientsAreSet(uint256 first, uint256 second) public {
        first = bound(first, 1, END_SLOT);
        second = bound(second, first + 1, END_SLOT + 10);
        _report(first);
        (uint256 v1, uint256 s1,,) = emission.splitOf(referenceEmitted(first));
        assertEq(emission.pendingValidatorRewards(), v1);
        assertEq(emission.pendingStorageRewards(), s1);
        assertEq(token.balanceOf(address(emission)), v1 + s1);

        _wire();
        _report(second);
        (uint256 v2, uint256 s2,,) = emission.splitOf(referenceEmitted(second) - referenceEmitted(first));
        assertEq(emission.pendingValidatorRewards(), 0);
        assertEq(emission.pendingStorageRewards(), 0);
        assertEq(token.balanceOf(address(receiver)), v1 + v2);
        assertEq(receiver.notified(), v1 + v2);
        assertEq(token.balanceOf(storagePool), s1 + s2);
        assertEq(token.balanceOf(address(emission)), 0);
    }

    function testFuzz_reportSlots_revertsWhenNotIncreasing(uint256 first, uint256 second) public {
        first = bound(first, 1, END_SLOT);
        second = bound(second, 0, first);
        _report(first);
        vm.expectRevert(abi.encodeWithSelector(IEmission.Emission__SlotCountNotIncreasing.selector, second, first));
        vm.prank(beacon);
        emission.reportSlots(second);
    }

    function testFuzz_reportSlots_revertsAheadOfTheClock(uint256 elapsed, uint256 excess) public {
        elapsed = bound(elapsed, 0, 20 * 365 days);
        vm.warp(GENESIS + elapsed);
        uint256 clockSlots = elapsed * 5 / 2; // 400 ms slots, rounded down
        assertEq(emission.slotsElapsed(), clockSlots);
        uint256 slotCount = clockSlots + bound(excess, 1, 1e30);
        vm.expectRevert(
            abi.encodeWithSelector(IEmission.Emission__SlotCountAheadOfClock.selector, slotCount, clockSlots)
        );
        vm.prank(beacon);
        emission.reportSlots(slotCount);
    }

    function test_reportSlots_revertsBeforeGenesis() public {
        vm.warp(GENESIS - 1);
        assertEq(emission.slotsElapsed(), 0);
        vm.expectRevert(abi.encodeWithSelector(IEmission.Emission__SlotCountAheadOfClock.selector, 1, 0));
        vm.prank(beacon);
        emission.reportSlots(1);
    }

    function testFuzz_reportSlots_revertsForNonBeacon(address caller) public {
        vm.assume(caller != beacon);
        vm.warp(GENESIS + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, caller, MoltRoles.BEACON_ROLE
            )
        );
        vm.prank(caller);
        emission.reportSlots(1);
    }

    function test_reportSlots_afterTheEndMintsNothingButPaysPending() public {
        _report(END_SLOT);
        uint256 pending = emission.pendingValidatorRewards();
        assertGt(pending, 0);
        _wire();
        uint256 minted = token.totalMinted();
        assertEq(_report(END_SLOT + 5), 0);
        assertEq(token.totalMinted(), minted);
        assertEq(token.balanceOf(address(receiver)), pending);
        assertEq(emission.totalEmitted(), SCHEDULE_TOTAL);
    }

    function test_reportSlots_blocksReentryFromTheReceiver() public {
        _wire();
        vm.prank(admin);
        emission.grantRole(MoltRoles.BEACON_ROLE, address(receiver));
        receiver.arm();
        vm.warp(GENESIS + 100);

        vm.prank(beacon);
        emission.reportSlots(10);

        assertEq(
            keccak256(receiver.reentryError()),
            keccak256(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector))
        );
        assertEq(emission.reportedSlots(), 10);
        assertEq(token.totalMinted(), 10 * 1_520_000);
    }

    // ----------------------------------------------------------------- governance

    function test_setters_updateRecipients() public {
        vm.startPrank(governance);
        vm.expectEmit(true, true, true, true, address(emission));
        emit IEmission.RewardReceiverSet(address(receiver));
        emission.setRewardReceiver(receiver);
        vm.expectEmit(true, true, true, true, address(emission));
        emit IEmission.StoragePoolSet(storagePool);
        emission.setStoragePool(storagePool);
        vm.expectEmit(true, true, true, true, address(emission));
        emit IEmission.TreasurySet(address(0x1234));
        emission.setTreasury(address(0x1234));
        vm.stopPrank();
        assertEq(address(emission.rewardReceiver()), address(receiver));
        assertEq(emission.storagePool(), storagePool);
        assertEq(emission.treasury(), address(0x1234));
    }

    function test_setters_rejectZeroAndNonGovernance() public {
        vm.startPrank(governance);
        vm.expectRevert(IEmission.Emission__ZeroAddress.selector);
        emission.setRewardReceiver(IRewardReceiver(address(0)));
        vm.expectRevert(IEmission.Emission__ZeroAddress.selector);
        emission.setStoragePool(address(0));
        vm.expectRevert(IEmission.Emission__ZeroAddress.selector);
        emission.setTreasury(address(0));
        vm.stopPrank();
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, beacon, MoltRoles.GOVERNANCE_ROLE
            )
        );
        vm.prank(beacon);
        emission.setTreasury(beacon);
    }
}

/// @notice Drives the emission through random clock advances, beacon reports and recipient
///         changes, after a genesis distribution, keeping ghost sums of what was reported, emitted
///         and burned. Every input is bounded to a valid call.
contract EmissionHandler is TestBase {
    MoltToken public immutable token;
    Emission public immutable emission;
    address public immutable beacon;
    address public immutable governance;
    address public immutable receiverAddress;

    uint256 public ghostEmitted;
    uint256 public ghostBurned;
    uint256 public ghostReports;
    uint256 public ghostBackwardRejections;

    constructor(MoltToken token_, Emission emission_, address beacon_, address governance_, address receiver_) {
        token = token_;
        emission = emission_;
        beacon = beacon_;
        governance = governance_;
        receiverAddress = receiver_;
    }

    /// @dev Moves the clock forward by up to ~1.5 years, then reports a slot count between the last
    ///      report and the clock.
    function report(uint256 advance, uint256 slotSeed) external {
        vm.warp(block.timestamp + bound(advance, 1, 500 days));
        uint256 reported = emission.reportedSlots();
        uint256 elapsed = emission.slotsElapsed();
        if (elapsed <= reported) return;
        uint256 slotCount = bound(slotSeed, reported + 1, elapsed);
        (,, uint256 burned,) = emission.splitOf(emission.emittedAt(slotCount) - emission.emittedAt(reported));
        vm.prank(beacon);
        ghostEmitted += emission.reportSlots(slotCount);
        ghostBurned += burned;
        ++ghostReports;
    }

    /// @dev A replayed or stale report must be rejected and change nothing.
    function reportStale(uint256 slotSeed) external {
        uint256 reported = emission.reportedSlots();
        uint256 slotCount = bound(slotSeed, 0, reported);
        vm.prank(beacon);
        try emission.reportSlots(slotCount) {
            revert("stale report accepted");
        } catch {
            ++ghostBackwardRejections;
        }
    }

    function wireRecipients() external {
        vm.startPrank(governance);
        emission.setRewardReceiver(IRewardReceiver(receiverAddress));
        emission.setStoragePool(address(0x5707));
        vm.stopPrank();
    }
}

contract EmissionInvariantTest is Test {
    MoltToken private token;
    Emission private emission;
    EmissionHandler private handler;
    GenesisDistribution private genesis;

    function setUp() public {
        vm.warp(GENESIS);
        address admin = address(0xAD);
        token = new MoltToken(admin);
        emission = new Emission(token, admin, GENESIS, address(0x7EA5), IRewardReceiver(address(0)), address(0));
        ReentrantRewardReceiver receiver = new ReentrantRewardReceiver(emission, token);
        genesis = new GenesisDistribution(
            token,
            IGenesisDistribution.Recipients({
                treasury: address(0x7EA5),
                liquidityAuction: address(0xA0C7),
                securityAuditFund: address(0xA0D1),
                developmentBeneficiary: address(0xDE5),
                hardwareBeneficiary: address(0x4A4D)
            }),
            uint64(GENESIS)
        );
        handler = new EmissionHandler(token, emission, address(0xBEAC), address(0x60F), address(receiver));
        vm.startPrank(admin);
        token.grantRole(token.MINTER_ROLE(), address(genesis));
        token.grantRole(token.MINTER_ROLE(), address(emission));
        emission.grantRole(MoltRoles.BEACON_ROLE, address(0xBEAC));
        emission.grantRole(MoltRoles.GOVERNANCE_ROLE, address(0x60F));
        vm.stopPrank();
        genesis.distribute();

        bytes4[] memory selectors = new bytes4[](3);
        selectors[0] = EmissionHandler.report.selector;
        selectors[1] = EmissionHandler.reportStale.selector;
        selectors[2] = EmissionHandler.wireRecipients.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    function invariant_totalSupplyNeverExceedsTheCap() public view {
        assertLe(token.totalSupply(), CAP);
        assertLe(token.totalMinted(), CAP);
    }

    function invariant_emittedIsTheScheduleSumOfTheReportedSlots() public view {
        uint256 reported = emission.reportedSlots();
        assertEq(emission.totalEmitted(), referenceEmitted(reported), "schedule sum");
        assertEq(emission.totalEmitted(), handler.ghostEmitted(), "ghost emitted");
        assertLe(emission.totalEmitted(), RESERVE, "reserve");
        assertLe(reported, emission.slotsElapsed(), "clock");
    }

    function invariant_onlyGenesisAndEmissionMinted() public view {
        assertEq(token.totalMinted(), GENESIS_MINT + handler.ghostEmitted());
        assertEq(token.totalBurned(), handler.ghostBurned());
    }

    function invariant_emissionHoldsExactlyThePending() public view {
        assertEq(
            token.balanceOf(address(emission)), emission.pendingValidatorRewards() + emission.pendingStorageRewards()
        );
    }
}
