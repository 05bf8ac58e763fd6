// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IBatchAuction} from "../../../contracts/interfaces/IBatchAuction.sol";
import {BatchAuction} from "../../../contracts/token/BatchAuction.sol";
import {MoltToken} from "../../../contracts/token/MoltToken.sol";
import {Test, TestBase} from "../utils/Test.sol";

/// @dev §11.2 written out here, not read from MoltConstants.
uint256 constant MOLT = 1e6;
uint256 constant SUPPLY = 100_000_000 * MOLT;
uint256 constant ADDRESS_CAP = 5_000_000 * MOLT;
uint256 constant TICKS = 4096;
uint256 constant RESERVE = 1e9; // wei per micromolt: 0.001 ETH per $MOLT
uint256 constant TICK_SIZE = 1e7; // 1 % of the reserve
uint64 constant START = 1_800_000_000;
uint64 constant END = START + 3 days;

/// @notice A bidder contract that, when refunded, tries to claim again and to withdraw the
///         proceeds, or rejects ETH altogether.
contract ReentrantBidder {
    BatchAuction public immutable auction;
    bool public rejectEth;
    uint256[] private _ids;
    bytes public claimReentryError;
    bytes public withdrawReentryError;
    uint256 public received;

    constructor(BatchAuction auction_) {
        auction = auction_;
    }

    function placeBid(uint256 tick, uint256 quantity) external payable returns (uint256 id) {
        id = auction.bid{value: msg.value}(tick, quantity);
        _ids.push(id);
    }

    function claimAll() external {
        auction.claim(_ids);
    }

    function setRejectEth(bool reject) external {
        rejectEth = reject;
    }

    receive() external payable {
        if (rejectEth) revert("no ETH");
        received += msg.value;
        try auction.claim(_ids) {
            claimReentryError = "reentered";
        } catch (bytes memory reason) {
            claimReentryError = reason;
        }
        try auction.withdrawProceeds() {
            withdrawReentryError = "reentered";
        } catch (bytes memory reason) {
            withdrawReentryError = reason;
        }
    }
}

/// @notice The clearing rule computed another way, from the bids kept in memory: ticks sorted
///         from the highest down, demand accumulated until it reaches min(supply, total).
library ReferenceClearing {
    struct Bid {
        uint256 tick;
        uint256 quantity;
    }

    function clear(Bid[] memory bids) internal pure returns (uint256 tick, uint256 sold, uint256 above) {
        uint256 total;
        for (uint256 i = 0; i < bids.length; ++i) {
            total += bids[i].quantity;
        }
        sold = total < SUPPLY ? total : SUPPLY;
        if (sold == 0) return (0, 0, 0);
        // Distinct ticks, highest first (insertion sort; few bids).
        uint256[] memory ticks = new uint256[](bids.length);
        uint256 count;
        for (uint256 i = 0; i < bids.length; ++i) {
            bool seen;
            for (uint256 j = 0; j < count; ++j) {
                if (ticks[j] == bids[i].tick) seen = true;
            }
            if (seen) continue;
            uint256 k = count++;
            while (k > 0 && ticks[k - 1] < bids[i].tick) {
                ticks[k] = ticks[k - 1];
                --k;
            }
            ticks[k] = bids[i].tick;
        }
        for (uint256 j = 0; j < count; ++j) {
            uint256 atTick;
            for (uint256 i = 0; i < bids.length; ++i) {
                if (bids[i].tick == ticks[j]) atTick += bids[i].quantity;
            }
            if (above + atTick >= sold) return (ticks[j], sold, above);
            above += atTick;
        }
        revert("unreachable");
    }
}

