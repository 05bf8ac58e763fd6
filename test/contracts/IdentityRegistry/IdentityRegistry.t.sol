// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";

import {IdentityGateway} from "../../../contracts/identity/IdentityGateway.sol";
import {IdentityRegistry} from "../../../contracts/identity/IdentityRegistry.sol";
import {ManufacturerRegistry} from "../../../contracts/identity/ManufacturerRegistry.sol";
import {IIdentityGateway} from "../../../contracts/interfaces/IIdentityGateway.sol";
import {IIdentityRegistry} from "../../../contracts/interfaces/IIdentityRegistry.sol";
import {IManufacturerRegistry} from "../../../contracts/interfaces/IManufacturerRegistry.sol";
import {MoltRoles} from "../../../contracts/libraries/MoltRoles.sol";
import {MoltToken} from "../../../contracts/token/MoltToken.sol";
import {Test, TestBase} from "../utils/Test.sol";

// The numbers of §5.5, §6.2 and DESIGN.md §3, written out here rather than read from
// MoltConstants so that a wrong constant fails these tests.
uint256 constant MOLT = 1e6;
uint256 constant MIN_STAKE = 100 * MOLT;
uint256 constant SUPPLY_CAP = 1_000_000_000 * MOLT;
uint256 constant BOND = 1_000_000 * MOLT;
uint256 constant FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
uint256 constant MAX_SIGNERS = 16;
uint256 constant START = 1_800_000_000;
bytes32 constant FIRMWARE = keccak256("firmware v1");
address constant P256_VERIFIER = address(0x100);
uint8 constant REGISTER = 1;
uint8 constant AUTHORIZE = 2;
uint8 constant REVOKE = 3;
uint8 constant HEARTBEAT = 4;

