import { randomBytes } from 'node:crypto';
import { type Address, bytesToHex, getAddress, parseEventLogs } from 'viem';
import {
  CARD_TYPE,
  type Card,
  cardSignature,
  certify,
  generateP256Key,
  HARDWARE_TYPE,
  IDENTITY_MIN_STAKE,
  MANUFACTURER_BOND,
  MANUFACTURER_MIN_OPERATING_HISTORY,
  MINTER_ROLE,
  registerPayloadHash,
} from '../lib/cardKit.ts';
import type { LocalL2 } from './startLocalL2.ts';

/** A development identity: its card (simulated), its owner wallet and its ZK commitment. */
export interface DevIdentity {
  readonly card: Card;
  /** One of the local chain's unlocked accounts. */
  readonly owner: Address;
  readonly zkCommitment: bigint;
}

/**
 * Registers the local network's development identities on the L2 the way real ones are (§5.5):
 * a development manufacturer approved by governance (account 0, visibly granted MINTER_ROLE on
 * $MOLT for the bond and the stakes — the MoltToken module leaves that door open for local
 * networks), then each identity through the IdentityGateway with a certificate from that
 * manufacturer and a registration signed by its card. Identity ids follow the order given
 * (1, 2, …), matching the shard genesis. Returns the ids.
 */
export async function registerDevIdentities(
  l2: LocalL2,
  identities: readonly DevIdentity[],
  log: (line: string) => void = () => {},
): Promise<bigint[]> {
  const c = l2.contracts;
  const [governance] = l2.accounts;
  if (governance === undefined) throw new Error('the local L2 has no accounts');
  const address = (name: string): Address => {
    const a = c[name];
    if (a === undefined) throw new Error(`the local L2 has no ${name} deployed`);
    return a;
  };
  const viem = l2.viem;
  const publicClient = await viem.getPublicClient();
  const token = await viem.getContractAt('MoltToken', address('MoltToken'));
  const manufacturers = await viem.getContractAt(
    'ManufacturerRegistry',
    address('ManufacturerRegistry'),
  );
  const registry = await viem.getContractAt('IdentityRegistry', address('IdentityRegistry'));
  const gateway = await viem.getContractAt('IdentityGateway', address('IdentityGateway'));
  const wait = async (hash: `0x${string}`) => publicClient.waitForTransactionReceipt({ hash });

  await wait(await token.write.grantRole([MINTER_ROLE, governance]));
  log(`granted MINTER_ROLE on MoltToken to ${governance} (local network only)`);
  const now = (await publicClient.getBlock()).timestamp;

  // The development manufacturer: a fresh attestation key each run (nothing outlives the L2).
  const maker = generateP256Key();
  await wait(await token.write.mint([governance, MANUFACTURER_BOND]));
  await wait(await token.write.approve([manufacturers.address, MANUFACTURER_BOND]));
  await wait(
    await manufacturers.write.approveManufacturer([
      {
        name: 'Open Moltbook development cards',
        attestationKeyX: maker.x,
        attestationKeyY: maker.y,
        operatingSince: now - MANUFACTURER_MIN_OPERATING_HISTORY - 86_400n,
        beneficialOwnershipHash: bytesToHex(randomBytes(32)),
        bondPayer: governance,
      },
    ]),
  );
  const makerId = await manufacturers.read.manufacturerCount();
  const firmwareHash = bytesToHex(randomBytes(32));
  await wait(
    await manufacturers.write.approveFirmware([makerId, firmwareHash, HARDWARE_TYPE.secureElement]),
  );
  const domain = { chainId: BigInt(l2.chainId), registry: registry.address };

  const ids: bigint[] = [];
  for (const who of identities) {
    const owner = getAddress(who.owner);
    await wait(await token.write.mint([owner, IDENTITY_MIN_STAKE]));
    await wait(
      await token.write.approve([registry.address, IDENTITY_MIN_STAKE], { account: owner }),
    );
    const certificate = certify(maker, {
      cardKeyX: who.card.key.x,
      cardKeyY: who.card.key.y,
      deviceIdHash: bytesToHex(randomBytes(32)),
      firmwareHash,
      hardwareType: HARDWARE_TYPE.secureElement,
    });
    const deadline = now + 3600n;
    const signed = who.card.sign(
      domain,
      CARD_TYPE.register,
      registerPayloadHash(owner, who.zkCommitment, deadline),
    );
    const receipt = await wait(
      await gateway.write.register(
        [
          makerId,
          certificate,
          who.zkCommitment,
          IDENTITY_MIN_STAKE,
          deadline,
          cardSignature(signed),
        ],
        { account: owner },
      ),
    );
    const [event] = parseEventLogs({
      abi: registry.abi,
      eventName: 'IdentityRegistered',
      logs: receipt.logs,
    });
    if (event === undefined) throw new Error('registration without IdentityRegistered');
    ids.push(event.args.identityId);
    log(`registered development identity ${event.args.identityId} (owner ${owner})`);
  }
  return ids;
}
