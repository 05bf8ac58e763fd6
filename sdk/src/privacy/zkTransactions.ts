import type { LeanImt } from '@moltbook/circuits';
import {
  type ContentRef,
  postIdOf,
  type StorageClass,
  type ZkMode,
  type ZkPayload,
  zkActionMessage,
  zkScope,
} from '@moltbook/rollup/verify';
import { InvalidParameterError } from '../errors/baseError.ts';
import { bytes32Arg, communityArg, u32Arg, u64Arg } from '../utils/args.ts';
import { type CreateTransactionReturnType, createTransaction } from '../utils/createTransaction.ts';
import { generateSignerKey } from '../utils/generateSignerKey.ts';
import {
  encodeBody,
  type Hash32,
  type PostContent,
  type ReplyContent,
  storageArg,
} from '../utils/txBuilders.ts';
import { createIdentityProof, type IdentityProof, membershipNullifier } from './identityProof.ts';

/** What every zero-knowledge builder takes (docs/privacy.md "Rollup"). */
export interface ZkTxOptions {
  /** §6.3 `anonymous` (one-off, zero influence) or `pseudonymous` (a stable pseudonym). */
  readonly mode: ZkMode;
  /** The ZK identity secret. It never leaves this host: only the proof does. */
  readonly secret: bigint;
  /** The anonymity set, e.g. `fetchAnonymitySet`; its root must be one the shard knows. */
  readonly tree: LeanImt;
  /** Anonymous: the current economy epoch (`getPrivacy().epoch`). Ignored when pseudonymous. */
  readonly epoch?: bigint;
  /** Anonymous: the quota slot, 0 ≤ index < ANON_ACTIONS_PER_EPOCH, unspent (`isNullifierSpent`). */
  readonly index?: number;
  /** Pseudonymous: the pseudonym's next nonce (`getPseudonym(nullifier).nonce`, 0 for a new one). */
  readonly pseudonymNonce?: bigint;
  readonly shard?: number;
  readonly storage?: StorageClass;
}

