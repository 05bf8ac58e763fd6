import { type BlockJson, blockHash, type Genesis, type SignedBlock } from '@moltbook/rollup/verify';
import {
  HttpRequestError,
  InvalidParameterError,
  RpcRequestError,
  VerificationError,
} from '../errors/baseError.ts';
import { communityArg, hex32Arg, identityIdArg, pubkeyArg, slotArg } from '../utils/args.ts';
import { checkContent } from '../utils/checkContent.ts';
import {
  type BaseFee,
  type Bounty,
  type Community,
  type Feed,
  type Identity,
  MalformedAnswer,
  nullable,
  type Post,
  type Privacy,
  type Pseudonym,
  parseBaseFee,
  parseBounty,
  parseCommunity,
  parseFeed,
  parseIdentity,
  parsePost,
  parsePrivacy,
  parsePseudonym,
} from './economyJson.ts';
import { verifyBlock } from './verifyBlock.ts';

export interface RollupClientConfig {
  /** A validator's JSON-RPC URL, e.g. `http://127.0.0.1:8899`. */
  readonly url: string;
  /** Per-request timeout in ms (default 10 s). */
  readonly timeoutMs?: number;
}

export interface PohStatus {
  readonly tickHeight: number;
  readonly hashesPerTick: number;
  readonly ticksPerSlot: number;
}

/**
 * Solana's commitment levels: `processed` = the node's best fork, `confirmed` = optimistically
 * confirmed (> 2/3 of stake voted), `finalized` = rooted by the node's tower.
 */
export type Commitment = 'processed' | 'confirmed' | 'finalized';

export interface Account {
  /** Lowercase hex. */
  readonly pubkey: string;
  readonly nonce: bigint;
  /** Micromolt. */
  readonly balance: bigint;
  /** Slot of the bank the account was read from. */
  readonly slot: number;
  /**
   * The identity id the key is a signer of (a decimal string); null when it is bound to none (the
   * node answers '0') or the node does not serve the field.
   */
  readonly identity: string | null;
}

/** `getFeed`: which posts, in which order. Every field is optional. */
export interface GetFeedParameters {
  /** Only this community's posts. */
  readonly community?: string;
  /** Only this identity's posts (id as bigint or decimal string). */
  readonly author?: bigint | string;
  /** `score` (the §10.4 visibility, the node's default) or `recency`. */
  readonly sort?: 'score' | 'recency';
  /** 1-100 (the node's default when absent). */
  readonly limit?: number;
  /** Only posts created before this slot (paging by recency). */
  readonly before?: number;
  readonly commitment?: Commitment;
}

/** `sendTransaction`: a builder's result can be passed as it is. */
export interface SendTransactionParameters {
  /** The encoded signed transaction. */
  readonly transaction: Uint8Array;
  /** The body the transaction references (its canonical bytes), sent base64 beside it. */
  readonly content?: Uint8Array;
}

/** `getStatus`: the node's view (fields as of this SDK; a node may add more). */
export interface NodeStatus {
  readonly identity: string;
  readonly slot: number;
  readonly confirmedSlot: number;
  readonly finalizedSlot: number;
  readonly pohSlot: number;
  readonly leader: string;
  readonly lastVotedSlot: number | null;
  readonly peers: number;
  readonly mempool: number;
  readonly p2p: readonly string[];
  readonly evidence: number;
  /** PoH slot at which the node declared the shard stalled (§7.7), null when it is not. */
  readonly partitionedSince: number | null;
  /** True while this node, in a stalled minority partition, has stopped producing (§7.7). */
  readonly minorityHalted: boolean;
  readonly [field: string]: unknown;
}

