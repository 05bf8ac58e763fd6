// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// Event fields that are amounts or counts stay unindexed: indexing costs more gas and nobody
// filters by amount. The report struct keeps the order its NatSpec explains, not a packed one.
// solhint-disable gas-indexed-events, gas-struct-packing

import {IIdentityLookup} from "./IIdentityLookup.sol";
import {IMoltToken} from "./IMoltToken.sol";
import {IRewardReceiver} from "./IRewardReceiver.sol";

/// @title IStaking
/// @notice Delegated proof of stake for the shard validators (§7.1, §7.4): validators holding an
///         active hardware identity (§5.5) register, self-stake $MOLT and take delegations; the
///         beacon (MoltRoles.BEACON_ROLE) closes each epoch with a report that elects the next
///         validator set by `election_weight = stake × reputation × uptime`, assigns shards and
///         samples the beacon committee (§8.2); the beacon and governance slash (§7.6); emission,
///         fees and the bootstrap subsidy are shared among the validators of the epoch by weight
///         (§11.6, App. A).
/// @dev Everything is O(1) per call except the epoch report, which is O(C + N + K log N) for
///      C ≤ MAX_CANDIDATES candidates, N ≤ maxValidators() seats and K ≤ committeeSize() committee
///      members, and the listing views. No function loops over delegators or unbonding entries.
///
///      Epochs. `currentEpoch()` starts at 0 and only `reportEpoch` advances it, by one. A deposit
///      made in epoch e is *pending* during e: it is not bonded, earns nothing, is not slashed and
///      does not count towards any election; it becomes bonded (shares of the validator's pool) at
///      the start of e + 1. The report that closes epoch E elects the set of E + 1 from the stake
///      bonded during E, so stake added in E first counts in the election that closes E + 1:
///      nobody can buy into an election in the epoch it is held, not even in the same block.
///
///      Pools. Each validator has an active pool (bonded tokens T and shares S) and an unbonding
///      pool (tokens U and shares US). A delegator's stake is shares; they are worth
///      `shares × (T + 1) / (S + 1)` tokens (rounded down; the +1 are virtual units that keep the
///      price defined on empty and wiped-out pools). Slashing multiplies T and U by `1 - bps/10^4`
///      in O(1), which hits every delegator and every unbonding entry of the validator in the same
///      proportion. Conversions round in the pool's favour, so a pool's share price never
///      decreases except by slashing.
///
///      Rewards. `notifyRewards` / `notifyFeeRewards` add to the pot of the current epoch. The
///      report that closes the epoch pays the pot to the epoch's validators in proportion to their
///      election weight; each validator's commission goes to its operator, the rest raises the
///      pool's reward-per-share accumulator, from which delegators `claimRewards`.
///
///      Token accounting, exact at all times:
///      `token.balanceOf(this) == stakeHeld() + rewardsHeld() + (tokens sent without a notify)`,
///      where `stakeHeld()` is the sum over validators of T + pending + U, and `rewardsHeld()` is
///      everything notified minus everything claimed (the current pot, credited but unclaimed
///      rewards, and rounding dust of the accumulators).
///
///      Besides the errors below, calls revert with OpenZeppelin's
///      `AccessControlUnauthorizedAccount(account, role)`, `ReentrancyGuardReentrantCall()` and
///      `SafeERC20FailedOperation(token)`, and the token's own EIP-6093 errors on transfers.
interface IStaking is IRewardReceiver {
    // ------------------------------------------------------------------ types

    /// @notice Why a validator was slashed. The beacon may use the first two (its evidence is
    ///         checked by the Beacon contract in a later issue; for now the role attests it),
    ///         governance the third.
    enum SlashReason {
        DoubleSigning,
        ForcedInclusionFailure,
        Governance
    }

    /// @notice Where a reward notification came from: the emission (or the treasury's bootstrap
    ///         subsidy), or fees.
    enum RewardSource {
        Emission,
        Fees
    }

