// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// solhint-disable gas-indexed-events, gas-struct-packing

/// @title IManufacturerRegistry
/// @notice The hardware manufacturers whose identity cards the protocol accepts (§5.7): approved
///         and removed by governance, each with a P-256 attestation key that signs device
///         certificates (§5.5 step 3), its eligibility data, a 1,000,000 $MOLT bond, the firmware
///         approved for its devices, and the active-device counts behind the 40 % diversity rule
///         and the bootstrap phase triggers (§17.2).
/// @dev Roles: `GOVERNANCE_ROLE` (MoltRoles) approves, suspends, reinstates and removes
///      manufacturers, rotates their keys, approves and revokes firmware, slashes bonds, sets the
///      treasury and the identity registry, and may switch the share cap on early; the admin
///      (`DEFAULT_ADMIN_ROLE`) grants and revokes roles. The identity registry alone reports device
///      registrations, freezes, unfreezes and compromises (`note*`).
///
///      Device share cap (§5.5 step 5e, §5.7): a registration must leave its manufacturer strictly
///      below 40 % of all active devices — once the cap binds. Bootstrap rule: the cap binds from
///      the first registration that brings the active-device total to 10,000 (the §17.2 Phase 2
///      trigger, the first point at which the paper has three manufacturers: with one or two, some
///      manufacturer always holds 50 % or more), or earlier once governance switches it on; either
///      way it then binds for good. Unfreezing a device is not a registration and is never capped.
///
///      Bond (§5.7): pulled from a payer on approval; certifying needs the full bond; slashed by
///      governance only when the manufacturer has a device proven compromised (a clone dispute
///      resolved by slashing); returned to the payer after orderly removal, once the release delay
///      (§17.2's six-month validation period) has passed and no dispute is open.
interface IManufacturerRegistry {
    /// @notice The lifecycle of a manufacturer. Ids are never reused.
    enum ManufacturerStatus {
        None,
        Approved,
        Suspended,
        Removed
    }

    /// @notice What governance supplies to approve a manufacturer.
    /// @param name The company's name, for people; only emitted.
    /// @param attestationKeyX The x coordinate of its P-256 attestation key.
    /// @param attestationKeyY The y coordinate of its P-256 attestation key.
    /// @param operatingSince When its operation in semiconductor or secure-element production
    ///        began (unix seconds); must be more than three years ago (§5.7).
    /// @param beneficialOwnershipHash The hash of its public beneficial-ownership disclosure (§5.7).
    /// @param bondPayer Who pays the bond (the manufacturer, or the treasury for a grant) and gets
    ///        it back on removal; must have allowed this contract to pull `MANUFACTURER_BOND`.
    struct ManufacturerParams {
        string name;
        bytes32 attestationKeyX;
        bytes32 attestationKeyY;
        uint64 operatingSince;
        bytes32 beneficialOwnershipHash;
        address bondPayer;
    }

    /// @notice A manufacturer as stored.
    struct Manufacturer {
        ManufacturerStatus status;
        bytes32 attestationKeyX;
        bytes32 attestationKeyY;
        uint64 operatingSince;
        bytes32 beneficialOwnershipHash;
        address bondPayer;
        uint256 bond;
        uint256 bondReleaseAt;
        uint256 activeDevices;
        uint256 openDisputes;
        uint256 compromisedDevices;
    }

    // ------------------------------------------------------------------ errors

    /// @notice An address argument (admin, token, treasury, bond payer, registry) was zero.
    error ManufacturerRegistry__ZeroAddress();

    /// @notice The attestation key is not a point of P-256.
    error ManufacturerRegistry__InvalidAttestationKey(bytes32 x, bytes32 y);

    /// @notice The attestation key is, or was, another manufacturer's (or this one's) key.
    error ManufacturerRegistry__AttestationKeyUsed(uint256 manufacturerId);

    /// @notice The declared operating history is not more than three years (§5.7).
    /// @param operatingSince The declared start.
    /// @param requiredBefore Starts strictly before this qualify: now - 3 × 365 days.
    error ManufacturerRegistry__InsufficientOperatingHistory(uint256 operatingSince, uint256 requiredBefore);

