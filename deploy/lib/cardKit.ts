/**
 * The identity-card kit (§5.3-§5.5, DESIGN.md §3): the MoltConstants the identity contracts
 * check, P-256 keys and signatures with node:crypto, the byte formats of
 * contracts/identity/IdentityMessages.sol (manufacturer certificates, card messages, payload
 * hashes), and `Card`, a model of the card firmware (monotonic counter, predecessor chain, the ZK
 * secret KDF). Shared by the contract tests (test/contracts/helpers/identityFixture.ts) and the
 * local network's development identities (deploy/local/devIdentities.ts); firmware/ implements
 * the same formats in C.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { deriveZkSecret } from '@moltbook/circuits';
import {
  type Address,
  bytesToHex,
  concat,
  encodeAbiParameters,
  type Hex,
  hexToBytes,
  keccak256,
  numberToHex,
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

/** The P256Key of a P-256 private key (a card key read back from a PEM file, say). */
export function p256KeyFromPrivateKey(privateKey: KeyObject): P256Key {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new TypeError('a P-256 private key is required');
  const jwk = privateKey.export({ format: 'jwk' });
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
