// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// Event fields that are amounts stay unindexed: indexing costs more gas and nobody filters by amount.
// solhint-disable gas-indexed-events

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IBatchAuction
/// @notice The initial-liquidity batch auction of §11.2: it sells the 100M $MOLT of the initial
///         liquidity allocation at one uniform clearing price, paid in ETH, with at most 5M $MOLT
///         (0.5 % of the supply cap) bid per address, so nobody can buy more than that at launch.
/// @dev Prices live on a fixed grid of TICK_COUNT ticks: `priceAt(t) = reservePrice + t * tickSize`,
///      in wei per micromolt, so a fill of `q` micromolt costs exactly `q * price` wei (no rounding).
///      A bid is (tick, quantity), irrevocable, escrowing `quantity * priceAt(tick)` wei.
///
///      Clearing rule: let `sold = min(supply, totalDemand)`. The clearing tick `t*` is the highest
///      tick whose cumulative demand at or above it reaches `sold`; everyone pays `priceAt(t*)`.
///      Bids above `t*` are filled completely, bids below it not at all, and the bids at `t*` share
///      what is left, `sold - demandAbove(t*)`, pro rata to their quantity. When demand is below the
///      supply, `t*` is the lowest tick bid at and every bid is filled; the unsold $MOLT goes to
///      `unsoldRecipient`. The pro-rata split is exact: a bid whose quantity sits at
///      `[offset, offset + quantity)` of its tick's demand (in bid order) gets
///      `floor(r·(offset+quantity)/D) − floor(r·offset/D)` (r = what is left, D = the tick's
///      demand), which is within 1 micromolt of `r·quantity/D` and sums to `r` over the tick.
///      So `sold` micromolt are delivered in total and the proceeds are exactly
///      `sold * priceAt(t*)`; each bid's refund is its escrow minus its cost.
///
///      Bounded clearing: demand is kept per tick and per bucket of BUCKET_SIZE ticks, so finding
///      `t*` reads at most TICK_COUNT / BUCKET_SIZE buckets and BUCKET_SIZE ticks, whatever the
///      number of bids. Claims take caller-chosen bid ids; no function loops over all bids.
///
///      Besides the errors below, calls revert with `ReentrancyGuardReentrantCall()` and
///      `SafeERC20FailedOperation(token)`.
interface IBatchAuction {
    /// @notice One bid.
    /// @param bidder Who placed it, and who claims it.
    /// @param tick The price tick: the bid's limit price is `priceAt(tick)`.
    /// @param claimed Whether it was settled.
    /// @param quantity The $MOLT asked for, in micromolt.
    /// @param offset The demand at `tick` placed before this bid, in micromolt (for the pro-rata fill).
    struct Bid {
        address bidder;
        uint16 tick;
        bool claimed;
        uint64 quantity;
        uint256 offset;
    }

    /// @notice A constructor argument was the zero address.
    error BatchAuction__ZeroAddress();

    /// @notice The bidding window is empty or already over.
    /// @param startTime The start asked for.
    /// @param endTime The end asked for.
    error BatchAuction__InvalidSchedule(uint256 startTime, uint256 endTime);

    /// @notice The reserve price or the tick size was zero.
    error BatchAuction__ZeroPrice();

    /// @notice A bid outside the bidding window `[startTime, endTime)`.
    /// @param timestamp The time of the bid.
    /// @param startTime When bidding opens.
    /// @param endTime When bidding closes.
    error BatchAuction__NotOpen(uint256 timestamp, uint256 startTime, uint256 endTime);

    /// @notice The auction does not hold the supply it sells (the genesis distribution has not run).
    /// @param balance The auction's $MOLT balance.
    /// @param supply The supply it sells.
    error BatchAuction__NotFunded(uint256 balance, uint256 supply);

    /// @notice A tick outside `[0, TICK_COUNT)`.
    /// @param tick The tick.
    error BatchAuction__InvalidTick(uint256 tick);

    /// @notice A bid for nothing.
    error BatchAuction__ZeroQuantity();

    /// @notice The bid would take the bidder's total above 5M $MOLT.
    /// @param bidder The bidder.
    /// @param quantity The quantity bid, in micromolt.
    /// @param remaining What the bidder may still bid, in micromolt.
    error BatchAuction__AddressCapExceeded(address bidder, uint256 quantity, uint256 remaining);

    /// @notice The ETH sent is not exactly `quantity * priceAt(tick)`.
    /// @param expected The escrow due, in wei.
    /// @param sent The ETH sent, in wei.
    error BatchAuction__WrongPayment(uint256 expected, uint256 sent);

