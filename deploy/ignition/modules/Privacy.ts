import type { buildModule } from '@nomicfoundation/hardhat-ignition/modules';
import type { ContractFuture } from '@nomicfoundation/ignition-core';
import { keccak256, toHex } from 'viem';

/** AnonymitySet.REGISTRAR_ROLE. */
const REGISTRAR_ROLE = keccak256(toHex('moltbook.role.zk-registrar'));

/** Ignition's module builder (the `m` of `buildModule`). */
type ModuleBuilder = Parameters<Parameters<typeof buildModule>[1]>[0];

/**
 * The privacy layer of §6 (docs/privacy.md) on an identity registry: `PoseidonT3` (the tree's
 * hasher), the generated Groth16 `MembershipVerifier` (contracts/verifiers/, pinned to the
 * checked-in ceremony) and the `AnonymitySet` of identity commitments, reading `identityRegistry`
 * (an IIdentityLookup). Account 0 is admin; `registrar` (default account 0) gets REGISTRAR_ROLE:
 * the process that mirrors `IdentityRegistered` events into the set (deploy/local/registrar.ts).
 */
export function addPrivacy(
  m: ModuleBuilder,
  identityRegistry: ContractFuture<string>,
): {
  PoseidonT3: ContractFuture<'PoseidonT3'>;
  MembershipVerifier: ContractFuture<'MembershipVerifier'>;
  AnonymitySet: ContractFuture<'AnonymitySet'>;
} {
  const deployer = m.getAccount(0);
  const registrar = m.getParameter('registrar', deployer);
  const hasher = m.contract('PoseidonT3');
  const verifier = m.contract('MembershipVerifier');
  const set = m.contract('AnonymitySet', [verifier, hasher, identityRegistry, deployer]);
  m.call(set, 'grantRole', [REGISTRAR_ROLE, registrar], { id: 'anonymitySetRegistrar' });
  return { PoseidonT3: hasher, MembershipVerifier: verifier, AnonymitySet: set };
}
