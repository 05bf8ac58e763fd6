// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// The rules read as the paper states them (`<=`, `>=`); with the optimizer a strict form saves nothing.
// solhint-disable gas-strict-inequalities

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IEmission} from "../interfaces/IEmission.sol";
import {IMoltToken} from "../interfaces/IMoltToken.sol";
import {IRewardReceiver} from "../interfaces/IRewardReceiver.sol";
import {MoltConstants} from "../libraries/MoltConstants.sol";
import {MoltRoles} from "../libraries/MoltRoles.sol";

/// @title Emission
/// @notice The §11.3 halving schedule, minted against the beacon's slot counts and split per the
///         §11.6 note. See {IEmission}.
/// @dev Needs MoltToken's MINTER_ROLE. Roles: DEFAULT_ADMIN_ROLE (grants the others),
///      MoltRoles.BEACON_ROLE (reports slots), MoltRoles.GOVERNANCE_ROLE (sets the recipients).
contract Emission is AccessControl, ReentrancyGuardTransient, IEmission {
    using SafeCast for uint256;
    using SafeERC20 for IERC20;

    /// @dev The four shares of one emission.
    struct Split {
        uint256 toValidators;
        uint256 toStorage;
        uint256 burned;
        uint256 toTreasury;
    }

    IMoltToken private immutable _TOKEN;
    uint256 private immutable _GENESIS_TIME;

    // One storage slot, written once per report.
    uint64 private _reportedSlots;
    uint96 private _pendingValidatorRewards;
    uint96 private _pendingStorageRewards;

    IRewardReceiver private _rewardReceiver;
    address private _storagePool;
    address private _treasury;

    /// @notice Deploys the emission with nothing reported yet.
    /// @param token_ $MOLT; this contract must be given its MINTER_ROLE before the first report.
    /// @param admin Receives DEFAULT_ADMIN_ROLE, and so grants BEACON_ROLE and GOVERNANCE_ROLE.
    /// @param genesisTime_ The timestamp slot 0 starts at (the rollup's genesis), in seconds.
    /// @param treasury_ Receives 10 % of each emission; must not be zero.
    /// @param rewardReceiver_ The validator reward receiver, or zero to accrue until one is set.
    /// @param storagePool_ The storage reward pool, or zero to accrue until one is set.
    constructor(
        IMoltToken token_,
        address admin,
        uint256 genesisTime_,
        address treasury_,
        IRewardReceiver rewardReceiver_,
        address storagePool_
    ) {
        if (address(token_) == address(0) || admin == address(0) || treasury_ == address(0)) {
            revert Emission__ZeroAddress();
        }
        if (genesisTime_ == 0) revert Emission__ZeroGenesisTime();
        _TOKEN = token_;
        _GENESIS_TIME = genesisTime_;
        _treasury = treasury_;
        _rewardReceiver = rewardReceiver_;
        _storagePool = storagePool_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        emit TreasurySet(treasury_);
        if (address(rewardReceiver_) != address(0)) emit RewardReceiverSet(address(rewardReceiver_));
        if (storagePool_ != address(0)) emit StoragePoolSet(storagePool_);
    }

    // ------------------------------------------------------------------ beacon

    /// @inheritdoc IEmission
    function reportSlots(uint256 slotCount)
        external
        onlyRole(MoltRoles.BEACON_ROLE)
        nonReentrant
        returns (uint256 emitted)
    {
        uint256 previous = _reportedSlots;
        if (slotCount <= previous) revert Emission__SlotCountNotIncreasing(slotCount, previous);
        uint256 elapsed = _slotsElapsed();
        if (slotCount > elapsed) revert Emission__SlotCountAheadOfClock(slotCount, elapsed);

        // Checks done; effects. The amount is a difference of two schedule sums, so after any
        // sequence of reports the total minted is exactly emittedAt(slotCount).
        emitted = _emittedAt(slotCount) - _emittedAt(previous);
        Split memory split = _splitOf(emitted);
        emit SlotsReported(
            previous, slotCount, emitted, split.toValidators, split.toStorage, split.burned, split.toTreasury
        );
        (uint256 payValidators, uint256 payStorage) = _record(slotCount, split);

        // Interactions: $MOLT (trusted) first, the reward receiver's hook last.
        _distribute(emitted, split, payValidators, payStorage);
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc IEmission
    function setRewardReceiver(IRewardReceiver receiver) external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        if (address(receiver) == address(0)) revert Emission__ZeroAddress();
        _rewardReceiver = receiver;
        emit RewardReceiverSet(address(receiver));
    }

    /// @inheritdoc IEmission
    function setStoragePool(address pool) external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        if (pool == address(0)) revert Emission__ZeroAddress();
        _storagePool = pool;
        emit StoragePoolSet(pool);
    }

    /// @inheritdoc IEmission
    function setTreasury(address treasury_) external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        if (treasury_ == address(0)) revert Emission__ZeroAddress();
        _treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    // ------------------------------------------------------------------ schedule (pure)

    /// @inheritdoc IEmission
    function emittedAt(uint256 slotCount) external pure returns (uint256) {
        return _emittedAt(slotCount);
    }

    /// @inheritdoc IEmission
    function slotReward(uint256 slot) external pure returns (uint256) {
        uint256 phase = slot / MoltConstants.EMISSION_PHASE_SLOTS; // rounds down: the phase index
        if (phase == 0) return MoltConstants.EMISSION_PHASE_1_SLOT_REWARD;
        if (phase == 1) return MoltConstants.EMISSION_PHASE_2_SLOT_REWARD;
        if (phase == 2) return MoltConstants.EMISSION_PHASE_3_SLOT_REWARD;
        if (phase == 3) return MoltConstants.EMISSION_PHASE_4_SLOT_REWARD;
        return 0;
    }

    /// @inheritdoc IEmission
    function splitOf(uint256 amount)
        external
        pure
        returns (uint256 toValidators, uint256 toStorage, uint256 burned, uint256 toTreasury)
    {
        Split memory split = _splitOf(amount);
        return (split.toValidators, split.toStorage, split.burned, split.toTreasury);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IEmission
    function token() external view returns (IMoltToken) {
        return _TOKEN;
    }

    /// @inheritdoc IEmission
    function genesisTime() external view returns (uint256) {
        return _GENESIS_TIME;
    }

    /// @inheritdoc IEmission
    function slotsElapsed() external view returns (uint256) {
        return _slotsElapsed();
    }

    /// @inheritdoc IEmission
    function reportedSlots() external view returns (uint256) {
        return _reportedSlots;
    }

    /// @inheritdoc IEmission
    function totalEmitted() external view returns (uint256) {
        return _emittedAt(_reportedSlots);
    }

    /// @inheritdoc IEmission
    function rewardReceiver() external view returns (IRewardReceiver) {
        return _rewardReceiver;
    }

    /// @inheritdoc IEmission
    function storagePool() external view returns (address) {
        return _storagePool;
    }

    /// @inheritdoc IEmission
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IEmission
    function pendingValidatorRewards() external view returns (uint256) {
        return _pendingValidatorRewards;
    }

    /// @inheritdoc IEmission
    function pendingStorageRewards() external view returns (uint256) {
        return _pendingStorageRewards;
    }

    // ------------------------------------------------------------------ internals

    /// @dev The schedule's sum over the first `slotCount` slots: whole phases at their reward, then
    ///      the partial phase. Integer products only, no division, so it is exact.
    function _emittedAt(uint256 slotCount) private pure returns (uint256 total) {
        uint256 phaseSlots = MoltConstants.EMISSION_PHASE_SLOTS;
        uint256 remaining = slotCount < MoltConstants.EMISSION_END_SLOT ? slotCount : MoltConstants.EMISSION_END_SLOT;
        if (remaining <= phaseSlots) return remaining * MoltConstants.EMISSION_PHASE_1_SLOT_REWARD;
        total = phaseSlots * MoltConstants.EMISSION_PHASE_1_SLOT_REWARD;
        remaining -= phaseSlots;
        if (remaining <= phaseSlots) return total + remaining * MoltConstants.EMISSION_PHASE_2_SLOT_REWARD;
        total += phaseSlots * MoltConstants.EMISSION_PHASE_2_SLOT_REWARD;
        remaining -= phaseSlots;
        if (remaining <= phaseSlots) return total + remaining * MoltConstants.EMISSION_PHASE_3_SLOT_REWARD;
        total += phaseSlots * MoltConstants.EMISSION_PHASE_3_SLOT_REWARD;
        remaining -= phaseSlots;
        // remaining <= phaseSlots here, since slotCount was capped at 4 phases.
        return total + remaining * MoltConstants.EMISSION_PHASE_4_SLOT_REWARD;
    }

    /// @dev Three shares rounded down (in the protocol's favour: nobody is paid a fraction it was
    ///      not owed); the burn takes what is left, so the four sum to `amount` exactly.
    function _splitOf(uint256 amount) private pure returns (Split memory split) {
        split.toValidators = amount * MoltConstants.EMISSION_VALIDATORS_PERCENT / 100; // rounds down
        split.toStorage = amount * MoltConstants.EMISSION_STORAGE_PERCENT / 100; // rounds down
        split.toTreasury = amount * MoltConstants.EMISSION_TREASURY_PERCENT / 100; // rounds down
        split.burned = amount - split.toValidators - split.toStorage - split.toTreasury; // 30 % + < 3 micromolt
    }

    /// @dev Effects of a report: the new slot count, and the validator and storage shares either
    ///      added to what is pending (no recipient yet) or, with what was pending, returned for
    ///      payment.
    function _record(uint256 slotCount, Split memory split)
        private
        returns (uint256 payValidators, uint256 payStorage)
    {
        uint256 pendingValidators =
            _pendingValidatorRewards + split.toValidators;
        uint256 pendingStorage = _pendingStorageRewards + split.toStorage;
        if (address(_rewardReceiver) != address(0)) {
            (payValidators, pendingValidators) = (pendingValidators, 0);
        }
        if (_storagePool != address(0)) {
            (payStorage, pendingStorage) = (pendingStorage, 0);
        }
        _reportedSlots = slotCount.toUint64();
        _pendingValidatorRewards = pendingValidators.toUint96();
        _pendingStorageRewards = pendingStorage.toUint96();
    }

    /// @dev Interactions of a report: mint the emission here, burn the burn share, send the others.
    function _distribute(uint256 emitted, Split memory split, uint256 payValidators, uint256 payStorage) private {
        IERC20 molt = IERC20(address(_TOKEN));
        if (emitted != 0) _TOKEN.mint(address(this), emitted);
        if (split.burned != 0) _TOKEN.burn(split.burned);
        if (split.toTreasury != 0) molt.safeTransfer(_treasury, split.toTreasury);
        if (payStorage != 0) {
            address pool = _storagePool;
            emit StorageRewardsPaid(pool, payStorage);
            molt.safeTransfer(pool, payStorage);
        }
        if (payValidators != 0) {
            IRewardReceiver receiver = _rewardReceiver;
            emit ValidatorRewardsPaid(address(receiver), payValidators);
            molt.safeTransfer(address(receiver), payValidators);
            receiver.notifyRewards(payValidators);
        }
    }

    /// @dev `(now - genesis) * 1000 / 400`, rounded down: a slot counts once it has fully passed.
    function _slotsElapsed() private view returns (uint256) {
        if (block.timestamp <= _GENESIS_TIME) return 0;
        return (block.timestamp - _GENESIS_TIME) * 1000 / MoltConstants.EMISSION_SLOT_DURATION_MS; // rounds down
    }
}
