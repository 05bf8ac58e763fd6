// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IIdentityLookup} from "../../interfaces/IIdentityLookup.sol";

/// @title IdentityLookupForTests
/// @notice TEST ONLY, never deployed by a module: an identity lookup anyone can write, so that
///         staking tests can give an address an identity in one call. The real IdentityRegistry
///         needs a P-256 manufacturer certificate per identity, which would make 10,000-run fuzz
///         campaigns slow; staking only ever reads `identityOf` and `isActive`, so this double is
///         enough for its rules. (It lives under contracts/ because Hardhat compiles only that
///         folder and the TypeScript tests deploy it too.)
contract IdentityLookupForTests is IIdentityLookup {
    mapping(address owner => uint256 identityId) private _identityOf;
    mapping(uint256 identityId => bool active) private _active;

    /// @notice Gives `owner` identity `identityId` (0 takes its identity away) and sets whether
    ///         that identity is active.
    /// @param owner The owner wallet.
    /// @param identityId The identity id.
    /// @param active Whether the identity is active.
    function setIdentity(address owner, uint256 identityId, bool active) external {
        _identityOf[owner] = identityId;
        _active[identityId] = active;
    }

    /// @notice Freezes (false) or unfreezes (true) an identity.
    /// @param identityId The identity id.
    /// @param active Whether it is active.
    function setActive(uint256 identityId, bool active) external {
        _active[identityId] = active;
    }

    /// @inheritdoc IIdentityLookup
    function identityOf(address owner) external view returns (uint256) {
        return _identityOf[owner];
    }

    /// @inheritdoc IIdentityLookup
    function isActive(uint256 identityId) external view returns (bool) {
        return identityId != 0 && _active[identityId];
    }
}