    /// @notice `clear()` before the bidding window closed.
    /// @param timestamp Now.
    /// @param endTime When bidding closes.
    error BatchAuction__BiddingNotOver(uint256 timestamp, uint256 endTime);

    /// @notice `clear()` a second time.
    error BatchAuction__AlreadyCleared();

    /// @notice A claim, proceeds withdrawal or settlement query before `clear()`.
    error BatchAuction__NotCleared();

    /// @notice `claim` with no bid ids.
    error BatchAuction__NoBidIds();

    /// @notice A bid id that does not exist.
    /// @param bidId The id.
    error BatchAuction__UnknownBid(uint256 bidId);

    /// @notice A claim of someone else's bid.
    /// @param bidId The id.
    /// @param caller The caller.
    error BatchAuction__NotBidder(uint256 bidId, address caller);

    /// @notice A bid settled already (or listed twice in one claim).
    /// @param bidId The id.
    error BatchAuction__AlreadyClaimed(uint256 bidId);

    /// @notice The proceeds were withdrawn already.
    error BatchAuction__ProceedsAlreadyWithdrawn();

    /// @notice Nothing was sold, so there are no proceeds.
    error BatchAuction__NoProceeds();

    /// @notice Sending ETH failed (the recipient reverted).
    /// @param to The recipient.
    /// @param amount The amount, in wei.
    error BatchAuction__EthTransferFailed(address to, uint256 amount);

    /// @notice A bid was placed.
    /// @param bidId The bid's id (0, 1, 2, … in order).
    /// @param bidder The bidder.
    /// @param tick The price tick.
    /// @param quantity The quantity, in micromolt.
    /// @param deposit The ETH escrowed, in wei.
    event BidPlaced(uint256 indexed bidId, address indexed bidder, uint256 tick, uint256 quantity, uint256 deposit);

    /// @notice The auction cleared.
    /// @param clearingTick The clearing tick (0 when nothing was sold).
    /// @param clearingPrice The uniform price, in wei per micromolt (0 when nothing was sold).
    /// @param sold The $MOLT sold, in micromolt.
    /// @param unsold The $MOLT sent to the unsold recipient, in micromolt.
    event AuctionCleared(uint256 clearingTick, uint256 clearingPrice, uint256 sold, uint256 unsold);

    /// @notice A bid was settled.
    /// @param bidId The bid's id.
    /// @param bidder The bidder, paid `filled` $MOLT and `refund` wei.
    /// @param filled The $MOLT it bought, in micromolt.
    /// @param cost What it paid, in wei: `filled * clearingPrice`.
    /// @param refund Its escrow minus `cost`, in wei.
    event BidSettled(uint256 indexed bidId, address indexed bidder, uint256 filled, uint256 cost, uint256 refund);

    /// @notice The proceeds were sent.
    /// @param recipient The proceeds recipient.
    /// @param amount The proceeds, in wei.
    event ProceedsWithdrawn(address indexed recipient, uint256 amount);

    /// @notice Bids `quantity` micromolt at `priceAt(tick)`, escrowing exactly
    ///         `quantity * priceAt(tick)` wei sent with the call.
    /// @dev Reverts with `BatchAuction__NotOpen`, `BatchAuction__NotFunded`,
    ///      `BatchAuction__InvalidTick`, `BatchAuction__ZeroQuantity`,
    ///      `BatchAuction__AddressCapExceeded` and `BatchAuction__WrongPayment`.
    /// @param tick The price tick, `< TICK_COUNT`.
    /// @param quantity The $MOLT asked for, in micromolt.
    /// @return bidId The new bid's id.
    function bid(uint256 tick, uint256 quantity) external payable returns (uint256 bidId);

    /// @notice Fixes the clearing price once bidding is over and sends the unsold $MOLT (and anything
    ///         beyond what was sold) to the unsold recipient. Anyone may call it, once.
    /// @dev Reverts with `BatchAuction__BiddingNotOver`, `BatchAuction__AlreadyCleared` and
    ///      `BatchAuction__NotFunded`.
    function clear() external;

    /// @notice Settles the caller's bids `bidIds`: sends it the $MOLT they bought and the ETH refund
    ///         of what they did not (the escrow minus `filled * clearingPrice`).
    /// @dev Reverts with `BatchAuction__NotCleared`, `BatchAuction__NoBidIds`,
    ///      `BatchAuction__UnknownBid`, `BatchAuction__NotBidder`, `BatchAuction__AlreadyClaimed`
    ///      and `BatchAuction__EthTransferFailed`.
    /// @param bidIds The caller's bid ids.
    function claim(uint256[] calldata bidIds) external;

