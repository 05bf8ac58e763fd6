/**
 * Identity test kit (§5.4-§5.5, DESIGN.md §3): P-256 keys and signatures with node:crypto, the
 * byte formats of contracts/identity/IdentityMessages.sol, a `Card` that behaves like the card
 * firmware (monotonic counter, predecessor chain), and `deployIdentityFixture`, which deploys
 * MoltToken + ManufacturerRegistry + IdentityRegistry + IdentityGateway, approves a manufacturer
 * and registers identities.
 *
 * ```ts
 * const connection = await network.create('op');
 * const fx = await deployIdentityFixture(connection, { identities: 3 });
 * fx.identities[0].identityId;            // 1n, owned by wallet client 1
 * await fx.registerIdentity(someAddress); // one more (impersonated if not a wallet client)
 * ```
 *
 * Cards are JavaScript state: `loadFixture` reverts the chain, not them. That is harmless — a
 * card's counter only grows, so it stays above whatever the reverted chain last saw.
 */
export * from '../../../deploy/lib/cardKit.ts';

import { randomBytes } from 'node:crypto';
import type { NetworkHelpers } from '@nomicfoundation/hardhat-network-helpers/types';
import type { HardhatViemHelpers } from '@nomicfoundation/hardhat-viem/types';
import type { ChainType } from 'hardhat/types/network';
import {
  type Address,
  bytesToHex,
  getAddress,
  type Hex,
  numberToHex,
  pad,
  parseEventLogs,
} from 'viem';
import {
  CARD_TYPE,
  Card,
  type CardDomain,
  cardMessage,
  cardRef,
  cardSignature,
  certify,
  FIXTURE_TREASURY,
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
  signerPayloadHash,
  type TestManufacturer,
} from '../../../deploy/lib/cardKit.ts';

// ------------------------------------------------------------------ the fixture

type Connection<C extends ChainType> = {
  readonly viem: HardhatViemHelpers<C>;
  readonly networkHelpers: NetworkHelpers<C>;
};

export interface IdentityFixtureOptions {
  /** How many identities to register, owned by wallet clients 1, 2, … (then impersonated). */
  readonly identities?: number;
  /** The stake of each of them; IDENTITY_MIN_STAKE by default. */
  readonly stake?: bigint;
}

export interface RegisterIdentityOptions {
  readonly manufacturer?: TestManufacturer;
  readonly stake?: bigint;
  readonly card?: Card;
  readonly deviceIdHash?: Hex;
  readonly zkCommitment?: bigint;
}

export interface RegisteredIdentity {
  readonly identityId: bigint;
  readonly owner: Address;
  readonly card: Card;
  readonly manufacturerId: bigint;
  readonly deviceIdHash: Hex;
  readonly zkCommitment: bigint;
  readonly stake: bigint;
  /** Gas of the registration transaction. */
  readonly gasUsed: bigint;
}

/**
 * Deploys the identity contracts wired to a fresh MoltToken and approves one manufacturer
 * (`fx.manufacturer`, secure-element firmware). Wallet client 0 is admin, governance, minter and
 * bond payer; slashed funds go to FIXTURE_TREASURY. The returned helpers mint whatever $MOLT a
 * step needs.
 */
