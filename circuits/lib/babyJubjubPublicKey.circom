pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/escalarmulfix.circom";
include "./assertBitsAtMost.circom";

// The Baby Jubjub public key (Ax, Ay) = secret · Base8 of a secret scalar, with 0 ≤ secret < l
// enforced (l: the order of the prime subgroup Base8 generates, EIP-2494).
//
// The range check makes the secret unique for its public key: secret and secret + l have the
// same key, hence the same identity commitment, but different nullifiers Poseidon(scope, secret),
// so without it one identity could act twice in a scope. Num2Bits(251) bounds the secret below
// 2^251 and gives the bits that EscalarMulFix needs (l < 2^251); AssertBitsAtMost then checks
// secret ≤ l - 1 on the same bits. circomlib's BabyPbk takes 253 bits and Semaphore v4 adds
// LessThan(251) (252 constraints) on top; this does the same job with 168.
template BabyJubjubPublicKey() {
    signal input secret;
    signal output Ax;
    signal output Ay;

    var SUBGROUP_ORDER = 2736030358979909402780800718157159386076813972158567259200215660948447373041;
    var BASE8[2] = [
        5299619240641551281634865583518297030282874472190772894086521144482721001553,
        16950150798460657717958625567821834550301663161624707787222815936182638968203
    ];

    signal bits[251] <== Num2Bits(251)(secret);
    AssertBitsAtMost(251, SUBGROUP_ORDER - 1)(bits);

    signal point[2] <== EscalarMulFix(251, BASE8)(bits);
    Ax <== point[0];
    Ay <== point[1];
}
