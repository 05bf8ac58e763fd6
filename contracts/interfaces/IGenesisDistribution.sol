// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// Event fields that are amounts stay unindexed: indexing costs more gas and nobody filters by amount.
// solhint-disable gas-indexed-events

import {IMoltToken} from "./IMoltToken.sol";

/// @title IGenesisDistribution
/// @notice The one-time genesis mint of §11.2: 550,000,000 $MOLT, the 55 % of the cap that is not
///         the emission reserve, to fixed recipients: 200M to the community treasury, 120M to the
///         development fund's vesting wallet (4 years, 1-year cliff), 80M to the early hardware
///         manufacturers' vesting wallet (2 years), 100M to the initial-liquidity batch auction
///         and 50M to the security audit fund. The remaining 450M are `Emission`'s to mint.
/// @dev The contract deploys both vesting wallets itself, so their schedules are those of
///      MoltConstants and nobody can substitute another. It needs MoltToken's MINTER_ROLE for
///      `distribute()`, which mints exactly once and then renounces the role: after it, no one can
///      mint through this contract again, and the token shows it (`hasRole` is false).
interface IGenesisDistribution {
    /// @notice Where the genesis allocations go.
    /// @param treasury The community treasury (20 %).
    /// @param liquidityAuction The initial-liquidity batch auction (10 %).
    /// @param securityAuditFund The security audit fund (5 %).
    /// @param developmentBeneficiary The beneficiary of the development fund's vesting wallet (12 %).
    /// @param hardwareBeneficiary The beneficiary of the hardware manufacturers' vesting wallet (8 %).
    struct Recipients {
        address treasury;
        address liquidityAuction;
        address securityAuditFund;
        address developmentBeneficiary;
        address hardwareBeneficiary;
    }

    /// @notice A constructor argument was the zero address.
    error GenesisDistribution__ZeroAddress();

    /// @notice The constructor was given vesting start 0.
    error GenesisDistribution__ZeroVestingStart();

    /// @notice `distribute()` was already called.
    error GenesisDistribution__AlreadyDistributed();

    /// @notice The genesis allocations were minted.
    /// @param treasury The treasury, sent 200M $MOLT.
    /// @param developmentFund The development fund's vesting wallet, sent 120M $MOLT.
    /// @param hardwareFund The hardware manufacturers' vesting wallet, sent 80M $MOLT.
    /// @param liquidityAuction The batch auction, sent 100M $MOLT.
    /// @param securityAuditFund The security audit fund, sent 50M $MOLT.
    event GenesisDistributed(
        address treasury,
        address developmentFund,
        address hardwareFund,
        address liquidityAuction,
        address securityAuditFund
    );

    /// @notice Mints the five genesis allocations, then renounces MINTER_ROLE. Anyone may call it,
    ///         once; the recipients and amounts are fixed.
    /// @dev Reverts with `GenesisDistribution__AlreadyDistributed` on a second call and with
    ///      `AccessControlUnauthorizedAccount` (from the token) if this contract lacks MINTER_ROLE.
    function distribute() external;

    /// @notice $MOLT.
    /// @return The token.
    function token() external view returns (IMoltToken);

    /// @notice When both vesting wallets start vesting (genesis), in seconds.
    /// @return The vesting start.
    function vestingStart() external view returns (uint256);

    /// @notice The community treasury.
    /// @return The address.
    function treasury() external view returns (address);

    /// @notice The initial-liquidity batch auction.
    /// @return The address.
    function liquidityAuction() external view returns (address);

    /// @notice The security audit fund.
    /// @return The address.
    function securityAuditFund() external view returns (address);

    /// @notice The development fund's vesting wallet (a {MoltVestingWallet}).
    /// @return The address.
    function developmentFund() external view returns (address);

    /// @notice The hardware manufacturers' vesting wallet (a {MoltVestingWallet}).
    /// @return The address.
    function hardwareFund() external view returns (address);

    /// @notice True once `distribute()` has run.
    /// @return Whether the genesis mint happened.
    function distributed() external view returns (bool);
}
