// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// solhint-disable gas-indexed-events

/// @title IAnonymitySet
/// @notice The anonymity set of §6.2: the ZK identity commitments of registered identities, as the
///         leaves of a LeanIMT (Poseidon, the tree of circuits/lib/leanImtRoot.circom), with a
///         window of recent roots and the nullifiers of validated membership proofs per scope.
///         A proof shows that its prover knows the secret of one of the leaves under a recent root,
///         gives the nullifier Poseidon(scope, secret) and is bound to a message (the action's hash);
///         see docs/privacy.md.
/// @dev Members join in batches through `addMembers`, called by a holder of `REGISTRAR_ROLE`, one
///      leaf per identity id, only for identities the identity registry reports active: the
///      registrar can neither add more members than there are identities nor add one twice, and
///      every `MemberAdded` can be checked against the identity's `IdentityRegistered` event.
///      Leaf indexes follow the order of `addMembers`, so the tree can be rebuilt from
///      `MemberAdded` and `MemberRemoved` events alone. Anyone may remove the leaf of an identity
///      the registry reports retired (its leaf becomes 0, which no secret opens). A root stays
///      valid while it is current and for `MoltConstants.ANONYMITY_SET_ROOT_EXPIRY` after it was
///      replaced.
interface IAnonymitySet {
    /// @notice A membership proof with its public signals, in the circuit's order
    ///         [root, nullifier, scope, message].
    /// @param root An anonymity-set root (current, or replaced less than the expiry ago).
    /// @param nullifier Poseidon(scope, secret): one per identity and scope.
    /// @param scope The context the nullifier is unique in (§6.3 modes choose it).
    /// @param message The hash of the action the proof is bound to, a field element.
    /// @param points The Groth16 proof as the generated verifier takes it: A.x, A.y, B.x (two
    ///        words, imaginary part first), B.y (idem), C.x, C.y.
    struct MembershipProof {
        uint256 root;
        uint256 nullifier;
        uint256 scope;
        uint256 message;
        uint256[8] points;
    }

    // ------------------------------------------------------------------ errors

    /// @notice An address argument was zero.
    error AnonymitySet__ZeroAddress();

    /// @notice `addMembers` got arrays of different lengths, or none.
    error AnonymitySet__BadBatch(uint256 identityIds, uint256 commitments);

    /// @notice The identity registry does not report this identity active.
    error AnonymitySet__IdentityNotActive(uint256 identityId);

    /// @notice This identity already has a leaf.
    error AnonymitySet__AlreadyMember(uint256 identityId, uint256 leafIndex);

    /// @notice A commitment must be a nonzero BN254 scalar field element.
    error AnonymitySet__InvalidCommitment(uint256 commitment);

    /// @notice The batch would take the tree past the circuit's depth.
    error AnonymitySet__TreeFull(uint256 capacity);

    /// @notice This identity has no leaf (never added, or already removed).
    error AnonymitySet__NotMember(uint256 identityId);

    /// @notice Only a retired identity's leaf may be removed.
    error AnonymitySet__NotRetired(uint256 identityId);

    /// @notice The leaf and siblings given do not lead to the current root.
    error AnonymitySet__InvalidPath(uint256 identityId);

    /// @notice A public signal of the proof is not a BN254 scalar field element.
    error AnonymitySet__InputOutOfField(uint256 value);

    /// @notice The root was never an anonymity-set root (or is 0, the empty tree's).
    error AnonymitySet__UnknownRoot(uint256 root);

    /// @notice The root was replaced and its window has passed.
    error AnonymitySet__StaleRoot(uint256 root, uint256 expiredAt);

    /// @notice A proof with this nullifier was already validated in this scope.
    error AnonymitySet__NullifierUsed(uint256 scope, uint256 nullifier);

    /// @notice The Groth16 verifier rejected the proof for these public signals.
    error AnonymitySet__InvalidProof();

    // ------------------------------------------------------------------ events

    /// @notice An identity's commitment became leaf `leafIndex`.
    /// @param identityId The identity (IIdentityRegistry id).
    /// @param leafIndex Its leaf's index.
    /// @param commitment The ZK identity commitment.
    event MemberAdded(uint256 indexed identityId, uint256 indexed leafIndex, uint256 commitment);

