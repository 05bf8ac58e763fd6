import type { ChainType } from 'hardhat/types/network';
import type { Address, Hash } from 'viem';
import { deployIdentityFixture, measureIdentityGas } from '../helpers/identityFixture.ts';
import { BEACON_ROLE } from '../helpers/roles.ts';
import { buildReport, MIN_SELF_STAKE, MOLT } from '../Staking/stakingHelpers.ts';

type Connection<C extends ChainType> = Parameters<typeof measureIdentityGas<C>>[0];

/** The calls issue 3 asks to be snapshotted, in gas of real transactions (intrinsic included). */
export type GasFigures = Record<string, number>;

const VALIDATORS = 3;

/**
 * Measures, on `connection`'s chain: identity registration, signer authorization and revocation,
 * a clone report (through identityFixture), and staking's register-with-self-stake, delegate and
 * an epoch report electing VALIDATORS validators that hold real identities.
 */
export async function measureContractGas<C extends ChainType>(
  connection: Connection<C>,
): Promise<GasFigures> {
  const identity = await measureIdentityGas(connection);
  const figures: GasFigures = {};
  for (const [name, gas] of Object.entries(identity)) figures[`identity.${name}`] = Number(gas);

  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const fx = await deployIdentityFixture(connection, { identities: VALIDATORS + 1 });
  const [admin] = await viem.getWalletClients();
  if (admin === undefined) throw new Error('no wallet clients');
  const staking = await viem.deployContract('Staking', [
    fx.token.address,
    fx.registry.address,
    admin.account.address,
    100,
    200,
    1,
  ]);
  await staking.write.grantRole([BEACON_ROLE, admin.account.address]);
  const gasOf = async (hash: Promise<Hash>) =>
    Number((await publicClient.waitForTransactionReceipt({ hash: await hash })).gasUsed);

  const owners = fx.identities.map((i) => i.owner);
  for (const [i, { owner, identityId }] of fx.identities.slice(0, VALIDATORS).entries()) {
    const stake = MIN_SELF_STAKE + BigInt(i) * MOLT;
    await fx.mint(owner, stake);
    const wallet = await fx.walletFor(owner);
    await fx.token.write.approve([staking.address, stake], { account: wallet.account });
    const gas = await gasOf(
      staking.write.registerValidator([identityId, 500, stake], { account: wallet.account }),
    );
    if (i === 0) figures['staking.registerValidatorWithStake'] = gas;
  }
  const delegator = owners[VALIDATORS] as Address;
  const delegatorWallet = await fx.walletFor(delegator);
  await fx.mint(delegator, 1_000n * MOLT);
  await fx.token.write.approve([staking.address, 1_000n * MOLT], {
    account: delegatorWallet.account,
  });
  figures['staking.delegate'] = await gasOf(
    staking.write.delegate([owners[0] as Address, 1_000n * MOLT], {
      account: delegatorWallet.account,
    }),
  );
  // The first report seats the validators; the second is the steady state that is snapshotted.
  await gasOf(staking.write.reportEpoch([await buildReport(staking)]));
  figures[`staking.reportEpoch.${VALIDATORS}validators`] = await gasOf(
    staking.write.reportEpoch([await buildReport(staking)]),
  );
  return figures;
}
