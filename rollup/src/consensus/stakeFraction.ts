import type { StakeFraction } from '../params/towerParams.ts';

/** `stake / total > fraction`, in integers: stake × den > total × num (never a float ratio). */
export function exceedsFraction(stake: bigint, total: bigint, fraction: StakeFraction): boolean {
  return stake * fraction.denominator > total * fraction.numerator;
}