    /// @notice The beacon's report that closes epoch `epoch` and elects the set of `epoch + 1`.
    /// @param epoch The epoch being closed; must be `currentEpoch()`.
    /// @param randomness The beacon's randomness for this epoch transition; seeds the shard
    ///        assignment and the committee sample.
    /// @param shardCount How many shards the next epoch has (§9.5 splits and merges), 1 to
    ///        MAX_SHARDS, and not more than the number of validators elected (unless none is).
    /// @param candidates Every registered candidate exactly once, ordered by election weight
    ///        descending, ties by address ascending (a strict total order).
    /// @param reputations The reputation of each candidate, fixed point with REPUTATION_SCALE
    ///        (10^6) = 1.0.
    /// @param uptimes The uptime of each candidate over the closing epoch, fixed point with
    ///        UPTIME_SCALE (10^6) = 100 %; at most 10^6.
    struct EpochReport {
        uint64 epoch;
        bytes32 randomness;
        uint16 shardCount;
        address[] candidates;
        uint64[] reputations;
        uint32[] uptimes;
    }

    /// @notice One seat of the current validator set.
    /// @param validator The validator (its operator address).
    /// @param shard The shard it validates this epoch.
    /// @param inCommittee True when it is on the beacon committee this epoch.
    /// @param stake Its bonded stake when elected, in micromolt.
    /// @param weight Its election weight: stake × reputation × uptime (raw product, in micromolt
    ///        × 10^12); set to 0 if it is slashed during the epoch (it then forfeits the epoch's
    ///        rewards).
    struct Seat {
        address validator;
        uint16 shard;
        bool inCommittee;
        uint256 stake;
        uint256 weight;
    }

    /// @notice A validator's registration.
    /// @param identityId The identity it registered with (§5.5).
    /// @param registered True once registered; its pool exists from then on.
    /// @param candidate True while it stands for election.
    /// @param wipedOut True once a slash took all of its bonded stake; it can never stand again.
    /// @param commissionBps Its commission this epoch, in basis points.
    /// @param nextCommissionBps Its commission from `commissionEpoch` on.
    /// @param commissionEpoch The epoch from which `nextCommissionBps` applies.
    struct ValidatorInfo {
        uint256 identityId;
        bool registered;
        bool candidate;
        bool wipedOut;
        uint16 commissionBps;
        uint16 nextCommissionBps;
        uint64 commissionEpoch;
    }

    /// @notice A validator's pools as stored (pending deposits of past epochs may not have been
    ///         moved into the active pool yet; `electionStake` accounts for them).
    /// @param tokens Bonded tokens T, in micromolt.
    /// @param shares Active shares S.
    /// @param pendingTokens Deposits of `pendingEpoch` not yet bonded, in micromolt.
    /// @param pendingEpoch The epoch of those deposits.
    /// @param unbondingTokens Tokens U of the unbonding pool, in micromolt.
    /// @param unbondingShares Shares US of the unbonding pool.
    /// @param rewardPerShare The pool's reward-per-share accumulator, scaled by 10^27.
    struct PoolInfo {
        uint256 tokens;
        uint256 shares;
        uint256 pendingTokens;
        uint64 pendingEpoch;
        uint256 unbondingTokens;
        uint256 unbondingShares;
        uint256 rewardPerShare;
    }

    /// @notice A delegator's position with one validator, as it would be after syncing now.
    /// @param shares Active shares (including pending deposits of past epochs, now bonded).
    /// @param bondedTokens What `shares` are worth now, in micromolt.
    /// @param pendingTokens Deposits of the current epoch, bonded from the next one, in micromolt.
    /// @param claimableRewards Rewards `claimRewards` would pay now, in micromolt.
    struct DelegationInfo {
        uint256 shares;
        uint256 bondedTokens;
        uint256 pendingTokens;
        uint256 claimableRewards;
    }

    /// @notice An unbonding entry.
    /// @param owner Who may withdraw it (zero once withdrawn or if it never existed).
    /// @param validator The validator whose unbonding pool holds it.
    /// @param releaseEpoch The first epoch in which it may be withdrawn.
    /// @param shares Its shares of the validator's unbonding pool.
    /// @param tokens What those shares are worth now, in micromolt.
    struct UnbondingInfo {
        address owner;
        address validator;
        uint64 releaseEpoch;
        uint256 shares;
        uint256 tokens;
    }

    // ------------------------------------------------------------------ errors

    /// @notice A constructor argument was the zero address.
    error Staking__ZeroAddress();

    /// @notice `maxValidators` outside [MIN_VALIDATOR_SET, MAX_VALIDATOR_SET] (§7.4: 100-150).
    /// @param value The value given.
    error Staking__MaxValidatorsOutOfRange(uint256 value);

