pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "./babyJubjubPublicKey.circom";
include "./leanImtRoot.circom";

// §6.2 set membership with a nullifier (docs/privacy.md). Proves, for the public root, nullifier,
// scope and message:
//   1. the prover knows a secret 0 ≤ secret < l (Baby Jubjub subgroup order);
//   2. its identity commitment Poseidon(Ax, Ay), (Ax, Ay) = secret · Base8, is a leaf of the
//      LeanIMT whose root is `root` (depth ≤ MAX_DEPTH);
//   3. nullifier = Poseidon(scope, secret);
//   4. the proof is bound to `message` (the hash of the action), which is otherwise unused and
//      therefore squared into a constraint of its own.
//
// Public signals, in this order: root, nullifier (outputs), scope, message (public inputs).
template Membership(MAX_DEPTH) {
    signal input secret;
    signal input leafIndex;
    signal input hasSibling[MAX_DEPTH];
    signal input siblings[MAX_DEPTH];
    signal input scope;
    signal input message;
    signal output root;
    signal output nullifier;

    signal (Ax, Ay) <== BabyJubjubPublicKey()(secret);
    signal commitment <== Poseidon(2)([Ax, Ay]);
    root <== LeanImtRoot(MAX_DEPTH)(commitment, leafIndex, hasSibling, siblings);
    nullifier <== Poseidon(2)([scope, secret]);

    signal messageSquare <== message * message;
}
