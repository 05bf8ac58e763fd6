// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

import {IMoltToken} from "../../../contracts/interfaces/IMoltToken.sol";
import {MoltToken} from "../../../contracts/token/MoltToken.sol";
import {Test, TestBase} from "../utils/Test.sol";

/// @dev The numbers of §11.1, written out here rather than read from MoltConstants so that a wrong
///      constant fails these tests.
uint256 constant CAP = 1_000_000_000 * 1e6;

contract MoltTokenTest is Test {
    bytes32 private constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    MoltToken private token;
    address private admin = address(0xAD);
    address private minter = address(0x1117);
    address private alice = address(0xA11CE);
    address private bob = address(0xB0B);

    function setUp() public {
        token = new MoltToken(admin);
        bytes32 minterRole = token.MINTER_ROLE();
        vm.prank(admin);
        token.grantRole(minterRole, minter);
    }

    function _mint(address to, uint256 amount) private {
        vm.prank(minter);
        token.mint(to, amount);
    }

    // ----------------------------------------------------------------- deployment

    function test_constructor_setsMetadataAndRoles() public view {
        assertEq(token.name(), "Molt");
        assertEq(token.symbol(), "MOLT");
        assertEq(token.decimals(), 6);
        assertEq(token.cap(), CAP);
        assertEq(token.totalSupply(), 0);
        assertEq(token.MINTER_ROLE(), keccak256("MINTER_ROLE"));
        assertTrue(token.hasRole(token.DEFAULT_ADMIN_ROLE(), admin));
        assertFalse(token.hasRole(token.MINTER_ROLE(), admin));
    }

    function test_constructor_revertsOnZeroAdmin() public {
        vm.expectRevert(IMoltToken.MoltToken__ZeroAdmin.selector);
        new MoltToken(address(0));
    }

    // ----------------------------------------------------------------- mint

    function test_mint_emitsTransferFromZero() public {
        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Transfer(address(0), alice, 5e6);
        _mint(alice, 5e6);
    }

    function testFuzz_mint_succeedsUpToTheCap(uint256 premint, uint256 amount, address to) public {
        vm.assume(to != address(0));
        premint = bound(premint, 0, CAP);
        amount = bound(amount, 0, CAP - premint);
        _mint(bob, premint);

        _mint(to, amount);

        assertEq(token.totalSupply(), premint + amount);
        assertEq(token.totalMinted(), premint + amount);
        assertEq(token.balanceOf(to), to == bob ? premint + amount : amount);
    }

    function testFuzz_mint_revertsPastTheCap(uint256 premint, uint256 amount) public {
        premint = bound(premint, 0, CAP);
        amount = bound(amount, CAP - premint + 1, type(uint256).max);
        _mint(bob, premint);

        vm.expectRevert(abi.encodeWithSelector(IMoltToken.MoltToken__CapExceeded.selector, amount, CAP - premint));
        _mint(alice, amount);
    }

    function testFuzz_mint_burnedSupplyIsNotMintableAgain(uint256 burned) public {
        burned = bound(burned, 1, CAP);
        _mint(alice, CAP);
        vm.prank(alice);
        token.burn(burned);
        assertEq(token.totalBurned(), burned);

        vm.expectRevert(abi.encodeWithSelector(IMoltToken.MoltToken__CapExceeded.selector, 1, 0));
        _mint(alice, 1);
    }

    function testFuzz_mint_revertsForNonMinter(address caller, uint256 amount) public {
        vm.assume(caller != minter);
        bytes32 minterRole = token.MINTER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, minterRole)
        );
        vm.prank(caller);
        token.mint(alice, amount);
    }

    function test_mint_stopsWhenRoleRevoked() public {
        bytes32 minterRole = token.MINTER_ROLE();
        vm.prank(admin);
        token.revokeRole(minterRole, minter);

        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, minter, minterRole)
        );
        _mint(alice, 1);
    }

    // ----------------------------------------------------------------- burn

    function testFuzz_burn_reducesBalanceAndSupply(uint256 minted, uint256 burned) public {
        minted = bound(minted, 0, CAP);
        burned = bound(burned, 0, minted);
        _mint(alice, minted);

        vm.prank(alice);
        token.burn(burned);

        assertEq(token.balanceOf(alice), minted - burned);
        assertEq(token.totalSupply(), minted - burned);
        assertEq(token.totalBurned(), burned);
        assertEq(token.totalMinted(), minted);
    }

    function testFuzz_burn_revertsAboveBalance(uint256 minted, uint256 burned) public {
        minted = bound(minted, 0, CAP - 1);
        burned = bound(burned, minted + 1, type(uint256).max);
        _mint(alice, minted);

        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, minted, burned));
        vm.prank(alice);
        token.burn(burned);
    }

    function testFuzz_burnFrom_spendsAllowance(uint256 minted, uint256 allowance, uint256 burned) public {
        minted = bound(minted, 0, CAP);
        allowance = bound(allowance, 0, minted);
        burned = bound(burned, 0, allowance);
        _mint(alice, minted);
        vm.prank(alice);
        token.approve(bob, allowance);

        vm.prank(bob);
        token.burnFrom(alice, burned);

        assertEq(token.allowance(alice, bob), allowance - burned);
        assertEq(token.balanceOf(alice), minted - burned);
        assertEq(token.totalSupply(), minted - burned);
    }

    function testFuzz_burnFrom_revertsAboveAllowance(uint256 allowance, uint256 burned) public {
        allowance = bound(allowance, 0, CAP - 1);
        burned = bound(burned, allowance + 1, CAP);
        _mint(alice, CAP);
        vm.prank(alice);
        token.approve(bob, allowance);

        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, bob, allowance, burned)
        );
        vm.prank(bob);
        token.burnFrom(alice, burned);
    }

    // ----------------------------------------------------------------- transfer

    function testFuzz_transfer_conservesSupply(uint256 minted, uint256 sent, address to) public {
        vm.assume(to != address(0));
        minted = bound(minted, 0, CAP);
        sent = bound(sent, 0, minted);
        _mint(alice, minted);
        uint256 toBefore = token.balanceOf(to);

        vm.prank(alice);
        token.transfer(to, sent);

        assertEq(token.totalSupply(), minted);
        if (to == alice) {
            assertEq(token.balanceOf(alice), minted);
        } else {
            assertEq(token.balanceOf(alice), minted - sent);
            assertEq(token.balanceOf(to), toBefore + sent);
        }
    }

    // ----------------------------------------------------------------- permit (EIP-2612)

    function _permitDigest(address owner, address spender, uint256 value, uint256 nonce, uint256 deadline)
        private
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline));
        return keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
    }

    function testFuzz_permit_setsAllowanceOnce(uint256 ownerKey, address spender, uint256 value, uint256 deadline)
        public
    {
        // Valid secp256k1 private keys are 1 .. n-1.
        ownerKey = bound(ownerKey, 1, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140);
        vm.assume(spender != address(0));
        deadline = bound(deadline, block.timestamp, type(uint256).max);
        address owner = makeAddr(ownerKey, "owner");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey, _permitDigest(owner, spender, value, 0, deadline));

        token.permit(owner, spender, value, deadline, v, r, s);

        assertEq(token.allowance(owner, spender), value);
        assertEq(token.nonces(owner), 1);
        // The same signature again: the nonce moved on, so it recovers another signer.
        vm.expectRevert();
        token.permit(owner, spender, value, deadline, v, r, s);
    }

    function testFuzz_permit_revertsAfterDeadline(uint256 deadline, uint256 lateBy) public {
        uint256 ownerKey = 0xA11CE;
        address owner = vm.addr(ownerKey);
        deadline = bound(deadline, block.timestamp, type(uint128).max);
        lateBy = bound(lateBy, 1, type(uint64).max);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey, _permitDigest(owner, bob, 1, 0, deadline));
        vm.warp(deadline + lateBy);

        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        token.permit(owner, bob, 1, deadline, v, r, s);
    }
}

