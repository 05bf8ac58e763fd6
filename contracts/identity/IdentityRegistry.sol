// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// solhint-disable gas-strict-inequalities

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IIdentityLookup} from "../interfaces/IIdentityLookup.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IManufacturerRegistry} from "../interfaces/IManufacturerRegistry.sol";
import {MoltConstants} from "../libraries/MoltConstants.sol";
import {MoltRoles} from "../libraries/MoltRoles.sol";
import {IdentityMessages} from "./IdentityMessages.sol";

/// @title IdentityRegistry
/// @notice The hardware-bound identities of §5.5 and their signer keys. See {IIdentityRegistry}.
/// @dev Storage is packed for the registration's gas (DESIGN.md §7 budget): the record is four
///      slots, the card key is stored compressed (x and the SEC 1 prefix) and decompressed when
///      read, and the gateway address shares a slot with the id counter and the stake total.
contract IdentityRegistry is AccessControl, ReentrancyGuardTransient, IIdentityRegistry {
    using SafeERC20 for IERC20;

    /// @dev One identity in four slots: the hot fields, the counter slot card-signed operations
    ///      write, and the two 32-byte values.
    struct IdentityRecord {
        address owner;
        uint64 stake;
        uint16 manufacturerId;
        uint8 hardwareType;
        IdentityStatus status;
        uint64 counter;
        uint40 createdAt;
        uint8 signerCount;
        uint8 cardKeyPrefix;
        bytes32 cardKeyX;
        uint256 zkCommitment;
    }

    /// @dev A signer key: whose it is and whether it is still active.
    struct SignerRecord {
        uint32 identityId;
        SignerStatus status;
    }

    IERC20 private immutable _TOKEN;
    IManufacturerRegistry private immutable _MANUFACTURERS;

    /// @dev One slot: read and written by every registration.
    address private _gateway;
    uint32 private _identityCount;
    uint64 private _totalStake;

    address private _treasury;

    mapping(uint256 identityId => IdentityRecord) private _identities;
    mapping(address owner => uint256 identityId) private _identityOf;
    mapping(bytes32 deviceIdHash => uint256 identityId) private _identityByDevice;
    mapping(bytes32 signerKey => SignerRecord) private _signers;

    /// @notice Deploys an empty registry with no gateway; governance then sets one.
    /// @param token_ The $MOLT token stakes are paid in.
    /// @param manufacturers_ The manufacturer registry that counts devices.
    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants GOVERNANCE_ROLE).
    /// @param treasury_ Receives slashed stakes.
    constructor(IERC20 token_, IManufacturerRegistry manufacturers_, address admin, address treasury_) {
        if (
            address(token_) == address(0) || address(manufacturers_) == address(0) || admin == address(0)
                || treasury_ == address(0)
        ) {
            revert IdentityRegistry__ZeroAddress();
        }
        _TOKEN = token_;
        _MANUFACTURERS = manufacturers_;
        _treasury = treasury_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        emit TreasuryChanged(address(0), treasury_);
    }

    modifier onlyGateway() {
        if (msg.sender != _gateway) revert IdentityRegistry__NotGateway(msg.sender);
        _;
    }

    // ------------------------------------------------------------------ gateway

    /// @inheritdoc IIdentityRegistry
    function register(NewIdentity calldata n) external onlyGateway nonReentrant returns (uint256 identityId) {
        if (n.owner == address(0)) revert IdentityRegistry__ZeroAddress();
        uint256 existing = _identityOf[n.owner];
        if (existing != 0) revert IdentityRegistry__OwnerHasIdentity(n.owner, existing);
        existing = _identityByDevice[n.deviceIdHash];
        if (existing != 0) revert IdentityRegistry__DeviceAlreadyRegistered(n.deviceIdHash, existing);

        identityId = uint256(_identityCount) + 1;
        _identityCount = SafeCast.toUint32(identityId);
        _totalStake += SafeCast.toUint64(n.stake); // <= $MOLT's cap, far below 2^64
        _identities[identityId] = IdentityRecord({
            owner: n.owner,
            stake: uint64(n.stake),
            manufacturerId: SafeCast.toUint16(n.manufacturerId),
            hardwareType: n.hardwareType,
            status: IdentityStatus.Active,
            counter: n.counter,
            createdAt: uint40(block.timestamp),
            signerCount: 0,
            cardKeyPrefix: IdentityMessages.compressionPrefix(n.cardKeyY),
            cardKeyX: n.cardKeyX,
            zkCommitment: n.zkCommitment
        });
        _identityOf[n.owner] = identityId;
        _identityByDevice[n.deviceIdHash] = identityId;
        emit IdentityRegistered(
            identityId,
            n.owner,
            n.manufacturerId,
            n.cardKeyX,
            n.cardKeyY,
            n.deviceIdHash,
            n.firmwareHash,
            n.hardwareType,
            n.zkCommitment,
            n.stake,
            n.counter
        );

        // Both callees are trusted (set at deployment); the share cap is applied there.
        _MANUFACTURERS.noteRegistration(n.manufacturerId);
        _TOKEN.safeTransferFrom(n.owner, address(this), n.stake);
    }

    /// @inheritdoc IIdentityRegistry
    function authorizeSigner(uint256 identityId, bytes32 signerKey, uint64 counter) external onlyGateway {
        IdentityRecord storage r = _identities[identityId];
        _requireActive(identityId, r.status);
        _advanceCounter(identityId, r, counter);
        SignerRecord storage s = _signers[signerKey];
        if (s.status != SignerStatus.None) revert IdentityRegistry__SignerKeyUsed(signerKey, s.identityId);
        uint256 count = r.signerCount;
        if (count >= MoltConstants.IDENTITY_MAX_SIGNER_KEYS) {
            revert IdentityRegistry__TooManySigners(identityId, MoltConstants.IDENTITY_MAX_SIGNER_KEYS);
        }
        r.signerCount = uint8(count + 1); // < IDENTITY_MAX_SIGNER_KEYS < 256
        s.identityId = uint32(identityId); // identityId <= _identityCount, a uint32
        s.status = SignerStatus.Active;
        emit SignerAuthorized(identityId, signerKey, counter);
    }

    /// @inheritdoc IIdentityRegistry
    function revokeSigner(uint256 identityId, bytes32 signerKey, uint64 counter) external onlyGateway {
        IdentityRecord storage r = _identities[identityId];
        _requireNotRetired(identityId, r.status);
        _advanceCounter(identityId, r, counter);
        _revoke(identityId, r, signerKey);
        emit SignerRevoked(identityId, signerKey, counter, false);
    }

    /// @inheritdoc IIdentityRegistry
    function revokeSignerByOwner(uint256 identityId, bytes32 signerKey) external onlyGateway {
        IdentityRecord storage r = _identities[identityId];
        _requireNotRetired(identityId, r.status);
        _revoke(identityId, r, signerKey);
        emit SignerRevoked(identityId, signerKey, r.counter, true);
    }

    /// @inheritdoc IIdentityRegistry
    function freeze(uint256 identityId, uint64 counter, address reporter) external onlyGateway {
        IdentityRecord storage r = _identities[identityId];
        _requireActive(identityId, r.status);
        // Evidence may be older than what was seen: the counter only ever rises.
        if (counter > r.counter) r.counter = counter;
        r.status = IdentityStatus.Frozen;
        emit IdentityFrozen(identityId, reporter, r.counter);
        _MANUFACTURERS.noteFreeze(r.manufacturerId);
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc IIdentityRegistry
    function resolveClone(uint256 identityId, CloneResolution resolution)
        external
        onlyRole(MoltRoles.GOVERNANCE_ROLE)
        nonReentrant
    {
        IdentityRecord storage r = _identities[identityId];
        IdentityStatus status = r.status;
        if (status != IdentityStatus.Frozen) {
            if (status == IdentityStatus.None) revert IdentityRegistry__UnknownIdentity(identityId);
            revert IdentityRegistry__NotFrozen(identityId, status);
        }
        if (resolution == CloneResolution.Unfreeze) {
            r.status = IdentityStatus.Active;
            emit IdentityUnfrozen(identityId);
            _MANUFACTURERS.noteUnfreeze(r.manufacturerId);
        } else {
            uint256 stake = r.stake;
            r.stake = 0;
            r.status = IdentityStatus.Retired;
            _totalStake -= uint64(stake);
            delete _identityOf[r.owner];
            emit IdentityRetired(identityId, stake);
            _MANUFACTURERS.noteCompromise(r.manufacturerId);
            if (stake != 0) _TOKEN.safeTransfer(_treasury, stake);
        }
    }

    /// @inheritdoc IIdentityRegistry
    function setGateway(address newGateway) external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        emit GatewayChanged(_gateway, newGateway);
        _gateway = newGateway;
    }

    /// @inheritdoc IIdentityRegistry
    function setTreasury(address newTreasury) external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        if (newTreasury == address(0)) revert IdentityRegistry__ZeroAddress();
        emit TreasuryChanged(_treasury, newTreasury);
        _treasury = newTreasury;
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IIdentityLookup
    function identityOf(address owner) external view returns (uint256) {
        return _identityOf[owner];
    }

    /// @inheritdoc IIdentityLookup
    function isActive(uint256 identityId) external view returns (bool) {
        return _identities[identityId].status == IdentityStatus.Active;
    }

    /// @inheritdoc IIdentityRegistry
    function identity(uint256 identityId) external view returns (Identity memory) {
        IdentityRecord storage r = _existing(identityId);
        return Identity({
            owner: r.owner,
            status: r.status,
            manufacturerId: r.manufacturerId,
            hardwareType: r.hardwareType,
            stake: r.stake,
            createdAt: r.createdAt,
            counter: r.counter,
            signerCount: r.signerCount,
            cardKeyX: r.cardKeyX,
            cardKeyY: IdentityMessages.decompress(r.cardKeyX, r.cardKeyPrefix),
            zkCommitment: r.zkCommitment
        });
    }

    /// @inheritdoc IIdentityRegistry
    function cardKey(uint256 identityId) external view returns (bytes32, bytes32) {
        IdentityRecord storage r = _existing(identityId);
        return (r.cardKeyX, IdentityMessages.decompress(r.cardKeyX, r.cardKeyPrefix));
    }

    /// @inheritdoc IIdentityRegistry
    function statusOf(uint256 identityId) external view returns (IdentityStatus) {
        return _identities[identityId].status;
    }

    /// @inheritdoc IIdentityRegistry
    function identityByDevice(bytes32 deviceIdHash) external view returns (uint256) {
        return _identityByDevice[deviceIdHash];
    }

    /// @inheritdoc IIdentityRegistry
    function signer(bytes32 signerKey) external view returns (uint256, SignerStatus) {
        SignerRecord storage s = _signers[signerKey];
        return (s.identityId, s.status);
    }

    /// @inheritdoc IIdentityRegistry
    function identityCount() external view returns (uint256) {
        return _identityCount;
    }

    /// @inheritdoc IIdentityRegistry
    function totalStake() external view returns (uint256) {
        return _totalStake;
    }

    /// @inheritdoc IIdentityRegistry
    function gateway() external view returns (address) {
        return _gateway;
    }

    /// @inheritdoc IIdentityRegistry
    function token() external view returns (address) {
        return address(_TOKEN);
    }

    /// @inheritdoc IIdentityRegistry
    function manufacturers() external view returns (address) {
        return address(_MANUFACTURERS);
    }

    /// @inheritdoc IIdentityRegistry
    function treasury() external view returns (address) {
        return _treasury;
    }

    // ------------------------------------------------------------------ internals

    function _existing(uint256 identityId) private view returns (IdentityRecord storage r) {
        r = _identities[identityId];
        if (r.status == IdentityStatus.None) revert IdentityRegistry__UnknownIdentity(identityId);
    }

    function _requireActive(uint256 identityId, IdentityStatus status) private pure {
        if (status != IdentityStatus.Active) {
            if (status == IdentityStatus.None) revert IdentityRegistry__UnknownIdentity(identityId);
            revert IdentityRegistry__NotActive(identityId, status);
        }
    }

    function _requireNotRetired(uint256 identityId, IdentityStatus status) private pure {
        if (status == IdentityStatus.None) revert IdentityRegistry__UnknownIdentity(identityId);
        if (status == IdentityStatus.Retired) revert IdentityRegistry__IdentityRetired(identityId);
    }

    /// @dev §5.4: a card-signed operation must carry a counter above every counter seen on chain.
    function _advanceCounter(uint256 identityId, IdentityRecord storage r, uint64 counter) private {
        uint64 last = r.counter;
        if (counter <= last) revert IdentityRegistry__StaleCounter(identityId, counter, last);
        r.counter = counter;
    }

    function _revoke(uint256 identityId, IdentityRecord storage r, bytes32 signerKey) private {
        SignerRecord storage s = _signers[signerKey];
        if (s.status != SignerStatus.Active || s.identityId != identityId) {
            revert IdentityRegistry__SignerNotActive(identityId, signerKey);
        }
        s.status = SignerStatus.Revoked;
        --r.signerCount;
    }
}
