// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IIdentityRegistry} from "../../interfaces/IIdentityRegistry.sol";
import {IdentityLookupForTests} from "../../staking/mocks/IdentityLookupForTests.sol";

/// @title IdentityStatusForTests
/// @notice TEST ONLY, never deployed by a module: the staking tests' identity double plus the
///         registry's `statusOf`, which AnonymitySet reads to remove retired members, and a
///         one-call `retire`. The anonymity-set tests need many identities in many states quickly;
///         the real IdentityRegistry needs a certificate per identity and a clone report to
///         retire one (the Hardhat suite does that once, end to end).
contract IdentityStatusForTests is IdentityLookupForTests {
    mapping(uint256 identityId => bool) private _retired;

    /// @notice Retires `identityId` for good (and makes it inactive).
    /// @param identityId The identity.
    function retire(uint256 identityId) external {
        _retired[identityId] = true;
        this.setActive(identityId, false);
    }

    /// @notice The identity's lifecycle status, as IIdentityRegistry reports it.
    /// @param identityId The identity.
    /// @return The status: Retired once retired, else Active or Frozen by `isActive`, None without
    ///         an owner.
    function statusOf(uint256 identityId) external view returns (IIdentityRegistry.IdentityStatus) {
        if (_retired[identityId]) return IIdentityRegistry.IdentityStatus.Retired;
        if (this.isActive(identityId)) return IIdentityRegistry.IdentityStatus.Active;
        if (this.ownerOf(identityId) == address(0)) return IIdentityRegistry.IdentityStatus.None;
        return IIdentityRegistry.IdentityStatus.Frozen;
    }
}
