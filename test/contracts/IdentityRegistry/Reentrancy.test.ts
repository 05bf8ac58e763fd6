import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { type Address, encodeFunctionData, getAddress, type Hex, zeroAddress } from 'viem';
import {
  CARD_TYPE,
  Card,
  cardMessage,
  cardRef,
  cardSignature,
  certify,
  GOVERNANCE_ROLE,
  generateP256Key,
  HARDWARE_TYPE,
  IDENTITY_MIN_STAKE,
  MANUFACTURER_BOND,
  MANUFACTURER_MIN_OPERATING_HISTORY,
  randomHash,
  randomZkCommitment,
  registerPayloadHash,
} from '../helpers/identityFixture.ts';

// Every function that moves tokens is nonReentrant; a token that calls back in during the
// transfer (an ERC-777-style hook) must hit ReentrancyGuardReentrantCall, whatever it calls.
for (const chainName of ['op', 'l1'] as const) {
  describe(`identity contracts under a re-entering token on ${chainName}`, async () => {
    const { viem, networkHelpers } = await network.create(chainName);
    const publicClient = await viem.getPublicClient();
    const wallets = await viem.getWalletClients();
    const wallet = (i: number) => {
      const w = wallets[i];
      if (w === undefined) throw new Error(`expected at least ${i + 1} wallets`);
      return w;
    };
    const governanceWallet = wallet(0);
    const alice = wallet(1);
    const bob = wallet(2);
    const governance = governanceWallet.account.address;
    const treasury: Address = '0x0000000000000000000000000000000000007EA5';

    async function deploy() {
      const token = await viem.deployContract('ReentrantTokenForTests');
      const manufacturers = await viem.deployContract('ManufacturerRegistry', [
        token.address,
        governance,
        treasury,
      ]);
      const registry = await viem.deployContract('IdentityRegistry', [
        token.address,
        manufacturers.address,
        governance,
        treasury,
      ]);
      const gateway = await viem.deployContract('IdentityGateway', [registry.address]);
      // The token gets governance too, so only the guard stands in its way.
      for (const account of [governance, token.address]) {
        await manufacturers.write.grantRole([GOVERNANCE_ROLE, account]);
        await registry.write.grantRole([GOVERNANCE_ROLE, account]);
      }
      await manufacturers.write.setIdentityRegistry([registry.address]);
      await registry.write.setGateway([gateway.address]);
      const chainId = BigInt(await publicClient.getChainId());
      const domain = { chainId, registry: getAddress(registry.address) };

      const key = generateP256Key();
      const firmwareHash = randomHash();
      const now = BigInt(await networkHelpers.time.latest());
      await token.write.mint([governance, 10n * MANUFACTURER_BOND]);
      await token.write.approve([manufacturers.address, 10n * MANUFACTURER_BOND]);
      const params = (k = key) => ({
        name: 'M',
        attestationKeyX: k.x,
        attestationKeyY: k.y,
        operatingSince: now - MANUFACTURER_MIN_OPERATING_HISTORY - 10n,
        beneficialOwnershipHash: randomHash(),
        bondPayer: governance,
      });
      await manufacturers.write.approveManufacturer([params()]);
      await manufacturers.write.approveFirmware([1n, firmwareHash, HARDWARE_TYPE.secureElement]);

      /** Registration arguments for `owner` (a card, certified, signing for `owner`). */
      async function registration(owner: Address) {
        const card = new Card();
        const zk = randomZkCommitment();
        const deviceIdHash = randomHash();
        const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
        const certificate = certify(key, {
          cardKeyX: card.key.x,
          cardKeyY: card.key.y,
          deviceIdHash,
          firmwareHash,
          hardwareType: HARDWARE_TYPE.secureElement,
        });
        const signed = card.sign(
          domain,
          CARD_TYPE.register,
          registerPayloadHash(owner, zk, deadline),
        );
        const args = [
          1n,
          certificate,
          zk,
          IDENTITY_MIN_STAKE,
          deadline,
          cardSignature(signed),
        ] as const;
        return { args, card, deviceIdHash };
      }

      async function register(owner: typeof alice) {
        await token.write.mint([owner.account.address, IDENTITY_MIN_STAKE]);
        await token.write.approve([registry.address, IDENTITY_MIN_STAKE], {
          account: owner.account,
        });
        const { args, card, deviceIdHash } = await registration(owner.account.address);
        await gateway.write.register(args, { account: owner.account });
        return { card, deviceIdHash, id: await registry.read.identityCount() };
      }

      async function freeze(who: { id: bigint; card: Card; deviceIdHash: Hex }) {
        const clone = who.card.clone();
        const a = who.card.sign(domain, CARD_TYPE.heartbeat, randomHash());
        const b = clone.sign(domain, CARD_TYPE.heartbeat, randomHash());
        await gateway.write.reportClone([who.id, cardRef(who), cardMessage(a), cardMessage(b)]);
      }

      return { token, manufacturers, registry, gateway, params, registration, register, freeze };
    }

    /** The revert also undoes the token's disarming, so it is disarmed here. */
    async function expectGuard(
      fx: { token: { write: { arm: (a: [Address, Hex]) => Promise<Hex> } } },
      promise: Promise<Hex>,
      contract: { abi: readonly unknown[] },
    ) {
      await viem.assertions.revertWithCustomError(
        promise,
        contract as never,
        'ReentrancyGuardReentrantCall' as never,
      );
      await fx.token.write.arm([zeroAddress, '0x']);
    }

    it('IdentityRegistry.register cannot be re-entered from the stake transfer', async () => {
      const fx = await networkHelpers.loadFixture(deploy);
      // The token, as an owner, registers again from inside alice's stake pull.
      await fx.token.write.mint([fx.token.address, IDENTITY_MIN_STAKE]);
      const inner = await fx.registration(fx.token.address);
      await fx.token.write.arm([
        fx.gateway.address,
        encodeFunctionData({ abi: fx.gateway.abi, functionName: 'register', args: inner.args }),
      ]);
      await fx.token.write.mint([alice.account.address, IDENTITY_MIN_STAKE]);
      await fx.token.write.approve([fx.registry.address, IDENTITY_MIN_STAKE], {
        account: alice.account,
      });
      const outer = await fx.registration(alice.account.address);
      await expectGuard(
        fx,
        fx.gateway.write.register(outer.args, { account: alice.account }),
        fx.registry,
      );
    });

    it('IdentityRegistry.resolveClone cannot be re-entered from the slash transfer', async () => {
      const fx = await networkHelpers.loadFixture(deploy);
      const a = await fx.register(alice);
      const b = await fx.register(bob);
      await fx.freeze(a);
      await fx.freeze(b);
      await fx.token.write.arm([
        fx.registry.address,
        encodeFunctionData({
          abi: fx.registry.abi,
          functionName: 'resolveClone',
          args: [b.id, b.deviceIdHash, 1],
        }),
      ]);
      await expectGuard(fx, fx.registry.write.resolveClone([a.id, a.deviceIdHash, 1]), fx.registry);
    });

    it('ManufacturerRegistry: approval, slash, top-up and release cannot be re-entered', async () => {
      const fx = await networkHelpers.loadFixture(deploy);
      const topUp = encodeFunctionData({
        abi: fx.manufacturers.abi,
        functionName: 'topUpBond',
        args: [1n, 1n],
      });
      await fx.token.write.arm([fx.manufacturers.address, topUp]);
      await expectGuard(
        fx,
        fx.manufacturers.write.approveManufacturer([fx.params(generateP256Key())]),
        fx.manufacturers,
      );
      await fx.token.write.arm([fx.manufacturers.address, topUp]);
      await expectGuard(fx, fx.manufacturers.write.topUpBond([1n, 5n]), fx.manufacturers);

      // A compromised device makes the bond slashable.
      const a = await fx.register(alice);
      await fx.freeze(a);
      await fx.registry.write.resolveClone([a.id, a.deviceIdHash, 1]);
      const slash = encodeFunctionData({
        abi: fx.manufacturers.abi,
        functionName: 'slashBond',
        args: [1n, 1n],
      });
      await fx.token.write.arm([fx.manufacturers.address, slash]);
      await expectGuard(fx, fx.manufacturers.write.slashBond([1n, 1n]), fx.manufacturers);

      await fx.manufacturers.write.removeManufacturer([1n]);
      await networkHelpers.time.increase(200n * 86_400n);
      const release = encodeFunctionData({
        abi: fx.manufacturers.abi,
        functionName: 'releaseBond',
        args: [1n],
      });
      await fx.token.write.arm([fx.manufacturers.address, release]);
      await expectGuard(fx, fx.manufacturers.write.releaseBond([1n]), fx.manufacturers);
    });
  });
}
