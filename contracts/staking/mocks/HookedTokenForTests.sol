// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

/// @title ITokenHookForTests
/// @notice The ERC-777-style hooks {HookedTokenForTests} calls on registered accounts.
interface ITokenHookForTests {
    /// @notice Called on `from` before its tokens move.
    /// @param to The receiver.
    /// @param amount The amount.
    function beforeTokenSent(address to, uint256 amount) external;

    /// @notice Called on `to` after it received tokens.
    /// @param from The sender.
    /// @param amount The amount.
    function afterTokenReceived(address from, uint256 amount) external;
}

/// @title HookedTokenForTests
/// @notice TEST ONLY, never deployed by a module: a burnable ERC-20 that, like ERC-777, calls
///         hooks on the sender before and on the receiver after every transfer, for accounts
///         that opted in. Staking is deployed on it in the reentrancy tests so that an attacker
///         gets control in the middle of `delegate`, `withdraw`, `claimRewards` and
///         `registerValidator` ($MOLT itself has no hooks).
contract HookedTokenForTests is ERC20, ERC20Burnable {
    mapping(address account => bool) private _hooked;

    /// @notice Deploys the token with nothing minted.
    constructor() ERC20("Hooked", "HOOK") {}

    /// @notice Mints freely (test only).
    /// @param to The receiver.
    /// @param amount The amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Opts the caller in to (or out of) the hooks.
    /// @param enabled Whether hooks are called on the caller.
    function setHooked(bool enabled) external {
        _hooked[msg.sender] = enabled;
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && _hooked[from]) ITokenHookForTests(from).beforeTokenSent(to, value);
        super._update(from, to, value);
        if (to != address(0) && _hooked[to]) ITokenHookForTests(to).afterTokenReceived(from, value);
    }
}
