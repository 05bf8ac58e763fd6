import { buildModule } from '@nomicfoundation/hardhat-ignition/modules';
import type { ContractFuture, ModuleParameterRuntimeValue } from '@nomicfoundation/ignition-core';
import { keccak256, toHex } from 'viem';
import MoltTokenModule from './MoltToken.ts';

/** OpenZeppelin AccessControl role ids (contracts/libraries/MoltRoles.sol). */
const GOVERNANCE_ROLE = keccak256(toHex('moltbook.role.governance'));
const BEACON_ROLE = keccak256(toHex('moltbook.role.beacon'));

/**
 * `Staking` (§7.4, §7.6, §8.2, §11.6; docs/contracts-staking.md) on $MOLT (the MoltToken module),
 * checking validators against the identity registry at the `identityRegistry` parameter
 * (IdentityRegistry, which implements IIdentityLookup).
 *
 * Parameters: `identityRegistry` (required); `governance` and `beacon` (default account 0, later
 * the Governor and the Beacon contract); `maxValidators` (default 100, §7.4 allows 100-150),
 * `committeeSize` (default 200, §8.2), `unbondingEpochs` (default 7, ~14 days).
 *
 * Roles: account 0 is admin (DEFAULT_ADMIN_ROLE); `governance` gets GOVERNANCE_ROLE (parameters,
 * governance slashing), `beacon` gets BEACON_ROLE (epoch reports, evidence slashing).
 *
 * Rewards reach staking through IRewardReceiver: governance points Emission at it
 * (`Emission.setRewardReceiver(Staking)`) and pays the bootstrap subsidy with
 * `Treasury.paySubsidy(Staking, amount)`. This module leaves that wiring to whoever composes it
 * with the Monetary module, so it deploys on its own.
 */
/** Ignition's module builder (the `m` of `buildModule`). */
type ModuleBuilder = Parameters<Parameters<typeof buildModule>[1]>[0];

/**
 * Adds Staking on `token` and `identityRegistry` to the module being built, with its roles and
 * parameters (`governance`, `beacon`, `maxValidators`, `committeeSize`, `unbondingEpochs` of that
 * module). Shared by this module and the composition module (Moltbook.ts).
 */
export function addStaking(
  m: ModuleBuilder,
  token: ContractFuture<string>,
  identityRegistry: ContractFuture<string> | ModuleParameterRuntimeValue<string>,
) {
  const deployer = m.getAccount(0);
  const governance = m.getParameter('governance', deployer);
  const beacon = m.getParameter('beacon', deployer);
  const maxValidators = m.getParameter('maxValidators', 100);
  const committeeSize = m.getParameter('committeeSize', 200);
  const unbondingEpochs = m.getParameter('unbondingEpochs', 7);

  const staking = m.contract('Staking', [
    token,
    identityRegistry,
    deployer,
    maxValidators,
    committeeSize,
    unbondingEpochs,
  ]);
  m.call(staking, 'grantRole', [GOVERNANCE_ROLE, governance], { id: 'stakingGovernance' });
  m.call(staking, 'grantRole', [BEACON_ROLE, beacon], { id: 'stakingBeacon' });
  return staking;
}

export default buildModule('Staking', (m) => {
  const { MoltToken } = m.useModule(MoltTokenModule);
  return { Staking: addStaking(m, MoltToken, m.getParameter<string>('identityRegistry')) };
});
