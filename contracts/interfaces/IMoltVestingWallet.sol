// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IMoltVestingWallet
/// @notice The errors of {MoltVestingWallet}: an OpenZeppelin VestingWalletCliff (linear vesting
///         after a cliff, released to its owner, the beneficiary) whose ownership can be neither
///         transferred nor renounced.
/// @dev Why: OpenZeppelin's VestingWallet is Ownable, so a beneficiary can sell its unvested tokens
///      by selling the wallet itself (`transferOwnership` to the buyer), which defeats the vesting
///      of §11.2. Blocking `transferOwnership` closes that path on chain. It cannot stop a
///      beneficiary that is itself a contract (a multisig, a smart account) from handing control
///      of that contract to someone else; that part is an off-chain (contractual) matter, see
///      docs/contracts-monetary.md. The price: a beneficiary key cannot be rotated either, so the
///      beneficiary should be a multisig that rotates its own signers.
interface IMoltVestingWallet {
    /// @notice `transferOwnership` or `renounceOwnership` was called: the beneficiary is fixed.
    error MoltVestingWallet__OwnershipNotTransferable();
}