/// @notice Deploys token, manufacturer registry, identity registry and gateway, approves a
///         manufacturer, and signs certificates and card messages with forge's P-256 cheatcodes.
/// @dev forge runs the prague EVM, where 0x100 is empty and OpenZeppelin's P256 would verify in
///      Solidity (~270k gas a signature, too slow for 10,000-run campaigns). So 0x100 answers as
///      RIP-7212 would for the signatures these tests make: `_signP256` registers each one with
///      `mockCall`, and OpenZeppelin's probe vector is answered too, so any other input (a wrong
///      key, digest or signature) reads as invalid. The real verifiers are covered by the
///      TypeScript suites (precompiles and the Solidity fallback, Wycheproof) and by
///      `test_register_withTheSolidityVerifier` below. Every fuzz test runs the CI profile's
///      10,000 runs (signing costs ~2 ms a run, so the signing tests dominate the suite's time).
abstract contract IdentitySetup is TestBase {
    MoltToken internal token;
    ManufacturerRegistry internal manufacturers;
    IdentityRegistry internal registry;
    IdentityGateway internal gateway;
    address internal gov = address(0x6011);
    address internal treasury = address(0x7EA5);
    uint256 internal constant MFR_KEY = 0xA77E57;

    function _deploy() internal {
        vm.warp(START);
        _emulatePrecompile();
        token = new MoltToken(gov);
        manufacturers = new ManufacturerRegistry(IERC20(address(token)), gov, treasury);
        registry = new IdentityRegistry(IERC20(address(token)), manufacturers, gov, treasury);
        gateway = new IdentityGateway(registry);
        vm.startPrank(gov);
        token.grantRole(token.MINTER_ROLE(), gov);
        manufacturers.grantRole(MoltRoles.GOVERNANCE_ROLE, gov);
        registry.grantRole(MoltRoles.GOVERNANCE_ROLE, gov);
        manufacturers.setIdentityRegistry(address(registry));
        registry.setGateway(address(gateway));
        vm.stopPrank();
        _approveManufacturer(MFR_KEY);
    }

    /// @dev OpenZeppelin's probe (Wycheproof tcId 285): "the precompile is present".
    function _emulatePrecompile() internal {
        vm.mockCall(
            P256_VERIFIER,
            abi.encode(
                0xbb5a52f42f9c9261ed4361f59422a1e30036e7c32b270c8807a419feca605023,
                5,
                1,
                0xa71af64de5126a4a4e02b7922d66ce9415ce88a4c9d25514d91082c8725ac957,
                0x5d47723c8fbe580bb369fec9c2665d8e30a435b9932645482e7c9f11e872296b
            ),
            abi.encode(uint256(1))
        );
    }

    function _approveManufacturer(uint256 key) internal returns (uint256 id) {
        (uint256 x, uint256 y) = vm.publicKeyP256(key);
        vm.startPrank(gov);
        token.mint(gov, BOND);
        token.approve(address(manufacturers), BOND);
        id = manufacturers.approveManufacturer(
            IManufacturerRegistry.ManufacturerParams({
                name: "M",
                attestationKeyX: bytes32(x),
                attestationKeyY: bytes32(y),
                operatingSince: uint64(START - 4 * 365 days),
                beneficialOwnershipHash: keccak256(abi.encode("disclosure", key)),
                bondPayer: gov
            })
        );
        manufacturers.approveFirmware(id, FIRMWARE, 1);
        vm.stopPrank();
    }

    /// @dev A low-s P-256 signature of `digest` by `key`, which the emulated 0x100 accepts.
    function _signP256(uint256 key, bytes32 digest) internal returns (bytes32 r, bytes32 s) {
        (r, s) = vm.signP256(key, digest);
        if (uint256(s) > P256.N / 2) s = bytes32(P256.N - uint256(s));
        (uint256 x, uint256 y) = vm.publicKeyP256(key);
        vm.mockCall(P256_VERIFIER, abi.encode(digest, r, s, x, y), abi.encode(uint256(1)));
    }

    function _certificate(uint256 mfrKey, uint256 cardKey, bytes32 device)
        internal
        returns (IIdentityGateway.Certificate memory c)
    {
        (uint256 x, uint256 y) = vm.publicKeyP256(cardKey);
        c = IIdentityGateway.Certificate({
            cardKeyX: bytes32(x),
            cardKeyY: bytes32(y),
            deviceIdHash: device,
            firmwareHash: FIRMWARE,
            hardwareType: 1,
            r: 0,
            s: 0
        });
        (c.r, c.s) = _signP256(mfrKey, gateway.certificateDigest(c));
    }

    function _cardSig(uint256 cardKey, uint8 typeTag, uint64 counter, bytes32 predecessor, bytes32 payloadHash)
        internal
        returns (IIdentityGateway.CardSignature memory sig)
    {
        bytes32 digest = gateway.cardMessageDigest(typeTag, counter, predecessor, payloadHash);
        (bytes32 r, bytes32 s) = _signP256(cardKey, digest);
        sig = IIdentityGateway.CardSignature({counter: counter, predecessor: predecessor, r: r, s: s});
    }

    function _message(uint256 cardKey, uint8 typeTag, uint64 counter, bytes32 predecessor, bytes32 payloadHash)
        internal
        returns (IIdentityGateway.CardMessage memory m)
    {
        IIdentityGateway.CardSignature memory sig = _cardSig(cardKey, typeTag, counter, predecessor, payloadHash);
        m = IIdentityGateway.CardMessage({
            typeTag: typeTag, counter: counter, predecessor: predecessor, payloadHash: payloadHash, r: sig.r, s: sig.s
        });
    }

    function _zk(address owner) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode("zk", owner))) % (FIELD - 1) + 1;
    }

    /// @dev Registers `owner` with card `cardKey` on `device`, certified by `mfrKey` as
    ///      manufacturer `mfrId`; the card's registration message has `counter`.
    function _register(address owner, uint256 cardKey, bytes32 device, uint256 stake, uint64 counter)
        internal
        returns (uint256)
    {
        return _registerWith(1, MFR_KEY, owner, cardKey, device, stake, counter);
    }

    function _registerWith(
        uint256 mfrId,
        uint256 mfrKey,
        address owner,
        uint256 cardKey,
        bytes32 device,
        uint256 stake,
        uint64 counter
    ) internal returns (uint256) {
        _fund(owner, stake);
        IIdentityGateway.Certificate memory c = _certificate(mfrKey, cardKey, device);
        IIdentityGateway.CardSignature memory sig = _registerSig(cardKey, owner, counter);
        vm.prank(owner);
        return gateway.register(mfrId, c, _zk(owner), stake, block.timestamp + 1 hours, sig);
    }

    /// @dev The card's registration message for `owner`, with a deadline an hour ahead.
    function _registerSig(uint256 cardKey, address owner, uint64 counter)
        internal
        returns (IIdentityGateway.CardSignature memory)
    {
        bytes32 payload = gateway.registerPayloadHash(owner, _zk(owner), block.timestamp + 1 hours);
        return _cardSig(cardKey, REGISTER, counter, bytes32(0), payload);
    }

    function _fund(address owner, uint256 stake) internal {
        vm.prank(gov);
        token.mint(owner, stake);
        vm.prank(owner);
        token.approve(address(registry), stake);
    }

    /// @dev The CardRef a card-signed call sends: `device` and `cardKey`'s public key.
    function _cardRef(uint256 cardKey, bytes32 device) internal pure returns (IIdentityGateway.CardRef memory) {
        (uint256 x, uint256 y) = vm.publicKeyP256(cardKey);
        return IIdentityGateway.CardRef({deviceIdHash: device, cardKeyX: bytes32(x), cardKeyY: bytes32(y)});
    }

    /// @dev What the registry stores of `cardKey`'s public key, computed here independently.
    function _keyHash(uint256 cardKey) internal pure returns (bytes16) {
        (uint256 x, uint256 y) = vm.publicKeyP256(cardKey);
        return bytes16(keccak256(abi.encode(x, y)));
    }

    /// @dev `cardKey` signs the authorization of `signerKey` for `id`, sent with the CardRef
    ///      (`refKey`'s public key, `device`).
    function _authorize(uint256 id, uint256 cardKey, uint256 refKey, bytes32 device, bytes32 signerKey, uint64 counter)
        internal
    {
        uint256 deadline = block.timestamp + 1 hours;
        IIdentityGateway.CardSignature memory sig =
            _cardSig(cardKey, AUTHORIZE, counter, bytes32(0), gateway.signerPayloadHash(id, signerKey, deadline));
        gateway.authorizeSigner(id, _cardRef(refKey, device), signerKey, deadline, sig);
    }
}

