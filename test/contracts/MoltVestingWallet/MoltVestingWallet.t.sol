// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {VestingWalletCliff} from "@openzeppelin/contracts/finance/VestingWalletCliff.sol";

import {IMoltVestingWallet} from "../../../contracts/interfaces/IMoltVestingWallet.sol";
import {MoltToken} from "../../../contracts/token/MoltToken.sol";
import {MoltVestingWallet} from "../../../contracts/token/MoltVestingWallet.sol";
import {Test} from "../utils/Test.sol";

uint256 constant MOLT = 1e6;
uint256 constant YEAR = 365 days;
uint64 constant START = 1_800_000_000;
uint256 constant ALLOCATION = 120_000_000 * MOLT;

contract MoltVestingWalletTest is Test {
    MoltToken private token;
    MoltVestingWallet private wallet;
    address private admin = address(0xAD);
    address private beneficiary = address(0xDE5);

    function setUp() public {
        vm.warp(START);
        token = new MoltToken(admin);
        // The development fund's schedule: 4 years, 1-year cliff (§11.2).
        wallet = new MoltVestingWallet(beneficiary, START, uint64(4 * YEAR), uint64(YEAR));
        vm.startPrank(admin);
        token.grantRole(token.MINTER_ROLE(), admin);
        token.mint(address(wallet), ALLOCATION);
        vm.stopPrank();
    }

    function testFuzz_transferOwnership_isImpossibleForAnyone(address caller, address newOwner) public {
        vm.expectRevert(IMoltVestingWallet.MoltVestingWallet__OwnershipNotTransferable.selector);
        vm.prank(caller);
        wallet.transferOwnership(newOwner);
        assertEq(wallet.owner(), beneficiary);
    }

    function test_renounceOwnership_isImpossible() public {
        vm.expectRevert(IMoltVestingWallet.MoltVestingWallet__OwnershipNotTransferable.selector);
        vm.prank(beneficiary);
        wallet.renounceOwnership();
        assertEq(wallet.owner(), beneficiary);
    }

    function testFuzz_release_nothingBeforeTheCliff(uint256 elapsed) public {
        vm.warp(START + bound(elapsed, 0, YEAR - 1));
        assertEq(wallet.releasable(address(token)), 0);
        wallet.release(address(token));
        assertEq(token.balanceOf(beneficiary), 0);
    }

    function testFuzz_release_linearAfterTheCliff(uint256 elapsed, address caller) public {
        elapsed = bound(elapsed, YEAR, 6 * YEAR);
        vm.warp(START + elapsed);
        // Linear from the start, rounded down; everything from 4 years on.
        uint256 expected = elapsed >= 4 * YEAR ? ALLOCATION : ALLOCATION * elapsed / (4 * YEAR);
        vm.prank(caller);
        wallet.release(address(token)); // anyone may trigger it; the beneficiary is paid
        assertEq(token.balanceOf(beneficiary), expected);
        assertEq(token.balanceOf(address(wallet)), ALLOCATION - expected);
    }

    function test_constructor_rejectsBadSchedules() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new MoltVestingWallet(address(0), START, uint64(YEAR), 0);
        vm.expectRevert(
            abi.encodeWithSelector(VestingWalletCliff.InvalidCliffDuration.selector, uint64(2 * YEAR), uint64(YEAR))
        );
        new MoltVestingWallet(beneficiary, START, uint64(YEAR), uint64(2 * YEAR));
    }
}
