// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title IMoltToken
/// @notice $MOLT (whitepaper §11.1): the ERC-20 of Open Moltbook, with EIP-2612 permit, 6 decimals
///         (1 micromolt = 10^-6 $MOLT), a hard cap of 1,000,000,000 $MOLT on everything ever
///         minted, burning by holders and approved spenders, and minting only by accounts holding
///         `MINTER_ROLE` (the genesis distribution and emission contracts, §11.2-11.3).
/// @dev The cap bounds the cumulative amount minted, not only the current supply: burned $MOLT
///      never makes room for new mints, so `totalSupply() + totalBurned() <= cap()` always holds
///      (DESIGN.md §4: "L2 supply + burned <= 1B cap"). A tail emission (§11.7) would need a
///      protocol upgrade, as the paper says.
///      Besides the errors below, calls revert with the EIP-6093 / OpenZeppelin errors of the
///      bases: `AccessControlUnauthorizedAccount(account, role)` when a non-minter mints,
///      `ERC20InvalidReceiver`, `ERC20InsufficientBalance` and `ERC20InsufficientAllowance` on
///      mints, transfers and burns, `ERC2612ExpiredSignature(deadline)` and
///      `ERC2612InvalidSigner(signer, owner)` on permits.
///      A mint is a `Transfer` from the zero address, a burn a `Transfer` to it.
interface IMoltToken is IERC20Metadata, IERC20Permit {
    /// @notice The constructor was given the zero address as admin, which would leave nobody able
    ///         to grant `MINTER_ROLE`, so no $MOLT could ever exist.
    error MoltToken__ZeroAdmin();

    /// @notice A mint asked for more than is left under the cap.
    /// @param amount The amount asked for, in micromolt.
    /// @param mintable What may still be minted: `cap() - totalMinted()`, in micromolt.
    error MoltToken__CapExceeded(uint256 amount, uint256 mintable);

    /// @notice The role whose holders may mint: keccak256("MINTER_ROLE").
    function MINTER_ROLE() external view returns (bytes32);

    /// @notice The hard cap on everything ever minted, in micromolt: 1,000,000,000 * 10^6 (§11.1).
    function cap() external view returns (uint256);

    /// @notice Everything minted so far, in micromolt, burned or not. Never exceeds `cap()`.
    function totalMinted() external view returns (uint256);

    /// @notice Everything burned so far, in micromolt: `totalMinted() - totalSupply()`.
    function totalBurned() external view returns (uint256);

    /// @notice Creates `amount` micromolt for `to`.
    /// @dev Only for `MINTER_ROLE` holders. Reverts with `MoltToken__CapExceeded` if
    ///      `amount > cap() - totalMinted()`, and with `ERC20InvalidReceiver` if `to` is the zero
    ///      address.
    /// @param to The receiver of the new tokens.
    /// @param amount The amount to create, in micromolt.
    function mint(address to, uint256 amount) external;

    /// @notice Destroys `amount` of the caller's tokens.
    /// @param amount The amount to destroy, in micromolt.
    function burn(uint256 amount) external;

    /// @notice Destroys `amount` of `account`'s tokens, spending the caller's allowance from it.
    /// @param account The holder whose tokens are destroyed.
    /// @param amount The amount to destroy, in micromolt.
    function burnFrom(address account, uint256 amount) external;
}