    /// @notice The beneficial-ownership disclosure hash was zero (§5.7: disclosure is mandatory).
    error ManufacturerRegistry__MissingDisclosure();

    /// @notice No manufacturer has this id.
    error ManufacturerRegistry__UnknownManufacturer(uint256 manufacturerId);

    /// @notice The manufacturer's status does not allow the call.
    error ManufacturerRegistry__InvalidStatus(uint256 manufacturerId, ManufacturerStatus status);

    /// @notice The manufacturer's bond is below `MANUFACTURER_BOND`, so it certifies nothing new.
    error ManufacturerRegistry__BondTooLow(uint256 manufacturerId, uint256 bond, uint256 required);

    /// @notice The hardware type is neither secure element (1) nor PUF card (2).
    error ManufacturerRegistry__InvalidHardwareType(uint8 hardwareType);

    /// @notice The firmware hash was zero.
    error ManufacturerRegistry__ZeroFirmwareHash();

    /// @notice The firmware is already approved for this manufacturer.
    error ManufacturerRegistry__FirmwareAlreadyApproved(uint256 manufacturerId, bytes32 firmwareHash);

    /// @notice The firmware is not approved for this manufacturer's devices of this hardware type.
    error ManufacturerRegistry__FirmwareNotApproved(uint256 manufacturerId, bytes32 firmwareHash, uint8 hardwareType);

    /// @notice The registration would leave the manufacturer at 40 % or more of active devices.
    /// @param devicesAfter The manufacturer's active devices after it.
    /// @param totalAfter All active devices after it.
    error ManufacturerRegistry__DeviceShareCapExceeded(
        uint256 manufacturerId, uint256 devicesAfter, uint256 totalAfter
    );

    /// @notice The share cap already binds.
    error ManufacturerRegistry__ShareCapAlreadyActive();

    /// @notice Only the identity registry may report device events.
    error ManufacturerRegistry__NotIdentityRegistry(address caller);

    /// @notice The identity registry is set once, and already was.
    error ManufacturerRegistry__IdentityRegistryAlreadySet(address identityRegistry);

    /// @notice An amount was zero.
    error ManufacturerRegistry__ZeroAmount();

    /// @notice A slash asked for more than the bond holds.
    error ManufacturerRegistry__SlashExceedsBond(uint256 manufacturerId, uint256 amount, uint256 bond);

    /// @notice Bonds are slashed only when a device is proven compromised, and none is.
    error ManufacturerRegistry__NoCompromisedDevice(uint256 manufacturerId);

    /// @notice The bond of a removed manufacturer is released only after the release delay.
    error ManufacturerRegistry__BondLocked(uint256 manufacturerId, uint256 releaseAt);

    /// @notice The bond is not released while a clone dispute over one of its devices is open.
    error ManufacturerRegistry__OpenDisputes(uint256 manufacturerId, uint256 openDisputes);

    /// @notice Nothing is left of the bond to release.
    error ManufacturerRegistry__NoBond(uint256 manufacturerId);

    /// @notice Manufacturer ids are 16-bit and all 65,535 were used.
    error ManufacturerRegistry__TooManyManufacturers();

    // ------------------------------------------------------------------ events

    /// @notice Governance approved a manufacturer and its bond was pulled from `bondPayer`.
    /// @param manufacturerId The manufacturer.
    /// @param bondPayer Who paid the bond and gets it back on removal.
    /// @param name The company's name.
    /// @param attestationKeyX The x coordinate of its P-256 attestation key.
    /// @param attestationKeyY The y coordinate of its P-256 attestation key.
    /// @param operatingSince When its operations began (unix seconds).
    /// @param beneficialOwnershipHash The hash of its beneficial-ownership disclosure.
    /// @param bond The bond pulled, in micromolt.
    event ManufacturerApproved(
        uint256 indexed manufacturerId,
        address indexed bondPayer,
        string name,
        bytes32 attestationKeyX,
        bytes32 attestationKeyY,
        uint64 operatingSince,
        bytes32 beneficialOwnershipHash,
        uint256 bond
    );