abstract contract AuctionFixture is TestBase {
    MoltToken internal token;
    BatchAuction internal auction;
    address internal admin = address(0xAD);
    address internal proceedsRecipient = address(0x9C0C);
    address internal unsoldRecipient = address(0x7EA5);

    function _deploy() internal {
        vm.warp(START - 1 days);
        token = new MoltToken(admin);
        auction = new BatchAuction(
            token, proceedsRecipient, unsoldRecipient, START, END, uint128(RESERVE), uint128(TICK_SIZE)
        );
        vm.startPrank(admin);
        token.grantRole(token.MINTER_ROLE(), admin);
        token.mint(address(auction), SUPPLY);
        vm.stopPrank();
    }

    function _price(uint256 tick) internal pure returns (uint256) {
        return RESERVE + tick * TICK_SIZE;
    }

    function _bid(address bidder, uint256 tick, uint256 quantity) internal returns (uint256) {
        uint256 deposit = quantity * _price(tick);
        vm.deal(bidder, bidder.balance + deposit);
        vm.prank(bidder);
        return auction.bid{value: deposit}(tick, quantity);
    }

    function _one(uint256 id) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](1);
        ids[0] = id;
    }
}

contract BatchAuctionTest is Test, AuctionFixture {
    address private alice = address(0xA11CE);
    address private bob = address(0xB0B);

    function setUp() public {
        _deploy();
        vm.warp(START);
    }

    function _clear() private {
        vm.warp(END);
        auction.clear();
    }

    // ----------------------------------------------------------------- constructor and views

    function test_constructor_setsTheParameters() public view {
        assertEq(auction.supply(), SUPPLY);
        assertEq(auction.addressCap(), ADDRESS_CAP);
        assertEq(auction.TICK_COUNT(), TICKS);
        assertEq(auction.BUCKET_SIZE(), 64);
        assertEq(auction.startTime(), START);
        assertEq(auction.endTime(), END);
        assertEq(auction.reservePrice(), RESERVE);
        assertEq(auction.tickSize(), TICK_SIZE);
        assertEq(auction.proceedsRecipient(), proceedsRecipient);
        assertEq(auction.unsoldRecipient(), unsoldRecipient);
        assertEq(address(auction.token()), address(token));
        assertEq(auction.priceAt(TICKS - 1), RESERVE + 4095 * TICK_SIZE);
    }

    function test_constructor_rejectsBadInput() public {
        uint128 r = uint128(RESERVE);
        uint128 t = uint128(TICK_SIZE);
        vm.expectRevert(IBatchAuction.BatchAuction__ZeroAddress.selector);
        new BatchAuction(IERC20(address(0)), proceedsRecipient, unsoldRecipient, START, END, r, t);
        vm.expectRevert(IBatchAuction.BatchAuction__ZeroAddress.selector);
        new BatchAuction(token, address(0), unsoldRecipient, START, END, r, t);
        vm.expectRevert(IBatchAuction.BatchAuction__ZeroAddress.selector);
        new BatchAuction(token, proceedsRecipient, address(0), START, END, r, t);
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__InvalidSchedule.selector, END, END));
        new BatchAuction(token, proceedsRecipient, unsoldRecipient, END, END, r, t);
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__InvalidSchedule.selector, START - 10, START));
        new BatchAuction(token, proceedsRecipient, unsoldRecipient, START - 10, START, r, t); // now == START
        vm.expectRevert(IBatchAuction.BatchAuction__ZeroPrice.selector);
        new BatchAuction(token, proceedsRecipient, unsoldRecipient, START, END, 0, t);
        vm.expectRevert(IBatchAuction.BatchAuction__ZeroPrice.selector);
        new BatchAuction(token, proceedsRecipient, unsoldRecipient, START, END, r, 0);
    }

    function test_views_rejectUnknownTicksAndBids() public {
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__InvalidTick.selector, TICKS));
        auction.priceAt(TICKS);
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__InvalidTick.selector, TICKS));
        auction.demandAt(TICKS);
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__UnknownBid.selector, 0));
        auction.bidOf(0);
        vm.expectRevert(IBatchAuction.BatchAuction__NotCleared.selector);
        auction.settlementOf(0);
    }

    // ----------------------------------------------------------------- bid

    function testFuzz_bid_escrowsExactlyQuantityTimesPrice(uint256 tick, uint256 quantity) public {
        tick = bound(tick, 0, TICKS - 1);
        quantity = bound(quantity, 1, ADDRESS_CAP);
        uint256 deposit = quantity * _price(tick);
        vm.deal(alice, deposit);
        vm.expectEmit(true, true, true, true, address(auction));
        emit IBatchAuction.BidPlaced(0, alice, tick, quantity, deposit);
        vm.prank(alice);
        uint256 id = auction.bid{value: deposit}(tick, quantity);

        assertEq(id, 0);
        assertEq(address(auction).balance, deposit);
        IBatchAuction.Bid memory stored = auction.bidOf(0);
        assertEq(stored.bidder, alice);
        assertEq(stored.tick, tick);
        assertEq(stored.quantity, quantity);
        assertEq(stored.offset, 0);
        assertEq(auction.committedOf(alice), quantity);
        assertEq(auction.demandAt(tick), quantity);
        assertEq(auction.totalDemand(), quantity);
    }

    function testFuzz_bid_revertsOnWrongPayment(uint256 quantity, uint256 sent) public {
        quantity = bound(quantity, 1, ADDRESS_CAP);
        uint256 deposit = quantity * _price(7);
        sent = bound(sent, 0, 2 * deposit);
        vm.assume(sent != deposit);
        vm.deal(alice, sent);
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__WrongPayment.selector, deposit, sent));
        vm.prank(alice);
        auction.bid{value: sent}(7, quantity);
    }

    function testFuzz_bid_capsEachAddressAt5M(uint256 first, uint256 second) public {
        first = bound(first, 1, ADDRESS_CAP);
        _bid(alice, 3, first);
        second = bound(second, ADDRESS_CAP - first + 1, type(uint256).max);
        vm.expectRevert(
            abi.encodeWithSelector(
                IBatchAuction.BatchAuction__AddressCapExceeded.selector, alice, second, ADDRESS_CAP - first
            )
        );
        vm.prank(alice);
        auction.bid(3, second);
        // The rest of the cap is still available, and other addresses have their own.
        if (first < ADDRESS_CAP) _bid(alice, 4, ADDRESS_CAP - first);
        _bid(bob, 4, ADDRESS_CAP);
    }

    function test_bid_revertsOutsideTheWindow() public {
        vm.warp(START - 1);
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__NotOpen.selector, START - 1, START, END));
        auction.bid(0, 1);
        vm.warp(END);
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__NotOpen.selector, END, START, END));
        auction.bid(0, 1);
    }

    function test_bid_rejectsBadInput() public {
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__InvalidTick.selector, TICKS));
        auction.bid(TICKS, 1);
        vm.expectRevert(IBatchAuction.BatchAuction__ZeroQuantity.selector);
        auction.bid(0, 0);
    }

    function test_bid_revertsWhenTheAuctionIsNotFunded() public {
        BatchAuction unfunded = new BatchAuction(
            token, proceedsRecipient, unsoldRecipient, START, END, uint128(RESERVE), uint128(TICK_SIZE)
        );
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__NotFunded.selector, 0, SUPPLY));
        unfunded.bid(0, 1);
        vm.warp(END);
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__NotFunded.selector, 0, SUPPLY));
        unfunded.clear();
    }

    // ----------------------------------------------------------------- clear

    function test_clear_oversubscribedSharesTheMarginalTickProRata() public {
        // 19 × 5M at tick 100 (95M), then 3M + 6M at tick 50: 5M left for 9M at the margin.
        for (uint256 i = 0; i < 19; ++i) {
            _bid(address(uint160(0x1000 + i)), 100, ADDRESS_CAP);
        }
        _bid(alice, 50, 3_000_000 * MOLT);
        _bid(bob, 50, 4_000_000 * MOLT);
        _bid(address(0xC0C0), 50, 2_000_000 * MOLT);
        _bid(address(0xD0D0), 10, ADDRESS_CAP); // below the clearing tick
        (uint256 previewTick, uint256 previewPrice, uint256 previewSold) = auction.previewClearing();
        assertEq(previewTick, 50);
        assertEq(previewPrice, _price(50));
        assertEq(previewSold, SUPPLY);

        vm.warp(END);
        vm.expectEmit(true, true, true, true, address(auction));
        emit IBatchAuction.AuctionCleared(50, _price(50), SUPPLY, 0);
        auction.clear();

        // 5M shared by 9M: 3/9, 4/9, 2/9 of it, within a micromolt.
        (uint256 aliceFill, uint256 aliceCost, uint256 aliceRefund) = auction.settlementOf(19);
        (uint256 bobFill,,) = auction.settlementOf(20);
        (uint256 carolFill,,) = auction.settlementOf(21);
        assertEq(aliceFill + bobFill + carolFill, 5_000_000 * MOLT);
        assertEq(aliceFill, 1_666_666_666_666); // floor(5e12 * 3/9)
        assertEq(bobFill, 2_222_222_222_222); // floor(5e12 * 7/9) - floor(5e12 * 3/9)
        assertEq(carolFill, 1_111_111_111_112); // 5e12 - floor(5e12 * 7/9)
        assertEq(aliceCost, aliceFill * _price(50));
        assertEq(aliceRefund, 3_000_000 * MOLT * _price(50) - aliceCost);
        (uint256 topFill, uint256 topCost, uint256 topRefund) = auction.settlementOf(0);
        assertEq(topFill, ADDRESS_CAP);
        assertEq(topCost, ADDRESS_CAP * _price(50)); // pays the clearing price, not its own
        assertEq(topRefund, ADDRESS_CAP * (_price(100) - _price(50)));
        (uint256 lowFill,, uint256 lowRefund) = auction.settlementOf(22);
        assertEq(lowFill, 0);
        assertEq(lowRefund, ADDRESS_CAP * _price(10));
    }

    function test_clear_undersubscribedFillsEveryBidAtTheLowestTick() public {
        _bid(alice, 300, ADDRESS_CAP);
        _bid(bob, 20, 1_000 * MOLT);
        vm.warp(END);
        vm.expectEmit(true, true, true, true, address(auction));
        emit IBatchAuction.AuctionCleared(
            20, _price(20), ADDRESS_CAP + 1_000 * MOLT, SUPPLY - ADDRESS_CAP - 1_000 * MOLT
        );
        auction.clear();
        assertEq(token.balanceOf(unsoldRecipient), SUPPLY - ADDRESS_CAP - 1_000 * MOLT);
        (uint256 bobFill,, uint256 bobRefund) = auction.settlementOf(1);
        assertEq(bobFill, 1_000 * MOLT);
        assertEq(bobRefund, 0);
    }

    function test_clear_withoutBidsSendsEverythingToTheUnsoldRecipient() public {
        vm.warp(END);
        auction.clear();
        assertEq(token.balanceOf(unsoldRecipient), SUPPLY);
        assertEq(auction.proceeds(), 0);
        vm.expectRevert(IBatchAuction.BatchAuction__NoProceeds.selector);
        auction.withdrawProceeds();
    }

    function test_clear_sweepsMoltSentOnTop() public {
        vm.prank(admin);
        token.mint(address(auction), 77);
        _bid(alice, 1, 1000);
        vm.warp(END);
        auction.clear();
        assertEq(token.balanceOf(unsoldRecipient), SUPPLY + 77 - 1000);
        assertEq(token.balanceOf(address(auction)), 1000);
    }

    function test_clear_revertsBeforeTheEndAndTwice() public {
        vm.warp(END - 1);
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__BiddingNotOver.selector, END - 1, END));
        auction.clear();
        vm.warp(END);
        auction.clear();
        vm.expectRevert(IBatchAuction.BatchAuction__AlreadyCleared.selector);
        auction.clear();
    }

    function test_clear_readsAtMost128SlotsWhateverTheBids() public {
        // A bid in the top bucket and one at tick 0 force the longest walk: every bucket, then
        // every tick of the lowest bucket.
        _bid(alice, TICKS - 1, 1);
        _bid(bob, 0, ADDRESS_CAP);
        vm.warp(END);
        uint256 gasBefore = gasleft();
        auction.clear();
        assertLt(gasBefore - gasleft(), 400_000);
        (,, uint256 sold) = auction.previewClearing();
        assertEq(sold, ADDRESS_CAP + 1);
    }

    // ----------------------------------------------------------------- claim and proceeds

    function test_claim_paysMoltAndRefund() public {
        uint256 id = _bid(alice, 9, 1000 * MOLT);
        _bid(bob, 4, 1000 * MOLT);
        _clear(); // undersubscribed: clears at tick 4
        uint256 refund = 1000 * MOLT * (_price(9) - _price(4));
        vm.expectEmit(true, true, true, true, address(auction));
        emit IBatchAuction.BidSettled(id, alice, 1000 * MOLT, 1000 * MOLT * _price(4), refund);
        vm.prank(alice);
        auction.claim(_one(id));
        assertEq(token.balanceOf(alice), 1000 * MOLT);
        assertEq(alice.balance, refund);
        assertTrue(auction.bidOf(id).claimed);
    }

    function test_claim_rejectsBadInput() public {
        uint256 id = _bid(alice, 9, 1000);
        vm.expectRevert(IBatchAuction.BatchAuction__NotCleared.selector);
        vm.prank(alice);
        auction.claim(_one(id));
        _clear();
        vm.startPrank(alice);
        vm.expectRevert(IBatchAuction.BatchAuction__NoBidIds.selector);
        auction.claim(new uint256[](0));
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__UnknownBid.selector, 1));
        auction.claim(_one(1));
        uint256[] memory twice = new uint256[](2);
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__AlreadyClaimed.selector, 0));
        auction.claim(twice);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__NotBidder.selector, 0, bob));
        vm.prank(bob);
        auction.claim(_one(id));
        vm.startPrank(alice);
        auction.claim(_one(id));
        vm.expectRevert(abi.encodeWithSelector(IBatchAuction.BatchAuction__AlreadyClaimed.selector, 0));
        auction.claim(_one(id));
        vm.stopPrank();
    }

    function test_withdrawProceeds_paysOnce() public {
        _bid(alice, 9, 1000 * MOLT);
        vm.expectRevert(IBatchAuction.BatchAuction__NotCleared.selector);
        auction.withdrawProceeds();
        _clear();
        vm.expectEmit(true, true, true, true, address(auction));
        emit IBatchAuction.ProceedsWithdrawn(proceedsRecipient, 1000 * MOLT * _price(9));
        auction.withdrawProceeds();
        assertEq(proceedsRecipient.balance, 1000 * MOLT * _price(9));
        assertTrue(auction.proceedsWithdrawn());
        vm.expectRevert(IBatchAuction.BatchAuction__ProceedsAlreadyWithdrawn.selector);
        auction.withdrawProceeds();
    }

    function test_withdrawProceeds_revertsWhenTheRecipientRejectsEth() public {
        ReentrantBidder rejecting = new ReentrantBidder(auction);
        rejecting.setRejectEth(true);
        BatchAuction other = new BatchAuction(
            token, address(rejecting), unsoldRecipient, START, END, uint128(RESERVE), uint128(TICK_SIZE)
        );
        vm.prank(admin);
        token.mint(address(other), SUPPLY);
        vm.deal(alice, _price(0));
        vm.prank(alice);
        other.bid{value: _price(0)}(0, 1);
        vm.warp(END);
        other.clear();
        vm.expectRevert(
            abi.encodeWithSelector(
                IBatchAuction.BatchAuction__EthTransferFailed.selector, address(rejecting), _price(0)
            )
        );
        other.withdrawProceeds();
        assertFalse(other.proceedsWithdrawn());
    }

    function test_claim_revertsWhenTheBidderRejectsTheRefund() public {
        ReentrantBidder bidder = new ReentrantBidder(auction);
        vm.deal(address(this), 1000 * _price(9));
        bidder.placeBid{value: 1000 * _price(9)}(9, 1000);
        _bid(alice, 2, 1000);
        _clear();
        bidder.setRejectEth(true);
        uint256 refund = 1000 * (_price(9) - _price(2));
        vm.expectRevert(
            abi.encodeWithSelector(IBatchAuction.BatchAuction__EthTransferFailed.selector, address(bidder), refund)
        );
        bidder.claimAll();
        assertFalse(auction.bidOf(0).claimed); // rolled back
    }

    function test_claim_blocksReentryFromTheRefund() public {
        ReentrantBidder bidder = new ReentrantBidder(auction);
        vm.deal(address(this), 1000 * _price(9));
        bidder.placeBid{value: 1000 * _price(9)}(9, 1000);
        _bid(alice, 2, 1000);
        _clear();

        bidder.claimAll();

        bytes memory guard = abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        assertEq(keccak256(bidder.claimReentryError()), keccak256(guard));
        assertEq(keccak256(bidder.withdrawReentryError()), keccak256(guard));
        assertEq(bidder.received(), 1000 * (_price(9) - _price(2)));
        assertEq(token.balanceOf(address(bidder)), 1000);
        assertFalse(auction.proceedsWithdrawn());
    }

    // ----------------------------------------------------------------- the clearing rule, fuzzed

    /// @dev What the reference says the clearing is, and the demand at its tick.
    struct Expected {
        uint256 tick;
        uint256 sold;
        uint256 above;
        uint256 atMargin;
        uint256 price;
    }

    function _placeRandomBids(uint256 seed) private returns (ReferenceClearing.Bid[] memory bids, uint256 deposits) {
        // Half the runs have 20-26 bids, mostly for the whole cap: the supply is then usually
        // oversubscribed and the marginal tick split; the other half have 1-26 bids.
        uint256 n = (seed >> 128) % 2 == 0 ? 1 + seed % 26 : 20 + seed % 7;
        bids = new ReferenceClearing.Bid[](n);
        for (uint256 i = 0; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            bids[i].tick = (r % 6) * 61; // six ticks across buckets
            bids[i].quantity = r % 3 != 0 ? ADDRESS_CAP : 1 + (r >> 8) % ADDRESS_CAP;
            deposits += bids[i].quantity * _price(bids[i].tick);
            _bid(address(uint160(0x1000 + i)), bids[i].tick, bids[i].quantity);
        }
    }

    function _claimAndCheck(uint256 id, ReferenceClearing.Bid memory placed, Expected memory expected)
        private
        returns (uint256 filled, uint256 refund)
    {
        address bidder = address(uint160(0x1000 + id));
        uint256 cost;
        (filled, cost, refund) = auction.settlementOf(id);
        vm.prank(bidder);
        auction.claim(_one(id));
        assertEq(token.balanceOf(bidder), filled);
        assertEq(bidder.balance, refund);
        assertEq(cost + refund, placed.quantity * _price(placed.tick), "escrow split");
        assertEq(cost, filled * expected.price);
        if (placed.tick > expected.tick) assertEq(filled, placed.quantity);
        if (placed.tick < expected.tick) assertEq(filled, 0);
        if (placed.tick == expected.tick) {
            // Within a micromolt of the exact pro-rata share (sold - above) * quantity / atMargin.
            uint256 exact = (expected.sold - expected.above) * placed.quantity;
            assertLe(filled * expected.atMargin, exact + expected.atMargin);
            assertLe(exact, filled * expected.atMargin + expected.atMargin);
        }
    }

    /// @dev Up to 26 bids from distinct bidders on a few ticks (so ticks collide and the supply is
    ///      often oversubscribed), cleared, then everything claimed and withdrawn.
    function testFuzz_clear_matchesTheReferenceAndConservesEverything(uint256 seed) public {
        (ReferenceClearing.Bid[] memory bids, uint256 deposits) = _placeRandomBids(seed);
        Expected memory expected;
        (expected.tick, expected.sold, expected.above) = ReferenceClearing.clear(bids);
        for (uint256 i = 0; i < bids.length; ++i) {
            if (bids[i].tick == expected.tick) expected.atMargin += bids[i].quantity;
        }
        expected.price = _price(expected.tick);
        _clear();
        (uint256 tick, uint256 price, uint256 sold) = auction.previewClearing();
        assertEq(tick, expected.tick, "clearing tick");
        assertEq(sold, expected.sold, "sold");
        assertEq(price, expected.price);

        uint256 filledTotal;
        uint256 refunds;
        for (uint256 i = 0; i < bids.length; ++i) {
            (uint256 filled, uint256 refund) = _claimAndCheck(i, bids[i], expected);
            filledTotal += filled;
            refunds += refund;
        }
        auction.withdrawProceeds();
        assertEq(filledTotal, sold, "fills sum to sold");
        assertEq(refunds + sold * price, deposits, "refunds + proceeds = bids");
        assertEq(address(auction).balance, 0);
        assertEq(token.balanceOf(address(auction)), 0);
        assertEq(token.balanceOf(unsoldRecipient), SUPPLY - sold);
    }
}

