// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// solhint-disable gas-strict-inequalities

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IIdentityLookup} from "../interfaces/IIdentityLookup.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {MoltConstants} from "../libraries/MoltConstants.sol";
import {IAnonymitySet} from "./IAnonymitySet.sol";
import {IMembershipVerifier} from "./IMembershipVerifier.sol";
import {PoseidonT3} from "./PoseidonT3.sol";

/// @title AnonymitySet
/// @notice The anonymity set of §6.2 and its membership proofs. See {IAnonymitySet}.
/// @dev The tree is a LeanIMT (as @zk-kit/lean-imt and Semaphore v4 keep it on chain): size,
///      depth, the current root, and per level the node at the level's last even index (the left
///      sibling a later leaf may need), so appending never reads a leaf. `addMembers` hashes each
///      new node once for the whole batch: ~1 Poseidon per member plus one per level, where adding
///      members one by one would cost ~depth/2 each.
///
///      validateProof's cost is the pairing check of the verifier (4 pairings, 4 scalar
///      multiplications for the public signals) plus one new storage slot for the nullifier; the
///      current root is one slot of its own, a replaced root costs one more read.
///
///      `removeMember` recomputes the old and the new path of the removed leaf together (two
///      Poseidons per level) and updates the side nodes the path crosses.
///
///      Reentrancy: every external call is a STATICCALL to a contract fixed at deployment (the
///      verifier, the hasher, the identity registry's `isActive` and `statusOf`), so nothing can
///      reenter to change state; checks come first and the nullifier is stored only after the
///      proof verified.
contract AnonymitySet is AccessControl, IAnonymitySet {
    /// @notice May add members: the process that mirrors `IdentityRegistered` events into the set
    ///         (later a contract that checks batches against the registry, docs/privacy.md).
    ///         Granted by the admin.
    bytes32 public constant REGISTRAR_ROLE = keccak256("moltbook.role.zk-registrar");

    /// @dev The most leaves the circuit's depth allows.
    uint256 private constant _CAPACITY = 1 << MoltConstants.ANONYMITY_SET_MAX_DEPTH;

    /// @dev The BN254 scalar field order: every public signal and commitment is below it.
    uint256 private constant _FIELD = MoltConstants.IDENTITY_COMMITMENT_FIELD;

    /// @dev Set in `_leafOf` once the leaf was removed (the index stays in the low bits).
    uint256 private constant _REMOVED = 1 << 255;

    IMembershipVerifier private immutable _VERIFIER;
    PoseidonT3 private immutable _HASHER;
    IIdentityLookup private immutable _IDENTITIES;

    /// @dev The current root (0 while empty): the one slot a proof against it reads.
    uint256 private _root;
    /// @dev One slot, read and written once per batch.
    uint64 private _size;
    uint8 private _depth;

    /// @dev level => the node at that level's last even index, for the levels below the root.
    mapping(uint256 level => uint256 node) private _sideNodes;
    /// @dev identityId => its leaf index + 1 (0: never a member), | _REMOVED once removed.
    mapping(uint256 identityId => uint256 leafIndexPlusOne) private _leafOf;
    /// @dev A replaced root => the time it was replaced (0: never a replaced root).
    mapping(uint256 root => uint256 replacedAt) private _rootReplacedAt;
    mapping(uint256 scope => mapping(uint256 nullifier => bool used)) private _nullifierUsed;

    /// @notice Deploys an empty set.
    /// @param verifier_ The membership circuit's Groth16 verifier (contracts/verifiers/).
    /// @param hasher_ The Poseidon(2) contract (contracts/privacy/PoseidonT3.sol).
    /// @param identities_ The identity registry: its active identities may join (`isActive`), its
    ///        retired ones may be removed (`IIdentityRegistry.statusOf`).
    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants REGISTRAR_ROLE).
    constructor(IMembershipVerifier verifier_, PoseidonT3 hasher_, IIdentityLookup identities_, address admin) {
        if (
            address(verifier_) == address(0) || address(hasher_) == address(0) || address(identities_) == address(0)
                || admin == address(0)
        ) {
            revert AnonymitySet__ZeroAddress();
        }
        _VERIFIER = verifier_;
        _HASHER = hasher_;
        _IDENTITIES = identities_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ------------------------------------------------------------------ registrar

    /// @inheritdoc IAnonymitySet
    function addMembers(uint256[] calldata identityIds, uint256[] calldata commitments)
        external
        onlyRole(REGISTRAR_ROLE)
        returns (uint256 newRoot)
    {
        uint256 count = identityIds.length;
        if (count == 0 || count != commitments.length) revert AnonymitySet__BadBatch(count, commitments.length);
        uint256 oldSize = _size;
        uint256 newSize = oldSize + count;
        if (newSize > _CAPACITY) revert AnonymitySet__TreeFull(_CAPACITY);

        uint256[] memory leaves = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            uint256 identityId = identityIds[i];
            uint256 commitment = commitments[i];
            if (commitment == 0 || commitment >= _FIELD) revert AnonymitySet__InvalidCommitment(commitment);
            uint256 existing = _leafOf[identityId];
            if (existing != 0) revert AnonymitySet__AlreadyMember(identityId, (existing & ~_REMOVED) - 1);
            if (!_IDENTITIES.isActive(identityId)) revert AnonymitySet__IdentityNotActive(identityId);
            _leafOf[identityId] = oldSize + i + 1;
            leaves[i] = commitment;
            emit MemberAdded(identityId, oldSize + i, commitment);
        }

        uint256 oldRoot = _root;
        uint256 newDepth;
        (newRoot, newDepth) = _append(leaves, oldSize, newSize, oldRoot);
        _size = SafeCast.toUint64(newSize); // <= _CAPACITY = 2^20
        _depth = SafeCast.toUint8(newDepth); // <= ANONYMITY_SET_MAX_DEPTH = 20
        _replaceRoot(oldRoot, newRoot, newSize);
    }

    // ------------------------------------------------------------------ removal

    /// @inheritdoc IAnonymitySet
    function removeMember(uint256 identityId, uint256 commitment, uint256[] calldata siblings)
        external
        returns (uint256 newRoot)
    {
        uint256 stored = _leafOf[identityId];
        if (stored == 0 || stored & _REMOVED != 0) revert AnonymitySet__NotMember(identityId);
        if (IIdentityRegistry(address(_IDENTITIES)).statusOf(identityId) != IIdentityRegistry.IdentityStatus.Retired) {
            revert AnonymitySet__NotRetired(identityId);
        }
        uint256 leafIndex = stored - 1;
        uint256 size_ = _size;
        uint256 oldRoot = _root;
        newRoot = _update(leafIndex, size_, commitment, siblings);
        if (newRoot == type(uint256).max) revert AnonymitySet__InvalidPath(identityId);
        _leafOf[identityId] = stored | _REMOVED;
        emit MemberRemoved(identityId, leafIndex);
        _replaceRoot(oldRoot, newRoot, size_);
    }

    // ------------------------------------------------------------------ proofs

    /// @inheritdoc IAnonymitySet
    function verifyProof(MembershipProof calldata proof) external view returns (bool) {
        _checkSignals(proof);
        return _verify(proof);
    }

    /// @inheritdoc IAnonymitySet
    function validateProof(MembershipProof calldata proof) external {
        _checkSignals(proof);
        uint256 scope = proof.scope;
        uint256 nullifier = proof.nullifier;
        mapping(uint256 => bool) storage used = _nullifierUsed[scope];
        if (used[nullifier]) revert AnonymitySet__NullifierUsed(scope, nullifier);
        if (!_verify(proof)) revert AnonymitySet__InvalidProof();
        used[nullifier] = true;
        emit ProofValidated(scope, nullifier, proof.message);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IAnonymitySet
    function root() external view returns (uint256) {
        return _root;
    }

    /// @inheritdoc IAnonymitySet
    function size() external view returns (uint256) {
        return _size;
    }

    /// @inheritdoc IAnonymitySet
    function depth() external view returns (uint256) {
        return _depth;
    }

    /// @inheritdoc IAnonymitySet
    function rootStatus(uint256 root_) external view returns (bool valid, uint256 expiresAt) {
        if (root_ == 0) return (false, 0);
        if (root_ == _root) return (true, type(uint256).max);
        uint256 replacedAt = _rootReplacedAt[root_];
        if (replacedAt == 0) return (false, 0);
        expiresAt = replacedAt + MoltConstants.ANONYMITY_SET_ROOT_EXPIRY;
        valid = block.timestamp < expiresAt;
    }

    /// @inheritdoc IAnonymitySet
    function leafOf(uint256 identityId) external view returns (bool member, uint256 leafIndex) {
        uint256 stored = _leafOf[identityId];
        if (stored != 0) return (stored & _REMOVED == 0, (stored & ~_REMOVED) - 1);
    }

    /// @inheritdoc IAnonymitySet
    function isNullifierUsed(uint256 scope, uint256 nullifier) external view returns (bool) {
        return _nullifierUsed[scope][nullifier];
    }

    /// @inheritdoc IAnonymitySet
    function verifier() external view returns (address) {
        return address(_VERIFIER);
    }

    /// @inheritdoc IAnonymitySet
    function hasher() external view returns (address) {
        return address(_HASHER);
    }

    /// @inheritdoc IAnonymitySet
    function identities() external view returns (address) {
        return address(_IDENTITIES);
    }

    // ------------------------------------------------------------------ internals

    /// @dev Field range of the four public signals, then the root: current, or replaced less than
    ///      ANONYMITY_SET_ROOT_EXPIRY ago.
    function _checkSignals(MembershipProof calldata proof) private view {
        uint256 root_ = proof.root;
        if (root_ >= _FIELD) revert AnonymitySet__InputOutOfField(root_);
        if (proof.nullifier >= _FIELD) revert AnonymitySet__InputOutOfField(proof.nullifier);
        if (proof.scope >= _FIELD) revert AnonymitySet__InputOutOfField(proof.scope);
        if (proof.message >= _FIELD) revert AnonymitySet__InputOutOfField(proof.message);
        if (root_ == _root) {
            if (root_ == 0) revert AnonymitySet__UnknownRoot(0);
            return;
        }
        uint256 replacedAt = _rootReplacedAt[root_];
        if (replacedAt == 0) revert AnonymitySet__UnknownRoot(root_);
        uint256 expiresAt = replacedAt + MoltConstants.ANONYMITY_SET_ROOT_EXPIRY;
        if (block.timestamp >= expiresAt) revert AnonymitySet__StaleRoot(root_, expiresAt);
    }

    /// @dev The new root becomes current; the old one's window starts now.
    function _replaceRoot(uint256 oldRoot, uint256 newRoot, uint256 size_) private {
        _root = newRoot;
        if (oldRoot != 0) _rootReplacedAt[oldRoot] = block.timestamp;
        emit RootUpdated(newRoot, size_);
    }

    function _verify(MembershipProof calldata proof) private view returns (bool) {
        uint256[8] calldata p = proof.points;
        return _VERIFIER.verifyProof(
            [p[0], p[1]],
            [[p[2], p[3]], [p[4], p[5]]],
            [p[6], p[7]],
            [proof.root, proof.nullifier, proof.scope, proof.message]
        );
    }

    /// @dev Appends `nodes` (the new leaves, indexes oldSize..newSize-1) level by level: at each
    ///      level the new nodes are the indexes [start, end). When `start` is odd, the first new
    ///      node's left sibling is old: the node at the level's last even index before the batch,
    ///      `_sideNodes[level]`, or the old root at the old top level. Returns the new root and
    ///      depth; writes `_sideNodes` only.
    function _append(uint256[] memory nodes, uint256 oldSize, uint256 newSize, uint256 oldRoot)
        private
        returns (uint256 newRoot, uint256 newDepth)
    {
        uint256 oldDepth = _depth;
        newDepth = oldDepth;
        while ((uint256(1) << newDepth) < newSize) ++newDepth;
        uint256 start = oldSize;
        uint256 end = newSize;
        for (uint256 level; level < newDepth; ++level) {
            uint256 oldLeft;
            if (start & 1 == 1) oldLeft = level == oldDepth ? oldRoot : _sideNodes[level];
            // Keep `_sideNodes[level]` the node at the level's last even index. When that node is
            // old it is already there, except at the old top level, where it was the root.
            uint256 lastEven = (end - 1) & ~uint256(1);
            if (lastEven >= start) _sideNodes[level] = nodes[lastEven - start];
            else if (level == oldDepth) _sideNodes[level] = oldRoot;
            nodes = _parents(nodes, start, end, oldLeft);
            start >>= 1;
            end = ((end - 1) >> 1) + 1;
        }
        newRoot = nodes[0];
    }

    /// @dev The parents of the nodes [start, end) of a level (`nodes`), given the old left sibling
    ///      of node `start` when it is a right child. A parent without a right child takes its left
    ///      child's value (LeanIMT); the others are Poseidon(left, right).
    function _parents(uint256[] memory nodes, uint256 start, uint256 end, uint256 oldLeft)
        private
        view
        returns (uint256[] memory parents)
    {
        uint256 first = start >> 1;
        parents = new uint256[](((end - 1) >> 1) + 1 - first);
        for (uint256 k; k < parents.length; ++k) {
            uint256 left = (first + k) << 1;
            uint256 leftNode = left < start ? oldLeft : nodes[left - start];
            parents[k] = left + 1 < end ? _HASHER.hash(leftNode, nodes[left + 1 - start]) : leftNode;
        }
    }

    /// @dev Sets leaf `leafIndex` (now `leaf`) to 0 along its path, recomputing the old and the new
    ///      root together: returns the new root, or type(uint256).max when `leaf` and `siblings` do
    ///      not lead to the current root (no root is that large). At each level the node has a
    ///      sibling unless it is the last node of a level of odd size; where the path crosses a
    ///      level's last even index, `_sideNodes` takes the new value.
    function _update(uint256 leafIndex, uint256 size_, uint256 leaf, uint256[] calldata siblings)
        private
        returns (uint256)
    {
        uint256 depth_ = _depth;
        uint256 oldNode = leaf;
        uint256 newNode;
        uint256 used;
        uint256 index = leafIndex;
        uint256 levelSize = size_;
        for (uint256 level; level < depth_; ++level) {
            if (index == (levelSize - 1) & ~uint256(1)) _sideNodes[level] = newNode;
            if ((index ^ 1) < levelSize) {
                if (used == siblings.length) return type(uint256).max;
                uint256 sibling = siblings[used];
                ++used;
                if (index & 1 == 1) {
                    oldNode = _HASHER.hash(sibling, oldNode);
                    newNode = _HASHER.hash(sibling, newNode);
                } else {
                    oldNode = _HASHER.hash(oldNode, sibling);
                    newNode = _HASHER.hash(newNode, sibling);
                }
            }
            index >>= 1;
            levelSize = (levelSize + 1) >> 1;
        }
        if (used != siblings.length || oldNode != _root) return type(uint256).max;
        return newNode;
    }
}
