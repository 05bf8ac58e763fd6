// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";

import {IdentityMessages} from "../IdentityMessages.sol";

/// @title P256ForTests
/// @notice TEST ONLY, never deployed by a module: exposes OpenZeppelin's P256 and the identity
///         message library, so that the TypeScript tests can run the Wycheproof P-256 vectors
///         and known-answer tests of the byte formats on chain. (It lives under contracts/
///         because Hardhat compiles only that folder.)
contract P256ForTests {
    /// @notice OpenZeppelin's `P256.verify`: the precompile where present, Solidity otherwise.
    /// @param h The signed digest.
    /// @param r The signature's r.
    /// @param s The signature's s.
    /// @param qx The x coordinate of the public key.
    /// @param qy The y coordinate of the public key.
    /// @return Whether the signature is valid.
    function verify(bytes32 h, bytes32 r, bytes32 s, bytes32 qx, bytes32 qy) external view returns (bool) {
        return P256.verify(h, r, s, qx, qy);
    }

    /// @notice OpenZeppelin's Solidity verifier alone.
    /// @param h The signed digest.
    /// @param r The signature's r.
    /// @param s The signature's s.
    /// @param qx The x coordinate of the public key.
    /// @param qy The y coordinate of the public key.
    /// @return Whether the signature is valid.
    function verifySolidity(bytes32 h, bytes32 r, bytes32 s, bytes32 qx, bytes32 qy) external view returns (bool) {
        return P256.verifySolidity(h, r, s, qx, qy);
    }

    /// @notice The identity contracts' verification, which also accepts a high `s`.
    /// @param h The signed digest.
    /// @param r The signature's r.
    /// @param s The signature's s.
    /// @param qx The x coordinate of the public key.
    /// @param qy The y coordinate of the public key.
    /// @return Whether the signature is valid.
    function verifyEitherS(bytes32 h, bytes32 r, bytes32 s, bytes32 qx, bytes32 qy) external view returns (bool) {
        return IdentityMessages.verify(h, r, s, qx, qy);
    }

    /// @notice Whether (qx, qy) is a point of P-256.
    /// @param qx The x coordinate.
    /// @param qy The y coordinate.
    /// @return Whether it is a point of P-256.
    function isValidPublicKey(bytes32 qx, bytes32 qy) external pure returns (bool) {
        return P256.isValidPublicKey(qx, qy);
    }

    /// @notice See {IdentityMessages.cardKeyHash}: what the registry stores of a card key.
    /// @param x The x coordinate.
    /// @param y The y coordinate.
    /// @return The first 16 bytes of keccak256(abi.encode(x, y)).
    function cardKeyHash(bytes32 x, bytes32 y) external pure returns (bytes16) {
        return IdentityMessages.cardKeyHash(x, y);
    }

    /// @notice See {IdentityMessages.cardMessageDigest}.
    /// @param chainId The chain id of the domain.
    /// @param registry The IdentityRegistry of the domain.
    /// @param typeTag The message type.
    /// @param counter The card counter.
    /// @param predecessor The SHA-256 of the previous message.
    /// @param payloadHash The payload hash.
    /// @return The digest.
    function cardMessageDigest(
        uint256 chainId,
        address registry,
        uint8 typeTag,
        uint64 counter,
        bytes32 predecessor,
        bytes32 payloadHash
    ) external pure returns (bytes32) {
        return IdentityMessages.cardMessageDigest(chainId, registry, typeTag, counter, predecessor, payloadHash);
    }
}
