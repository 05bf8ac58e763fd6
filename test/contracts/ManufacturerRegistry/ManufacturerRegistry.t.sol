// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";

import {ManufacturerRegistry} from "../../../contracts/identity/ManufacturerRegistry.sol";
import {IManufacturerRegistry} from "../../../contracts/interfaces/IManufacturerRegistry.sol";
import {MoltRoles} from "../../../contracts/libraries/MoltRoles.sol";
import {MoltToken} from "../../../contracts/token/MoltToken.sol";
import {Test, TestBase} from "../utils/Test.sol";

// The numbers of §5.7 and §17.2, written out here rather than read from MoltConstants so that a
// wrong constant fails these tests.
uint256 constant MOLT = 1e6;
uint256 constant BOND = 1_000_000 * MOLT;
uint256 constant THREE_YEARS = 3 * 365 days;
uint256 constant RELEASE_DELAY = 180 days;
uint256 constant CAP_FROM_DEVICES = 10_000;
uint256 constant START = 1_800_000_000; // a 2027 timestamp

/// @notice Deploys a token and a ManufacturerRegistry whose "identity registry" is a plain
///         address, so tests drive the device hooks directly (no signatures needed).
abstract contract ManufacturerSetup is TestBase {
    MoltToken internal token;
    ManufacturerRegistry internal registry;
    address internal gov = address(0x6011);
    address internal hooks = address(0x1D1D);
    address internal treasury = address(0x7EA5);
    address internal payer = address(0xB0B0);

    function _deploy() internal {
        vm.warp(START);
        token = new MoltToken(gov);
        registry = new ManufacturerRegistry(IERC20(address(token)), gov, treasury);
        vm.startPrank(gov);
        token.grantRole(token.MINTER_ROLE(), gov);
        registry.grantRole(MoltRoles.GOVERNANCE_ROLE, gov);
        registry.setIdentityRegistry(hooks);
        vm.stopPrank();
    }

    function _params(uint256 keySeed) internal view returns (IManufacturerRegistry.ManufacturerParams memory p) {
        (uint256 x, uint256 y) = vm.publicKeyP256(bound(keySeed, 1, P256.N - 1));
        p = IManufacturerRegistry.ManufacturerParams({
            name: "M",
            attestationKeyX: bytes32(x),
            attestationKeyY: bytes32(y),
            operatingSince: uint64(START - THREE_YEARS - 1),
            beneficialOwnershipHash: keccak256(abi.encode(keySeed)),
            bondPayer: payer
        });
    }

    /// @dev Approves a manufacturer with the attestation key of `keySeed`, paid by `payer`.
    function _approve(uint256 keySeed) internal returns (uint256 id) {
        vm.prank(gov);
        token.mint(payer, BOND);
        vm.prank(payer);
        token.approve(address(registry), BOND);
        IManufacturerRegistry.ManufacturerParams memory p = _params(keySeed);
        vm.prank(gov);
        id = registry.approveManufacturer(p);
    }

    function _registerDevices(uint256 id, uint256 count) internal {
        vm.startPrank(hooks);
        for (uint256 i = 0; i < count; ++i) {
            registry.noteRegistration(id);
        }
        vm.stopPrank();
    }
}

