// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IGenesisDistribution} from "../interfaces/IGenesisDistribution.sol";
import {IMoltToken} from "../interfaces/IMoltToken.sol";
import {MoltConstants} from "../libraries/MoltConstants.sol";
import {MoltVestingWallet} from "./MoltVestingWallet.sol";

/// @title GenesisDistribution
/// @notice The one-time §11.2 genesis mint. See {IGenesisDistribution}.
/// @dev No roles of its own: once deployed, nobody controls it; `distribute()` can only mint the
///      fixed allocations to the fixed recipients, once.
contract GenesisDistribution is IGenesisDistribution {
    IMoltToken private immutable _TOKEN;
    uint256 private immutable _VESTING_START;
    address private immutable _TREASURY;
    address private immutable _LIQUIDITY_AUCTION;
    address private immutable _SECURITY_AUDIT_FUND;
    address private immutable _DEVELOPMENT_FUND;
    address private immutable _HARDWARE_FUND;

    bool private _distributed;

    /// @notice Deploys the distribution and the two vesting wallets it funds.
    /// @param token_ $MOLT; grant this contract MINTER_ROLE before calling `distribute()`.
    /// @param recipients Where the allocations go; none may be zero.
    /// @param vestingStart_ When the vesting wallets start vesting (genesis), in seconds.
    constructor(IMoltToken token_, Recipients memory recipients, uint64 vestingStart_) {
        if (
            address(token_) == address(0) || recipients.treasury == address(0)
                || recipients.liquidityAuction == address(0) || recipients.securityAuditFund == address(0)
                || recipients.developmentBeneficiary == address(0) || recipients.hardwareBeneficiary == address(0)
        ) revert GenesisDistribution__ZeroAddress();
        if (vestingStart_ == 0) revert GenesisDistribution__ZeroVestingStart();
        _TOKEN = token_;
        _VESTING_START = vestingStart_;
        _TREASURY = recipients.treasury;
        _LIQUIDITY_AUCTION = recipients.liquidityAuction;
        _SECURITY_AUDIT_FUND = recipients.securityAuditFund;
        _DEVELOPMENT_FUND = address(
            new MoltVestingWallet(
                recipients.developmentBeneficiary,
                vestingStart_,
                MoltConstants.DEVELOPMENT_FUND_VESTING_DURATION,
                MoltConstants.DEVELOPMENT_FUND_VESTING_CLIFF
            )
        );
        _HARDWARE_FUND = address(
            new MoltVestingWallet(
                recipients.hardwareBeneficiary, vestingStart_, MoltConstants.HARDWARE_MANUFACTURERS_VESTING_DURATION, 0
            )
        );
    }

    /// @inheritdoc IGenesisDistribution
    function distribute() external {
        if (_distributed) revert GenesisDistribution__AlreadyDistributed();
        _distributed = true;
        emit GenesisDistributed(_TREASURY, _DEVELOPMENT_FUND, _HARDWARE_FUND, _LIQUIDITY_AUCTION, _SECURITY_AUDIT_FUND);

        // The five amounts sum to MoltConstants.GENESIS_MINT (550M $MOLT); $MOLT is trusted.
        _TOKEN.mint(_TREASURY, MoltConstants.GENESIS_COMMUNITY_TREASURY);
        _TOKEN.mint(_DEVELOPMENT_FUND, MoltConstants.GENESIS_DEVELOPMENT_FUND);
        _TOKEN.mint(_HARDWARE_FUND, MoltConstants.GENESIS_HARDWARE_MANUFACTURERS);
        _TOKEN.mint(_LIQUIDITY_AUCTION, MoltConstants.GENESIS_INITIAL_LIQUIDITY);
        _TOKEN.mint(_SECURITY_AUDIT_FUND, MoltConstants.GENESIS_SECURITY_AUDIT_FUND);
        IAccessControl(address(_TOKEN)).renounceRole(_TOKEN.MINTER_ROLE(), address(this));
    }

    /// @inheritdoc IGenesisDistribution
    function token() external view returns (IMoltToken) {
        return _TOKEN;
    }

    /// @inheritdoc IGenesisDistribution
    function vestingStart() external view returns (uint256) {
        return _VESTING_START;
    }

    /// @inheritdoc IGenesisDistribution
    function treasury() external view returns (address) {
        return _TREASURY;
    }

    /// @inheritdoc IGenesisDistribution
    function liquidityAuction() external view returns (address) {
        return _LIQUIDITY_AUCTION;
    }

    /// @inheritdoc IGenesisDistribution
    function securityAuditFund() external view returns (address) {
        return _SECURITY_AUDIT_FUND;
    }

    /// @inheritdoc IGenesisDistribution
    function developmentFund() external view returns (address) {
        return _DEVELOPMENT_FUND;
    }

    /// @inheritdoc IGenesisDistribution
    function hardwareFund() external view returns (address) {
        return _HARDWARE_FUND;
    }

    /// @inheritdoc IGenesisDistribution
    function distributed() external view returns (bool) {
        return _distributed;
    }
}
