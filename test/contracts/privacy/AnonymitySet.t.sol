// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IIdentityLookup} from "../../../contracts/interfaces/IIdentityLookup.sol";
import {IIdentityRegistry} from "../../../contracts/interfaces/IIdentityRegistry.sol";
import {AnonymitySet} from "../../../contracts/privacy/AnonymitySet.sol";
import {IAnonymitySet} from "../../../contracts/privacy/IAnonymitySet.sol";
import {IMembershipVerifier} from "../../../contracts/privacy/IMembershipVerifier.sol";
import {PoseidonT3} from "../../../contracts/privacy/PoseidonT3.sol";
import {IdentityStatusForTests} from "../../../contracts/privacy/mocks/IdentityStatusForTests.sol";
import {MembershipVerifier} from "../../../contracts/verifiers/MembershipVerifier.sol";
import {Test, TestBase} from "../utils/Test.sol";
import {MembershipProofFixture} from "./MembershipProofFixture.sol";

// §6.2 and MoltConstants, written out here so that a wrong constant fails these tests.
uint256 constant FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
uint256 constant ROOT_EXPIRY = 1 hours;
uint256 constant MAX_DEPTH = 20;
uint256 constant START = 1_800_000_000;

/// @notice The cheatcodes these tests need beyond test/contracts/utils/Test.sol's.
interface VmStorage {
    function store(address target, bytes32 slot, bytes32 value) external;
    function load(address target, bytes32 slot) external view returns (bytes32);
}

/// @notice A stand-in for the Groth16 verifier, for the bookkeeping tests: a fuzzed proof cannot be
///         a real one (only the TypeScript prover makes those), so this accepts exactly the proofs
///         whose first word is 1. The real verifier runs below on a real proof
///         (`AnonymitySetRealVerifierTest`) and in the Hardhat suite on proofs made there.
contract AcceptingVerifierForTests is IMembershipVerifier {
    /// @inheritdoc IMembershipVerifier
    function verifyProof(uint256[2] calldata pA, uint256[2][2] calldata, uint256[2] calldata, uint256[4] calldata)
        external
        pure
        returns (bool)
    {
        return pA[0] == 1;
    }
}

/// @notice Deploys an anonymity set on the real PoseidonT3, the accepting verifier and an identity
///         double whose identities 1..1000 are active.
abstract contract AnonymitySetSetup is TestBase {
    AnonymitySet internal set;
    PoseidonT3 internal hasher;
    IdentityStatusForTests internal identities;
    address internal admin = address(0xAD);
    address internal registrar = address(0x4E6);

    function _deploy(IMembershipVerifier verifier) internal {
        vm.warp(START);
        hasher = new PoseidonT3();
        identities = new IdentityStatusForTests();
        set = new AnonymitySet(verifier, hasher, IIdentityLookup(address(identities)), admin);
        bytes32 role = set.REGISTRAR_ROLE();
        vm.prank(admin);
        set.grantRole(role, registrar);
    }

    function _activate(uint256 fromId, uint256 count) internal {
        for (uint256 id = fromId; id < fromId + count; ++id) {
            identities.setIdentity(address(uint160(0x1000 + id)), id, true);
        }
    }

    /// @dev Adds identities [nextId, nextId + count) with commitments derived from their ids.
    function _add(uint256 nextId, uint256 count) internal returns (uint256 root) {
        uint256[] memory ids = new uint256[](count);
        uint256[] memory commitments = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            ids[i] = nextId + i;
            commitments[i] = _commitmentOf(nextId + i);
        }
        vm.prank(registrar);
        root = set.addMembers(ids, commitments);
    }

    function _commitmentOf(uint256 identityId) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode("commitment", identityId))) % FIELD;
    }

    /// @dev The leaves `_add` puts in for identities 1..count, in order.
    function _leaves(uint256 count) internal pure returns (uint256[] memory leaves) {
        leaves = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            leaves[i] = _commitmentOf(i + 1);
        }
    }

    /// @dev The LeanIMT root by its definition, level by level (the TypeScript suite checks the
    ///      same definition against circuits/src/leanImt.ts and the circuit).
    function _naiveRoot(uint256 count) internal view returns (uint256) {
        return _rootOf(_leaves(count));
    }

    function _rootOf(uint256[] memory leaves) internal view returns (uint256) {
        uint256 n = leaves.length;
        if (n == 0) return 0;
        uint256[] memory level = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            level[i] = leaves[i];
        }
        while (n > 1) {
            uint256 m = (n + 1) / 2;
            for (uint256 j; j < m; ++j) {
                level[j] = 2 * j + 1 < n ? hasher.hash(level[2 * j], level[2 * j + 1]) : level[2 * j];
            }
            n = m;
        }
        return level[0];
    }

    /// @dev The siblings of leaf `index`, level by level, where they exist (a LeanIMT path).
    function _pathOf(uint256[] memory leaves, uint256 index) internal view returns (uint256[] memory siblings) {
        uint256 n = leaves.length;
        uint256[] memory level = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            level[i] = leaves[i];
        }
        uint256[] memory found = new uint256[](32);
        uint256 count;
        while (n > 1) {
            if ((index ^ 1) < n) found[count++] = level[index ^ 1];
            uint256 m = (n + 1) / 2;
            for (uint256 j; j < m; ++j) {
                level[j] = 2 * j + 1 < n ? hasher.hash(level[2 * j], level[2 * j + 1]) : level[2 * j];
            }
            n = m;
            index >>= 1;
        }
        siblings = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            siblings[i] = found[i];
        }
    }

    function _proof(uint256 root, uint256 nullifier, uint256 scope, uint256 message, bool valid)
        internal
        pure
        returns (IAnonymitySet.MembershipProof memory proof)
    {
        proof.root = root;
        proof.nullifier = nullifier;
        proof.scope = scope;
        proof.message = message;
        proof.points[0] = valid ? 1 : 2;
    }
}

