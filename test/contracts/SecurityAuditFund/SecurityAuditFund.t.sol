// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ISecurityAuditFund} from "../../../contracts/interfaces/ISecurityAuditFund.sol";
import {MoltRoles} from "../../../contracts/libraries/MoltRoles.sol";
import {MoltToken} from "../../../contracts/token/MoltToken.sol";
import {SecurityAuditFund} from "../../../contracts/treasury/SecurityAuditFund.sol";
import {Test} from "../utils/Test.sol";

uint256 constant FUND = 50_000_000 * 1e6;

contract SecurityAuditFundTest is Test {
    MoltToken private token;
    SecurityAuditFund private fund;
    address private admin = address(0xAD);
    address private governance = address(0x60F);
    address private auditor = address(0xA0D170);

    function setUp() public {
        token = new MoltToken(admin);
        fund = new SecurityAuditFund(token, admin);
        vm.startPrank(admin);
        token.grantRole(token.MINTER_ROLE(), admin);
        token.mint(address(fund), FUND);
        fund.grantRole(MoltRoles.GOVERNANCE_ROLE, governance);
        vm.stopPrank();
    }

    function testFuzz_releaseForAudit_paysOncePerReport(bytes32 reportHash, uint256 amount, uint256 second) public {
        vm.assume(reportHash != bytes32(0));
        amount = bound(amount, 1, FUND);
        vm.expectEmit(true, true, true, true, address(fund));
        emit ISecurityAuditFund.AuditPaid(reportHash, auditor, amount);
        vm.prank(governance);
        fund.releaseForAudit(reportHash, auditor, amount);
        assertEq(token.balanceOf(auditor), amount);
        assertEq(fund.paidFor(reportHash), amount);
        assertEq(fund.totalReleased(), amount);

        second = bound(second, 1, FUND);
        vm.expectRevert(abi.encodeWithSelector(ISecurityAuditFund.SecurityAuditFund__AlreadyPaid.selector, reportHash));
        vm.prank(governance);
        fund.releaseForAudit(reportHash, auditor, second);
    }

    function testFuzz_releaseForAudit_revertsAboveTheBalance(uint256 amount) public {
        amount = bound(amount, FUND + 1, type(uint256).max);
        vm.expectRevert(
            abi.encodeWithSelector(ISecurityAuditFund.SecurityAuditFund__InsufficientFunds.selector, FUND, amount)
        );
        vm.prank(governance);
        fund.releaseForAudit(keccak256("report"), auditor, amount);
    }

    function test_releaseForAudit_rejectsBadInput() public {
        vm.startPrank(governance);
        vm.expectRevert(ISecurityAuditFund.SecurityAuditFund__ZeroReportHash.selector);
        fund.releaseForAudit(bytes32(0), auditor, 1);
        vm.expectRevert(ISecurityAuditFund.SecurityAuditFund__ZeroAddress.selector);
        fund.releaseForAudit(keccak256("report"), address(0), 1);
        vm.expectRevert(ISecurityAuditFund.SecurityAuditFund__ZeroAmount.selector);
        fund.releaseForAudit(keccak256("report"), auditor, 0);
        vm.stopPrank();
    }

    function testFuzz_releaseForAudit_revertsForNonGovernance(address caller) public {
        vm.assume(caller != governance);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, caller, MoltRoles.GOVERNANCE_ROLE
            )
        );
        vm.prank(caller);
        fund.releaseForAudit(keccak256("report"), auditor, 1);
    }

    function test_constructor_rejectsZeroAddresses() public {
        vm.expectRevert(ISecurityAuditFund.SecurityAuditFund__ZeroAddress.selector);
        new SecurityAuditFund(IERC20(address(0)), admin);
        vm.expectRevert(ISecurityAuditFund.SecurityAuditFund__ZeroAddress.selector);
        new SecurityAuditFund(token, address(0));
    }
}
