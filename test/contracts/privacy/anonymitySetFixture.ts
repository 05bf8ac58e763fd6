/**
 * Anonymity-set test kit (§6.2): deploys PoseidonT3, the generated MembershipVerifier and an
 * AnonymitySet over an identity registry, mirrors the registry's `IdentityRegistered` events into
 * the set the way the registrar process does, and turns a TypeScript membership proof into the
 * contract's `MembershipProof` struct. Used by AnonymitySet.test.ts and bench/zk.ts.
 *
 * ```ts
 * const connection = await network.create('op');
 * const fx = await deployIdentityFixture(connection);
 * const zk = await deployAnonymitySet(connection, { identities: fx.registry.address });
 * await fx.registerIdentity(owner, { zkCommitment: zkIdentity(secret).commitment });
 * const { tree } = await zk.syncFromRegistry(fx.registry); // addMembers + the same tree in TS
 * const proof = await createMembershipProof({ secret, tree, scope, message });
 * await zk.set.write.validateProof([toMembershipProofStruct(proof)]);
 * ```
 */
import { groth16ProofToSolidity, LeanImt, type MembershipProof } from '@moltbook/circuits';
import type { HardhatViemHelpers } from '@nomicfoundation/hardhat-viem/types';
import type { ChainType } from 'hardhat/types/network';
import { type Abi, type Address, keccak256, toHex } from 'viem';

export const REGISTRAR_ROLE = keccak256(toHex('moltbook.role.zk-registrar'));

/** MoltConstants.ANONYMITY_SET_ROOT_EXPIRY. */
export const ROOT_EXPIRY = 3600n;

type Connection<C extends ChainType> = { readonly viem: HardhatViemHelpers<C> };

/** IAnonymitySet.MembershipProof as viem encodes it. */
export type MembershipProofStruct = {
  root: bigint;
  nullifier: bigint;
  scope: bigint;
  message: bigint;
  points: readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
};

export function toMembershipProofStruct(proof: MembershipProof): MembershipProofStruct {
  return {
    root: proof.root,
    nullifier: proof.nullifier,
    scope: proof.scope,
    message: proof.message,
    points: groth16ProofToSolidity(proof.proof),
  };
}

/**
 * Deploys PoseidonT3, MembershipVerifier and an AnonymitySet reading `identities`; wallet client 0
 * is the admin and gets REGISTRAR_ROLE.
 */
export async function deployAnonymitySet<C extends ChainType>(
  connection: Connection<C>,
  { identities }: { identities: Address },
) {
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const [admin] = await viem.getWalletClients();
  if (admin === undefined) throw new Error('no wallet clients');
  const hasher = await viem.deployContract('PoseidonT3');
  const verifier = await viem.deployContract('MembershipVerifier');
  const set = await viem.deployContract('AnonymitySet', [
    verifier.address,
    hasher.address,
    identities,
    admin.account.address,
  ]);
  await set.write.grantRole([REGISTRAR_ROLE, admin.account.address]);

  /** The TypeScript mirror of the set, kept in step by `addMembers` and `syncFromRegistry`. */
  const tree = new LeanImt();
  let syncedBlock = 0n;

  async function addMembers(identityIds: readonly bigint[], commitments: readonly bigint[]) {
    const hash = await set.write.addMembers([[...identityIds], [...commitments]]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    tree.insertMany(commitments);
    return receipt;
  }

  /**
   * What the registrar does: reads the `IdentityRegistered` events of `registry` since the last
   * sync and adds their commitments in identity order.
   */
  async function syncFromRegistry(registry: { address: Address; abi: Abi }) {
    const logs = await publicClient.getContractEvents({
      address: registry.address,
      abi: registry.abi,
      eventName: 'IdentityRegistered',
      fromBlock: syncedBlock,
    });
    syncedBlock = (await publicClient.getBlockNumber()) + 1n;
    const registered = logs
      .map((log) => log.args as { identityId: bigint; zkCommitment: bigint })
      .sort((a, b) => (a.identityId < b.identityId ? -1 : 1));
    const receipt =
      registered.length === 0
        ? undefined
        : await addMembers(
            registered.map((r) => r.identityId),
            registered.map((r) => r.zkCommitment),
          );
    return { tree, receipt, added: registered.length };
  }

  return { publicClient, admin, hasher, verifier, set, tree, addMembers, syncFromRegistry };
}
