import { type Address, getAddress, keccak256, toHex } from 'viem';

// §7.4, §8.2, §11.6 and the staking bounds, written out here rather than imported so that a wrong
// constant in the contract fails.
export const MOLT = 10n ** 6n;
export const MIN_SELF_STAKE = 10_000n * MOLT;
export const SCALE = 1_000_000n; // reputation 1.0, uptime 100 %
export const MAX_COMMISSION_BPS = 2_500;
export const MAX_CANDIDATES = 300;
export const UNBONDING_EPOCHS = 7;
export { BEACON_ROLE, GOVERNANCE_ROLE, MINTER_ROLE } from '../helpers/roles.ts';
export const SlashReason = { DoubleSigning: 0, ForcedInclusionFailure: 1, Governance: 2 } as const;

export interface EpochReport {
  epoch: bigint;
  randomness: `0x${string}`;
  shardCount: number;
  candidates: Address[];
  reputations: bigint[];
  uptimes: number[];
}

/** What building a report needs from the staking contract (any viem instance of it). */
export interface StakingReader {
  read: {
    candidates: () => Promise<readonly Address[]>;
    currentEpoch: () => Promise<bigint>;
    electionWeight: (args: readonly [Address, bigint, number]) => Promise<bigint>;
  };
}

/**
 * The report the beacon must send: every candidate once, by election weight descending, ties by
 * address ascending; `score` gives each candidate's reputation and uptime (default 1.0 and 100 %).
 */
export async function buildReport(
  staking: StakingReader,
  options: {
    randomness?: `0x${string}`;
    shardCount?: number;
    score?: (candidate: Address) => { reputation: bigint; uptime: number };
  } = {},
): Promise<EpochReport> {
  const score = options.score ?? (() => ({ reputation: SCALE, uptime: Number(SCALE) }));
  const list = await staking.read.candidates();
  const rows = await Promise.all(
    list.map(async (candidate) => {
      const { reputation, uptime } = score(candidate);
      const weight = await staking.read.electionWeight([candidate, reputation, uptime]);
      return { candidate, reputation, uptime, weight };
    }),
  );
  rows.sort((a, b) => {
    if (a.weight !== b.weight) return a.weight > b.weight ? -1 : 1;
    const x = BigInt(a.candidate);
    const y = BigInt(b.candidate);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const epoch = await staking.read.currentEpoch();
  return {
    epoch,
    randomness: options.randomness ?? keccak256(toHex(`epoch ${epoch}`)),
    shardCount: options.shardCount ?? 1,
    candidates: rows.map((r) => getAddress(r.candidate)),
    reputations: rows.map((r) => r.reputation),
    uptimes: rows.map((r) => r.uptime),
  };
}
