/**
 * The §15.1 transaction mix of `npm run bench execution`: a seeded population of identities, a
 * warm-up history, and N signed transactions (65 % votes, 20 % replies, 8 % posts, 5 % bounty
 * actions, 2 % other) split into blocks the way a leader builds them (SLOT_GAS_LIMIT per block,
 * §7.6 per-sender cap, one slot per block).
 *
 * Every transaction is meant to succeed. The generator keeps its own model of what the rules
 * allow — nonces, no self-votes or double votes, one answer per identity, bounty deadlines, the
 * §10.3 independence of upvotes an accepted answer needs, the §14.3 reveal window, fees against a
 * mirror of the §10.5 fee market — and never looks at the state machine's answers, so a failure
 * at execution points at either this model or the state machine (the bench prints which rule).
 *
 * Deterministic: keys come from seeds, randomness from a seeded PRNG, so the same options give
 * the same transactions, ids and state roots on every machine.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { rawPublicKey } from '../../rollup/src/crypto/ed25519.ts';
import { revealCommitment } from '../../rollup/src/economy/commitReveal.ts';
import {
  type EconomyGenesisAccount,
  type EconomyGenesisIdentity,
  EconomyState,
} from '../../rollup/src/economy/economyState.ts';
import {
  currentBaseFee,
  type FeeMarketState,
  beginSlot as feeBeginSlot,
  newFeeMarket,
  recordTx,
} from '../../rollup/src/economy/feeMarket.ts';
import { txFee, txValue } from '../../rollup/src/economy/fees.ts';
import { postIdOf, ZERO_HASH } from '../../rollup/src/economy/ids.ts';
import {
  BOUNTY_MAX_ANSWERS,
  BOUNTY_MIN_AMOUNT,
  BOUNTY_MIN_DURATION_SLOTS,
  MOLT,
} from '../../rollup/src/params/economyParams.ts';
import { ACI_PERIOD_SLOTS } from '../../rollup/src/params/monetaryParams.ts';
import { BOUNTY_INDEPENDENT_UPVOTES } from '../../rollup/src/params/reputationParams.ts';
import { SLOT_GAS_LIMIT, senderGasCap, TX_VERSION } from '../../rollup/src/params/txParams.ts';
import { intrinsicGas } from '../../rollup/src/tx/intrinsicGas.ts';
import { signTransaction } from '../../rollup/src/tx/signTransaction.ts';
import type {
  ContentRef,
  PayloadKind,
  RevealPostPayload,
  SignedTransaction,
  StorageClass,
  TxPayload,
} from '../../rollup/src/tx/transaction.ts';
import { decodeTransaction, encodeTransaction, txId } from '../../rollup/src/tx/txCodec.ts';

/** The five classes of the §15.1 table. */
export type MixClass = 'vote' | 'reply' | 'post' | 'bounty' | 'other';

/** §15.1 "Expected % of TPS". */
export const MIX_SHARES: Readonly<Record<MixClass, number>> = {
  vote: 0.65,
  reply: 0.2,
  post: 0.08,
  bounty: 0.05,
  other: 0.02,
};

export interface MixOptions {
  /** Identities, each with one signer key and a funded account. */
  readonly identities: number;
  /** Communities present at genesis. */
  readonly communities: number;
  /** Transactions of the measured run. */
  readonly txs: number;
  /** Posts and replies of the warm-up history (targets for the run's votes and replies). */
  readonly historyTxs: number;
  readonly seed: number;
}

/** One generated transaction: what the node holds after edge validation, and its bytes. */
export interface MixTx {
  /** Decoded from `bytes` (what the node executes). */
  readonly tx: SignedTransaction;
  /** txId(bytes). */
  readonly id: Uint8Array;
  readonly bytes: Uint8Array;
  readonly cls: MixClass;
  readonly kind: PayloadKind;
}

export interface MixBlock {
  readonly slot: bigint;
  /** The PoH hash the block starts from (deterministic stand-in). */
  readonly pohHash: Uint8Array;
  readonly txs: MixTx[];
  gas: bigint;
}

