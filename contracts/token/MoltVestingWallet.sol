// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";
import {VestingWalletCliff} from "@openzeppelin/contracts/finance/VestingWalletCliff.sol";

import {IMoltVestingWallet} from "../interfaces/IMoltVestingWallet.sol";

/// @title MoltVestingWallet
/// @notice A vesting wallet with a fixed beneficiary, for the §11.2 development fund (4 years,
///         1-year cliff) and early hardware manufacturers (2 years, no cliff). See
///         {IMoltVestingWallet}.
/// @dev Vesting is OpenZeppelin's: nothing before the cliff, then `total * (now - start) /
///      duration` (rounded down) until `start + duration`, everything after. Anyone may call
///      `release(token)`; it always pays the fixed owner.
contract MoltVestingWallet is VestingWalletCliff, IMoltVestingWallet {
    /// @notice Deploys a wallet vesting everything it holds to `beneficiary`.
    /// @dev Reverts with `OwnableInvalidOwner(address(0))` on a zero beneficiary and with
    ///      `InvalidCliffDuration` if `cliffSeconds > durationSeconds`.
    /// @param beneficiary The owner, forever.
    /// @param startTimestamp When vesting starts, in seconds.
    /// @param durationSeconds How long it lasts, in seconds.
    /// @param cliffSeconds How long after the start nothing is releasable, in seconds.
    constructor(address beneficiary, uint64 startTimestamp, uint64 durationSeconds, uint64 cliffSeconds)
        VestingWallet(beneficiary, startTimestamp, durationSeconds)
        VestingWalletCliff(cliffSeconds)
    {}

    /// @notice Always reverts: the beneficiary cannot sell its unvested tokens by selling the wallet.
    function transferOwnership(address) public pure override {
        revert MoltVestingWallet__OwnershipNotTransferable();
    }

    /// @notice Always reverts: renouncing would lock the tokens forever.
    function renounceOwnership() public pure override {
        revert MoltVestingWallet__OwnershipNotTransferable();
    }
}
