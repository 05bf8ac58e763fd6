import { encodeBase64 as b64 } from '../crypto/base64.ts';
import type { ClientContext } from './clientContext.ts';

/** A signed pre-key older than this is replaced (the previous ones stay for a while). */
const SIGNED_PRE_KEY_MAX_AGE_MS = 7 * 24 * 3600_000;

/**
 * Keeps the relay stocked: below `low` one-time pre-keys, uploads new ones up to `target`; and
 * rotates the signed pre-key weekly. New private keys are saved before their public halves leave.
 */
export async function maintainPreKeys(
  ctx: ClientContext,
  onRelay: number,
  low: number,
  target: number,
): Promise<void> {
  const want = Math.min(200, target - onRelay);
  const fresh = onRelay < low && want > 0 ? await ctx.s.keys.newOneTimePreKeys(ctx.p, want) : [];
  const spk =
    ctx.clock() - ctx.s.keys.signedPreKeyCreatedAt > SIGNED_PRE_KEY_MAX_AGE_MS
      ? await ctx.s.keys.rotateSignedPreKey(ctx.p, ctx.clock())
      : undefined;
  if (fresh.length === 0 && spk === undefined) return;
  await ctx.save();
  await ctx.api.uploadPreKeys(ctx.s.moltbotId, ctx.s.deviceId, {
    ...(fresh.length === 0
      ? {}
      : { oneTimePreKeys: fresh.map((k) => ({ id: k.id, key: b64(k.keyPair.publicKey) })) }),
    ...(spk === undefined ? {} : { signedPreKey: spk }),
  });
}