    /// @notice A retired identity's leaf was set to 0: its secret no longer proves membership under
    ///         the new root.
    /// @param identityId The identity.
    /// @param leafIndex Its leaf's index.
    event MemberRemoved(uint256 indexed identityId, uint256 indexed leafIndex);

    /// @notice The root changed (once per batch or removal); the previous root's window starts now.
    /// @param root The new root.
    /// @param size The number of leaves.
    event RootUpdated(uint256 indexed root, uint256 size);

    /// @notice A membership proof was validated and its nullifier spent in its scope.
    /// @param scope The scope.
    /// @param nullifier The nullifier.
    /// @param message The message the proof is bound to.
    event ProofValidated(uint256 indexed scope, uint256 indexed nullifier, uint256 message);

    // ------------------------------------------------------------------ registrar

    /// @notice Appends the commitments of `identityIds` (each active in the identity registry, not
    ///         yet a member) as new leaves, in order, hashing each new node once for the whole
    ///         batch.
    /// @param identityIds The identities.
    /// @param commitments Their ZK identity commitments (IdentityRegistered's `zkCommitment`).
    /// @return root The new root.
    function addMembers(uint256[] calldata identityIds, uint256[] calldata commitments) external returns (uint256 root);

    /// @notice Sets the leaf of an identity the registry reports retired (§5.4: a cloned card,
    ///         whose ZK secret the cloner may know) to 0. Anyone may call it with the leaf's
    ///         current commitment and siblings (the LeanIMT path: one sibling per level where the
    ///         node has one, from the leaves up), rebuilt from `MemberAdded` / `MemberRemoved`.
    /// @param identityId The retired identity.
    /// @param commitment Its leaf's current value (its commitment).
    /// @param siblings The leaf's siblings, level by level, where they exist.
    /// @return root The new root.
    function removeMember(uint256 identityId, uint256 commitment, uint256[] calldata siblings)
        external
        returns (uint256 root);

    // ------------------------------------------------------------------ proofs

    /// @notice Whether `proof` is a valid membership proof for its public signals. Does not look
    ///         at the nullifier.
    /// @dev Reverts when a public signal is outside the field or the root is unknown or stale.
    /// @param proof The proof.
    /// @return Whether the Groth16 verifier accepts it.
    function verifyProof(MembershipProof calldata proof) external view returns (bool);

    /// @notice Verifies `proof` and spends its nullifier in its scope: a second proof with the same
    ///         nullifier and scope is refused. Anyone may call it; a contract acting on the proof's
    ///         message calls it itself, in the same transaction.
    /// @param proof The proof.
    function validateProof(MembershipProof calldata proof) external;

    // ------------------------------------------------------------------ views

    /// @notice The current root (0 while the set is empty).
    /// @return The root.
    function root() external view returns (uint256);

    /// @notice The number of leaves.
    /// @return The size.
    function size() external view returns (uint256);

    /// @notice The tree's depth: ⌈log2 size⌉ (LeanIMT).
    /// @return The depth.
    function depth() external view returns (uint256);

    /// @notice Whether `root` would be accepted now (current, or replaced less than the expiry
    ///         ago), and when it stops being accepted (`type(uint256).max` while current).
    /// @param root The root.
    /// @return valid Whether it is accepted.
    /// @return expiresAt When it stops being accepted (0 if unknown).
    function rootStatus(uint256 root) external view returns (bool valid, uint256 expiresAt);

    /// @notice The leaf of `identityId`.
    /// @param identityId The identity.
    /// @return member Whether it has one (false once removed).
    /// @return leafIndex Its index (also once removed; 0 when it never had one).
    function leafOf(uint256 identityId) external view returns (bool member, uint256 leafIndex);

    /// @notice Whether a proof with `nullifier` was validated in `scope`.
    /// @param scope The scope.
    /// @param nullifier The nullifier.
    /// @return Whether it is spent.
    function isNullifierUsed(uint256 scope, uint256 nullifier) external view returns (bool);

    /// @notice The Groth16 verifier of the membership circuit (contracts/verifiers/).
    /// @return The verifier.
    function verifier() external view returns (address);

    /// @notice The Poseidon(2) contract the tree is hashed with.
    /// @return The hasher.
    function hasher() external view returns (address);

    /// @notice The identity registry whose active identities may join.
    /// @return The registry.
    function identities() external view returns (address);
}