/// @notice Drives the auction through bids, the clearing, claims and the proceeds withdrawal with
///         25 bidders, keeping ghost sums of escrows, refunds, costs and fills. Every input is
///         bounded to a valid call.
contract BatchAuctionHandler is AuctionFixture {
    address[] public bidders;
    mapping(uint256 id => bool) public ghostClaimed;
    uint256 public ghostBids;
    uint256 public ghostDeposits;
    uint256 public ghostRefunds;
    uint256 public ghostCosts;
    uint256 public ghostFilled;
    uint256 public ghostProceeds;
    uint256 public ghostClaimedCount;
    uint256 public ghostSettledEscrow;

    constructor() {
        _deploy();
        vm.warp(START);
        for (uint256 i = 0; i < 25; ++i) {
            bidders.push(address(uint160(0xB1D000 + i)));
        }
    }

    function tokenAddress() external view returns (address) {
        return address(token);
    }

    function auctionAddress() external view returns (address) {
        return address(auction);
    }

    function bid(uint256 bidderSeed, uint256 tick, uint256 quantity) external {
        if (block.timestamp >= END) return;
        address bidder = bidders[bidderSeed % bidders.length];
        uint256 room = ADDRESS_CAP - auction.committedOf(bidder);
        if (room == 0) return;
        tick = bound(tick, 0, 200); // a narrow band, so ticks collide
        quantity = quantity == type(uint256).max ? room : bound(quantity, 1, room);
        ghostDeposits += quantity * _price(tick);
        ++ghostBids;
        _bid(bidder, tick, quantity);
    }

    /// @dev Up to 8 bids in one call, mostly for the whole cap, so campaigns reach oversubscription.
    function bidBatch(uint256 seed) external {
        uint256 n = 1 + seed % 8;
        for (uint256 i = 0; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            this.bid(r, r >> 16, r % 2 == 0 ? type(uint256).max : r >> 32);
        }
    }

    function endAndClear(uint256 skipSeed) external {
        if (auction.cleared()) return;
        if (skipSeed % 8 != 0) return; // let bidding go on for a while first
        vm.warp(END);
        auction.clear();
    }

    function claim(uint256 idSeed) external {
        uint256 count = auction.bidCount();
        if (!auction.cleared() || count == 0) return;
        uint256 id = idSeed % count;
        if (ghostClaimed[id]) return;
        ghostClaimed[id] = true;
        ++ghostClaimedCount;
        IBatchAuction.Bid memory stored = auction.bidOf(id);
        ghostSettledEscrow += uint256(stored.quantity) * _price(stored.tick);
        (uint256 filled, uint256 cost, uint256 refund) = auction.settlementOf(id);
        ghostFilled += filled;
        ghostCosts += cost;
        ghostRefunds += refund;
        vm.prank(stored.bidder);
        auction.claim(_one(id));
    }

    function withdrawProceeds() external {
        if (!auction.cleared() || auction.proceedsWithdrawn() || auction.proceeds() == 0) return;
        ghostProceeds += auction.proceeds();
        auction.withdrawProceeds();
    }

    /// @dev Claims everything left, so an invariant can check the final balances.
    function settleAll() external {
        if (!auction.cleared()) return;
        for (uint256 id = 0; id < auction.bidCount(); ++id) {
            if (!ghostClaimed[id]) this.claim(id);
        }
    }
}

