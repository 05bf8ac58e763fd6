// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IRewardReceiver} from "../../../contracts/interfaces/IRewardReceiver.sol";
import {ITreasury} from "../../../contracts/interfaces/ITreasury.sol";
import {MoltRoles} from "../../../contracts/libraries/MoltRoles.sol";
import {MoltToken} from "../../../contracts/token/MoltToken.sol";
import {Treasury} from "../../../contracts/treasury/Treasury.sol";
import {Test, TestBase} from "../utils/Test.sol";

/// @dev §11.2, §13.4 and App. A written out here, not read from MoltConstants.
uint256 constant MOLT = 1e6;
uint256 constant YEAR = 365 days;
uint256 constant QUARTER = 7_884_000; // 91.25 days
uint256 constant TREASURY_ALLOCATION = 200_000_000 * MOLT;
uint256 constant SUBSIDY_PER_YEAR = 5_000_000 * MOLT;
uint256 constant GENESIS = 1_800_000_000;

/// @notice A reward receiver that tries to spend from the treasury while being paid the subsidy
///         (it is given GOVERNANCE_ROLE in the reentrancy test).
contract ReentrantSubsidyReceiver is IRewardReceiver {
    Treasury public immutable treasury;
    uint256 public notified;
    bytes public reentryError;

    constructor(Treasury treasury_) {
        treasury = treasury_;
    }

    function notifyRewards(uint256 amount) external {
        notified += amount;
        try treasury.spend(treasury.molt(), address(this), 1) {
            reentryError = "reentered";
        } catch (bytes memory reason) {
            reentryError = reason;
        }
    }
}

/// @notice An ERC-20 whose transfers call back into the treasury, to try a second spend while the
///         first one is paying out.
contract ReentrantToken is ERC20 {
    Treasury public treasury;
    bytes public reentryError;

    constructor() ERC20("Reentrant", "RE") {}

    function setTreasury(Treasury treasury_) external {
        treasury = treasury_;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from == address(treasury) && address(treasury) != address(0)) {
            try treasury.spend(IERC20(address(this)), to, 1) {
                reentryError = "reentered";
            } catch (bytes memory reason) {
                reentryError = reason;
            }
        }
    }
}