contract IdentityRegistryTest is Test, IdentitySetup {
    address private alice = address(0xA11CE);
    address private bob = address(0xB0B);
    uint256 private constant ALICE_CARD = 0xCA4D1;
    uint256 private constant BOB_CARD = 0xCA4D2;

    function setUp() public {
        _deploy();
    }

    function _junkCertificate() private pure returns (IIdentityGateway.Certificate memory) {
        return IIdentityGateway.Certificate({
            cardKeyX: bytes32(uint256(1)),
            cardKeyY: bytes32(uint256(2)),
            deviceIdHash: bytes32(uint256(3)),
            firmwareHash: FIRMWARE,
            hardwareType: 1,
            r: bytes32(uint256(4)),
            s: bytes32(uint256(5))
        });
    }

    function _junkSig() private pure returns (IIdentityGateway.CardSignature memory) {
        return IIdentityGateway.CardSignature({counter: 1, predecessor: 0, r: bytes32(uint256(6)), s: bytes32(0)});
    }

    // ----------------------------------------------------------------- registration

    function testFuzz_register_refusesAHardwareTypeTheRecordCannotHold(uint8 hardwareType) public {
        vm.assume(hardwareType == 0 || hardwareType > 3);
        IIdentityRegistry.NewIdentity memory n = IIdentityRegistry.NewIdentity({
            owner: alice,
            manufacturerId: 1,
            hardwareType: hardwareType,
            cardKeyX: bytes32(uint256(1)),
            cardKeyY: bytes32(uint256(2)),
            deviceIdHash: bytes32(uint256(3)),
            firmwareHash: FIRMWARE,
            zkCommitment: 1,
            stake: MIN_STAKE,
            counter: 1
        });
        vm.prank(address(gateway));
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistry__InvalidHardwareType.selector, hardwareType)
        );
        registry.register(n);
    }

    function testFuzz_register_rejectsStakeOutOfRange(uint256 stake) public {
        vm.assume(stake < MIN_STAKE || stake > SUPPLY_CAP);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIdentityGateway.IdentityGateway__StakeOutOfRange.selector, stake, MIN_STAKE, SUPPLY_CAP
            )
        );
        gateway.register(1, _junkCertificate(), 1, stake, block.timestamp, _junkSig());
    }

    function testFuzz_register_rejectsCommitmentsOutsideTheField(uint256 zk) public {
        if (zk != 0) zk = bound(zk, FIELD, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(IIdentityGateway.IdentityGateway__InvalidZkCommitment.selector, zk));
        gateway.register(1, _junkCertificate(), zk, MIN_STAKE, block.timestamp, _junkSig());
    }

    function testFuzz_register_rejectsExpiredDeadlines(uint256 deadline) public {
        deadline = bound(deadline, 0, block.timestamp - 1);
        vm.expectRevert(abi.encodeWithSelector(IIdentityGateway.IdentityGateway__SignatureExpired.selector, deadline));
        gateway.register(1, _junkCertificate(), 1, MIN_STAKE, deadline, _junkSig());
    }

    function testFuzz_register_escrowsTheStake(uint256 stake, uint64 counter, uint256 cardKey, bytes32 device) public {
        stake = bound(stake, MIN_STAKE, SUPPLY_CAP - 2 * BOND);
        cardKey = bound(cardKey, 1, P256.N - 1);
        vm.assume(device != bytes32(0));
        uint256 id = _register(alice, cardKey, device, stake, counter);

        IIdentityRegistry.Identity memory record = registry.identity(id);
        assertEq(id, 1);
        assertEq(record.owner, alice);
        assertEq(registry.ownerOf(id), alice);
        assertEq(record.counter, counter);
        assertEq(record.hardwareType, 1);
        assertEq(record.signerCount, 0);
        (uint256 deviceId, uint256 deviceStake, bytes16 keyHash) = registry.device(device);
        assertEq(deviceId, id);
        assertEq(deviceStake, stake);
        assertEq(keyHash, _keyHash(cardKey));
        assertEq(registry.totalStake(), stake);
        assertEq(token.balanceOf(address(registry)), stake);
        assertEq(registry.identityByDevice(device), id);
        assertTrue(registry.isActive(id));
    }

    /// @dev An owner wallet may hold several identities, one per card; devices stay unique.
    function testFuzz_register_oneOwnerSeveralCards(uint256 cards, bytes32 seed) public {
        cards = bound(cards, 2, 5);
        for (uint256 i = 1; i <= cards; ++i) {
            bytes32 device = keccak256(abi.encode(seed, i));
            uint256 id = _register(
                alice, uint256(keccak256(abi.encode("card", seed, i))) % (P256.N - 1) + 1, device, MIN_STAKE, 1
            );
            assertEq(id, i);
            assertEq(registry.ownerOf(id), alice);
            assertEq(registry.identityByDevice(device), id);
        }
        assertEq(registry.identityCount(), cards);
        assertEq(registry.totalStake(), cards * MIN_STAKE);
        assertEq(manufacturers.totalActiveDevices(), cards);
    }

    function testFuzz_register_eachDeviceOnce(bytes32 device, uint256 secondCard) public {
        vm.assume(device != bytes32(0));
        secondCard = bound(secondCard, 1, P256.N - 1);
        uint256 id = _register(alice, ALICE_CARD, device, MIN_STAKE, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistry__DeviceAlreadyRegistered.selector, device, id)
        );
        this.registerAs(bob, secondCard, device);
    }

    /// @dev External so that `expectRevert` sees one call (the funding calls come first).
    function registerAs(address owner, uint256 cardKey, bytes32 device) external returns (uint256) {
        return _register(owner, cardKey, device, MIN_STAKE, 1);
    }

    /// @dev Without the emulated precompile: OpenZeppelin verifies in Solidity (~270k gas each).
    function test_register_withTheSolidityVerifier() public {
        // A certificate by another key fails there too.
        (IIdentityGateway.Certificate memory c, uint256 deadline, IIdentityGateway.CardSignature memory sig) =
            _prepare(bob, 0xBAD, BOB_CARD, keccak256("device 2"));
        vm.clearMockedCalls();
        vm.expectRevert(abi.encodeWithSelector(IIdentityGateway.IdentityGateway__InvalidCertificate.selector, 1));
        vm.prank(bob);
        gateway.register(1, c, _zk(bob), MIN_STAKE, deadline, sig);

        (c, deadline, sig) = _prepare(alice, MFR_KEY, ALICE_CARD, keccak256("device"));
        vm.clearMockedCalls();
        vm.prank(alice);
        uint256 id = gateway.register(1, c, _zk(alice), MIN_STAKE, deadline, sig);
        assertEq(id, 1);
        assertEq(registry.ownerOf(1), alice);
        assertEq(registry.identityByDevice(keccak256("device")), 1);
    }

    function _prepare(address owner, uint256 mfrKey, uint256 cardKey, bytes32 device)
        private
        returns (IIdentityGateway.Certificate memory c, uint256 deadline, IIdentityGateway.CardSignature memory sig)
    {
        _fund(owner, MIN_STAKE);
        c = _certificate(mfrKey, cardKey, device);
        deadline = block.timestamp + 1 hours;
        sig = _cardSig(cardKey, REGISTER, 1, bytes32(0), gateway.registerPayloadHash(owner, _zk(owner), deadline));
    }

    // ----------------------------------------------------------------- counters (§5.4)

    function testFuzz_authorizeSigner_counterMustIncrease(uint64 registered, uint64 next, bytes32 signerKey) public {
        vm.assume(signerKey != bytes32(0));
        uint256 id = _register(alice, ALICE_CARD, keccak256("device"), MIN_STAKE, registered);
        if (next <= registered) {
            vm.expectRevert(
                abi.encodeWithSelector(IIdentityRegistry.IdentityRegistry__StaleCounter.selector, id, next, registered)
            );
        }
        this.authorizeAs(id, ALICE_CARD, ALICE_CARD, keccak256("device"), signerKey, next);
        assertEq(registry.identity(id).counter, next > registered ? next : registered);
        assertEq(registry.identity(id).signerCount, next > registered ? 1 : 0);
    }

    /// @dev External so that `expectRevert` sees one call (signing makes calls first).
    function authorizeAs(uint256 id, uint256 cardKey, uint256 refKey, bytes32 device, bytes32 signerKey, uint64 counter)
        external
    {
        _authorize(id, cardKey, refKey, device, signerKey, counter);
    }

    /// @dev Another card's signature, sent with the identity's own CardRef, does not verify.
    function testFuzz_authorizeSigner_rejectsOtherCards(uint256 otherCard, bytes32 signerKey) public {
        otherCard = bound(otherCard, 1, P256.N - 1);
        vm.assume(otherCard != ALICE_CARD && signerKey != bytes32(0));
        uint256 id = _register(alice, ALICE_CARD, keccak256("device"), MIN_STAKE, 1);
        vm.expectRevert(IIdentityGateway.IdentityGateway__InvalidCardSignature.selector);
        this.authorizeAs(id, otherCard, ALICE_CARD, keccak256("device"), signerKey, 2);
    }

    /// @dev A signature that verifies under the CardRef's key is refused unless the ref is the
    ///      identity's: another key for its device, another device (unknown or bob's) for its key.
    function testFuzz_authorizeSigner_rejectsMismatchedCards(uint256 otherCard, bytes32 otherDevice, bytes32 signerKey)
        public
    {
        otherCard = bound(otherCard, 1, P256.N - 1);
        bytes32 device = keccak256("device");
        bytes32 bobDevice = keccak256("device 2");
        vm.assume(otherCard != ALICE_CARD && otherDevice != device && signerKey != bytes32(0));
        uint256 id = _register(alice, ALICE_CARD, device, MIN_STAKE, 1);
        _register(bob, BOB_CARD, bobDevice, MIN_STAKE, 1);

        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.IdentityRegistry__CardMismatch.selector, id, device));
        this.authorizeAs(id, otherCard, otherCard, device, signerKey, 2);
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistry__CardMismatch.selector, id, otherDevice)
        );
        this.authorizeAs(id, ALICE_CARD, ALICE_CARD, otherDevice, signerKey, 2);
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistry__CardMismatch.selector, id, bobDevice)
        );
        this.authorizeAs(id, BOB_CARD, BOB_CARD, bobDevice, signerKey, 2);

        this.authorizeAs(id, ALICE_CARD, ALICE_CARD, device, signerKey, 2);
        assertEq(registry.identity(id).signerCount, 1);
    }

    // ----------------------------------------------------------------- clone detection (§5.4)

    struct Pair {
        uint8 typeA;
        uint8 typeB;
        uint64 counterA;
        uint64 counterB;
        bytes32 predecessorA;
        bytes32 predecessorB;
        bytes32 payloadA;
        bytes32 payloadB;
    }

    /// @dev A clone is shown iff the messages differ and share a counter or a predecessor; the
    ///      counter then rises to the evidence's highest, never falls.
    function testFuzz_reportClone_freezesExactlyOnConflict(Pair memory p, uint8 shape, uint64 registered) public {
        shape %= 4;
        if (shape == 0) p.counterB = p.counterA; // same counter
        if (shape == 1) p.predecessorB = p.predecessorA; // same predecessor
        if (shape == 2) {
            (p.typeB, p.counterB, p.predecessorB, p.payloadB) = (p.typeA, p.counterA, p.predecessorA, p.payloadA);
        }
        uint256 id = _register(alice, ALICE_CARD, keccak256("device"), MIN_STAKE, registered);
        IIdentityGateway.CardMessage memory a = _message(ALICE_CARD, p.typeA, p.counterA, p.predecessorA, p.payloadA);
        IIdentityGateway.CardMessage memory b = _message(ALICE_CARD, p.typeB, p.counterB, p.predecessorB, p.payloadB);
        bool frozen = _expectCloneOutcome(p);
        gateway.reportClone(id, _cardRef(ALICE_CARD, keccak256("device")), a, b);

        assertEq(uint256(registry.statusOf(id)), uint256(frozen ? 2 : 1));
        uint64 highest = registered;
        if (frozen && p.counterA > highest) highest = p.counterA;
        if (frozen && p.counterB > highest) highest = p.counterB;
        assertEq(registry.identity(id).counter, highest);
        assertEq(manufacturers.totalActiveDevices(), frozen ? 0 : 1);
    }

    /// @dev Arms `expectRevert` for the report of `p` unless it shows a clone; returns whether it does.
    function _expectCloneOutcome(Pair memory p) private returns (bool) {
        bool same = p.typeA == p.typeB && p.counterA == p.counterB && p.predecessorA == p.predecessorB
            && p.payloadA == p.payloadB;
        bool conflict = p.counterA == p.counterB || p.predecessorA == p.predecessorB;
        if (same) vm.expectRevert(IIdentityGateway.IdentityGateway__SameMessage.selector);
        else if (!conflict) vm.expectRevert(IIdentityGateway.IdentityGateway__NoConflict.selector);
        return !same && conflict;
    }

    // ----------------------------------------------------------------- governance

    function testFuzz_resolveClone_slashesTheWholeStake(uint256 stake, bool slash, bytes32 otherDevice) public {
        stake = bound(stake, MIN_STAKE, SUPPLY_CAP - 2 * BOND);
        bytes32 device = keccak256("device");
        vm.assume(otherDevice != device);
        uint256 id = _register(alice, ALICE_CARD, device, stake, 1);
        IIdentityGateway.CardMessage memory a = _message(ALICE_CARD, HEARTBEAT, 2, keccak256("p"), keccak256("a"));
        IIdentityGateway.CardMessage memory b = _message(ALICE_CARD, HEARTBEAT, 2, keccak256("p"), keccak256("b"));
        gateway.reportClone(id, _cardRef(ALICE_CARD, device), a, b);
        IIdentityRegistry.CloneResolution resolution =
            slash ? IIdentityRegistry.CloneResolution.SlashAndRetire : IIdentityRegistry.CloneResolution.Unfreeze;
        // Only with the identity's own device.
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistry__CardMismatch.selector, id, otherDevice)
        );
        vm.prank(gov);
        registry.resolveClone(id, otherDevice, resolution);
        vm.prank(gov);
        registry.resolveClone(id, device, resolution);
        assertEq(token.balanceOf(treasury), slash ? stake : 0);
        assertEq(registry.totalStake(), slash ? 0 : stake);
        assertEq(token.balanceOf(address(registry)), slash ? 0 : stake);
        (uint256 deviceId, uint256 left, bytes16 keyHash) = registry.device(device);
        assertEq(deviceId, id); // the device stays taken
        assertEq(left, slash ? 0 : stake);
        assertEq(keyHash, _keyHash(ALICE_CARD));
        assertEq(manufacturers.totalActiveDevices(), slash ? 0 : 1);
        assertEq(manufacturers.manufacturer(1).compromisedDevices, slash ? 1 : 0);
    }

    function testFuzz_revokeSigner_onlyTheHoldersOwnKeys(address caller, bytes32 signerKey) public {
        vm.assume(signerKey != bytes32(0) && caller != alice);
        uint256 id = _register(alice, ALICE_CARD, keccak256("device"), MIN_STAKE, 1);
        _register(bob, BOB_CARD, keccak256("device 2"), MIN_STAKE, 1);
        _authorize(id, ALICE_CARD, ALICE_CARD, keccak256("device"), signerKey, 2);
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistry__NotIdentityOwner.selector, id, caller)
        );
        vm.prank(caller);
        gateway.revokeSigner(signerKey);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.IdentityRegistry__NotIdentityOwner.selector, id, bob));
        vm.prank(bob);
        gateway.revokeSigner(signerKey);
        vm.prank(alice);
        gateway.revokeSigner(signerKey);
        (uint256 owner, IIdentityRegistry.SignerStatus status) = registry.signer(signerKey);
        assertEq(owner, id);
        assertEq(uint256(status), uint256(IIdentityRegistry.SignerStatus.Revoked));
    }
}

