import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { encodeFunctionData, getAddress, zeroAddress } from 'viem';
import { MINTER_ROLE } from '../helpers/roles.ts';
import { walletClientAt } from '../helpers/walletClientAt.ts';

const MOLT = 10n ** 6n;
const YEAR = 365n * 24n * 3600n;

describe('MoltVestingWallet', async () => {
  const { viem, networkHelpers } = await network.create('op');
  const clients = await viem.getWalletClients();
  const client = (i: number) => walletClientAt(clients, i);
  const admin = client(0);
  const beneficiary = client(1);
  const buyer = client(2);

  async function deploy() {
    const start = BigInt(await networkHelpers.time.latest());
    const token = await viem.deployContract('MoltToken', [admin.account.address]);
    const wallet = await viem.deployContract('MoltVestingWallet', [
      beneficiary.account.address,
      start,
      4n * YEAR,
      YEAR,
    ]);
    await token.write.grantRole([MINTER_ROLE, admin.account.address]);
    await token.write.mint([wallet.address, 120_000_000n * MOLT]);
    return { token, wallet, start };
  }

  it('cannot be sold: ownership can be neither transferred nor renounced', async () => {
    const { wallet } = await networkHelpers.loadFixture(deploy);
    // Both are `pure` functions that always revert, so viem lists them under `read`.
    for (const caller of [beneficiary, buyer]) {
      await viem.assertions.revertWithCustomError(
        wallet.read.transferOwnership([buyer.account.address], { account: caller.account }),
        wallet,
        'MoltVestingWallet__OwnershipNotTransferable',
      );
    }
    await viem.assertions.revertWithCustomError(
      wallet.read.renounceOwnership({ account: beneficiary.account }),
      wallet,
      'MoltVestingWallet__OwnershipNotTransferable',
    );
    // A real transaction from the beneficiary, as a buyer would ask for, fails the same way.
    await viem.assertions.revertWithCustomError(
      beneficiary.sendTransaction({
        to: wallet.address,
        data: encodeFunctionData({
          abi: wallet.abi,
          functionName: 'transferOwnership',
          args: [buyer.account.address],
        }),
      }),
      wallet,
      'MoltVestingWallet__OwnershipNotTransferable',
    );
    assert.equal(getAddress(await wallet.read.owner()), getAddress(beneficiary.account.address));
  });

  it('releases linearly after the cliff, to the beneficiary whoever calls', async () => {
    const { token, wallet, start } = await networkHelpers.loadFixture(deploy);
    assert.equal(await wallet.read.releasable([token.address]), 0n);
    await networkHelpers.time.setNextBlockTimestamp(start + 2n * YEAR);
    await wallet.write.release([token.address], { account: buyer.account });
    assert.equal(await token.read.balanceOf([beneficiary.account.address]), 60_000_000n * MOLT);
    assert.equal(await token.read.balanceOf([buyer.account.address]), 0n);
  });

  it('rejects a zero beneficiary and a cliff longer than the vesting', async () => {
    await assert.rejects(
      viem.deployContract('MoltVestingWallet', [zeroAddress, 1n, YEAR, 0n]),
      /OwnableInvalidOwner/,
    );
    await assert.rejects(
      viem.deployContract('MoltVestingWallet', [beneficiary.account.address, 1n, YEAR, YEAR + 1n]),
      /InvalidCliffDuration/,
    );
  });
});
