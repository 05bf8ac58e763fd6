// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// solhint-disable gas-indexed-events, gas-struct-packing

import {IIdentityLookup} from "./IIdentityLookup.sol";

/// @title IIdentityRegistry
/// @notice The hardware-bound identities (§5.5): one per device, held by an owner wallet, with
///         its card's P-256 key, its ZK identity commitment (§6.2), the $MOLT stake it escrows,
///         the highest card counter seen on chain (§5.4), and the Ed25519 signer keys its card
///         authorized (DESIGN.md §3).
/// @dev The registry holds state and enforces the rules on state; it accepts writes only from the
///      current gateway, which verifies signatures and certificates (the Farcaster split of
///      IdRegistry and IdGateway), and from governance (`GOVERNANCE_ROLE`: resolving clone
///      disputes, replacing the gateway, setting the treasury). Rules enforced here, whatever the
///      gateway: a device id hash registers once, ever; a card-signed operation names the
///      identity's device and card key, which must be the ones registered (a device record holds
///      the identity, the stake and a 128-bit hash of the card key); counters seen on chain never
///      decrease and card-signed operations must strictly increase them; a signer key belongs to
///      one identity, ever, and an identity has at most `IDENTITY_MAX_SIGNER_KEYS` active; only
///      an identity's owner revokes its keys without the card; escrowed stake equals the sum of
///      identity stakes. An owner wallet may hold several identities (one per card).
///
///      Storage per identity: two slots, the record (by id: owner, counter, manufacturer, status,
///      signer count, hardware type) and the device (by device id hash: identity id, stake, card
///      key hash). The card key itself, the firmware hash, the ZK commitment and the creation
///      time are in {IdentityRegistered} only.
///
///      Lifecycle: Active → Frozen (clone report, §5.4: stake locked, not slashed) → Active
///      (governance unfreezes) or Retired (governance slashes the stake to the treasury). There is
///      no voluntary exit yet.
///
///      The events carry everything needed to rebuild the state (the rollup applies them through
///      the beacon, DESIGN.md §4 step 5).
interface IIdentityRegistry is IIdentityLookup {
    /// @notice Where an identity is in its lifecycle.
    enum IdentityStatus {
        None,
        Active,
        Frozen,
        Retired
    }

    /// @notice Where a signer key is in its lifecycle. A revoked key never comes back.
    enum SignerStatus {
        None,
        Active,
        Revoked
    }

    /// @notice How governance ends a clone dispute (§5.4).
    enum CloneResolution {
        Unfreeze,
        SlashAndRetire
    }

    /// @notice A registration the gateway has validated (§5.5 step 5).
    /// @param owner The wallet that holds the identity and paid its stake.
    /// @param manufacturerId The manufacturer that certified the card.
    /// @param hardwareType 1 secure element (Phase 0-1), 2 PUF card (Phase 2+).
    /// @param cardKeyX The x coordinate of the card's P-256 key.
    /// @param cardKeyY The y coordinate of the card's P-256 key.
    /// @param deviceIdHash The hash of the device id (the raw id never reaches the chain).
    /// @param firmwareHash The firmware the manufacturer certified.
    /// @param zkCommitment The owner's ZK identity commitment, a BN254 scalar field element.
    /// @param stake The stake to escrow, in micromolt.
    /// @param counter The counter of the card's registration message.
    struct NewIdentity {
        address owner;
        uint256 manufacturerId;
        uint8 hardwareType;
        bytes32 cardKeyX;
        bytes32 cardKeyY;
        bytes32 deviceIdHash;
        bytes32 firmwareHash;
        uint256 zkCommitment;
        uint256 stake;
        uint64 counter;
    }

    /// @notice The identity record (§5.5 step 6 plus the owner, the status and the signer count)
    ///         as stored under the identity id. The rest is stored under the device id hash (see
    ///         {device}: the stake, 0 once retired, and the card key's hash) or never changes and
    ///         is in {IdentityRegistered} only: the card key, the device id hash, the firmware
    ///         hash, the ZK commitment and `createdAt` (the event's block timestamp).
    ///         `reputation` lives in the rollup (§12.3).
    struct Identity {
        address owner;
        IdentityStatus status;
        uint256 manufacturerId;
        uint8 hardwareType;
        uint64 counter;
        uint256 signerCount;
    }

    // ------------------------------------------------------------------ errors

    /// @notice An address argument was zero.
    error IdentityRegistry__ZeroAddress();

    /// @notice Only the current gateway may call this.
    error IdentityRegistry__NotGateway(address caller);

    /// @notice No identity has this id.
    error IdentityRegistry__UnknownIdentity(uint256 identityId);

    /// @notice The identity must be active for this, and is frozen or retired.
    error IdentityRegistry__NotActive(uint256 identityId, IdentityStatus status);

    /// @notice Only a frozen identity's dispute can be resolved.
    error IdentityRegistry__NotFrozen(uint256 identityId, IdentityStatus status);