contract ManufacturerRegistryTest is Test, ManufacturerSetup {
    function setUp() public {
        _deploy();
    }

    // ----------------------------------------------------------------- approval

    function testFuzz_approveManufacturer_needsMoreThanThreeYears(uint64 operatingSince) public {
        IManufacturerRegistry.ManufacturerParams memory p = _params(7);
        p.operatingSince = operatingSince;
        vm.prank(gov);
        token.mint(payer, BOND);
        vm.prank(payer);
        token.approve(address(registry), BOND);
        uint256 requiredBefore = START - THREE_YEARS;
        if (operatingSince >= requiredBefore) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IManufacturerRegistry.ManufacturerRegistry__InsufficientOperatingHistory.selector,
                    operatingSince,
                    requiredBefore
                )
            );
        }
        vm.prank(gov);
        registry.approveManufacturer(p);
        assertEq(registry.manufacturerCount(), operatingSince >= requiredBefore ? 0 : 1);
    }

    function testFuzz_approveManufacturer_rejectsPointsOffTheCurve(bytes32 x, bytes32 y) public {
        vm.assume(!P256.isValidPublicKey(x, y));
        IManufacturerRegistry.ManufacturerParams memory p = _params(7);
        p.attestationKeyX = x;
        p.attestationKeyY = y;
        vm.expectRevert(
            abi.encodeWithSelector(IManufacturerRegistry.ManufacturerRegistry__InvalidAttestationKey.selector, x, y)
        );
        vm.prank(gov);
        registry.approveManufacturer(p);
    }

    function testFuzz_approveManufacturer_pullsTheBondOnce(uint256 keySeed) public {
        uint256 id = _approve(keySeed);
        assertEq(id, 1);
        assertEq(token.balanceOf(address(registry)), BOND);
        assertEq(registry.manufacturer(id).bond, BOND);
        // The same key never again.
        vm.prank(gov);
        token.mint(payer, BOND);
        vm.prank(payer);
        token.approve(address(registry), BOND);
        IManufacturerRegistry.ManufacturerParams memory p = _params(keySeed);
        vm.expectRevert(
            abi.encodeWithSelector(IManufacturerRegistry.ManufacturerRegistry__AttestationKeyUsed.selector, id)
        );
        vm.prank(gov);
        registry.approveManufacturer(p);
    }

    function testFuzz_approveManufacturer_onlyGovernance(address caller) public {
        vm.assume(caller != gov);
        IManufacturerRegistry.ManufacturerParams memory p = _params(7);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, caller, MoltRoles.GOVERNANCE_ROLE
            )
        );
        vm.prank(caller);
        registry.approveManufacturer(p);
    }

    function testFuzz_approveFirmware_onlyKnownHardwareTypes(uint8 hardwareType, bytes32 firmwareHash) public {
        vm.assume(firmwareHash != bytes32(0));
        uint256 id = _approve(7);
        bool known = hardwareType == 1 || hardwareType == 2;
        if (!known) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IManufacturerRegistry.ManufacturerRegistry__InvalidHardwareType.selector, hardwareType
                )
            );
        }
        vm.prank(gov);
        registry.approveFirmware(id, firmwareHash, hardwareType);
        assertEq(registry.firmwareHardwareType(id, firmwareHash), known ? hardwareType : 0);
    }

    // ----------------------------------------------------------------- share cap (§5.5 5e, §17.2)

    /// @dev Once the cap binds, a registration goes through iff its manufacturer ends strictly below
    ///      40 %: 5 × (mine + 1) < 2 × (total + 1), a formula other than the contract's.
    function testFuzz_noteRegistration_capsEachManufacturerBelowFortyPercent(uint256 mine, uint256 others, bool capOn)
        public
    {
        mine = bound(mine, 0, 40);
        others = bound(others, 0, 40);
        uint256 me = _approve(1);
        uint256 other = _approve(2);
        _registerDevices(me, mine);
        _registerDevices(other, others);
        if (capOn) {
            vm.prank(gov);
            registry.activateDeviceShareCap();
        }
        uint256 total = mine + others;
        bool allowed = !capOn || 5 * (mine + 1) < 2 * (total + 1);
        if (!allowed) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IManufacturerRegistry.ManufacturerRegistry__DeviceShareCapExceeded.selector, me, mine + 1, total + 1
                )
            );
        }
        vm.prank(hooks);
        registry.noteRegistration(me);
        assertEq(registry.activeDevices(me), allowed ? mine + 1 : mine);
        assertEq(registry.totalActiveDevices(), allowed ? total + 1 : total);
    }

    /// @dev The bootstrap exemption: one manufacturer registers 9,999 devices (100 %); the
    ///      10,000th active device is capped, and the cap then binds for good.
    function test_noteRegistration_capBindsFromTheTenThousandthDevice() public {
        uint256 first = _approve(1);
        uint256 second = _approve(2);
        _registerDevices(first, CAP_FROM_DEVICES - 1);
        assertFalse(registry.deviceShareCapActive());

        vm.expectRevert(
            abi.encodeWithSelector(
                IManufacturerRegistry.ManufacturerRegistry__DeviceShareCapExceeded.selector,
                first,
                CAP_FROM_DEVICES,
                CAP_FROM_DEVICES
            )
        );
        vm.prank(hooks);
        registry.noteRegistration(first);
        assertFalse(registry.deviceShareCapActive());

        vm.expectEmit(true, true, true, true, address(registry));
        emit IManufacturerRegistry.DeviceShareCapActivated(false, CAP_FROM_DEVICES);
        vm.prank(hooks);
        registry.noteRegistration(second);
        assertTrue(registry.deviceShareCapActive());

        // Falling back below the threshold does not reopen the exemption.
        vm.startPrank(hooks);
        registry.noteFreeze(second);
        registry.noteFreeze(first);
        vm.stopPrank();
        assertEq(registry.totalActiveDevices(), CAP_FROM_DEVICES - 2);
        assertTrue(registry.deviceShareCapActive());
        vm.expectRevert();
        vm.prank(hooks);
        registry.noteRegistration(first);
    }

    function testFuzz_noteHooks_onlyTheIdentityRegistry(address caller, uint8 which) public {
        vm.assume(caller != hooks);
        uint256 id = _approve(1);
        vm.expectRevert(
            abi.encodeWithSelector(IManufacturerRegistry.ManufacturerRegistry__NotIdentityRegistry.selector, caller)
        );
        vm.prank(caller);
        which %= 4;
        if (which == 0) registry.noteRegistration(id);
        else if (which == 1) registry.noteFreeze(id);
        else if (which == 2) registry.noteUnfreeze(id);
        else registry.noteCompromise(id);
    }

    // ----------------------------------------------------------------- bond

    function _compromise(uint256 id) private {
        vm.startPrank(hooks);
        registry.noteRegistration(id);
        registry.noteFreeze(id);
        registry.noteCompromise(id);
        vm.stopPrank();
    }

    function testFuzz_slashBond_upToTheBond(uint256 amount) public {
        uint256 id = _approve(1);
        _compromise(id);
        amount = bound(amount, 1, BOND * 2);
        if (amount > BOND) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IManufacturerRegistry.ManufacturerRegistry__SlashExceedsBond.selector, id, amount, BOND
                )
            );
        }
        vm.prank(gov);
        registry.slashBond(id, amount);
        uint256 slashed = amount > BOND ? 0 : amount;
        assertEq(token.balanceOf(treasury), slashed);
        assertEq(registry.manufacturer(id).bond, BOND - slashed);
        assertEq(token.balanceOf(address(registry)), BOND - slashed);
    }

    function testFuzz_topUpBond_restoresCertification(uint256 slashed, uint256 topUp) public {
        uint256 id = _approve(1);
        vm.prank(gov);
        registry.approveFirmware(id, bytes32(uint256(1)), 1);
        _compromise(id);
        slashed = bound(slashed, 1, BOND);
        topUp = bound(topUp, 1, 2 * BOND);
        vm.prank(gov);
        registry.slashBond(id, slashed);
        vm.prank(gov);
        token.mint(address(this), topUp);
        token.approve(address(registry), topUp);
        registry.topUpBond(id, topUp);
        uint256 bond = BOND - slashed + topUp;
        assertEq(registry.manufacturer(id).bond, bond);
        assertEq(token.balanceOf(address(registry)), bond);
        if (bond < BOND) {
            vm.expectRevert(
                abi.encodeWithSelector(IManufacturerRegistry.ManufacturerRegistry__BondTooLow.selector, id, bond, BOND)
            );
        }
        registry.certificationKey(id, bytes32(uint256(1)), 1);
    }

    function testFuzz_releaseBond_onlyAfterTheDelay(uint256 wait) public {
        uint256 id = _approve(1);
        vm.prank(gov);
        registry.removeManufacturer(id);
        wait = bound(wait, 0, 2 * RELEASE_DELAY);
        vm.warp(START + wait);
        if (wait < RELEASE_DELAY) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IManufacturerRegistry.ManufacturerRegistry__BondLocked.selector, id, START + RELEASE_DELAY
                )
            );
        }
        registry.releaseBond(id);
        assertEq(token.balanceOf(payer), wait < RELEASE_DELAY ? 0 : BOND);
    }
}