    /// @notice `committeeSize` outside [1, BEACON_COMMITTEE_SIZE] (§8.2: 200).
    /// @param value The value given.
    error Staking__CommitteeSizeOutOfRange(uint256 value);

    /// @notice `unbondingEpochs` outside [MIN_UNBONDING_EPOCHS, MAX_UNBONDING_EPOCHS].
    /// @param value The value given.
    error Staking__UnbondingEpochsOutOfRange(uint256 value);

    /// @notice The identity is not held by `caller` (or no identity has that id): a validator
    ///         registers with an identity its own wallet holds.
    /// @param identityId The identity named.
    /// @param caller The caller.
    error Staking__NotIdentityOwner(uint256 identityId, address caller);

    /// @notice The identity is frozen, retired or unknown (§5.4).
    /// @param identityId The identity.
    error Staking__IdentityNotActive(uint256 identityId);

    /// @notice The identity already backs another validator; one validator per identity.
    /// @param identityId The identity.
    /// @param validator The validator it backs.
    error Staking__IdentityAlreadyValidator(uint256 identityId, address validator);

    /// @notice The caller already stands for election.
    /// @param validator The caller.
    error Staking__AlreadyCandidate(address validator);

    /// @notice The address is not a registered validator.
    /// @param validator The address given.
    error Staking__UnknownValidator(address validator);

    /// @notice The validator does not stand for election (never registered, deregistered, pruned
    ///         or wiped out).
    /// @param validator The address given.
    error Staking__NotCandidate(address validator);

    /// @notice The candidate set already holds MAX_CANDIDATES validators.
    /// @param maxCandidates The bound.
    error Staking__CandidateSetFull(uint256 maxCandidates);

    /// @notice A commission above MAX_COMMISSION_BPS.
    /// @param commissionBps The value given.
    error Staking__CommissionTooHigh(uint256 commissionBps);

    /// @notice The operator's own stake in its pool would be below MIN_SELF_STAKE.
    /// @param selfStake The operator's stake (bonded value plus pending), in micromolt.
    error Staking__SelfStakeTooLow(uint256 selfStake);

    /// @notice A slash took all of the validator's bonded stake; it takes no new stake.
    /// @param validator The validator.
    error Staking__ValidatorWipedOut(address validator);

    /// @notice An amount or share count of zero, or an undelegation worth zero tokens.
    error Staking__ZeroAmount();

    /// @notice An undelegation asked for more shares than the caller holds.
    /// @param available The caller's shares.
    /// @param requested The shares asked for.
    error Staking__InsufficientShares(uint256 available, uint256 requested);

    /// @notice The unbonding entry does not exist, was withdrawn, or belongs to someone else.
    /// @param unbondingId The entry.
    error Staking__NotUnbondingOwner(uint256 unbondingId);

    /// @notice The unbonding entry is not released yet.
    /// @param unbondingId The entry.
    /// @param releaseEpoch The first epoch it can be withdrawn in.
    error Staking__StillUnbonding(uint256 unbondingId, uint64 releaseEpoch);

    /// @notice There are no rewards to claim.
    error Staking__NothingToClaim();

    /// @notice A reward notification for more than the contract received without accounting.
    /// @param amount The amount notified.
    /// @param unaccounted `balanceOf(this) - stakeHeld() - rewardsHeld()`.
    error Staking__RewardsNotReceived(uint256 amount, uint256 unaccounted);

    /// @notice A report for another epoch than the current one.
    /// @param epoch The epoch reported.
    /// @param currentEpoch The current epoch.
    error Staking__WrongEpoch(uint64 epoch, uint64 currentEpoch);

    /// @notice A shard count of 0, above MAX_SHARDS, or above the number of validators elected.
    /// @param shardCount The value given.
    error Staking__ShardCountOutOfRange(uint256 shardCount);

    /// @notice The report's arrays do not all have one entry per registered candidate.
    /// @param length The length of the offending array.
    /// @param expected `candidateCount()`.
    error Staking__CandidateListLength(uint256 length, uint256 expected);

    /// @notice The candidate at `index` is not strictly after its predecessor in the order
    ///         (weight descending, then address ascending).
    /// @param index The position in the report.
    error Staking__CandidatesNotSorted(uint256 index);

