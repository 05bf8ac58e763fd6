/**
 * MoltDM client-crypto throughput (issue 7 "crypto operations per second"), called by
 * bench/relay.ts. For each provider — node:crypto (agents) and portable @noble (browsers) — it
 * runs each operation for a fixed time budget after a warm-up and reports operations per second
 * on one core. Names: `moltdm.crypto.<operation>.<provider>`.
 */

import {
  generateDeviceIdentity,
  generateOneTimePreKeys,
  generateSignedPreKey,
  publicIdentity,
} from '../../sdk/src/moltdm/crypto/identity.ts';
import { InboundSenderKey } from '../../sdk/src/moltdm/crypto/inboundSenderKey.ts';
import { nodeCrypto } from '../../sdk/src/moltdm/crypto/nodeCrypto.ts';
import { OutboundSenderKey } from '../../sdk/src/moltdm/crypto/outboundSenderKey.ts';
import { portableCrypto } from '../../sdk/src/moltdm/crypto/portableCrypto.ts';
import type { CryptoProvider } from '../../sdk/src/moltdm/crypto/provider.ts';
import { openSealedBox, sealBox } from '../../sdk/src/moltdm/crypto/sealedBox.ts';
import { acceptSession, initiateSession } from '../../sdk/src/moltdm/crypto/session.ts';
import { x3dhInitiate, x3dhRespond } from '../../sdk/src/moltdm/crypto/x3dh.ts';

export interface MoltdmCryptoFigure {
  readonly name: string;
  readonly opsPerSec: number;
}

export interface MeasureMoltdmCryptoOptions {
  /** Milliseconds of measured work per figure (default 400; warm-up is extra). */
  readonly budgetMs?: number;
  readonly providers?: readonly CryptoProvider[];
}

const PAYLOAD = new Uint8Array(1024).fill(0x61);

/** Runs `batch()` (which performs `size` operations and returns the ms they took) until done. */
async function rate(
  budgetMs: number,
  batch: () => Promise<{ ops: number; ms: number }>,
): Promise<number> {
  await batch(); // warm-up
  let ops = 0;
  let ms = 0;
  while (ms < budgetMs) {
    const r = await batch();
    ops += r.ops;
    ms += r.ms;
  }
  return Math.round((ops * 1000) / ms);
}

async function timed(
  ops: number,
  op: (i: number) => Promise<unknown>,
): Promise<{ ops: number; ms: number }> {
  const start = performance.now();
  for (let i = 0; i < ops; i++) await op(i);
  return { ops, ms: performance.now() - start };
}

async function measureProvider(p: CryptoProvider, budgetMs: number): Promise<MoltdmCryptoFigure[]> {
  const fast = p.name === 'node';
  const n = fast ? 200 : 20;
  const alice = await generateDeviceIdentity(p);
  const bob = await generateDeviceIdentity(p);
  const spk = await generateSignedPreKey(p, bob, 1);
  const [opk] = await generateOneTimePreKeys(p, 1, 1);
  if (opk === undefined) throw new Error('no one-time pre-key');
  const withoutOneTime = {
    identity: publicIdentity(bob),
    signedPreKey: { id: spk.id, publicKey: spk.keyPair.publicKey, signature: spk.signature },
  };
  const bundle = {
    ...withoutOneTime,
    oneTimePreKey: { id: opk.id, publicKey: opk.keyPair.publicKey },
  };
  const figures: MoltdmCryptoFigure[] = [];
  const add = (op: string, opsPerSec: number) =>
    figures.push({ name: `moltdm.crypto.${op}.${p.name}`, opsPerSec });

  // X3DH with a one-time pre-key: bundle verification + 4 DH + KDF on each side.
  add(
    'x3dh_initiate_respond',
    await rate(budgetMs, () =>
      timed(fast ? 50 : 5, async () => {
        const x = await x3dhInitiate(p, alice, bundle);
        await x3dhRespond(p, {
          identity: bob,
          header: x.header,
          signedPreKey: spk,
          fourthPreKey: opk.keyPair,
        });
      }),
    ),
  );

  // Ratchet: 1 KB encrypt by one side + decrypt by the other, same chain.
  const sender = await initiateSession(p, alice, withoutOneTime);
  const accepted = await acceptSession(
    p,
    bob,
    {
      signedPreKey: async () => spk,
      oneTimePreKey: async () => undefined,
      removeOneTimePreKey: async () => {},
    },
    await sender.encrypt(PAYLOAD),
  );
  await sender.decrypt(await accepted.session.encrypt(PAYLOAD));
  add(
    'ratchet_encrypt_decrypt_1kb',
    await rate(budgetMs, () =>
      timed(n, async () => accepted.session.decrypt(await sender.encrypt(PAYLOAD))),
    ),
  );

  // Sender keys: encrypt + sign; decrypt with signature verification (messages made untimed).
  const out = await OutboundSenderKey.create(p, 'bench-conversation');
  const inbound = await InboundSenderKey.fromDistribution(
    p,
    'bench-conversation',
    out.distribution(),
  );
  add('sender_key_encrypt_1kb', await rate(budgetMs, () => timed(n, () => out.encrypt(PAYLOAD))));
  await inbound.process(out.distribution()); // unchanged: same version
  const fresh = await OutboundSenderKey.create(p, 'bench-conversation-2');
  const reader = await InboundSenderKey.fromDistribution(
    p,
    'bench-conversation-2',
    fresh.distribution(),
  );
  add(
    'sender_key_decrypt_verify_1kb',
    await rate(budgetMs, async () => {
      const batch: Uint8Array[] = [];
      for (let i = 0; i < n; i++) batch.push(await fresh.encrypt(PAYLOAD));
      return timed(n, (i) => reader.decrypt(batch[i] as Uint8Array));
    }),
  );

  // Sealed box: seal + open 1 KB.
  const device = await p.x25519Generate();
  add(
    'sealed_box_seal_open_1kb',
    await rate(budgetMs, () =>
      timed(n, async () =>
        openSealedBox(p, device.privateKey, await sealBox(p, device.publicKey, PAYLOAD)),
      ),
    ),
  );
  return figures;
}

/** Ops/s of the MoltDM crypto operations, node provider first, then portable (labelled). */
export async function measureMoltdmCrypto(
  options: MeasureMoltdmCryptoOptions = {},
): Promise<Array<{ name: string; opsPerSec: number }>> {
  const budgetMs = options.budgetMs ?? 400;
  const figures: MoltdmCryptoFigure[] = [];
  for (const p of options.providers ?? [nodeCrypto, portableCrypto]) {
    figures.push(...(await measureProvider(p, budgetMs)));
  }
  return figures;
}
