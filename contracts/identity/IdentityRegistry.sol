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
/// @dev Storage is packed for the registration's gas (DESIGN.md §7 budget), which writes two new
///      slots: the record under the identity id (owner, counter, manufacturer, status, signer
///      count and hardware type) and the device under the device id hash (identity id, stake and
///      a 128-bit hash of the card key). The device slot makes a device register once and binds
///      the card key: card-signed calls resend the key and its device id hash, and are accepted
///      only when both match. What no later call reads on chain (the card key itself, firmware,
///      ZK commitment, creation time) is only in `IdentityRegistered`. The gateway address
///      shares a slot with the id counter and the stake total. Packed slots are written whole
///      (one SSTORE, not one read-modify-write per field).
contract IdentityRegistry is AccessControl, ReentrancyGuardTransient, IIdentityRegistry {
    using SafeERC20 for IERC20;

    /// @dev One identity's mutable state and the static fields later calls read, in one slot.
    ///      `info`: bits 0-4 the active signer count (at most 16), bit 5 unused (zero), bits 6-7
    ///      the hardware type.
    // solhint-disable-next-line gas-struct-packing
    struct IdentityRecord {
        address owner;
        uint64 counter;
        uint16 manufacturerId;
        IdentityStatus status;
        uint8 info;
    }

    /// @dev A registered device, in one slot: its identity (kept for good, so the device id hash
    ///      never registers again), the identity's escrowed stake (0 once retired) and the first
    ///      16 bytes of keccak256(abi.encode(cardKeyX, cardKeyY)) (`IdentityMessages.cardKeyHash`).
    struct DeviceRecord {
        uint64 identityId;
        uint64 stake;
        bytes16 cardKeyHash;
    }

    /// @dev A signer key: whose it is and whether it is still active.
    struct SignerRecord {
        uint32 identityId;
        SignerStatus status;
    }

    /// @dev `IdentityRecord.info` layout.
    uint256 private constant SIGNER_COUNT_MASK = 0x1f;
    uint256 private constant HARDWARE_TYPE_SHIFT = 6;
    uint256 private constant MAX_HARDWARE_TYPE = 3;

    /// @dev `IdentityRecord`'s fields in its slot (owner in bits 0-159), for whole-slot access.
    uint256 private constant COUNTER_SHIFT = 160;
    uint256 private constant MANUFACTURER_SHIFT = 224;
    uint256 private constant STATUS_SHIFT = 240;
    uint256 private constant INFO_SHIFT = 248;

    /// @dev `DeviceRecord`'s fields in its slot: identity id (bits 0-63), stake (64-127), card key
    ///      hash (128-255: the hash's first 16 bytes, where a bytes16 sits in a word).
    uint256 private constant DEVICE_ID_MASK = type(uint64).max;
    uint256 private constant DEVICE_STAKE_SHIFT = 64;
    uint256 private constant DEVICE_KEY_HASH_MASK = ~uint256(type(uint128).max);

    /// @dev The totals slot: `_gateway` (bits 0-159), `_identityCount` (160-191), `_totalStake` (192-255).
    uint256 private constant TOTALS_COUNT_SHIFT = 160;
    uint256 private constant TOTALS_STAKE_SHIFT = 192;

    /// @dev `SignerRecord.status` in its slot (identity id in bits 0-31).
    uint256 private constant SIGNER_STATUS_SHIFT = 32;

    IERC20 private immutable _TOKEN;
    IManufacturerRegistry private immutable _MANUFACTURERS;

    /// @dev One slot: read and written by every registration.
    address private _gateway;
    uint32 private _identityCount;
    uint64 private _totalStake;

    address private _treasury;

    mapping(uint256 identityId => IdentityRecord) private _identities;
    mapping(bytes32 deviceIdHash => DeviceRecord) private _devices;
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
        DeviceRecord storage d = _devices[n.deviceIdHash];
        uint256 existing = d.identityId;
        if (existing != 0) revert IdentityRegistry__DeviceAlreadyRegistered(n.deviceIdHash, existing);
        uint256 hardwareType = n.hardwareType;
        if (hardwareType == 0 || hardwareType > MAX_HARDWARE_TYPE) {
            revert IdentityRegistry__InvalidHardwareType(n.hardwareType);
        }

        uint64 stake = SafeCast.toUint64(n.stake); // <= $MOLT's cap, far below 2^64
        identityId = _countRegistration(stake);
        _writeRecord(
            _identities[identityId],
            n.owner,
            n.counter,
            SafeCast.toUint16(n.manufacturerId),
            hardwareType << HARDWARE_TYPE_SHIFT
        );
        // identityId <= _identityCount, a uint32; the key hash fills bits 128-255.
        _storeDevice(
            d,
            identityId | (uint256(stake) << DEVICE_STAKE_SHIFT)
                | uint256(bytes32(IdentityMessages.cardKeyHash(n.cardKeyX, n.cardKeyY)))
        );
        _emitRegistered(identityId, n);

        // Both callees are trusted (set at deployment); the share cap is applied there.
        _MANUFACTURERS.noteRegistration(n.manufacturerId);
        _TOKEN.safeTransferFrom(n.owner, address(this), n.stake);
    }

    /// @inheritdoc IIdentityRegistry
    function authorizeSigner(
        uint256 identityId,
        bytes32 deviceIdHash,
        bytes16 cardKeyHash,
        bytes32 signerKey,
        uint64 counter
    ) external onlyGateway {
        IdentityRecord storage r = _identities[identityId];
        uint256 raw = _load(r);
        _requireActive(identityId, _statusOf(raw));
        _requireCard(identityId, deviceIdHash, cardKeyHash);
        _checkCounter(identityId, raw, counter);
        SignerRecord storage s = _signers[signerKey];
        if (s.status != SignerStatus.None) revert IdentityRegistry__SignerKeyUsed(signerKey, s.identityId);
        if (((raw >> INFO_SHIFT) & SIGNER_COUNT_MASK) >= MoltConstants.IDENTITY_MAX_SIGNER_KEYS) {
            revert IdentityRegistry__TooManySigners(identityId, MoltConstants.IDENTITY_MAX_SIGNER_KEYS);
        }
        // count + 1 <= IDENTITY_MAX_SIGNER_KEYS = 16 < 32: stays in info's bits 0-4
        _store(r, _withCounter(raw, counter) + (1 << INFO_SHIFT));
        // identityId <= _identityCount, a uint32
        _storeSigner(s, uint256(uint32(identityId)) | (uint256(uint8(SignerStatus.Active)) << SIGNER_STATUS_SHIFT));
        emit SignerAuthorized(identityId, signerKey, counter);
    }

    /// @inheritdoc IIdentityRegistry
    function revokeSigner(
        uint256 identityId,
        bytes32 deviceIdHash,
        bytes16 cardKeyHash,
        bytes32 signerKey,
        uint64 counter
    ) external onlyGateway {
        IdentityRecord storage r = _identities[identityId];
        uint256 raw = _load(r);
        _requireNotRetired(identityId, _statusOf(raw));
        _requireCard(identityId, deviceIdHash, cardKeyHash);
        _checkCounter(identityId, raw, counter);
        SignerRecord storage s = _signers[signerKey];
        if (s.status != SignerStatus.Active || s.identityId != identityId) {
            revert IdentityRegistry__SignerNotActive(identityId, signerKey);
        }
        _storeSigner(s, identityId | (uint256(uint8(SignerStatus.Revoked)) << SIGNER_STATUS_SHIFT));
        // The signer count (info's bits 0-4) is at least 1: the key was active: no borrow.
        _store(r, _withCounter(raw, counter) - (1 << INFO_SHIFT));
        emit SignerRevoked(identityId, signerKey, counter, false);
    }

    /// @inheritdoc IIdentityRegistry
    function revokeSignerByOwner(address owner, bytes32 signerKey) external onlyGateway {
        SignerRecord storage s = _signers[signerKey];
        uint256 identityId = s.identityId;
        if (s.status != SignerStatus.Active) revert IdentityRegistry__SignerNotActive(identityId, signerKey);
        // An active key belongs to a registered identity.
        IdentityRecord storage r = _identities[identityId];
        uint256 raw = _load(r);
        if (address(uint160(raw)) != owner) revert IdentityRegistry__NotIdentityOwner(identityId, owner);
        if (_statusOf(raw) == IdentityStatus.Retired) revert IdentityRegistry__IdentityRetired(identityId);
        _storeSigner(s, identityId | (uint256(uint8(SignerStatus.Revoked)) << SIGNER_STATUS_SHIFT));
        // The signer count (info's bits 0-4) is at least 1: this key was active: no borrow.
        _store(r, raw - (1 << INFO_SHIFT));
        emit SignerRevoked(identityId, signerKey, uint64(raw >> COUNTER_SHIFT), true);
    }

    /// @inheritdoc IIdentityRegistry
    function freeze(uint256 identityId, bytes32 deviceIdHash, bytes16 cardKeyHash, uint64 counter, address reporter)
        external
        onlyGateway
    {
        IdentityRecord storage r = _identities[identityId];
        uint256 raw = _load(r);
        _requireActive(identityId, _statusOf(raw));
        _requireCard(identityId, deviceIdHash, cardKeyHash);
        // Evidence may be older than what was seen: the counter only ever rises.
        uint64 last = uint64(raw >> COUNTER_SHIFT);
        if (counter > last) {
            raw = _withCounter(raw, counter);
            last = counter;
        }
        _store(r, _withStatus(raw, IdentityStatus.Frozen));
        emit IdentityFrozen(identityId, reporter, last);
        _MANUFACTURERS.noteFreeze(uint16(raw >> MANUFACTURER_SHIFT));
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc IIdentityRegistry
    function resolveClone(uint256 identityId, bytes32 deviceIdHash, CloneResolution resolution)
        external
        onlyRole(MoltRoles.GOVERNANCE_ROLE)
        nonReentrant
    {
        IdentityRecord storage r = _identities[identityId];
        uint256 raw = _load(r);
        IdentityStatus status = _statusOf(raw);
        if (status != IdentityStatus.Frozen) {
            if (status == IdentityStatus.None) revert IdentityRegistry__UnknownIdentity(identityId);
            revert IdentityRegistry__NotFrozen(identityId, status);
        }
        DeviceRecord storage d = _devices[deviceIdHash];
        uint256 device_ = _loadDevice(d);
        if ((device_ & DEVICE_ID_MASK) != identityId) revert IdentityRegistry__CardMismatch(identityId, deviceIdHash);
        uint16 manufacturerId = uint16(raw >> MANUFACTURER_SHIFT);
        if (resolution == CloneResolution.Unfreeze) {
            _store(r, _withStatus(raw, IdentityStatus.Active));
            emit IdentityUnfrozen(identityId);
            _MANUFACTURERS.noteUnfreeze(manufacturerId);
        } else {
            uint64 stake = uint64(device_ >> DEVICE_STAKE_SHIFT);
            _store(r, _withStatus(raw, IdentityStatus.Retired));
            // The device keeps its identity (and so stays taken) and its key hash; the stake is gone.
            _storeDevice(d, device_ & ~(uint256(type(uint64).max) << DEVICE_STAKE_SHIFT));
            _totalStake -= stake;
            emit IdentityRetired(identityId, stake);
            _MANUFACTURERS.noteCompromise(manufacturerId);
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
    function ownerOf(uint256 identityId) external view returns (address) {
        return _identities[identityId].owner;
    }

    /// @inheritdoc IIdentityLookup
    function isActive(uint256 identityId) external view returns (bool) {
        return _identities[identityId].status == IdentityStatus.Active;
    }

    /// @inheritdoc IIdentityRegistry
    function identity(uint256 identityId) external view returns (Identity memory) {
        IdentityRecord storage r = _existing(identityId);
        uint256 info = r.info;
        return Identity({
            owner: r.owner,
            status: r.status,
            manufacturerId: r.manufacturerId,
            hardwareType: uint8(info >> HARDWARE_TYPE_SHIFT),
            counter: r.counter,
            signerCount: info & SIGNER_COUNT_MASK
        });
    }

    /// @inheritdoc IIdentityRegistry
    function device(bytes32 deviceIdHash)
        external
        view
        returns (uint256 identityId, uint256 stake, bytes16 cardKeyHash)
    {
        DeviceRecord storage d = _devices[deviceIdHash];
        return (d.identityId, d.stake, d.cardKeyHash);
    }

    /// @inheritdoc IIdentityRegistry
    function statusOf(uint256 identityId) external view returns (IdentityStatus) {
        return _identities[identityId].status;
    }

    /// @inheritdoc IIdentityRegistry
    function identityByDevice(bytes32 deviceIdHash) external view returns (uint256) {
        return _devices[deviceIdHash].identityId;
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

    /// @dev The record of what is not stored (device, firmware, ZK commitment, creation time).
    function _emitRegistered(uint256 identityId, NewIdentity calldata n) private {
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
    }

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

    /// @dev A card-signed call names the identity's device and (by hash) the key the gateway
    ///      verified the signature under: both must be the ones registered for `identityId`.
    function _requireCard(uint256 identityId, bytes32 deviceIdHash, bytes16 cardKeyHash) private view {
        uint256 raw = _loadDevice(_devices[deviceIdHash]);
        if ((raw & DEVICE_ID_MASK) != identityId || (raw & DEVICE_KEY_HASH_MASK) != uint256(bytes32(cardKeyHash))) {
            revert IdentityRegistry__CardMismatch(identityId, deviceIdHash);
        }
    }

    /// @dev Adds one identity and `stake` to the totals slot (gateway ‖ identity count ‖ total
    ///      stake) with one SSTORE; returns the new identity's id.
    function _countRegistration(uint64 stake) private returns (uint256 identityId) {
        uint256 totals;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            totals := sload(_gateway.slot)
        }
        identityId = uint256(uint32(totals >> TOTALS_COUNT_SHIFT)) + 1;
        uint256 stakeTotal = (totals >> TOTALS_STAKE_SHIFT) + stake;
        totals = uint256(uint160(totals)) | (uint256(SafeCast.toUint32(identityId)) << TOTALS_COUNT_SHIFT)
            | (uint256(SafeCast.toUint64(stakeTotal)) << TOTALS_STAKE_SHIFT);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(_gateway.slot, totals)
        }
    }

    /// @dev §5.4: a card-signed operation must carry a counter above every counter seen on chain
    ///      (`raw` is the record's slot); the caller then stores it with `_withCounter`.
    function _checkCounter(uint256 identityId, uint256 raw, uint64 counter) private pure {
        uint64 last = uint64(raw >> COUNTER_SHIFT);
        if (counter <= last) revert IdentityRegistry__StaleCounter(identityId, counter, last);
    }

    /// @dev `raw` (a record's slot) with its counter replaced by `counter`.
    function _withCounter(uint256 raw, uint64 counter) private pure returns (uint256) {
        return (raw & ~(uint256(type(uint64).max) << COUNTER_SHIFT)) | (uint256(counter) << COUNTER_SHIFT);
    }

    function _statusOf(uint256 raw) private pure returns (IdentityStatus) {
        return IdentityStatus(uint8(raw >> STATUS_SHIFT));
    }

    /// @dev `raw` (a record's slot) with its status replaced by `status`.
    function _withStatus(uint256 raw, IdentityStatus status) private pure returns (uint256) {
        return (raw & ~(uint256(0xff) << STATUS_SHIFT)) | (uint256(uint8(status)) << STATUS_SHIFT);
    }

    /// @dev A record's whole slot, read once (the layout is the struct's: see `_writeRecord`).
    function _load(IdentityRecord storage r) private view returns (uint256 raw) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            raw := sload(r.slot)
        }
    }

    /// @dev Writes a record's whole slot at once (one SSTORE instead of one per field).
    function _store(IdentityRecord storage r, uint256 raw) private {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(r.slot, raw)
        }
    }

    /// @dev Writes a signer record's slot at once: identity id (bits 0-31), status (32-39).
    function _storeSigner(SignerRecord storage s, uint256 raw) private {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(s.slot, raw)
        }
    }

    /// @dev Writes a new `IdentityRecord` (status Active) with one SSTORE; the field order is the
    ///      struct's: owner (bits 0-159), counter (160-223), manufacturer (224-239), status
    ///      (240-247), info (248-255).
    function _writeRecord(IdentityRecord storage r, address owner, uint64 counter, uint16 manufacturerId, uint256 info)
        private
    {
        uint256 packed = uint256(uint160(owner)) | (uint256(counter) << COUNTER_SHIFT)
            | (uint256(manufacturerId) << MANUFACTURER_SHIFT) | (uint256(uint8(IdentityStatus.Active)) << STATUS_SHIFT)
            | (info << INFO_SHIFT);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(r.slot, packed)
        }
    }

    /// @dev A device record's whole slot (see `DeviceRecord` for the layout).
    function _loadDevice(DeviceRecord storage d) private view returns (uint256 raw) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            raw := sload(d.slot)
        }
    }

    /// @dev Writes a device record's whole slot at once: identity id (bits 0-63), stake (64-127),
    ///      card key hash (128-255).
    function _storeDevice(DeviceRecord storage d, uint256 raw) private {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(d.slot, raw)
        }
    }
}
