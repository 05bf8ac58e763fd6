import { buildModule } from '@nomicfoundation/hardhat-ignition/modules';
import { keccak256, toHex } from 'viem';
import MonetaryModule from './Monetary.ts';

/** contracts/libraries/MoltRoles.sol GOVERNANCE_ROLE. */
const GOVERNANCE_ROLE = keccak256(toHex('moltbook.role.governance'));

/**
 * The identity layer of §5.4-§5.7 on top of $MOLT (docs/contracts-identity.md):
 *
 * - `ManufacturerRegistry` (manufacturers, bonds, firmware, device counts and the 40 % cap);
 * - `IdentityRegistry` (identities, stakes, counters, signer keys), which is the `IIdentityLookup`
 *   the Staking module takes as its `identityRegistry` parameter;
 * - `IdentityGateway`, the registry's current gateway (certificate and card-signature checks).
 *
 * Both registries send slashed funds to the Monetary module's `Treasury`. Account 0 is admin of
 * both registries and gets GOVERNANCE_ROLE to wire them (`setIdentityRegistry`, `setGateway`);
 * `governance` (default account 0, later the Governor) gets GOVERNANCE_ROLE too. A real deployment
 * then revokes account 0's role. No manufacturer is approved here: that is governance's act.
 *
 * Parameters (optional): governance.
 */
export default buildModule('Identity', (m) => {
  const { MoltToken, Treasury } = m.useModule(MonetaryModule);
  const deployer = m.getAccount(0);
  const governance = m.getParameter('governance', deployer);

  const manufacturerRegistry = m.contract('ManufacturerRegistry', [MoltToken, deployer, Treasury]);
  const identityRegistry = m.contract('IdentityRegistry', [
    MoltToken,
    manufacturerRegistry,
    deployer,
    Treasury,
  ]);
  const identityGateway = m.contract('IdentityGateway', [identityRegistry]);

  const manufacturersWiring = m.call(
    manufacturerRegistry,
    'grantRole',
    [GOVERNANCE_ROLE, deployer],
    { id: 'manufacturerRegistryWiringRole' },
  );
  const identityWiring = m.call(identityRegistry, 'grantRole', [GOVERNANCE_ROLE, deployer], {
    id: 'identityRegistryWiringRole',
  });
  m.call(manufacturerRegistry, 'setIdentityRegistry', [identityRegistry], {
    after: [manufacturersWiring],
  });
  m.call(identityRegistry, 'setGateway', [identityGateway], { after: [identityWiring] });
  m.call(manufacturerRegistry, 'grantRole', [GOVERNANCE_ROLE, governance], {
    id: 'manufacturerRegistryGovernance',
    after: [manufacturersWiring],
  });
  m.call(identityRegistry, 'grantRole', [GOVERNANCE_ROLE, governance], {
    id: 'identityRegistryGovernance',
    after: [identityWiring],
  });

  return {
    MoltToken,
    Treasury,
    ManufacturerRegistry: manufacturerRegistry,
    IdentityRegistry: identityRegistry,
    IdentityGateway: identityGateway,
  };
});
