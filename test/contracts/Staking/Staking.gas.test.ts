import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { network } from 'hardhat';
import { type Address, type Hash, keccak256, pad, toHex } from 'viem';
import { deployIdentityFixture } from '../helpers/identityFixture.ts';
import {
  BEACON_ROLE,
  buildReport,
  GOVERNANCE_ROLE,
  MAX_CANDIDATES,
  MIN_SELF_STAKE,
  MOLT,
  SlashReason,
} from './stakingHelpers.ts';

/**
 * Gas of the staking entry points in real transactions (intrinsic and calldata included) on the
 * L2 chain type, with a full candidate set of 300 validators holding real identities (so every
 * `isActive` of an election reads the real IdentityRegistry), reported as test diagnostics and
 * held to budgets so a regression fails. These are the figures docs/contracts-staking.md quotes.
 */
describe('Staking gas (op)', async () => {
  const { viem, networkHelpers } = await network.create('op');
  const publicClient = await viem.getPublicClient();
  const [adminWallet, beaconWallet, governanceWallet, aliceWallet] = await viem.getWalletClients();
  if (!adminWallet || !beaconWallet || !governanceWallet || !aliceWallet)
    throw new Error('accounts');
  const admin = adminWallet.account;
  const beacon = beaconWallet.account;
  const governance = governanceWallet.account;
  const alice = aliceWallet.account;

  const fx = await deployIdentityFixture({ viem, networkHelpers });
  const { token, registry } = fx;
  const staking = await viem.deployContract('Staking', [
    token.address,
    registry.address,
    admin.address,
    100,
    200,
    1,
  ]);
  await staking.write.grantRole([BEACON_ROLE, beacon.address]);
  await staking.write.grantRole([GOVERNANCE_ROLE, governance.address]);

  const validators: Address[] = Array.from({ length: MAX_CANDIDATES + 1 }, (_, i) =>
    pad(toHex(0x5000 + i), { size: 20 }),
  );
  /** Each validator's identity (registered in `before`), which it names when it registers. */
  const identities = new Map<Address, bigint>();
  const idOf = (v: Address) => {
    const id = identities.get(v);
    if (id === undefined) throw new Error(`no identity for ${v}`);
    return id;
  };
  const figures: Record<string, bigint> = {};
  const gasOf = async (name: string, hash: Promise<Hash>) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    assert.equal(receipt.status, 'success');
    figures[name] = receipt.gasUsed;
    return receipt.gasUsed;
  };
  const report = async (name: string) =>
    gasOf(name, staking.write.reportEpoch([await buildReport(staking)], { account: beacon }));

  before(async () => {
    for (const [i, v] of validators.entries()) {
      identities.set(v, (await fx.registerIdentity(v)).identityId); // impersonates and funds v
      await networkHelpers.setBalance(v, 10n ** 20n);
      // Distinct stakes, so every report is a real ranking.
      const stake = MIN_SELF_STAKE + BigInt(i) * MOLT;
      await token.write.mint([v, 2n * stake]);
      await token.write.approve([staking.address, 2n * stake], { account: v });
    }
  });

  it('registers up to the candidate bound and no further', async () => {
    await gasOf(
      'registerValidator (first, with self-stake)',
      staking.write.registerValidator([idOf(validators[0] as Address), 500, MIN_SELF_STAKE], {
        account: validators[0] as Address,
      }),
    );
    for (const [i, v] of validators.slice(1, MAX_CANDIDATES).entries()) {
      await staking.write.registerValidator([idOf(v), 0, MIN_SELF_STAKE + BigInt(i + 1) * MOLT], {
        account: v,
      });
    }
    assert.equal(await staking.read.candidateCount(), BigInt(MAX_CANDIDATES));
    await viem.assertions.revertWithCustomErrorWithArgs(
      staking.write.registerValidator(
        [idOf(validators[MAX_CANDIDATES] as Address), 0, MIN_SELF_STAKE],
        {
          account: validators[MAX_CANDIDATES] as Address,
        },
      ),
      staking,
      'Staking__CandidateSetFull',
      [BigInt(MAX_CANDIDATES)],
    );
  });

  it('measures delegation, reports with 300 candidates, rewards, unbonding and slashing', async (t) => {
    const v0 = validators[0] as Address;
    await token.write.mint([alice.address, 1_000_000n * MOLT]);
    await token.write.approve([staking.address, 1_000_000n * MOLT], { account: alice });
    await gasOf(
      'delegate (new delegator)',
      staking.write.delegate([v0, 1000n * MOLT], { account: alice }),
    );
    await gasOf(
      'delegate (same epoch again)',
      staking.write.delegate([v0, 1000n * MOLT], { account: alice }),
    );

    await report('reportEpoch (300 candidates, 0 seats -> 0: nothing bonded yet)');
    await gasOf(
      'delegate (next epoch: converts the pool batch and own deposit)',
      staking.write.delegate([v0, 1000n * MOLT], { account: alice }),
    );
    await report('reportEpoch (300 candidates -> 100 seats, first set)');
    await token.write.mint([staking.address, 1000n * MOLT]);
    await gasOf('notifyRewards', staking.write.notifyRewards([1000n * MOLT]));
    await report('reportEpoch (300 candidates, pays 100 seats -> 100 seats)');

    await staking.write.setMaxValidators([150], { account: governance });
    await report('reportEpoch (300 candidates, pays 100 seats -> 150 seats)');
    await token.write.mint([staking.address, 1000n * MOLT]);
    await staking.write.notifyRewards([1000n * MOLT]);
    await report('reportEpoch (300 candidates, pays 150 seats -> 150 seats)');
    await token.write.mint([staking.address, 1000n * MOLT]);
    await staking.write.notifyRewards([1000n * MOLT]);
    await report('reportEpoch (300 candidates, pays 150 seats -> 150 seats, steady state)');

    await gasOf('claimRewards (delegator)', staking.write.claimRewards([v0], { account: alice }));
    await gasOf('claimRewards (operator)', staking.write.claimRewards([v0], { account: v0 }));
    await gasOf('undelegate', staking.write.undelegate([v0, 500n * MOLT], { account: alice }));
    await report('reportEpoch (300 candidates, pays 0 seats -> 150 seats)');
    await gasOf('withdraw', staking.write.withdraw([1n], { account: alice }));
    await gasOf(
      'slash (seated validator, bonded + unbonding)',
      staking.write.slash([v0, 500, SlashReason.DoubleSigning, keccak256(toHex('evidence'))], {
        account: beacon,
      }),
    );

    // Smaller sets on a second staking contract (the validators' identities are reused): the
    // 20 validators of §17.2 phase 0, then 100 candidates for 100 seats.
    const small = await viem.deployContract('Staking', [
      token.address,
      registry.address,
      admin.address,
      100,
      200,
      1,
    ]);
    await small.write.grantRole([BEACON_ROLE, beacon.address]);
    const steady = async (count: number) => {
      for (const v of validators.slice(0, count)) {
        if ((await small.read.validatorInfo([v])).registered) continue;
        await token.write.mint([v, MIN_SELF_STAKE]);
        await token.write.approve([small.address, MIN_SELF_STAKE], { account: v });
        await small.write.registerValidator([idOf(v), 0, MIN_SELF_STAKE], { account: v });
      }
      for (let i = 0; i < 5; i++) {
        await token.write.mint([small.address, 1000n * MOLT]);
        await small.write.notifyRewards([1000n * MOLT]);
        const name = `reportEpoch (${count} candidates, pays ${count} seats -> ${count} seats, steady state)`;
        await gasOf(name, small.write.reportEpoch([await buildReport(small)], { account: beacon }));
      }
    };
    await steady(20);
    await steady(100);

    for (const [name, gas] of Object.entries(figures)) t.diagnostic(`${name}: ${gas} gas`);

    // Budgets: a regression past these fails.
    const budget = (name: string, max: bigint) =>
      assert.ok((figures[name] ?? 0n) <= max, `${name}: ${figures[name]} > ${max}`);
    budget('registerValidator (first, with self-stake)', 260_000n);
    budget('delegate (new delegator)', 150_000n);
    budget('delegate (next epoch: converts the pool batch and own deposit)', 200_000n);
    budget('undelegate', 250_000n);
    budget('withdraw', 100_000n);
    budget('claimRewards (delegator)', 100_000n);
    budget('slash (seated validator, bonded + unbonding)', 150_000n);
    budget('reportEpoch (300 candidates, pays 150 seats -> 150 seats)', 13_000_000n);
    budget('reportEpoch (300 candidates, pays 150 seats -> 150 seats, steady state)', 10_000_000n);
    budget('reportEpoch (20 candidates, pays 20 seats -> 20 seats, steady state)', 1_200_000n);
    budget('reportEpoch (100 candidates, pays 100 seats -> 100 seats, steady state)', 5_000_000n);
  });
});