    /// @notice Governance suspended a manufacturer: it certifies no new device until reinstated.
    /// @param manufacturerId The manufacturer.
    event ManufacturerSuspended(uint256 indexed manufacturerId);

    /// @notice Governance reinstated a suspended manufacturer.
    /// @param manufacturerId The manufacturer.
    event ManufacturerReinstated(uint256 indexed manufacturerId);

    /// @notice Governance removed a manufacturer; its bond is released from `bondReleaseAt`.
    /// @param manufacturerId The manufacturer.
    /// @param bondReleaseAt When its bond may be released (unix seconds).
    event ManufacturerRemoved(uint256 indexed manufacturerId, uint256 bondReleaseAt);

    /// @notice Governance replaced a manufacturer's attestation key.
    /// @param manufacturerId The manufacturer.
    /// @param attestationKeyX The x coordinate of the new key.
    /// @param attestationKeyY The y coordinate of the new key.
    event AttestationKeyRotated(uint256 indexed manufacturerId, bytes32 attestationKeyX, bytes32 attestationKeyY);

    /// @notice Governance approved firmware for a manufacturer's devices of one hardware type.
    /// @param manufacturerId The manufacturer.
    /// @param firmwareHash The firmware.
    /// @param hardwareType The hardware type it is approved for.
    event FirmwareApproved(uint256 indexed manufacturerId, bytes32 indexed firmwareHash, uint8 hardwareType);

    /// @notice Governance revoked firmware: devices running it register no more.
    /// @param manufacturerId The manufacturer.
    /// @param firmwareHash The firmware.
    event FirmwareRevoked(uint256 indexed manufacturerId, bytes32 indexed firmwareHash);

    /// @notice `amount` of the bond went to the treasury.
    /// @param manufacturerId The manufacturer.
    /// @param amount What went to the treasury, in micromolt.
    /// @param bondLeft The bond after it.
    event BondSlashed(uint256 indexed manufacturerId, uint256 amount, uint256 bondLeft);

    /// @notice `payer` added `amount` to the bond.
    /// @param manufacturerId The manufacturer.
    /// @param payer Who paid.
    /// @param amount What was added, in micromolt.
    /// @param bond The bond after it.
    event BondToppedUp(uint256 indexed manufacturerId, address indexed payer, uint256 amount, uint256 bond);

    /// @notice The bond of a removed manufacturer went back to its payer.
    /// @param manufacturerId The manufacturer.
    /// @param bondPayer Who got it.
    /// @param amount What was returned, in micromolt.
    event BondReleased(uint256 indexed manufacturerId, address indexed bondPayer, uint256 amount);

    /// @notice A device of the manufacturer was frozen by a clone report: the manufacturer is
    ///         flagged for investigation (§5.4).
    /// @param manufacturerId The manufacturer.
    /// @param activeDevices Its active devices after the freeze.
    /// @param openDisputes Its open clone disputes after the freeze.
    event ManufacturerFlagged(uint256 indexed manufacturerId, uint256 activeDevices, uint256 openDisputes);

    /// @notice A frozen device was unfrozen by governance.
    /// @param manufacturerId The manufacturer.
    /// @param activeDevices Its active devices after it.
    /// @param openDisputes Its open clone disputes after it.
    event DeviceUnfrozen(uint256 indexed manufacturerId, uint256 activeDevices, uint256 openDisputes);

    /// @notice A frozen device was found compromised and retired by governance.
    /// @param manufacturerId The manufacturer.
    /// @param compromisedDevices Its devices proven compromised so far.
    /// @param openDisputes Its open clone disputes after it.
    event DeviceCompromised(uint256 indexed manufacturerId, uint256 compromisedDevices, uint256 openDisputes);

    /// @notice The 40 % share cap binds from now on.
    /// @param byGovernance True when governance switched it on, false when the device total
    ///        reached the bootstrap threshold.
    /// @param totalActiveDevices The active devices at that moment.
    event DeviceShareCapActivated(bool byGovernance, uint256 totalActiveDevices);

