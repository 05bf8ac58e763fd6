/**
 * Monetary-policy constants of the rollup: the Attention Cost Index (§10.6) and the dynamic burn
 * (§11.3, §11.4). Every value cites where it comes from; nothing in economy/monetary/ is a magic
 * number (DESIGN.md §5). Money is micromolt (µMOLT, §11.1) as bigint; fractions are basis points
 * (BPS) or WAD fixed point (10^18 = 1.0), never floating point (STYLE.md "Numbers in consensus").
 * Why each decision was taken: docs/economy.md (monetary policy).
 */
import { SLOT_DURATION_MS, SLOTS_PER_EPOCH } from './consensusParams.ts';

/** §11.1 "Smallest unit: 1 micromolt = 0.000001 $MOLT". */
export const MICROMOLT_PER_MOLT = 1_000_000n;

/** Prices are micro-USD (10^-6 $) per MOLT: the oracle's unit and the ACI's. */
export const MICRO_USD_PER_USD = 1_000_000n;

// ───────────────────────────── periods ─────────────────────────────

/**
 * §10.6 "Applied every 6 hours (8x per epoch)" and §11.4 "per ACI adjustment period, every 6
 * hours": 6 h of 400 ms slots (§7.3) = 54,000 slots. Period `p` spans slots [54,000·p, 54,000·(p+1)).
 */
export const ACI_PERIOD_SLOTS = (6n * 3_600n * 1_000n) / BigInt(SLOT_DURATION_MS);

/** §10.6 "8x per epoch": 432,000 / 54,000 (consensusParams SLOTS_PER_EPOCH, §7.3). */
export const ACI_PERIODS_PER_EPOCH = BigInt(SLOTS_PER_EPOCH) / ACI_PERIOD_SLOTS;

/** §11.3 "78.84M slots/year (400ms slots, 365 days)". */
export const SLOTS_PER_YEAR = (365n * 86_400n * 1_000n) / BigInt(SLOT_DURATION_MS);

// ───────────────────────────── ACI (§10.6) ─────────────────────────────

/** Encoding version of the ACI state (`encodeAci`); bump on any change of the layout. */
export const ACI_STATE_VERSION = 1;

/** §10.6 "Time-Weighted Average over 5 epochs (10 days)". */
export const ACI_TWA_EPOCHS = 5;

/**
 * §10.6 "the 10-epoch rolling mean": the window of the 3σ rule, and the baseline each signal is
 * measured against (its index = 5-epoch TWA / 10-epoch mean). Also the epochs the state keeps.
 */
export const ACI_BASELINE_EPOCHS = 10;

/** §10.6 "excludes values >3 standard deviations from the 10-epoch rolling mean". */
export const ACI_OUTLIER_K_SIGMA = 3n;

/**
 * Fewest earlier samples the 3σ rule needs before it flags anything (the paper is silent). With
 * one or two the σ is meaningless (0 for one sample), so the first epochs are never trimmed.
 */
export const ACI_OUTLIER_MIN_SAMPLES = 3;

/** §10.6 bounty signal "trimmed: exclude top/bottom 10%": 1,000 bps from each end. */
export const ACI_BOUNTY_TRIM_BPS = 1_000n;

/**
 * §10.6 "signal × 0.25" for each of the four signals: the weights of the weighted median, in bps.
 * Equal weights make it the plain median (the mean of the middle two of four).
 */
export const ACI_SIGNAL_WEIGHT_BPS = 2_500n;

/**
 * Fewest signals with a defined index for the ACI to be computed (the paper is silent). Three, so
 * that the median still resists one manipulated signal (§10.6 "Manipulation cost analysis").
 */
export const ACI_MIN_SIGNALS = 3;

/** §10.6 "If ACI > $0.05" per basic post: 50,000 micro-USD. */
export const ACI_UPPER_MICRO_USD = 50_000n;

/** §10.6 "If ACI < $0.001" per basic post: 1,000 micro-USD. */
export const ACI_LOWER_MICRO_USD = 1_000n;

/** §10.6 "base_fee_molt = base_fee_molt * 0.90" above the band: factor 9,000 / 10,000. */
export const ACI_DECREASE_FACTOR_BPS = 9_000n;

/** §10.6 "base_fee_molt = base_fee_molt * 1.10" below the band: factor 11,000 / 10,000. */
export const ACI_INCREASE_FACTOR_BPS = 11_000n;

/**
 * §10.6 Fallback "all 4 signals diverge by >50% from each other": two indices a ≤ b diverge when
 * b > a × (1 + 5,000 bps), i.e. the larger exceeds the smaller by more than 50 % of the smaller;
 * adjustments freeze when every pair of available indices diverges.
 */