/// @notice Drives the identity contracts through registrations (new and reused devices, three
///         manufacturers, the share cap), signer authorizations and revocations, stale replays,
///         clone reports and their resolution, with ghost state. Inputs are bounded to valid
///         calls, so with `fail_on_revert` any unexpected revert is a bug; calls that must fail
///         are tried and their error checked.
contract IdentityHandler is IdentitySetup {
    /// @notice A call that had to fail went through, or failed for another reason.
    error UnexpectedOutcome(string what);

    uint256[3] private _mfrKeys = [MFR_KEY, 0xA77E58, 0xA77E59];
    uint256[] public ids;
    bytes32[] public devices;
    mapping(uint256 id => uint256) public cardKeyOf;
    mapping(uint256 id => bytes32) public deviceOf;
    mapping(uint256 id => address) public ghostOwner;
    mapping(uint256 id => uint64) public cardCounter; // the card's own counter (≥ what the chain saw)
    mapping(uint256 id => uint64) public ghostCounter; // the highest counter the chain saw
    mapping(uint256 id => uint256) public ghostStake;
    mapping(uint256 id => uint256) public ghostSigners;
    mapping(uint256 id => uint256) public ghostManufacturer;
    mapping(uint256 id => bytes32[]) private _keys;
    uint256 public ghostTotalStake;
    uint256 public ghostSlashed;
    uint256 private _nonce;

    constructor() {
        _deploy();
        _approveManufacturer(_mfrKeys[1]);
        _approveManufacturer(_mfrKeys[2]);
    }

    function idCount() external view returns (uint256) {
        return ids.length;
    }

    function deviceCount() external view returns (uint256) {
        return devices.length;
    }

    function targets() external view returns (IdentityRegistry, ManufacturerRegistry, MoltToken) {
        return (registry, manufacturers, token);
    }

    function _pick(uint256 seed) private view returns (uint256) {
        return ids[seed % ids.length];
    }

    function _status(uint256 id) private view returns (IIdentityRegistry.IdentityStatus) {
        return registry.statusOf(id);
    }

    function register(uint256 mfrSeed, uint256 stake, uint64 counter) external {
        uint256 mfr = mfrSeed % 3 + 1;
        stake = bound(stake, MIN_STAKE, 10_000 * MOLT);
        counter = uint64(bound(counter, 0, type(uint32).max));
        bool allowed = _capAllows(mfr);
        uint256 nonce = ++_nonce;
        try this.registerNew(mfr, nonce, stake, counter) returns (uint256 id) {
            if (!allowed) revert UnexpectedOutcome("registration above the share cap");
            ids.push(id);
            devices.push(_device(nonce));
            deviceOf[id] = _device(nonce);
            ghostOwner[id] = _owner(nonce);
            cardKeyOf[id] = _card(nonce);
            cardCounter[id] = counter;
            ghostCounter[id] = counter;
            ghostStake[id] = stake;
            ghostManufacturer[id] = mfr;
            ghostTotalStake += stake;
        } catch (bytes memory reason) {
            if (allowed) revert UnexpectedOutcome("registration below the share cap refused");
            if (bytes4(reason) != IManufacturerRegistry.ManufacturerRegistry__DeviceShareCapExceeded.selector) {
                revert UnexpectedOutcome("share cap refusal with another error");
            }
        }
    }

    /// @dev §5.5 step 5e, computed here as 5 × share < 2 (the contract uses percent).
    function _capAllows(uint256 mfr) private view returns (bool) {
        uint256 devicesAfter = manufacturers.activeDevices(mfr) + 1;
        uint256 totalAfter = manufacturers.totalActiveDevices() + 1;
        return !manufacturers.deviceShareCapActive() || 5 * devicesAfter < 2 * totalAfter;
    }

    function _card(uint256 nonce) private pure returns (uint256) {
        return uint256(keccak256(abi.encode("card", nonce))) % (P256.N - 1) + 1;
    }

    function _device(uint256 nonce) private pure returns (bytes32) {
        return keccak256(abi.encode("device", nonce));
    }

    /// @dev Five owner wallets, so that owners come to hold several identities.
    function _owner(uint256 nonce) private pure returns (address) {
        return address(uint160(0xA0000 + nonce % 5));
    }

    /// @dev What the registry must hold as `id`'s card key hash, computed here.
    function keyHashOf(uint256 id) external view returns (bytes16) {
        return _keyHash(cardKeyOf[id]);
    }

    /// @dev External so the handler can catch a refusal.
    function registerNew(uint256 mfr, uint256 nonce, uint256 stake, uint64 counter) external returns (uint256) {
        return _registerWith(mfr, _mfrKeys[mfr - 1], _owner(nonce), _card(nonce), _device(nonce), stake, counter);
    }

    /// @dev External so the handler can catch a refusal.
    function registerAs(address owner, uint256 cardKey, bytes32 device) external returns (uint256) {
        return _registerWith(1, MFR_KEY, owner, cardKey, device, MIN_STAKE, 1);
    }

    /// @dev A second registration of a device already registered must fail, whoever tries.
    function reuseDevice(uint256 seed) external {
        if (devices.length == 0) return;
        bytes32 device = devices[seed % devices.length];
        uint256 nonce = ++_nonce;
        try this.registerAs(address(uint160(0xB0000 + nonce)), _card(nonce), device) {
            revert UnexpectedOutcome("a device registered twice");
        } catch (bytes memory reason) {
            if (bytes4(reason) != IIdentityRegistry.IdentityRegistry__DeviceAlreadyRegistered.selector) {
                revert UnexpectedOutcome("device reuse refused with another error");
            }
        }
    }

    function authorize(uint256 seed, uint64 skip) external {
        if (ids.length == 0) return;
        uint256 id = _pick(seed);
        if (_status(id) != IIdentityRegistry.IdentityStatus.Active || ghostSigners[id] == MAX_SIGNERS) return;
        uint64 counter = cardCounter[id] + 1 + uint64(bound(skip, 0, 5)); // skipped ones were signed off chain
        bytes32 signerKey = keccak256(abi.encode("signer", ++_nonce));
        _authorize(id, cardKeyOf[id], cardKeyOf[id], deviceOf[id], signerKey, counter);
        cardCounter[id] = counter;
        ghostCounter[id] = counter;
        _keys[id].push(signerKey);
        ++ghostSigners[id];
    }

    /// @dev A message with a counter the chain has seen must be refused (§5.4).
    function replay(uint256 seed, uint64 back) external {
        if (ids.length == 0) return;
        uint256 id = _pick(seed);
        if (_status(id) != IIdentityRegistry.IdentityStatus.Active) return;
        uint64 counter = ghostCounter[id] - uint64(bound(back, 0, ghostCounter[id]));
        try this.authorizeAs(
            id, cardKeyOf[id], cardKeyOf[id], deviceOf[id], keccak256(abi.encode("replay", ++_nonce)), counter
        ) {
            revert UnexpectedOutcome("a stale counter was accepted");
        } catch (bytes memory reason) {
            if (bytes4(reason) != IIdentityRegistry.IdentityRegistry__StaleCounter.selector) {
                revert UnexpectedOutcome("stale counter refused with another error");
            }
        }
    }

    function authorizeAs(uint256 id, uint256 cardKey, uint256 refKey, bytes32 device, bytes32 signerKey, uint64 counter)
        external
    {
        _authorize(id, cardKey, refKey, device, signerKey, counter);
    }

    /// @dev A card-signed call whose signature verifies but whose CardRef is not the identity's
    ///      (another identity's device and card, or this card with another's device, or another
    ///      card with this device) must be refused with CardMismatch, and change nothing.
    function mismatch(uint256 seed, uint256 otherSeed, uint8 kind) external {
        if (ids.length < 2) return;
        uint256 id = _pick(seed);
        uint256 other = _pick(otherSeed);
        if (other == id || _status(id) != IIdentityRegistry.IdentityStatus.Active) return;
        kind %= 3;
        uint256 cardKey = kind == 1 ? cardKeyOf[id] : cardKeyOf[other];
        bytes32 device = kind == 2 ? deviceOf[id] : deviceOf[other];
        uint64 counter = cardCounter[id] + 1;
        try this.authorizeAs(id, cardKey, cardKey, device, keccak256(abi.encode("mismatch", ++_nonce)), counter) {
            revert UnexpectedOutcome("a card-signed call with another identity's card was accepted");
        } catch (bytes memory reason) {
            if (
                keccak256(reason)
                    != keccak256(
                        abi.encodeWithSelector(IIdentityRegistry.IdentityRegistry__CardMismatch.selector, id, device)
                    )
            ) {
                revert UnexpectedOutcome("card mismatch refused with another error");
            }
        }
    }

    function revokeByOwner(uint256 seed, uint256 keySeed) external {
        if (ids.length == 0) return;
        uint256 id = _pick(seed);
        bytes32[] storage keys = _keys[id];
        if (keys.length == 0 || _status(id) == IIdentityRegistry.IdentityStatus.Retired) return;
        uint256 i = keySeed % keys.length;
        bytes32 key = keys[i];
        vm.prank(registry.identity(id).owner);
        gateway.revokeSigner(key);
        keys[i] = keys[keys.length - 1];
        keys.pop();
        --ghostSigners[id];
    }

    function revokeByCard(uint256 seed, uint256 keySeed) external {
        if (ids.length == 0) return;
        uint256 id = _pick(seed);
        bytes32[] storage keys = _keys[id];
        if (keys.length == 0 || _status(id) == IIdentityRegistry.IdentityStatus.Retired) return;
        uint256 i = keySeed % keys.length;
        bytes32 key = keys[i];
        uint64 counter = cardCounter[id] + 1;
        uint256 deadline = block.timestamp + 1 hours;
        IIdentityGateway.CardSignature memory sig =
            _cardSig(cardKeyOf[id], REVOKE, counter, bytes32(0), gateway.signerPayloadHash(id, key, deadline));
        gateway.revokeSignerWithCard(id, _cardRef(cardKeyOf[id], deviceOf[id]), key, deadline, sig);
        cardCounter[id] = counter;
        ghostCounter[id] = counter;
        keys[i] = keys[keys.length - 1];
        keys.pop();
        --ghostSigners[id];
    }

    /// @dev The card and a clone of it each sign a message with the next counter, or a clone
    ///      runs ahead from the same predecessor.
    function reportClone(uint256 seed, bool samePredecessor, uint64 ahead) external {
        if (ids.length == 0) return;
        uint256 id = _pick(seed);
        if (_status(id) != IIdentityRegistry.IdentityStatus.Active) return;
        uint64 c = cardCounter[id] + 1;
        uint64 cloneCounter = samePredecessor ? c + uint64(bound(ahead, 1, 1000)) : c;
        IIdentityGateway.CardMessage memory a =
            _message(cardKeyOf[id], HEARTBEAT, c, bytes32(uint256(c - 1)), keccak256("a"));
        IIdentityGateway.CardMessage memory b =
            _message(cardKeyOf[id], HEARTBEAT, cloneCounter, bytes32(uint256(c - 1)), keccak256("b"));
        gateway.reportClone(id, _cardRef(cardKeyOf[id], deviceOf[id]), a, b);
        cardCounter[id] = cloneCounter;
        ghostCounter[id] = cloneCounter;
    }

    function resolve(uint256 seed, bool slash) external {
        if (ids.length == 0) return;
        uint256 id = _pick(seed);
        if (_status(id) != IIdentityRegistry.IdentityStatus.Frozen) return;
        vm.prank(gov);
        registry.resolveClone(
            id,
            deviceOf[id],
            slash ? IIdentityRegistry.CloneResolution.SlashAndRetire : IIdentityRegistry.CloneResolution.Unfreeze
        );
        if (slash) {
            ghostTotalStake -= ghostStake[id];
            ghostSlashed += ghostStake[id];
            ghostStake[id] = 0;
        }
    }

    function switchCapOn() external {
        if (manufacturers.deviceShareCapActive()) return;
        vm.prank(gov);
        manufacturers.activateDeviceShareCap();
    }
}