    /// @notice Sends the proceeds, `sold * clearingPrice` wei, to the proceeds recipient. Anyone may
    ///         call it, once.
    /// @dev Reverts with `BatchAuction__NotCleared`, `BatchAuction__NoProceeds`,
    ///      `BatchAuction__ProceedsAlreadyWithdrawn` and `BatchAuction__EthTransferFailed`.
    function withdrawProceeds() external;

    /// @notice The number of price ticks.
    /// @return TICK_COUNT.
    function TICK_COUNT() external view returns (uint256);

    /// @notice Ticks per demand bucket.
    /// @return BUCKET_SIZE.
    function BUCKET_SIZE() external view returns (uint256);

    /// @notice $MOLT.
    /// @return The token sold.
    function token() external view returns (IERC20);

    /// @notice The $MOLT on sale: 100M (MoltConstants.GENESIS_INITIAL_LIQUIDITY), in micromolt.
    /// @return The supply.
    function supply() external view returns (uint256);

    /// @notice The most one address may bid in total: 5M $MOLT, in micromolt.
    /// @return The per-address cap.
    function addressCap() external view returns (uint256);

    /// @notice Receives the ETH proceeds.
    /// @return The proceeds recipient.
    function proceedsRecipient() external view returns (address);

    /// @notice Receives the unsold $MOLT.
    /// @return The unsold recipient.
    function unsoldRecipient() external view returns (address);

    /// @notice When bidding opens, in seconds.
    /// @return The start time.
    function startTime() external view returns (uint256);

    /// @notice When bidding closes (exclusive), in seconds.
    /// @return The end time.
    function endTime() external view returns (uint256);

    /// @notice The price of tick 0, in wei per micromolt.
    /// @return The reserve price.
    function reservePrice() external view returns (uint256);

    /// @notice The price step between ticks, in wei per micromolt.
    /// @return The tick size.
    function tickSize() external view returns (uint256);

    /// @notice `reservePrice + tick * tickSize`, in wei per micromolt.
    /// @dev Reverts with `BatchAuction__InvalidTick` if `tick >= TICK_COUNT`.
    /// @param tick The tick.
    /// @return The price.
    function priceAt(uint256 tick) external view returns (uint256);

    /// @notice The number of bids placed (ids are `0 .. bidCount() - 1`).
    /// @return The count.
    function bidCount() external view returns (uint256);

    /// @notice The bid `bidId`.
    /// @dev Reverts with `BatchAuction__UnknownBid`.
    /// @param bidId The id.
    /// @return The bid.
    function bidOf(uint256 bidId) external view returns (Bid memory);

    /// @notice What `bidder` has bid in total, in micromolt.
    /// @param bidder The address.
    /// @return The total quantity bid.
    function committedOf(address bidder) external view returns (uint256);

    /// @notice The total quantity bid at `tick`, in micromolt.
    /// @dev Reverts with `BatchAuction__InvalidTick` if `tick >= TICK_COUNT`.
    /// @param tick The tick.
    /// @return The demand.
    function demandAt(uint256 tick) external view returns (uint256);

    /// @notice The total quantity bid, in micromolt.
    /// @return The demand.
    function totalDemand() external view returns (uint256);

    /// @notice The clearing that `clear()` would fix with the bids placed so far (or has fixed).
    /// @return clearingTick The clearing tick (0 if nothing would be sold).
    /// @return clearingPrice `priceAt(clearingTick)`, or 0 if nothing would be sold.
    /// @return sold `min(supply, totalDemand)`, in micromolt.
    function previewClearing() external view returns (uint256 clearingTick, uint256 clearingPrice, uint256 sold);

    /// @notice True once `clear()` has run.
    /// @return Whether the auction cleared.
    function cleared() external view returns (bool);

    /// @notice The proceeds, `sold * clearingPrice` wei (0 before clearing).
    /// @return The proceeds.
    function proceeds() external view returns (uint256);

    /// @notice True once the proceeds were sent.
    /// @return Whether they were withdrawn.
    function proceedsWithdrawn() external view returns (bool);

    /// @notice What bid `bidId` gets at the clearing: $MOLT bought, ETH cost and ETH refund.
    /// @dev Reverts with `BatchAuction__NotCleared` and `BatchAuction__UnknownBid`.
    /// @param bidId The id.
    /// @return filled The $MOLT bought, in micromolt.
    /// @return cost `filled * clearingPrice`, in wei.
    /// @return refund The escrow minus `cost`, in wei.
    function settlementOf(uint256 bidId) external view returns (uint256 filled, uint256 cost, uint256 refund);
}