/// @notice Drives MoltToken through random mints, burns, burnFroms and transfers among a fixed set
///         of actors, keeping ghost sums of what was minted and burned. Every input is bounded to
///         a valid call, so with `fail_on_revert` any revert is a bug.
contract MoltTokenHandler is TestBase {
    /// @notice A mint past the cap went through.
    error MintedPastCap(uint256 amount, uint256 mintable);

    MoltToken public immutable token;
    address public immutable minter;
    address[] public actors;

    uint256 public ghostMinted;
    uint256 public ghostBurned;
    uint256 public capRejections;

    constructor(MoltToken token_, address minter_, address[] memory actors_) {
        token = token_;
        minter = minter_;
        actors = actors_;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }

    function mint(uint256 toSeed, uint256 amount) external {
        amount = bound(amount, 0, token.cap() - token.totalMinted());
        vm.prank(minter);
        token.mint(_actor(toSeed), amount);
        ghostMinted += amount;
    }

    /// @dev Asks for more than is left; the mint must fail, or the cap was bypassed.
    function mintPastCap(uint256 toSeed, uint256 excess) external {
        uint256 mintable = token.cap() - token.totalMinted();
        uint256 amount = mintable + bound(excess, 1, type(uint256).max - mintable);
        vm.prank(minter);
        try token.mint(_actor(toSeed), amount) {
            revert MintedPastCap(amount, mintable);
        } catch (bytes memory reason) {
            assertEq(
                keccak256(reason),
                keccak256(abi.encodeWithSelector(IMoltToken.MoltToken__CapExceeded.selector, amount, mintable))
            );
            capRejections += 1;
        }
    }

    function burn(uint256 fromSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.burn(amount);
        ghostBurned += amount;
    }

    function burnFrom(uint256 ownerSeed, uint256 spenderSeed, uint256 amount) external {
        address owner = _actor(ownerSeed);
        address spender = _actor(spenderSeed);
        amount = bound(amount, 0, token.balanceOf(owner));
        vm.prank(owner);
        token.approve(spender, amount);
        vm.prank(spender);
        token.burnFrom(owner, amount);
        ghostBurned += amount;
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.transfer(_actor(toSeed), amount);
    }
}