contract IdentityRegistryInvariantTest is Test {
    IdentityHandler private handler;
    IdentityRegistry private registry;
    ManufacturerRegistry private manufacturers;
    MoltToken private token;

    function setUp() public {
        handler = new IdentityHandler();
        (registry, manufacturers, token) = handler.targets();
        bytes4[] memory selectors = new bytes4[](11);
        selectors[0] = IdentityHandler.register.selector;
        selectors[1] = IdentityHandler.reuseDevice.selector;
        selectors[2] = IdentityHandler.authorize.selector;
        selectors[3] = IdentityHandler.replay.selector;
        selectors[4] = IdentityHandler.revokeByOwner.selector;
        selectors[5] = IdentityHandler.revokeByCard.selector;
        selectors[6] = IdentityHandler.reportClone.selector;
        selectors[7] = IdentityHandler.resolve.selector;
        selectors[8] = IdentityHandler.switchCapOn.selector;
        selectors[9] = IdentityHandler.register.selector; // registrations twice as likely
        selectors[10] = IdentityHandler.mismatch.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @dev No two identities share a device id hash, and every device maps back to its identity
    ///      with its card's key hash; every identity keeps the owner that registered it (owners
    ///      hold several).
    function invariant_deviceIdHashesAreUnique() public view {
        assertEq(registry.identityCount(), handler.idCount());
        assertEq(handler.deviceCount(), handler.idCount());
        for (uint256 i = 0; i < handler.deviceCount(); ++i) {
            uint256 id = handler.ids(i);
            assertEq(id, i + 1);
            assertEq(registry.identityByDevice(handler.devices(i)), id);
            (uint256 deviceId,, bytes16 keyHash) = registry.device(handler.devices(i));
            assertEq(deviceId, id);
            assertEq(keyHash, handler.keyHashOf(id));
            assertEq(registry.ownerOf(id), handler.ghostOwner(id));
            for (uint256 j = 0; j < i; ++j) {
                assertTrue(handler.devices(j) != handler.devices(i));
            }
        }
    }

    /// @dev Escrowed stake = sum of identity stakes = what the registry holds.
    function invariant_escrowEqualsSumOfStakes() public view {
        uint256 sum;
        for (uint256 i = 0; i < handler.idCount(); ++i) {
            uint256 id = handler.ids(i);
            (, uint256 stake,) = registry.device(handler.deviceOf(id));
            assertEq(stake, handler.ghostStake(id));
            sum += stake;
        }
        assertEq(sum, handler.ghostTotalStake());
        assertEq(registry.totalStake(), sum);
        assertEq(token.balanceOf(address(registry)), sum);
        assertEq(token.balanceOf(address(0x7EA5)), handler.ghostSlashed());
    }

    /// @dev The counter on chain is the highest any accepted message or evidence carried; the
    ///      handler only ever raises its ghost, so the chain's never decreased.
    function invariant_countersNeverDecrease() public view {
        for (uint256 i = 0; i < handler.idCount(); ++i) {
            uint256 id = handler.ids(i);
            assertEq(registry.identity(id).counter, handler.ghostCounter(id));
            assertLe(handler.ghostCounter(id), handler.cardCounter(id));
        }
    }

    /// @dev Device counts follow identity statuses; signer counts follow authorizations.
    function invariant_countsMatchStatuses() public view {
        uint256[4] memory active;
        for (uint256 i = 0; i < handler.idCount(); ++i) {
            uint256 id = handler.ids(i);
            IIdentityRegistry.Identity memory record = registry.identity(id);
            assertEq(record.signerCount, handler.ghostSigners(id));
            assertEq(record.manufacturerId, handler.ghostManufacturer(id));
            if (record.status == IIdentityRegistry.IdentityStatus.Active) ++active[record.manufacturerId];
        }
        for (uint256 m = 1; m <= 3; ++m) {
            assertEq(manufacturers.activeDevices(m), active[m]);
        }
        assertEq(manufacturers.totalActiveDevices(), active[1] + active[2] + active[3]);
    }
}
