// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IIdentityLookup} from "../../interfaces/IIdentityLookup.sol";

/// @title IdentityLookupForTests
/// @notice TEST ONLY, never deployed by a module: an identity lookup anyone can write, so that
///         staking tests can give an address an identity in one call. The real IdentityRegistry
///         needs a P-256 manufacturer certificate per identity, which would make 10,000-run fuzz
///         campaigns slow; staking only ever reads `ownerOf` and `isActive`, so this double is
///         enough for its rules. Unlike the real registry it can move an identity to another
///         wallet, for the staking rules written for later registries. (It lives under
///         contracts/ because Hardhat compiles only that folder and the TypeScript tests deploy
///         it too.)
contract IdentityLookupForTests is IIdentityLookup {
    mapping(uint256 identityId => address owner) private _ownerOf;
    mapping(uint256 identityId => bool active) private _active;

    /// @notice Makes `owner` the holder of identity `identityId` (zero: nobody holds it) and sets
    ///         whether that identity is active. A wallet may hold several identities.
    /// @param owner The owner wallet.
    /// @param identityId The identity id.
    /// @param active Whether the identity is active.
    function setIdentity(address owner, uint256 identityId, bool active) external {
        _ownerOf[identityId] = owner;
        _active[identityId] = active;
    }

    /// @notice Freezes (false) or unfreezes (true) an identity.
    /// @param identityId The identity id.
    /// @param active Whether it is active.
    function setActive(uint256 identityId, bool active) external {
        _active[identityId] = active;
    }

    /// @inheritdoc IIdentityLookup
    function ownerOf(uint256 identityId) external view returns (address) {
        return _ownerOf[identityId];
    }

    /// @inheritdoc IIdentityLookup
    function isActive(uint256 identityId) external view returns (bool) {
        return identityId != 0 && _active[identityId];
    }
}
