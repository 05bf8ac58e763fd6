// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IMembershipVerifier
/// @notice The Groth16 verifier of the membership circuit, as snarkjs generates it
///         (contracts/verifiers/MembershipVerifier.sol): public signals [root, nullifier, scope,
///         message].
interface IMembershipVerifier {
    /// @notice Whether (A, B, C) is a valid proof for `pubSignals`. Returns false (never reverts) for
    ///         a signal outside the field, a point off the curve or a failed pairing.
    /// @param pA The proof's A (G1).
    /// @param pB The proof's B (G2, each coordinate imaginary part first).
    /// @param pC The proof's C (G1).
    /// @param pubSignals [root, nullifier, scope, message].
    /// @return Whether the proof is valid.
    function verifyProof(
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint256[4] calldata pubSignals
    ) external view returns (bool);
}