contract TreasuryTest is Test {
    MoltToken private token;
    Treasury private treasury;
    address private admin = address(0xAD);
    address private governance = address(0x60F);
    address private alice = address(0xA11CE);

    function setUp() public {
        vm.warp(GENESIS);
        token = new MoltToken(admin);
        treasury = new Treasury(token, admin, GENESIS);
        vm.startPrank(admin);
        token.grantRole(token.MINTER_ROLE(), admin);
        token.mint(address(treasury), TREASURY_ALLOCATION);
        treasury.grantRole(MoltRoles.GOVERNANCE_ROLE, governance);
        vm.stopPrank();
    }

    function _fund(uint256 amount) private {
        vm.prank(admin);
        token.mint(address(treasury), amount);
    }

    function _spend(uint256 amount) private {
        vm.prank(governance);
        treasury.spend(token, alice, amount);
    }

    // ----------------------------------------------------------------- constructor and views

    function test_constructor_revertsOnZeroArguments() public {
        vm.expectRevert(ITreasury.Treasury__ZeroAddress.selector);
        new Treasury(IERC20(address(0)), admin, GENESIS);
        vm.expectRevert(ITreasury.Treasury__ZeroAddress.selector);
        new Treasury(token, address(0), GENESIS);
        vm.expectRevert(ITreasury.Treasury__ZeroGenesisTime.selector);
        new Treasury(token, admin, 0);
    }

    function testFuzz_quarterAt_countsQuartersOfTheYearFromGenesis(uint256 offset) public view {
        offset = bound(offset, 0, 100 * YEAR);
        assertEq(treasury.quarterAt(GENESIS + offset), offset / QUARTER);
        assertEq(treasury.quarterAt(GENESIS - (offset % GENESIS)), 0);
    }

    function test_isCapped_forExactlyTwoYears() public {
        assertTrue(treasury.isCapped());
        vm.warp(GENESIS + 2 * YEAR - 1);
        assertTrue(treasury.isCapped());
        assertEq(treasury.quarterAt(block.timestamp), 7);
        vm.warp(GENESIS + 2 * YEAR);
        assertFalse(treasury.isCapped());
        (uint256 remaining, uint256 cap) = treasury.quarterlyAllowance(token);
        assertEq(remaining, type(uint256).max);
        assertEq(cap, type(uint256).max);
    }

    // ----------------------------------------------------------------- spend

    function testFuzz_spend_withinTheQuarterCap(uint256 offset, uint256 amount) public {
        vm.warp(GENESIS + bound(offset, 0, 2 * YEAR - 1));
        uint256 cap = TREASURY_ALLOCATION * 2 / 100; // 4M $MOLT
        amount = bound(amount, 1, cap);

        vm.expectEmit(true, true, true, true, address(treasury));
        emit ITreasury.QuarterlyCapSet(address(token), treasury.quarterAt(block.timestamp), cap);
        vm.expectEmit(true, true, true, true, address(treasury));
        emit ITreasury.Spent(address(token), alice, amount);
        _spend(amount);

        assertEq(token.balanceOf(alice), amount);
        (uint256 remaining, uint256 reportedCap) = treasury.quarterlyAllowance(token);
        assertEq(reportedCap, cap);
        assertEq(remaining, cap - amount);
    }

    function testFuzz_spend_revertsAboveTheQuarterCap(uint256 balance, uint256 first, uint256 excess) public {
        balance = bound(balance, 100, 3 * TREASURY_ALLOCATION);
        Treasury fresh = new Treasury(token, admin, GENESIS);
        vm.startPrank(admin);
        fresh.grantRole(MoltRoles.GOVERNANCE_ROLE, governance);
        token.mint(address(fresh), balance);
        vm.stopPrank();
        uint256 cap = balance * 2 / 100; // rounds down
        first = bound(first, 0, cap);
        if (first != 0) {
            vm.prank(governance);
            fresh.spend(token, alice, first);
        }

        // Above the cap but within the balance, so the cap is what refuses it.
        uint256 amount = cap - first + bound(excess, 1, balance - cap);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITreasury.Treasury__QuarterlyCapExceeded.selector, address(token), amount, cap - first
            )
        );
        vm.prank(governance);
        fresh.spend(token, alice, amount);
    }

    function testFuzz_spend_capIsFixedAtTheFirstWithdrawalOfTheQuarter(uint256 inflow) public {
        uint256 cap = TREASURY_ALLOCATION * 2 / 100;
        _spend(1);
        inflow = bound(inflow, 1, 500_000_000 * MOLT);
        _fund(inflow);
        (uint256 remaining, uint256 reportedCap) = treasury.quarterlyAllowance(token);
        assertEq(reportedCap, cap);
        assertEq(remaining, cap - 1);
        vm.expectRevert(
            abi.encodeWithSelector(ITreasury.Treasury__QuarterlyCapExceeded.selector, address(token), cap, cap - 1)
        );
        _spend(cap);
    }

    function testFuzz_spend_capRenewsEachQuarter(uint256 quarter, uint256 intoQuarter) public {
        uint256 cap0 = TREASURY_ALLOCATION * 2 / 100;
        _spend(cap0);
        vm.expectRevert(abi.encodeWithSelector(ITreasury.Treasury__QuarterlyCapExceeded.selector, address(token), 1, 0));
        _spend(1);

        quarter = bound(quarter, 1, 7);
        vm.warp(GENESIS + quarter * QUARTER + bound(intoQuarter, 0, QUARTER - 1));
        uint256 cap = (TREASURY_ALLOCATION - cap0) * 2 / 100;
        (uint256 remaining,) = treasury.quarterlyAllowance(token);
        assertEq(remaining, cap);
        _spend(cap);
        assertEq(token.balanceOf(alice), cap0 + cap);
    }

    function test_spend_lastSecondOfQuarterIsStillThatQuarter() public {
        uint256 cap0 = TREASURY_ALLOCATION * 2 / 100;
        _spend(cap0);
        vm.warp(GENESIS + QUARTER - 1);
        vm.expectRevert(abi.encodeWithSelector(ITreasury.Treasury__QuarterlyCapExceeded.selector, address(token), 1, 0));
        _spend(1);
        vm.warp(GENESIS + QUARTER);
        _spend(1);
    }

    function testFuzz_spend_isUncappedAfterTwoYears(uint256 offset, uint256 amount) public {
        vm.warp(GENESIS + 2 * YEAR + bound(offset, 0, 50 * YEAR));
        amount = bound(amount, 1, TREASURY_ALLOCATION);
        _spend(amount);
        assertEq(token.balanceOf(alice), amount);
    }

    function testFuzz_spend_capsEachAssetOnItsOwn(uint256 otherBalance, uint256 amount) public {
        MoltToken other = new MoltToken(admin);
        otherBalance = bound(otherBalance, 50, 1e15);
        vm.startPrank(admin);
        other.grantRole(other.MINTER_ROLE(), admin);
        other.mint(address(treasury), otherBalance);
        vm.stopPrank();
        _spend(TREASURY_ALLOCATION * 2 / 100); // exhausts the $MOLT cap only

        uint256 cap = otherBalance * 2 / 100;
        amount = bound(amount, 1, cap);
        vm.prank(governance);
        treasury.spend(other, alice, amount);
        assertEq(other.balanceOf(alice), amount);
    }

    function test_spend_rejectsBadInput() public {
        vm.startPrank(governance);
        vm.expectRevert(ITreasury.Treasury__ZeroAddress.selector);
        treasury.spend(IERC20(address(0)), alice, 1);
        vm.expectRevert(ITreasury.Treasury__ZeroAddress.selector);
        treasury.spend(token, address(0), 1);
        vm.expectRevert(abi.encodeWithSelector(ITreasury.Treasury__NotAToken.selector, alice));
        treasury.spend(IERC20(alice), alice, 1);
        vm.expectRevert(ITreasury.Treasury__ZeroAmount.selector);
        treasury.spend(token, alice, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITreasury.Treasury__InsufficientBalance.selector,
                address(token),
                TREASURY_ALLOCATION,
                TREASURY_ALLOCATION + 1
            )
        );
        treasury.spend(token, alice, TREASURY_ALLOCATION + 1);
        vm.stopPrank();
    }

    function test_quarterlyAllowance_rejectsNonTokens() public {
        vm.expectRevert(ITreasury.Treasury__ZeroAddress.selector);
        treasury.quarterlyAllowance(IERC20(address(0)));
        vm.expectRevert(abi.encodeWithSelector(ITreasury.Treasury__NotAToken.selector, alice));
        treasury.quarterlyAllowance(IERC20(alice));
    }

    function testFuzz_spend_revertsForNonGovernance(address caller) public {
        vm.assume(caller != governance);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, caller, MoltRoles.GOVERNANCE_ROLE
            )
        );
        vm.prank(caller);
        treasury.spend(token, alice, 1);
    }

    function test_spend_blocksReentryFromTheAsset() public {
        ReentrantToken evil = new ReentrantToken();
        evil.mint(address(treasury), 1000);
        evil.setTreasury(treasury);
        vm.prank(admin);
        treasury.grantRole(MoltRoles.GOVERNANCE_ROLE, address(evil));

        vm.prank(governance);
        treasury.spend(evil, alice, 10);

        assertEq(
            keccak256(evil.reentryError()),
            keccak256(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector))
        );
        assertEq(evil.balanceOf(alice), 10);
        (uint256 remaining,) = treasury.quarterlyAllowance(evil);
        assertEq(remaining, 20 - 10);
    }

    // ----------------------------------------------------------------- subsidy

    function testFuzz_paySubsidy_upToTheYearlyBudget(uint256 offset, uint256 first, uint256 second) public {
        _fund(300_000_000 * MOLT); // a 10M $MOLT quarterly cap, so only the subsidy budget binds
        vm.warp(GENESIS + bound(offset, 0, YEAR - QUARTER)); // both payments in one year and quarter
        ReentrantSubsidyReceiver receiver = new ReentrantSubsidyReceiver(treasury);
        first = bound(first, 1, SUBSIDY_PER_YEAR);
        vm.expectEmit(true, true, true, true, address(treasury));
        emit ITreasury.SubsidyPaid(address(receiver), 0, first);
        vm.prank(governance);
        treasury.paySubsidy(receiver, first);
        assertEq(token.balanceOf(address(receiver)), first);
        assertEq(receiver.notified(), first);
        assertEq(treasury.subsidyPaid(0), first);
        assertEq(treasury.subsidyRemaining(), SUBSIDY_PER_YEAR - first);

        second = bound(second, SUBSIDY_PER_YEAR - first + 1, 1e30);
        vm.expectRevert(
            abi.encodeWithSelector(ITreasury.Treasury__SubsidyBudgetExceeded.selector, second, SUBSIDY_PER_YEAR - first)
        );
        vm.prank(governance);
        treasury.paySubsidy(receiver, second);
    }

    function test_paySubsidy_budgetRenewsInYearTwoAndEndsAfter() public {
        _fund(300_000_000 * MOLT); // a 10M $MOLT quarterly cap: 5M in one payment fits
        ReentrantSubsidyReceiver receiver = new ReentrantSubsidyReceiver(treasury);
        vm.prank(governance);
        treasury.paySubsidy(receiver, SUBSIDY_PER_YEAR);
        assertEq(treasury.subsidyRemaining(), 0);

        vm.warp(GENESIS + YEAR);
        assertEq(treasury.subsidyRemaining(), SUBSIDY_PER_YEAR);
        vm.prank(governance);
        treasury.paySubsidy(receiver, SUBSIDY_PER_YEAR);
        assertEq(treasury.subsidyPaid(1), SUBSIDY_PER_YEAR);

        vm.warp(GENESIS + 2 * YEAR);
        assertEq(treasury.subsidyRemaining(), 0);
        vm.expectRevert(abi.encodeWithSelector(ITreasury.Treasury__SubsidyPeriodOver.selector, GENESIS + 2 * YEAR));
        vm.prank(governance);
        treasury.paySubsidy(receiver, 1);
    }

    function test_paySubsidy_countsAgainstTheQuarterlyCap() public {
        ReentrantSubsidyReceiver receiver = new ReentrantSubsidyReceiver(treasury);
        uint256 cap = TREASURY_ALLOCATION * 2 / 100;
        _spend(cap - 1000);
        vm.expectRevert(
            abi.encodeWithSelector(ITreasury.Treasury__QuarterlyCapExceeded.selector, address(token), 1001, 1000)
        );
        vm.prank(governance);
        treasury.paySubsidy(receiver, 1001);
        assertEq(treasury.subsidyPaid(0), 0); // rolled back with the revert
    }

    function test_paySubsidy_rejectsBadInput() public {
        vm.startPrank(governance);
        vm.expectRevert(ITreasury.Treasury__ZeroAddress.selector);
        treasury.paySubsidy(IRewardReceiver(address(0)), 1);
        ReentrantSubsidyReceiver receiver = new ReentrantSubsidyReceiver(treasury);
        vm.expectRevert(ITreasury.Treasury__ZeroAmount.selector);
        treasury.paySubsidy(receiver, 0);
        vm.stopPrank();
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, alice, MoltRoles.GOVERNANCE_ROLE
            )
        );
        vm.prank(alice);
        treasury.paySubsidy(receiver, 1);
    }

    function test_paySubsidy_revertsAboveTheBalance() public {
        Treasury poor = new Treasury(token, admin, GENESIS);
        vm.prank(admin);
        poor.grantRole(MoltRoles.GOVERNANCE_ROLE, governance);
        ReentrantSubsidyReceiver receiver = new ReentrantSubsidyReceiver(poor);
        vm.expectRevert(abi.encodeWithSelector(ITreasury.Treasury__InsufficientBalance.selector, address(token), 0, 1));
        vm.prank(governance);
        poor.paySubsidy(receiver, 1);
        assertEq(poor.subsidyPaid(0), 0);
    }

    function test_paySubsidy_blocksReentryFromTheReceiver() public {
        ReentrantSubsidyReceiver receiver = new ReentrantSubsidyReceiver(treasury);
        vm.prank(admin);
        treasury.grantRole(MoltRoles.GOVERNANCE_ROLE, address(receiver));
        vm.prank(governance);
        treasury.paySubsidy(receiver, 1000);
        assertEq(
            keccak256(receiver.reentryError()),
            keccak256(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector))
        );
        assertEq(token.balanceOf(address(receiver)), 1000);
    }
}

