// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// Event fields that are amounts stay unindexed: indexing costs more gas and nobody filters by amount.
// solhint-disable gas-indexed-events

import {IMoltToken} from "./IMoltToken.sol";
import {IRewardReceiver} from "./IRewardReceiver.sol";

/// @title IEmission
/// @notice The block-reward emission of §11.3: a halving schedule of 1.52 / 0.76 / 0.38 / 0.19
///         $MOLT per 400 ms slot for four 2-year phases (78.84M slots per year), nothing after
///         year 8, minted only against slot counts reported by the beacon (MoltRoles.BEACON_ROLE)
///         and split 30 % validators / 30 % storage / 30 % burn / 10 % treasury (§11.6 note).
/// @dev The beacon reports the cumulative number of slots since genesis, never a delta: a report
///      replayed or sent twice cannot mint twice, and `totalEmitted() == emittedAt(reportedSlots())`
///      holds exactly after every report. A report may not run ahead of the wall clock
///      (`slotsElapsed()`), so a compromised beacon key can only bring the emission forward to the
///      present, never mint the future reserve.
///      The burn share is minted and burned in the same call, so the token's `totalMinted()` grows
///      by exactly the schedule's amount and its `totalBurned()` shows the burn. The schedule sums
///      to 449,388,000 $MOLT (MoltConstants.EMISSION_TOTAL), under the 450M reserve.
///      Until governance sets a validator reward receiver or a storage pool, their shares accrue
///      in this contract and are paid with the first report after they are set.
///      Besides the errors below, calls revert with `AccessControlUnauthorizedAccount(account,
///      role)` from OpenZeppelin AccessControl and `ReentrancyGuardReentrantCall()`.
interface IEmission {
    /// @notice A constructor argument or a new recipient was the zero address.
    error Emission__ZeroAddress();

    /// @notice The constructor was given genesis time 0, which would make every slot since 1970
    ///         reportable at once.
    error Emission__ZeroGenesisTime();

    /// @notice A report did not move the cumulative slot count forward.
    /// @param slotCount The reported cumulative slot count.
    /// @param reportedSlots The count already reported.
    error Emission__SlotCountNotIncreasing(uint256 slotCount, uint256 reportedSlots);

    /// @notice A report claimed more slots than 400 ms slots fit between genesis and now.
    /// @param slotCount The reported cumulative slot count.
    /// @param slotsElapsed The most slots that can have passed: `slotsElapsed()`.
    error Emission__SlotCountAheadOfClock(uint256 slotCount, uint256 slotsElapsed);

    /// @notice The beacon reported slots `[previousSlotCount, slotCount)`; `emitted` micromolt were
    ///         minted for them and split as given (`toValidators` and `toStorage` may be held as
    ///         pending until their recipient is set).
    /// @param previousSlotCount The cumulative slot count before this report.
    /// @param slotCount The new cumulative slot count.
    /// @param emitted `emittedAt(slotCount) - emittedAt(previousSlotCount)`, in micromolt.
    /// @param toValidators The validators' share, in micromolt.
    /// @param toStorage The storage share, in micromolt.
    /// @param burned The burned share (it also takes the rounding remainder), in micromolt.
    /// @param toTreasury The treasury share, in micromolt.
    event SlotsReported(
        uint256 previousSlotCount,
        uint256 slotCount,
        uint256 emitted,
        uint256 toValidators,
        uint256 toStorage,
        uint256 burned,
        uint256 toTreasury
    );

    /// @notice `amount` micromolt of validator rewards (this report's share plus anything pending)
    ///         were sent to `receiver` and notified.
    /// @param receiver The validator reward receiver (the staking contract).
    /// @param amount The amount paid, in micromolt.
    event ValidatorRewardsPaid(address indexed receiver, uint256 amount);

    /// @notice `amount` micromolt of storage rewards (this report's share plus anything pending)
    ///         were sent to `pool`.
    /// @param pool The storage reward pool.
    /// @param amount The amount paid, in micromolt.
    event StorageRewardsPaid(address indexed pool, uint256 amount);

    /// @notice Governance set the validator reward receiver.
    /// @param receiver The new receiver.
    event RewardReceiverSet(address indexed receiver);

    /// @notice Governance set the storage reward pool.
    /// @param pool The new pool.
    event StoragePoolSet(address indexed pool);

