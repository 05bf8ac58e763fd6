// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// The rules read as the paper states them (`<=`, `>=`); with the optimizer a strict form saves nothing.
// solhint-disable gas-strict-inequalities

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IRewardReceiver} from "../interfaces/IRewardReceiver.sol";
import {ITreasury} from "../interfaces/ITreasury.sol";
import {MoltConstants} from "../libraries/MoltConstants.sol";
import {MoltRoles} from "../libraries/MoltRoles.sol";

/// @title Treasury
/// @notice The community treasury: governance spending, capped at 2 % per quarter for two years,
///         and the validator bootstrap subsidy. See {ITreasury}.
/// @dev Roles: DEFAULT_ADMIN_ROLE (grants GOVERNANCE_ROLE), MoltRoles.GOVERNANCE_ROLE (spends).
contract Treasury is AccessControl, ReentrancyGuardTransient, ITreasury {
    using SafeERC20 for IERC20;

    /// @dev One asset's withdrawals in the capped quarter it last withdrew in; one storage slot.
    ///      `quarterPlusOne == 0` means "never withdrawn during the capped period".
    struct QuarterWindow {
        uint16 quarterPlusOne;
        uint120 cap;
        uint120 spent;
    }

    IERC20 private immutable _MOLT;
    uint256 private immutable _GENESIS_TIME;

    mapping(IERC20 asset => QuarterWindow) private _windows;
    mapping(uint256 year => uint256) private _subsidyPaid;

    /// @notice Deploys the treasury.
    /// @param molt_ $MOLT, the asset of the validator subsidy.
    /// @param admin Receives DEFAULT_ADMIN_ROLE, and so grants GOVERNANCE_ROLE.
    /// @param genesisTime_ The genesis timestamp the quarters and subsidy years count from.
    constructor(IERC20 molt_, address admin, uint256 genesisTime_) {
        if (address(molt_) == address(0) || admin == address(0)) revert Treasury__ZeroAddress();
        if (genesisTime_ == 0) revert Treasury__ZeroGenesisTime();
        _MOLT = molt_;
        _GENESIS_TIME = genesisTime_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc ITreasury
    function spend(IERC20 asset, address to, uint256 amount) external onlyRole(MoltRoles.GOVERNANCE_ROLE) nonReentrant {
        if (address(asset) == address(0) || to == address(0)) revert Treasury__ZeroAddress();
        _checkToken(asset);
        _withdraw(asset, amount);
        emit Spent(address(asset), to, amount);
        asset.safeTransfer(to, amount);
    }

    /// @inheritdoc ITreasury
    function paySubsidy(IRewardReceiver receiver, uint256 amount)
        external
        onlyRole(MoltRoles.GOVERNANCE_ROLE)
        nonReentrant
    {
        if (address(receiver) == address(0)) revert Treasury__ZeroAddress();
        if (amount == 0) revert Treasury__ZeroAmount();
        uint256 subsidyEnd = _GENESIS_TIME + MoltConstants.TREASURY_VALIDATOR_SUBSIDY_PERIOD;
        if (block.timestamp >= subsidyEnd) revert Treasury__SubsidyPeriodOver(subsidyEnd);
        uint256 year = _elapsed(block.timestamp) / MoltConstants.MONETARY_YEAR; // rounds down: the year index
        uint256 paid = _subsidyPaid[year];
        uint256 remaining = MoltConstants.TREASURY_VALIDATOR_SUBSIDY_PER_YEAR - paid;
        if (amount > remaining) revert Treasury__SubsidyBudgetExceeded(amount, remaining);

        _subsidyPaid[year] = paid + amount;
        _withdraw(_MOLT, amount);
        emit SubsidyPaid(address(receiver), year, amount);

        _MOLT.safeTransfer(address(receiver), amount);
        receiver.notifyRewards(amount);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ITreasury
    function molt() external view returns (IERC20) {
        return _MOLT;
    }

    /// @inheritdoc ITreasury
    function genesisTime() external view returns (uint256) {
        return _GENESIS_TIME;
    }

    /// @inheritdoc ITreasury
    function quarterAt(uint256 timestamp) external view returns (uint256) {
        return _quarterAt(timestamp);
    }

    /// @inheritdoc ITreasury
    function isCapped() external view returns (bool) {
        return _isCapped();
    }

    /// @inheritdoc ITreasury
    function quarterlyAllowance(IERC20 asset) external view returns (uint256 remaining, uint256 cap) {
        if (address(asset) == address(0)) revert Treasury__ZeroAddress();
        _checkToken(asset);
        if (!_isCapped()) return (type(uint256).max, type(uint256).max);
        QuarterWindow memory window = _windows[asset];
        if (window.quarterPlusOne == _quarterAt(block.timestamp) + 1) {
            return (window.cap - window.spent, window.cap);
        }
        cap = _capOf(asset.balanceOf(address(this)));
        return (cap, cap);
    }

    /// @inheritdoc ITreasury
    function subsidyRemaining() external view returns (uint256) {
        if (block.timestamp >= _GENESIS_TIME + MoltConstants.TREASURY_VALIDATOR_SUBSIDY_PERIOD) return 0;
        uint256 year = _elapsed(block.timestamp) / MoltConstants.MONETARY_YEAR; // rounds down
        return MoltConstants.TREASURY_VALIDATOR_SUBSIDY_PER_YEAR - _subsidyPaid[year];
    }

    /// @inheritdoc ITreasury
    function subsidyPaid(uint256 year) external view returns (uint256) {
        return _subsidyPaid[year];
    }

    // ------------------------------------------------------------------ internals

    /// @dev Checks `amount` against the balance and, while capped, the quarter's cap, and records
    ///      it. Effects only; the caller transfers.
    function _withdraw(IERC20 asset, uint256 amount) private {
        if (amount == 0) revert Treasury__ZeroAmount();
        uint256 balance = asset.balanceOf(address(this));
        if (amount > balance) revert Treasury__InsufficientBalance(address(asset), balance, amount);
        if (!_isCapped()) return;

        uint256 quarter = _quarterAt(block.timestamp);
        QuarterWindow memory window = _windows[asset];
        if (window.quarterPlusOne != quarter + 1) {
            // First withdrawal of this asset in this quarter: fix the cap on the balance before it.
            // quarter <= 7 while capped, so quarter + 1 fits uint16.
            window = QuarterWindow({quarterPlusOne: uint16(quarter + 1), cap: _capOf(balance), spent: 0});
            emit QuarterlyCapSet(address(asset), quarter, window.cap);
        }
        uint256 remaining = window.cap - window.spent;
        if (amount > remaining) revert Treasury__QuarterlyCapExceeded(address(asset), amount, remaining);
        // amount <= remaining <= cap < 2^120, so the sum fits.
        window.spent += uint120(amount);
        _windows[asset] = window;
    }

    /// @dev 2 % of `balance`, rounded down (in the treasury's favour), clamped to uint120 (only an
    ///      asset with more than 6.6e37 base units would reach it; the clamp only lowers the cap).
    function _capOf(uint256 balance) private pure returns (uint120) {
        uint256 cap = balance / 100 * MoltConstants.TREASURY_QUARTERLY_CAP_PERCENT + balance % 100
            * MoltConstants.TREASURY_QUARTERLY_CAP_PERCENT / 100; // = floor(balance * 2 / 100), overflow-free
        return cap > type(uint120).max ? type(uint120).max : uint120(cap);
    }

    /// @dev An address without code would make `balanceOf` revert without a reason.
    function _checkToken(IERC20 asset) private view {
        if (address(asset).code.length == 0) revert Treasury__NotAToken(address(asset));
    }

    function _isCapped() private view returns (bool) {
        return block.timestamp < _GENESIS_TIME + MoltConstants.TREASURY_CAPPED_PERIOD;
    }

    /// @dev Seconds since genesis, 0 before it.
    function _elapsed(uint256 timestamp) private view returns (uint256) {
        return timestamp > _GENESIS_TIME ? timestamp - _GENESIS_TIME : 0;
    }

    function _quarterAt(uint256 timestamp) private view returns (uint256) {
        return _elapsed(timestamp) / MoltConstants.TREASURY_QUARTER; // rounds down: the quarter index
    }
}