    /// @notice The identity is retired; nothing changes it any more.
    error IdentityRegistry__IdentityRetired(uint256 identityId);

    /// @notice The hardware type does not fit the record (the gateway passes 1 or 2, as approved
    ///         by the manufacturer registry).
    error IdentityRegistry__InvalidHardwareType(uint8 hardwareType);

    /// @notice This device already registered (§5.5 step 5b).
    error IdentityRegistry__DeviceAlreadyRegistered(bytes32 deviceIdHash, uint256 identityId);

    /// @notice The device id hash is not registered to this identity, or the card key given
    ///         (by its hash) is not the one registered with that device.
    error IdentityRegistry__CardMismatch(uint256 identityId, bytes32 deviceIdHash);

    /// @notice Only the identity's owner wallet may do this.
    error IdentityRegistry__NotIdentityOwner(uint256 identityId, address caller);

    /// @notice A card counter must exceed the highest seen on chain (§5.4).
    error IdentityRegistry__StaleCounter(uint256 identityId, uint64 counter, uint64 lastSeen);

    /// @notice The signer key is, or was, authorized (for this or another identity).
    error IdentityRegistry__SignerKeyUsed(bytes32 signerKey, uint256 identityId);

    /// @notice The signer key is not an active key of this identity.
    error IdentityRegistry__SignerNotActive(uint256 identityId, bytes32 signerKey);

    /// @notice The identity already has the most active signer keys allowed.
    error IdentityRegistry__TooManySigners(uint256 identityId, uint256 max);

    // ------------------------------------------------------------------ events

    /// @notice An identity was registered; its stake is escrowed here. Card key, device id hash,
    ///         firmware, hardware type and ZK commitment never change afterwards. The card key
    ///         (stored only as a 128-bit hash, which card-signed calls are checked against), the
    ///         firmware hash, the ZK commitment and the creation time (the block's timestamp) are
    ///         not stored: this event is their record (indexers, the rollup, and the SDK, which
    ///         resends the device id hash and card key with every card-signed call).
    /// @param identityId The identity.
    /// @param owner The owner wallet.
    /// @param manufacturerId The manufacturer that certified the card.
    /// @param cardKeyX The x coordinate of the card key.
    /// @param cardKeyY The y coordinate of the card key.
    /// @param deviceIdHash The device id hash.
    /// @param firmwareHash The certified firmware.
    /// @param hardwareType 1 secure element, 2 PUF card.
    /// @param zkCommitment The ZK identity commitment (joins the anonymity set, §6.2).
    /// @param stake The stake escrowed, in micromolt.
    /// @param counter The counter of the registration message.
    event IdentityRegistered(
        uint256 indexed identityId,
        address indexed owner,
        uint256 indexed manufacturerId,
        bytes32 cardKeyX,
        bytes32 cardKeyY,
        bytes32 deviceIdHash,
        bytes32 firmwareHash,
        uint8 hardwareType,
        uint256 zkCommitment,
        uint256 stake,
        uint64 counter
    );

    /// @notice The card authorized an Ed25519 signer key; `counter` is the new highest counter.
    /// @param identityId The identity.
    /// @param signerKey The Ed25519 public key.
    /// @param counter The counter of the card message.
    event SignerAuthorized(uint256 indexed identityId, bytes32 indexed signerKey, uint64 counter);

    /// @notice A signer key was revoked, by the card (`counter` is then the new highest counter)
    ///         or by the owner wallet (`byOwner`, `counter` unchanged).
    /// @param identityId The identity.
    /// @param signerKey The Ed25519 public key.
    /// @param counter The counter of the card message, or the unchanged counter.
    /// @param byOwner True when the owner wallet revoked it.
    event SignerRevoked(uint256 indexed identityId, bytes32 indexed signerKey, uint64 counter, bool byOwner);

    /// @notice A clone report froze the identity; `counter` is the new highest counter.
    /// @param identityId The identity.
    /// @param reporter Who reported the clone.
    /// @param counter The identity's counter after the report.
    event IdentityFrozen(uint256 indexed identityId, address indexed reporter, uint64 counter);

    /// @notice Governance found no clone and unfroze the identity.
    /// @param identityId The identity.
    event IdentityUnfrozen(uint256 indexed identityId);

    /// @notice Governance found the card cloned: the identity is retired and its stake went to the
    ///         treasury.
    /// @param identityId The identity.
    /// @param stakeSlashed The stake sent to the treasury, in micromolt.
    event IdentityRetired(uint256 indexed identityId, uint256 stakeSlashed);

    /// @notice Governance replaced the gateway.
    /// @param previousGateway The old gateway.
    /// @param newGateway The new gateway (zero: none).
    event GatewayChanged(address indexed previousGateway, address indexed newGateway);

    /// @notice The recipient of slashed stakes changed.
    /// @param previousTreasury The old recipient.
    /// @param newTreasury The new recipient.
    event TreasuryChanged(address indexed previousTreasury, address indexed newTreasury);

    // ------------------------------------------------------------------ gateway