/// @notice Drives a ManufacturerRegistry through approvals, removals, device hooks, slashes,
///         top-ups and releases, with ghost sums. Inputs are bounded to valid calls, so with
///         `fail_on_revert` any revert is a bug — except registrations, which the share cap may
///         refuse; those are tried, and a refusal is checked against the 40 % rule.
contract ManufacturerHandler is ManufacturerSetup {
    /// @notice A registration the cap should have refused went through, or the reverse.
    error CapRuleBroken(uint256 id, uint256 devicesAfter, uint256 totalAfter, bool capActive);

    uint256[] public ids;
    mapping(uint256 id => uint256) public ghostActive;
    mapping(uint256 id => uint256) public ghostDisputes;
    mapping(uint256 id => uint256) public ghostCompromised;
    mapping(uint256 id => uint256) public ghostBond;
    uint256 public ghostBondsHeld;
    uint256 public ghostSlashed;
    uint256 public ghostReleased;
    uint256 public capRefusals;
    bool public ghostCapSeen;
    uint256 private _nextKey = 1;

    constructor() {
        _deploy();
    }

    function idCount() external view returns (uint256) {
        return ids.length;
    }

    function targets() external view returns (ManufacturerRegistry, MoltToken) {
        return (registry, token);
    }

    function _pick(uint256 seed) private view returns (uint256) {
        return ids[seed % ids.length];
    }

    function approve() external {
        if (ids.length >= 6) return;
        uint256 id = _approve(_nextKey++);
        ids.push(id);
        ghostBond[id] = BOND;
        ghostBondsHeld += BOND;
    }

    function register(uint256 seed) external {
        if (ids.length == 0) return;
        uint256 id = _pick(seed);
        IManufacturerRegistry.Manufacturer memory m = registry.manufacturer(id);
        if (m.status != IManufacturerRegistry.ManufacturerStatus.Approved || m.bond < BOND) return;
        uint256 devicesAfter = m.activeDevices + 1;
        uint256 totalAfter = registry.totalActiveDevices() + 1;
        bool capActive = registry.deviceShareCapActive() || totalAfter >= CAP_FROM_DEVICES;
        bool allowed = !capActive || 5 * devicesAfter < 2 * totalAfter;
        vm.prank(hooks);
        try registry.noteRegistration(id) {
            if (!allowed) revert CapRuleBroken(id, devicesAfter, totalAfter, capActive);
            ghostActive[id] += 1;
            if (capActive) ghostCapSeen = true;
        } catch {
            if (allowed) revert CapRuleBroken(id, devicesAfter, totalAfter, capActive);
            capRefusals += 1;
        }
    }

    function freeze(uint256 seed) external {
        if (ids.length == 0) return;
        uint256 id = _pick(seed);
        if (ghostActive[id] == 0) return;
        vm.prank(hooks);
        registry.noteFreeze(id);
        ghostActive[id] -= 1;
        ghostDisputes[id] += 1;
    }

    function resolve(uint256 seed, bool compromised) external {
        if (ids.length == 0) return;
        uint256 id = _pick(seed);
        if (ghostDisputes[id] == 0) return;
        vm.prank(hooks);
        if (compromised) {
            registry.noteCompromise(id);
            ghostCompromised[id] += 1;
        } else {
            registry.noteUnfreeze(id);
            ghostActive[id] += 1;
        }
        ghostDisputes[id] -= 1;
    }

    function slash(uint256 seed, uint256 amount) external {
        if (ids.length == 0) return;
        uint256 id = _pick(seed);
        if (ghostCompromised[id] == 0 || ghostBond[id] == 0) return;
        amount = bound(amount, 1, ghostBond[id]);
        vm.prank(gov);
        registry.slashBond(id, amount);
        ghostBond[id] -= amount;
        ghostBondsHeld -= amount;
        ghostSlashed += amount;
    }

    function topUp(uint256 seed, uint256 amount) external {
        if (ids.length == 0) return;
        uint256 id = _pick(seed);
        if (registry.manufacturer(id).status == IManufacturerRegistry.ManufacturerStatus.Removed) return;
        amount = bound(amount, 1, BOND);
        vm.prank(gov);
        token.mint(address(this), amount);
        token.approve(address(registry), amount);
        registry.topUpBond(id, amount);
        ghostBond[id] += amount;
        ghostBondsHeld += amount;
    }

    function remove(uint256 seed) external {
        if (ids.length == 0) return;
        uint256 id = _pick(seed);
        if (registry.manufacturer(id).status == IManufacturerRegistry.ManufacturerStatus.Removed) return;
        vm.prank(gov);
        registry.removeManufacturer(id);
    }

    function release(uint256 seed) external {
        if (ids.length == 0) return;
        uint256 id = _pick(seed);
        IManufacturerRegistry.Manufacturer memory m = registry.manufacturer(id);
        if (m.status != IManufacturerRegistry.ManufacturerStatus.Removed || m.openDisputes != 0 || m.bond == 0) {
            return;
        }
        vm.warp(block.timestamp > m.bondReleaseAt ? block.timestamp : m.bondReleaseAt);
        registry.releaseBond(id);
        ghostBondsHeld -= ghostBond[id];
        ghostReleased += ghostBond[id];
        ghostBond[id] = 0;
    }

    function switchCapOn() external {
        if (registry.deviceShareCapActive()) return;
        vm.prank(gov);
        registry.activateDeviceShareCap();
        ghostCapSeen = true;
    }
}

