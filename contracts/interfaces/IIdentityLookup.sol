// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IIdentityLookup
/// @notice What other contracts (staking, governance) need to know about identities (§5.5): which
///         identity an owner wallet holds, and whether it is in good standing.
interface IIdentityLookup {
    /// @notice The identity id held by `owner`, or 0 when it holds none. Ids start at 1.
    /// @param owner The owner wallet.
    /// @return identityId Its identity, or 0.
    function identityOf(address owner) external view returns (uint256 identityId);

    /// @notice True when `identityId` is registered and neither frozen (clone dispute, §5.4) nor
    ///         retired.
    /// @param identityId The identity.
    /// @return Whether it is active.
    function isActive(uint256 identityId) external view returns (bool);
}