    /// @notice The recipient of slashed bonds changed.
    /// @param previousTreasury The old recipient.
    /// @param newTreasury The new recipient.
    event TreasuryChanged(address indexed previousTreasury, address indexed newTreasury);

    /// @notice The identity registry was set.
    /// @param identityRegistry The identity registry.
    event IdentityRegistrySet(address indexed identityRegistry);

    // ------------------------------------------------------------------ governance

    /// @notice Approves a manufacturer and pulls `MANUFACTURER_BOND` from `params.bondPayer`.
    /// @return manufacturerId Its id, from 1.
    /// @param params The manufacturer's key, eligibility data and bond payer.
    function approveManufacturer(ManufacturerParams calldata params) external returns (uint256 manufacturerId);

    /// @notice {approveManufacturer}, first applying the bond payer's EIP-2612 permit for this
    ///         contract (a permit already used, e.g. front-run, is fine if the allowance is there).
    /// @param params The manufacturer's key, eligibility data and bond payer.
    /// @param permitDeadline The permit's deadline.
    /// @param v The permit signature's v.
    /// @param r The permit signature's r.
    /// @param s The permit signature's s.
    /// @return manufacturerId Its id, from 1.
    function approveManufacturerWithPermit(
        ManufacturerParams calldata params,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 manufacturerId);

    /// @notice Stops an approved manufacturer from certifying new devices.
    /// @param manufacturerId The manufacturer.
    function suspendManufacturer(uint256 manufacturerId) external;

    /// @notice Lets a suspended manufacturer certify again.
    /// @param manufacturerId The manufacturer.
    function reinstateManufacturer(uint256 manufacturerId) external;

    /// @notice Removes an approved or suspended manufacturer (orderly removal). Its devices stay
    ///         registered; its bond stays slashable until `MANUFACTURER_BOND_RELEASE_DELAY` passes.
    /// @param manufacturerId The manufacturer.
    function removeManufacturer(uint256 manufacturerId) external;

    /// @notice Replaces the attestation key of an approved or suspended manufacturer. Certificates
    ///         by the old key stop verifying; the old key can never be approved again.
    /// @param manufacturerId The manufacturer.
    /// @param attestationKeyX The x coordinate of the new key.
    /// @param attestationKeyY The y coordinate of the new key.
    function rotateAttestationKey(uint256 manufacturerId, bytes32 attestationKeyX, bytes32 attestationKeyY) external;

    /// @notice Approves `firmwareHash` for the manufacturer's devices of `hardwareType`.
    /// @param manufacturerId The manufacturer.
    /// @param firmwareHash The firmware (nonzero).
    /// @param hardwareType 1 secure element, 2 PUF card.
    function approveFirmware(uint256 manufacturerId, bytes32 firmwareHash, uint8 hardwareType) external;

    /// @notice Revokes approved firmware. Identities registered with it stay active.
    /// @param manufacturerId The manufacturer.
    /// @param firmwareHash The firmware.
    function revokeFirmware(uint256 manufacturerId, bytes32 firmwareHash) external;

    /// @notice Sends `amount` of the bond to the treasury. Needs a compromised device (§5.7).
    /// @param manufacturerId The manufacturer.
    /// @param amount What to slash, in micromolt; at most the bond.
    function slashBond(uint256 manufacturerId, uint256 amount) external;

    /// @notice Sets the recipient of slashed bonds.
    /// @param newTreasury The new recipient (nonzero).
    function setTreasury(address newTreasury) external;

    /// @notice Sets the identity registry, once.
    /// @param identityRegistry The identity registry (nonzero).
    function setIdentityRegistry(address identityRegistry) external;

    /// @notice Makes the share cap bind from now on, before the bootstrap threshold.
    function activateDeviceShareCap() external;

    // ------------------------------------------------------------------ anyone