    /// @notice Records a validated registration and pulls `identity.stake` from the owner (who
    ///         must have allowed this contract).
    /// @return identityId The new identity's id, from 1.
    /// @param identity The validated registration.
    function register(NewIdentity calldata identity) external returns (uint256 identityId);

    /// @notice Records a card-authorized signer key; `counter` must exceed the last seen. The
    ///         gateway verified the card's signature under the key whose hash is `cardKeyHash`.
    /// @param identityId The identity (active).
    /// @param deviceIdHash The identity's device id hash.
    /// @param cardKeyHash The hash of the card key that signed ({device}'s `cardKeyHash`).
    /// @param signerKey The Ed25519 public key.
    /// @param counter The counter of the card message.
    function authorizeSigner(
        uint256 identityId,
        bytes32 deviceIdHash,
        bytes16 cardKeyHash,
        bytes32 signerKey,
        uint64 counter
    ) external;

    /// @notice Records a card-signed revocation; `counter` must exceed the last seen.
    /// @param identityId The identity (not retired).
    /// @param deviceIdHash The identity's device id hash.
    /// @param cardKeyHash The hash of the card key that signed.
    /// @param signerKey The Ed25519 public key.
    /// @param counter The counter of the card message.
    function revokeSigner(
        uint256 identityId,
        bytes32 deviceIdHash,
        bytes16 cardKeyHash,
        bytes32 signerKey,
        uint64 counter
    ) external;

    /// @notice Records a revocation by `owner` (the gateway's caller): the key must be active and
    ///         belong to an identity, not retired, whose owner is `owner`.
    /// @param owner The wallet that asked for the revocation.
    /// @param signerKey The Ed25519 public key.
    function revokeSignerByOwner(address owner, bytes32 signerKey) external;

    /// @notice Freezes an active identity on a verified clone report, raising its counter to
    ///         `counter` if that is higher.
    /// @param identityId The identity.
    /// @param deviceIdHash The identity's device id hash.
    /// @param cardKeyHash The hash of the card key both messages were verified under.
    /// @param counter The highest counter of the evidence.
    /// @param reporter Who reported the clone.
    function freeze(uint256 identityId, bytes32 deviceIdHash, bytes16 cardKeyHash, uint64 counter, address reporter)
        external;

    // ------------------------------------------------------------------ governance

    /// @notice Ends the clone dispute of a frozen identity. Slashing zeroes the stake in the
    ///         device record, which stays: the device id hash never registers again.
    /// @param identityId The identity.
    /// @param deviceIdHash The identity's device id hash (in {IdentityRegistered}).
    /// @param resolution Unfreeze, or slash the stake and retire.
    function resolveClone(uint256 identityId, bytes32 deviceIdHash, CloneResolution resolution) external;

    /// @notice Replaces the gateway (zero stops all registrations and signer changes).
    /// @param newGateway The new gateway.
    function setGateway(address newGateway) external;

    /// @notice Sets the recipient of slashed stakes.
    /// @param newTreasury The new recipient (nonzero).
    function setTreasury(address newTreasury) external;

    // ------------------------------------------------------------------ views

    /// @notice The identity `identityId`; reverts if unknown.
    /// @param identityId The identity.
    function identity(uint256 identityId) external view returns (Identity memory);

    /// @notice The device record of `deviceIdHash` (all zero if it never registered).
    /// @param deviceIdHash The device id hash.
    /// @return identityId The identity registered with it (it keeps the device when retired).
    /// @return stake The identity's escrowed stake, in micromolt (0 once retired).
    /// @return cardKeyHash The first 16 bytes of keccak256(abi.encode(cardKeyX, cardKeyY)).
    function device(bytes32 deviceIdHash) external view returns (uint256 identityId, uint256 stake, bytes16 cardKeyHash);

    /// @notice The status of `identityId` (None if unknown).
    /// @param identityId The identity.
    function statusOf(uint256 identityId) external view returns (IdentityStatus);

    /// @notice The identity registered with this device id hash, 0 if none.
    /// @param deviceIdHash The device id hash.
    function identityByDevice(bytes32 deviceIdHash) external view returns (uint256);

    /// @notice The identity a signer key belongs to and its status (0 and None if unknown).
    /// @param signerKey The Ed25519 public key.
    /// @return identityId The identity it belongs to.
    /// @return status Active or Revoked.
    function signer(bytes32 signerKey) external view returns (uint256 identityId, SignerStatus status);

    /// @notice How many identities were ever registered (the highest id).
    function identityCount() external view returns (uint256);

    /// @notice The stake escrowed for all identities, in micromolt.
    function totalStake() external view returns (uint256);

    /// @notice The current gateway.
    function gateway() external view returns (address);

    /// @notice The $MOLT token stakes are paid in.
    function token() external view returns (address);

    /// @notice The manufacturer registry devices are counted in.
    function manufacturers() external view returns (address);

    /// @notice The recipient of slashed stakes.
    function treasury() external view returns (address);
}
