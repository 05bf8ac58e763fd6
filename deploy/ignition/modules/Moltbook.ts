import { buildModule } from '@nomicfoundation/hardhat-ignition/modules';
import IdentityModule from './Identity.ts';
import MonetaryModule from './Monetary.ts';
import { addPrivacy } from './Privacy.ts';
import { addStaking } from './Staking.ts';

/**
 * Every L2 contract of Open Moltbook, wired together — what `npm start` deploys:
 *
 * - Monetary (MoltToken, GenesisDistribution and its vesting wallets, BatchAuction, Treasury,
 *   SecurityAuditFund, Emission);
 * - Identity (ManufacturerRegistry, IdentityRegistry, IdentityGateway), slashing into the Treasury;
 * - Staking on the real IdentityRegistry, and Emission paying the validators' 30 % into it
 *   (`setRewardReceiver`, §11.6);
 * - Privacy (PoseidonT3, MembershipVerifier, AnonymitySet) on the IdentityRegistry (§6). The storage pool is set when the DA layer's contract exists;
 *   until then that share accrues in Emission.
 *
 * Roles default to account 0 (governance, beacon) until the Governor and Beacon contracts exist;
 * parameters are those of the submodules (Monetary, Identity) and this module (Staking's).
 */
export default buildModule('Moltbook', (m) => {
  const monetary = m.useModule(MonetaryModule);
  const identity = m.useModule(IdentityModule);
  const staking = addStaking(m, monetary.MoltToken, identity.IdentityRegistry);
  m.call(monetary.Emission, 'setRewardReceiver', [staking], { id: 'emissionPaysStaking' });
  const privacy = addPrivacy(m, identity.IdentityRegistry);
  return { ...monetary, ...identity, Staking: staking, ...privacy };
});
