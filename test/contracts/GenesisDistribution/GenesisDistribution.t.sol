// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IGenesisDistribution} from "../../../contracts/interfaces/IGenesisDistribution.sol";
import {IMoltToken} from "../../../contracts/interfaces/IMoltToken.sol";
import {GenesisDistribution} from "../../../contracts/token/GenesisDistribution.sol";
import {MoltToken} from "../../../contracts/token/MoltToken.sol";
import {MoltVestingWallet} from "../../../contracts/token/MoltVestingWallet.sol";
import {Test} from "../utils/Test.sol";

/// @dev §11.2 written out here, not read from MoltConstants.
uint256 constant MOLT = 1e6;
uint256 constant YEAR = 365 days;
uint64 constant GENESIS = 1_800_000_000;

contract GenesisDistributionTest is Test {
    MoltToken private token;
    GenesisDistribution private genesis;
    address private admin = address(0xAD);
    IGenesisDistribution.Recipients private recipients = IGenesisDistribution.Recipients({
        treasury: address(0x7EA5),
        liquidityAuction: address(0xA0C7),
        securityAuditFund: address(0xA0D1),
        developmentBeneficiary: address(0xDE5),
        hardwareBeneficiary: address(0x4A4D)
    });

    function setUp() public {
        vm.warp(GENESIS);
        token = new MoltToken(admin);
        genesis = new GenesisDistribution(token, recipients, GENESIS);
        bytes32 minterRole = token.MINTER_ROLE();
        vm.prank(admin);
        token.grantRole(minterRole, address(genesis));
    }

    function test_distribute_mintsExactlyTheFiftyFivePercent() public {
        vm.expectEmit(true, true, true, true, address(genesis));
        emit IGenesisDistribution.GenesisDistributed(
            recipients.treasury,
            genesis.developmentFund(),
            genesis.hardwareFund(),
            recipients.liquidityAuction,
            recipients.securityAuditFund
        );
        genesis.distribute();

        assertEq(token.balanceOf(recipients.treasury), 200_000_000 * MOLT);
        assertEq(token.balanceOf(genesis.developmentFund()), 120_000_000 * MOLT);
        assertEq(token.balanceOf(genesis.hardwareFund()), 80_000_000 * MOLT);
        assertEq(token.balanceOf(recipients.liquidityAuction), 100_000_000 * MOLT);
        assertEq(token.balanceOf(recipients.securityAuditFund), 50_000_000 * MOLT);
        assertEq(token.totalSupply(), 550_000_000 * MOLT);
        assertEq(token.totalMinted(), 550_000_000 * MOLT);
        assertEq(token.cap() - token.totalMinted(), 450_000_000 * MOLT); // the emission reserve
        assertTrue(genesis.distributed());
    }

    function test_distribute_isOneTimeAndRenouncesTheMinterRole() public {
        genesis.distribute();
        assertFalse(token.hasRole(token.MINTER_ROLE(), address(genesis)));
        vm.expectRevert(IGenesisDistribution.GenesisDistribution__AlreadyDistributed.selector);
        genesis.distribute();
        // Even a fresh grant of the role cannot make it mint again.
        bytes32 minterRole = token.MINTER_ROLE();
        vm.prank(admin);
        token.grantRole(minterRole, address(genesis));
        vm.expectRevert(IGenesisDistribution.GenesisDistribution__AlreadyDistributed.selector);
        genesis.distribute();
    }

    function test_distribute_revertsWithoutTheMinterRole() public {
        GenesisDistribution other = new GenesisDistribution(token, recipients, GENESIS);
        bytes32 minterRole = token.MINTER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, address(other), minterRole)
        );
        other.distribute();
        assertFalse(other.distributed());
    }

    function test_distribute_revertsPastTheCap() public {
        bytes32 minterRole = token.MINTER_ROLE();
        vm.startPrank(admin);
        token.grantRole(minterRole, admin);
        token.mint(admin, 500_000_000 * MOLT); // the last allocation (50M) no longer fits
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IMoltToken.MoltToken__CapExceeded.selector, 50_000_000 * MOLT, 0));
        genesis.distribute();
    }

    function test_constructor_deploysTheVestingWallets() public view {
        MoltVestingWallet dev = MoltVestingWallet(payable(genesis.developmentFund()));
        assertEq(dev.owner(), recipients.developmentBeneficiary);
        assertEq(dev.start(), GENESIS);
        assertEq(dev.duration(), 4 * YEAR);
        assertEq(dev.cliff(), GENESIS + YEAR);
        MoltVestingWallet hardware = MoltVestingWallet(payable(genesis.hardwareFund()));
        assertEq(hardware.owner(), recipients.hardwareBeneficiary);
        assertEq(hardware.start(), GENESIS);
        assertEq(hardware.duration(), 2 * YEAR);
        assertEq(hardware.cliff(), GENESIS);
        assertEq(genesis.treasury(), recipients.treasury);
        assertEq(genesis.liquidityAuction(), recipients.liquidityAuction);
        assertEq(genesis.securityAuditFund(), recipients.securityAuditFund);
        assertEq(address(genesis.token()), address(token));
        assertEq(genesis.vestingStart(), GENESIS);
    }

    function testFuzz_constructor_rejectsAnyZeroRecipient(uint256 which) public {
        IGenesisDistribution.Recipients memory bad = recipients;
        which = bound(which, 0, 5);
        if (which == 0) bad.treasury = address(0);
        if (which == 1) bad.liquidityAuction = address(0);
        if (which == 2) bad.securityAuditFund = address(0);
        if (which == 3) bad.developmentBeneficiary = address(0);
        if (which == 4) bad.hardwareBeneficiary = address(0);
        vm.expectRevert(IGenesisDistribution.GenesisDistribution__ZeroAddress.selector);
        new GenesisDistribution(which == 5 ? IMoltToken(address(0)) : token, bad, GENESIS);
    }

    function test_constructor_rejectsZeroVestingStart() public {
        vm.expectRevert(IGenesisDistribution.GenesisDistribution__ZeroVestingStart.selector);
        new GenesisDistribution(token, recipients, 0);
    }
}
