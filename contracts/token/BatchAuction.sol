// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// The rules read as the paper states them (`<=`, `>=`); with the optimizer a strict form saves nothing.
// solhint-disable gas-strict-inequalities

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IBatchAuction} from "../interfaces/IBatchAuction.sol";
import {MoltConstants} from "../libraries/MoltConstants.sol";

/// @title BatchAuction
/// @notice The §11.2 initial-liquidity batch auction: uniform clearing price, paid in ETH, 5M $MOLT
///         per address. See {IBatchAuction} for the clearing rule.
/// @dev No roles: the schedule, prices and recipients are fixed at deployment, and every step after
///      bidding (clear, claim, withdrawProceeds) is permissionless.
contract BatchAuction is ReentrancyGuardTransient, IBatchAuction {
    using SafeERC20 for IERC20;

    /// @inheritdoc IBatchAuction
    uint256 public constant TICK_COUNT = 4096;

    /// @inheritdoc IBatchAuction
    uint256 public constant BUCKET_SIZE = 64;

    uint256 private constant _BUCKET_COUNT = TICK_COUNT / BUCKET_SIZE; // exact: 64

    /// @dev The result of `clear()`, in one storage slot. `sold <= supply < 2^64`.
    struct Clearing {
        bool cleared;
        bool proceedsWithdrawn;
        uint16 tick;
        uint64 sold;
        uint64 marginalFill; // what the bids at `tick` share: sold - demand above `tick`
    }

    IERC20 private immutable _TOKEN;
    address private immutable _PROCEEDS_RECIPIENT;
    address private immutable _UNSOLD_RECIPIENT;
    uint64 private immutable _START_TIME;
    uint64 private immutable _END_TIME;
    uint128 private immutable _RESERVE_PRICE;
    uint128 private immutable _TICK_SIZE;

    Bid[] private _bids;
    mapping(uint256 tick => uint256) private _tickDemand;
    mapping(uint256 bucket => uint256) private _bucketDemand;
    mapping(address bidder => uint256) private _committed;
    uint256 private _totalDemand;
    Clearing private _clearing;

    /// @notice Deploys the auction; the genesis distribution then mints the 100M $MOLT it sells.
    /// @param token_ $MOLT.
    /// @param proceedsRecipient_ Receives the ETH proceeds (e.g. the multisig that seeds the pool).
    /// @param unsoldRecipient_ Receives unsold $MOLT (the treasury).
    /// @param startTime_ When bidding opens, in seconds.
    /// @param endTime_ When bidding closes (exclusive), in seconds; after `startTime_` and now.
    /// @param reservePrice_ The price of tick 0, in wei per micromolt; not zero.
    /// @param tickSize_ The price step between ticks, in wei per micromolt; not zero.
    constructor(
        IERC20 token_,
        address proceedsRecipient_,
        address unsoldRecipient_,
        uint64 startTime_,
        uint64 endTime_,
        uint128 reservePrice_,
        uint128 tickSize_
    ) {
        if (address(token_) == address(0) || proceedsRecipient_ == address(0) || unsoldRecipient_ == address(0)) {
            revert BatchAuction__ZeroAddress();
        }
        if (startTime_ >= endTime_ || endTime_ <= block.timestamp) {
            revert BatchAuction__InvalidSchedule(startTime_, endTime_);
        }
        if (reservePrice_ == 0 || tickSize_ == 0) revert BatchAuction__ZeroPrice();
        _TOKEN = token_;
        _PROCEEDS_RECIPIENT = proceedsRecipient_;
        _UNSOLD_RECIPIENT = unsoldRecipient_;
        _START_TIME = startTime_;
        _END_TIME = endTime_;
        _RESERVE_PRICE = reservePrice_;
        _TICK_SIZE = tickSize_;
    }

    // ------------------------------------------------------------------ bidding

    /// @inheritdoc IBatchAuction
    function bid(uint256 tick, uint256 quantity) external payable nonReentrant returns (uint256 bidId) {
        if (block.timestamp < _START_TIME || block.timestamp >= _END_TIME) {
            revert BatchAuction__NotOpen(block.timestamp, _START_TIME, _END_TIME);
        }
        uint256 balance = _TOKEN.balanceOf(address(this));
        if (balance < MoltConstants.GENESIS_INITIAL_LIQUIDITY) {
            revert BatchAuction__NotFunded(balance, MoltConstants.GENESIS_INITIAL_LIQUIDITY);
        }
        if (tick >= TICK_COUNT) revert BatchAuction__InvalidTick(tick);
        if (quantity == 0) revert BatchAuction__ZeroQuantity();
        uint256 committed = _committed[msg.sender];
        uint256 remaining = MoltConstants.AUCTION_ADDRESS_CAP - committed;
        if (quantity > remaining) revert BatchAuction__AddressCapExceeded(msg.sender, quantity, remaining);
        // quantity <= 5e12 and price < 2^129: the product is far below 2^256.
        uint256 deposit = quantity * _priceAt(tick);
        if (msg.value != deposit) revert BatchAuction__WrongPayment(deposit, msg.value);

        uint256 tickDemand = _tickDemand[tick];
        bidId = _bids.length;
        // tick < 4096 fits uint16, quantity <= AUCTION_ADDRESS_CAP = 5e12 fits uint64.
        _bids.push(
            Bid({
                bidder: msg.sender, tick: uint16(tick), claimed: false, quantity: uint64(quantity), offset: tickDemand
            })
        );
        _committed[msg.sender] = committed + quantity;
        _tickDemand[tick] = tickDemand + quantity;
        _bucketDemand[tick / BUCKET_SIZE] += quantity; // rounds down: the tick's bucket
        _totalDemand += quantity;
        emit BidPlaced(bidId, msg.sender, tick, quantity, deposit);
    }

    // ------------------------------------------------------------------ clearing

    /// @inheritdoc IBatchAuction
    function clear() external nonReentrant {
        if (block.timestamp < _END_TIME) revert BatchAuction__BiddingNotOver(block.timestamp, _END_TIME);
        if (_clearing.cleared) revert BatchAuction__AlreadyCleared();
        uint256 balance = _TOKEN.balanceOf(address(this));
        if (balance < MoltConstants.GENESIS_INITIAL_LIQUIDITY) {
            revert BatchAuction__NotFunded(balance, MoltConstants.GENESIS_INITIAL_LIQUIDITY);
        }

        (uint256 tick, uint256 sold, uint256 demandAbove) = _findClearing();
        // sold <= supply = 1e14 < 2^64; tick < 4096.
        _clearing = Clearing({
            cleared: true,
            proceedsWithdrawn: false,
            tick: uint16(tick),
            sold: uint64(sold),
            marginalFill: uint64(sold - demandAbove)
        });
        // Everything but what the bids bought leaves now (unsold supply and any $MOLT sent here).
        uint256 unsold = balance - sold;
        emit AuctionCleared(tick, sold == 0 ? 0 : _priceAt(tick), sold, unsold);

        if (unsold != 0) _TOKEN.safeTransfer(_UNSOLD_RECIPIENT, unsold);
    }

    /// @inheritdoc IBatchAuction
    function claim(uint256[] calldata bidIds) external nonReentrant {
        Clearing memory clearing = _clearing;
        if (!clearing.cleared) revert BatchAuction__NotCleared();
        if (bidIds.length == 0) revert BatchAuction__NoBidIds();
        uint256 marginalDemand = _tickDemand[clearing.tick];

        uint256 totalFilled;
        uint256 totalRefund;
        uint256 bidTotal = _bids.length;
        for (uint256 i = 0; i < bidIds.length; ++i) {
            uint256 bidId = bidIds[i];
            if (bidId >= bidTotal) revert BatchAuction__UnknownBid(bidId);
            Bid storage stored = _bids[bidId];
            if (stored.bidder != msg.sender) revert BatchAuction__NotBidder(bidId, msg.sender);
            if (stored.claimed) revert BatchAuction__AlreadyClaimed(bidId);
            stored.claimed = true;
            (uint256 filled, uint256 cost, uint256 refund) = _settle(stored, clearing, marginalDemand);
            emit BidSettled(bidId, msg.sender, filled, cost, refund);
            totalFilled += filled;
            totalRefund += refund;
        }

        if (totalFilled != 0) _TOKEN.safeTransfer(msg.sender, totalFilled);
        if (totalRefund != 0) _sendEth(msg.sender, totalRefund);
    }

    /// @inheritdoc IBatchAuction
    function withdrawProceeds() external nonReentrant {
        Clearing memory clearing = _clearing;
        if (!clearing.cleared) revert BatchAuction__NotCleared();
        if (clearing.sold == 0) revert BatchAuction__NoProceeds();
        if (clearing.proceedsWithdrawn) revert BatchAuction__ProceedsAlreadyWithdrawn();
        _clearing.proceedsWithdrawn = true;
        uint256 amount = uint256(clearing.sold) * _priceAt(clearing.tick);
        emit ProceedsWithdrawn(_PROCEEDS_RECIPIENT, amount);
        _sendEth(_PROCEEDS_RECIPIENT, amount);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IBatchAuction
    function token() external view returns (IERC20) {
        return _TOKEN;
    }

    /// @inheritdoc IBatchAuction
    function supply() external pure returns (uint256) {
        return MoltConstants.GENESIS_INITIAL_LIQUIDITY;
    }

    /// @inheritdoc IBatchAuction
    function addressCap() external pure returns (uint256) {
        return MoltConstants.AUCTION_ADDRESS_CAP;
    }

    /// @inheritdoc IBatchAuction
    function proceedsRecipient() external view returns (address) {
        return _PROCEEDS_RECIPIENT;
    }

    /// @inheritdoc IBatchAuction
    function unsoldRecipient() external view returns (address) {
        return _UNSOLD_RECIPIENT;
    }

    /// @inheritdoc IBatchAuction
    function startTime() external view returns (uint256) {
        return _START_TIME;
    }

    /// @inheritdoc IBatchAuction
    function endTime() external view returns (uint256) {
        return _END_TIME;
    }

    /// @inheritdoc IBatchAuction
    function reservePrice() external view returns (uint256) {
        return _RESERVE_PRICE;
    }

    /// @inheritdoc IBatchAuction
    function tickSize() external view returns (uint256) {
        return _TICK_SIZE;
    }

    /// @inheritdoc IBatchAuction
    function priceAt(uint256 tick) external view returns (uint256) {
        if (tick >= TICK_COUNT) revert BatchAuction__InvalidTick(tick);
        return _priceAt(tick);
    }

    /// @inheritdoc IBatchAuction
    function bidCount() external view returns (uint256) {
        return _bids.length;
    }

    /// @inheritdoc IBatchAuction
    function bidOf(uint256 bidId) external view returns (Bid memory) {
        if (bidId >= _bids.length) revert BatchAuction__UnknownBid(bidId);
        return _bids[bidId];
    }

    /// @inheritdoc IBatchAuction
    function committedOf(address bidder) external view returns (uint256) {
        return _committed[bidder];
    }

    /// @inheritdoc IBatchAuction
    function demandAt(uint256 tick) external view returns (uint256) {
        if (tick >= TICK_COUNT) revert BatchAuction__InvalidTick(tick);
        return _tickDemand[tick];
    }

    /// @inheritdoc IBatchAuction
    function totalDemand() external view returns (uint256) {
        return _totalDemand;
    }

    /// @inheritdoc IBatchAuction
    function previewClearing() external view returns (uint256 clearingTick, uint256 clearingPrice, uint256 sold) {
        (clearingTick, sold,) = _findClearing();
        clearingPrice = sold == 0 ? 0 : _priceAt(clearingTick);
    }

    /// @inheritdoc IBatchAuction
    function cleared() external view returns (bool) {
        return _clearing.cleared;
    }

    /// @inheritdoc IBatchAuction
    function proceeds() external view returns (uint256) {
        Clearing memory clearing = _clearing;
        if (clearing.sold == 0) return 0;
        return uint256(clearing.sold) * _priceAt(clearing.tick);
    }

    /// @inheritdoc IBatchAuction
    function proceedsWithdrawn() external view returns (bool) {
        return _clearing.proceedsWithdrawn;
    }

    /// @inheritdoc IBatchAuction
    function settlementOf(uint256 bidId) external view returns (uint256 filled, uint256 cost, uint256 refund) {
        Clearing memory clearing = _clearing;
        if (!clearing.cleared) revert BatchAuction__NotCleared();
        if (bidId >= _bids.length) revert BatchAuction__UnknownBid(bidId);
        return _settle(_bids[bidId], clearing, _tickDemand[clearing.tick]);
    }

    // ------------------------------------------------------------------ internals

    function _priceAt(uint256 tick) private view returns (uint256) {
        return uint256(_RESERVE_PRICE) + tick * _TICK_SIZE;
    }

    /// @dev The clearing of {IBatchAuction}: `sold = min(supply, totalDemand)`, and the highest tick
    ///      whose demand at or above it reaches `sold`, found by walking buckets from the top, then
    ///      the ticks of the bucket where the sum gets there: at most 64 + 64 reads. `demandAbove`
    ///      is the demand strictly above that tick (< sold).
    function _findClearing() private view returns (uint256 tick, uint256 sold, uint256 demandAbove) {
        uint256 total = _totalDemand;
        sold = total < MoltConstants.GENESIS_INITIAL_LIQUIDITY ? total : MoltConstants.GENESIS_INITIAL_LIQUIDITY;
        if (sold == 0) return (0, 0, 0);
        // The buckets sum to total >= sold, so the walk stops at some bucket.
        uint256 bucket = _BUCKET_COUNT;
        while (bucket != 0) {
            --bucket;
            uint256 demand = _bucketDemand[bucket];
            if (demandAbove + demand >= sold) break;
            demandAbove += demand;
        }
        // That bucket's ticks sum to its demand, so the walk stops inside it.
        tick = (bucket + 1) * BUCKET_SIZE;
        while (tick != 0) {
            --tick;
            uint256 demand = _tickDemand[tick];
            if (demandAbove + demand >= sold) break;
            demandAbove += demand;
        }
    }

    /// @dev A bid's fill, cost and refund. At the clearing tick, the fill is the bid's slice
    ///      `[offset, offset + quantity)` of the tick's demand `D` mapped onto the `r` micromolt left
    ///      there: `floor(r·(offset+quantity)/D) − floor(r·offset/D)`. Both divisions round down, so
    ///      the fills of the tick telescope to exactly `r`, and each is at most `quantity` (r <= D).
    ///      The cost `filled * price` is exact; the refund is what is left of the escrow.
    function _settle(Bid memory stored, Clearing memory clearing, uint256 marginalDemand)
        private
        view
        returns (uint256 filled, uint256 cost, uint256 refund)
    {
        uint256 quantity = stored.quantity;
        if (clearing.sold != 0) {
            if (stored.tick > clearing.tick) {
                filled = quantity;
            } else if (stored.tick == clearing.tick) {
                uint256 share = clearing.marginalFill;
                filled = share * (stored.offset + quantity) / marginalDemand - share * stored.offset / marginalDemand;
            }
            cost = filled * _priceAt(clearing.tick);
        }
        refund = quantity * _priceAt(stored.tick) - cost;
    }

    function _sendEth(address to, uint256 amount) private {
        // The full gas is forwarded: recipients may be multisigs. Reentrancy is blocked by the guard
        // and every state change is already made.
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert BatchAuction__EthTransferFailed(to, amount);
    }
}