export interface EconomyMix {
  readonly accounts: readonly EconomyGenesisAccount[];
  readonly identities: readonly EconomyGenesisIdentity[];
  readonly communities: readonly string[];
  /** Warm-up blocks (not measured), starting at slot 1. */
  readonly history: readonly MixBlock[];
  /** The measured blocks, at consecutive slots after a gap of skipped slots. */
  readonly run: readonly MixBlock[];
  /** Bounties of the history whose deadline passes during the run (resolved in beginSlot). */
  readonly bountiesDueInRun: number;
  /** Commitments of the run left unrevealed on purpose (deposit burned at N+6, §14.3). */
  readonly commitsUnrevealed: number;
  /** The base fee B (µMOLT) of the generator's fee-market mirror at the end of the run. */
  readonly finalBaseFee: bigint;
}

/** µMOLT in every identity's account at genesis (10,000 × 100,000 MOLT = the §11.1 supply). */
export const GENESIS_BALANCE = 100_000n * MOLT;

/** The genesis state of a mix: accounts, identities and its communities. */
export function genesisOf(mix: EconomyMix): EconomyState {
  const s = EconomyState.genesis(mix.accounts, mix.identities);
  for (const name of mix.communities)
    s.communities.set(name, { name, creator: 0n, createdSlot: 0n, posts: 0n });
  return s;
}

/** SFC32 (Chris Doty-Humphrey's small fast counter), seeded through splitmix32. */
export class Prng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const split = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = split();
    this.#b = split();
    this.#c = split();
    this.#d = split();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4_294_967_296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = this.u32();
      for (let k = 0; k < 4 && i + k < n; k++) b[i + k] = (v >>> (8 * k)) & 0xff;
    }
    return b;
  }
}

/** PKCS#8 DER prefix of an Ed25519 private key (RFC 8410): the 32-byte seed follows. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

interface Agent {
  readonly id: bigint;
  readonly key: Uint8Array;
  readonly priv: KeyObject;
  nonce: bigint;
  /** What the agent may still commit to (maxFee + value), µMOLT: a lower bound of its balance. */
  budget: bigint;
}

interface GenAnswer {
  readonly post: number;
  readonly answerer: number;
  readonly bounty: GenBounty;
  /** Upvotes the state machine counts as independent (§10.3 path 1), as this model sees them. */
  independent: number;
}

interface GenBounty {
  readonly post: number;
  readonly asker: number;
  readonly deadline: bigint;
  readonly answers: GenAnswer[];
  readonly answerers: Set<number>;
  /** Run bounties the generator steers towards §10.3 path 1 (asker selection). */
  readonly wantsAccept: boolean;
  accepted: boolean;
}

interface GenPost {
  readonly id: Uint8Array;
  readonly author: number;
  /** Non-null for a bounty answer. */
  readonly answer: GenAnswer | null;
}

interface PendingReveal {
  readonly agent: number;
  readonly payload: RevealPostPayload;
  readonly slot: bigint;
}

/** Gas of a payload kind (intrinsicGas reads the kind alone: gas is constant per action kind). */
function gasOf(kind: PayloadKind): bigint {
  return intrinsicGas({ kind } as TxPayload);
}

/** Mean gas of the §15.1 mix as this generator draws it (to place history deadlines in the run). */
const MEAN_GAS =
  MIX_SHARES.vote * Number(gasOf('vote')) +
  MIX_SHARES.reply * Number(gasOf('reply')) +
  MIX_SHARES.post * Number(gasOf('createPost')) +
  MIX_SHARES.bounty *
    (0.25 * Number(gasOf('createBounty')) +
      0.6 * Number(gasOf('answerBounty')) +
      0.15 * Number(gasOf('acceptAnswer'))) +
  MIX_SHARES.other * Number(gasOf('transfer'));

const SENDER_CAP = senderGasCap(SLOT_GAS_LIMIT);
/** Tries before a random pick (sender, target) gives up and the caller falls back. */
const TRIES = 40;

