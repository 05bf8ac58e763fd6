// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title MoltConstants
/// @notice The protocol constants of the L2 contracts, each with the whitepaper section it comes
///         from (DESIGN.md §5: one parameters module per side; the rollup's twin is its params.ts).
///         Contracts use these names and never repeat the numbers.
library MoltConstants {
    // ---------------------------------------------------------------- §11.1 Token: $MOLT

    /// @notice ERC-20 name of $MOLT.
    string internal constant TOKEN_NAME = "Molt";

    /// @notice ERC-20 symbol of $MOLT (§11.1 "$MOLT").
    string internal constant TOKEN_SYMBOL = "MOLT";

    /// @notice §11.1 "Smallest unit: 1 micromolt = 0.000001 $MOLT", so 6 decimals.
    uint8 internal constant TOKEN_DECIMALS = 6;

    /// @notice One whole $MOLT in base units (micromolt): 10^TOKEN_DECIMALS.
    uint256 internal constant MOLT = 10 ** TOKEN_DECIMALS;

    /// @notice §11.1 "Total supply cap: 1,000,000,000 (1 billion) $MOLT", in micromolt.
    uint256 internal constant TOKEN_SUPPLY_CAP = 1_000_000_000 * MOLT;

    // ---------------------------------------------------------------- §11.2-§11.3, §11.6, §13.4, App. A: monetary plumbing

    /// @notice §11.3 "78.84M slots/year (400ms slots, 365 days)": the year of every monetary
    ///         schedule (emission phases, vesting, treasury quarters, subsidy years), in seconds.
    ///         A fixed 365-day year, no leap days, so that 78,840,000 slots make exactly one year.
    uint256 internal constant MONETARY_YEAR = 365 days;

    /// @notice §11.2 "Network bootstrap (block rewards) 45% 450M": the emission reserve, in
    ///         micromolt. Never minted at genesis; `Emission` mints at most this much over time.
    uint256 internal constant GENESIS_EMISSION_RESERVE = 450_000_000 * MOLT;

    /// @notice §11.2 "Community treasury (governance-controlled) 20% 200M", in micromolt.
    uint256 internal constant GENESIS_COMMUNITY_TREASURY = 200_000_000 * MOLT;

    /// @notice §11.2 "Development fund 12% 120M", in micromolt.
    uint256 internal constant GENESIS_DEVELOPMENT_FUND = 120_000_000 * MOLT;

    /// @notice §11.2 "Early hardware manufacturers 8% 80M", in micromolt.
    uint256 internal constant GENESIS_HARDWARE_MANUFACTURERS = 80_000_000 * MOLT;

    /// @notice §11.2 "Initial liquidity 10% 100M", in micromolt: the supply of the batch auction.
    uint256 internal constant GENESIS_INITIAL_LIQUIDITY = 100_000_000 * MOLT;

    /// @notice §11.2 "Security audit fund 5% 50M", in micromolt.
    uint256 internal constant GENESIS_SECURITY_AUDIT_FUND = 50_000_000 * MOLT;

    /// @notice §11.2: everything minted at genesis (the 55 % that is not the emission reserve),
    ///         in micromolt: 550,000,000 $MOLT. With GENESIS_EMISSION_RESERVE it makes the cap.
    uint256 internal constant GENESIS_MINT = GENESIS_COMMUNITY_TREASURY + GENESIS_DEVELOPMENT_FUND
        + GENESIS_HARDWARE_MANUFACTURERS + GENESIS_INITIAL_LIQUIDITY + GENESIS_SECURITY_AUDIT_FUND;

    /// @notice §11.2 development fund "4-year vesting", in seconds.
    uint64 internal constant DEVELOPMENT_FUND_VESTING_DURATION = uint64(4 * MONETARY_YEAR);

    /// @notice §11.2 development fund "1-year cliff", in seconds.
    uint64 internal constant DEVELOPMENT_FUND_VESTING_CLIFF = uint64(MONETARY_YEAR);

    /// @notice §11.2 early hardware manufacturers "2-year vesting", in seconds (no cliff).
    uint64 internal constant HARDWARE_MANUFACTURERS_VESTING_DURATION = uint64(2 * MONETARY_YEAR);

    /// @notice §11.2 "per-address cap of 0.5% of total supply. No single buyer can acquire more
    ///         than 5M $MOLT at launch", in micromolt (0.5 % of the cap, exact).
    uint256 internal constant AUCTION_ADDRESS_CAP = TOKEN_SUPPLY_CAP * 5 / 1000;

    /// @notice §11.3 (and §7.3): one slot lasts 400 ms.
    uint256 internal constant EMISSION_SLOT_DURATION_MS = 400;

    /// @notice §11.3 "78.84M slots/year (400ms slots, 365 days)": 31,536,000 s / 0.4 s, exact.
    uint256 internal constant EMISSION_SLOTS_PER_YEAR = MONETARY_YEAR * 1000 / EMISSION_SLOT_DURATION_MS;

    /// @notice §11.3: each phase of the halving schedule lasts 2 years, in slots (157,680,000).
    uint256 internal constant EMISSION_PHASE_SLOTS = 2 * EMISSION_SLOTS_PER_YEAR;

    /// @notice §11.3 "Phase 1 (Year 1-2): 1.52 $MOLT" per slot, in micromolt.
    uint256 internal constant EMISSION_PHASE_1_SLOT_REWARD = 152 * MOLT / 100;

    /// @notice §11.3 "Phase 2 (Year 3-4): 0.76 $MOLT" per slot, in micromolt.
    uint256 internal constant EMISSION_PHASE_2_SLOT_REWARD = 76 * MOLT / 100;

    /// @notice §11.3 "Phase 3 (Year 5-6): 0.38 $MOLT" per slot, in micromolt.
    uint256 internal constant EMISSION_PHASE_3_SLOT_REWARD = 38 * MOLT / 100;

    /// @notice §11.3 "Phase 4 (Year 7-8): 0.19 $MOLT" per slot, in micromolt.
    uint256 internal constant EMISSION_PHASE_4_SLOT_REWARD = 19 * MOLT / 100;

    /// @notice §11.3 "Phase 5 (Year 9+): 0.00": slots from this index on (8 years) earn nothing.
    uint256 internal constant EMISSION_END_SLOT = 4 * EMISSION_PHASE_SLOTS;

    /// @notice §11.3: everything the schedule ever emits, in micromolt: 157.68M slots × (1.52 +
    ///         0.76 + 0.38 + 0.19) $MOLT = 449,388,000 $MOLT, below GENESIS_EMISSION_RESERVE (the
    ///         paper's "≈120M/year" rounds 119.8368M up; the 612,000 $MOLT left are never minted).
    uint256 internal constant EMISSION_TOTAL = EMISSION_PHASE_SLOTS
        * (EMISSION_PHASE_1_SLOT_REWARD
            + EMISSION_PHASE_2_SLOT_REWARD
            + EMISSION_PHASE_3_SLOT_REWARD
            + EMISSION_PHASE_4_SLOT_REWARD);

    /// @notice §11.6 note "30% of block rewards go to validators", in percent of each emission.
    uint256 internal constant EMISSION_VALIDATORS_PERCENT = 30;

    /// @notice §11.6 note: 30 % of block rewards go to storage.
    uint256 internal constant EMISSION_STORAGE_PERCENT = 30;

    /// @notice §11.6 note: 30 % of block rewards are burned.
    uint256 internal constant EMISSION_BURN_PERCENT = 30;

    /// @notice §11.6 note: 10 % of block rewards go to the treasury.
    uint256 internal constant EMISSION_TREASURY_PERCENT = 10;

    /// @notice §11.2 "Capped at 2% per quarter during first 2 years" and §13.4: how long the
    ///         treasury's withdrawal cap lasts after genesis, in seconds.
    uint256 internal constant TREASURY_CAPPED_PERIOD = 2 * MONETARY_YEAR;

    /// @notice §11.2 / §13.4 "per quarter": a quarter of the 365-day year, 7,884,000 s (91.25 days),
    ///         counted from genesis, so the capped period is exactly 8 quarters.
    uint256 internal constant TREASURY_QUARTER = MONETARY_YEAR / 4;

    /// @notice §11.2 / §13.4 "capped at 2% of treasury per quarter", in percent.
    uint256 internal constant TREASURY_QUARTERLY_CAP_PERCENT = 2;

    /// @notice App. A "the community treasury allocates up to 5M $MOLT/year for validator
    ///         subsidies", in micromolt per year.
    uint256 internal constant TREASURY_VALIDATOR_SUBSIDY_PER_YEAR = 5_000_000 * MOLT;

    /// @notice App. A "During the first 2 years": how long the subsidy budget lasts, in seconds.
    uint256 internal constant TREASURY_VALIDATOR_SUBSIDY_PERIOD = 2 * MONETARY_YEAR;

    // ---------------------------------------------------------------- §7.4, §8.2, §8.4, §11.6: staking and validator election

    /// @notice §7.4 "Top 100-150 by election_weight become validators for the next epoch": the
    ///         least number of seats governance may set.
    uint256 internal constant STAKING_MIN_VALIDATOR_SET = 100;

    /// @notice §7.4 "Top 100-150": the most seats governance may set.
    uint256 internal constant STAKING_MAX_VALIDATOR_SET = 150;

    /// @notice §8.2 "Beacon validators: Committee of 200": the largest beacon committee, and the
    ///         size a new deployment starts with.
    uint256 internal constant STAKING_BEACON_COMMITTEE_SIZE = 200;

    /// @notice §8.4 "16 shards": the most shards one epoch may assign validators to.
    uint256 internal constant STAKING_MAX_SHARDS = 16;

    /// @notice §7.4 (bounded election, docs/contracts-staking.md): the candidate set holds at most
    ///         twice the largest validator set, so every epoch report is O(300) reads and a full
    ///         field still has as many challengers as seats.
    uint256 internal constant STAKING_MAX_CANDIDATES = 2 * STAKING_MAX_VALIDATOR_SET;

    /// @notice §11.6 / App. A ("opportunity cost at 10K $MOLT stake"): the operator's own stake a
    ///         candidate needs, in micromolt; with the identity requirement it prices filling the
    ///         bounded candidate set at 300 hardware identities and 3M $MOLT.
    uint256 internal constant STAKING_MIN_SELF_STAKE = 10_000 * MOLT;

    /// @notice §7.4 `reputation_score(v)` in epoch reports is fixed point: this value is 1.0.
    uint256 internal constant STAKING_REPUTATION_SCALE = 1e6;

    /// @notice §7.4 `uptime_factor(v)` in epoch reports is fixed point: this value is 100 %, and
    ///         no uptime may exceed it.
    uint256 internal constant STAKING_UPTIME_SCALE = 1e6;

    /// @notice Basis points: slashing fractions (§7.6) and commissions are in 1/10,000.
    uint256 internal constant STAKING_BPS = 10_000;

    /// @notice §11.6 (validator economics; the bound is a design choice, docs/contracts-staking.md):
    ///         the highest commission a validator may take from its pool's rewards, in basis points.
    uint256 internal constant STAKING_MAX_COMMISSION_BPS = 2_500;

    /// @notice §7.3 epochs (~2 days): the shortest unbonding delay governance may set, in epochs.
    uint256 internal constant STAKING_MIN_UNBONDING_EPOCHS = 1;

    /// @notice §7.3 epochs: the longest unbonding delay governance may set (~60 days), in epochs.
    uint256 internal constant STAKING_MAX_UNBONDING_EPOCHS = 30;

    /// @notice §7.3 epochs: the unbonding delay a new deployment starts with (~14 days), in epochs.
    uint256 internal constant STAKING_DEFAULT_UNBONDING_EPOCHS = 7;

    // ---------------------------------------------------------------- §5.4-§5.7, §6.2, §17.2: identity and manufacturers

    /// @notice §5.5 step 5c and App. C.5 ("Minimum Stake: 100 $MOLT"): the least stake an identity
    ///         registers with, in micromolt.
    uint256 internal constant IDENTITY_MIN_STAKE = 100 * MOLT;

    /// @notice DESIGN.md §3 (signer keys, "limits per identity"; the paper is silent): the most
    ///         active Ed25519 signer keys one identity may have. Each costs a card signature, and
    ///         the bound keeps an identity's state in the rollup small.
    uint256 internal constant IDENTITY_MAX_SIGNER_KEYS = 16;

    /// @notice §6.2 / DESIGN.md §3 (ZK identity, Baby Jubjub / Poseidon): the BN254 scalar field
    ///         order; a ZK identity commitment is a nonzero element below it.
    uint256 internal constant IDENTITY_COMMITMENT_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @notice §5.5 step 3 `hardware_type` "secure_element" (Phase 0-1 dongle, §5.1).
    uint8 internal constant HARDWARE_TYPE_SECURE_ELEMENT = 1;

    /// @notice §5.5 step 3 `hardware_type` "puf_card" (Phase 2+ card, §5.2).
    uint8 internal constant HARDWARE_TYPE_PUF_CARD = 2;

    /// @notice §5.7 "Each approved manufacturer posts a bond of 1,000,000 $MOLT", in micromolt. A
    ///         manufacturer certifies new devices only while its bond is at least this.
    uint256 internal constant MANUFACTURER_BOND = 1_000_000 * MOLT;

    /// @notice §5.7 eligibility, "> 3 years of operating history": operations must have begun more
    ///         than this long (3 × 365 days) before approval.
    uint256 internal constant MANUFACTURER_MIN_OPERATING_HISTORY = 3 * 365 days;

    /// @notice §5.5 step 5e / §5.7 "no single manufacturer >40% of active devices": a registration
    ///         must leave its manufacturer strictly below this share, in percent, once the cap binds.
    uint256 internal constant MANUFACTURER_MAX_DEVICE_SHARE_PERCENT = 40;

    /// @notice §17.2 Phase 2 trigger ("≥10,000 hardware identities from ≥3 manufacturers"): the
    ///         bootstrap exemption from the 40 % cap ends with the registration that brings the
    ///         active devices to this many (with fewer than three manufacturers the cap cannot be
    ///         met, and the paper has three only from here).
    uint256 internal constant MANUFACTURER_SHARE_CAP_MIN_DEVICES = 10_000;

    /// @notice §17.2 Phase 3 ("validation period: 6 months … reversed if manufacturer fraud is
    ///         proven"): a removed manufacturer's bond stays slashable this long before release.
    uint256 internal constant MANUFACTURER_BOND_RELEASE_DELAY = 180 days;

    // ---------------------------------------------------------------- §6.2: privacy (anonymity set)

    /// @notice §6.2 Merkle membership (DESIGN.md §7: depth ≥ 20): the depth the membership circuit
    ///         is compiled at (circuits/membership.circom, its generated verifier), hence the most
    ///         levels the anonymity set's tree may have: at most 2^20 (1,048,576) members.
    uint256 internal constant ANONYMITY_SET_MAX_DEPTH = 20;

    /// @notice §6.2 (the proof's public `merkle_root_of_all_registered_pks`; the paper sets no
    ///         window): how long a replaced anonymity-set root still verifies, in seconds, so that
    ///         a proof made against the root of the moment survives registrations landing before
    ///         it. One hour, Semaphore's default group root duration.
    uint256 internal constant ANONYMITY_SET_ROOT_EXPIRY = 1 hours;
}
