import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toHex, utf8 } from '../../../../src/moltdm/crypto/bytes.ts';
import { LABELS } from '../../../../src/moltdm/crypto/constants.ts';
import {
  generateDeviceIdentity,
  generateOneTimePreKeys,
  generateSignedPreKey,
  publicIdentity,
} from '../../../../src/moltdm/crypto/identity.ts';
import { InboundSenderKey } from '../../../../src/moltdm/crypto/inboundSenderKey.ts';
import { expandMessageKey, kdfChain, kdfRoot, kdfX3dh } from '../../../../src/moltdm/crypto/kdf.ts';
import { nodeCrypto } from '../../../../src/moltdm/crypto/nodeCrypto.ts';
import { OutboundSenderKey } from '../../../../src/moltdm/crypto/outboundSenderKey.ts';
import type { CryptoProvider } from '../../../../src/moltdm/crypto/provider.ts';
import { sealBox } from '../../../../src/moltdm/crypto/sealedBox.ts';
import { acceptSession, initiateSession } from '../../../../src/moltdm/crypto/session.ts';
import { x3dhRespond } from '../../../../src/moltdm/crypto/x3dh.ts';
import { seededProvider } from '../seededProvider.ts';

/**
 * Frozen known-answer vectors for MoltDM's KDF chains and wire formats. `kdf.json` beside this
 * file was produced once by running
 *
 *   node sdk/test/moltdm/crypto/vectors/generate.ts
 *
 * and kdfVectors.test.ts recomputes everything with both providers on every run: any change to
 * a derivation, label or encoding fails it. Regenerate only for a deliberate, versioned change.
 */

/** Fixed 32-byte inputs: SHA-256 of a name (so the JSON shows where each input came from). */
const fixed = async (p: CryptoProvider, name: string): Promise<Uint8Array> => p.sha256(utf8(name));

export async function computeKdfVectors(base: CryptoProvider): Promise<Record<string, unknown>> {
  const root = [];
  for (const i of [0, 1]) {
    const rootKey = await fixed(base, `root key ${i}`);
    const dh = await fixed(base, `dh output ${i}`);
    const out = await kdfRoot(base, rootKey, dh);
    root.push({
      rootKey: toHex(rootKey),
      dhOutput: toHex(dh),
      nextRootKey: toHex(out.rootKey),
      chainKey: toHex(out.chainKey),
    });
  }

  const chainStart = await fixed(base, 'chain key');
  const chain = [];
  let ck = chainStart;
  for (let i = 0; i < 5; i++) {
    const step = await kdfChain(base, ck);
    chain.push({ messageKey: toHex(step.messageKey), nextChainKey: toHex(step.chainKey) });
    ck = step.chainKey;
  }

  const messageKey = await fixed(base, 'message key');
  const expansions = [];
  for (const [name, label] of [
    ['ratchet-message', LABELS.ratchetMessage],
    ['sender-key-message', LABELS.senderKeyMessage],
  ] as const) {
    const k = await expandMessageKey(base, messageKey, label);
    expansions.push({ label: name, key: toHex(k.key), nonce: toHex(k.nonce) });
  }

  // Sender-key chain: the same KDF_CK from a random-looking start, with its message expansion.
  const senderStart = await fixed(base, 'sender chain key');
  const senderKeyChain = [];
  ck = senderStart;
  for (let index = 0; index < 4; index++) {
    const step = await kdfChain(base, ck);
    const k = await expandMessageKey(base, step.messageKey, LABELS.senderKeyMessage);
    senderKeyChain.push({
      index,
      messageKey: toHex(step.messageKey),
      key: toHex(k.key),
      nonce: toHex(k.nonce),
    });
    ck = step.chainKey;
  }

  const x3dhKdf = [];
  for (const count of [3, 4]) {
    const dh = [];
    for (let i = 0; i < count; i++) dh.push(await fixed(base, `x3dh dh ${i}`));
    x3dhKdf.push({ dhOutputs: dh.map(toHex), sharedSecret: toHex(await kdfX3dh(base, dh)) });
  }

  // X3DH for fixed keys (seeded), with and without a one-time pre-key, from the responder side.
  const p = seededProvider(base, 'moltdm x3dh vectors');
  const alice = await generateDeviceIdentity(p);
  const bob = await generateDeviceIdentity(p);
  const spk = await generateSignedPreKey(p, bob, 7);
  const [opk] = await generateOneTimePreKeys(p, 100, 1);
  const baseKey = await p.x25519Generate();
  const x3dh = [];
  for (const withOneTime of [false, true]) {
    const header = {
      initiator: publicIdentity(alice),
      baseKey: baseKey.publicKey,
      signedPreKeyId: 7,
      ...(withOneTime && opk ? { oneTimePreKeyId: opk.id } : {}),
    };
    const r = await x3dhRespond(base, {
      identity: bob,
      header,
      signedPreKey: spk,
      ...(withOneTime && opk ? { fourthPreKey: opk.keyPair } : {}),
    });
    x3dh.push({
      oneTimePreKey: withOneTime,
      initiatorSigningPrivate: toHex(alice.signing.privateKey),
      initiatorIdentityPrivate: toHex(alice.identityKey.privateKey),
      initiatorEphemeralPrivate: toHex(baseKey.privateKey),
      responderSigningPrivate: toHex(bob.signing.privateKey),
      responderIdentityPrivate: toHex(bob.identityKey.privateKey),
      signedPreKeyPrivate: toHex(spk.keyPair.privateKey),
      oneTimePreKeyPrivate: withOneTime && opk ? toHex(opk.keyPair.privateKey) : null,
      sharedSecret: toHex(r.sharedSecret),
      associatedData: toHex(r.associatedData),
    });
  }

  return {
    root,
    chainStart: toHex(chainStart),
    chain,
    messageKey: toHex(messageKey),
    expansions,
    senderChainStart: toHex(senderStart),
    senderKeyChain,
    x3dhKdf,
    x3dh,
    transcript: await transcript(base),
  };
}

