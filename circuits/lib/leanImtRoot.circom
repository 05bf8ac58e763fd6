pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/poseidon.circom";

// The root of a LeanIMT (the Lean Incremental Merkle Tree of @zk-kit/lean-imt and Semaphore v4,
// hashed with Poseidon(2)) from a leaf and its path, for trees of depth at most MAX_DEPTH.
//
// LeanIMT semantics: a node whose sibling does not exist (the last node of a level with an odd
// number of nodes) is not hashed but moves up unchanged, and the tree is only as deep as its
// size needs (a single leaf is its own root). The path therefore says, level by level, whether
// the node has a sibling there (`hasSibling`); levels above the tree's depth have none. Where it
// has one, bit i of `leafIndex` says whether the node is the right child. Where it has none, the
// sibling and the index bit are ignored (the node is then always a left child: bit i is 0 in a
// path the tree produced).
//
// Costs 4 constraints per level besides the Poseidon: the index bit and the presence bit are
// booleans, one product orders the pair, one product picks the hash or the node.
template LeanImtRoot(MAX_DEPTH) {
    signal input leaf;
    signal input leafIndex;
    signal input hasSibling[MAX_DEPTH];
    signal input siblings[MAX_DEPTH];
    signal output root;

    signal isRight[MAX_DEPTH] <== Num2Bits(MAX_DEPTH)(leafIndex);

    signal nodes[MAX_DEPTH + 1];
    signal left[MAX_DEPTH];
    signal hashes[MAX_DEPTH];
    nodes[0] <== leaf;
    for (var i = 0; i < MAX_DEPTH; i++) {
        hasSibling[i] * (hasSibling[i] - 1) === 0;
        left[i] <== nodes[i] + isRight[i] * (siblings[i] - nodes[i]);
        hashes[i] <== Poseidon(2)([left[i], nodes[i] + siblings[i] - left[i]]);
        nodes[i + 1] <== nodes[i] + hasSibling[i] * (hashes[i] - nodes[i]);
    }
    root <== nodes[MAX_DEPTH];
}