/// @notice Drives the treasury through clock advances, inflows, spends and subsidy payments on two
///         assets, and keeps its own record of each capped quarter's cap (2 % of the balance before
///         the quarter's first withdrawal, computed here) and of what was withdrawn in it.
contract TreasuryHandler is TestBase {
    Treasury public immutable treasury;
    MoltToken public immutable molt;
    MoltToken public immutable other;
    address public immutable minter;
    address public immutable governance;
    address public immutable receiver;

    mapping(address asset => mapping(uint256 quarter => uint256)) public ghostCap;
    mapping(address asset => mapping(uint256 quarter => uint256)) public ghostSpent;
    mapping(address asset => mapping(uint256 quarter => bool)) public ghostOpened;
    mapping(uint256 year => uint256) public ghostSubsidy;
    uint256 public overspendRejections;

    constructor(
        Treasury treasury_,
        MoltToken molt_,
        MoltToken other_,
        address minter_,
        address governance_,
        address receiver_
    ) {
        treasury = treasury_;
        molt = molt_;
        other = other_;
        minter = minter_;
        governance = governance_;
        receiver = receiver_;
    }

    function _asset(uint256 seed) private view returns (MoltToken) {
        return seed % 2 == 0 ? molt : other;
    }

    function _capped() private view returns (bool) {
        return block.timestamp < treasury.genesisTime() + 2 * YEAR;
    }

    /// @dev What may still be withdrawn of `asset` now, by this handler's own bookkeeping.
    function _room(MoltToken asset) private view returns (uint256) {
        uint256 balance = asset.balanceOf(address(treasury));
        if (!_capped()) return balance;
        uint256 quarter = treasury.quarterAt(block.timestamp);
        uint256 room = ghostOpened[address(asset)][quarter]
            ? ghostCap[address(asset)][quarter] - ghostSpent[address(asset)][quarter]
            : balance * 2 / 100;
        return room < balance ? room : balance;
    }

    function _record(MoltToken asset, uint256 amount) private {
        if (!_capped()) return;
        uint256 quarter = treasury.quarterAt(block.timestamp);
        if (!ghostOpened[address(asset)][quarter]) {
            ghostOpened[address(asset)][quarter] = true;
            ghostCap[address(asset)][quarter] = asset.balanceOf(address(treasury)) * 2 / 100;
        }
        ghostSpent[address(asset)][quarter] += amount;
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 120 days));
    }

    function inflow(uint256 assetSeed, uint256 amount) external {
        MoltToken asset = _asset(assetSeed);
        amount = bound(amount, 0, 10_000_000 * MOLT);
        if (amount > asset.cap() - asset.totalMinted()) return;
        vm.prank(minter);
        asset.mint(address(treasury), amount);
    }

    function spend(uint256 assetSeed, uint256 amount) external {
        MoltToken asset = _asset(assetSeed);
        uint256 room = _room(asset);
        if (room == 0) return;
        amount = bound(amount, 1, room);
        _record(asset, amount);
        vm.prank(governance);
        treasury.spend(asset, address(0xB0B), amount);
    }

    /// @dev One micromolt past the handler's own room must be refused while capped.
    function overspend(uint256 assetSeed) external {
        MoltToken asset = _asset(assetSeed);
        if (!_capped()) return;
        uint256 amount = _room(asset) + 1;
        if (amount > asset.balanceOf(address(treasury))) return; // would fail on the balance instead
        vm.prank(governance);
        try treasury.spend(asset, address(0xB0B), amount) {
            revert("spent past the quarterly cap");
        } catch {
            ++overspendRejections;
        }
    }

    function paySubsidy(uint256 amount) external {
        if (block.timestamp >= treasury.genesisTime() + 2 * YEAR) return;
        uint256 year = (block.timestamp - treasury.genesisTime()) / YEAR;
        uint256 room = _room(molt);
        uint256 budget = SUBSIDY_PER_YEAR - ghostSubsidy[year];
        if (budget < room) room = budget;
        if (room == 0) return;
        amount = bound(amount, 1, room);
        _record(molt, amount);
        ghostSubsidy[year] += amount;
        vm.prank(governance);
        treasury.paySubsidy(IRewardReceiver(receiver), amount);
    }
}