    /// @notice An uptime above UPTIME_SCALE.
    /// @param index The position in the report.
    /// @param uptime The value given.
    error Staking__UptimeOutOfRange(uint256 index, uint256 uptime);

    /// @notice A slash of 0 or more than 10,000 basis points.
    /// @param bps The value given.
    error Staking__SlashBpsOutOfRange(uint256 bps);

    /// @notice A slash without an evidence id.
    error Staking__ZeroEvidence();

    /// @notice The evidence was already used for a slash.
    /// @param evidence The evidence id.
    error Staking__EvidenceAlreadyUsed(bytes32 evidence);

    /// @notice `pruneCandidate` on a candidate that still meets every condition.
    /// @param validator The candidate.
    error Staking__CandidateStillEligible(address validator);

    // ------------------------------------------------------------------ events

    /// @notice A validator registered, or registered again after leaving the candidate set.
    /// @param validator The operator address, which is the validator's id.
    /// @param identityId The identity backing it.
    /// @param commissionBps The commission it asked for (applied at once on a first registration,
    ///        from the next epoch on a return).
    event ValidatorRegistered(address indexed validator, uint256 indexed identityId, uint16 commissionBps);

    /// @notice A validator left the candidate set (it keeps any seat until the epoch ends).
    /// @param validator The validator.
    /// @param by The operator (deregistration) or whoever pruned it.
    event CandidateRemoved(address indexed validator, address indexed by);

    /// @notice A commission change, applied from `effectiveEpoch`.
    /// @param validator The validator.
    /// @param commissionBps The new commission, in basis points.
    /// @param effectiveEpoch The first epoch it applies to.
    event CommissionChangeScheduled(address indexed validator, uint16 commissionBps, uint64 effectiveEpoch);

    /// @notice `amount` was deposited with `validator`; it is bonded from `bondedFromEpoch`.
    /// @param validator The validator.
    /// @param delegator The depositor (the operator itself for self-stake).
    /// @param amount The deposit, in micromolt.
    /// @param bondedFromEpoch `currentEpoch() + 1`.
    event Delegated(address indexed validator, address indexed delegator, uint256 amount, uint64 bondedFromEpoch);

    /// @notice A delegator's pending deposits of epoch `epoch` were converted to `shares`.
    /// @param validator The validator.
    /// @param delegator The delegator.
    /// @param epoch The epoch of the deposits.
    /// @param tokens The deposits, in micromolt.
    /// @param shares The active shares they became.
    event DelegationBonded(
        address indexed validator, address indexed delegator, uint64 epoch, uint256 tokens, uint256 shares
    );

    /// @notice `shares` worth `tokens` left the active pool into unbonding entry `unbondingId`.
    /// @param validator The validator.
    /// @param delegator The delegator.
    /// @param unbondingId The new entry.
    /// @param shares The active shares burned.
    /// @param tokens Their value, moved to the unbonding pool, in micromolt.
    /// @param releaseEpoch The first epoch the entry can be withdrawn in.
    event Undelegated(
        address indexed validator,
        address indexed delegator,
        uint256 indexed unbondingId,
        uint256 shares,
        uint256 tokens,
        uint64 releaseEpoch
    );

    /// @notice Unbonding entry `unbondingId` was withdrawn for `tokens`.
    /// @param unbondingId The entry.
    /// @param owner Its owner, who received the tokens.
    /// @param validator The validator it was unbonding from.
    /// @param tokens The amount paid, in micromolt (less than undelegated if slashed meanwhile).
    event Withdrawn(uint256 indexed unbondingId, address indexed owner, address indexed validator, uint256 tokens);

    /// @notice `amount` of rewards joined the pot of epoch `epoch`.
    /// @param source Emission (or subsidy) or fees.
    /// @param caller Who notified.
    /// @param amount The amount, in micromolt.
    /// @param epoch The current epoch.
    event RewardsNotified(RewardSource indexed source, address indexed caller, uint256 amount, uint64 epoch);

    /// @notice A validator was paid its share of epoch `epoch`'s pot.
    /// @param epoch The epoch closed.
    /// @param validator The validator.
    /// @param reward Its share, in micromolt.
    /// @param commission The part credited to its operator, in micromolt (the whole reward when
    ///        its pool has no shares).
    event ValidatorRewarded(uint64 indexed epoch, address indexed validator, uint256 reward, uint256 commission);