export interface RollupClient {
  readonly url: string;
  /** Highest slot at `commitment` (default `processed`); 0 (the genesis) before any block. */
  getSlot(params?: { commitment?: Commitment }): Promise<number>;
  /** The block of `slot` (finalized chain, else best fork) as served, or null for none. */
  getBlock(params: { slot: number }): Promise<BlockJson | null>;
  /** Slots in [from, to] that have a block on the node's chain (at most 500 per call). */
  getBlocks(params: { from: number; to?: number }): Promise<number[]>;
  getGenesis(): Promise<{ genesis: Genesis; genesisHash: string }>;
  getPohStatus(): Promise<PohStatus>;
  getStatus(): Promise<NodeStatus>;
  /** Encoded equivocation evidence the node holds (hex). */
  getEvidence(): Promise<string[]>;
  /** An account's nonce and balance at `commitment` (default `processed`). */
  getAccount(params: { pubkey: Uint8Array | string; commitment?: Commitment }): Promise<Account>;
  /**
   * Submits an encoded signed transaction (e.g. from `createTransfer`). Resolves with its id once
   * the node admitted it to its mempool; a refusal is an RpcRequestError whose `reason` is the
   * stable code (`tx.nonce_too_low`, `tx.insufficient_balance`, …).
   */
  sendTransaction(params: SendTransactionParameters): Promise<{ id: string }>;
  /** The base fee B and every action's fee at it (µMOLT), and the slot read. */
  getBaseFee(params?: { commitment?: Commitment }): Promise<BaseFee>;
  /** A post (thread, reply, question, answer) and its body, or null. */
  getPost(params: { id: Uint8Array | string; commitment?: Commitment }): Promise<Post | null>;
  /** Posts by score or recency, filtered by community or author. */
  getFeed(params?: GetFeedParameters): Promise<Feed>;
  /** An identity's standing (stake, reputation, free tier), or null. */
  getIdentity(params: { id: bigint | string; commitment?: Commitment }): Promise<Identity | null>;
  getCommunity(params: { name: string; commitment?: Commitment }): Promise<Community | null>;
  /** A bounty by its id (the question's post id), with its answers, or null. */
  getBounty(params: { id: Uint8Array | string; commitment?: Commitment }): Promise<Bounty | null>;
  /** §6 privacy state: current anonymity-set root, epoch, quotas; `root` is checked if given. */
  getPrivacy(params?: { root?: Uint8Array | string; commitment?: Commitment }): Promise<Privacy>;
  /** A pseudonym by its nullifier (`zkNullifier`), or null before its first action. */
  getPseudonym(params: {
    nullifier: Uint8Array | string;
    commitment?: Commitment;
  }): Promise<Pseudonym | null>;
  /** Whether an anonymous nullifier is spent in its scope (pick another quota index if so). */
  isNullifierSpent(params: {
    scope: Uint8Array | string;
    nullifier: Uint8Array | string;
    commitment?: Commitment;
  }): Promise<boolean>;
  /**
   * Fetches `slot` and checks it with `verifyBlock` (see verifyBlock.ts): signed by a genesis
   * validator, tick height, PoH from `expectedPohStart` over its ticks since the parent, mixins
   * commit to the transactions, and linked to `expectedParentHash`. For a block whose parent is
   * the genesis both default to the genesis hash. Throws VerificationError otherwise.
   */
  getVerifiedBlock(params: {
    slot: number;
    genesis: Genesis;
    expectedPohStart?: Uint8Array;
    expectedParentHash?: Uint8Array;
  }): Promise<SignedBlock>;
  /**
   * The blocks in [from, to] (as `getBlocks` lists them), each verified as getVerifiedBlock does,
   * plus the links between them: every block names the previous one's slot and hash as parent and
   * starts its PoH where the previous one ended. Skipped slots are fine; a block of another fork
   * is a VerificationError. The first block is anchored at the genesis when its parent is slot 0,
   * else verified alone.
   */
  getVerifiedChain(params: { from: number; to: number; genesis: Genesis }): Promise<SignedBlock[]>;
}

const COMMITMENTS: readonly string[] = ['processed', 'confirmed', 'finalized'];

function commitmentArg(v: unknown): Commitment | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !COMMITMENTS.includes(v))
    throw new InvalidParameterError('commitment', "'processed', 'confirmed' or 'finalized'");
  return v as Commitment;
}

/** Most slots `getBlocks` answers in one call. */
const BLOCKS_PER_CALL = 500;

function withCommitment(params: unknown[], commitment: unknown): unknown[] {
  const c = commitmentArg(commitment);
  return c === undefined ? params : [...params, c];
}

