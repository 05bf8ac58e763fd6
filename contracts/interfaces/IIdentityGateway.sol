// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// solhint-disable gas-indexed-events, gas-struct-packing

/// @title IIdentityGateway
/// @notice The entry point for identity writes (§5.4, §5.5, DESIGN.md §3): it verifies the
///         manufacturer certificate and the card's P-256 signatures, then records the result in
///         the IdentityRegistry, which only accepts writes from its current gateway. Governance
///         can replace the gateway without touching the registry's state.
/// @dev Message formats (see IdentityMessages and docs/contracts-identity.md): certificates are
///      SHA-256/P-256 over "moltbook.cert.v1" ‖ cardKeyX ‖ cardKeyY ‖ deviceIdHash ‖ firmwareHash
///      ‖ hardwareType; card messages over "moltbook.card.v1" ‖ chainId ‖ registry ‖ typeTag ‖
///      counter ‖ predecessor ‖ payloadHash, in the domain of this chain and the registry (not
///      the gateway, so signed messages survive a gateway change). Signatures are accepted with
///      either `s` or `n - s`. The registry stores a card key only as a hash, so every call the
///      card signs after registration resends the card's device id hash and key ({CardRef}).
interface IIdentityGateway {
    /// @notice A manufacturer certificate over a card key (§5.5 step 3).
    /// @param cardKeyX The x coordinate of the card's P-256 key.
    /// @param cardKeyY The y coordinate of the card's P-256 key.
    /// @param deviceIdHash The hash of the device id (never the raw id).
    /// @param firmwareHash The firmware the card runs.
    /// @param hardwareType 1 secure element, 2 PUF card.
    /// @param r The signature's r, by the manufacturer's attestation key.
    /// @param s The signature's s.
    struct Certificate {
        bytes32 cardKeyX;
        bytes32 cardKeyY;
        bytes32 deviceIdHash;
        bytes32 firmwareHash;
        uint8 hardwareType;
        bytes32 r;
        bytes32 s;
    }

    /// @notice The card's signature of a message whose type and payload the call implies.
    /// @param counter The card's monotonic counter in the message.
    /// @param predecessor The SHA-256 of the previous message the card signed (zero for its first).
    /// @param r The signature's r, by the card key.
    /// @param s The signature's s.
    struct CardSignature {
        uint64 counter;
        bytes32 predecessor;
        bytes32 r;
        bytes32 s;
    }

    /// @notice The card a card-signed call speaks for: the identity's device id hash and the card's
    ///         P-256 key, as registered (both are in `IdentityRegistered`). The gateway verifies
    ///         the card's signature under this key; the registry checks that the device belongs to
    ///         the identity and that the key's hash is the one registered with the device
    ///         (`IdentityRegistry__CardMismatch` otherwise).
    /// @param deviceIdHash The identity's device id hash.
    /// @param cardKeyX The x coordinate of the card's P-256 key.
    /// @param cardKeyY The y coordinate of the card's P-256 key.
    struct CardRef {
        bytes32 deviceIdHash;
        bytes32 cardKeyX;
        bytes32 cardKeyY;
    }

    /// @notice A complete card message with its signature, as clone evidence (§5.4).
    struct CardMessage {
        uint8 typeTag;
        uint64 counter;
        bytes32 predecessor;
        bytes32 payloadHash;
        bytes32 r;
        bytes32 s;
    }

    /// @notice An EIP-2612 permit of the owner for the registry, to pay the stake in one call.
    struct Permit {
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    // ------------------------------------------------------------------ errors

    /// @notice A constructor address was zero.
    error IdentityGateway__ZeroAddress();

    /// @notice The signed deadline has passed.
    error IdentityGateway__SignatureExpired(uint256 deadline);

    /// @notice The stake is below `IDENTITY_MIN_STAKE` (§5.5 step 5c) or above the supply cap.
    error IdentityGateway__StakeOutOfRange(uint256 stake, uint256 min, uint256 max);

    /// @notice The ZK commitment is zero or not below the BN254 scalar field order.
    error IdentityGateway__InvalidZkCommitment(uint256 zkCommitment);