    /// @notice Adds `amount`, pulled from the caller, to the bond of an approved or suspended
    ///         manufacturer (to restore it after a slash). It is returned to the bond payer.
    /// @param manufacturerId The manufacturer.
    /// @param amount What to add, in micromolt.
    function topUpBond(uint256 manufacturerId, uint256 amount) external;

    /// @notice Returns a removed manufacturer's bond to its payer, once the delay has passed and
    ///         no dispute is open.
    /// @param manufacturerId The manufacturer.
    function releaseBond(uint256 manufacturerId) external;

    // ------------------------------------------------------------------ identity registry

    /// @notice A device of the manufacturer registered: applies the share cap and counts it.
    /// @dev Reverts unless the manufacturer is approved with a full bond.
    /// @param manufacturerId The manufacturer.
    function noteRegistration(uint256 manufacturerId) external;

    /// @notice A device was frozen by a clone report: no longer active, dispute open, flagged.
    /// @param manufacturerId The manufacturer.
    function noteFreeze(uint256 manufacturerId) external;

    /// @notice A frozen device was unfrozen: active again (never capped), dispute closed.
    /// @param manufacturerId The manufacturer.
    function noteUnfreeze(uint256 manufacturerId) external;

    /// @notice A frozen device was found compromised: dispute closed, bond slashable.
    /// @param manufacturerId The manufacturer.
    function noteCompromise(uint256 manufacturerId) external;

    // ------------------------------------------------------------------ views

    /// @notice The attestation key that must sign certificates for a device of the manufacturer
    ///         running `firmwareHash` on `hardwareType`.
    /// @dev Reverts when the manufacturer is unknown, not approved, short of bond, or the firmware
    ///      is not approved for that hardware type: exactly when it may not certify such a device.
    /// @param manufacturerId The manufacturer.
    /// @param firmwareHash The firmware the certificate names.
    /// @param hardwareType The hardware type the certificate names.
    /// @return attestationKeyX The x coordinate of the attestation key.
    /// @return attestationKeyY The y coordinate of the attestation key.
    function certificationKey(uint256 manufacturerId, bytes32 firmwareHash, uint8 hardwareType)
        external
        view
        returns (bytes32 attestationKeyX, bytes32 attestationKeyY);

    /// @notice The manufacturer `manufacturerId`; reverts if unknown.
    /// @param manufacturerId The manufacturer.
    function manufacturer(uint256 manufacturerId) external view returns (Manufacturer memory);

    /// @notice The hardware type `firmwareHash` is approved for at the manufacturer, 0 if none.
    /// @param manufacturerId The manufacturer.
    /// @param firmwareHash The firmware.
    function firmwareHardwareType(uint256 manufacturerId, bytes32 firmwareHash) external view returns (uint8);

    /// @notice The manufacturer's active devices (registered, neither frozen nor retired).
    /// @param manufacturerId The manufacturer.
    function activeDevices(uint256 manufacturerId) external view returns (uint256);

    /// @notice All active devices.
    function totalActiveDevices() external view returns (uint256);

    /// @notice How many manufacturer ids were issued.
    function manufacturerCount() external view returns (uint256);

    /// @notice How many manufacturers are approved or suspended (not removed).
    function approvedManufacturerCount() external view returns (uint256);

    /// @notice How many manufacturers have at least one active device.
    function manufacturersWithActiveDevices() external view returns (uint256);

    /// @notice The §17.2 phase counters in one call.
    /// @return totalActive All active devices.
    /// @return approvedManufacturers Manufacturers approved or suspended.
    /// @return manufacturersWithDevices Manufacturers with at least one active device.
    function phaseCounters()
        external
        view
        returns (uint256 totalActive, uint256 approvedManufacturers, uint256 manufacturersWithDevices);

    /// @notice Whether the 40 % share cap binds.
    function deviceShareCapActive() external view returns (bool);

    /// @notice The $MOLT token bonds are paid in.
    function token() external view returns (address);

    /// @notice The recipient of slashed bonds.
    function treasury() external view returns (address);

    /// @notice The identity registry allowed to report device events.
    function identityRegistry() external view returns (address);
}