    /// @notice A delegator (or operator) claimed rewards.
    /// @param validator The validator.
    /// @param delegator The claimant.
    /// @param amount The amount paid, in micromolt.
    event RewardsClaimed(address indexed validator, address indexed delegator, uint256 amount);

    /// @notice The beacon closed epoch `epoch`; epoch `epoch + 1` starts with `electedCount` seats.
    /// @param epoch The epoch closed.
    /// @param randomness The beacon's randomness.
    /// @param shardCount The shard count of the new epoch.
    /// @param electedCount The seats of the new epoch.
    /// @param totalWeight The sum of their weights.
    /// @param rewardsPaid The part of the pot paid to the closed epoch's validators, in micromolt.
    /// @param rewardsCarried The rest, carried into the new epoch's pot, in micromolt.
    event EpochReported(
        uint64 indexed epoch,
        bytes32 randomness,
        uint16 shardCount,
        uint256 electedCount,
        uint256 totalWeight,
        uint256 rewardsPaid,
        uint256 rewardsCarried
    );

    /// @notice `validator` holds seat `rank` (0 = heaviest) of epoch `epoch`.
    /// @param epoch The epoch the seat is for.
    /// @param validator The validator.
    /// @param rank Its position by weight.
    /// @param shard Its shard.
    /// @param inCommittee True when it is on the beacon committee.
    /// @param stake Its bonded stake, in micromolt.
    /// @param weight Its election weight.
    event ValidatorElected(
        uint64 indexed epoch,
        address indexed validator,
        uint256 rank,
        uint16 shard,
        bool inCommittee,
        uint256 stake,
        uint256 weight
    );

    /// @notice A validator was slashed; the tokens were burned.
    /// @param validator The validator.
    /// @param reason Why.
    /// @param bps The fraction, in basis points.
    /// @param bondedSlashed Taken from the active pool, in micromolt.
    /// @param unbondingSlashed Taken from the unbonding pool, in micromolt.
    /// @param evidence The evidence id (a hash of the evidence, or of the governance proposal).
    event ValidatorSlashed(
        address indexed validator,
        SlashReason indexed reason,
        uint16 bps,
        uint256 bondedSlashed,
        uint256 unbondingSlashed,
        bytes32 evidence
    );

    /// @notice A slash took all of the validator's bonded stake: it left the candidate set for good.
    /// @param validator The validator.
    event ValidatorWipedOut(address indexed validator);

    /// @notice Governance changed the number of seats from the next election on.
    /// @param maxValidators The new value.
    event MaxValidatorsSet(uint16 maxValidators);

    /// @notice Governance changed the beacon committee size from the next election on.
    /// @param committeeSize The new value.
    event CommitteeSizeSet(uint16 committeeSize);

    /// @notice Governance changed the unbonding delay of new undelegations.
    /// @param unbondingEpochs The new value.
    event UnbondingEpochsSet(uint16 unbondingEpochs);

    // ------------------------------------------------------------------ validators

    /// @notice Registers the caller as a validator candidate with its self-stake, or brings back
    ///         a validator that left the candidate set.
    /// @dev O(1). The caller must own `identityId` (`ownerOf(identityId) == caller`; a wallet may
    ///      hold several identities and names the one backing it), which must be active and back
    ///      no other validator; `commissionBps <= MAX_COMMISSION_BPS`; the candidate set must
    ///      have room; the operator's stake in its own pool after the deposit (bonded value plus
    ///      pending) must be at least MIN_SELF_STAKE. The deposit is pending until the next epoch,
    ///      so a new validator first stands in the election that closes the epoch after this one.
    ///      Pulls `selfStake` with `transferFrom` (approve first). Reverts with
    ///      `Staking__NotIdentityOwner`, `Staking__IdentityNotActive`,
    ///      `Staking__IdentityAlreadyValidator`, `Staking__AlreadyCandidate`,
    ///      `Staking__ValidatorWipedOut`, `Staking__CommissionTooHigh`, `Staking__CandidateSetFull`,
    ///      `Staking__SelfStakeTooLow`. A returning validator may name another identity it owns; the
    ///      one it had is freed.
    /// @param identityId The caller's identity that backs the validator.
    /// @param commissionBps The commission on its pool's rewards, in basis points.
    /// @param selfStake The amount to deposit now, in micromolt (may be 0 when returning with
    ///        enough stake already in the pool).
    function registerValidator(uint256 identityId, uint16 commissionBps, uint256 selfStake) external;

