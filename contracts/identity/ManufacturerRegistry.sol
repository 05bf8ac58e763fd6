// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// solhint-disable gas-strict-inequalities

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IManufacturerRegistry} from "../interfaces/IManufacturerRegistry.sol";
import {MoltConstants} from "../libraries/MoltConstants.sol";
import {MoltRoles} from "../libraries/MoltRoles.sol";

/// @title ManufacturerRegistry
/// @notice Approved hardware manufacturers, their bonds, firmware and device counts (§5.7,
///         §17.2). See {IManufacturerRegistry}.
/// @dev The per-manufacturer counters and the totals each sit in one storage slot, so a
///      registration reads and writes two slots here.
contract ManufacturerRegistry is AccessControl, ReentrancyGuardTransient, IManufacturerRegistry {
    using SafeERC20 for IERC20;

    /// @dev One manufacturer. Slot 0 is what every registration reads and writes.
    struct ManufacturerRecord {
        uint96 bond;
        uint32 activeDevices;
        uint32 openDisputes;
        uint32 compromisedDevices;
        uint40 bondReleaseAt;
        ManufacturerStatus status;
        bytes32 attestationKeyX;
        bytes32 attestationKeyY;
        address bondPayer;
        uint64 operatingSince;
        bytes32 beneficialOwnershipHash;
    }

    IERC20 private immutable _TOKEN;

    /// @dev The totals share one slot with the registry address that every hook checks.
    address private _identityRegistry;
    uint32 private _totalActiveDevices;
    uint16 private _manufacturerCount;
    uint16 private _approvedManufacturers;
    uint16 private _manufacturersWithDevices;
    bool private _shareCapActive;

    address private _treasury;

    mapping(uint256 manufacturerId => ManufacturerRecord) private _manufacturers;

    /// @dev The hardware type each firmware is approved for, per manufacturer; 0 = not approved.
    mapping(uint256 manufacturerId => mapping(bytes32 firmwareHash => uint8 hardwareType)) private _firmware;

    /// @dev keccak256(x, y) of every attestation key ever approved → its manufacturer.
    mapping(bytes32 keyHash => uint256 manufacturerId) private _keyOwner;

    /// @notice Deploys an empty registry; governance then sets the identity registry.
    /// @param token_ The $MOLT token bonds are paid in.
    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants GOVERNANCE_ROLE).
    /// @param treasury_ Receives slashed bonds.
    constructor(IERC20 token_, address admin, address treasury_) {
        if (address(token_) == address(0) || admin == address(0) || treasury_ == address(0)) {
            revert ManufacturerRegistry__ZeroAddress();
        }
        _TOKEN = token_;
        _treasury = treasury_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        emit TreasuryChanged(address(0), treasury_);
    }

    modifier onlyIdentityRegistry() {
        if (msg.sender != _identityRegistry) {
            revert ManufacturerRegistry__NotIdentityRegistry(msg.sender);
        }
        _;
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc IManufacturerRegistry
    function approveManufacturer(ManufacturerParams calldata params)
        external
        onlyRole(MoltRoles.GOVERNANCE_ROLE)
        nonReentrant
        returns (uint256)
    {
        return _approve(params);
    }

    /// @inheritdoc IManufacturerRegistry
    function approveManufacturerWithPermit(
        ManufacturerParams calldata params,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external onlyRole(MoltRoles.GOVERNANCE_ROLE) nonReentrant returns (uint256) {
        // A failed permit (e.g. already used by a front-runner) is ignored: the pull below fails
        // with the token's allowance error if the allowance is not there.
        // solhint-disable no-empty-blocks
        try IERC20Permit(address(_TOKEN))
            .permit(params.bondPayer, address(this), MoltConstants.MANUFACTURER_BOND, permitDeadline, v, r, s) {}
            catch {}
        // solhint-enable no-empty-blocks
        return _approve(params);
    }

    /// @inheritdoc IManufacturerRegistry
    function suspendManufacturer(uint256 manufacturerId) external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        ManufacturerRecord storage m = _existing(manufacturerId);
        if (m.status != ManufacturerStatus.Approved) {
            revert ManufacturerRegistry__InvalidStatus(manufacturerId, m.status);
        }
        m.status = ManufacturerStatus.Suspended;
        emit ManufacturerSuspended(manufacturerId);
    }

    /// @inheritdoc IManufacturerRegistry
    function reinstateManufacturer(uint256 manufacturerId) external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        ManufacturerRecord storage m = _existing(manufacturerId);
        if (m.status != ManufacturerStatus.Suspended) {
            revert ManufacturerRegistry__InvalidStatus(manufacturerId, m.status);
        }
        m.status = ManufacturerStatus.Approved;
        emit ManufacturerReinstated(manufacturerId);
    }

    /// @inheritdoc IManufacturerRegistry
    function removeManufacturer(uint256 manufacturerId) external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        ManufacturerRecord storage m = _existing(manufacturerId);
        if (m.status == ManufacturerStatus.Removed) {
            revert ManufacturerRegistry__InvalidStatus(manufacturerId, m.status);
        }
        uint256 releaseAt = block.timestamp + MoltConstants.MANUFACTURER_BOND_RELEASE_DELAY;
        m.status = ManufacturerStatus.Removed;
        m.bondReleaseAt = SafeCast.toUint40(releaseAt);
        --_approvedManufacturers;
        emit ManufacturerRemoved(manufacturerId, releaseAt);
    }

    /// @inheritdoc IManufacturerRegistry
    function rotateAttestationKey(uint256 manufacturerId, bytes32 attestationKeyX, bytes32 attestationKeyY)
        external
        onlyRole(MoltRoles.GOVERNANCE_ROLE)
    {
        ManufacturerRecord storage m = _existing(manufacturerId);
        if (m.status == ManufacturerStatus.Removed) {
            revert ManufacturerRegistry__InvalidStatus(manufacturerId, m.status);
        }
        _claimKey(manufacturerId, attestationKeyX, attestationKeyY);
        m.attestationKeyX = attestationKeyX;
        m.attestationKeyY = attestationKeyY;
        emit AttestationKeyRotated(manufacturerId, attestationKeyX, attestationKeyY);
    }

    /// @inheritdoc IManufacturerRegistry
    function approveFirmware(uint256 manufacturerId, bytes32 firmwareHash, uint8 hardwareType)
        external
        onlyRole(MoltRoles.GOVERNANCE_ROLE)
    {
        ManufacturerRecord storage m = _existing(manufacturerId);
        if (m.status == ManufacturerStatus.Removed) {
            revert ManufacturerRegistry__InvalidStatus(manufacturerId, m.status);
        }
        if (firmwareHash == bytes32(0)) revert ManufacturerRegistry__ZeroFirmwareHash();
        if (
            hardwareType != MoltConstants.HARDWARE_TYPE_SECURE_ELEMENT
                && hardwareType != MoltConstants.HARDWARE_TYPE_PUF_CARD
        ) {
            revert ManufacturerRegistry__InvalidHardwareType(hardwareType);
        }
        if (_firmware[manufacturerId][firmwareHash] != 0) {
            revert ManufacturerRegistry__FirmwareAlreadyApproved(manufacturerId, firmwareHash);
        }
        _firmware[manufacturerId][firmwareHash] = hardwareType;
        emit FirmwareApproved(manufacturerId, firmwareHash, hardwareType);
    }

    /// @inheritdoc IManufacturerRegistry
    function revokeFirmware(uint256 manufacturerId, bytes32 firmwareHash) external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        _existing(manufacturerId);
        if (_firmware[manufacturerId][firmwareHash] == 0) {
            revert ManufacturerRegistry__FirmwareNotApproved(manufacturerId, firmwareHash, 0);
        }
        delete _firmware[manufacturerId][firmwareHash];
        emit FirmwareRevoked(manufacturerId, firmwareHash);
    }

    /// @inheritdoc IManufacturerRegistry
    function slashBond(uint256 manufacturerId, uint256 amount)
        external
        onlyRole(MoltRoles.GOVERNANCE_ROLE)
        nonReentrant
    {
        ManufacturerRecord storage m = _existing(manufacturerId);
        if (amount == 0) revert ManufacturerRegistry__ZeroAmount();
        if (m.compromisedDevices == 0) revert ManufacturerRegistry__NoCompromisedDevice(manufacturerId);
        uint256 bond = m.bond;
        if (amount > bond) revert ManufacturerRegistry__SlashExceedsBond(manufacturerId, amount, bond);
        unchecked {
            bond -= amount; // amount <= bond
        }
        m.bond = uint96(bond); // smaller than before
        emit BondSlashed(manufacturerId, amount, bond);
        _TOKEN.safeTransfer(_treasury, amount);
    }

    /// @inheritdoc IManufacturerRegistry
    function setTreasury(address newTreasury) external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        if (newTreasury == address(0)) revert ManufacturerRegistry__ZeroAddress();
        emit TreasuryChanged(_treasury, newTreasury);
        _treasury = newTreasury;
    }

    /// @inheritdoc IManufacturerRegistry
    function setIdentityRegistry(address identityRegistry_) external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        if (identityRegistry_ == address(0)) revert ManufacturerRegistry__ZeroAddress();
        if (_identityRegistry != address(0)) {
            revert ManufacturerRegistry__IdentityRegistryAlreadySet(_identityRegistry);
        }
        _identityRegistry = identityRegistry_;
        emit IdentityRegistrySet(identityRegistry_);
    }

    /// @inheritdoc IManufacturerRegistry
    function activateDeviceShareCap() external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        if (_shareCapActive) revert ManufacturerRegistry__ShareCapAlreadyActive();
        _shareCapActive = true;
        emit DeviceShareCapActivated(true, _totalActiveDevices);
    }

    // ------------------------------------------------------------------ anyone

    /// @inheritdoc IManufacturerRegistry
    function topUpBond(uint256 manufacturerId, uint256 amount) external nonReentrant {
        ManufacturerRecord storage m = _existing(manufacturerId);
        if (m.status == ManufacturerStatus.Removed) {
            revert ManufacturerRegistry__InvalidStatus(manufacturerId, m.status);
        }
        if (amount == 0) revert ManufacturerRegistry__ZeroAmount();
        uint256 bond = uint256(m.bond) + SafeCast.toUint96(amount);
        m.bond = SafeCast.toUint96(bond);
        emit BondToppedUp(manufacturerId, msg.sender, amount, bond);
        _TOKEN.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IManufacturerRegistry
    function releaseBond(uint256 manufacturerId) external nonReentrant {
        ManufacturerRecord storage m = _existing(manufacturerId);
        if (m.status != ManufacturerStatus.Removed) {
            revert ManufacturerRegistry__InvalidStatus(manufacturerId, m.status);
        }
        if (block.timestamp < m.bondReleaseAt) {
            revert ManufacturerRegistry__BondLocked(manufacturerId, m.bondReleaseAt);
        }
        if (m.openDisputes != 0) revert ManufacturerRegistry__OpenDisputes(manufacturerId, m.openDisputes);
        uint256 amount = m.bond;
        if (amount == 0) revert ManufacturerRegistry__NoBond(manufacturerId);
        address payer = m.bondPayer;
        m.bond = 0;
        emit BondReleased(manufacturerId, payer, amount);
        _TOKEN.safeTransfer(payer, amount);
    }

    // ------------------------------------------------------------------ identity registry

    /// @inheritdoc IManufacturerRegistry
    function noteRegistration(uint256 manufacturerId) external onlyIdentityRegistry {
        ManufacturerRecord storage m = _manufacturers[manufacturerId];
        _requireCanCertify(manufacturerId, m);
        uint256 devices = uint256(m.activeDevices) + 1;
        uint256 total = uint256(_totalActiveDevices) + 1;
        bool capActive = _shareCapActive;
        if (!capActive && total >= MoltConstants.MANUFACTURER_SHARE_CAP_MIN_DEVICES) {
            capActive = true;
            _shareCapActive = true;
            emit DeviceShareCapActivated(false, total);
        }
        // §5.5 step 5e: strictly below 40 % after this registration.
        if (capActive && devices * 100 >= total * MoltConstants.MANUFACTURER_MAX_DEVICE_SHARE_PERCENT) {
            revert ManufacturerRegistry__DeviceShareCapExceeded(manufacturerId, devices, total);
        }
        if (devices == 1) ++_manufacturersWithDevices;
        m.activeDevices = SafeCast.toUint32(devices);
        // No event: the registry's IdentityRegistered (manufacturer indexed) already says it.
        _totalActiveDevices = SafeCast.toUint32(total);
    }

    /// @inheritdoc IManufacturerRegistry
    function noteFreeze(uint256 manufacturerId) external onlyIdentityRegistry {
        ManufacturerRecord storage m = _manufacturers[manufacturerId];
        uint256 devices = m.activeDevices - 1;
        uint256 disputes = uint256(m.openDisputes) + 1;
        if (devices == 0) --_manufacturersWithDevices;
        m.activeDevices = uint32(devices);
        m.openDisputes = SafeCast.toUint32(disputes);
        --_totalActiveDevices;
        emit ManufacturerFlagged(manufacturerId, devices, disputes);
    }

    /// @inheritdoc IManufacturerRegistry
    function noteUnfreeze(uint256 manufacturerId) external onlyIdentityRegistry {
        ManufacturerRecord storage m = _manufacturers[manufacturerId];
        uint256 devices = uint256(m.activeDevices) + 1;
        uint256 disputes = m.openDisputes - 1;
        if (devices == 1) ++_manufacturersWithDevices;
        m.activeDevices = SafeCast.toUint32(devices);
        m.openDisputes = uint32(disputes);
        ++_totalActiveDevices;
        emit DeviceUnfrozen(manufacturerId, devices, disputes);
    }

    /// @inheritdoc IManufacturerRegistry
    function noteCompromise(uint256 manufacturerId) external onlyIdentityRegistry {
        ManufacturerRecord storage m = _manufacturers[manufacturerId];
        uint256 disputes = m.openDisputes - 1;
        uint256 compromised = uint256(m.compromisedDevices) + 1;
        m.openDisputes = uint32(disputes);
        m.compromisedDevices = SafeCast.toUint32(compromised);
        emit DeviceCompromised(manufacturerId, compromised, disputes);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IManufacturerRegistry
    function certificationKey(uint256 manufacturerId, bytes32 firmwareHash, uint8 hardwareType)
        external
        view
        returns (bytes32, bytes32)
    {
        ManufacturerRecord storage m = _manufacturers[manufacturerId];
        _requireCanCertify(manufacturerId, m);
        if (hardwareType == 0 || _firmware[manufacturerId][firmwareHash] != hardwareType) {
            revert ManufacturerRegistry__FirmwareNotApproved(manufacturerId, firmwareHash, hardwareType);
        }
        return (m.attestationKeyX, m.attestationKeyY);
    }

    /// @inheritdoc IManufacturerRegistry
    function manufacturer(uint256 manufacturerId) external view returns (Manufacturer memory) {
        ManufacturerRecord storage m = _existing(manufacturerId);
        return Manufacturer({
            status: m.status,
            attestationKeyX: m.attestationKeyX,
            attestationKeyY: m.attestationKeyY,
            operatingSince: m.operatingSince,
            beneficialOwnershipHash: m.beneficialOwnershipHash,
            bondPayer: m.bondPayer,
            bond: m.bond,
            bondReleaseAt: m.bondReleaseAt,
            activeDevices: m.activeDevices,
            openDisputes: m.openDisputes,
            compromisedDevices: m.compromisedDevices
        });
    }

    /// @inheritdoc IManufacturerRegistry
    function firmwareHardwareType(uint256 manufacturerId, bytes32 firmwareHash) external view returns (uint8) {
        return _firmware[manufacturerId][firmwareHash];
    }

    /// @inheritdoc IManufacturerRegistry
    function activeDevices(uint256 manufacturerId) external view returns (uint256) {
        return _manufacturers[manufacturerId].activeDevices;
    }

    /// @inheritdoc IManufacturerRegistry
    function totalActiveDevices() external view returns (uint256) {
        return _totalActiveDevices;
    }

    /// @inheritdoc IManufacturerRegistry
    function manufacturerCount() external view returns (uint256) {
        return _manufacturerCount;
    }

    /// @inheritdoc IManufacturerRegistry
    function approvedManufacturerCount() external view returns (uint256) {
        return _approvedManufacturers;
    }

    /// @inheritdoc IManufacturerRegistry
    function manufacturersWithActiveDevices() external view returns (uint256) {
        return _manufacturersWithDevices;
    }

    /// @inheritdoc IManufacturerRegistry
    function phaseCounters() external view returns (uint256, uint256, uint256) {
        return (_totalActiveDevices, _approvedManufacturers, _manufacturersWithDevices);
    }

    /// @inheritdoc IManufacturerRegistry
    function deviceShareCapActive() external view returns (bool) {
        return _shareCapActive;
    }

    /// @inheritdoc IManufacturerRegistry
    function token() external view returns (address) {
        return address(_TOKEN);
    }

    /// @inheritdoc IManufacturerRegistry
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IManufacturerRegistry
    function identityRegistry() external view returns (address) {
        return _identityRegistry;
    }

    // ------------------------------------------------------------------ internals

    function _approve(ManufacturerParams calldata params) private returns (uint256 manufacturerId) {
        if (params.bondPayer == address(0)) revert ManufacturerRegistry__ZeroAddress();
        if (params.beneficialOwnershipHash == bytes32(0)) revert ManufacturerRegistry__MissingDisclosure();
        // §5.7: "> 3 years of operating history": operations began strictly before `requiredBefore`.
        uint256 requiredBefore = block.timestamp > MoltConstants.MANUFACTURER_MIN_OPERATING_HISTORY
            ? block.timestamp - MoltConstants.MANUFACTURER_MIN_OPERATING_HISTORY
            : 0;
        if (params.operatingSince >= requiredBefore) {
            revert ManufacturerRegistry__InsufficientOperatingHistory(params.operatingSince, requiredBefore);
        }
        uint256 count = _manufacturerCount;
        if (count == type(uint16).max) revert ManufacturerRegistry__TooManyManufacturers();
        manufacturerId = count + 1;
        _claimKey(manufacturerId, params.attestationKeyX, params.attestationKeyY);

        _manufacturerCount = uint16(manufacturerId);
        ++_approvedManufacturers;
        ManufacturerRecord storage m = _manufacturers[manufacturerId];
        m.status = ManufacturerStatus.Approved;
        m.bond = uint96(MoltConstants.MANUFACTURER_BOND);
        m.attestationKeyX = params.attestationKeyX;
        m.attestationKeyY = params.attestationKeyY;
        m.bondPayer = params.bondPayer;
        m.operatingSince = params.operatingSince;
        m.beneficialOwnershipHash = params.beneficialOwnershipHash;
        emit ManufacturerApproved(
            manufacturerId,
            params.bondPayer,
            params.name,
            params.attestationKeyX,
            params.attestationKeyY,
            params.operatingSince,
            params.beneficialOwnershipHash,
            MoltConstants.MANUFACTURER_BOND
        );
        _TOKEN.safeTransferFrom(params.bondPayer, address(this), MoltConstants.MANUFACTURER_BOND);
    }

    /// @dev Validates an attestation key and reserves it for `manufacturerId` forever.
    function _claimKey(uint256 manufacturerId, bytes32 x, bytes32 y) private {
        if (!P256.isValidPublicKey(x, y)) revert ManufacturerRegistry__InvalidAttestationKey(x, y);
        bytes32 keyHash = keccak256(abi.encode(x, y));
        uint256 owner = _keyOwner[keyHash];
        if (owner != 0) revert ManufacturerRegistry__AttestationKeyUsed(owner);
        _keyOwner[keyHash] = manufacturerId;
    }

    function _existing(uint256 manufacturerId) private view returns (ManufacturerRecord storage m) {
        m = _manufacturers[manufacturerId];
        if (m.status == ManufacturerStatus.None) revert ManufacturerRegistry__UnknownManufacturer(manufacturerId);
    }

    function _requireCanCertify(uint256 manufacturerId, ManufacturerRecord storage m) private view {
        ManufacturerStatus status = m.status;
        if (status != ManufacturerStatus.Approved) {
            if (status == ManufacturerStatus.None) revert ManufacturerRegistry__UnknownManufacturer(manufacturerId);
            revert ManufacturerRegistry__InvalidStatus(manufacturerId, status);
        }
        if (m.bond < MoltConstants.MANUFACTURER_BOND) {
            revert ManufacturerRegistry__BondTooLow(manufacturerId, m.bond, MoltConstants.MANUFACTURER_BOND);
        }
    }
}
