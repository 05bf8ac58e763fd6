// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// Bounds checks read as the spec states them ("at most", "from epoch e on").
// solhint-disable gas-strict-inequalities

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IIdentityLookup} from "../interfaces/IIdentityLookup.sol";
import {IMoltToken} from "../interfaces/IMoltToken.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {MoltConstants} from "../libraries/MoltConstants.sol";
import {MoltRoles} from "../libraries/MoltRoles.sol";
import {ValidatorSampling} from "./ValidatorSampling.sol";

// One mapping per kind of record (validators, pools, delegations, unbondings, seats, …) reads
// better than a struct of mappings, so the state count is above solhint's default of 15.
// solhint-disable max-states-count

/// @title Staking
/// @notice Validator registration, delegation, unbonding, election, slashing and reward sharing
///         (§7.4, §7.6, §8.2, §11.6). See {IStaking}; the design is in docs/contracts-staking.md.
/// @dev Roles: DEFAULT_ADMIN_ROLE (grants the others), MoltRoles.BEACON_ROLE (epoch reports,
///      evidence-based slashing), MoltRoles.GOVERNANCE_ROLE (parameters, governance slashing).
///      Every state-changing entry point is `nonReentrant` and makes its token transfer last.
///      Pending deposits are converted to shares lazily: a validator's pool converts its pending
///      batch on the first touch after the batch's epoch and records the batch's share rate and
///      accumulator (`_activations`); each delegator converts its own deposit from that record on
///      its next touch. Both steps are O(1).
contract Staking is AccessControl, ReentrancyGuardTransient, IStaking {
    using SafeERC20 for IERC20;

    /// @dev Scale of the reward-per-share accumulators.
    uint256 private constant ACC_SCALE = 1e27;

    /// @dev Scale of an activation's shares-per-token rate.
    uint256 private constant RATE_SCALE = 1e18;

    /// @dev One slot: everything an election reads about a validator.
    struct Validator {
        uint64 identityId;
        bool registered;
        bool candidate;
        bool wipedOut;
        uint16 candidateIndex;
        uint16 commissionBps;
        uint16 nextCommissionBps;
        uint64 commissionEpoch;
    }

    /// @dev The active pool. Token amounts never exceed the token's supply cap (10^15 < 2^96),
    ///      so the first slot holds everything an election reads: T, pending and its epoch.
    struct Pool {
        uint96 tokens;
        uint96 pendingTokens;
        uint64 pendingEpoch;
        uint256 shares;
        uint256 rewardPerShare;
    }

    /// @dev The unbonding pool, apart so that elections and rewards never load it.
    struct UnbondingPool {
        uint256 tokens;
        uint256 shares;
    }

    /// @dev A converted pending batch: shares per deposited token (× RATE_SCALE) and the pool's
    ///      accumulator at conversion, from which the new shares start earning.
    struct Activation {
        uint256 rate;
        uint256 rewardPerShare;
    }

    struct Delegation {
        uint96 pendingTokens;
        uint64 pendingEpoch;
        uint96 unclaimed;
        uint256 shares;
        uint256 rewardPerShare;
    }

    struct Unbonding {
        address owner;
        uint64 releaseEpoch;
        address validator;
        uint256 shares;
    }

    struct StoredSeat {
        address validator;
        uint16 shard;
        bool inCommittee;
        uint72 stake;
        uint256 weight;
    }

    /// @dev Seat `index - 1` of epoch `epoch`; index 0 means none.
    struct SeatRef {
        uint64 epoch;
        uint16 index;
    }

    IMoltToken private immutable _TOKEN;
    IIdentityLookup private immutable _IDENTITY;

    uint64 private _epoch;
    uint16 private _maxValidators;
    uint16 private _committeeSize;
    uint16 private _unbondingEpochs;
    uint16 private _shardCount;

    uint256 private _stakeHeld;
    uint256 private _rewardsHeld;
    uint256 private _epochRewards;
    uint256 private _totalWeight;
    uint256 private _seatCount;
    uint256 private _nextUnbondingId;

    address[] private _candidates;

    mapping(address validator => Validator) private _validators;
    mapping(uint256 identityId => address validator) private _validatorOfIdentity;
    mapping(address validator => Pool) private _pools;
    mapping(address validator => UnbondingPool) private _unbondingPools;
    mapping(address validator => mapping(uint64 epoch => Activation)) private _activations;
    mapping(address validator => mapping(address delegator => Delegation)) private _delegations;
    mapping(uint256 unbondingId => Unbonding) private _unbondings;
    mapping(uint256 rank => StoredSeat) private _seats;
    mapping(address validator => SeatRef) private _seatOf;
    mapping(bytes32 evidence => bool) private _evidenceUsed;

    /// @notice Deploys staking at epoch 0 with no candidates and no validator set.
    /// @param token_ $MOLT.
    /// @param identity_ The identity registry validators must hold an active identity in.
    /// @param admin Receives DEFAULT_ADMIN_ROLE, and so grants BEACON_ROLE and GOVERNANCE_ROLE.
    /// @param maxValidators_ Seats per election, 100 to 150 (§7.4).
    /// @param committeeSize_ Beacon committee size, 1 to 200 (§8.2).
    /// @param unbondingEpochs_ Unbonding delay in epochs, 1 to 30.
    constructor(
        IMoltToken token_,
        IIdentityLookup identity_,
        address admin,
        uint16 maxValidators_,
        uint16 committeeSize_,
        uint16 unbondingEpochs_
    ) {
        if (address(token_) == address(0) || address(identity_) == address(0) || admin == address(0)) {
            revert Staking__ZeroAddress();
        }
        _TOKEN = token_;
        _IDENTITY = identity_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setMaxValidators(maxValidators_);
        _setCommitteeSize(committeeSize_);
        _setUnbondingEpochs(unbondingEpochs_);
        _shardCount = 1;
        _nextUnbondingId = 1;
    }

    // ------------------------------------------------------------------ validators

    /// @inheritdoc IStaking
    function registerValidator(uint256 identityId, uint16 commissionBps, uint256 selfStake_) external nonReentrant {
        Validator storage val = _validators[msg.sender];
        if (val.candidate) revert Staking__AlreadyCandidate(msg.sender);
        if (val.wipedOut) revert Staking__ValidatorWipedOut(msg.sender);
        // Unknown ids have no owner (zero), so they fail here too.
        if (_IDENTITY.ownerOf(identityId) != msg.sender) revert Staking__NotIdentityOwner(identityId, msg.sender);
        if (!_IDENTITY.isActive(identityId)) revert Staking__IdentityNotActive(identityId);
        address holder = _validatorOfIdentity[identityId];
        if (holder != address(0) && holder != msg.sender) {
            revert Staking__IdentityAlreadyValidator(identityId, holder);
        }
        if (commissionBps > MoltConstants.STAKING_MAX_COMMISSION_BPS) {
            revert Staking__CommissionTooHigh(commissionBps);
        }
        if (_candidates.length >= MoltConstants.STAKING_MAX_CANDIDATES) {
            revert Staking__CandidateSetFull(MoltConstants.STAKING_MAX_CANDIDATES);
        }
        Pool memory pool = _syncPool(msg.sender);
        Delegation memory own = _syncDelegation(msg.sender, msg.sender, pool);
        uint256 ownStake = _shareValue(own.shares, pool) + own.pendingTokens + selfStake_;
        if (ownStake < MoltConstants.STAKING_MIN_SELF_STAKE) revert Staking__SelfStakeTooLow(ownStake);

        if (val.registered) {
            // A return, possibly with another identity of this wallet: rebind, freeing the old one.
            if (val.identityId != identityId) delete _validatorOfIdentity[val.identityId];
            _scheduleCommission(val, commissionBps);
        } else {
            val.registered = true;
            val.commissionBps = commissionBps;
            val.nextCommissionBps = commissionBps;
            val.commissionEpoch = _epoch;
        }
        val.identityId = SafeCast.toUint64(identityId);
        _validatorOfIdentity[identityId] = msg.sender;
        val.candidate = true;
        val.candidateIndex = uint16(_candidates.length);
        _candidates.push(msg.sender);
        emit ValidatorRegistered(msg.sender, identityId, commissionBps);

        if (selfStake_ != 0) {
            _deposit(msg.sender, own, selfStake_);
            IERC20(address(_TOKEN)).safeTransferFrom(msg.sender, address(this), selfStake_);
        } else {
            _delegations[msg.sender][msg.sender] = own;
        }
    }

    /// @inheritdoc IStaking
    function deregisterValidator() external nonReentrant {
        if (!_validators[msg.sender].candidate) revert Staking__NotCandidate(msg.sender);
        _removeCandidate(msg.sender);
        emit CandidateRemoved(msg.sender, msg.sender);
    }

    /// @inheritdoc IStaking
    function pruneCandidate(address validator) external nonReentrant {
        Validator storage val = _validators[validator];
        if (!val.candidate) revert Staking__NotCandidate(validator);
        uint256 identityId = val.identityId;
        (Pool memory pool,,) = _previewPool(validator);
        Delegation storage own = _delegations[validator][validator];
        uint256 ownStake = _shareValue(own.shares, pool) + own.pendingTokens;
        if (
            _IDENTITY.ownerOf(identityId) == validator && _IDENTITY.isActive(identityId)
                && ownStake >= MoltConstants.STAKING_MIN_SELF_STAKE
        ) revert Staking__CandidateStillEligible(validator);
        _removeCandidate(validator);
        emit CandidateRemoved(validator, msg.sender);
    }

    /// @inheritdoc IStaking
    function setCommission(uint16 commissionBps) external nonReentrant {
        Validator storage val = _validators[msg.sender];
        if (!val.registered) revert Staking__UnknownValidator(msg.sender);
        if (commissionBps > MoltConstants.STAKING_MAX_COMMISSION_BPS) {
            revert Staking__CommissionTooHigh(commissionBps);
        }
        _scheduleCommission(val, commissionBps);
    }

    // ------------------------------------------------------------------ delegators

    /// @inheritdoc IStaking
    function delegate(address validator, uint256 amount) external nonReentrant {
        if (amount == 0) revert Staking__ZeroAmount();
        Validator storage val = _validators[validator];
        if (val.wipedOut) revert Staking__ValidatorWipedOut(validator);
        if (!val.candidate) revert Staking__NotCandidate(validator);
        Pool memory pool = _syncPool(validator);
        Delegation memory d = _syncDelegation(validator, msg.sender, pool);
        _deposit(validator, d, amount);
        IERC20(address(_TOKEN)).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IStaking
    function undelegate(address validator, uint256 shares)
        external
        nonReentrant
        returns (uint256 unbondingId, uint256 tokens)
    {
        if (!_validators[validator].registered) revert Staking__UnknownValidator(validator);
        if (shares == 0) revert Staking__ZeroAmount();
        Pool memory pool = _syncPool(validator);
        Delegation memory d = _syncDelegation(validator, msg.sender, pool);
        if (shares > d.shares) revert Staking__InsufficientShares(d.shares, shares);

        // The last shares take every token left, so a pool never keeps unowned dust.
        tokens = _shareValue(shares, pool);
        UnbondingPool storage unbonding = _unbondingPools[validator];
        uint256 unbondingTokens = unbonding.tokens;
        uint256 unbondingShares = Math.mulDiv(tokens, unbonding.shares + 1, unbondingTokens + 1);
        if (unbondingShares == 0) revert Staking__ZeroAmount(); // also covers tokens == 0

        Pool storage stored = _pools[validator];
        stored.tokens = pool.tokens - uint96(tokens); // tokens <= pool.tokens
        stored.shares = pool.shares - shares;
        unbonding.tokens = unbondingTokens + tokens;
        unbonding.shares += unbondingShares;
        d.shares -= shares;
        _delegations[validator][msg.sender] = d;

        unbondingId = _nextUnbondingId;
        ++_nextUnbondingId;
        uint64 releaseEpoch = _epoch + _unbondingEpochs;
        _unbondings[unbondingId] =
            Unbonding({owner: msg.sender, releaseEpoch: releaseEpoch, validator: validator, shares: unbondingShares});
        emit Undelegated(validator, msg.sender, unbondingId, shares, tokens, releaseEpoch);
    }

    /// @inheritdoc IStaking
    function withdraw(uint256 unbondingId) external nonReentrant returns (uint256 tokens) {
        Unbonding memory entry = _unbondings[unbondingId];
        if (entry.owner != msg.sender) revert Staking__NotUnbondingOwner(unbondingId);
        if (_epoch < entry.releaseEpoch) revert Staking__StillUnbonding(unbondingId, entry.releaseEpoch);

        UnbondingPool storage pool = _unbondingPools[entry.validator];
        uint256 poolTokens = pool.tokens;
        uint256 poolShares = pool.shares;
        tokens = entry.shares == poolShares ? poolTokens : Math.mulDiv(entry.shares, poolTokens + 1, poolShares + 1);
        pool.tokens = poolTokens - tokens;
        pool.shares = poolShares - entry.shares;
        delete _unbondings[unbondingId];
        _stakeHeld -= tokens;
        emit Withdrawn(unbondingId, msg.sender, entry.validator, tokens);

        if (tokens != 0) IERC20(address(_TOKEN)).safeTransfer(msg.sender, tokens);
    }

    /// @inheritdoc IStaking
    function claimRewards(address validator) external nonReentrant returns (uint256 amount) {
        if (!_validators[validator].registered) revert Staking__UnknownValidator(validator);
        Pool memory pool = _syncPool(validator);
        Delegation memory d = _syncDelegation(validator, msg.sender, pool);
        amount = d.unclaimed;
        if (amount == 0) revert Staking__NothingToClaim();
        d.unclaimed = 0;
        _delegations[validator][msg.sender] = d;
        _rewardsHeld -= amount;
        emit RewardsClaimed(validator, msg.sender, amount);

        IERC20(address(_TOKEN)).safeTransfer(msg.sender, amount);
    }

    // ------------------------------------------------------------------ rewards in

    /// @inheritdoc IStaking
    function notifyRewards(uint256 amount) external override nonReentrant {
        _notify(RewardSource.Emission, amount);
    }

    /// @inheritdoc IStaking
    function notifyFeeRewards(uint256 amount) external nonReentrant {
        _notify(RewardSource.Fees, amount);
    }

    // ------------------------------------------------------------------ beacon and governance

    /// @inheritdoc IStaking
    function reportEpoch(EpochReport calldata report) external onlyRole(MoltRoles.BEACON_ROLE) nonReentrant {
        uint64 epoch = _epoch;
        if (report.epoch != epoch) revert Staking__WrongEpoch(report.epoch, epoch);
        if (report.shardCount == 0 || report.shardCount > MoltConstants.STAKING_MAX_SHARDS) {
            revert Staking__ShardCountOutOfRange(report.shardCount);
        }
        (uint256[] memory stakes, uint256[] memory weights) = _verifyRanking(report);
        uint256 elected = stakes.length;
        if (elected != 0 && report.shardCount > elected) revert Staking__ShardCountOutOfRange(report.shardCount);

        uint256 paid = _payOutgoingSeats(epoch);
        uint256 carried = _epochRewards - paid;
        uint64 next = epoch + 1;
        uint256 total = _seatIncoming(report, stakes, weights, next);

        _epoch = next;
        _shardCount = report.shardCount;
        _seatCount = elected;
        _totalWeight = total;
        _epochRewards = carried;
        emit EpochReported(epoch, report.randomness, report.shardCount, elected, total, paid, carried);
    }

    /// @inheritdoc IStaking
    function slash(address validator, uint16 bps, SlashReason reason, bytes32 evidence)
        external
        nonReentrant
        returns (uint256 burned)
    {
        _checkRole(reason == SlashReason.Governance ? MoltRoles.GOVERNANCE_ROLE : MoltRoles.BEACON_ROLE);
        Validator storage val = _validators[validator];
        if (!val.registered) revert Staking__UnknownValidator(validator);
        if (bps == 0 || bps > MoltConstants.STAKING_BPS) revert Staking__SlashBpsOutOfRange(bps);
        if (evidence == bytes32(0)) revert Staking__ZeroEvidence();
        if (_evidenceUsed[evidence]) revert Staking__EvidenceAlreadyUsed(evidence);
        _evidenceUsed[evidence] = true;

        // Deposits of past epochs are bonded, so they are converted (and slashed) first.
        Pool memory pool = _syncPool(validator);
        UnbondingPool storage unbonding = _unbondingPools[validator];
        uint256 unbondingTokens = unbonding.tokens;
        uint256 bondedSlashed = Math.mulDiv(pool.tokens, bps, MoltConstants.STAKING_BPS);
        uint256 unbondingSlashed = Math.mulDiv(unbondingTokens, bps, MoltConstants.STAKING_BPS);
        _pools[validator].tokens = pool.tokens - uint96(bondedSlashed); // bondedSlashed <= pool.tokens
        unbonding.tokens = unbondingTokens - unbondingSlashed;
        burned = bondedSlashed + unbondingSlashed;
        _stakeHeld -= burned;

        SeatRef memory ref = _seatOf[validator];
        if (ref.index != 0 && ref.epoch == _epoch) {
            StoredSeat storage seat = _seats[ref.index - 1];
            _totalWeight -= seat.weight;
            seat.weight = 0;
        }
        emit ValidatorSlashed(validator, reason, bps, bondedSlashed, unbondingSlashed, evidence);
        if (pool.tokens == bondedSlashed && pool.shares != 0 && !val.wipedOut) {
            val.wipedOut = true;
            if (val.candidate) _removeCandidate(validator);
            emit ValidatorWipedOut(validator);
        }

        if (burned != 0) _TOKEN.burn(burned);
    }

    /// @inheritdoc IStaking
    function setMaxValidators(uint16 maxValidators_) external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        _setMaxValidators(maxValidators_);
    }

    /// @inheritdoc IStaking
    function setCommitteeSize(uint16 committeeSize_) external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        _setCommitteeSize(committeeSize_);
    }

    /// @inheritdoc IStaking
    function setUnbondingEpochs(uint16 unbondingEpochs_) external onlyRole(MoltRoles.GOVERNANCE_ROLE) {
        _setUnbondingEpochs(unbondingEpochs_);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IStaking
    function token() external view returns (IMoltToken) {
        return _TOKEN;
    }

    /// @inheritdoc IStaking
    function identityRegistry() external view returns (IIdentityLookup) {
        return _IDENTITY;
    }

    /// @inheritdoc IStaking
    function currentEpoch() external view returns (uint64) {
        return _epoch;
    }

    /// @inheritdoc IStaking
    function maxValidators() external view returns (uint16) {
        return _maxValidators;
    }

    /// @inheritdoc IStaking
    function committeeSize() external view returns (uint16) {
        return _committeeSize;
    }

    /// @inheritdoc IStaking
    function unbondingEpochs() external view returns (uint16) {
        return _unbondingEpochs;
    }

    /// @inheritdoc IStaking
    function shardCount() external view returns (uint16) {
        return _shardCount;
    }

    /// @inheritdoc IStaking
    function candidateCount() external view returns (uint256) {
        return _candidates.length;
    }

    /// @inheritdoc IStaking
    function candidates() external view returns (address[] memory) {
        return _candidates;
    }

    /// @inheritdoc IStaking
    function validatorInfo(address validator) external view returns (ValidatorInfo memory info) {
        Validator storage val = _validators[validator];
        info = ValidatorInfo({
            identityId: val.identityId,
            registered: val.registered,
            candidate: val.candidate,
            wipedOut: val.wipedOut,
            commissionBps: _commissionAt(val, _epoch),
            nextCommissionBps: val.nextCommissionBps,
            commissionEpoch: val.commissionEpoch
        });
    }

    /// @inheritdoc IStaking
    function poolInfo(address validator) external view returns (PoolInfo memory info) {
        Pool storage pool = _pools[validator];
        UnbondingPool storage unbonding = _unbondingPools[validator];
        info = PoolInfo({
            tokens: pool.tokens,
            shares: pool.shares,
            pendingTokens: pool.pendingTokens,
            pendingEpoch: pool.pendingEpoch,
            unbondingTokens: unbonding.tokens,
            unbondingShares: unbonding.shares,
            rewardPerShare: pool.rewardPerShare
        });
    }

    /// @inheritdoc IStaking
    function delegationOf(address validator, address delegator) external view returns (DelegationInfo memory info) {
        (Pool memory pool, Activation memory act, bool activated) = _previewPool(validator);
        (Delegation memory d,,) = _previewDelegation(validator, delegator, pool, act, activated);
        info = DelegationInfo({
            shares: d.shares,
            bondedTokens: _shareValue(d.shares, pool),
            pendingTokens: d.pendingTokens,
            claimableRewards: d.unclaimed
        });
    }

    /// @inheritdoc IStaking
    function unbondingOf(uint256 unbondingId) external view returns (UnbondingInfo memory info) {
        Unbonding storage entry = _unbondings[unbondingId];
        info.owner = entry.owner;
        info.validator = entry.validator;
        info.releaseEpoch = entry.releaseEpoch;
        info.shares = entry.shares;
        if (entry.owner != address(0)) {
            UnbondingPool storage pool = _unbondingPools[entry.validator];
            uint256 poolShares = pool.shares;
            info.tokens =
                entry.shares == poolShares ? pool.tokens : Math.mulDiv(entry.shares, pool.tokens + 1, poolShares + 1);
        }
    }

    /// @inheritdoc IStaking
    function electionStake(address validator) external view returns (uint256) {
        return _electionStake(validator);
    }

    /// @inheritdoc IStaking
    function selfStake(address validator) external view returns (uint256) {
        return _maturedSelfStake(validator);
    }

    /// @inheritdoc IStaking
    function electionWeight(address validator, uint64 reputation, uint32 uptime) external view returns (uint256) {
        Validator storage val = _validators[validator];
        if (!val.candidate) return 0;
        (, uint256 weight) = _weightOf(validator, val.identityId, reputation, uptime);
        return weight;
    }

    /// @inheritdoc IStaking
    function validatorSet() external view returns (Seat[] memory seats) {
        uint256 count = _seatCount;
        seats = new Seat[](count);
        for (uint256 i = 0; i < count; ++i) {
            seats[i] = _seatAt(i);
        }
    }

    /// @inheritdoc IStaking
    function seatOf(address validator) external view returns (bool seated, Seat memory seat) {
        SeatRef memory ref = _seatOf[validator];
        if (ref.index != 0 && ref.epoch == _epoch) {
            seated = true;
            seat = _seatAt(ref.index - 1);
        }
    }

    /// @inheritdoc IStaking
    function beaconCommittee() external view returns (address[] memory members) {
        uint256 count = _seatCount;
        members = new address[](count);
        uint256 found;
        for (uint256 i = 0; i < count; ++i) {
            if (_seats[i].inCommittee) {
                members[found] = _seats[i].validator;
                ++found;
            }
        }
        // Shrinks the array to the members found (memory only ever shrinks, so this is safe).
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(members, found)
        }
    }

    /// @inheritdoc IStaking
    function totalWeight() external view returns (uint256) {
        return _totalWeight;
    }

    /// @inheritdoc IStaking
    function epochRewards() external view returns (uint256) {
        return _epochRewards;
    }

    /// @inheritdoc IStaking
    function rewardsHeld() external view returns (uint256) {
        return _rewardsHeld;
    }

    /// @inheritdoc IStaking
    function stakeHeld() external view returns (uint256) {
        return _stakeHeld;
    }

    // ------------------------------------------------------------------ election internals

    /// @dev Recomputes every listed candidate's weight and checks the list is the whole candidate
    ///      set in strict (weight desc, address asc) order. Returns the stakes and weights of the
    ///      seats: the leading min(maxValidators, positive weights) entries. O(C), one identity
    ///      call per candidate with a positive stake, reputation, uptime and self-stake.
    function _verifyRanking(EpochReport calldata report)
        private
        view
        returns (uint256[] memory stakes, uint256[] memory weights)
    {
        uint256 count = _candidates.length;
        if (report.candidates.length != count) revert Staking__CandidateListLength(report.candidates.length, count);
        if (report.reputations.length != count) revert Staking__CandidateListLength(report.reputations.length, count);
        if (report.uptimes.length != count) revert Staking__CandidateListLength(report.uptimes.length, count);

        uint256 seats = Math.min(count, _maxValidators);
        stakes = new uint256[](seats);
        weights = new uint256[](seats);
        uint256 elected;
        address previous;
        uint256 previousWeight;
        for (uint256 i = 0; i < count; ++i) {
            (address candidate, uint256 stake, uint256 weight) = _rankEntry(report, i);
            if (i != 0 && (weight > previousWeight || (weight == previousWeight && candidate <= previous))) {
                revert Staking__CandidatesNotSorted(i);
            }
            // Sorted, so the positive weights are a prefix: the seats are its first `seats`.
            if (weight != 0 && i < seats) {
                stakes[i] = stake;
                weights[i] = weight;
                elected = i + 1;
            }
            previous = candidate;
            previousWeight = weight;
        }
        // Shrinks both arrays to the seats (memory only ever shrinks, so this is safe).
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(stakes, elected)
            mstore(weights, elected)
        }
    }

    /// @dev Entry `i` of a report: checks it names a candidate and a valid uptime, and computes
    ///      its election stake and weight. O(1).
    function _rankEntry(EpochReport calldata report, uint256 i)
        private
        view
        returns (address candidate, uint256 stake, uint256 weight)
    {
        candidate = report.candidates[i];
        Validator storage val = _validators[candidate];
        if (!val.candidate) revert Staking__NotCandidate(candidate);
        uint32 uptime = report.uptimes[i];
        if (uptime > MoltConstants.STAKING_UPTIME_SCALE) revert Staking__UptimeOutOfRange(i, uptime);
        (stake, weight) = _weightOf(candidate, val.identityId, report.reputations[i], uptime);
    }

    /// @dev The election stake and weight of a candidate. O(1), one identity call at most.
    function _weightOf(address validator, uint256 identityId, uint64 reputation, uint32 uptime)
        private
        view
        returns (uint256 stake, uint256 weight)
    {
        stake = _electionStake(validator);
        if (stake == 0 || reputation == 0 || uptime == 0) return (stake, 0);
        if (_maturedSelfStake(validator) < MoltConstants.STAKING_MIN_SELF_STAKE) return (stake, 0);
        if (!_IDENTITY.isActive(identityId)) return (stake, 0);
        weight = stake * reputation * uptime; // <= 10^15 * 2^64 * 10^6, far below 2^256
    }

    /// @dev Bonded tokens plus pending deposits of past epochs; never deposits of this epoch.
    function _electionStake(address validator) private view returns (uint256) {
        Pool storage pool = _pools[validator];
        uint256 stake = pool.tokens;
        if (pool.pendingEpoch < _epoch) stake += pool.pendingTokens; // one slot
        return stake;
    }

    /// @dev The operator's shares valued at the stored pool price plus its pending deposit of a
    ///      past epoch at face value (what it converts to, up to rounding).
    function _maturedSelfStake(address validator) private view returns (uint256) {
        Delegation storage own = _delegations[validator][validator];
        Pool storage pool = _pools[validator];
        uint256 shares = own.shares;
        uint256 value = shares == 0 ? 0 : Math.mulDiv(shares, pool.tokens + 1, pool.shares + 1);
        if (own.pendingEpoch < _epoch) value += own.pendingTokens;
        return value;
    }

    /// @dev Pays the closing epoch's pot to its seats by weight. O(N_old).
    function _payOutgoingSeats(uint64 closingEpoch) private returns (uint256 paid) {
        uint256 pot = _epochRewards;
        uint256 total = _totalWeight;
        if (pot == 0 || total == 0) return 0;
        uint256 count = _seatCount;
        for (uint256 i = 0; i < count; ++i) {
            StoredSeat storage seat = _seats[i];
            uint256 weight = seat.weight;
            if (weight == 0) continue;
            uint256 reward = Math.mulDiv(pot, weight, total);
            if (reward == 0) continue;
            paid += reward;
            _creditValidator(seat.validator, reward, closingEpoch);
        }
    }

    /// @dev Splits a validator's reward into commission (to its operator) and the pool's
    ///      accumulator. A pool without shares gives everything to the operator.
    function _creditValidator(address validator, uint256 reward, uint64 epoch) private {
        uint256 commission =
            Math.mulDiv(reward, _commissionAt(_validators[validator], epoch), MoltConstants.STAKING_BPS);
        Pool memory pool = _syncPool(validator);
        if (pool.shares == 0) {
            commission = reward;
        } else {
            _pools[validator].rewardPerShare =
                pool.rewardPerShare + Math.mulDiv(reward - commission, ACC_SCALE, pool.shares);
        }
        _delegations[validator][validator].unclaimed += SafeCast.toUint96(commission);
        emit ValidatorRewarded(epoch, validator, reward, commission);
    }

    /// @dev Writes the seats of epoch `next`, deals shards and samples the committee.
    ///      O(N + shardCount + K log N).
    function _seatIncoming(EpochReport calldata report, uint256[] memory stakes, uint256[] memory weights, uint64 next)
        private
        returns (uint256 total)
    {
        uint256 count = stakes.length;
        uint16[] memory shards = ValidatorSampling.assignShards(count, report.shardCount, report.randomness);
        bool[] memory committee = ValidatorSampling.sampleCommittee(stakes, _committeeSize, report.randomness);
        for (uint256 i = 0; i < count; ++i) {
            address validator = report.candidates[i];
            _seats[i] = StoredSeat({
                validator: validator,
                shard: shards[i],
                inCommittee: committee[i],
                stake: SafeCast.toUint72(stakes[i]),
                weight: weights[i]
            });
            _seatOf[validator] = SeatRef({epoch: next, index: uint16(i + 1)});
            total += weights[i];
            emit ValidatorElected(next, validator, i, shards[i], committee[i], stakes[i], weights[i]);
        }
    }

    function _seatAt(uint256 index) private view returns (Seat memory) {
        StoredSeat storage stored = _seats[index];
        return Seat({
            validator: stored.validator,
            shard: stored.shard,
            inCommittee: stored.inCommittee,
            stake: stored.stake,
            weight: stored.weight
        });
    }

    // ------------------------------------------------------------------ pool internals

    /// @dev The pool as it is once its pending batch of a past epoch (if any) is converted:
    ///      `minted = pending × (S + 1) / (T + 1)` shares, rounded down. View; O(1).
    function _previewPool(address validator)
        private
        view
        returns (Pool memory pool, Activation memory act, bool activated)
    {
        pool = _pools[validator];
        uint256 pending = pool.pendingTokens;
        if (pending != 0 && pool.pendingEpoch < _epoch) {
            uint256 minted = Math.mulDiv(pending, pool.shares + 1, pool.tokens + 1);
            act = Activation({rate: Math.mulDiv(minted, RATE_SCALE, pending), rewardPerShare: pool.rewardPerShare});
            pool.tokens += uint96(pending);
            pool.shares += minted;
            pool.pendingTokens = 0;
            activated = true;
        }
    }

    /// @dev `_previewPool`, written to storage. O(1).
    function _syncPool(address validator) private returns (Pool memory pool) {
        Activation memory act;
        bool activated;
        (pool, act, activated) = _previewPool(validator);
        if (activated) {
            _activations[validator][pool.pendingEpoch] = act;
            Pool storage stored = _pools[validator];
            stored.tokens = pool.tokens;
            stored.shares = pool.shares;
            stored.pendingTokens = 0;
        }
    }

    /// @dev A delegation with its rewards accrued up to the pool's accumulator and its pending
    ///      deposit of a past epoch converted. `pool` must be the synced pool; `act`/`activated`
    ///      describe a conversion of that pool not yet in storage (previews only). View; O(1).
    function _previewDelegation(
        address validator,
        address delegator,
        Pool memory pool,
        Activation memory act,
        bool activated
    ) private view returns (Delegation memory d, uint256 bondedTokens, uint256 bondedShares) {
        d = _delegations[validator][delegator];
        uint256 unclaimed = d.unclaimed;
        if (d.shares != 0) unclaimed += Math.mulDiv(d.shares, pool.rewardPerShare - d.rewardPerShare, ACC_SCALE);
        if (d.pendingTokens != 0 && d.pendingEpoch < _epoch) {
            Activation memory batch =
                activated && d.pendingEpoch == pool.pendingEpoch ? act : _activations[validator][d.pendingEpoch];
            bondedTokens = d.pendingTokens;
            bondedShares = Math.mulDiv(bondedTokens, batch.rate, RATE_SCALE);
            unclaimed += Math.mulDiv(bondedShares, pool.rewardPerShare - batch.rewardPerShare, ACC_SCALE);
            d.shares += bondedShares;
            d.pendingTokens = 0;
        }
        d.unclaimed = SafeCast.toUint96(unclaimed); // never above the rewards held, < 2^96
        d.rewardPerShare = pool.rewardPerShare;
    }

    /// @dev `_previewDelegation` on a synced pool, returned for the caller to store; emits the
    ///      conversion. O(1).
    function _syncDelegation(address validator, address delegator, Pool memory pool)
        private
        returns (Delegation memory d)
    {
        Activation memory none;
        uint256 bondedTokens;
        uint256 bondedShares;
        (d, bondedTokens, bondedShares) = _previewDelegation(validator, delegator, pool, none, false);
        if (bondedTokens != 0) emit DelegationBonded(validator, delegator, d.pendingEpoch, bondedTokens, bondedShares);
    }

    /// @dev Adds a pending deposit of this epoch to a synced delegation and its pool, and stores
    ///      the delegation. O(1).
    function _deposit(address validator, Delegation memory d, uint256 amount) private {
        uint64 epoch = _epoch;
        uint96 deposit = SafeCast.toUint96(amount);
        Pool storage pool = _pools[validator];
        pool.pendingTokens += deposit;
        pool.pendingEpoch = epoch;
        d.pendingTokens += deposit;
        d.pendingEpoch = epoch;
        _delegations[validator][msg.sender] = d;
        _stakeHeld += amount;
        emit Delegated(validator, msg.sender, amount, epoch + 1);
    }

    /// @dev What `shares` of the active pool are worth, rounded down. O(1).
    function _shareValue(uint256 shares, Pool memory pool) private pure returns (uint256) {
        if (shares == 0) return 0;
        if (shares == pool.shares) return pool.tokens;
        return Math.mulDiv(shares, pool.tokens + 1, pool.shares + 1);
    }

    // ------------------------------------------------------------------ misc internals

    function _notify(RewardSource source, uint256 amount) private {
        if (amount == 0) revert Staking__ZeroAmount();
        uint256 accounted = _stakeHeld + _rewardsHeld;
        uint256 balance = _TOKEN.balanceOf(address(this));
        uint256 unaccounted = balance > accounted ? balance - accounted : 0;
        if (amount > unaccounted) revert Staking__RewardsNotReceived(amount, unaccounted);
        _rewardsHeld += amount;
        _epochRewards += amount;
        emit RewardsNotified(source, msg.sender, amount, _epoch);
    }

    function _removeCandidate(address validator) private {
        Validator storage val = _validators[validator];
        uint16 index = val.candidateIndex;
        address last = _candidates[_candidates.length - 1];
        _candidates[index] = last;
        _validators[last].candidateIndex = index;
        _candidates.pop();
        val.candidate = false;
    }

    /// @dev Commission in force during `epoch`.
    function _commissionAt(Validator storage val, uint64 epoch) private view returns (uint16) {
        return epoch >= val.commissionEpoch ? val.nextCommissionBps : val.commissionBps;
    }

    function _scheduleCommission(Validator storage val, uint16 commissionBps) private {
        uint64 epoch = _epoch;
        val.commissionBps = _commissionAt(val, epoch);
        val.nextCommissionBps = commissionBps;
        val.commissionEpoch = epoch + 1;
        emit CommissionChangeScheduled(msg.sender, commissionBps, epoch + 1);
    }

    function _setMaxValidators(uint16 value) private {
        if (value < MoltConstants.STAKING_MIN_VALIDATOR_SET || value > MoltConstants.STAKING_MAX_VALIDATOR_SET) {
            revert Staking__MaxValidatorsOutOfRange(value);
        }
        _maxValidators = value;
        emit MaxValidatorsSet(value);
    }

    function _setCommitteeSize(uint16 value) private {
        if (value == 0 || value > MoltConstants.STAKING_BEACON_COMMITTEE_SIZE) {
            revert Staking__CommitteeSizeOutOfRange(value);
        }
        _committeeSize = value;
        emit CommitteeSizeSet(value);
    }

    function _setUnbondingEpochs(uint16 value) private {
        if (value < MoltConstants.STAKING_MIN_UNBONDING_EPOCHS || value > MoltConstants.STAKING_MAX_UNBONDING_EPOCHS) {
            revert Staking__UnbondingEpochsOutOfRange(value);
        }
        _unbondingEpochs = value;
        emit UnbondingEpochsSet(value);
    }
}