    /// @notice Governance set the treasury that receives 10 % of each emission.
    /// @param treasury The new treasury.
    event TreasurySet(address indexed treasury);

    /// @notice Mints the emission of the slots between the last report and `slotCount` and splits it.
    /// @dev Only for BEACON_ROLE holders. Reverts with `Emission__SlotCountNotIncreasing` unless
    ///      `slotCount > reportedSlots()`, and with `Emission__SlotCountAheadOfClock` if
    ///      `slotCount > slotsElapsed()`. Past the end of the schedule a report mints nothing but
    ///      still pays pending shares whose recipient has been set since.
    /// @param slotCount The cumulative number of slots since genesis.
    /// @return emitted The amount minted, in micromolt.
    function reportSlots(uint256 slotCount) external returns (uint256 emitted);

    /// @notice Sets the validator reward receiver (the staking contract): it is sent the
    ///         validators' share, then `notifyRewards(amount)` is called on it.
    /// @dev Only for GOVERNANCE_ROLE holders; reverts with `Emission__ZeroAddress` on zero.
    /// @param receiver The new receiver.
    function setRewardReceiver(IRewardReceiver receiver) external;

    /// @notice Sets the address the storage share is sent to.
    /// @dev Only for GOVERNANCE_ROLE holders; reverts with `Emission__ZeroAddress` on zero.
    /// @param pool The new storage pool.
    function setStoragePool(address pool) external;

    /// @notice Sets the address the treasury share is sent to.
    /// @dev Only for GOVERNANCE_ROLE holders; reverts with `Emission__ZeroAddress` on zero.
    /// @param treasury_ The new treasury.
    function setTreasury(address treasury_) external;

    /// @notice The total the schedule emits for the first `slotCount` slots, in micromolt:
    ///         the sum of `slotReward(i)` for `i < slotCount`. Constant from 8 years on.
    /// @param slotCount A cumulative slot count.
    /// @return The schedule's sum, in micromolt.
    function emittedAt(uint256 slotCount) external pure returns (uint256);

    /// @notice The reward of the slot with 0-based index `slot`, in micromolt (0 from year 9).
    /// @param slot A slot index since genesis.
    /// @return The slot's reward, in micromolt.
    function slotReward(uint256 slot) external pure returns (uint256);

    /// @notice How an emission of `amount` is split. Each share is rounded down; the burn takes
    ///         the remainder, so the four always sum to `amount`.
    /// @param amount An emission, in micromolt.
    /// @return toValidators 30 %, rounded down.
    /// @return toStorage 30 %, rounded down.
    /// @return burned `amount` minus the three others: 30 % plus less than 3 micromolt.
    /// @return toTreasury 10 %, rounded down.
    function splitOf(uint256 amount)
        external
        pure
        returns (uint256 toValidators, uint256 toStorage, uint256 burned, uint256 toTreasury);

    /// @notice The token minted.
    /// @return The $MOLT token.
    function token() external view returns (IMoltToken);

    /// @notice The timestamp slot 0 starts at, in seconds.
    /// @return The genesis time.
    function genesisTime() external view returns (uint256);

    /// @notice The most slots that can have passed by now: `(now - genesisTime) * 1000 / 400`,
    ///         rounded down (0 before genesis).
    /// @return The slot count of the clock.
    function slotsElapsed() external view returns (uint256);

    /// @notice The cumulative slot count reported so far.
    /// @return The last reported slot count.
    function reportedSlots() external view returns (uint256);

    /// @notice Everything minted so far: `emittedAt(reportedSlots())`, in micromolt.
    /// @return The total emitted.
    function totalEmitted() external view returns (uint256);

    /// @notice The validator reward receiver, or zero while none is set.
    /// @return The receiver.
    function rewardReceiver() external view returns (IRewardReceiver);

    /// @notice The storage pool, or zero while none is set.
    /// @return The pool.
    function storagePool() external view returns (address);

    /// @notice The treasury.
    /// @return The treasury.
    function treasury() external view returns (address);

    /// @notice Validator rewards held here because no receiver was set yet, in micromolt.
    /// @return The pending amount.
    function pendingValidatorRewards() external view returns (uint256);

    /// @notice Storage rewards held here because no pool was set yet, in micromolt.
    /// @return The pending amount.
    function pendingStorageRewards() external view returns (uint256);
}
