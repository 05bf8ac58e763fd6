// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// Event fields that are amounts stay unindexed: indexing costs more gas and nobody filters by amount.
// solhint-disable gas-indexed-events

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ISecurityAuditFund
/// @notice The security audit fund (§11.2: 5 % of the supply, "released as audits are completed"):
///         it holds $MOLT and pays it out only when governance (MoltRoles.GOVERNANCE_ROLE)
///         releases a payment for a completed audit, identified by the hash of its published
///         report. Each report is paid once.
/// @dev Besides the errors below, calls revert with `AccessControlUnauthorizedAccount(account,
///      role)` and `SafeERC20FailedOperation(token)`.
interface ISecurityAuditFund {
    /// @notice A constructor argument or the auditor was the zero address.
    error SecurityAuditFund__ZeroAddress();

    /// @notice The report hash was zero.
    error SecurityAuditFund__ZeroReportHash();

    /// @notice A payment of nothing.
    error SecurityAuditFund__ZeroAmount();

    /// @notice The audit with this report hash was already paid.
    /// @param reportHash The report hash.
    error SecurityAuditFund__AlreadyPaid(bytes32 reportHash);

    /// @notice The fund holds less than the payment.
    /// @param balance The fund's $MOLT balance.
    /// @param amount The payment asked for.
    error SecurityAuditFund__InsufficientFunds(uint256 balance, uint256 amount);

    /// @notice Governance paid `amount` micromolt to `auditor` for the audit whose published report
    ///         hashes to `reportHash`.
    /// @param reportHash The hash of the audit report (e.g. keccak256 of the PDF, or its IPFS digest).
    /// @param auditor The auditor paid.
    /// @param amount The amount, in micromolt.
    event AuditPaid(bytes32 indexed reportHash, address indexed auditor, uint256 amount);

    /// @notice Pays `auditor` `amount` micromolt for the completed audit `reportHash`.
    /// @dev Only for GOVERNANCE_ROLE holders. Reverts with `SecurityAuditFund__ZeroReportHash`,
    ///      `SecurityAuditFund__ZeroAddress`, `SecurityAuditFund__ZeroAmount`,
    ///      `SecurityAuditFund__AlreadyPaid` and `SecurityAuditFund__InsufficientFunds`.
    /// @param reportHash The hash of the published audit report.
    /// @param auditor The recipient.
    /// @param amount The amount, in micromolt.
    function releaseForAudit(bytes32 reportHash, address auditor, uint256 amount) external;

    /// @notice $MOLT.
    /// @return The token the fund holds.
    function molt() external view returns (IERC20);

    /// @notice What was paid for the audit `reportHash`, 0 if nothing.
    /// @param reportHash The report hash.
    /// @return The amount paid, in micromolt.
    function paidFor(bytes32 reportHash) external view returns (uint256);

    /// @notice Everything paid out so far, in micromolt.
    /// @return The total released.
    function totalReleased() external view returns (uint256);
}
