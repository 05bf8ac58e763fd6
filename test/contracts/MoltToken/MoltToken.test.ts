import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { type Address, getAddress, parseSignature, zeroAddress } from 'viem';
import { MINTER_ROLE } from '../helpers/roles.ts';

// §11.1, written out here rather than imported so that a wrong constant in the contract fails.
const DECIMALS = 6;
const MOLT = 10n ** BigInt(DECIMALS);
const CAP = 1_000_000_000n * MOLT;
const DEFAULT_ADMIN_ROLE = `0x${'00'.repeat(32)}` as const;

function fourAccounts<T>(clients: readonly T[]): readonly [T, T, T, T] {
  const [a, b, c, d] = clients;
  if (a === undefined || b === undefined || c === undefined || d === undefined) {
    throw new Error('expected at least 4 funded accounts');
  }
  return [a, b, c, d];
}

// The same suite on both chain types: the L2 (OP Stack, isthmus) and L1 (osaka).
for (const chainName of ['op', 'l1'] as const) {
  describe(`MoltToken on ${chainName}`, async () => {
    const { viem, networkHelpers } = await network.create(chainName);
    const publicClient = await viem.getPublicClient();
    const [admin, minter, alice, bob] = fourAccounts(await viem.getWalletClients());

    async function deployMoltToken() {
      const token = await viem.deployContract('MoltToken', [admin.account.address]);
      await token.write.grantRole([MINTER_ROLE, minter.account.address]);
      return token;
    }

    it('has the §11.1 metadata', async () => {
      const token = await networkHelpers.loadFixture(deployMoltToken);
      assert.equal(await token.read.name(), 'Molt');
      assert.equal(await token.read.symbol(), 'MOLT');
      assert.equal(await token.read.decimals(), DECIMALS);
      assert.equal(await token.read.cap(), CAP);
      assert.equal(await token.read.totalSupply(), 0n);
      assert.equal(await token.read.MINTER_ROLE(), MINTER_ROLE);
      const [, name, version, chainId, verifyingContract] = await token.read.eip712Domain();
      assert.deepEqual(
        [name, version, chainId, getAddress(verifyingContract)],
        ['Molt', '1', BigInt(await publicClient.getChainId()), getAddress(token.address)],
      );
    });

    it('gives the admin role, and only it, to the constructor argument', async () => {
      const token = await networkHelpers.loadFixture(deployMoltToken);
      assert.equal(await token.read.hasRole([DEFAULT_ADMIN_ROLE, admin.account.address]), true);
      assert.equal(await token.read.hasRole([MINTER_ROLE, admin.account.address]), false);
      await assert.rejects(viem.deployContract('MoltToken', [zeroAddress]), /MoltToken__ZeroAdmin/);
    });

    it('lets only MINTER_ROLE holders mint', async () => {
      const token = await networkHelpers.loadFixture(deployMoltToken);
      for (const caller of [alice, admin]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          token.write.mint([alice.account.address, MOLT], { account: caller.account }),
          token,
          'AccessControlUnauthorizedAccount',
          [caller.account.address, MINTER_ROLE],
        );
      }

      await viem.assertions.emitWithArgs(
        token.write.mint([alice.account.address, 5n * MOLT], { account: minter.account }),
        token,
        'Transfer',
        [zeroAddress, alice.account.address, 5n * MOLT],
      );
      assert.equal(await token.read.balanceOf([alice.account.address]), 5n * MOLT);

      await token.write.revokeRole([MINTER_ROLE, minter.account.address]);
      await viem.assertions.revertWithCustomError(
        token.write.mint([alice.account.address, 1n], { account: minter.account }),
        token,
        'AccessControlUnauthorizedAccount',
      );
    });

    it('mints exactly up to the cap and not one micromolt more', async () => {
      const token = await networkHelpers.loadFixture(deployMoltToken);
      await viem.assertions.revertWithCustomErrorWithArgs(
        token.write.mint([alice.account.address, CAP + 1n], { account: minter.account }),
        token,
        'MoltToken__CapExceeded',
        [CAP + 1n, CAP],
      );

      await token.write.mint([alice.account.address, CAP - 1n], { account: minter.account });
      await token.write.mint([bob.account.address, 1n], { account: minter.account });
      assert.equal(await token.read.totalSupply(), CAP);
      assert.equal(await token.read.totalMinted(), CAP);

      await viem.assertions.revertWithCustomErrorWithArgs(
        token.write.mint([alice.account.address, 1n], { account: minter.account }),
        token,
        'MoltToken__CapExceeded',
        [1n, 0n],
      );
    });

    it('does not let burned supply be minted again', async () => {
      const token = await networkHelpers.loadFixture(deployMoltToken);
      await token.write.mint([alice.account.address, CAP], { account: minter.account });
      await token.write.burn([10n * MOLT], { account: alice.account });
      assert.equal(await token.read.totalSupply(), CAP - 10n * MOLT);
      assert.equal(await token.read.totalBurned(), 10n * MOLT);

      await viem.assertions.revertWithCustomErrorWithArgs(
        token.write.mint([alice.account.address, 1n], { account: minter.account }),
        token,
        'MoltToken__CapExceeded',
        [1n, 0n],
      );
    });

    it('burn and burnFrom reduce balance and supply', async () => {
      const token = await networkHelpers.loadFixture(deployMoltToken);
      await token.write.mint([alice.account.address, 100n * MOLT], { account: minter.account });

      await viem.assertions.emitWithArgs(
        token.write.burn([30n * MOLT], { account: alice.account }),
        token,
        'Transfer',
        [alice.account.address, zeroAddress, 30n * MOLT],
      );
      assert.equal(await token.read.balanceOf([alice.account.address]), 70n * MOLT);
      assert.equal(await token.read.totalSupply(), 70n * MOLT);

      await viem.assertions.revertWithCustomErrorWithArgs(
        token.write.burnFrom([alice.account.address, 1n], { account: bob.account }),
        token,
        'ERC20InsufficientAllowance',
        [bob.account.address, 0n, 1n],
      );
      await token.write.approve([bob.account.address, 20n * MOLT], { account: alice.account });
      await token.write.burnFrom([alice.account.address, 20n * MOLT], { account: bob.account });
      assert.equal(await token.read.balanceOf([alice.account.address]), 50n * MOLT);
      assert.equal(await token.read.allowance([alice.account.address, bob.account.address]), 0n);
      assert.equal(await token.read.totalSupply(), 50n * MOLT);
      assert.equal(await token.read.totalBurned(), 50n * MOLT);

      await viem.assertions.revertWithCustomErrorWithArgs(
        token.write.burn([50n * MOLT + 1n], { account: alice.account }),
        token,
        'ERC20InsufficientBalance',
        [alice.account.address, 50n * MOLT, 50n * MOLT + 1n],
      );
    });

    describe('EIP-2612 permit', () => {
      async function signPermit(
        tokenAddress: Address,
        owner: typeof alice,
        spender: Address,
        value: bigint,
        nonce: bigint,
        deadline: bigint,
      ) {
        const signature = await owner.signTypedData({
          account: owner.account,
          domain: {
            name: 'Molt',
            version: '1',
            chainId: await publicClient.getChainId(),
            verifyingContract: tokenAddress,
          },
          types: {
            Permit: [
              { name: 'owner', type: 'address' },
              { name: 'spender', type: 'address' },
              { name: 'value', type: 'uint256' },
              { name: 'nonce', type: 'uint256' },
              { name: 'deadline', type: 'uint256' },
            ],
          },
          primaryType: 'Permit',
          message: { owner: owner.account.address, spender, value, nonce, deadline },
        });
        const { r, s, v, yParity } = parseSignature(signature);
        return { r, s, v: v === undefined ? yParity + 27 : Number(v) };
      }

      it('sets an allowance from an off-chain signature, once', async () => {
        const token = await networkHelpers.loadFixture(deployMoltToken);
        await token.write.mint([alice.account.address, 10n * MOLT], { account: minter.account });
        const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
        const value = 4n * MOLT;
        const { v, r, s } = await signPermit(
          token.address,
          alice,
          bob.account.address,
          value,
          0n,
          deadline,
        );
        const permitArgs = [
          alice.account.address,
          bob.account.address,
          value,
          deadline,
          v,
          r,
          s,
        ] as const;

        // Anyone may submit it; here the spender does, paying the gas.
        await token.write.permit(permitArgs, { account: bob.account });
        assert.equal(
          await token.read.allowance([alice.account.address, bob.account.address]),
          value,
        );
        assert.equal(await token.read.nonces([alice.account.address]), 1n);
        await token.write.transferFrom([alice.account.address, bob.account.address, value], {
          account: bob.account,
        });
        assert.equal(await token.read.balanceOf([bob.account.address]), value);

        // Replayed: the nonce has moved on, so the signature recovers to someone else.
        await viem.assertions.revertWithCustomError(
          token.write.permit(permitArgs, { account: bob.account }),
          token,
          'ERC2612InvalidSigner',
        );
      });

      it('rejects a permit past its deadline', async () => {
        const token = await networkHelpers.loadFixture(deployMoltToken);
        const deadline = BigInt(await networkHelpers.time.latest()) + 60n;
        const { v, r, s } = await signPermit(
          token.address,
          alice,
          bob.account.address,
          1n,
          0n,
          deadline,
        );
        await networkHelpers.time.increaseTo(deadline + 1n);

        await viem.assertions.revertWithCustomErrorWithArgs(
          token.write.permit([alice.account.address, bob.account.address, 1n, deadline, v, r, s]),
          token,
          'ERC2612ExpiredSignature',
          [deadline],
        );
      });
    });
  });
}
