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
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { deriveZkSecret } from '@moltbook/circuits';
import type { NetworkHelpers } from '@nomicfoundation/hardhat-network-helpers/types';
import type { HardhatViemHelpers } from '@nomicfoundation/hardhat-viem/types';
import type { ChainType } from 'hardhat/types/network';
import {
  type Address,
  bytesToHex,
  concat,
  encodeAbiParameters,
  getAddress,
  type Hex,
  hexToBytes,
  keccak256,
  numberToHex,
  pad,
  parseEventLogs,
  toHex,
} from 'viem';

// ------------------------------------------------------------------ constants (MoltConstants)

export const MOLT = 10n ** 6n;
export const IDENTITY_MIN_STAKE = 100n * MOLT;
export const MANUFACTURER_BOND = 1_000_000n * MOLT;
export const IDENTITY_MAX_SIGNER_KEYS = 16n;
export const IDENTITY_COMMITMENT_FIELD =
  21888242871839275222246405745257275088548364400416034343698204186575808495617n;
export const MANUFACTURER_SHARE_CAP_MIN_DEVICES = 10_000n;
export const MANUFACTURER_BOND_RELEASE_DELAY = 180n * 24n * 3600n;
export const MANUFACTURER_MIN_OPERATING_HISTORY = 3n * 365n * 24n * 3600n;
export const HARDWARE_TYPE = { secureElement: 1, pufCard: 2 } as const;
export const CARD_TYPE = {
  register: 1,
  authorizeSigner: 2,
  revokeSigner: 3,
  heartbeat: 4,
} as const;

export const GOVERNANCE_ROLE = keccak256(toHex('moltbook.role.governance'));
export const MINTER_ROLE = keccak256(toHex('MINTER_ROLE'));
/** Where slashed bonds and stakes go in the fixture: a plain address, so balances are exact. */
export const FIXTURE_TREASURY: Address = '0x0000000000000000000000000000000000007EA5';
export const ZERO_HASH: Hex = `0x${'00'.repeat(32)}`;

/** P-256 group order n and field prime p. */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
export const P256_P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;

const CERTIFICATE_TAG = toHex('moltbook.cert.v1');
const CARD_MESSAGE_TAG = toHex('moltbook.card.v1');

// ------------------------------------------------------------------ P-256 with node:crypto

export interface P256Key {
  readonly privateKey: KeyObject;
  /** Affine coordinates, 32 bytes each. */
  readonly x: Hex;
  readonly y: Hex;
}

export interface P256Signature {
  readonly r: Hex;
  readonly s: Hex;
}

export function generateP256Key(): P256Key {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.x === undefined || jwk.y === undefined) throw new Error('P-256 JWK without coordinates');
  return {
    privateKey,
    x: bytesToHex(Buffer.from(jwk.x, 'base64url')),
    y: bytesToHex(Buffer.from(jwk.y, 'base64url')),
  };
}

export function sha256(bytes: Uint8Array | Hex): Hex {
  const data = typeof bytes === 'string' ? hexToBytes(bytes) : bytes;
  return bytesToHex(createHash('sha256').update(data).digest());
}

/**
 * ECDSA P-256 over SHA-256 of `message` (what a secure element does). With `lowS` (default) the
 * signature has s ≤ n/2, the form OpenZeppelin's P256 requires; the identity contracts accept
 * either form.
 */
export function signP256(
  key: P256Key,
  message: Uint8Array | Hex,
  { lowS = true }: { lowS?: boolean } = {},
): P256Signature {
  const data = typeof message === 'string' ? hexToBytes(message) : message;
  const raw = sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  const r = BigInt(bytesToHex(raw.subarray(0, 32)));
  let s = BigInt(bytesToHex(raw.subarray(32)));
  if (lowS && s > P256_N / 2n) s = P256_N - s;
  if (!lowS && s <= P256_N / 2n) s = P256_N - s;
  return { r: word(r), s: word(s) };
}

function word(value: bigint | number): Hex {
  return numberToHex(value, { size: 32 });
}

// ------------------------------------------------------------------ message formats

export interface CertificateFields {
  readonly cardKeyX: Hex;
  readonly cardKeyY: Hex;
  readonly deviceIdHash: Hex;
  readonly firmwareHash: Hex;
  readonly hardwareType: number;
}

/** The Certificate struct of IIdentityGateway. */
export interface Certificate extends CertificateFields, P256Signature {}

/** The 145 certificate bytes a manufacturer signs (§5.5 step 3). */
export function certificateBytes(fields: CertificateFields): Hex {
  return concat([
    CERTIFICATE_TAG,
    fields.cardKeyX,
    fields.cardKeyY,
    fields.deviceIdHash,
    fields.firmwareHash,
    numberToHex(fields.hardwareType, { size: 1 }),
  ]);
}

/** The domain of card messages: this chain and the IdentityRegistry. */
export interface CardDomain {
  readonly chainId: bigint;
  readonly registry: Address;
}

