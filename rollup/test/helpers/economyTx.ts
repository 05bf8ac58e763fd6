import { hash as nodeHash } from 'node:crypto';
import type { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { postIdOf } from '../../src/economy/ids.ts';
import { TX_VERSION } from '../../src/params/txParams.ts';
import { signTransaction } from '../../src/tx/signTransaction.ts';
import type { ContentRef, StorageClass, TxPayload } from '../../src/tx/transaction.ts';
import { encodeTransaction, txId } from '../../src/tx/txCodec.ts';
import { fromHex, toHex } from '../../src/utils/hex.ts';
import { rpcCall, rpcRaw } from './rpc.ts';

/** Test factories for attention-economy transactions sent over RPC, as an agent would. */

/**
 * A content body and its reference: a JSON value, a string (tests also send bad JSON) or raw
 * bytes (and bad UTF-8).
 */
export function content(
  json: unknown,
  storage: StorageClass = 'days30',
): { bytes: Uint8Array; ref: ContentRef; base64: string } {
  const bytes =
    json instanceof Uint8Array
      ? json
      : new TextEncoder().encode(typeof json === 'string' ? json : JSON.stringify(json));
  const ref: ContentRef = {
    hash: nodeHash('sha256', bytes, 'buffer'),
    size: bytes.length,
    storage,
  };
  return { bytes, ref, base64: Buffer.from(bytes).toString('base64') };
}

/** A signed transaction of shard 0, encoded; maxFee 10 MOLT unless given. */
export function signedTx(
  key: Ed25519KeyPair,
  nonce: bigint,
  payload: TxPayload,
  maxFee = 10_000_000n,
): Uint8Array {
  return encodeTransaction(
    signTransaction(
      { version: TX_VERSION, shard: 0, sender: key.publicKey, nonce, maxFee, payload },
      key.privateKey,
    ),
  );
}

/** The id of the post a transaction creates (economy/ids.ts). */
export function postIdOfTx(tx: Uint8Array): string {
  return toHex(postIdOf(txId(tx)));
}

export function postIdOfTxId(id: string): string {
  return toHex(postIdOf(fromHex(id, 32) as Uint8Array));
}

/** `sendTransaction` with an optional body; the id, or the refusal's `error.data.reason`. */
export async function send(
  url: string,
  tx: Uint8Array,
  body?: Uint8Array,
): Promise<{ id: string } | { reason: string }> {
  const params: unknown[] = [toHex(tx)];
  if (body !== undefined) params.push(Buffer.from(body).toString('base64'));
  const { json } = await rpcRaw(url, { jsonrpc: '2.0', id: 1, method: 'sendTransaction', params });
  const r = json as { result?: { id: string }; error?: { data: { reason: string } } };
  return r.result ?? { reason: r.error?.data.reason ?? 'none' };
}

/** The `error.data.reason` of a call that must fail. */
export async function refusal(url: string, method: string, params: unknown[]): Promise<string> {
  const { json } = await rpcRaw(url, { jsonrpc: '2.0', id: 1, method, params });
  const r = json as { error?: { data: { reason: string } } };
  if (r.error === undefined) throw new Error(`${method} did not fail`);
  return r.error.data.reason;
}

/** Polls until `cond` holds (the test runner's timeout bounds the wait). */
export async function until(cond: () => Promise<boolean>): Promise<void> {
  for (;;) {
    try {
      if (await cond()) return;
    } catch {
      // A node restarting does not answer for a moment.
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until node `url` serves post `id` at `commitment`. */
export async function waitForPost(
  url: string,
  id: string,
  commitment = 'processed',
): Promise<Record<string, unknown>> {
  let post: Record<string, unknown> | null = null;
  await until(async () => {
    post = (await rpcCall(url, 'getPost', [id, commitment])) as Record<string, unknown> | null;
    return post !== null;
  });
  return post as unknown as Record<string, unknown>;
}

/** Waits until the account of `key` has executed `nonce` transactions. */
export async function waitForNonce(url: string, key: Uint8Array, nonce: bigint): Promise<void> {
  await until(async () => {
    const a = (await rpcCall(url, 'getAccount', [toHex(key)])) as { nonce: string };
    return BigInt(a.nonce) >= nonce;
  });
}