contract ManufacturerRegistryInvariantTest is Test {
    ManufacturerHandler private handler;
    ManufacturerRegistry private registry;
    MoltToken private token;

    function setUp() public {
        handler = new ManufacturerHandler();
        (registry, token) = handler.targets();
        bytes4[] memory selectors = new bytes4[](9);
        selectors[0] = ManufacturerHandler.approve.selector;
        selectors[1] = ManufacturerHandler.register.selector;
        selectors[2] = ManufacturerHandler.freeze.selector;
        selectors[3] = ManufacturerHandler.resolve.selector;
        selectors[4] = ManufacturerHandler.slash.selector;
        selectors[5] = ManufacturerHandler.topUp.selector;
        selectors[6] = ManufacturerHandler.remove.selector;
        selectors[7] = ManufacturerHandler.release.selector;
        selectors[8] = ManufacturerHandler.switchCapOn.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @dev The registry holds exactly the bonds it has not slashed or released.
    function invariant_bondsHeldEqualSumOfBonds() public view {
        uint256 sum;
        for (uint256 i = 0; i < handler.idCount(); ++i) {
            uint256 id = handler.ids(i);
            assertEq(registry.manufacturer(id).bond, handler.ghostBond(id));
            sum += handler.ghostBond(id);
        }
        assertEq(sum, handler.ghostBondsHeld());
        assertEq(token.balanceOf(address(registry)), sum);
        assertEq(token.balanceOf(address(0x7EA5)), handler.ghostSlashed());
    }

    /// @dev Device counts and the §17.2 phase counters follow the hooks exactly.
    function invariant_countsMatchTheDeviceEvents() public view {
        uint256 total;
        uint256 withDevices;
        uint256 live;
        for (uint256 i = 0; i < handler.idCount(); ++i) {
            uint256 id = handler.ids(i);
            IManufacturerRegistry.Manufacturer memory m = registry.manufacturer(id);
            assertEq(m.activeDevices, handler.ghostActive(id));
            assertEq(m.openDisputes, handler.ghostDisputes(id));
            assertEq(m.compromisedDevices, handler.ghostCompromised(id));
            total += m.activeDevices;
            if (m.activeDevices > 0) ++withDevices;
            if (m.status != IManufacturerRegistry.ManufacturerStatus.Removed) ++live;
        }
        (uint256 totalActive, uint256 approved, uint256 withActive) = registry.phaseCounters();
        assertEq(totalActive, total);
        assertEq(withActive, withDevices);
        assertEq(approved, live);
        assertEq(registry.manufacturerCount(), handler.idCount());
    }

    /// @dev Once the cap binds it binds for good (the bootstrap exemption never reopens). The
    ///      40 % rule itself is checked by the handler on every registration attempt, where a
    ///      broken rule reverts and `fail_on_revert` reports it.
    function invariant_shareCapLatchIsPermanent() public view {
        if (handler.ghostCapSeen()) assertTrue(registry.deviceShareCapActive());
    }
}