    /// @notice Takes the caller out of the candidate set. Its pool stays: delegators undelegate
    ///         and claim as before; a seat held this epoch is kept (and paid) until the epoch ends.
    /// @dev O(1) (swap-and-pop). Reverts with `Staking__NotCandidate`.
    function deregisterValidator() external;

    /// @notice Removes a candidate that no longer qualifies: its operator no longer owns its
    ///         identity (`ownerOf`), the identity is not active, or the operator's stake in the pool (bonded
    ///         value plus pending) fell below MIN_SELF_STAKE. Anyone may call it, which keeps the
    ///         bounded candidate set free for validators that can be elected.
    /// @dev O(1). Reverts with `Staking__NotCandidate` or `Staking__CandidateStillEligible`.
    /// @param validator The candidate.
    function pruneCandidate(address validator) external;

    /// @notice Schedules the caller's commission to become `commissionBps` from the next epoch
    ///         (the current epoch's rewards are always split at the commission announced before
    ///         it began). A second call in the same epoch replaces the first.
    /// @dev O(1). Reverts with `Staking__UnknownValidator` or `Staking__CommissionTooHigh`.
    /// @param commissionBps The new commission, in basis points.
    function setCommission(uint16 commissionBps) external;

    // ------------------------------------------------------------------ delegators

    /// @notice Deposits `amount` with `validator`; it is pending this epoch and bonded from the
    ///         next. The operator self-stakes by delegating to itself.
    /// @dev O(1). Pulls `amount` with `transferFrom`. Reverts with `Staking__ZeroAmount`,
    ///      `Staking__NotCandidate` or `Staking__ValidatorWipedOut`.
    /// @param validator A candidate.
    /// @param amount The deposit, in micromolt.
    function delegate(address validator, uint256 amount) external;

    /// @notice Moves `shares` of the caller's active stake with `validator` into a new unbonding
    ///         entry, withdrawable from epoch `currentEpoch() + unbondingEpochs()`; until withdrawn
    ///         it earns nothing and stays slashable. Pending deposits cannot be undelegated before
    ///         they are bonded.
    /// @dev O(1). Reverts with `Staking__UnknownValidator`, `Staking__ZeroAmount` (no shares, or
    ///      shares worth 0 tokens) or `Staking__InsufficientShares`.
    /// @param validator The validator.
    /// @param shares The active shares to undelegate (see `delegationOf`).
    /// @return unbondingId The new entry.
    /// @return tokens The tokens moved into unbonding, in micromolt.
    function undelegate(address validator, uint256 shares) external returns (uint256 unbondingId, uint256 tokens);

    /// @notice Pays out a released unbonding entry of the caller (its tokens net of any slash).
    /// @dev O(1). Reverts with `Staking__NotUnbondingOwner` or `Staking__StillUnbonding`.
    /// @param unbondingId The entry.
    /// @return tokens The amount paid, in micromolt.
    function withdraw(uint256 unbondingId) external returns (uint256 tokens);

    /// @notice Pays the caller's rewards with `validator`: its delegators' share, and for the
    ///         operator also its commission.
    /// @dev O(1). Reverts with `Staking__UnknownValidator` or `Staking__NothingToClaim`.
    /// @param validator The validator.
    /// @return amount The amount paid, in micromolt.
    function claimRewards(address validator) external returns (uint256 amount);

    // ------------------------------------------------------------------ rewards in

    /// @notice Emission's validator share (or the treasury's bootstrap subsidy), already
    ///         transferred here, joins the current epoch's pot (IRewardReceiver).
    /// @dev O(1). Anyone may call it: it only accounts for tokens that arrived without being
    ///      accounted for. Reverts with `Staking__ZeroAmount` or `Staking__RewardsNotReceived`.
    /// @param amount The amount transferred, in micromolt.
    function notifyRewards(uint256 amount) external override;

