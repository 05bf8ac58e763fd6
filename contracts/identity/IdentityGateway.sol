// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// solhint-disable gas-strict-inequalities

import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";

import {IIdentityGateway} from "../interfaces/IIdentityGateway.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IManufacturerRegistry} from "../interfaces/IManufacturerRegistry.sol";
import {MoltConstants} from "../libraries/MoltConstants.sol";
import {IdentityMessages} from "./IdentityMessages.sol";

/// @title IdentityGateway
/// @notice Verifies certificates and card signatures and writes the result to the registry.
///         See {IIdentityGateway}.
/// @dev Stateless: everything it knows is in the registry and the manufacturer registry, so a
///      replacement gateway starts where this one stopped. Cheap checks come before the P-256
///      verifications, which cost ~4k gas each with the precompile and ~270k without. Card-signed
///      calls carry the card key ({CardRef}): the gateway verifies under it and hands the registry
///      its hash, which the registry compares with the one stored for the device.
contract IdentityGateway is IIdentityGateway {
    IIdentityRegistry private immutable _REGISTRY;
    IManufacturerRegistry private immutable _MANUFACTURERS;
    IERC20Permit private immutable _TOKEN;

    /// @notice Deploys a gateway for `registry_`, which governance then makes current.
    /// @param registry_ The registry to write to; its manufacturer registry and token are used.
    constructor(IIdentityRegistry registry_) {
        if (address(registry_) == address(0)) revert IdentityGateway__ZeroAddress();
        _REGISTRY = registry_;
        _MANUFACTURERS = IManufacturerRegistry(registry_.manufacturers());
        _TOKEN = IERC20Permit(registry_.token());
    }

    // ------------------------------------------------------------------ writes

    /// @inheritdoc IIdentityGateway
    function register(
        uint256 manufacturerId,
        Certificate calldata certificate,
        uint256 zkCommitment,
        uint256 stake,
        uint256 deadline,
        CardSignature calldata cardSignature
    ) external returns (uint256) {
        return _register(manufacturerId, certificate, zkCommitment, stake, deadline, cardSignature);
    }

    /// @inheritdoc IIdentityGateway
    function registerWithPermit(
        uint256 manufacturerId,
        Certificate calldata certificate,
        uint256 zkCommitment,
        uint256 stake,
        uint256 deadline,
        CardSignature calldata cardSignature,
        Permit calldata permit
    ) external returns (uint256) {
        // A failed permit (e.g. already used by a front-runner) is ignored: the registry's pull
        // fails with the token's allowance error if the allowance is not there.
        // solhint-disable no-empty-blocks
        try _TOKEN.permit(msg.sender, address(_REGISTRY), stake, permit.deadline, permit.v, permit.r, permit.s) {}
            catch {}
        // solhint-enable no-empty-blocks
        return _register(manufacturerId, certificate, zkCommitment, stake, deadline, cardSignature);
    }

    /// @inheritdoc IIdentityGateway
    function authorizeSigner(
        uint256 identityId,
        CardRef calldata card,
        bytes32 signerKey,
        uint256 deadline,
        CardSignature calldata cardSignature
    ) external {
        bytes32 payloadHash = _signerPayload(identityId, signerKey, deadline);
        _verifyCard(card, IdentityMessages.TYPE_AUTHORIZE_SIGNER, payloadHash, cardSignature);
        _REGISTRY.authorizeSigner(identityId, card.deviceIdHash, _keyHash(card), signerKey, cardSignature.counter);
        _emitAccepted(identityId, IdentityMessages.TYPE_AUTHORIZE_SIGNER, payloadHash, cardSignature);
    }

    /// @inheritdoc IIdentityGateway
    function revokeSignerWithCard(
        uint256 identityId,
        CardRef calldata card,
        bytes32 signerKey,
        uint256 deadline,
        CardSignature calldata cardSignature
    ) external {
        bytes32 payloadHash = _signerPayload(identityId, signerKey, deadline);
        _verifyCard(card, IdentityMessages.TYPE_REVOKE_SIGNER, payloadHash, cardSignature);
        _REGISTRY.revokeSigner(identityId, card.deviceIdHash, _keyHash(card), signerKey, cardSignature.counter);
        _emitAccepted(identityId, IdentityMessages.TYPE_REVOKE_SIGNER, payloadHash, cardSignature);
    }

    /// @inheritdoc IIdentityGateway
    function revokeSigner(bytes32 signerKey) external {
        _REGISTRY.revokeSignerByOwner(msg.sender, signerKey);
    }

    /// @inheritdoc IIdentityGateway
    function reportClone(uint256 identityId, CardRef calldata card, CardMessage calldata a, CardMessage calldata b)
        external
    {
        bytes32 digestA = _cardDigest(a.typeTag, a.counter, a.predecessor, a.payloadHash);
        bytes32 digestB = _cardDigest(b.typeTag, b.counter, b.predecessor, b.payloadHash);
        if (digestA == digestB) revert IdentityGateway__SameMessage();
        // §5.4: the same counter over different messages, or two successors of one message.
        if (a.counter != b.counter && a.predecessor != b.predecessor) revert IdentityGateway__NoConflict();
        bytes32 x = card.cardKeyX;
        bytes32 y = card.cardKeyY;
        if (!IdentityMessages.verify(digestA, a.r, a.s, x, y) || !IdentityMessages.verify(digestB, b.r, b.s, x, y)) {
            revert IdentityGateway__InvalidCardSignature();
        }
        _REGISTRY.freeze(
            identityId, card.deviceIdHash, _keyHash(card), a.counter > b.counter ? a.counter : b.counter, msg.sender
        );
        emit CloneReported(identityId, msg.sender, digestA, digestB);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IIdentityGateway
    function registry() external view returns (address) {
        return address(_REGISTRY);
    }

    /// @inheritdoc IIdentityGateway
    function manufacturers() external view returns (address) {
        return address(_MANUFACTURERS);
    }

    /// @inheritdoc IIdentityGateway
    function certificateDigest(Certificate calldata certificate) external pure returns (bytes32) {
        return IdentityMessages.certificateDigest(
            certificate.cardKeyX,
            certificate.cardKeyY,
            certificate.deviceIdHash,
            certificate.firmwareHash,
            certificate.hardwareType
        );
    }

    /// @inheritdoc IIdentityGateway
    function cardMessageDigest(uint8 typeTag, uint64 counter, bytes32 predecessor, bytes32 payloadHash)
        external
        view
        returns (bytes32)
    {
        return _cardDigest(typeTag, counter, predecessor, payloadHash);
    }

    /// @inheritdoc IIdentityGateway
    function cardKeyHash(bytes32 cardKeyX, bytes32 cardKeyY) external pure returns (bytes16) {
        return IdentityMessages.cardKeyHash(cardKeyX, cardKeyY);
    }

    /// @inheritdoc IIdentityGateway
    function registerPayloadHash(address owner, uint256 zkCommitment, uint256 deadline)
        external
        pure
        returns (bytes32)
    {
        return IdentityMessages.registerPayloadHash(owner, zkCommitment, deadline);
    }

    /// @inheritdoc IIdentityGateway
    function signerPayloadHash(uint256 identityId, bytes32 signerKey, uint256 deadline)
        external
        pure
        returns (bytes32)
    {
        return IdentityMessages.signerPayloadHash(identityId, signerKey, deadline);
    }

    // ------------------------------------------------------------------ internals

    /// @dev §5.5 step 5: validate in order of cost, then record. The registry checks what is
    ///      state (device unused, share cap, stake transfer).
    function _register(
        uint256 manufacturerId,
        Certificate calldata c,
        uint256 zkCommitment,
        uint256 stake,
        uint256 deadline,
        CardSignature calldata cardSignature
    ) private returns (uint256 identityId) {
        _checkInputs(c, zkCommitment, stake, deadline);
        _verifyCertificate(manufacturerId, c);

        // The card binds its key to this owner and commitment, so nobody can lift a certificate
        // out of the mempool and register it to another wallet.
        bytes32 payloadHash = IdentityMessages.registerPayloadHash(msg.sender, zkCommitment, deadline);
        bytes32 digest =
            _cardDigest(IdentityMessages.TYPE_REGISTER, cardSignature.counter, cardSignature.predecessor, payloadHash);
        if (!IdentityMessages.verify(digest, cardSignature.r, cardSignature.s, c.cardKeyX, c.cardKeyY)) {
            revert IdentityGateway__InvalidCardSignature();
        }

        identityId = _REGISTRY.register(
            IIdentityRegistry.NewIdentity({
                owner: msg.sender,
                manufacturerId: manufacturerId,
                hardwareType: c.hardwareType,
                cardKeyX: c.cardKeyX,
                cardKeyY: c.cardKeyY,
                deviceIdHash: c.deviceIdHash,
                firmwareHash: c.firmwareHash,
                zkCommitment: zkCommitment,
                stake: stake,
                counter: cardSignature.counter
            })
        );
        _emitAccepted(identityId, IdentityMessages.TYPE_REGISTER, payloadHash, cardSignature);
    }

    /// @dev The checks that need no state and no signature: deadline, stake (5c), commitment,
    ///      device id hash, card key.
    function _checkInputs(Certificate calldata c, uint256 zkCommitment, uint256 stake, uint256 deadline) private view {
        if (block.timestamp > deadline) revert IdentityGateway__SignatureExpired(deadline);
        if (stake < MoltConstants.IDENTITY_MIN_STAKE || stake > MoltConstants.TOKEN_SUPPLY_CAP) {
            revert IdentityGateway__StakeOutOfRange(
                stake, MoltConstants.IDENTITY_MIN_STAKE, MoltConstants.TOKEN_SUPPLY_CAP
            );
        }
        if (zkCommitment == 0 || zkCommitment >= MoltConstants.IDENTITY_COMMITMENT_FIELD) {
            revert IdentityGateway__InvalidZkCommitment(zkCommitment);
        }
        if (c.deviceIdHash == bytes32(0)) revert IdentityGateway__ZeroDeviceIdHash();
        if (!P256.isValidPublicKey(c.cardKeyX, c.cardKeyY)) {
            revert IdentityGateway__InvalidCardKey(c.cardKeyX, c.cardKeyY);
        }
    }

    /// @dev 5a and 5d: an approved manufacturer with a full bond, firmware approved for the
    ///      hardware type, and its attestation key's signature over the certificate.
    function _verifyCertificate(uint256 manufacturerId, Certificate calldata c) private view {
        (bytes32 ax, bytes32 ay) = _MANUFACTURERS.certificationKey(manufacturerId, c.firmwareHash, c.hardwareType);
        bytes32 digest =
            IdentityMessages.certificateDigest(c.cardKeyX, c.cardKeyY, c.deviceIdHash, c.firmwareHash, c.hardwareType);
        if (!IdentityMessages.verify(digest, c.r, c.s, ax, ay)) {
            revert IdentityGateway__InvalidCertificate(manufacturerId);
        }
    }

    /// @dev Checks the deadline and the signer key, and builds the payload hash.
    function _signerPayload(uint256 identityId, bytes32 signerKey, uint256 deadline) private view returns (bytes32) {
        if (block.timestamp > deadline) revert IdentityGateway__SignatureExpired(deadline);
        if (signerKey == bytes32(0)) revert IdentityGateway__ZeroSignerKey();
        return IdentityMessages.signerPayloadHash(identityId, signerKey, deadline);
    }

    /// @dev Verifies a card signature of (`typeTag`, `payloadHash`) under the key in `card`; the
    ///      registry then checks that this key is the identity's (by its hash).
    function _verifyCard(CardRef calldata card, uint8 typeTag, bytes32 payloadHash, CardSignature calldata sig)
        private
        view
    {
        bytes32 digest = _cardDigest(typeTag, sig.counter, sig.predecessor, payloadHash);
        if (!IdentityMessages.verify(digest, sig.r, sig.s, card.cardKeyX, card.cardKeyY)) {
            revert IdentityGateway__InvalidCardSignature();
        }
    }

    function _keyHash(CardRef calldata card) private pure returns (bytes16) {
        return IdentityMessages.cardKeyHash(card.cardKeyX, card.cardKeyY);
    }

    function _cardDigest(uint8 typeTag, uint64 counter, bytes32 predecessor, bytes32 payloadHash)
        private
        view
        returns (bytes32)
    {
        return IdentityMessages.cardMessageDigest(
            block.chainid, address(_REGISTRY), typeTag, counter, predecessor, payloadHash
        );
    }

    function _emitAccepted(uint256 identityId, uint8 typeTag, bytes32 payloadHash, CardSignature calldata sig) private {
        emit CardMessageAccepted(identityId, typeTag, sig.counter, sig.predecessor, payloadHash, sig.r, sig.s);
    }
}