export async function deployIdentityFixture<C extends ChainType>(
  connection: Connection<C>,
  options: IdentityFixtureOptions = {},
) {
  const { viem, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const governanceWallet = wallets[0];
  if (governanceWallet === undefined) throw new Error('no wallet clients');
  const governance = governanceWallet.account.address;

  const token = await viem.deployContract('MoltToken', [governance]);
  await token.write.grantRole([MINTER_ROLE, governance]);
  const manufacturers = await viem.deployContract('ManufacturerRegistry', [
    token.address,
    governance,
    FIXTURE_TREASURY,
  ]);
  const registry = await viem.deployContract('IdentityRegistry', [
    token.address,
    manufacturers.address,
    governance,
    FIXTURE_TREASURY,
  ]);
  const gateway = await viem.deployContract('IdentityGateway', [registry.address]);
  await manufacturers.write.grantRole([GOVERNANCE_ROLE, governance]);
  await registry.write.grantRole([GOVERNANCE_ROLE, governance]);
  await manufacturers.write.setIdentityRegistry([registry.address]);
  await registry.write.setGateway([gateway.address]);

  const chainId = BigInt(await publicClient.getChainId());
  const domain: CardDomain = { chainId, registry: getAddress(registry.address) };

  async function mint(to: Address, amount: bigint) {
    await token.write.mint([to, amount]);
  }

  async function now(): Promise<bigint> {
    return BigInt(await networkHelpers.time.latest());
  }

  /** Approves a new manufacturer with a fresh key and one approved firmware. */
  async function approveManufacturer(
    hardwareType: number = HARDWARE_TYPE.secureElement,
  ): Promise<TestManufacturer> {
    const key = generateP256Key();
    await mint(governance, MANUFACTURER_BOND);
    await token.write.approve([manufacturers.address, MANUFACTURER_BOND]);
    await manufacturers.write.approveManufacturer([
      {
        name: 'Test Secure Elements GmbH',
        attestationKeyX: key.x,
        attestationKeyY: key.y,
        operatingSince: (await now()) - MANUFACTURER_MIN_OPERATING_HISTORY - 86_400n,
        beneficialOwnershipHash: randomHash(),
        bondPayer: governance,
      },
    ]);
    const id = await manufacturers.read.manufacturerCount();
    const firmwareHash = randomHash();
    await manufacturers.write.approveFirmware([id, firmwareHash, hardwareType]);
    return { id, key, firmwareHash, hardwareType };
  }

  const manufacturer = await approveManufacturer();

  const ownWallets = new Set(wallets.map((w) => getAddress(w.account.address)));

  /** A wallet client for `owner`, impersonated and funded with ETH when not a wallet client. */
  async function walletFor(owner: Address) {
    if (!ownWallets.has(getAddress(owner))) {
      await networkHelpers.impersonateAccount(owner);
      await networkHelpers.setBalance(owner, 10n ** 20n);
    }
    return viem.getWalletClient(owner);
  }

  /**
   * Registers an identity for `owner` through the gateway: mints and approves its stake, makes
   * a card, has the manufacturer certify it, and has the card sign the registration.
   */
  async function registerIdentity(
    owner: Address,
    opts: RegisterIdentityOptions = {},
  ): Promise<RegisteredIdentity> {
    const maker = opts.manufacturer ?? manufacturer;
    const stake = opts.stake ?? IDENTITY_MIN_STAKE;
    const card = opts.card ?? new Card();
    const deviceIdHash = opts.deviceIdHash ?? randomHash();
    const zkCommitment = opts.zkCommitment ?? randomZkCommitment();
    const wallet = await walletFor(owner);
    await mint(owner, stake);
    await token.write.approve([registry.address, stake], { account: wallet.account });

    const certificate = certify(maker.key, {
      cardKeyX: card.key.x,
      cardKeyY: card.key.y,
      deviceIdHash,
      firmwareHash: maker.firmwareHash,
      hardwareType: maker.hardwareType,
    });
    const deadline = (await now()) + 3600n;
    const signed = card.sign(
      domain,
      CARD_TYPE.register,
      registerPayloadHash(owner, zkCommitment, deadline),
    );
    const hash = await gateway.write.register(
      [maker.id, certificate, zkCommitment, stake, deadline, cardSignature(signed)],
      { account: wallet.account },
    );
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [registered] = parseEventLogs({
      abi: registry.abi,
      eventName: 'IdentityRegistered',
      logs: receipt.logs,
    });
    if (registered === undefined) throw new Error('registration without IdentityRegistered');
    const identityId = registered.args.identityId;
    return {
      identityId,
      owner: getAddress(owner),
      card,
      manufacturerId: maker.id,
      deviceIdHash,
      zkCommitment,
      stake,
      gasUsed: receipt.gasUsed,
    };
  }

  /** Has the identity's card authorize `signerKey`; returns the signed message and gas. */
  async function authorizeSigner(who: RegisteredIdentity, signerKey: Hex = randomHash()) {
    const deadline = (await now()) + 3600n;
    const signed = who.card.sign(
      domain,
      CARD_TYPE.authorizeSigner,
      signerPayloadHash(who.identityId, signerKey, deadline),
    );
    const hash = await gateway.write.authorizeSigner([
      who.identityId,
      cardRef(who),
      signerKey,
      deadline,
      cardSignature(signed),
    ]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    return { signerKey, signed, deadline, gasUsed: receipt.gasUsed };
  }

  const identities: RegisteredIdentity[] = [];
  for (let i = 0; i < (options.identities ?? 0); i++) {
    const owner = wallets[i + 1]?.account.address ?? bytesToHex(randomBytes(20));
    identities.push(
      await registerIdentity(getAddress(owner), {
        ...(options.stake === undefined ? {} : { stake: options.stake }),
      }),
    );
  }

  return {
    viem,
    networkHelpers,
    publicClient,
    wallets,
    governance,
    treasury: FIXTURE_TREASURY,
    token,
    manufacturers,
    registry,
    gateway,
    chainId,
    domain,
    manufacturer,
    identities,
    mint,
    now,
    walletFor,
    approveManufacturer,
    registerIdentity,
    authorizeSigner,
  };
}

export type IdentityFixture = Awaited<ReturnType<typeof deployIdentityFixture>>;

/** Pads a small number to a 32-byte word, for readable test keys and hashes. */
export function hash32(value: bigint | number): Hex {
  return pad(numberToHex(value), { size: 32 });
}

// ------------------------------------------------------------------ gas figures

/** Gas of the identity operations, steady state (not the first registration of a chain). */
export interface IdentityGas {
  readonly register: bigint;
  readonly authorizeSigner: bigint;
  readonly revokeSignerWithCard: bigint;
  readonly revokeSignerByOwner: bigint;
  readonly reportClone: bigint;
}

/**
 * Measures the identity operations on `connection` (for the gas bench and snapshot): registers
 * three identities and takes the third, then authorizes, revokes by card and by owner, and
 * reports a clone.
 */
export async function measureIdentityGas<C extends ChainType>(
  connection: Connection<C>,
): Promise<IdentityGas> {
  const fx = await deployIdentityFixture(connection, { identities: 3 });
  const who = fx.identities[2];
  if (who === undefined) throw new Error('fixture without identities');
  const gasOf = async (hash: Hex) =>
    (await fx.publicClient.waitForTransactionReceipt({ hash })).gasUsed;

  const authorized = await fx.authorizeSigner(who);
  const second = await fx.authorizeSigner(who);

  const deadline = (await fx.now()) + 3600n;
  const revoke = who.card.sign(
    fx.domain,
    CARD_TYPE.revokeSigner,
    signerPayloadHash(who.identityId, authorized.signerKey, deadline),
  );
  const revokeSignerWithCard = await gasOf(
    await fx.gateway.write.revokeSignerWithCard([
      who.identityId,
      cardRef(who),
      authorized.signerKey,
      deadline,
      cardSignature(revoke),
    ]),
  );
  const wallet = await fx.walletFor(who.owner);
  const revokeSignerByOwner = await gasOf(
    await fx.gateway.write.revokeSigner([second.signerKey], { account: wallet.account }),
  );

  const clone = who.card.clone();
  const a = who.card.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
  const b = clone.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
  const reportClone = await gasOf(
    await fx.gateway.write.reportClone([
      who.identityId,
      cardRef(who),
      cardMessage(a),
      cardMessage(b),
    ]),
  );
  return {
    register: who.gasUsed,
    authorizeSigner: authorized.gasUsed,
    revokeSignerWithCard,
    revokeSignerByOwner,
    reportClone,
  };
}