export interface CardMessageFields {
  readonly typeTag: number;
  readonly counter: bigint;
  readonly predecessor: Hex;
  readonly payloadHash: Hex;
}

/** The 141 card-message bytes a card signs (§5.4). */
export function cardMessageBytes(domain: CardDomain, fields: CardMessageFields): Hex {
  return concat([
    CARD_MESSAGE_TAG,
    word(domain.chainId),
    domain.registry,
    numberToHex(fields.typeTag, { size: 1 }),
    numberToHex(fields.counter, { size: 8 }),
    fields.predecessor,
    fields.payloadHash,
  ]);
}

export function registerPayloadHash(owner: Address, zkCommitment: bigint, deadline: bigint): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'address' }, { type: 'uint256' }, { type: 'uint256' }],
      [owner, zkCommitment, deadline],
    ),
  );
}

export function signerPayloadHash(identityId: bigint, signerKey: Hex, deadline: bigint): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'uint256' }, { type: 'bytes32' }, { type: 'uint256' }],
      [identityId, signerKey, deadline],
    ),
  );
}

/** A card message with its signature: IIdentityGateway.CardMessage, plus its digest. */
export interface SignedCardMessage extends CardMessageFields, P256Signature {
  readonly digest: Hex;
}

/** The CardSignature struct the gateway takes (type and payload are implied by the call). */
export function cardSignature(message: SignedCardMessage) {
  return { counter: message.counter, predecessor: message.predecessor, r: message.r, s: message.s };
}

/**
 * The CardRef struct of every card-signed call after registration: the identity's device id hash
 * and card key, as registered (the registry stores only the key's hash).
 */
export function cardRef(who: { readonly card: Card; readonly deviceIdHash: Hex }) {
  return { deviceIdHash: who.deviceIdHash, cardKeyX: who.card.key.x, cardKeyY: who.card.key.y };
}

/**
 * What the registry stores of a card key (IdentityMessages.cardKeyHash): the first 16 bytes of
 * keccak256(abi.encode(x, y)).
 */
export function cardKeyHash(x: Hex, y: Hex): Hex {
  return keccak256(concat([x, y])).slice(0, 34) as Hex;
}

/** The CardMessage struct of a clone report. */
export function cardMessage(message: SignedCardMessage) {
  return {
    typeTag: message.typeTag,
    counter: message.counter,
    predecessor: message.predecessor,
    payloadHash: message.payloadHash,
    r: message.r,
    s: message.s,
  };
}

/**
 * A model of the card firmware: each signature increments the monotonic counter first and signs
 * it with the SHA-256 of the previous message as predecessor (zero before the first).
 * `clone()` copies key and state, as an attacker who extracted the key would.
 */
export class Card {
  readonly key: P256Key;
  #counter: bigint;
  #predecessor: Hex;

  constructor(key: P256Key = generateP256Key(), counter = 0n, predecessor: Hex = ZERO_HASH) {
    this.key = key;
    this.#counter = counter;
    this.#predecessor = predecessor;
  }

  /** The last counter used (0 before the first signature). */
  get counter(): bigint {
    return this.#counter;
  }

  get predecessor(): Hex {
    return this.#predecessor;
  }

  sign(domain: CardDomain, typeTag: number, payloadHash: Hex): SignedCardMessage {
    this.#counter += 1n;
    const fields = { typeTag, counter: this.#counter, predecessor: this.#predecessor, payloadHash };
    const bytes = cardMessageBytes(domain, fields);
    const digest = sha256(bytes);
    this.#predecessor = digest;
    return { ...fields, ...signP256(this.key, bytes), digest };
  }

  clone(): Card {
    return new Card(this.key, this.#counter, this.#predecessor);
  }

  /**
   * The ZK identity secret the card derives from its key and hands to the host (issue 6 item 1,
   * circuits `deriveZkSecret`: HKDF under a fixed label); the card key itself never leaves.
   */
  zkSecret(): bigint {
    const jwk = this.key.privateKey.export({ format: 'jwk' });
    const d = Buffer.from(jwk.d as string, 'base64url');
    try {
      return deriveZkSecret(d);
    } finally {
      d.fill(0);
    }
  }
}

/** A manufacturer's attestation key and the firmware approved for it in the fixture. */
export interface TestManufacturer {
  readonly id: bigint;
  readonly key: P256Key;
  readonly firmwareHash: Hex;
  readonly hardwareType: number;
}

export function certify(key: P256Key, fields: CertificateFields): Certificate {
  return { ...fields, ...signP256(key, certificateBytes(fields)) };
}

export function randomHash(): Hex {
  return bytesToHex(randomBytes(32));
}

/** A random ZK identity commitment: a nonzero BN254 scalar field element. */
export function randomZkCommitment(): bigint {
  return (BigInt(randomHash()) % (IDENTITY_COMMITMENT_FIELD - 1n)) + 1n;
}

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