contract MoltTokenInvariantTest is Test {
    MoltToken private token;
    MoltTokenHandler private handler;

    function setUp() public {
        address admin = address(0xAD);
        address minter = address(0x1117);
        token = new MoltToken(admin);
        bytes32 minterRole = token.MINTER_ROLE();
        vm.prank(admin);
        token.grantRole(minterRole, minter);

        address[] memory actors = new address[](4);
        for (uint256 i = 0; i < actors.length; ++i) {
            actors[i] = address(uint160(0xAC7000 + i));
        }
        handler = new MoltTokenHandler(token, minter, actors);

        bytes4[] memory selectors = new bytes4[](5);
        selectors[0] = MoltTokenHandler.mint.selector;
        selectors[1] = MoltTokenHandler.mintPastCap.selector;
        selectors[2] = MoltTokenHandler.burn.selector;
        selectors[3] = MoltTokenHandler.burnFrom.selector;
        selectors[4] = MoltTokenHandler.transfer.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    function invariant_supplyNeverExceedsCap() public view {
        assertLe(token.totalSupply(), CAP);
        assertLe(token.totalMinted(), CAP);
    }

    function invariant_supplyIsMintedMinusBurned() public view {
        assertEq(token.totalMinted(), handler.ghostMinted());
        assertEq(token.totalSupply(), handler.ghostMinted() - handler.ghostBurned());
        assertEq(token.totalBurned(), handler.ghostBurned());
    }

    function invariant_actorBalancesSumToSupply() public view {
        uint256 sum;
        for (uint256 i = 0; i < handler.actorCount(); ++i) {
            sum += token.balanceOf(handler.actors(i));
        }
        assertEq(sum, token.totalSupply());
    }
}