contract AnonymitySetTest is Test, AnonymitySetSetup {
    function setUp() public {
        _deploy(new AcceptingVerifierForTests());
        _activate(1, 200);
    }

    // ------------------------------------------------------------------ tree

    function test_addMembers_smallTreesByHand() public {
        uint256 a = _commitmentOf(1);
        uint256 b = _commitmentOf(2);
        uint256 c = _commitmentOf(3);
        assertEq(set.root(), 0);
        assertEq(_add(1, 1), a);
        assertEq(set.depth(), 0);
        assertEq(_add(2, 1), hasher.hash(a, b));
        assertEq(_add(3, 1), hasher.hash(hasher.hash(a, b), c));
        assertEq(set.size(), 3);
        assertEq(set.depth(), 2);
        (bool member, uint256 index) = set.leafOf(3);
        assertTrue(member);
        assertEq(index, 2);
        (member,) = set.leafOf(4);
        assertFalse(member);
    }

    /// forge-config: default.fuzz.runs = 64
    /// forge-config: ci.fuzz.runs = 256
    function testFuzz_addMembers_anyBatchingGivesTheLeanImtRoot(uint256 seed) public {
        uint256 total;
        for (uint256 batch; batch < 6; ++batch) {
            uint256 count = 1 + (uint256(keccak256(abi.encode(seed, batch))) % 9);
            _add(total + 1, count);
            total += count;
            assertEq(set.root(), _naiveRoot(total), "root");
            assertEq(set.size(), total);
            uint256 expectedDepth;
            while ((uint256(1) << expectedDepth) < total) ++expectedDepth;
            assertEq(set.depth(), expectedDepth, "depth");
        }
    }

    function test_addMembers_oneByOneAndAllAtOnceAgree() public {
        for (uint256 id = 1; id <= 33; ++id) {
            _add(id, 1);
        }
        uint256 oneByOne = set.root();
        _deploy(new AcceptingVerifierForTests());
        _activate(1, 33);
        assertEq(_add(1, 33), oneByOne);
        assertEq(oneByOne, _naiveRoot(33));
    }

    function test_addMembers_emitsMembersThenRoot() public {
        _add(1, 2);
        uint256[] memory ids = new uint256[](1);
        uint256[] memory commitments = new uint256[](1);
        ids[0] = 3;
        commitments[0] = _commitmentOf(3);
        vm.expectEmit(true, true, true, true, address(set));
        emit IAnonymitySet.MemberAdded(3, 2, commitments[0]);
        vm.expectEmit(true, true, true, true, address(set));
        emit IAnonymitySet.RootUpdated(_naiveRoot(3), 3);
        vm.prank(registrar);
        set.addMembers(ids, commitments);
    }

    function test_addMembers_onlyTheRegistrar() public {
        uint256[] memory ids = new uint256[](1);
        uint256[] memory commitments = new uint256[](1);
        ids[0] = 1;
        commitments[0] = 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, address(this), set.REGISTRAR_ROLE()
            )
        );
        set.addMembers(ids, commitments);
    }

    function test_addMembers_refusesBadBatches() public {
        uint256[] memory none = new uint256[](0);
        uint256[] memory one = new uint256[](1);
        uint256[] memory two = new uint256[](2);
        vm.startPrank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__BadBatch.selector, 0, 0));
        set.addMembers(none, none);
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__BadBatch.selector, 1, 2));
        set.addMembers(one, two);
        vm.stopPrank();
    }

    function testFuzz_addMembers_refusesCommitmentsOutsideTheField(uint256 commitment) public {
        if (commitment != 0) commitment = bound(commitment, FIELD, type(uint256).max);
        uint256[] memory ids = new uint256[](1);
        uint256[] memory commitments = new uint256[](1);
        ids[0] = 1;
        commitments[0] = commitment;
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__InvalidCommitment.selector, commitment));
        vm.prank(registrar);
        set.addMembers(ids, commitments);
    }

    function test_addMembers_refusesInactiveAndUnknownIdentities() public {
        identities.setActive(7, false);
        uint256[] memory ids = new uint256[](2);
        uint256[] memory commitments = new uint256[](2);
        (ids[0], ids[1]) = (6, 7);
        (commitments[0], commitments[1]) = (1, 2);
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__IdentityNotActive.selector, 7));
        vm.prank(registrar);
        set.addMembers(ids, commitments);
        ids[1] = 5000; // never registered
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__IdentityNotActive.selector, 5000));
        vm.prank(registrar);
        set.addMembers(ids, commitments);
        assertEq(set.size(), 0);
    }

    function test_addMembers_oneLeafPerIdentity() public {
        _add(1, 3);
        uint256[] memory ids = new uint256[](1);
        uint256[] memory commitments = new uint256[](1);
        ids[0] = 2;
        commitments[0] = 99;
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__AlreadyMember.selector, 2, 1));
        vm.prank(registrar);
        set.addMembers(ids, commitments);
        // Twice in one batch.
        ids = new uint256[](2);
        commitments = new uint256[](2);
        (ids[0], ids[1]) = (4, 4);
        (commitments[0], commitments[1]) = (5, 6);
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__AlreadyMember.selector, 4, 3));
        vm.prank(registrar);
        set.addMembers(ids, commitments);
    }

    function test_addMembers_refusesToGrowPastTheCircuitDepth() public {
        // Pretend 2^20 - 1 members are in (slot 2 holds size in its low 64 bits, depth above).
        VmStorage(address(vm)).store(address(set), bytes32(uint256(2)), bytes32((uint256(20) << 64) | ((1 << 20) - 1)));
        assertEq(set.size(), (1 << MAX_DEPTH) - 1);
        assertEq(set.depth(), MAX_DEPTH);
        uint256[] memory ids = new uint256[](2);
        uint256[] memory commitments = new uint256[](2);
        (ids[0], ids[1]) = (1, 2);
        (commitments[0], commitments[1]) = (1, 2);
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__TreeFull.selector, 1 << MAX_DEPTH));
        vm.prank(registrar);
        set.addMembers(ids, commitments);
    }

    // ------------------------------------------------------------------ root history

    function testFuzz_rootHistory_aReplacedRootExpiresAfterTheWindow(uint256 elapsed) public {
        elapsed = bound(elapsed, 0, 3 * ROOT_EXPIRY);
        uint256 first = _add(1, 3);
        vm.warp(START + 100);
        uint256 second = _add(4, 2);
        vm.warp(START + 100 + elapsed);

        (bool valid, uint256 expiresAt) = set.rootStatus(first);
        assertEq(expiresAt, START + 100 + ROOT_EXPIRY);
        assertEq(valid, elapsed < ROOT_EXPIRY);
        (valid, expiresAt) = set.rootStatus(second);
        assertTrue(valid);
        assertEq(expiresAt, type(uint256).max);

        IAnonymitySet.MembershipProof memory proof = _proof(first, 11, 22, 33, true);
        if (elapsed < ROOT_EXPIRY) {
            set.validateProof(proof);
            assertTrue(set.isNullifierUsed(22, 11));
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(IAnonymitySet.AnonymitySet__StaleRoot.selector, first, START + 100 + ROOT_EXPIRY)
            );
            set.validateProof(proof);
            vm.expectRevert(
                abi.encodeWithSelector(IAnonymitySet.AnonymitySet__StaleRoot.selector, first, START + 100 + ROOT_EXPIRY)
            );
            set.verifyProof(proof);
        }
        // The current root never expires.
        set.validateProof(_proof(second, 12, 22, 33, true));
    }

    function test_rootHistory_everyReplacedRootHasItsOwnWindow() public {
        uint256 r1 = _add(1, 1);
        vm.warp(START + 1000);
        uint256 r2 = _add(2, 1);
        vm.warp(START + 2000);
        _add(3, 1);
        vm.warp(START + 1000 + ROOT_EXPIRY);
        (bool valid1,) = set.rootStatus(r1);
        (bool valid2,) = set.rootStatus(r2);
        assertFalse(valid1); // replaced at START + 1000
        assertTrue(valid2); // replaced at START + 2000
    }

    function testFuzz_rootHistory_unknownRootsAreRefused(uint256 root) public {
        uint256 current = _add(1, 4);
        vm.assume(root != current && root < FIELD);
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__UnknownRoot.selector, root));
        set.validateProof(_proof(root, 1, 2, 3, true));
        (bool valid, uint256 expiresAt) = set.rootStatus(root);
        assertFalse(valid);
        assertEq(expiresAt, 0);
    }

    function test_rootHistory_theEmptyTreeHasNoRoot() public {
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__UnknownRoot.selector, 0));
        set.validateProof(_proof(0, 1, 2, 3, true));
        _add(1, 1);
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__UnknownRoot.selector, 0));
        set.verifyProof(_proof(0, 1, 2, 3, true));
    }

    // ------------------------------------------------------------------ nullifiers

    function testFuzz_nullifiers_spentOncePerScope(uint256 nullifier, uint256 scope, uint256 otherScope) public {
        nullifier = bound(nullifier, 0, FIELD - 1);
        scope = bound(scope, 0, FIELD - 1);
        otherScope = bound(otherScope, 0, FIELD - 1);
        vm.assume(scope != otherScope);
        uint256 root = _add(1, 5);

        assertFalse(set.isNullifierUsed(scope, nullifier));
        vm.expectEmit(true, true, true, true, address(set));
        emit IAnonymitySet.ProofValidated(scope, nullifier, 7);
        set.validateProof(_proof(root, nullifier, scope, 7, true));
        assertTrue(set.isNullifierUsed(scope, nullifier));
        assertFalse(set.isNullifierUsed(otherScope, nullifier));

        // Again in the same scope, whatever the message: refused.
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__NullifierUsed.selector, scope, nullifier));
        set.validateProof(_proof(root, nullifier, scope, 8, true));
        // verifyProof does not look at nullifiers.
        assertTrue(set.verifyProof(_proof(root, nullifier, scope, 8, true)));

        // In another scope: accepted.
        set.validateProof(_proof(root, nullifier, otherScope, 7, true));
        assertTrue(set.isNullifierUsed(otherScope, nullifier));
    }

    function testFuzz_nullifiers_aRejectedProofSpendsNothing(uint256 nullifier, uint256 scope) public {
        nullifier = bound(nullifier, 0, FIELD - 1);
        scope = bound(scope, 0, FIELD - 1);
        uint256 root = _add(1, 2);
        assertFalse(set.verifyProof(_proof(root, nullifier, scope, 1, false)));
        vm.expectRevert(IAnonymitySet.AnonymitySet__InvalidProof.selector);
        set.validateProof(_proof(root, nullifier, scope, 1, false));
        assertFalse(set.isNullifierUsed(scope, nullifier));
        set.validateProof(_proof(root, nullifier, scope, 1, true));
    }

    function testFuzz_publicSignals_outsideTheFieldAreRefused(uint256 value, uint8 which) public {
        value = bound(value, FIELD, type(uint256).max);
        uint256 root = _add(1, 2);
        IAnonymitySet.MembershipProof memory proof = _proof(root, 1, 2, 3, true);
        which %= 4;
        if (which == 0) proof.root = value;
        else if (which == 1) proof.nullifier = value;
        else if (which == 2) proof.scope = value;
        else proof.message = value;
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__InputOutOfField.selector, value));
        set.validateProof(proof);
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__InputOutOfField.selector, value));
        set.verifyProof(proof);
    }

    // ------------------------------------------------------------------ removal

    /// forge-config: default.fuzz.runs = 64
    /// forge-config: ci.fuzz.runs = 256
    function testFuzz_removeMember_zeroesTheLeafAndLaterBatchesStillAgree(uint256 seed) public {
        uint256 count = 1 + (seed % 21);
        _add(1, count / 2 + 1);
        if (count / 2 + 1 < count) _add(count / 2 + 2, count - count / 2 - 1);
        uint256[] memory leaves = _leaves(count);
        uint256 victim = uint256(keccak256(abi.encode(seed, "victim"))) % count;

        identities.retire(victim + 1);
        uint256[] memory path = _pathOf(leaves, victim);
        uint256 oldRoot = set.root();
        leaves[victim] = 0;
        vm.expectEmit(true, true, true, true, address(set));
        emit IAnonymitySet.MemberRemoved(victim + 1, victim);
        vm.expectEmit(true, true, true, true, address(set));
        emit IAnonymitySet.RootUpdated(_rootOf(leaves), count);
        set.removeMember(victim + 1, _commitmentOf(victim + 1), path);
        assertEq(set.root(), _rootOf(leaves), "root after removal");
        (bool member, uint256 index) = set.leafOf(victim + 1);
        assertFalse(member);
        assertEq(index, victim);
        (bool valid,) = set.rootStatus(oldRoot);
        assertTrue(valid); // for the window, like any replaced root

        // Appending after a removal uses the side nodes the removal updated.
        uint256 more = 1 + (uint256(keccak256(abi.encode(seed, "more"))) % 9);
        _add(count + 1, more);
        uint256[] memory all = _leaves(count + more);
        all[victim] = 0;
        assertEq(set.root(), _rootOf(all), "root after the next batch");
    }

    function test_removeMember_onlyRetiredMembersOnce() public {
        _add(1, 5);
        uint256[] memory leaves = _leaves(5);
        uint256[] memory path = _pathOf(leaves, 2);
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__NotRetired.selector, 3));
        set.removeMember(3, leaves[2], path);
        identities.setActive(3, false); // frozen: may come back
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__NotRetired.selector, 3));
        set.removeMember(3, leaves[2], path);
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__NotMember.selector, 9));
        set.removeMember(9, leaves[2], path);

        identities.retire(3);
        set.removeMember(3, leaves[2], path);
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__NotMember.selector, 3));
        set.removeMember(3, 0, path);
        // The identity id never comes back.
        uint256[] memory ids = new uint256[](1);
        uint256[] memory commitments = new uint256[](1);
        ids[0] = 3;
        commitments[0] = 77;
        identities.setActive(3, true);
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__AlreadyMember.selector, 3, 2));
        vm.prank(registrar);
        set.addMembers(ids, commitments);
    }

    function test_removeMember_refusesAWrongPath() public {
        _add(1, 6);
        identities.retire(5);
        uint256[] memory leaves = _leaves(6);
        uint256[] memory path = _pathOf(leaves, 4);
        uint256 root = set.root();
        bytes memory invalid = abi.encodeWithSelector(IAnonymitySet.AnonymitySet__InvalidPath.selector, 5);

        vm.expectRevert(invalid);
        set.removeMember(5, leaves[3], path); // another leaf's commitment
        path[0] += 1;
        vm.expectRevert(invalid);
        set.removeMember(5, leaves[4], path);
        path[0] -= 1;
        uint256[] memory short = new uint256[](path.length - 1);
        for (uint256 i; i < short.length; ++i) {
            short[i] = path[i];
        }
        vm.expectRevert(invalid);
        set.removeMember(5, leaves[4], short);
        uint256[] memory long = new uint256[](path.length + 1);
        for (uint256 i; i < path.length; ++i) {
            long[i] = path[i];
        }
        vm.expectRevert(invalid);
        set.removeMember(5, leaves[4], long);
        assertEq(set.root(), root);
        set.removeMember(5, leaves[4], path);
    }

    function test_removeMember_theOnlyMemberLeavesAnEmptyRoot() public {
        _add(1, 1);
        identities.retire(1);
        set.removeMember(1, _commitmentOf(1), new uint256[](0));
        assertEq(set.root(), 0);
        vm.expectRevert(abi.encodeWithSelector(IAnonymitySet.AnonymitySet__UnknownRoot.selector, 0));
        set.validateProof(_proof(0, 1, 2, 3, true));
        _add(2, 2);
        uint256[] memory leaves = _leaves(3);
        leaves[0] = 0;
        assertEq(set.root(), _rootOf(leaves));
    }

    // ------------------------------------------------------------------ deployment

    function test_constructor_refusesZeroAddresses() public {
        IMembershipVerifier verifier = new AcceptingVerifierForTests();
        IIdentityLookup lookup = IIdentityLookup(address(identities));
        vm.expectRevert(IAnonymitySet.AnonymitySet__ZeroAddress.selector);
        new AnonymitySet(IMembershipVerifier(address(0)), hasher, lookup, admin);
        vm.expectRevert(IAnonymitySet.AnonymitySet__ZeroAddress.selector);
        new AnonymitySet(verifier, PoseidonT3(address(0)), lookup, admin);
        vm.expectRevert(IAnonymitySet.AnonymitySet__ZeroAddress.selector);
        new AnonymitySet(verifier, hasher, IIdentityLookup(address(0)), admin);
        vm.expectRevert(IAnonymitySet.AnonymitySet__ZeroAddress.selector);
        new AnonymitySet(verifier, hasher, lookup, address(0));
        AnonymitySet fresh = new AnonymitySet(verifier, hasher, lookup, admin);
        assertEq(fresh.verifier(), address(verifier));
        assertEq(fresh.hasher(), address(hasher));
        assertEq(fresh.identities(), address(identities));
    }

    function testFuzz_poseidon_refusesInputsOutsideTheField(uint256 big, uint256 small) public {
        big = bound(big, FIELD, type(uint256).max);
        small = bound(small, 0, FIELD - 1);
        vm.expectRevert(PoseidonT3.PoseidonT3__NotAFieldElement.selector);
        hasher.hash(big, small);
        vm.expectRevert(PoseidonT3.PoseidonT3__NotAFieldElement.selector);
        hasher.hash(small, big);
    }
}

