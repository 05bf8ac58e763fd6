// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title ReentrantTokenForTests
/// @notice TEST ONLY, never deployed by a module: an ERC-20 that, once armed, calls a target with
///         prepared calldata at the start of its next transfer (before any balance moves, as an
///         ERC-777 sender hook would) and bubbles up the target's revert. The identity tests use
///         it to show that no token-moving function can be re-entered. (It lives under contracts/
///         because Hardhat compiles only that folder.)
contract ReentrantTokenForTests is ERC20, ERC20Permit {
    address private _target;
    bytes private _data;

    /// @notice An unarmed token named "Reentrant".
    constructor() ERC20("Reentrant", "RE") ERC20Permit("Reentrant") {}

    /// @notice Mints freely.
    /// @param to The receiver.
    /// @param amount The amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice The next transfer first calls `target` with `data`, from this contract.
    /// @param target The contract to call.
    /// @param data The calldata.
    function arm(address target, bytes calldata data) external {
        _target = target;
        _data = data;
    }

    function _update(address from, address to, uint256 value) internal override {
        address target = _target;
        if (target != address(0) && from != address(0)) {
            _target = address(0);
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory reason) = target.call(_data);
            if (!ok) {
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    revert(add(reason, 0x20), mload(reason))
                }
            }
        }
        super._update(from, to, value);
    }
}
