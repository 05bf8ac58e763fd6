import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { getAddress } from 'viem';
import IdentityModule from '../../../deploy/ignition/modules/Identity.ts';
import {
  CARD_TYPE,
  Card,
  cardSignature,
  certify,
  GOVERNANCE_ROLE,
  generateP256Key,
  HARDWARE_TYPE,
  IDENTITY_MIN_STAKE,
  MANUFACTURER_BOND,
  MANUFACTURER_MIN_OPERATING_HISTORY,
  MINTER_ROLE,
  randomHash,
  randomZkCommitment,
  registerPayloadHash,
} from '../helpers/identityFixture.ts';

describe('Identity Ignition module', async () => {
  const { ignition, viem, networkHelpers } = await network.create('op');
  const publicClient = await viem.getPublicClient();
  const [deployer, agent] = await viem.getWalletClients();
  if (deployer === undefined || agent === undefined) throw new Error('expected 2 wallets');
  const me = deployer.account.address;

  async function deploy() {
    return ignition.deploy(IdentityModule);
  }

  it('wires the registries, the gateway and the treasury', async () => {
    const c = await networkHelpers.loadFixture(deploy);
    assert.equal(
      getAddress(await c.ManufacturerRegistry.read.identityRegistry()),
      getAddress(c.IdentityRegistry.address),
    );
    assert.equal(
      getAddress(await c.IdentityRegistry.read.gateway()),
      getAddress(c.IdentityGateway.address),
    );
    assert.equal(
      getAddress(await c.IdentityRegistry.read.manufacturers()),
      getAddress(c.ManufacturerRegistry.address),
    );
    assert.equal(
      getAddress(await c.IdentityRegistry.read.token()),
      getAddress(c.MoltToken.address),
    );
    for (const registry of [c.IdentityRegistry, c.ManufacturerRegistry]) {
      assert.equal(getAddress(await registry.read.treasury()), getAddress(c.Treasury.address));
      assert.equal(await registry.read.hasRole([GOVERNANCE_ROLE, me]), true);
    }
    assert.equal(await c.ManufacturerRegistry.read.manufacturerCount(), 0n);
  });

  it('registers an identity end to end once governance approves a manufacturer', async () => {
    const c = await networkHelpers.loadFixture(deploy);
    // The Monetary module revoked the deployer's MINTER_ROLE; as token admin it may take it back
    // (a local faucet, visible on chain).
    await c.MoltToken.write.grantRole([MINTER_ROLE, me]);
    await c.MoltToken.write.mint([me, MANUFACTURER_BOND]);
    await c.MoltToken.write.mint([agent.account.address, IDENTITY_MIN_STAKE]);

    const key = generateP256Key();
    const now = BigInt(await networkHelpers.time.latest());
    await c.MoltToken.write.approve([c.ManufacturerRegistry.address, MANUFACTURER_BOND]);
    await c.ManufacturerRegistry.write.approveManufacturer([
      {
        name: 'Genesis Secure Elements',
        attestationKeyX: key.x,
        attestationKeyY: key.y,
        operatingSince: now - MANUFACTURER_MIN_OPERATING_HISTORY - 1n,
        beneficialOwnershipHash: randomHash(),
        bondPayer: me,
      },
    ]);
    const firmwareHash = randomHash();
    await c.ManufacturerRegistry.write.approveFirmware([
      1n,
      firmwareHash,
      HARDWARE_TYPE.secureElement,
    ]);

    const card = new Card();
    const zk = randomZkCommitment();
    const deadline = now + 3600n;
    const certificate = certify(key, {
      cardKeyX: card.key.x,
      cardKeyY: card.key.y,
      deviceIdHash: randomHash(),
      firmwareHash,
      hardwareType: HARDWARE_TYPE.secureElement,
    });
    const signed = card.sign(
      { chainId: BigInt(await publicClient.getChainId()), registry: c.IdentityRegistry.address },
      CARD_TYPE.register,
      registerPayloadHash(agent.account.address, zk, deadline),
    );
    await c.MoltToken.write.approve([c.IdentityRegistry.address, IDENTITY_MIN_STAKE], {
      account: agent.account,
    });
    await c.IdentityGateway.write.register(
      [1n, certificate, zk, IDENTITY_MIN_STAKE, deadline, cardSignature(signed)],
      { account: agent.account },
    );
    assert.equal(await c.IdentityRegistry.read.ownerOf([1n]), getAddress(agent.account.address));
    assert.equal(await c.IdentityRegistry.read.isActive([1n]), true);
  });
});
