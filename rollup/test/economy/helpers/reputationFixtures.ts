import { noteAnswerUpvote } from '../../../src/economy/bounties.ts';
import { EconomyState, identityKey } from '../../../src/economy/economyState.ts';
import type { ActionInput } from '../../../src/economy/execTypes.ts';
import { WAD } from '../../../src/economy/math/fixedPoint.ts';
import type { IdentityRecord, PostRecord } from '../../../src/economy/records.ts';
import { recordDownvote, recordUpvote, settleEpoch } from '../../../src/economy/reputation.ts';
import { MOLT } from '../../../src/params/economyParams.ts';
import type { ContentRef, SignedTransaction } from '../../../src/tx/transaction.ts';
import { toHex } from '../../../src/utils/hex.ts';

/** Factories for the reputation and bounty tests: genesis worlds, action inputs, votes. */

export { MOLT, WAD };

/** `n` reputation points as WAD. */
export const pts = (n: bigint | number): bigint => BigInt(n) * WAD;

/** The signer key of identity `id` (unique per id < 2^16). */
export function keyOf(id: bigint): Uint8Array {
  const k = new Uint8Array(32);
  k[0] = 0xab;
  k[30] = Number((id >> 8n) & 0xffn);
  k[31] = Number(id & 0xffn);
  return k;
}

export interface Agent {
  readonly id: bigint;
  /** µMOLT; default 100 MOLT (the minimum stake). */
  readonly stake?: bigint;
  /** µMOLT in the signer's account; default 1,000 MOLT. */
  readonly balance?: bigint;
}

export const COMMUNITY = 'dev';

/** A genesis state with `agents` (identity i signs with keyOf(i)) and the community `dev`. */
export function world(agents: readonly Agent[]): EconomyState {
  const s = EconomyState.genesis(
    agents.map((a) => ({ key: keyOf(a.id), balance: a.balance ?? 1_000n * MOLT })),
    agents.map((a) => ({ id: a.id, stake: a.stake ?? 100n * MOLT, signers: [keyOf(a.id)] })),
  );
  s.communities.set(COMMUNITY, { name: COMMUNITY, creator: 0n, createdSlot: 0n, posts: 0n });
  return s;
}

/** Agents 1..n with default stake and balance. */
export function agents(n: number, stake?: bigint): Agent[] {
  return Array.from({ length: n }, (_, i) =>
    stake === undefined ? { id: BigInt(i + 1) } : { id: BigInt(i + 1), stake },
  );
}

/** The mutable identity record of `id`. */
export function ident(s: EconomyState, id: bigint): IdentityRecord {
  const r = s.identities.getMut(identityKey(id));
  if (r === undefined) throw new Error(`no identity ${id}`);
  return r;
}

/** What the state machine hands a handler for a transaction of identity `id` at `slot`. */
export function inputOf(s: EconomyState, id: bigint, slot: bigint): ActionInput {
  const sender = s.accounts.getMut(toHex(keyOf(id)));
  if (sender === undefined) throw new Error(`no account for ${id}`);
  return {
    etx: { tx: {} as SignedTransaction, id: new Uint8Array(32) },
    ctx: { slot, pohHash: new Uint8Array(32).fill(9) },
    sender,
    identity: s.identities.getMut(identityKey(id)) ?? null,
    baseFee: 100_000n,
  };
}

/** An input from a key bound to no identity (a fresh account with `balance`). */
export function anonymousInput(s: EconomyState, slot: bigint, balance: bigint): ActionInput {
  const key = new Uint8Array(32).fill(0xcd);
  s.accounts.set(toHex(key), { key, nonce: 0n, balance, identity: 0n });
  return {
    etx: { tx: {} as SignedTransaction, id: new Uint8Array(32) },
    ctx: { slot, pohHash: new Uint8Array(32).fill(9) },
    sender: s.accounts.getMut(toHex(key)) as never,
    identity: null,
    baseFee: 100_000n,
  };
}

export const CONTENT: ContentRef = {
  hash: new Uint8Array(32).fill(7),
  size: 100,
  storage: 'days30',
};

/** A distinct 32-byte post id. */
export function postId(n: number): Uint8Array {
  const b = new Uint8Array(32);
  b[0] = 0x50;
  new DataView(b.buffer).setUint32(28, n);
  return b;
}

/**
 * An upvote as the state machine makes it (content.ts `vote`): settle, recordUpvote, tally, and
 * for a bounty answer noteAnswerUpvote after it. Returns the weight.
 */
export function upvotePost(s: EconomyState, voter: bigint, post: Uint8Array, slot: bigint): bigint {
  const v = ident(s, voter);
  settleEpoch(s, v, slot);
  const p = s.posts.getMut(toHex(post)) as PostRecord;
  const author = ident(s, p.author);
  const w = recordUpvote(s, v, author, slot);
  p.up += w;
  p.upCount += 1;
  if (p.kind === 'bountyAnswer') noteAnswerUpvote(s, p, v, slot);
  return w;
}

export function downvotePost(
  s: EconomyState,
  voter: bigint,
  post: Uint8Array,
  slot: bigint,
): bigint {
  const v = ident(s, voter);
  const p = s.posts.getMut(toHex(post)) as PostRecord;
  const w = recordDownvote(s, v, ident(s, p.author), slot);
  p.down += w;
  p.downCount += 1;
  return w;
}

/** Σ balances + escrow + deposits + pools + burned: the conservation law's left side. */
export function heldTotal(s: EconomyState): bigint {
  const t = s.totals();
  return (
    s.totalBalance() +
    t.escrowed +
    t.deposits +
    t.validatorsPool +
    t.daPool +
    t.archivalPool +
    t.treasuryPool +
    t.burned
  );
}

/** Balance of identity `id`'s signer account. */
export function balanceOf(s: EconomyState, id: bigint): bigint {
  return s.account(keyOf(id)).balance;
}

/** |a − b| ≤ tol. */
export function near(a: bigint, b: bigint, tol: bigint): boolean {
  const d = a - b;
  return (d < 0n ? -d : d) <= tol;
}