contract BatchAuctionInvariantTest is Test {
    BatchAuctionHandler private handler;
    BatchAuction private auction;
    IERC20 private token;

    function setUp() public {
        handler = new BatchAuctionHandler();
        auction = BatchAuction(payable(handler.auctionAddress()));
        token = IERC20(handler.tokenAddress());
        bytes4[] memory selectors = new bytes4[](6);
        selectors[0] = BatchAuctionHandler.bid.selector;
        selectors[1] = BatchAuctionHandler.bidBatch.selector;
        selectors[2] = BatchAuctionHandler.endAndClear.selector;
        selectors[3] = BatchAuctionHandler.claim.selector;
        selectors[4] = BatchAuctionHandler.withdrawProceeds.selector;
        selectors[5] = BatchAuctionHandler.settleAll.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice The auction's ETH is what was escrowed, less refunds and proceeds paid out.
    function invariant_ethIsEscrowMinusPayouts() public view {
        assertEq(address(auction).balance, handler.ghostDeposits() - handler.ghostRefunds() - handler.ghostProceeds());
    }

    /// @notice For every settled bid, refund + filled cost = its escrow; once all are settled, the
    ///         fills are what was sold, the costs are the proceeds, and refunds + costs = all bids.
    function invariant_refundsPlusCostsEqualBids() public view {
        assertEq(handler.ghostRefunds() + handler.ghostCosts(), handler.ghostSettledEscrow());
        if (auction.cleared() && handler.ghostClaimedCount() == auction.bidCount()) {
            (,, uint256 sold) = auction.previewClearing();
            assertEq(handler.ghostFilled(), sold);
            assertEq(handler.ghostCosts(), auction.proceeds());
            assertEq(handler.ghostRefunds() + handler.ghostCosts(), handler.ghostDeposits());
        }
    }

    /// @notice $MOLT: before clearing the auction holds the supply; after it, exactly what the
    ///         unclaimed bids bought.
    function invariant_moltIsSupplyOrUnclaimedFills() public view {
        if (!auction.cleared()) {
            assertEq(token.balanceOf(address(auction)), SUPPLY);
            return;
        }
        (,, uint256 sold) = auction.previewClearing();
        assertEq(token.balanceOf(address(auction)), sold - handler.ghostFilled());
    }

    /// @notice Nobody bid more than 5M $MOLT, so nobody can receive more.
    function invariant_noAddressAboveTheCap() public view {
        for (uint256 i = 0; i < 25; ++i) {
            assertLe(auction.committedOf(handler.bidders(i)), ADDRESS_CAP);
        }
    }
}