export const ACI_DIVERGENCE_BPS = 5_000n;

/**
 * The MOLT/USD price is stale, and ACI adjustments pause, when it was delivered more than this
 * many slots ago: 1 hour (9,000 slots). The paper does not say; Chainlink's USD feeds publish at
 * least every hour (their "heartbeat"), so a price older than one heartbeat means the feed, the
 * beacon or the bridge of events is down.
 */
export const ORACLE_MAX_AGE_SLOTS = (3_600n * 1_000n) / BigInt(SLOT_DURATION_MS);

// ───────────────────────────── dynamic burn (§11.3, §11.4) ─────────────────────────────

/** Encoding version of the dynamic-burn state (`encodeBurn`); bump on any layout change. */
export const BURN_STATE_VERSION = 1;

/** §10.2 "30% burn" and App. C.1 "30% Default": the burn rate at genesis. */
export const BURN_RATE_INITIAL_BPS = 3_000n;

/** §11.4 "burn_rate is clamped to [5%, 50%]" (App. C.1 "Governance range"): lower bound. */
export const BURN_RATE_MIN_BPS = 500n;

/** §11.4 "burn_rate is clamped to [5%, 50%]": upper bound. */
export const BURN_RATE_MAX_BPS = 5_000n;

/** §11.4 "burn_rate ± 1 percentage point", "maximum 1 percentage point per 6-hour period". */
export const BURN_RATE_STEP_BPS = 100n;

/** §11.4 "Tolerance: 1% of circulating supply". */
export const BURN_TOLERANCE_BPS = 100n;

/** §11.4 "Target: 2% annual deflation of circulating supply (long-term)". */
export const BURN_TARGET_DEFLATION_BPS = 200n;

/** §11.4 "Target: 0% deflation (net neutral) during Years 1-3 (growth phase)". */
export const BURN_GROWTH_PHASE_YEARS = 3n;

/** §11.3 "Phase 1 (Year 1-2)" …: each halving phase lasts two years. */
export const EMISSION_PHASE_YEARS = 2n;

/**
 * §11.3 per-slot block reward of phases 1-4 in µMOLT: 1.52, 0.76, 0.38, 0.19 $MOLT; 0 from phase
 * 5 (Year 9+). The same schedule as contracts/libraries/MoltConstants.sol (Emission).
 */
export const EMISSION_PHASE_SLOT_REWARDS: readonly bigint[] = [
  1_520_000n,
  760_000n,
  380_000n,
  190_000n,
];

/**
 * §11.6 note "30% of block rewards go to validators; remaining 70% is split among storage (30%),
 * burn (30%), and treasury (10%)": the Emission contract burns 30 % of every emission, so only
 * 70 % of the §11.3 rate adds to the circulating supply the controller steers.
 */
export const EMISSION_BURN_SHARE_BPS = 3_000n;

/**
 * ACI periods whose fees make the "annualized_fee_volume" of §11.4 (the paper is silent): 4 = one
 * day, so that the daily cycle of agent activity does not swing the controller.
 */
export const BURN_FEE_WINDOW_PERIODS = 4;

/**
 * ACI periods over which the damper's "annualized deflation" (§11.4) is measured from circulating
 * supply snapshots (the paper is silent): 4 = one day, as for the fee volume.
 */
export const BURN_DEFLATION_WINDOW_PERIODS = 4;

/**
 * §11.4 damper 1 / (1 + e^(k·(d − 0.03))): the coefficient k, WAD. The paper writes k = 10 but
 * states "at 5% deflation, the damper reduces burn by ~70%. At 8% … by ~95%"; k = 10 gives 55 %
 * and 62 %. k = 50 gives 73 % and 92 %, the closest single value to both (docs/economy.md).
 */
export const DAMPER_K_WAD = 50n * 10n ** 18n;

/** §11.4 damper midpoint "(deflation_rate − 0.03)": 3 % annual deflation, WAD. */
export const DAMPER_MIDPOINT_WAD = 3n * 10n ** 16n;

/** §11.4 "Damper adjustments take effect after a random delay of 1-5 ACI periods": fewest. */
export const DAMPER_DELAY_MIN_PERIODS = 1n;

/** §11.4 "a random delay of 1-5 ACI periods (6-30 hours)": most. */
export const DAMPER_DELAY_MAX_PERIODS = 5n;

/** Domain tag of the damper delay draw: delay = SHA-256(tag ‖ PoH hash)[0..8] mod 5 + 1. */
export const DAMPER_DELAY_TAG = 'moltbook/damper-delay/v1';