    /// @notice The device id hash was zero.
    error IdentityGateway__ZeroDeviceIdHash();

    /// @notice The card key is not a point of P-256.
    error IdentityGateway__InvalidCardKey(bytes32 x, bytes32 y);

    /// @notice The certificate is not signed by the manufacturer's attestation key (§5.5 step 5a).
    error IdentityGateway__InvalidCertificate(uint256 manufacturerId);

    /// @notice A card signature does not verify under the card key.
    error IdentityGateway__InvalidCardSignature();

    /// @notice The signer key was zero.
    error IdentityGateway__ZeroSignerKey();

    /// @notice The two messages of a clone report are the same message.
    error IdentityGateway__SameMessage();

    /// @notice The two messages neither share a counter nor a predecessor: no clone shown.
    error IdentityGateway__NoConflict();

    // ------------------------------------------------------------------ events

    /// @notice A card message was verified and acted on. With the signature, anyone can later use
    ///         it as clone evidence (§5.4).
    /// @param identityId The identity.
    /// @param typeTag The message type.
    /// @param counter The card counter in the message.
    /// @param predecessor The SHA-256 of the card's previous message.
    /// @param payloadHash The payload hash in the message.
    /// @param r The signature's r.
    /// @param s The signature's s.
    event CardMessageAccepted(
        uint256 indexed identityId,
        uint8 indexed typeTag,
        uint64 counter,
        bytes32 predecessor,
        bytes32 payloadHash,
        bytes32 r,
        bytes32 s
    );

    /// @notice `reporter` proved two conflicting card messages of `identityId`, which is frozen.
    /// @param identityId The identity.
    /// @param reporter Who reported it.
    /// @param digestA The SHA-256 of the first message.
    /// @param digestB The SHA-256 of the second message.
    event CloneReported(uint256 indexed identityId, address indexed reporter, bytes32 digestA, bytes32 digestB);

    // ------------------------------------------------------------------ writes

    /// @notice Registers the caller's identity (§5.5): the card certified by `manufacturerId`, the
    ///         caller's ZK commitment, and `stake` pulled from the caller (who must have allowed
    ///         the registry). `cardSignature` signs a TYPE_REGISTER message whose payload binds the
    ///         caller, `zkCommitment` and `deadline`.
    /// @return identityId The new identity.
    /// @param manufacturerId The manufacturer that certified the card.
    /// @param certificate The manufacturer's certificate over the card key and device.
    /// @param zkCommitment The caller's ZK identity commitment, nonzero and below the BN254 field order.
    /// @param stake The stake to escrow, in micromolt; at least IDENTITY_MIN_STAKE.
    /// @param deadline The last second the card's signature is good for.
    /// @param cardSignature The card's signature, with its counter and predecessor.
    function register(
        uint256 manufacturerId,
        Certificate calldata certificate,
        uint256 zkCommitment,
        uint256 stake,
        uint256 deadline,
        CardSignature calldata cardSignature
    ) external returns (uint256 identityId);

    /// @notice {register}, first applying the caller's permit for the registry to pull `stake`.
    /// @param manufacturerId The manufacturer that certified the card.
    /// @param certificate The manufacturer's certificate over the card key and device.
    /// @param zkCommitment The caller's ZK identity commitment, nonzero and below the BN254 field order.
    /// @param stake The stake to escrow, in micromolt; at least IDENTITY_MIN_STAKE.
    /// @param deadline The last second the card's signature is good for.
    /// @param cardSignature The card's signature, with its counter and predecessor.
    /// @param permit The caller's EIP-2612 permit for the registry, for `stake`.
    /// @return identityId The new identity.
    function registerWithPermit(
        uint256 manufacturerId,
        Certificate calldata certificate,
        uint256 zkCommitment,
        uint256 stake,
        uint256 deadline,
        CardSignature calldata cardSignature,
        Permit calldata permit
    ) external returns (uint256 identityId);

