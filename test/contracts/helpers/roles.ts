import { keccak256, toHex } from 'viem';

/** AccessControl role ids of the L2 contracts (MoltToken.MINTER_ROLE, contracts/libraries/MoltRoles.sol). */
export const MINTER_ROLE = keccak256(toHex('MINTER_ROLE'));
export const GOVERNANCE_ROLE = keccak256(toHex('moltbook.role.governance'));
export const BEACON_ROLE = keccak256(toHex('moltbook.role.beacon'));