/** A whole seeded exchange: pins wire encodings, signatures and every derivation end to end. */
async function transcript(base: CryptoProvider): Promise<Record<string, string>> {
  const p = seededProvider(base, 'moltdm transcript');
  const alice = await generateDeviceIdentity(p);
  const bob = await generateDeviceIdentity(p);
  const spk = await generateSignedPreKey(p, bob, 1);
  const opks = await generateOneTimePreKeys(p, 1, 1);
  const opk = opks[0];
  if (opk === undefined) throw new Error('no one-time pre-key');
  const session = await initiateSession(p, alice, {
    identity: publicIdentity(bob),
    signedPreKey: { id: spk.id, publicKey: spk.keyPair.publicKey, signature: spk.signature },
    oneTimePreKey: { id: opk.id, publicKey: opk.keyPair.publicKey },
  });
  const preKeyMessage = await session.encrypt(utf8('hello bob'));
  const accepted = await acceptSession(
    p,
    bob,
    {
      signedPreKey: async () => spk,
      oneTimePreKey: async () => opk.keyPair,
      removeOneTimePreKey: async () => {},
    },
    preKeyMessage,
  );
  const reply = await accepted.session.encrypt(utf8('hello alice'));
  const sender = await OutboundSenderKey.create(p, 'conversation-1');
  const distribution = sender.distribution();
  const groupMessage = await sender.encrypt(utf8('hello group'));
  await InboundSenderKey.fromDistribution(p, 'conversation-1', distribution);
  const sealed = await sealBox(p, bob.identityKey.publicKey, utf8('link bundle'), utf8('ctx'));
  return {
    preKeyMessage: toHex(preKeyMessage),
    reply: toHex(reply),
    distribution: toHex(distribution),
    groupMessage: toHex(groupMessage),
    sealedBox: toHex(sealed),
  };
}

export const VECTORS_PATH = join(dirname(fileURLToPath(import.meta.url)), 'kdf.json');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const vectors = await computeKdfVectors(nodeCrypto);
  writeFileSync(VECTORS_PATH, `${JSON.stringify(vectors, null, 2)}\n`);
  console.log(`wrote ${VECTORS_PATH}`);
}
