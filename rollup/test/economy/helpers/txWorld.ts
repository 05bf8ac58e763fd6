import { EconomyState, identityKey } from '../../../src/economy/economyState.ts';
import {
  applyTx,
  beginSlot,
  type EconomyApplyResult,
} from '../../../src/economy/economyStateMachine.ts';
import { beginSlot as feeBeginSlot, newFeeMarket } from '../../../src/economy/feeMarket.ts';
import { postIdOf } from '../../../src/economy/ids.ts';
import type { IdentityRecord } from '../../../src/economy/records.ts';
import { MOLT } from '../../../src/params/economyParams.ts';
import { TX_VERSION } from '../../../src/params/txParams.ts';
import type { ContentRef, SignedTransaction, TxPayload } from '../../../src/tx/transaction.ts';
import { encodeTransaction, txId } from '../../../src/tx/txCodec.ts';
import { keyOf } from './reputationFixtures.ts';

/**
 * A driver for state-machine tests that goes through `beginSlot` and `applyTx` exactly as the
 * node does, with decoded transactions (signatures are the edge's business, checked elsewhere).
 */
/** An identity id (numbers for brevity in tests). */
export type Id = bigint | number;

export const COMMUNITY = 'dev';
export const BODY: ContentRef = { hash: new Uint8Array(32).fill(7), size: 1_000, storage: 'year' };

export interface WorldOpts {
  /** Identities 1..n (default 4), each with one signer key keyOf(i). */
  readonly identities?: number;
  /** µMOLT per signer account (default 10,000 MOLT). */
  readonly balance?: bigint;
  /** L2 stake per identity (default 100 MOLT). */
  readonly stake?: bigint;
  /** µMOLT in the treasury pool (default 0: no §17.3 free tier unless a test funds it). */
  readonly treasury?: bigint;
}

export class TxWorld {
  readonly state: EconomyState;
  slot = 0n;

  constructor(opts: WorldOpts = {}, state?: EconomyState) {
    if (state !== undefined) {
      this.state = state;
      return;
    }
    const n = opts.identities ?? 4;
    const ids = Array.from({ length: n }, (_, i) => BigInt(i + 1));
    this.state = EconomyState.genesis(
      ids.map((id) => ({ key: keyOf(id), balance: opts.balance ?? 10_000n * MOLT })),
      ids.map((id) => ({ id, stake: opts.stake ?? 100n * MOLT, signers: [keyOf(id)] })),
    );
    this.state.communities.set(COMMUNITY, {
      name: COMMUNITY,
      creator: 0n,
      createdSlot: 0n,
      posts: 0n,
    });
    const treasury = opts.treasury ?? 0n;
    const t = this.state.totalsMut();
    t.treasuryPool += treasury;
    t.supply += treasury;
  }

  /** A fork: a world on a clone of this state, at the same slot (this one becomes read-only). */
  fork(): TxWorld {
    const w = new TxWorld({}, this.state.clone());
    w.slot = this.slot;
    return w;
  }

  /** Starts a block at `slot` (default: the next slot). */
  begin(slot: bigint = this.slot + 1n): void {
    this.slot = slot;
    beginSlot(this.state, { slot, pohHash: pohOf(slot) });
  }

  /** Puts the fee market back at its genesis base fee (tests of rules other than §10.5). */
  pinBaseFee(): void {
    const fresh = newFeeMarket();
    feeBeginSlot(fresh, Number(this.slot));
    Object.assign(this.state.feeMarketMut(), fresh);
  }

  /** The next transaction of identity `from` carrying `payload`. */
  tx(from: Id, payload: TxPayload, maxFee = 1_000n * MOLT): SignedTransaction {
    const nonce = this.state.account(keyOf(BigInt(from))).nonce;
    return {
      version: TX_VERSION,
      shard: 0,
      sender: keyOf(BigInt(from)),
      nonce,
      maxFee,
      payload,
      signature: new Uint8Array(64),
    };
  }

  /** Applies `tx` in the current block; returns the result and the id of a post it creates. */
  apply(tx: SignedTransaction): { r: EconomyApplyResult; post: Uint8Array } {
    const id = txId(encodeTransaction(tx));
    const r = applyTx(this.state, { tx, id }, { slot: this.slot, pohHash: pohOf(this.slot) });
    return { r, post: postIdOf(id) };
  }

  /** `apply(tx(from, payload))`. */
  do(from: Id, payload: TxPayload, maxFee?: bigint): { r: EconomyApplyResult; post: Uint8Array } {
    return this.apply(this.tx(from, payload, maxFee));
  }

  /** A new thread by `from` in `dev`; its post id. */
  post(from: Id, content: ContentRef = BODY): Uint8Array {
    const { r, post } = this.do(from, { kind: 'createPost', community: COMMUNITY, content });
    if (r.kind !== 'success') throw new Error(`post failed: ${show(r)}`);
    return post;
  }

  identity(id: Id): IdentityRecord {
    const r = this.state.identities.get(identityKey(BigInt(id)));
    if (r === undefined) throw new Error(`no identity ${id}`);
    return r;
  }

  balance(id: Id): bigint {
    return this.state.account(keyOf(BigInt(id))).balance;
  }
}

/** A deterministic per-slot PoH hash for tests. */
export function pohOf(slot: bigint): Uint8Array {
  const b = new Uint8Array(32).fill(0x11);
  new DataView(b.buffer).setBigUint64(24, slot);
  return b;
}

/** JSON with bigints, for assertion messages. */
export function show(x: unknown): string {
  return JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}