/// @notice Random batches of members, removals of retired members and proofs: the tree always has
///         the LeanIMT root of the leaves added so far with the removed ones zeroed (recomputed by
///         definition after each change), and every validated nullifier stays spent.
contract AnonymitySetHandler is AnonymitySetSetup {
    uint256 public added;
    uint256 public ghostRoot;
    uint256 public validated;
    uint256[] public spentScopes;
    uint256[] public spentNullifiers;
    uint256[] internal _ghostLeaves;

    constructor(AnonymitySet set_, PoseidonT3 hasher_, IdentityStatusForTests identities_, address registrar_) {
        set = set_;
        hasher = hasher_;
        identities = identities_;
        registrar = registrar_;
    }

    function addMembers(uint256 count) external {
        count = bound(count, 1, 8);
        if (added + count > 48) return;
        _add(added + 1, count);
        for (uint256 i; i < count; ++i) {
            _ghostLeaves.push(_commitmentOf(added + i + 1));
        }
        added += count;
        ghostRoot = _rootOf(_ghostLeaves);
    }

    function removeMember(uint256 pick) external {
        if (added == 0) return;
        uint256 index = pick % added;
        if (_ghostLeaves[index] == 0) return;
        identities.retire(index + 1);
        set.removeMember(index + 1, _ghostLeaves[index], _pathOf(_ghostLeaves, index));
        _ghostLeaves[index] = 0;
        ghostRoot = _rootOf(_ghostLeaves);
    }

    function validate(uint256 nullifier, uint256 scope) external {
        if (set.root() == 0) return;
        nullifier = bound(nullifier, 0, FIELD - 1);
        scope = bound(scope, 0, 3); // few scopes, so that reuse is tried
        if (set.isNullifierUsed(scope, nullifier)) return;
        set.validateProof(_proof(set.root(), nullifier, scope, 0, true));
        validated += 1;
        spentScopes.push(scope);
        spentNullifiers.push(nullifier);
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 0, 2 * ROOT_EXPIRY));
    }
}

