pragma circom 2.1.0;

include "./lib/membership.circom";

// The anonymity set's membership circuit at depth 20 (2^20 identities): the one the ceremony
// (circuits/ceremony/) and contracts/verifiers/MembershipVerifier.sol are made for. Public signals:
// [root, nullifier, scope, message]. See lib/membership.circom and docs/privacy.md.
component main {public [scope, message]} = Membership(20);
