// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

import {IMoltToken} from "../interfaces/IMoltToken.sol";
import {MoltConstants} from "../libraries/MoltConstants.sol";

/// @title MoltToken
/// @notice $MOLT, whitepaper §11.1. See {IMoltToken}.
/// @dev The admin (DEFAULT_ADMIN_ROLE) grants and revokes `MINTER_ROLE`; it cannot mint unless it
///      also holds that role. OpenZeppelin's ERC20Capped is not used because it caps the current
///      supply, which would let burned $MOLT be minted again; here the cap is on `_totalMinted`.
contract MoltToken is ERC20, ERC20Permit, ERC20Burnable, AccessControl, IMoltToken {
    /// @inheritdoc IMoltToken
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @dev Cumulative amount minted; only grows, and never past the cap.
    uint256 private _totalMinted;

    /// @notice Deploys $MOLT with nothing minted and nobody allowed to mint yet.
    /// @param admin Receives DEFAULT_ADMIN_ROLE and so decides who holds `MINTER_ROLE`.
    constructor(address admin)
        ERC20(MoltConstants.TOKEN_NAME, MoltConstants.TOKEN_SYMBOL)
        ERC20Permit(MoltConstants.TOKEN_NAME)
    {
        if (admin == address(0)) {
            revert MoltToken__ZeroAdmin();
        }
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IMoltToken
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        // Compared as a difference so no amount, however large, can overflow past the check.
        uint256 mintable = MoltConstants.TOKEN_SUPPLY_CAP - _totalMinted;
        if (amount > mintable) revert MoltToken__CapExceeded(amount, mintable);
        unchecked {
            _totalMinted += amount; // amount <= mintable, so this stays <= the cap
        }
        _mint(to, amount);
    }

    /// @inheritdoc IMoltToken
    function cap() external pure returns (uint256) {
        return MoltConstants.TOKEN_SUPPLY_CAP;
    }

    /// @inheritdoc IMoltToken
    function totalMinted() external view returns (uint256) {
        return _totalMinted;
    }

    /// @inheritdoc IMoltToken
    function totalBurned() external view returns (uint256) {
        return _totalMinted - totalSupply();
    }

    /// @inheritdoc IERC20Metadata
    function decimals() public pure override(ERC20, IERC20Metadata) returns (uint8) {
        return MoltConstants.TOKEN_DECIMALS;
    }

    /// @inheritdoc IMoltToken
    function burn(uint256 amount) public override(ERC20Burnable, IMoltToken) {
        super.burn(amount);
    }

    /// @inheritdoc IMoltToken
    function burnFrom(address account, uint256 amount) public override(ERC20Burnable, IMoltToken) {
        super.burnFrom(account, amount);
    }

    /// @inheritdoc IERC20Permit
    function nonces(address owner) public view override(ERC20Permit, IERC20Permit) returns (uint256) {
        return super.nonces(owner);
    }
}