    /// @notice Fee rewards (the validators' share of fees), already transferred here, join the
    ///         current epoch's pot. Same rules as `notifyRewards`.
    /// @dev O(1). Reverts with `Staking__ZeroAmount` or `Staking__RewardsNotReceived`.
    /// @param amount The amount transferred, in micromolt.
    function notifyFeeRewards(uint256 amount) external;

    // ------------------------------------------------------------------ beacon and governance

    /// @notice Closes the current epoch: pays its pot to its validators by weight, elects the next
    ///         epoch's set from `report`, assigns shards, samples the beacon committee and advances
    ///         `currentEpoch()` by one.
    /// @dev Only BEACON_ROLE. The contract recomputes every candidate's weight from its own state
    ///      (bonded stake, identity status, self-stake) and the reported reputation and uptime,
    ///      checks that `report.candidates` lists every candidate once in strictly descending
    ///      (weight, then ascending address) order, and seats the first
    ///      `min(maxValidators(), number with weight > 0)`. Because the list must be complete and
    ///      strictly ordered, nobody left out can outweigh the last seat.
    ///      A candidate's weight is 0 if its identity is not active, its matured self-stake is
    ///      below MIN_SELF_STAKE, or any factor is 0.
    ///      Shards: seats are taken in rank order in rounds of `shardCount`; each round is dealt to
    ///      the shards in a random permutation drawn from `randomness`, so shard sizes differ by at
    ///      most one, every shard gets one validator of each stake tier, and nobody can pick its
    ///      shard. Committee: `min(committeeSize(), seats)` seats are drawn stake-weighted without
    ///      replacement with a Fenwick tree, draw i using `keccak256(randomness, domain, i)`.
    ///      Gas is O(C + N_old + N + K log N): C candidates read (one identity call each), the
    ///      outgoing N_old seats paid, N seats written. Reverts with `Staking__WrongEpoch`,
    ///      `Staking__ShardCountOutOfRange`, `Staking__CandidateListLength`,
    ///      `Staking__NotCandidate`, `Staking__UptimeOutOfRange`, `Staking__CandidatesNotSorted`.
    /// @param report The report.
    function reportEpoch(EpochReport calldata report) external;

    /// @notice Burns `bps`/10,000 of the validator's bonded stake and of its unbonding pool, which
    ///         hits its operator, its delegators and its unbonding entries alike. Pending deposits
    ///         of the current epoch have backed nothing yet and are not touched. A validator
    ///         slashed while seated forfeits the current epoch's rewards. A slash that leaves no
    ///         bonded stake wipes the validator out of the candidate set for good.
    /// @dev O(1). `DoubleSigning` and `ForcedInclusionFailure` need BEACON_ROLE, `Governance`
    ///      needs GOVERNANCE_ROLE. Slashed tokens are burned, not sent to the treasury, so that
    ///      the holder of the slashing role never profits from a slash. Reverts with
    ///      `AccessControlUnauthorizedAccount`, `Staking__UnknownValidator`,
    ///      `Staking__SlashBpsOutOfRange`, `Staking__ZeroEvidence`, `Staking__EvidenceAlreadyUsed`.
    /// @param validator The validator.
    /// @param bps The fraction to burn, in basis points, 1 to 10,000.
    /// @param reason Why.
    /// @param evidence A unique id of the evidence (hash of the double-signed headers, of the
    ///        missed forced-inclusion transaction, or of the governance proposal); each id slashes
    ///        once.
    /// @return burned The total burned, in micromolt.
    function slash(address validator, uint16 bps, SlashReason reason, bytes32 evidence)
        external
        returns (uint256 burned);

    /// @notice Sets the number of seats of the next elections.
    /// @dev Only GOVERNANCE_ROLE. O(1). Reverts with `Staking__MaxValidatorsOutOfRange`.
    /// @param maxValidators_ 100 to 150 (§7.4).
    function setMaxValidators(uint16 maxValidators_) external;

    /// @notice Sets the beacon committee size of the next elections.
    /// @dev Only GOVERNANCE_ROLE. O(1). Reverts with `Staking__CommitteeSizeOutOfRange`.
    /// @param committeeSize_ 1 to 200 (§8.2).
    function setCommitteeSize(uint16 committeeSize_) external;

