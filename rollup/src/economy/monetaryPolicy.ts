import { ECONOMY_SLOTS_PER_EPOCH, STORAGE_RATE_PER_BYTE } from '../params/economyParams.ts';
import { ACI_PERIOD_SLOTS } from '../params/monetaryParams.ts';
import type { EconomyState } from './economyState.ts';
import type { EconomyContext } from './execTypes.ts';
import { scaleBaseFee } from './feeMarket.ts';
import { aciAdjustment, recordEpochSignals } from './monetary/aci.ts';
import { closeBurnPeriod } from './monetary/dynamicBurn.ts';
import { prunePairs } from './reputation.ts';

/** Bytes in a GB for the §10.6 storage signal ("Storage fee per GB"): 2^30. */
const GIB = 1n << 30n;

/**
 * The monetary rules that run on time rather than on transactions, called by `beginSlot` once
 * per block: at an epoch boundary the closed epoch's §10.6 signals are recorded; at a 6 h period
 * boundary the §11.4 burn controller steps and the §10.6 ACI may scale the base fee ±10 %.
 * Skipped slots are caught up by the modules themselves (they compare periods, not slots).
 */
export function onSlot(state: EconomyState, ctx: EconomyContext): void {
  const epoch = ctx.slot / ECONOMY_SLOTS_PER_EPOCH;
  const t0 = state.totals();
  if (epoch > t0.epoch) {
    const t = state.totalsMut();
    recordEpochSignals(state.aciMut(), t.epoch, {
      bountyAmounts: t.epochBounties,
      feeRevenue: t.epochFeeRevenue,
      activeAgents: BigInt(t.epochActiveAgents),
      staked: t.staked,
      circulating: circulating(state),
      storageFeePerGb:
        t.epochStorageBytes === 0n
          ? STORAGE_RATE_PER_BYTE * GIB
          : (t.epochStorageFees * GIB) / t.epochStorageBytes,
    });
    t.epoch = epoch;
    // Pair records older than the independence lookback are no longer read (reputation.ts).
    prunePairs(state, epoch);
    t.epochBounties = [];
    t.epochFeeRevenue = 0n;
    t.epochActiveAgents = 0;
    t.epochStorageFees = 0n;
    t.epochStorageBytes = 0n;
  }
  const period = ctx.slot / ACI_PERIOD_SLOTS;
  if (period > state.burnState().period)
    closeBurnPeriod(state.burnMut(), {
      slot: ctx.slot,
      circulatingSupply: circulating(state),
      pohHash: ctx.pohHash,
    });
  if (period <= state.aci().lastAdjustmentPeriod) return;
  const t = state.totals();
  const decision = aciAdjustment(state.aciMut(), {
    slot: ctx.slot,
    postFeeMicroMolt: state.baseFee(),
    oracle:
      t.oraclePrice === 0n ? null : { priceMicroUsdPerMolt: t.oraclePrice, slot: t.oracleSlot },
  });
  if (decision.kind === 'adjust')
    scaleBaseFee(state.feeMarketMut(), decision.factorNum, decision.factorDen);
}

/**
 * Circulating $MOLT as the shard sees it: everything it holds that was not burned (balances,
 * escrows, deposits, pools). The network-wide figure would come from the beacon; each shard
 * steers its own burn with its own view (docs/economy.md "Monetary policy").
 */
export function circulating(state: EconomyState): bigint {
  const t = state.totals();
  return t.supply - t.burned;
}
