// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// Fenwick-tree index arithmetic is clearest with the textbook `<=` bounds.
// solhint-disable gas-strict-inequalities

/// @title ValidatorSampling
/// @notice The deterministic randomised parts of an election (§8.2, §9.5): dealing the elected
///         validators to shards, and sampling the beacon committee. Pure functions of the ranked
///         set and the beacon's randomness, so every node reproduces them off chain.
/// @dev Random words are `uint256(keccak256(abi.encode(randomness, domain, a, b)))` with the
///      domains below; reductions modulo small ranges have a bias below 2^-100, negligible.
library ValidatorSampling {
    /// @notice Domain of the shard permutations: keccak256("moltbook.staking.shards").
    bytes32 internal constant SHARD_DOMAIN = keccak256("moltbook.staking.shards");

    /// @notice Domain of the committee draws: keccak256("moltbook.staking.committee").
    bytes32 internal constant COMMITTEE_DOMAIN = keccak256("moltbook.staking.committee");

    /// @notice Deals `count` ranked validators to `shardCount` shards: ranks are taken in rounds
    ///         of `shardCount` (the heaviest first), and round r is dealt by a Fisher-Yates
    ///         permutation of the shards drawn from (randomness, r). Shard sizes differ by at most
    ///         one, each shard gets one validator of every stake tier, and nobody can choose its
    ///         shard by choosing its stake.
    /// @dev O(count + shardCount) time and memory. Round r's permutation: start from the identity,
    ///      for j = shardCount-1 down to 1 swap positions j and `word(randomness, SHARD_DOMAIN, r, j)
    ///      % (j + 1)`; rank r*shardCount + p goes to shard perm[p]. `shardCount` must be > 0.
    /// @param count The number of ranked validators.
    /// @param shardCount The number of shards.
    /// @param randomness The beacon's randomness.
    /// @return shards The shard of each rank.
    function assignShards(uint256 count, uint256 shardCount, bytes32 randomness)
        internal
        pure
        returns (uint16[] memory shards)
    {
        shards = new uint16[](count);
        uint16[] memory perm = new uint16[](shardCount);
        for (uint256 round = 0; round * shardCount < count; ++round) {
            for (uint256 j = 0; j < shardCount; ++j) {
                perm[j] = uint16(j);
            }
            for (uint256 j = shardCount - 1; j > 0; --j) {
                uint256 k = _word(randomness, SHARD_DOMAIN, round, j) % (j + 1);
                (perm[j], perm[k]) = (perm[k], perm[j]);
            }
            uint256 base = round * shardCount;
            for (uint256 p = 0; p < shardCount && base + p < count; ++p) {
                shards[base + p] = perm[p];
            }
        }
    }

    /// @notice Draws `size` of the `stakes.length` validators, stake-weighted and without
    ///         replacement: draw i picks validator j with probability stake_j / (stake still
    ///         undrawn). When `size >= stakes.length` everyone is chosen.
    /// @dev O(n + size · log n) with a Fenwick (binary indexed) tree over the stakes: draw i takes
    ///      `r = word(randomness, COMMITTEE_DOMAIN, i, 0) % remaining` and picks the first j whose
    ///      prefix sum exceeds r, then removes j's stake. Every stake must be > 0 (elected
    ///      validators always have stake), so the remaining total is > 0 while anyone is undrawn.
    /// @param stakes The stakes of the ranked validators.
    /// @param size The committee size.
    /// @param randomness The beacon's randomness.
    /// @return chosen Whether each validator is on the committee.
    function sampleCommittee(uint256[] memory stakes, uint256 size, bytes32 randomness)
        internal
        pure
        returns (bool[] memory chosen)
    {
        uint256 n = stakes.length;
        chosen = new bool[](n);
        if (size >= n) {
            for (uint256 i = 0; i < n; ++i) {
                chosen[i] = true;
            }
            return chosen;
        }
        // tree[i] (1-based) holds the sum of stakes (i - lowbit(i), i].
        uint256[] memory tree = new uint256[](n + 1);
        uint256 remaining;
        for (uint256 i = 1; i <= n; ++i) {
            tree[i] += stakes[i - 1];
            remaining += stakes[i - 1];
            uint256 parent = i + (i & (~i + 1));
            if (parent <= n) tree[parent] += tree[i];
        }
        uint256 topBit = 1;
        while (topBit << 1 <= n) {
            topBit <<= 1;
        }
        for (uint256 draw = 0; draw < size; ++draw) {
            uint256 r = _word(randomness, COMMITTEE_DOMAIN, draw, 0) % remaining;
            // Descend: pos ends as the largest index whose prefix sum is <= r; the pick is pos + 1.
            uint256 pos = 0;
            for (uint256 step = topBit; step > 0; step >>= 1) {
                uint256 next = pos + step;
                if (next <= n && tree[next] <= r) {
                    pos = next;
                    r -= tree[next];
                }
            }
            chosen[pos] = true;
            uint256 stake = stakes[pos];
            remaining -= stake;
            for (uint256 i = pos + 1; i <= n; i += i & (~i + 1)) {
                tree[i] -= stake;
            }
        }
    }

    /// @dev One random word of the domain, indexed by (a, b).
    function _word(bytes32 randomness, bytes32 domain, uint256 a, uint256 b) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(randomness, domain, a, b)));
    }
}
