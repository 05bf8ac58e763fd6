// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IIdentityLookup
/// @notice What other contracts (staking, governance) need to know about identities (§5.5): which
///         wallet holds an identity, and whether it is in good standing. A wallet may hold several
///         identities (sybil resistance comes from the hardware card, one identity per device), so
///         callers name the identity and check its owner, as `Staking.registerValidator` does.
interface IIdentityLookup {
    /// @notice The owner wallet of `identityId`, or zero when no identity has that id. Ids start
    ///         at 1. A frozen or retired identity keeps its owner: check {isActive} too.
    /// @param identityId The identity.
    /// @return owner Its owner wallet, or zero.
    function ownerOf(uint256 identityId) external view returns (address owner);

    /// @notice True when `identityId` is registered and neither frozen (clone dispute, §5.4) nor
    ///         retired.
    /// @param identityId The identity.
    /// @return Whether it is active.
    function isActive(uint256 identityId) external view returns (bool);
}