class MixGenerator {
  readonly #r: Prng;
  readonly #agents: Agent[];
  readonly #communities: string[];
  readonly #posts: GenPost[] = [];
  /** Posts and replies (reply and flag targets). */
  readonly #threads: number[] = [];
  readonly #voted = new Set<number>();
  readonly #flagged = new Set<number>();
  /** voter × A + author for every upvote (§12.3 pairs, epoch 0). */
  readonly #pairs = new Set<number>();
  #open: GenBounty[] = [];
  #needVotes: GenAnswer[] = [];
  #acceptable: GenAnswer[] = [];
  #pending: PendingReveal[] = [];
  #unrevealed = 0;
  #communityCount = 0;
  readonly #fm: FeeMarketState = newFeeMarket();
  #blocks: MixBlock[] = [];
  #block: MixBlock | null = null;
  #senderGas = new Map<number, bigint>();
  #slot = 0n;
  /** Highest B any transaction of the open block can meet (§10.5: ≤ 1.5 × the slot's start). */
  #bMax = 0n;

  constructor(r: Prng, agents: Agent[], communities: string[]) {
    this.#r = r;
    this.#agents = agents;
    this.#communities = communities;
  }

  get slot(): bigint {
    return this.#slot;
  }

  get unrevealed(): number {
    return this.#unrevealed;
  }

  get baseFee(): bigint {
    return currentBaseFee(this.#fm);
  }

  /** Ends the current phase: its blocks, the next phase starting at `slot`. */
  takeBlocks(nextSlot: bigint): MixBlock[] {
    const out = this.#blocks;
    this.#blocks = [];
    this.#block = null;
    this.#slot = nextSlot - 1n;
    return out;
  }

  #openBlock(): void {
    this.#slot += 1n;
    feeBeginSlot(this.#fm, Number(this.#slot));
    this.#bMax = (this.#fm.baseFeeScaled * 3n) / 2n / 1_000_000_000n + 1n;
    const poh = createHash('sha256').update(`moltbook/bench/poh/${this.#slot}`).digest();
    this.#block = { slot: this.#slot, pohHash: new Uint8Array(poh), txs: [], gas: 0n };
    this.#blocks.push(this.#block);
    this.#senderGas = new Map();
  }

  /** Opens a new block when `gas` more does not fit the current one (SLOT_GAS_LIMIT). */
  #ensureRoom(gas: bigint): void {
    if (this.#block === null || this.#block.gas + gas > SLOT_GAS_LIMIT) this.#openBlock();
  }

  /** maxFee of a payload: twice its fee at the highest B of the block (generous, affordable). */
  #maxFee(p: TxPayload): bigint {
    return 2n * txFee(p, this.#bMax);
  }

  /** Whether `agent` can send `p` in the open block: §7.6 cap and its budget. */
  #can(agent: number, p: TxPayload): boolean {
    const a = this.#agents[agent] as Agent;
    const gas = intrinsicGas(p);
    if ((this.#senderGas.get(agent) ?? 0n) + gas > SENDER_CAP) return false;
    return a.budget >= this.#maxFee(p) + txValue(p, this.#bMax);
  }

  #emit(agent: number, payload: TxPayload, cls: MixClass): Uint8Array {
    const a = this.#agents[agent] as Agent;
    const block = this.#block as MixBlock;
    const maxFee = this.#maxFee(payload);
    a.budget -= maxFee + txValue(payload, this.#bMax);
    const signed = signTransaction(
      { version: TX_VERSION, shard: 0, sender: a.key, nonce: a.nonce, maxFee, payload },
      a.priv,
    );
    a.nonce += 1n;
    const bytes = encodeTransaction(signed);
    const id = txId(bytes);
    const gas = intrinsicGas(payload);
    block.txs.push({ tx: decodeTransaction(bytes), id, bytes, cls, kind: payload.kind });
    block.gas += gas;
    this.#senderGas.set(agent, (this.#senderGas.get(agent) ?? 0n) + gas);
    recordTx(this.#fm, gas);
    return id;
  }

  #randomAgent(): number {
    return this.#r.int(this.#agents.length);
  }

  /** A random agent that can send `p` now (throws when the population is spent). */
  #sender(make: (agent: number) => TxPayload): { agent: number; payload: TxPayload } {
    for (let t = 0; t < TRIES; t++) {
      const agent = this.#randomAgent();
      const payload = make(agent);
      if (this.#can(agent, payload)) return { agent, payload };
    }
    throw new Error(
      `no sender can afford a ${make(0).kind} at base fee ${this.baseFee} µMOLT (slot ${this.#slot}): ` +
        'full blocks raise B by up to 1.5× per slot (§10.5); use fewer BENCH_EXEC_TXS or more ' +
        'BENCH_EXEC_ACCOUNTS',
    );
  }

  #content(lo: number, hi: number): ContentRef {
    const u = this.#r.next();
    const storage: StorageClass = u < 0.7 ? 'days30' : u < 0.95 ? 'year' : 'permanent';
    return { hash: this.#r.bytes(32), size: this.#r.range(lo, hi), storage };
  }

  /** A post index skewed towards recent content (the feed's head gets the attention). */
  #recent(list: readonly number[] | null): number {
    const n = list === null ? this.#posts.length : list.length;
    const u = this.#r.next();
    const k = n - 1 - Math.floor(n * u * u * u);
    return list === null ? k : (list[k] as number);
  }

  #addPost(id: Uint8Array, author: number, answer: GenAnswer | null, thread: boolean): number {
    const i = this.#posts.length;
    this.#posts.push({ id: postIdOf(id), author, answer });
    if (thread) this.#threads.push(i);
    return i;
  }

