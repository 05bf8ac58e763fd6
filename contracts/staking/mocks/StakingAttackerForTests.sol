// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// solhint-disable gas-indexed-events

import {ITokenHookForTests} from "./HookedTokenForTests.sol";

/// @title StakingAttackerForTests
/// @notice TEST ONLY, never deployed by a module: an account contract that calls staking through
///         `execute` and, from the token hooks of {HookedTokenForTests}, tries one reentrant call.
///         It records the outcome instead of reverting, so a test can check that the reentrant
///         call failed with `ReentrancyGuardReentrantCall()` while the outer call went through.
contract StakingAttackerForTests is ITokenHookForTests {
    /// @notice A call made through `execute` reverted.
    /// @param reason The revert data of the call.
    error StakingAttackerForTests__CallFailed(bytes reason);

    /// @notice A reentrant call was attempted from a hook.
    /// @param success Whether it succeeded.
    /// @param returnData What it returned or reverted with.
    event Reentered(bool success, bytes returnData);

    /// @notice How many reentrant calls were attempted.
    uint256 public attempts;

    /// @notice Whether the last reentrant call succeeded.
    bool public lastSuccess;

    /// @notice What the last reentrant call returned or reverted with.
    bytes public lastReturnData;

    address private _target;
    bytes private _data;

    /// @notice Makes the next hook call `target` with `data` (once; zero to stop).
    /// @param target The contract to reenter.
    /// @param data The calldata.
    function setReentry(address target, bytes calldata data) external {
        _target = target;
        _data = data;
    }

    /// @notice Calls `target` with `data`; a revert is wrapped in `StakingAttackerForTests__CallFailed`.
    /// @param target The contract.
    /// @param data The calldata.
    /// @return The return data.
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok) revert StakingAttackerForTests__CallFailed(ret);
        return ret;
    }

    /// @inheritdoc ITokenHookForTests
    function beforeTokenSent(address, uint256) external {
        _reenter();
    }

    /// @inheritdoc ITokenHookForTests
    function afterTokenReceived(address, uint256) external {
        _reenter();
    }

    function _reenter() private {
        address target = _target;
        if (target == address(0)) return;
        _target = address(0);
        ++attempts;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = target.call(_data);
        lastSuccess = ok;
        lastReturnData = ret;
        emit Reentered(ok, ret);
    }
}
