// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title Vm
/// @notice The cheatcodes our forge tests use. forge (and Hardhat's Solidity test runner) answer
///         calls to this interface at `TestBase.vm`'s address; signatures must match theirs exactly, since
///         the runner dispatches on the selector. Add a cheatcode here when a test needs it.
/// @dev forge-std cannot be installed offline (TOOLCHAIN.md), hence this small, original base.
interface Vm {
    // --- caller, time, balances
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function warp(uint256 newTimestamp) external;
    function roll(uint256 newHeight) external;
    function deal(address account, uint256 newBalance) external;
    function mockCall(address callee, bytes calldata data, bytes calldata returnData) external;
    function clearMockedCalls() external;

    // --- expectations on the next call
    function expectRevert() external;
    function expectRevert(bytes4 revertData) external;
    function expectRevert(bytes calldata revertData) external;
    function expectEmit() external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData) external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData, address emitter) external;

    // --- fuzzing
    function assume(bool condition) external pure;

    // --- keys and labels
    function addr(uint256 privateKey) external pure returns (address keyAddr);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function signP256(uint256 privateKey, bytes32 digest) external pure returns (bytes32 r, bytes32 s);
    function publicKeyP256(uint256 privateKey) external pure returns (uint256 publicKeyX, uint256 publicKeyY);
    function label(address account, string calldata newLabel) external;

    // --- assertions (the runner puts both values, and the message if any, in the failure)
    function assertTrue(bool condition) external pure;
    function assertTrue(bool condition, string calldata error) external pure;
    function assertFalse(bool condition) external pure;
    function assertFalse(bool condition, string calldata error) external pure;
    function assertEq(bool left, bool right) external pure;
    function assertEq(uint256 left, uint256 right) external pure;
    function assertEq(uint256 left, uint256 right, string calldata error) external pure;
    function assertEq(address left, address right) external pure;
    function assertEq(bytes32 left, bytes32 right) external pure;
    function assertEq(string calldata left, string calldata right) external pure;
    function assertLt(uint256 left, uint256 right) external pure;
    function assertLe(uint256 left, uint256 right) external pure;
    function assertLe(uint256 left, uint256 right, string calldata error) external pure;
    function assertGt(uint256 left, uint256 right) external pure;
    function assertGe(uint256 left, uint256 right) external pure;
}

/// @title TestBase
/// @notice `vm`, assertions and fuzz helpers, without any public function, so that invariant
///         handlers can use it too (forge would otherwise call the hooks of {Test} as handler
///         functions).
/// @dev A test fails when it reverts; every assertion here reverts on failure, through the
///      `vm.assert*` cheatcodes so the message shows both values.
abstract contract TestBase {
    /// @notice `bound` was asked for an empty range.
    error BoundMinAboveMax(uint256 min, uint256 max);

    /// @dev The address every runner serves cheatcodes at: address(bytes20(uint160(uint256(
    ///      keccak256("hevm cheat code"))))).
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    // ------------------------------------------------------------------ assertions

    function assertTrue(bool condition) internal pure {
        vm.assertTrue(condition);
    }

    function assertTrue(bool condition, string memory message) internal pure {
        vm.assertTrue(condition, message);
    }

    function assertFalse(bool condition) internal pure {
        vm.assertFalse(condition);
    }

    function assertFalse(bool condition, string memory message) internal pure {
        vm.assertFalse(condition, message);
    }

    function assertEq(bool left, bool right) internal pure {
        vm.assertEq(left, right);
    }

    function assertEq(uint256 left, uint256 right) internal pure {
        vm.assertEq(left, right);
    }

    function assertEq(uint256 left, uint256 right, string memory message) internal pure {
        vm.assertEq(left, right, message);
    }

    function assertEq(address left, address right) internal pure {
        vm.assertEq(left, right);
    }

    function assertEq(bytes32 left, bytes32 right) internal pure {
        vm.assertEq(left, right);
    }

    function assertEq(string memory left, string memory right) internal pure {
        vm.assertEq(left, right);
    }

    function assertLt(uint256 left, uint256 right) internal pure {
        vm.assertLt(left, right);
    }

    function assertLe(uint256 left, uint256 right) internal pure {
        vm.assertLe(left, right);
    }

    function assertLe(uint256 left, uint256 right, string memory message) internal pure {
        vm.assertLe(left, right, message);
    }

    function assertGt(uint256 left, uint256 right) internal pure {
        vm.assertGt(left, right);
    }

    function assertGe(uint256 left, uint256 right) internal pure {
        vm.assertGe(left, right);
    }

    // ------------------------------------------------------------------ fuzz helpers

    /// @notice Maps any `x` into [min, max]: values already inside stay unchanged (so the fuzzer's
    ///         boundary guesses survive), others wrap around the range.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        if (min > max) revert BoundMinAboveMax(min, max);
        if (x >= min && x <= max) return x;
        uint256 span = max - min;
        if (span == type(uint256).max) return x; // the full range: every x is already inside
        return min + (x % (span + 1));
    }

    /// @notice An address for the private key `privateKey`, labelled `name` in traces.
    function makeAddr(uint256 privateKey, string memory name) internal returns (address account) {
        account = vm.addr(privateKey);
        vm.label(account, name);
    }
}

/// @title Test
/// @notice Base contract for our forge tests: {TestBase} plus the invariant-target hooks forge
///         reads from a test contract.
/// @dev forge runs every public `test*` function (fuzzed if it takes arguments) after `setUp()`,
///      and checks every `invariant*` function after each call of random call sequences made to
///      the targets registered below.
abstract contract Test is TestBase {
    // ------------------------------------------------------------------ invariant targets

    /// @notice The functions of one target contract forge may call in invariant runs.
    /// @dev Field order and types are what forge decodes from `targetSelectors()`.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetContracts;
    address[] private _targetSenders;
    FuzzSelector[] private _targetSelectors;

    /// @notice Restricts invariant calls to `target` (and other targets added the same way).
    function targetContract(address target) internal {
        _targetContracts.push(target);
    }

    /// @notice Restricts invariant calls on `selector.addr` to `selector.selectors`.
    function targetSelector(FuzzSelector memory selector) internal {
        _targetSelectors.push(selector);
    }

    /// @notice Restricts the `msg.sender`s of invariant calls to the senders added this way.
    function targetSender(address sender) internal {
        _targetSenders.push(sender);
    }

    /// @notice Read by forge before an invariant campaign; empty means "every deployed contract".
    function targetContracts() public view returns (address[] memory) {
        return _targetContracts;
    }

    /// @notice Read by forge before an invariant campaign; empty means "every function".
    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetSelectors;
    }

    /// @notice Read by forge before an invariant campaign; empty means "random senders".
    function targetSenders() public view returns (address[] memory) {
        return _targetSenders;
    }
}
