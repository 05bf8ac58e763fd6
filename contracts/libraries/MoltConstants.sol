// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title MoltConstants
/// @notice The protocol constants of the L2 contracts, each with the whitepaper section it comes
///         from (DESIGN.md §5: one parameters module per side; the rollup's twin is its params.ts).
///         Contracts use these names and never repeat the numbers.
library MoltConstants {
    // ---------------------------------------------------------------- §11.1 Token: $MOLT

    /// @notice ERC-20 name of $MOLT.
    string internal constant TOKEN_NAME = "Molt";

    /// @notice ERC-20 symbol of $MOLT (§11.1 "$MOLT").
    string internal constant TOKEN_SYMBOL = "MOLT";

    /// @notice §11.1 "Smallest unit: 1 micromolt = 0.000001 $MOLT", so 6 decimals.
    uint8 internal constant TOKEN_DECIMALS = 6;

    /// @notice One whole $MOLT in base units (micromolt): 10^TOKEN_DECIMALS.
    uint256 internal constant MOLT = 10 ** TOKEN_DECIMALS;

    /// @notice §11.1 "Total supply cap: 1,000,000,000 (1 billion) $MOLT", in micromolt.
    uint256 internal constant TOKEN_SUPPLY_CAP = 1_000_000_000 * MOLT;
}
