import { buildModule } from '@nomicfoundation/hardhat-ignition/modules';
import { keccak256, toHex, zeroAddress } from 'viem';
import MoltTokenModule from './MoltToken.ts';

/** OpenZeppelin AccessControl role ids (MoltToken.MINTER_ROLE, contracts/libraries/MoltRoles.sol). */
const MINTER_ROLE = keccak256(toHex('MINTER_ROLE'));
const GOVERNANCE_ROLE = keccak256(toHex('moltbook.role.governance'));
const BEACON_ROLE = keccak256(toHex('moltbook.role.beacon'));

/**
 * The default genesis time: when this file is loaded, in seconds. Right for the in-process local L2
 * (whose clock starts at wall-clock time); a real deployment passes `genesisTime` explicitly, so a
 * resumed deployment sees the same argument.
 */
const DEFAULT_GENESIS_TIME = BigInt(Math.floor(Date.now() / 1000));

/**
 * The monetary plumbing of §11.2-§11.3 on top of $MOLT (the MoltToken module):
 *
 * - `Treasury` (20 %), `SecurityAuditFund` (5 %) and the initial-liquidity `BatchAuction` (10 %,
 *   unsold $MOLT to the treasury);
 * - `GenesisDistribution`, which deploys the development fund's and the hardware manufacturers'
 *   vesting wallets (`DevelopmentFund`, `HardwareFund`), mints the 550M genesis allocations once and
 *   renounces MINTER_ROLE;
 * - `Emission` (the 45 % reserve over 8 years), paying its 10 % to the treasury; the validator reward
 *   receiver (staking) and the storage pool are set later by governance (`setRewardReceiver`,
 *   `setStoragePool`); until then their shares accrue in `Emission`.
 *
 * Roles: account 0 is admin of every contract; `governance` (default account 0, later the Governor)
 * gets GOVERNANCE_ROLE on Treasury, SecurityAuditFund and Emission; `beacon` (default account 0,
 * later the Beacon) gets BEACON_ROLE on Emission. Only GenesisDistribution and Emission get
 * MINTER_ROLE: the deployer's MINTER_ROLE (granted by the MoltToken module) is revoked after the
 * genesis mint. The deployer stays admin of MoltToken, so a local network that wants a faucet can
 * grant it again, visibly.
 *
 * Parameters (all optional): genesisTime, governance, beacon, developmentBeneficiary,
 * hardwareBeneficiary, proceedsRecipient (default account 0), auctionStart (default genesisTime),
 * auctionEnd (default genesisTime + 3 days), reservePrice and tickSize (wei per micromolt; default
 * 10^8 = 0.0001 ETH per $MOLT, and 1 % of it).
 */
export default buildModule('Monetary', (m) => {
  const { MoltToken } = m.useModule(MoltTokenModule);
  const deployer = m.getAccount(0);

  const genesisTime = m.getParameter('genesisTime', DEFAULT_GENESIS_TIME);
  const governance = m.getParameter('governance', deployer);
  const beacon = m.getParameter('beacon', deployer);
  const developmentBeneficiary = m.getParameter('developmentBeneficiary', deployer);
  const hardwareBeneficiary = m.getParameter('hardwareBeneficiary', deployer);
  const proceedsRecipient = m.getParameter('proceedsRecipient', deployer);
  const auctionStart = m.getParameter('auctionStart', DEFAULT_GENESIS_TIME);
  const auctionEnd = m.getParameter('auctionEnd', DEFAULT_GENESIS_TIME + 3n * 24n * 3600n);
  const reservePrice = m.getParameter('reservePrice', 10n ** 8n);
  const tickSize = m.getParameter('tickSize', 10n ** 6n);

  const treasury = m.contract('Treasury', [MoltToken, deployer, genesisTime]);
  const securityAuditFund = m.contract('SecurityAuditFund', [MoltToken, deployer]);
  const batchAuction = m.contract('BatchAuction', [
    MoltToken,
    proceedsRecipient,
    treasury,
    auctionStart,
    auctionEnd,
    reservePrice,
    tickSize,
  ]);
  const genesis = m.contract('GenesisDistribution', [
    MoltToken,
    {
      treasury,
      liquidityAuction: batchAuction,
      securityAuditFund,
      developmentBeneficiary,
      hardwareBeneficiary,
    },
    genesisTime,
  ]);
  const emission = m.contract('Emission', [
    MoltToken,
    deployer,
    genesisTime,
    treasury,
    zeroAddress,
    zeroAddress,
  ]);

  const genesisMinter = m.call(MoltToken, 'grantRole', [MINTER_ROLE, genesis], {
    id: 'grantMinterRoleToGenesis',
  });
  m.call(MoltToken, 'grantRole', [MINTER_ROLE, emission], { id: 'grantMinterRoleToEmission' });
  const distribute = m.call(genesis, 'distribute', [], { after: [genesisMinter] });
  m.call(MoltToken, 'revokeRole', [MINTER_ROLE, deployer], {
    id: 'revokeMinterRoleFromDeployer',
    after: [distribute],
  });

  m.call(treasury, 'grantRole', [GOVERNANCE_ROLE, governance], { id: 'treasuryGovernance' });
  m.call(securityAuditFund, 'grantRole', [GOVERNANCE_ROLE, governance], {
    id: 'securityAuditFundGovernance',
  });
  m.call(emission, 'grantRole', [GOVERNANCE_ROLE, governance], { id: 'emissionGovernance' });
  m.call(emission, 'grantRole', [BEACON_ROLE, beacon], { id: 'emissionBeacon' });

  const developmentFund = m.contractAt(
    'MoltVestingWallet',
    m.staticCall(genesis, 'developmentFund'),
    { id: 'DevelopmentFund' },
  );
  const hardwareFund = m.contractAt('MoltVestingWallet', m.staticCall(genesis, 'hardwareFund'), {
    id: 'HardwareFund',
  });

  return {
    MoltToken,
    Treasury: treasury,
    SecurityAuditFund: securityAuditFund,
    BatchAuction: batchAuction,
    GenesisDistribution: genesis,
    DevelopmentFund: developmentFund,
    HardwareFund: hardwareFund,
    Emission: emission,
  };
});
