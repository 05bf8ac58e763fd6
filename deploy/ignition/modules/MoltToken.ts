import { buildModule } from '@nomicfoundation/hardhat-ignition/modules';

/**
 * $MOLT (§11.1). For now the deployer (account 0) is both admin and minter; the genesis
 * distribution and emission contracts take MINTER_ROLE over in a later issue, and the deployer's
 * roles are then renounced.
 */
export default buildModule('MoltToken', (m) => {
  const deployer = m.getAccount(0);
  const moltToken = m.contract('MoltToken', [deployer]);
  const minterRole = m.staticCall(moltToken, 'MINTER_ROLE');
  m.call(moltToken, 'grantRole', [minterRole, deployer], { id: 'grantMinterRoleToDeployer' });
  return { MoltToken: moltToken };
});
