// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// Event fields that are amounts stay unindexed: indexing costs more gas and nobody filters by amount.
// solhint-disable gas-indexed-events

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IRewardReceiver} from "./IRewardReceiver.sol";

/// @title ITreasury
/// @notice The community treasury (§11.2: 20 % of the supply, "released by governance vote"):
///         governance (MoltRoles.GOVERNANCE_ROLE) spends any ERC-20 it holds, and during the first
///         two years after genesis every withdrawal of an asset counts against a cap of 2 % of the
///         treasury's balance of that asset per quarter (§11.2, §13.4). It also pays the validator
///         bootstrap subsidy, at most 5M $MOLT per year in the first two years (App. A).
/// @dev Quarters are counted from genesis: quarter `q` is `[genesis + q·Q, genesis + (q+1)·Q)` with
///      Q = 365 days / 4 = 7,884,000 s (MoltConstants.TREASURY_QUARTER); the capped period is
///      quarters 0-7. Before genesis counts as quarter 0. An asset's cap for a quarter is fixed at
///      its first withdrawal in that quarter: 2 % of the balance just before it, rounded down.
///      Later inflows in the quarter do not raise it. Subsidy payments are withdrawals too: they
///      count against both the $MOLT quarterly cap and the subsidy year's budget. Subsidy years
///      are `[genesis + y·365 days, genesis + (y+1)·365 days)`, y = 0, 1.
///      The treasury does not accept ETH. Besides the errors below, calls revert with
///      `AccessControlUnauthorizedAccount(account, role)`, `ReentrancyGuardReentrantCall()` and
///      `SafeERC20FailedOperation(token)`.
interface ITreasury {
    /// @notice A constructor argument, an asset or a recipient was the zero address.
    error Treasury__ZeroAddress();

    /// @notice The asset has no code, so it cannot be an ERC-20.
    /// @param asset The address given as the asset.
    error Treasury__NotAToken(address asset);

    /// @notice The constructor was given genesis time 0.
    error Treasury__ZeroGenesisTime();

    /// @notice A withdrawal of nothing.
    error Treasury__ZeroAmount();

    /// @notice A withdrawal of more than the treasury holds.
    /// @param asset The asset.
    /// @param balance The treasury's balance of it.
    /// @param amount The amount asked for.
    error Treasury__InsufficientBalance(address asset, uint256 balance, uint256 amount);

    /// @notice A withdrawal during the capped period above what is left of the quarter's cap.
    /// @param asset The asset.
    /// @param amount The amount asked for.
    /// @param remaining What the quarter still allows for this asset.
    error Treasury__QuarterlyCapExceeded(address asset, uint256 amount, uint256 remaining);

    /// @notice A subsidy payment after the two subsidy years.
    /// @param subsidyEnd The timestamp the subsidy period ended at.
    error Treasury__SubsidyPeriodOver(uint256 subsidyEnd);

    /// @notice A subsidy payment above what is left of the year's budget.
    /// @param amount The amount asked for.
    /// @param remaining What the subsidy year still allows.
    error Treasury__SubsidyBudgetExceeded(uint256 amount, uint256 remaining);

    /// @notice Governance sent `amount` of `asset` to `to`.
    /// @param asset The asset.
    /// @param to The recipient.
    /// @param amount The amount, in the asset's base units.
    event Spent(address indexed asset, address indexed to, uint256 amount);

    /// @notice Governance paid `amount` micromolt of validator subsidy to `receiver` in subsidy year
    ///         `year` (0-based), and notified it.
    /// @param receiver The reward receiver (the staking contract).
    /// @param year The 0-based subsidy year.
    /// @param amount The amount, in micromolt.
    event SubsidyPaid(address indexed receiver, uint256 indexed year, uint256 amount);

    /// @notice The first withdrawal of `asset` in capped quarter `quarter` fixed its cap.
    /// @param asset The asset.
    /// @param quarter The 0-based quarter since genesis.
    /// @param cap 2 % of the balance before that withdrawal, rounded down.
    event QuarterlyCapSet(address indexed asset, uint256 indexed quarter, uint256 cap);

    /// @notice Sends `amount` of `asset` to `to`.
    /// @dev Only for GOVERNANCE_ROLE holders. Reverts with `Treasury__ZeroAddress`,
    ///      `Treasury__NotAToken`, `Treasury__ZeroAmount`, `Treasury__InsufficientBalance`, and
    ///      during the capped period `Treasury__QuarterlyCapExceeded`.
    /// @param asset The ERC-20 to send.
    /// @param to The recipient.
    /// @param amount The amount, in the asset's base units.
    function spend(IERC20 asset, address to, uint256 amount) external;

    /// @notice Pays `amount` micromolt of validator bootstrap subsidy to `receiver` (sent first,
    ///         then `receiver.notifyRewards(amount)`).
    /// @dev Only for GOVERNANCE_ROLE holders. Reverts with `Treasury__ZeroAddress`,
    ///      `Treasury__ZeroAmount`, `Treasury__SubsidyPeriodOver`, `Treasury__SubsidyBudgetExceeded`,
    ///      `Treasury__InsufficientBalance` and `Treasury__QuarterlyCapExceeded`.
    /// @param receiver The validator reward receiver.
    /// @param amount The amount, in micromolt.
    function paySubsidy(IRewardReceiver receiver, uint256 amount) external;

    /// @notice $MOLT, the asset of the subsidy.
    /// @return The token.
    function molt() external view returns (IERC20);

    /// @notice The genesis timestamp quarters and subsidy years count from.
    /// @return The genesis time, in seconds.
    function genesisTime() external view returns (uint256);

    /// @notice The 0-based quarter since genesis of `timestamp` (0 before genesis).
    /// @param timestamp A timestamp, in seconds.
    /// @return The quarter index.
    function quarterAt(uint256 timestamp) external view returns (uint256);

    /// @notice True while withdrawals are capped: before genesis + 2 years.
    /// @return Whether the cap applies now.
    function isCapped() external view returns (bool);

    /// @notice What governance may withdraw of `asset` now, and the quarter's cap it comes from;
    ///         both `type(uint256).max` once the capped period is over.
    /// @dev Reverts with `Treasury__ZeroAddress` and `Treasury__NotAToken`.
    /// @param asset The asset.
    /// @return remaining What may still be withdrawn this quarter.
    /// @return cap This quarter's cap (fixed at its first withdrawal, else 2 % of the balance now).
    function quarterlyAllowance(IERC20 asset) external view returns (uint256 remaining, uint256 cap);

    /// @notice What is left of the current subsidy year's budget, in micromolt (0 after the period).
    /// @return The remaining subsidy budget.
    function subsidyRemaining() external view returns (uint256);

    /// @notice The subsidy paid in the 0-based subsidy year `year`, in micromolt.
    /// @param year The subsidy year.
    /// @return The amount paid.
    function subsidyPaid(uint256 year) external view returns (uint256);
}
