// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IRewardReceiver
/// @notice A contract that distributes $MOLT rewards it has been sent (the staking contract for
///         the validators' 30 % of emission, §11.6). The payer transfers `amount` first, then calls
///         `notifyRewards(amount)` in the same transaction.
interface IRewardReceiver {
    /// @notice `amount` micromolt were just transferred to this contract as rewards.
    /// @param amount The micromolt transferred, which the receiver credits for distribution.
    function notifyRewards(uint256 amount) external;
}
