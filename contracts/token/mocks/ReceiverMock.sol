// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// solhint-disable gas-indexed-events

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IRewardReceiver} from "../../interfaces/IRewardReceiver.sol";

/// @title ReceiverMock
/// @notice TEST ONLY, never deployed by a module: a reward receiver and ETH receiver that records
///         what it is told and can act maliciously, so that the TypeScript tests can exercise
///         `notifyRewards`, reentrancy and failing ETH recipients (forge tests have their own
///         attackers in test/). It can also call any contract, so it can bid and claim.
contract ReceiverMock is IRewardReceiver {
    /// @notice The mock was configured to reject ETH.
    error ReceiverMock__Rejected();

    /// @notice A call made through `execute` reverted.
    /// @param reason The revert data of the call.
    error ReceiverMock__CallFailed(bytes reason);

    /// @notice `notifyRewards(amount)` was called; `balance` is this contract's balance of `token`.
    /// @param amount The amount notified.
    /// @param balance The token balance at that moment.
    event Notified(uint256 amount, uint256 balance);

    /// @notice A reentrant call was attempted from a hook.
    /// @param success Whether it succeeded.
    /// @param returnData What it returned or reverted with.
    event Reentered(bool success, bytes returnData);

    /// @notice The token whose balance `Notified` reports (may be zero).
    IERC20 public token;

    /// @notice The sum of all amounts notified.
    uint256 public totalNotified;

    /// @notice How many times `notifyRewards` was called.
    uint256 public notifyCount;

    /// @notice Whether `receive` reverts.
    bool public rejectEth;

    address private _reenterTarget;
    bytes private _reenterData;

    /// @notice Sets the token whose balance is reported.
    /// @param token_ The token.
    constructor(IERC20 token_) {
        token = token_;
    }

    /// @notice Makes the next hooks (`notifyRewards`, `receive`) call `target` with `data`.
    /// @param target The contract to reenter (zero to stop).
    /// @param data The calldata.
    function setReentry(address target, bytes calldata data) external {
        _reenterTarget = target;
        _reenterData = data;
    }

    /// @notice Makes `receive` revert (or not).
    /// @param reject Whether to revert.
    function setRejectEth(bool reject) external {
        rejectEth = reject;
    }

    /// @notice Calls `target` with `data` and `msg.value`; a revert is wrapped in `ReceiverMock__CallFailed`.
    /// @param target The contract.
    /// @param data The calldata.
    /// @return The return data.
    function execute(address target, bytes calldata data) external payable returns (bytes memory) {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = target.call{value: msg.value}(data);
        if (!ok) revert ReceiverMock__CallFailed(ret);
        return ret;
    }

    /// @inheritdoc IRewardReceiver
    function notifyRewards(uint256 amount) external {
        totalNotified += amount;
        ++notifyCount;
        emit Notified(amount, address(token) == address(0) ? 0 : token.balanceOf(address(this)));
        _reenter();
    }

    // solhint-disable-next-line no-complex-fallback, use-natspec
    receive() external payable {
        // Accepts ETH unless told not to, and reenters if told to.
        if (rejectEth) revert ReceiverMock__Rejected();
        _reenter();
    }

    function _reenter() private {
        address target = _reenterTarget;
        if (target == address(0)) return;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = target.call(_reenterData);
        emit Reentered(ok, ret);
    }
}
