// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title MoltRoles
/// @notice The access-control roles shared by the L2 contracts (OpenZeppelin AccessControl ids).
/// @dev Until the Governor and the Beacon contracts exist (later issues), these roles are held by
///      the deployer or a multisig; the contracts never check anything but the role, so handing a
///      role to the Governor or the Beacon later needs no code change.
library MoltRoles {
    /// @notice Governance: approves manufacturers and firmware, resolves clone disputes, spends
    ///         the treasury within its caps, slashes by vote (§13).
    bytes32 internal constant GOVERNANCE_ROLE = keccak256("moltbook.role.governance");

    /// @notice The beacon (§8): reports slot counts for emission, per-epoch reputation and uptime,
    ///         randomness, and committee-proven slashing evidence.
    bytes32 internal constant BEACON_ROLE = keccak256("moltbook.role.beacon");
}