/// @dev A receiver that accepts everything.
contract SinkReceiver is IRewardReceiver {
    function notifyRewards(uint256) external {}
}

contract TreasuryInvariantTest is Test {
    Treasury private treasury;
    MoltToken private molt;
    MoltToken private other;
    TreasuryHandler private handler;

    function setUp() public {
        vm.warp(GENESIS);
        address admin = address(0xAD);
        molt = new MoltToken(admin);
        other = new MoltToken(admin);
        treasury = new Treasury(molt, admin, GENESIS);
        SinkReceiver sink = new SinkReceiver();
        handler = new TreasuryHandler(treasury, molt, other, admin, address(0x60F), address(sink));
        vm.startPrank(admin);
        molt.grantRole(molt.MINTER_ROLE(), admin);
        other.grantRole(other.MINTER_ROLE(), admin);
        molt.mint(address(treasury), TREASURY_ALLOCATION);
        other.mint(address(treasury), 1_000 * MOLT);
        treasury.grantRole(MoltRoles.GOVERNANCE_ROLE, address(0x60F));
        vm.stopPrank();

        bytes4[] memory selectors = new bytes4[](5);
        selectors[0] = TreasuryHandler.warp.selector;
        selectors[1] = TreasuryHandler.inflow.selector;
        selectors[2] = TreasuryHandler.spend.selector;
        selectors[3] = TreasuryHandler.overspend.selector;
        selectors[4] = TreasuryHandler.paySubsidy.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    function invariant_spendingNeverExceedsTheQuarterlyCap() public view {
        for (uint256 quarter = 0; quarter < 8; ++quarter) {
            assertLe(handler.ghostSpent(address(molt), quarter), handler.ghostCap(address(molt), quarter));
            assertLe(handler.ghostSpent(address(other), quarter), handler.ghostCap(address(other), quarter));
        }
    }

    function invariant_contractAgreesWithTheIndependentCap() public view {
        if (!treasury.isCapped()) return;
        uint256 quarter = treasury.quarterAt(block.timestamp);
        if (!handler.ghostOpened(address(molt), quarter)) return;
        (uint256 remaining, uint256 cap) = treasury.quarterlyAllowance(molt);
        assertEq(cap, handler.ghostCap(address(molt), quarter));
        assertEq(remaining, cap - handler.ghostSpent(address(molt), quarter));
    }

    function invariant_subsidyNeverExceedsTheYearlyBudget() public view {
        assertLe(treasury.subsidyPaid(0), SUBSIDY_PER_YEAR);
        assertLe(treasury.subsidyPaid(1), SUBSIDY_PER_YEAR);
        assertEq(treasury.subsidyPaid(0), handler.ghostSubsidy(0));
        assertEq(treasury.subsidyPaid(1), handler.ghostSubsidy(1));
    }
}
