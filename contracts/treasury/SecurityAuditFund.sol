// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {ISecurityAuditFund} from "../interfaces/ISecurityAuditFund.sol";
import {MoltRoles} from "../libraries/MoltRoles.sol";

/// @title SecurityAuditFund
/// @notice The §11.2 security audit fund, paid out per completed audit. See {ISecurityAuditFund}.
/// @dev Roles: DEFAULT_ADMIN_ROLE (grants GOVERNANCE_ROLE), MoltRoles.GOVERNANCE_ROLE (releases).
contract SecurityAuditFund is AccessControl, ISecurityAuditFund {
    using SafeERC20 for IERC20;

    IERC20 private immutable _MOLT;
    mapping(bytes32 reportHash => uint256) private _paidFor;
    uint256 private _totalReleased;

    /// @notice Deploys the fund; the genesis distribution then mints its 50M $MOLT to it.
    /// @param molt_ $MOLT.
    /// @param admin Receives DEFAULT_ADMIN_ROLE, and so grants GOVERNANCE_ROLE.
    constructor(IERC20 molt_, address admin) {
        if (address(molt_) == address(0) || admin == address(0)) revert SecurityAuditFund__ZeroAddress();
        _MOLT = molt_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc ISecurityAuditFund
    function releaseForAudit(bytes32 reportHash, address auditor, uint256 amount)
        external
        onlyRole(MoltRoles.GOVERNANCE_ROLE)
    {
        if (reportHash == bytes32(0)) revert SecurityAuditFund__ZeroReportHash();
        if (auditor == address(0)) revert SecurityAuditFund__ZeroAddress();
        if (amount == 0) revert SecurityAuditFund__ZeroAmount();
        if (_paidFor[reportHash] != 0) revert SecurityAuditFund__AlreadyPaid(reportHash);
        uint256 balance = _MOLT.balanceOf(address(this));
        if (amount > balance) revert SecurityAuditFund__InsufficientFunds(balance, amount);

        _paidFor[reportHash] = amount;
        _totalReleased += amount;
        emit AuditPaid(reportHash, auditor, amount);

        _MOLT.safeTransfer(auditor, amount);
    }

    /// @inheritdoc ISecurityAuditFund
    function molt() external view returns (IERC20) {
        return _MOLT;
    }

    /// @inheritdoc ISecurityAuditFund
    function paidFor(bytes32 reportHash) external view returns (uint256) {
        return _paidFor[reportHash];
    }

    /// @inheritdoc ISecurityAuditFund
    function totalReleased() external view returns (uint256) {
        return _totalReleased;
    }
}