    /// @notice Sets the unbonding delay of undelegations made from now on (existing entries keep
    ///         their release epoch).
    /// @dev Only GOVERNANCE_ROLE. O(1). Reverts with `Staking__UnbondingEpochsOutOfRange`.
    /// @param unbondingEpochs_ In epochs, MIN_UNBONDING_EPOCHS to MAX_UNBONDING_EPOCHS.
    function setUnbondingEpochs(uint16 unbondingEpochs_) external;

    // ------------------------------------------------------------------ views

    /// @notice The staked token.
    /// @return The $MOLT token.
    function token() external view returns (IMoltToken);

    /// @notice The identity registry validators are checked against.
    /// @return The registry.
    function identityRegistry() external view returns (IIdentityLookup);

    /// @notice The current epoch (0 until the first report).
    /// @return The epoch.
    function currentEpoch() external view returns (uint64);

    /// @notice The number of seats of the next elections.
    /// @return The value.
    function maxValidators() external view returns (uint16);

    /// @notice The beacon committee size of the next elections.
    /// @return The value.
    function committeeSize() external view returns (uint16);

    /// @notice The unbonding delay of new undelegations, in epochs.
    /// @return The value.
    function unbondingEpochs() external view returns (uint16);

    /// @notice The shard count of the current epoch (1 before the first report).
    /// @return The value.
    function shardCount() external view returns (uint16);

    /// @notice The number of candidates; every report lists exactly this many.
    /// @return The count.
    function candidateCount() external view returns (uint256);

    /// @notice The candidate set, in storage order. O(C).
    /// @return The candidates.
    function candidates() external view returns (address[] memory);

    /// @notice A validator's registration.
    /// @param validator The validator.
    /// @return The registration (all zero if unknown).
    function validatorInfo(address validator) external view returns (ValidatorInfo memory);

    /// @notice A validator's pools as stored.
    /// @param validator The validator.
    /// @return The pools.
    function poolInfo(address validator) external view returns (PoolInfo memory);

    /// @notice A delegator's position with a validator.
    /// @param validator The validator.
    /// @param delegator The delegator.
    /// @return The position.
    function delegationOf(address validator, address delegator) external view returns (DelegationInfo memory);

    /// @notice An unbonding entry.
    /// @param unbondingId The entry.
    /// @return The entry (owner zero if withdrawn or unknown).
    function unbondingOf(uint256 unbondingId) external view returns (UnbondingInfo memory);

    /// @notice The stake an election held now would count for `validator`: bonded tokens plus
    ///         pending deposits of past epochs, never deposits of the current epoch.
    /// @param validator The validator.
    /// @return The stake, in micromolt.
    function electionStake(address validator) external view returns (uint256);

    /// @notice The operator's matured stake in its own pool: the value of its shares plus its
    ///         pending deposits of past epochs.
    /// @param validator The validator.
    /// @return The stake, in micromolt.
    function selfStake(address validator) external view returns (uint256);

    /// @notice The weight an election held now would give `validator` for the given reputation
    ///         and uptime (0 if it could not be elected), exactly as `reportEpoch` computes it.
    /// @param validator The validator.
    /// @param reputation Fixed point, 10^6 = 1.0.
    /// @param uptime Fixed point, 10^6 = 100 %.
    /// @return The weight.
    function electionWeight(address validator, uint64 reputation, uint32 uptime) external view returns (uint256);

    /// @notice The seats of the current epoch, by rank. O(N).
    /// @return The seats.
    function validatorSet() external view returns (Seat[] memory);

    /// @notice The seat of `validator` in the current epoch.
    /// @param validator The validator.
    /// @return seated True when it holds one.
    /// @return seat The seat (zero when not seated).
    function seatOf(address validator) external view returns (bool seated, Seat memory seat);

    /// @notice The beacon committee of the current epoch, by rank. O(N).
    /// @return The members.
    function beaconCommittee() external view returns (address[] memory);

    /// @notice The sum of the current seats' weights (what the pot is divided by).
    /// @return The total.
    function totalWeight() external view returns (uint256);

    /// @notice The current epoch's reward pot, in micromolt.
    /// @return The pot.
    function epochRewards() external view returns (uint256);

    /// @notice All rewards held: notified minus claimed, in micromolt.
    /// @return The amount.
    function rewardsHeld() external view returns (uint256);

    /// @notice All stake held: bonded, pending and unbonding over every validator, in micromolt.
    /// @return The amount.
    function stakeHeld() external view returns (uint256);
}