    /// @notice Authorizes an Ed25519 signer key for an active identity, with a TYPE_AUTHORIZE_SIGNER
    ///         card message over (identityId, signerKey, deadline). Anyone may submit it.
    /// @param identityId The identity.
    /// @param card The identity's device id hash and card key, as registered.
    /// @param signerKey The Ed25519 public key to authorize (nonzero).
    /// @param deadline The last second the card's signature is good for.
    /// @param cardSignature The card's signature, with its counter and predecessor.
    function authorizeSigner(
        uint256 identityId,
        CardRef calldata card,
        bytes32 signerKey,
        uint256 deadline,
        CardSignature calldata cardSignature
    ) external;

    /// @notice Revokes a signer key with a TYPE_REVOKE_SIGNER card message over (identityId,
    ///         signerKey, deadline). Anyone may submit it; works while frozen, not once retired.
    /// @param identityId The identity.
    /// @param card The identity's device id hash and card key, as registered.
    /// @param signerKey The Ed25519 public key to revoke.
    /// @param deadline The last second the card's signature is good for.
    /// @param cardSignature The card's signature, with its counter and predecessor.
    function revokeSignerWithCard(
        uint256 identityId,
        CardRef calldata card,
        bytes32 signerKey,
        uint256 deadline,
        CardSignature calldata cardSignature
    ) external;

    /// @notice Revokes a signer key of one of the caller's identities, with no card (a lost card
    ///         or a compromised agent host must not delay it). The registry finds the key's
    ///         identity and checks that the caller owns it (`IdentityRegistry__NotIdentityOwner`).
    /// @param signerKey The Ed25519 public key to revoke.
    function revokeSigner(bytes32 signerKey) external;

    /// @notice Reports a clone (§5.4): two different messages signed by the identity's card key
    ///         with the same counter, or claiming the same predecessor. Anyone may report; the
    ///         identity is frozen, its stake locked, its manufacturer flagged.
    /// @param identityId The identity.
    /// @param card The identity's device id hash and card key, as registered.
    /// @param a One card message with its signature.
    /// @param b Another.
    function reportClone(uint256 identityId, CardRef calldata card, CardMessage calldata a, CardMessage calldata b)
        external;

    // ------------------------------------------------------------------ views

    /// @notice The registry this gateway writes to.
    function registry() external view returns (address);

    /// @notice The manufacturer registry certificates are checked against.
    function manufacturers() external view returns (address);

    /// @notice The digest a manufacturer signs for a certificate (its r and s are ignored).
    /// @param certificate The certificate fields.
    function certificateDigest(Certificate calldata certificate) external pure returns (bytes32);

    /// @notice The digest a card signs for a message in this chain's and registry's domain.
    /// @param typeTag The message type.
    /// @param counter The card counter.
    /// @param predecessor The SHA-256 of the card's previous message.
    /// @param payloadHash The payload hash.
    function cardMessageDigest(uint8 typeTag, uint64 counter, bytes32 predecessor, bytes32 payloadHash)
        external
        view
        returns (bytes32);

    /// @notice The card key hash the registry stores with a device: the first 16 bytes of
    ///         keccak256(abi.encode(cardKeyX, cardKeyY)).
    /// @param cardKeyX The x coordinate of the card key.
    /// @param cardKeyY The y coordinate of the card key.
    function cardKeyHash(bytes32 cardKeyX, bytes32 cardKeyY) external pure returns (bytes16);

    /// @notice The payload hash of a TYPE_REGISTER message.
    /// @param owner The owner wallet.
    /// @param zkCommitment The ZK identity commitment.
    /// @param deadline The deadline.
    function registerPayloadHash(address owner, uint256 zkCommitment, uint256 deadline) external pure returns (bytes32);

    /// @notice The payload hash of a TYPE_AUTHORIZE_SIGNER or TYPE_REVOKE_SIGNER message.
    /// @param identityId The identity.
    /// @param signerKey The Ed25519 public key.
    /// @param deadline The deadline.
    function signerPayloadHash(uint256 identityId, bytes32 signerKey, uint256 deadline) external pure returns (bytes32);
}
