import { hash as nodeHash } from 'node:crypto';
import { U64_MAX } from '../params/txParams.ts';
import type { AccountView } from '../tx/validateTransaction.ts';
import { toHex } from '../utils/hex.ts';
import { LEAF_TAG, merkleRoot } from './merkleRoot.ts';

/** An account of the transfer machine, keyed by its signer public key. */
export interface Account {
  readonly key: Uint8Array;
  nonce: bigint;
  /** Micromolt. */
  balance: bigint;
}

export interface GenesisAccount {
  /** Raw 32-byte Ed25519 signer public key. */
  readonly key: Uint8Array;
  /** Micromolt. */
  readonly balance: bigint;
}

/** Prefix of the state root preimage (a state root never collides with a block or tx hash). */
const STATE_TAG = new TextEncoder().encode('moltbook/state/transfer/v1');
const ABSENT: AccountView = { nonce: 0n, balance: 0n };
const SNAPSHOT_VERSION = 1;

function u64Into(view: DataView, at: number, v: bigint): void {
  if (v < 0n || v > U64_MAX) throw new RangeError(`state value out of u64 range: ${v}`);
  view.setBigUint64(at, v);
}

/** `SHA-256(LEAF_TAG ‖ key ‖ u64 nonce ‖ u64 balance)`. */
export function accountLeaf(a: Account): Uint8Array {
  const buf = new Uint8Array(49);
  const view = new DataView(buf.buffer);
  buf[0] = LEAF_TAG;
  buf.set(a.key, 1);
  u64Into(view, 33, a.nonce);
  u64Into(view, 41, a.balance);
  return nodeHash('sha256', buf, 'buffer');
}

/**
 * State of the transfer machine: accounts (bigint balances in micromolt, nonces) and the fees
 * burned so far. Invariant: Σ balances + burned = genesis supply. The root is incremental: leaf
 * hashes are cached and only accounts touched since the last root are re-hashed; the sorted key
 * order is rebuilt only when accounts were created.
 */
export class TransferState {
  readonly #accounts: Map<string, Account>;
  #burned: bigint;
  readonly supply: bigint;
  readonly #leaves: Map<string, Uint8Array>;
  readonly #dirty: Set<string>;
  #sorted: string[] | null;

  private constructor(
    accounts: Map<string, Account>,
    burned: bigint,
    supply: bigint,
    leaves: Map<string, Uint8Array>,
    dirty: Set<string>,
    sorted: string[] | null,
  ) {
    this.#accounts = accounts;
    this.#burned = burned;
    this.supply = supply;
    this.#leaves = leaves;
    this.#dirty = dirty;
    this.#sorted = sorted;
  }

  /** Throws RangeError on a key that is not 32 bytes, a duplicate key or a supply beyond u64. */
  static genesis(accounts: readonly GenesisAccount[]): TransferState {
    const map = new Map<string, Account>();
    let supply = 0n;
    for (const g of accounts) {
      if (g.key.length !== 32) throw new RangeError('genesis account key must be 32 bytes');
      if (g.balance < 0n) throw new RangeError('genesis balance must be ≥ 0');
      const id = toHex(g.key);
      if (map.has(id)) throw new RangeError(`duplicate genesis account ${id}`);
      map.set(id, { key: Uint8Array.from(g.key), nonce: 0n, balance: g.balance });
      supply += g.balance;
    }
    if (supply > U64_MAX) throw new RangeError('genesis supply exceeds u64');
    return new TransferState(map, 0n, supply, new Map(), new Set(map.keys()), null);
  }

  get burned(): bigint {
    return this.#burned;
  }

  get size(): number {
    return this.#accounts.size;
  }

  /** Read-only view for edge validation (absent accounts: nonce 0, balance 0). */
  account(key: Uint8Array): AccountView {
    return this.#accounts.get(toHex(key)) ?? ABSENT;
  }

  /** The mutable account for the state machine; `undefined` when absent. */
  get(id: string): Account | undefined {
    return this.#accounts.get(id);
  }

  getOrCreate(id: string, key: Uint8Array): Account {
    let a = this.#accounts.get(id);
    if (a === undefined) {
      a = { key: Uint8Array.from(key), nonce: 0n, balance: 0n };
      this.#accounts.set(id, a);
      this.#sorted = null;
    }
    return a;
  }

  /** Marks an account changed (its leaf is re-hashed at the next root). */
  touch(id: string): void {
    this.#dirty.add(id);
  }