contract AnonymitySetInvariantTest is Test, AnonymitySetSetup {
    AnonymitySetHandler internal handler;

    function setUp() public {
        _deploy(new AcceptingVerifierForTests());
        _activate(1, 48);
        handler = new AnonymitySetHandler(set, hasher, identities, registrar);
        targetContract(address(handler));
    }

    /// forge-config: default.invariant.runs = 32
    /// forge-config: ci.invariant.runs = 64
    function invariant_rootIsTheLeanImtRootOfTheLeaves() public view {
        assertEq(set.size(), handler.added());
        assertEq(set.root(), handler.ghostRoot());
        (bool valid,) = set.rootStatus(set.root());
        assertEq(valid, set.root() != 0);
    }

    /// forge-config: default.invariant.runs = 32
    /// forge-config: ci.invariant.runs = 64
    function invariant_everyValidatedNullifierIsSpent() public view {
        uint256 n = handler.validated();
        for (uint256 i; i < n; ++i) {
            assertTrue(set.isNullifierUsed(handler.spentScopes(i), handler.spentNullifiers(i)));
        }
    }
}

/// @notice The real verifier (contracts/verifiers/MembershipVerifier.sol, generated from the
///         checked-in zkey) on a real proof made by circuits/'s TypeScript prover
///         (MembershipProofFixture, generated by circuits/scripts/generateContracts.ts).
contract AnonymitySetRealVerifierTest is Test, AnonymitySetSetup {
    function setUp() public {
        _deploy(IMembershipVerifier(address(new MembershipVerifier())));
    }

    function _fixtureProof() internal pure returns (IAnonymitySet.MembershipProof memory proof) {
        proof.root = MembershipProofFixture.ROOT;
        proof.nullifier = MembershipProofFixture.NULLIFIER;
        proof.scope = MembershipProofFixture.SCOPE;
        proof.message = MembershipProofFixture.MESSAGE;
        proof.points = MembershipProofFixture.points();
    }

    function _addFixtureMembers() internal {
        uint256[] memory commitments = MembershipProofFixture.commitments();
        uint256[] memory ids = new uint256[](commitments.length);
        for (uint256 i; i < ids.length; ++i) {
            ids[i] = i + 1;
            identities.setIdentity(address(uint160(0x1000 + i)), i + 1, true);
        }
        vm.prank(registrar);
        set.addMembers(ids, commitments);
    }

    function test_realProof_validatesOnceAgainstTheTreeItWasMadeFor() public {
        _addFixtureMembers();
        assertEq(set.root(), MembershipProofFixture.ROOT);
        IAnonymitySet.MembershipProof memory proof = _fixtureProof();
        assertTrue(set.verifyProof(proof));
        set.validateProof(proof);
        assertTrue(set.isNullifierUsed(proof.scope, proof.nullifier));
        vm.expectRevert(
            abi.encodeWithSelector(IAnonymitySet.AnonymitySet__NullifierUsed.selector, proof.scope, proof.nullifier)
        );
        set.validateProof(proof);
    }

    function test_realProof_isBoundToItsSignals() public {
        _addFixtureMembers();
        IAnonymitySet.MembershipProof memory proof = _fixtureProof();
        proof.message += 1;
        assertFalse(set.verifyProof(proof));
        vm.expectRevert(IAnonymitySet.AnonymitySet__InvalidProof.selector);
        set.validateProof(proof);
        proof = _fixtureProof();
        proof.scope += 1;
        assertFalse(set.verifyProof(proof));
        proof = _fixtureProof();
        proof.nullifier += 1;
        assertFalse(set.verifyProof(proof));
        proof = _fixtureProof();
        proof.points[0] += 1; // A off the curve: the precompile fails, the verifier says no
        assertFalse(set.verifyProof(proof));
    }

    function test_realProof_survivesANewMemberForTheRootWindow() public {
        _addFixtureMembers();
        identities.setIdentity(address(0x9999), 99, true);
        uint256[] memory ids = new uint256[](1);
        uint256[] memory commitments = new uint256[](1);
        ids[0] = 99;
        commitments[0] = 12345;
        vm.prank(registrar);
        set.addMembers(ids, commitments);
        assertTrue(set.root() != MembershipProofFixture.ROOT);
        vm.warp(START + ROOT_EXPIRY - 1);
        assertTrue(set.verifyProof(_fixtureProof()));
        vm.warp(START + ROOT_EXPIRY);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAnonymitySet.AnonymitySet__StaleRoot.selector, MembershipProofFixture.ROOT, START + ROOT_EXPIRY
            )
        );
        set.validateProof(_fixtureProof());
    }
}
