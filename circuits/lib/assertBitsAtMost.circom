pragma circom 2.1.0;

include "circomlib/circuits/comparators.circom";

// Asserts x ≤ ct, where x = Σ in[i]·2^i is given by its n little-endian bits (the caller has
// constrained each to 0 or 1) and ct < 2^n is a constant.
//
// The comparison walks ct from its most significant bit in maximal runs of equal bits, keeping
// `eq` = 1 while the bits of x seen so far equal ct's. Under a run of zeros of ct, x must have
// zeros while eq = 1: eq · (sum of x's bits there) = 0 is one constraint for the whole run (the
// bits are 0/1 and their sum is far below p, so it is 0 only when each bit is). Under a run of
// ones, eq stays 1 only if every bit of x is 1, and a 0 there makes x smaller than ct whatever
// follows: eq' = eq · Π bits, as a chain of products for a short run or as
// eq · IsEqual(sum, length) (3 constraints) for a long one. Each run costs at most 3 constraints
// instead of one per bit: for ct = l - 1 (Baby Jubjub's subgroup order l, 251 bits in 120
// runs) that is 168 constraints, against 252 for circomlib's LessThan(251).
//
// Every signal here is defined with <== (no hint but IsZero's inverse), so the witness
// generator's checks are exactly the constraints.
template AssertBitsAtMost(n, ct) {
    signal input in[n];

    assert(n >= 1 && n <= 252);
    assert(ct < 2 ** n);

    signal chain[n];
    signal runOnes[n];
    component allOnes[n];

    var eq = 1;     // the constant 1 until the first run of ones, then a signal
    var i = n - 1;
    while (i >= 0) {
        var bit = (ct >> i) & 1;
        var sum = 0;
        var j = i;
        var inRun = 1;
        while (inRun == 1) {
            sum += in[j];
            j--;
            if (j < 0) {
                inRun = 0;
            } else if (((ct >> j) & 1) != bit) {
                inRun = 0;
            }
        }
        var length = i - j;     // the run is bits i down to j + 1
        if (bit == 0) {
            eq * sum === 0;
        } else if (length <= 3) {
            for (var k = i; k > j; k--) {
                chain[k] <== eq * in[k];
                eq = chain[k];
            }
        } else {
            allOnes[i] = IsEqual();
            allOnes[i].in[0] <== sum;
            allOnes[i].in[1] <== length;
            runOnes[i] <== eq * allOnes[i].out;
            eq = runOnes[i];
        }
        i = j;
    }
}