  burn(fee: bigint): void {
    this.#burned += fee;
  }

  /** Σ balances (tests check Σ balances + burned = supply). */
  totalBalance(): bigint {
    let sum = 0n;
    for (const a of this.#accounts.values()) sum += a.balance;
    return sum;
  }

  /** Accounts in key order (copies). */
  accounts(): Account[] {
    return [...this.#accounts.keys()]
      .sort()
      .map((k) => ({ ...(this.#accounts.get(k) as Account) }));
  }

  /**
   * `SHA-256(STATE_TAG ‖ accountsRoot ‖ u64 burned)`, accountsRoot the Merkle root of account
   * leaves sorted by key. Hex keys sort like the raw bytes, so the order is machine-independent.
   */
  root(): Uint8Array {
    if (this.#sorted === null) this.#sorted = [...this.#accounts.keys()].sort();
    for (const id of this.#dirty) {
      const a = this.#accounts.get(id);
      if (a !== undefined) this.#leaves.set(id, accountLeaf(a));
    }
    this.#dirty.clear();
    const leaves = this.#sorted.map((id) => this.#leaves.get(id) as Uint8Array);
    return this.#finish(merkleRoot(leaves));
  }

  /** The same root with no cache at all (the reference the incremental root is tested against). */
  rootFromScratch(): Uint8Array {
    const leaves = [...this.#accounts.keys()]
      .sort()
      .map((id) => accountLeaf(this.#accounts.get(id) as Account));
    return this.#finish(merkleRoot(leaves));
  }

  #finish(accountsRoot: Uint8Array): Uint8Array {
    const buf = new Uint8Array(STATE_TAG.length + 40);
    buf.set(STATE_TAG);
    buf.set(accountsRoot, STATE_TAG.length);
    u64Into(new DataView(buf.buffer), STATE_TAG.length + 32, this.#burned);
    return nodeHash('sha256', buf, 'buffer');
  }

  /**
   * The whole state as bytes (a snapshot the node stores at a root): u8 version ‖ u64 supply ‖
   * u64 burned ‖ u32 count ‖ (key ‖ u64 nonce ‖ u64 balance)*, accounts in key order.
   */
  encodeSnapshot(): Uint8Array {
    const keys = [...this.#accounts.keys()].sort();
    const out = new Uint8Array(21 + 48 * keys.length);
    const view = new DataView(out.buffer);
    out[0] = SNAPSHOT_VERSION;
    u64Into(view, 1, this.supply);
    u64Into(view, 9, this.#burned);
    view.setUint32(17, keys.length);
    let at = 21;
    for (const k of keys) {
      const a = this.#accounts.get(k) as Account;
      out.set(a.key, at);
      u64Into(view, at + 32, a.nonce);
      u64Into(view, at + 40, a.balance);
      at += 48;
    }
    return out;
  }

  /** Inverse of `encodeSnapshot`; RangeError on any malformed or inconsistent snapshot. */
  static fromSnapshot(bytes: Uint8Array): TransferState {
    if (bytes.length < 21 || bytes[0] !== SNAPSHOT_VERSION)
      throw new RangeError('bad state snapshot');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const supply = view.getBigUint64(1);
    const burned = view.getBigUint64(9);
    const n = view.getUint32(17);
    if (bytes.length !== 21 + 48 * n) throw new RangeError('bad state snapshot length');
    const map = new Map<string, Account>();
    let total = burned;
    for (let i = 0, at = 21; i < n; i++, at += 48) {
      const key = bytes.slice(at, at + 32);
      const a = { key, nonce: view.getBigUint64(at + 32), balance: view.getBigUint64(at + 40) };
      const id = toHex(key);
      if (map.has(id)) throw new RangeError('duplicate account in snapshot');
      map.set(id, a);
      total += a.balance;
    }
    if (total !== supply) throw new RangeError('snapshot does not conserve the supply');
    return new TransferState(map, burned, supply, new Map(), new Set(map.keys()), null);
  }

  /** An independent copy (the node executes a fork on a clone). */
  clone(): TransferState {
    const accounts = new Map<string, Account>();
    for (const [id, a] of this.#accounts) accounts.set(id, { ...a });
    return new TransferState(
      accounts,
      this.#burned,
      this.supply,
      new Map(this.#leaves),
      new Set(this.#dirty),
      this.#sorted === null ? null : [...this.#sorted],
    );
  }
}