function feedArg(p: GetFeedParameters): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (p.community !== undefined) q.community = communityArg('community', p.community);
  if (p.author !== undefined) q.author = identityIdArg('author', p.author);
  if (p.sort !== undefined) {
    if (p.sort !== 'score' && p.sort !== 'recency')
      throw new InvalidParameterError('sort', "'score' or 'recency'");
    q.sort = p.sort;
  }
  if (p.limit !== undefined) {
    if (!Number.isSafeInteger(p.limit) || p.limit < 1 || p.limit > 100)
      throw new InvalidParameterError('limit', 'an integer in [1, 100]');
    q.limit = p.limit;
  }
  if (p.before !== undefined) q.before = slotArg('before', p.before);
  return q;
}

/** A JSON-RPC client for a shard validator (viem-style: plain functions over one transport). */
export function createRollupClient(config: RollupClientConfig): RollupClient {
  let url: string;
  let parsed: URL | null = null;
  try {
    parsed = new URL(config.url);
  } catch {
    parsed = null;
  }
  if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new InvalidParameterError('url', 'an http(s) URL');
  }
  url = parsed.toString().replace(/\/$/, '');
  let nextId = 1;

  async function request<T>(method: string, params: unknown[]): Promise<T> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
        signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
      });
    } catch (cause) {
      throw new HttpRequestError({ url, cause, details: (cause as Error).message });
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch (cause) {
      throw new HttpRequestError({
        url,
        status: res.status,
        cause,
        details: 'response is not JSON',
      });
    }
    const r = body as {
      result?: unknown;
      error?: { code: number; message: string; data?: { reason?: string } };
    };
    if (r.error !== undefined) {
      throw new RpcRequestError({
        method,
        code: r.error.code,
        message: r.error.message,
        reason: r.error.data?.reason ?? 'unknown',
      });
    }
    if (!res.ok || !('result' in r)) {
      throw new HttpRequestError({
        url,
        status: res.status,
        details: `unexpected answer (HTTP ${res.status})`,
      });
    }
    return r.result as T;
  }

  function malformed(method: string, what: string): HttpRequestError {
    return new HttpRequestError({ url, details: `${method} answered ${what}` });
  }

  /** A request whose answer is checked and typed by `parse` (MalformedAnswer → HttpRequestError). */
  async function call<T>(method: string, params: unknown[], parse: (v: unknown) => T): Promise<T> {
    const result = await request<unknown>(method, params);
    try {
      return parse(result);
    } catch (err) {
      if (err instanceof MalformedAnswer)
        throw malformed(method, `a malformed result: ${err.message}`);
      throw err;
    }
  }

  const client: RollupClient = {
    url,
    async getSlot(params = {}) {
      const c = commitmentArg(params.commitment);
      const slot = await request<unknown>('getSlot', c === undefined ? [] : [c]);
      if (typeof slot !== 'number' || !Number.isSafeInteger(slot) || slot < 0)
        throw malformed('getSlot', 'something that is not a slot');
      return slot;
    },
    getBlock: async ({ slot }) => request('getBlock', [slotArg('slot', slot)]),
    getBlocks: async ({ from, to }) =>
      request(
        'getBlocks',
        to === undefined ? [slotArg('from', from)] : [slotArg('from', from), slotArg('to', to)],
      ),
    getGenesis: async () => request('getGenesis', []),
    getPohStatus: async () => request('getPohStatus', []),
    getStatus: async () => request('getStatus', []),
    getEvidence: async () => request('getEvidence', []),
    async getAccount({ pubkey, commitment }) {
      const key = Buffer.from(pubkeyArg('pubkey', pubkey)).toString('hex');
      const c = commitmentArg(commitment);
      const a = await request<Record<string, unknown> | null>(
        'getAccount',
        c === undefined ? [key] : [key, c],
      );
      const dec = (v: unknown) =>
        typeof v === 'string' && /^(0|[1-9][0-9]*)$/.test(v) ? BigInt(v) : null;
      const nonce = dec(a?.nonce);
      const balance = dec(a?.balance);
      const slot = a?.slot;
      const served = a?.identity ?? null;
      const identity = served === '0' ? null : served;
      if (
        a === null ||
        typeof a.pubkey !== 'string' ||
        nonce === null ||
        balance === null ||
        typeof slot !== 'number' ||
        !Number.isSafeInteger(slot) ||
        (identity !== null && typeof identity !== 'string')
      )
        throw malformed('getAccount', 'a malformed account');
      return { pubkey: a.pubkey, nonce, balance, slot, identity };
    },
    async sendTransaction({ transaction, content }) {
      if (!(transaction instanceof Uint8Array) || transaction.length === 0)
        throw new InvalidParameterError('transaction', 'the encoded transaction bytes');
      checkContent(transaction, content);
      const params = [Buffer.from(transaction).toString('hex')];
      if (content !== undefined) params.push(Buffer.from(content).toString('base64'));
      const r = await request<{ id?: unknown } | null>('sendTransaction', params);
      if (typeof r?.id !== 'string') throw malformed('sendTransaction', 'no transaction id');
      return { id: r.id };
    },
    getBaseFee: async (params = {}) =>
      call('getBaseFee', withCommitment([], params.commitment), parseBaseFee),
    getPost: async ({ id, commitment }) =>
      call('getPost', withCommitment([hex32Arg('id', id)], commitment), nullable(parsePost)),
    getFeed: async (params = {}) =>
      call('getFeed', withCommitment([feedArg(params)], params.commitment), parseFeed),
    getIdentity: async ({ id, commitment }) =>
      call(
        'getIdentity',
        withCommitment([identityIdArg('id', id)], commitment),
        nullable(parseIdentity),
      ),
    getCommunity: async ({ name, commitment }) =>
      call(
        'getCommunity',
        withCommitment([communityArg('name', name)], commitment),
        nullable(parseCommunity),
      ),
    getBounty: async ({ id, commitment }) =>
      call('getBounty', withCommitment([hex32Arg('id', id)], commitment), nullable(parseBounty)),
    getPrivacy: async ({ root, commitment } = {}) =>
      call(
        'getPrivacy',
        withCommitment([root === undefined ? null : hex32Arg('root', root)], commitment),
        parsePrivacy,
      ),
    getPseudonym: async ({ nullifier, commitment }) =>
      call(
        'getPseudonym',
        withCommitment([hex32Arg('nullifier', nullifier)], commitment),
        nullable(parsePseudonym),
      ),
    isNullifierSpent: async ({ scope, nullifier, commitment }) =>
      call(
        'isNullifierSpent',
        withCommitment([hex32Arg('scope', scope), hex32Arg('nullifier', nullifier)], commitment),
        (v) => {
          if (typeof v !== 'boolean') throw new MalformedAnswer('not a boolean');
          return v;
        },
      ),
    async getVerifiedBlock({ slot, genesis, expectedPohStart, expectedParentHash }) {
      const json = await client.getBlock({ slot });
      if (json === null)
        throw new VerificationError(
          `no block at slot ${slot}`,
          'the slot was skipped, is the genesis (slot 0), or is not known to the node yet',
        );
      return verifyBlock(json, genesis, {
        slot,
        ...(expectedPohStart === undefined ? {} : { expectedPohStart }),
        ...(expectedParentHash === undefined ? {} : { expectedParentHash }),
      });
    },
    async getVerifiedChain({ from, to, genesis }) {
      if (slotArg('to', to) < slotArg('from', from))
        throw new InvalidParameterError('to', 'a slot ≥ from');
      const slots: number[] = [];
      for (let lo = from; lo <= to; lo += BLOCKS_PER_CALL) {
        const hi = Math.min(to, lo + BLOCKS_PER_CALL - 1);
        for (const s of await client.getBlocks({ from: lo, to: hi })) {
          if (!Number.isSafeInteger(s) || s < lo || s > hi || s <= (slots.at(-1) ?? -1))
            throw new VerificationError(
              `getBlocks listed slot ${s}`,
              `not an ascending slot in [${lo}, ${hi}]`,
            );
          slots.push(s);
        }
      }
      const chain: SignedBlock[] = [];
      for (const slot of slots) {
        const prev = chain.at(-1);
        const json = await client.getBlock({ slot });
        if (json === null)
          throw new VerificationError(
            `no block at slot ${slot}`,
            'getBlocks listed it, getBlock has none: the node switched forks meanwhile',
          );
        const lastEntry = prev?.entries.at(-1);
        const block = verifyBlock(json, genesis, {
          slot,
          ...(prev === undefined
            ? {}
            : { expectedParentSlot: prev.slot, expectedParentHash: blockHash(prev) }),
          ...(lastEntry === undefined ? {} : { expectedPohStart: lastEntry.hash }),
        });
        chain.push(block);
      }
      return chain;
    },
  };
  return client;
}