  #community(): string {
    return this.#communities[this.#r.int(this.#communities.length)] as string;
  }

  // ---------------------------------------------------------------- content

  post(): void {
    this.#ensureRoom(gasOf('createPost'));
    const community = this.#community();
    const content = this.#content(2_000, 4_000);
    const { agent, payload } = this.#sender(() => ({ kind: 'createPost', community, content }));
    this.#addPost(this.#emit(agent, payload, 'post'), agent, null, true);
  }

  reply(): void {
    if (this.#threads.length === 0) {
      this.post();
      return;
    }
    this.#ensureRoom(gasOf('reply'));
    const parent = this.#posts[this.#recent(this.#threads)] as GenPost;
    const content = this.#content(300, 700);
    const { agent, payload } = this.#sender(() => ({
      kind: 'reply',
      parent: parent.id,
      content,
    }));
    this.#addPost(this.#emit(agent, payload, 'reply'), agent, null, true);
  }

  /** Counts an upvote in the model: the pair, and §10.3 independence on an open bounty answer. */
  #noteUpvote(voter: number, post: GenPost): void {
    const A = this.#agents.length;
    const author = post.author;
    const a = post.answer;
    if (a !== null && this.#isOpen(a.bounty, 0n) && !a.bounty.accepted) {
      const independent =
        voter !== a.answerer &&
        voter !== a.bounty.asker &&
        !this.#pairs.has(voter * A + a.answerer) &&
        !this.#pairs.has(a.answerer * A + voter);
      if (independent) {
        a.independent += 1;
        if (a.independent === BOUNTY_INDEPENDENT_UPVOTES && a.bounty.wantsAccept)
          this.#acceptable.push(a);
      }
    }
    this.#pairs.add(voter * A + author);
  }

  vote(): void {
    this.#ensureRoom(gasOf('vote'));
    if (this.#needVotes.length > 0 && this.#r.next() < 0.04 && this.#answerVote()) return;
    const n = this.#posts.length;
    if (n === 0) {
      this.post();
      return;
    }
    for (let t = 0; t < TRIES; t++) {
      const p = this.#recent(null);
      const post = this.#posts[p] as GenPost;
      const voter = this.#randomAgent();
      const key = voter * 2 ** 26 + p;
      if (voter === post.author || this.#voted.has(key)) continue;
      const direction = this.#r.next() < 0.9 ? 'up' : 'down';
      const payload: TxPayload = { kind: 'vote', post: post.id, direction };
      if (!this.#can(voter, payload)) continue;
      this.#voted.add(key);
      if (direction === 'up') this.#noteUpvote(voter, post);
      this.#emit(voter, payload, 'vote');
      return;
    }
    this.reply();
  }

  /** An upvote from an independent voter on an answer the generator wants accepted. */
  #answerVote(): boolean {
    const A = this.#agents.length;
    while (this.#needVotes.length > 0) {
      const a = this.#needVotes[0] as GenAnswer;
      if (a.independent >= BOUNTY_INDEPENDENT_UPVOTES || !this.#isOpen(a.bounty, 1n)) {
        this.#needVotes.shift();
        continue;
      }
      const post = this.#posts[a.post] as GenPost;
      for (let t = 0; t < TRIES; t++) {
        const voter = this.#randomAgent();
        const key = voter * 2 ** 26 + a.post;
        if (
          voter === a.answerer ||
          voter === a.bounty.asker ||
          this.#voted.has(key) ||
          this.#pairs.has(voter * A + a.answerer) ||
          this.#pairs.has(a.answerer * A + voter)
        )
          continue;
        const payload: TxPayload = { kind: 'vote', post: post.id, direction: 'up' };
        if (!this.#can(voter, payload)) continue;
        this.#voted.add(key);
        this.#noteUpvote(voter, post);
        this.#emit(voter, payload, 'vote');
        return true;
      }
      return false;
    }
    return false;
  }

  // ---------------------------------------------------------------- bounties

  /** Open at the open block's slot with `margin` slots to spare (not accepted, deadline ahead). */
  #isOpen(b: GenBounty, margin: bigint): boolean {
    return !b.accepted && this.#slot + margin <= b.deadline;
  }

  createBounty(deadline: bigint | null, wantsAccept: boolean): void {
    this.#ensureRoom(gasOf('createBounty'));
    const community = this.#community();
    const content = this.#content(400, 800);
    const amount = BOUNTY_MIN_AMOUNT * BigInt(this.#r.range(1, 20));
    const d = deadline ?? this.#slot + BOUNTY_MIN_DURATION_SLOTS + BigInt(this.#r.range(0, 2_000));
    const { agent, payload } = this.#sender(() => ({
      kind: 'createBounty',
      community,
      content,
      amount,
      deadline: d,
      minReputation: 0,
      newcomerOnly: false,
    }));
    const p = this.#addPost(this.#emit(agent, payload, 'bounty'), agent, null, false);
    this.#open.push({
      post: p,
      asker: agent,
      deadline: d,
      answers: [],
      answerers: new Set(),
      wantsAccept,
      accepted: false,
    });
  }

  /** An answer to an open bounty (false when none can take one). */
  answer(target: GenBounty | null = null): boolean {
    this.#ensureRoom(gasOf('answerBounty'));
    this.#open = this.#open.filter((b) => this.#isOpen(b, 1n));
    for (let t = 0; t < TRIES; t++) {
      const b = target ?? this.#open[this.#r.int(this.#open.length)];
      if (b === undefined) return false;
      if (b.answers.length >= BOUNTY_MAX_ANSWERS || !this.#isOpen(b, 1n)) continue;
      const content = this.#content(500, 1_500);
      const agent = this.#randomAgent();
      const payload: TxPayload = {
        kind: 'answerBounty',
        bounty: (this.#posts[b.post] as GenPost).id,
        content,
      };
      if (agent === b.asker || b.answerers.has(agent) || !this.#can(agent, payload)) continue;
      const answer: GenAnswer = {
        post: this.#posts.length,
        answerer: agent,
        bounty: b,
        independent: 0,
      };
      this.#addPost(this.#emit(agent, payload, 'bounty'), agent, answer, false);
      b.answers.push(answer);
      b.answerers.add(agent);
      if (b.wantsAccept && b.answers.length === 1) this.#needVotes.push(answer);
      return true;
    }
    return false;
  }

  /** §10.3 path 1: the asker accepts an answer with ≥ 3 independent upvotes (false: none ready). */
  accept(): boolean {
    this.#ensureRoom(gasOf('acceptAnswer'));
    while (this.#acceptable.length > 0) {
      const a = this.#acceptable.shift() as GenAnswer;
      const b = a.bounty;
      if (!this.#isOpen(b, 0n)) continue;
      const payload: TxPayload = {
        kind: 'acceptAnswer',
        bounty: (this.#posts[b.post] as GenPost).id,
        answer: (this.#posts[a.post] as GenPost).id,
      };
      if (!this.#can(b.asker, payload)) continue;
      b.accepted = true;
      this.#emit(b.asker, payload, 'bounty');
      return true;
    }
    return false;
  }

  bounty(): void {
    const u = this.#r.next();
    if (u < 0.15 && this.accept()) return;
    if (u < 0.75 && this.answer()) return;
    this.createBounty(null, this.#r.next() < 0.5);
  }

  // ---------------------------------------------------------------- other

  other(): void {
    const u = this.#r.next();
    if (u < 0.35) this.#transfer();
    else if (u < 0.6) this.#profile();
    else if (u < 0.75 && this.#flag()) return;
    else if (u < 0.95) this.#commitOrReveal();
    else if (!this.#createCommunity()) this.#profile();
  }

  #transfer(): void {
    this.#ensureRoom(gasOf('transfer'));
    const to = (this.#agents[this.#randomAgent()] as Agent).key;
    const amount = MOLT * BigInt(this.#r.range(1, 10));
    const { agent, payload } = this.#sender(() => ({ kind: 'transfer', to, amount }));
    this.#emit(agent, payload, 'other');
  }

  #profile(): void {
    this.#ensureRoom(gasOf('updateProfile'));
    const content = this.#content(100, 200);
    const { agent, payload } = this.#sender(() => ({ kind: 'updateProfile', content }));
    this.#emit(agent, payload, 'other');
  }

  #flag(): boolean {
    this.#ensureRoom(gasOf('flag'));
    for (let t = 0; t < TRIES && this.#threads.length > 0; t++) {
      const p = this.#recent(this.#threads);
      const post = this.#posts[p] as GenPost;
      const flagger = this.#randomAgent();
      const key = flagger * 2 ** 26 + p;
      const payload: TxPayload = { kind: 'flag', post: post.id };
      if (flagger === post.author || this.#flagged.has(key) || !this.#can(flagger, payload))
        continue;
      this.#flagged.add(key);
      this.#emit(flagger, payload, 'other');
      return true;
    }
    return false;
  }

  /** Community creation costs 1,000 × B (§10.2): only agents that can still afford it. */
  #createCommunity(): boolean {
    this.#ensureRoom(gasOf('createCommunity'));
    const name = `bench-new-${this.#communityCount}`;
    for (let t = 0; t < TRIES; t++) {
      const agent = this.#randomAgent();
      const payload: TxPayload = { kind: 'createCommunity', name };
      if (!this.#can(agent, payload)) continue;
      this.#emit(agent, payload, 'other');
      this.#communityCount += 1;
      this.#communities.push(name);
      return true;
    }
    return false;
  }

  /**
   * §14.3: reveals a commitment of an earlier slot when one is in its window (N+1..N+5, with a
   * slot to spare), else commits a new one; 1 commitment in 10 is left unrevealed on purpose.
   */
  #commitOrReveal(): void {
    this.#ensureRoom(gasOf('revealPost'));
    this.#pending = this.#pending.filter((c) => this.#slot + 1n <= c.slot + 5n);
    const i = this.#pending.findIndex((c) => c.slot < this.#slot);
    const c = this.#pending[i];
    if (c !== undefined && this.#can(c.agent, c.payload)) {
      this.#pending.splice(i, 1);
      const id = this.#emit(c.agent, c.payload, 'other');
      this.#addPost(id, c.agent, null, true);
      return;
    }
    const asReply = this.#threads.length > 0 && this.#r.next() < 0.5;
    const reveal: RevealPostPayload = {
      kind: 'revealPost',
      community: asReply ? '' : this.#community(),
      parent: asReply ? (this.#posts[this.#recent(this.#threads)] as GenPost).id : ZERO_HASH,
      content: this.#content(300, 3_000),
      salt: this.#r.bytes(32),
    };
    for (let t = 0; t < TRIES; t++) {
      const agent = this.#randomAgent();
      const key = (this.#agents[agent] as Agent).key;
      const payload: TxPayload = { kind: 'commitPost', commitment: revealCommitment(key, reveal) };
      // Only an agent that could pay the reveal too (it is checked again in its window).
      if (!this.#can(agent, payload) || !this.#can(agent, reveal)) continue;
      this.#emit(agent, payload, 'other');
      if (this.#r.next() < 0.9) this.#pending.push({ agent, payload: reveal, slot: this.#slot });
      else this.#unrevealed += 1;
      return;
    }
    this.#profile();
  }

  /** Draws one transaction of the §15.1 mix. */
  next(): void {
    const u = this.#r.next();
    const { vote, reply, post, bounty } = MIX_SHARES;
    if (u < vote) this.vote();
    else if (u < vote + reply) this.reply();
    else if (u < vote + reply + post) this.post();
    else if (u < vote + reply + post + bounty) this.bounty();
    else this.other();
  }

  openBounties(): readonly GenBounty[] {
    return this.#open;
  }
}

/**
 * Builds the mix: `identities` agents (identity i+1 signs with key i, stake 100-10,000 MOLT,
 * GENESIS_BALANCE each), `communities` communities, a history of bounties (deadlines spread over
 * the run, 0-3 answers each) and `historyTxs` posts and replies at slots 1.., then `txs`
 * transactions of the §15.1 mix from slot 1 + BOUNTY_MIN_DURATION_SLOTS on.
 */
export function buildEconomyMix(o: MixOptions): EconomyMix {
  const r = new Prng(o.seed);
  const agents: Agent[] = [];
  for (let i = 0; i < o.identities; i++) {
    const seed = sha256(`moltbook/bench/execution/${o.seed}/${i}`);
    const priv = createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const key = rawPublicKey(createPublicKey(priv));
    agents.push({ id: BigInt(i + 1), key, priv, nonce: 0n, budget: GENESIS_BALANCE });
  }
  const accounts = agents.map((a) => ({ key: a.key, balance: GENESIS_BALANCE }));
  const identities = agents.map((a) => ({
    id: a.id,
    stake: MOLT * BigInt(r.range(100, 10_000)),
    signers: [a.key],
  }));
  const communities = Array.from({ length: o.communities }, (_, i) => `bench-${i}`);
  const g = new MixGenerator(r, agents, [...communities]);

  // History, slot 1 on: bounties whose deadlines fall in the run's slots, with 0-3 answers each
  // (§10.3 paths 3 and 2 at deadline + 1), then posts and replies.
  const runStart = 1n + BOUNTY_MIN_DURATION_SLOTS;
  const runBlocks = Math.max(2, Math.ceil((o.txs * MEAN_GAS) / Number(SLOT_GAS_LIMIT)));
  const due = Math.max(8, 4 * (runBlocks - 1));
  g.takeBlocks(1n);
  for (let k = 0; k < due; k++) g.createBounty(runStart + BigInt(k % (runBlocks - 1)), false);
  const historyBounties = [...g.openBounties()];
  for (const [k, b] of historyBounties.entries()) for (let j = 0; j < k % 4; j++) g.answer(b);
  for (let i = 0; i < o.historyTxs; i++) {
    if (r.next() < 0.55) g.post();
    else g.reply();
  }
  if (g.slot >= runStart) throw new Error('history too long for the bounty deadlines it set');
  const history = g.takeBlocks(runStart);

  for (let i = 0; i < o.txs; i++) g.next();
  const run = g.takeBlocks(0n);
  const last = (run[run.length - 1] as MixBlock).slot;
  if (last >= ACI_PERIOD_SLOTS)
    throw new Error('run crosses a 6 h ACI period: the fee mirror would not see the ±10 %');
  return {
    accounts,
    identities,
    communities,
    history,
    run,
    bountiesDueInRun: historyBounties.filter((b) => b.deadline < last).length,
    commitsUnrevealed: g.unrevealed,
    finalBaseFee: g.baseFee,
  };
}
