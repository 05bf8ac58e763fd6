// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";

/// @title IdentityMessages
/// @notice The two byte formats signed with P-256 in the identity layer (DESIGN.md §3), and their
///         verification. docs/contracts-identity.md gives them byte by byte; the card firmware and
///         the SDK build the same bytes.
///
///         Manufacturer certificate (§5.5 step 3), 145 bytes, signed by the manufacturer's
///         attestation key:
///           "moltbook.cert.v1" (16) ‖ cardKeyX (32) ‖ cardKeyY (32) ‖ deviceIdHash (32)
///           ‖ firmwareHash (32) ‖ hardwareType (1)
///
///         Card message (§5.4), 141 bytes, signed by the card key:
///           "moltbook.card.v1" (16) ‖ chainId (32) ‖ registry (20) ‖ typeTag (1) ‖ counter (8)
///           ‖ predecessor (32) ‖ payloadHash (32)
///
///         Integers are big-endian, `registry` is the IdentityRegistry's address. Both are signed
///         as ECDSA P-256 over SHA-256 of the bytes (the digest a secure element computes
///         itself); `s` and `n - s` are both accepted.
/// @dev The certificate carries no chain id: a manufacturer certifies a device once, for every
///      deployment, and the card key it certifies is bound to one owner by the card's own
///      registration message, which does carry the domain.
library IdentityMessages {
    /// @notice First 16 bytes of every certificate: ASCII "moltbook.cert.v1".
    bytes16 internal constant CERTIFICATE_TAG = "moltbook.cert.v1";

    /// @notice First 16 bytes of every card message: ASCII "moltbook.card.v1".
    bytes16 internal constant CARD_MESSAGE_TAG = "moltbook.card.v1";

    /// @notice Card message type: registration of the card's identity (§5.5 step 4).
    ///         Payload: keccak256(abi.encode(address owner, uint256 zkCommitment, uint256 deadline)).
    uint8 internal constant TYPE_REGISTER = 1;

    /// @notice Card message type: authorization of an Ed25519 signer key (DESIGN.md §3).
    ///         Payload: keccak256(abi.encode(uint256 identityId, bytes32 signerKey, uint256 deadline)).
    uint8 internal constant TYPE_AUTHORIZE_SIGNER = 2;

    /// @notice Card message type: revocation of a signer key. Payload as for authorization.
    uint8 internal constant TYPE_REVOKE_SIGNER = 3;

    /// @notice Card message type: a clone-detection heartbeat (§5.4), consumed by the rollup; its
    ///         payload is the rollup's to define. On chain it only serves as clone evidence, as
    ///         does any other type: 5-255 are reserved.
    uint8 internal constant TYPE_HEARTBEAT = 4;

    /// @dev N / 2: OpenZeppelin's P256 rejects `s` above it (malleability); we flip such `s`.
    uint256 private constant HALF_N = P256.N / 2;

    /// @notice SHA-256 of a manufacturer certificate over a card key and the device it is in.
    /// @param cardKeyX The x coordinate of the card key.
    /// @param cardKeyY The y coordinate of the card key.
    /// @param deviceIdHash The device id hash.
    /// @param firmwareHash The firmware hash.
    /// @param hardwareType 1 secure element, 2 PUF card.
    /// @return The digest the manufacturer signs.
    function certificateDigest(
        bytes32 cardKeyX,
        bytes32 cardKeyY,
        bytes32 deviceIdHash,
        bytes32 firmwareHash,
        uint8 hardwareType
    ) internal pure returns (bytes32) {
        return sha256(abi.encodePacked(CERTIFICATE_TAG, cardKeyX, cardKeyY, deviceIdHash, firmwareHash, hardwareType));
    }

    /// @notice SHA-256 of a card message in the domain (`chainId`, `registry`).
    /// @param chainId The chain id of the domain.
    /// @param registry The IdentityRegistry of the domain.
    /// @param typeTag The message type.
    /// @param counter The card counter.
    /// @param predecessor The SHA-256 of the card's previous message.
    /// @param payloadHash The payload hash.
    /// @return The digest the card signs.
    function cardMessageDigest(
        uint256 chainId,
        address registry,
        uint8 typeTag,
        uint64 counter,
        bytes32 predecessor,
        bytes32 payloadHash
    ) internal pure returns (bytes32) {
        return sha256(abi.encodePacked(CARD_MESSAGE_TAG, chainId, registry, typeTag, counter, predecessor, payloadHash));
    }

    /// @notice The payload hash of a TYPE_REGISTER card message.
    /// @param owner The owner wallet.
    /// @param zkCommitment The ZK identity commitment.
    /// @param deadline The last second the signature is good for.
    /// @return The payload hash.
    function registerPayloadHash(address owner, uint256 zkCommitment, uint256 deadline)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(owner, zkCommitment, deadline));
    }

    /// @notice The payload hash of a TYPE_AUTHORIZE_SIGNER or TYPE_REVOKE_SIGNER card message.
    /// @param identityId The identity.
    /// @param signerKey The Ed25519 public key.
    /// @param deadline The last second the signature is good for.
    /// @return The payload hash.
    function signerPayloadHash(uint256 identityId, bytes32 signerKey, uint256 deadline)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(identityId, signerKey, deadline));
    }

    /// @notice Whether (`r`, `s`) is a P-256 signature of `digest` by (`qx`, `qy`), accepting
    ///         both `s` and `n - s`.
    /// @dev Malleability does not matter here: nothing is keyed by a signature, and clone evidence
    ///      compares messages, not signatures. Flipping a high `s` lets cards that do not
    ///      normalise (most secure elements) sign directly. OpenZeppelin's P256 uses the P-256
    ///      precompile at 0x100 where the chain has it and its Solidity verifier otherwise.
    /// @param digest The signed digest.
    /// @param r The signature's r.
    /// @param s The signature's s, low or high.
    /// @param qx The x coordinate of the public key.
    /// @param qy The y coordinate of the public key.
    /// @return Whether the signature is valid.
    function verify(bytes32 digest, bytes32 r, bytes32 s, bytes32 qx, bytes32 qy) internal view returns (bool) {
        uint256 sValue = uint256(s);
        if (sValue > HALF_N && sValue < P256.N) s = bytes32(P256.N - sValue);
        return P256.verify(digest, r, s, qx, qy);
    }

    /// @notice The hash of a card key that the registry stores with the device: the first 16
    ///         bytes of keccak256(abi.encode(cardKeyX, cardKeyY)).
    /// @dev 128 bits are enough to bind the key: using another key for a registered device means
    ///      finding a second preimage of the stored hash, ~2^128 hashes, which is P-256's own
    ///      security level (recovering the card's private key costs about as much). A collision
    ///      (~2^64) would give two keys that both act for one device, but only to whoever picks
    ///      the card's key before the manufacturer certifies it (the key is made in the secure
    ///      element): the manufacturer or its factory, who can certify whole extra devices
    ///      anyway (that trust is what the bond and §5.7 are for).
    /// @param cardKeyX The x coordinate of the card key.
    /// @param cardKeyY The y coordinate of the card key.
    /// @return h The first 16 bytes of the hash.
    function cardKeyHash(bytes32 cardKeyX, bytes32 cardKeyY) internal pure returns (bytes16 h) {
        // keccak256(abi.encode(x, y)) in the scratch space, without allocating memory.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, cardKeyX)
            mstore(0x20, cardKeyY)
            h := and(keccak256(0x00, 0x40), not(0xffffffffffffffffffffffffffffffff))
        }
    }
}