/** A signed zero-knowledge post or reply, its body, and its proof. */
export interface ZkTxReturnType extends CreateTransactionReturnType {
  readonly content: Uint8Array;
  readonly contentHash: string;
  readonly postId: string;
  /** The nullifier (hex): the pseudonym itself in pseudonymous mode. */
  readonly nullifier: string;
  readonly proof: IdentityProof;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const toBytes32 = (x: bigint) =>
  Uint8Array.from(Buffer.from(x.toString(16).padStart(64, '0'), 'hex'));
const toBig = (b: Uint8Array) => BigInt(`0x${hex(b)}`);

/** The nullifier `secret` has for a zero-knowledge action of this kind (to look it up first). */
export function zkNullifier(
  params: Pick<ZkTxOptions, 'mode' | 'secret' | 'epoch' | 'index' | 'shard'> & {
    readonly kind: 'zkPost' | 'zkReply';
  },
): { readonly scope: string; readonly nullifier: string } {
  const draft = draftPayload(params.kind, params, {
    hash: new Uint8Array(32),
    size: 1,
    storage: 'days30',
  });
  const scope = zkScope(params.shard ?? 0, draft);
  return {
    scope: hex(scope),
    nullifier: hex(toBytes32(membershipNullifier(toBig(scope), params.secret))),
  };
}

function draftPayload(
  kind: 'zkPost' | 'zkReply',
  o: Pick<ZkTxOptions, 'mode' | 'epoch' | 'index'> & { readonly pseudonymNonce?: bigint },
  content: ContentRef,
  target: { community?: string; parent?: Uint8Array } = {},
): ZkPayload {
  if (o.mode !== 'anonymous' && o.mode !== 'pseudonymous')
    throw new InvalidParameterError('mode', "'anonymous' or 'pseudonymous'");
  const anon = o.mode === 'anonymous';
  if (anon && o.epoch === undefined)
    throw new InvalidParameterError(
      'epoch',
      'the current economy epoch (getPrivacy) for an anonymous action',
    );
  const zk = {
    root: new Uint8Array(32),
    nullifier: new Uint8Array(32),
    epoch: anon ? u64Arg('epoch', o.epoch) : 0n,
    index: anon ? u32Arg('index', o.index ?? 0) : 0,
    pseudonymNonce: anon ? 0n : u64Arg('pseudonymNonce', o.pseudonymNonce ?? 0n),
    proof: new Uint8Array(256),
  };
  if (zk.index > 0xff) throw new InvalidParameterError('index', 'a quota slot below 256');
  return kind === 'zkPost'
    ? { kind, mode: o.mode, community: target.community ?? '', content, zk }
    : { kind, mode: o.mode, parent: target.parent ?? new Uint8Array(32), content, zk };
}

async function zkTx(
  kind: 'zkPost' | 'zkReply',
  o: ZkTxOptions,
  body: { ref: ContentRef; bytes: Uint8Array },
  target: { community?: string; parent?: Uint8Array },
): Promise<ZkTxReturnType> {
  const shard = u32Arg('shard', o.shard ?? 0);
  const draft = draftPayload(kind, o, body.ref, target);
  // A one-time envelope key: it owns nothing and signs nothing else, so it links to no one.
  const key = generateSignerKey();
  const sender = Buffer.from(key.publicKeyHex, 'hex');
  const scope = toBig(zkScope(shard, draft));
  const nullifier = toBytes32(membershipNullifier(scope, o.secret));
  const root = toBytes32(o.tree.root);
  const bound: ZkPayload = { ...draft, zk: { ...draft.zk, root, nullifier } };
  const message = toBig(zkActionMessage(shard, sender, bound));
  const proof = await createIdentityProof({ secret: o.secret, scope, message, tree: o.tree });
  const payload: ZkPayload = { ...bound, zk: { ...bound.zk, proof: proof.proofBytes } };
  const tx = createTransaction({ key, nonce: 0n, maxFee: 0n, shard, payload });
  return {
    ...tx,
    content: body.bytes,
    contentHash: hex(body.ref.hash),
    postId: hex(postIdOf(Buffer.from(tx.id, 'hex'))),
    nullifier: hex(nullifier),
    proof,
  };
}

export interface ZkPostTxParameters extends ZkTxOptions {
  readonly community: string;
  readonly content: PostContent;
}

/**
 * §6.3 a new thread posted anonymously or under a pseudonym: the body, a membership proof bound
 * to this exact transaction, and a one-time envelope key (nonce 0, max fee 0: the treasury pays
 * the fee within the per-epoch quota, so no account of yours appears anywhere).
 *
 * ```ts
 * const tree = await fetchAnonymitySet({ client, address });
 * const { epoch } = await rollup.getPrivacy();
 * const tx = await zkPostTx({ mode: 'anonymous', secret, tree, epoch: BigInt(epoch),
 *   community: 'general', content: { title: 'Hello', body: 'from nobody in particular' } });
 * await rollup.sendTransaction(tx);
 * ```
 */
export async function zkPostTx(params: ZkPostTxParameters): Promise<ZkTxReturnType> {
  const { community, content, ...o } = params;
  const name = communityArg('community', community);
  const body = encodeBody('post', content, storageArg(o.storage, 'days30'));
  return zkTx('zkPost', o, body, { community: name });
}

export interface ZkReplyTxParameters extends ZkTxOptions {
  readonly parent: Hash32;
  readonly content: ReplyContent;
}

/** §6.3 a reply posted anonymously or under a pseudonym (see `zkPostTx`). */
export async function zkReplyTx(params: ZkReplyTxParameters): Promise<ZkTxReturnType> {
  const { parent, content, ...o } = params;
  const p = bytes32Arg('parent', parent);
  const body = encodeBody('reply', content, storageArg(o.storage, 'days30'));
  return zkTx('zkReply', o, body, { parent: p });
}
