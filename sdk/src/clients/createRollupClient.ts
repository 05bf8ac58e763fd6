import {
  type BlockJson,
  blockFromJson,
  blockHash,
  type Genesis,
  genesisHash,
  importPublicKey,
  type SignedBlock,
  verifyBlockSignature,
  verifyEntries,
} from '@moltbook/rollup/verify';
import {
  HttpRequestError,
  InvalidParameterError,
  RpcRequestError,
  VerificationError,
} from '../errors/baseError.ts';

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

export interface RollupClient {
  readonly url: string;
  /** Latest slot the node has stored, or null before its first block. */
  getSlot(): Promise<number | null>;
  /** The block of `slot` as served (hex fields), or null for a skipped or unknown slot. */
  getBlock(params: { slot: number }): Promise<BlockJson | null>;
  /** Slots in [from, to] that have a block (at most 500 per call). */
  getBlocks(params: { from: number; to?: number }): Promise<number[]>;
  getGenesis(): Promise<{ genesis: Genesis; genesisHash: string }>;
  getPohStatus(): Promise<PohStatus>;
  /**
   * Fetches `slot` and checks it as a light client would: well-formed, of the genesis's shard,
   * signed by a genesis validator, a PoH sequence of exactly one slot that starts at
   * `expectedPohStart`, and linked to `expectedParentHash` (both when given; pass the previous
   * block's last entry hash and block hash to verify a chain). Throws VerificationError otherwise.
   */
  getVerifiedBlock(params: {
    slot: number;
    genesis: Genesis;
    expectedPohStart?: Uint8Array;
    expectedParentHash?: Uint8Array;
  }): Promise<SignedBlock>;
  /**
   * Fetches slots `from`..`to` and verifies each as getVerifiedBlock does, plus the links between
   * them: every block starts where its predecessor's PoH ended and names its hash as parent. From
   * slot 0 the chain is anchored at the genesis hash. The range must be gap-free (no skipped slot).
   */
  getVerifiedChain(params: { from: number; to: number; genesis: Genesis }): Promise<SignedBlock[]>;
}

function slotArg(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new InvalidParameterError(name, 'a non-negative integer');
  return v;
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

  const client: RollupClient = {
    url,
    getSlot: async () => request('getSlot', []),
    getBlock: async ({ slot }) => request('getBlock', [slotArg('slot', slot)]),
    getBlocks: async ({ from, to }) =>
      request(
        'getBlocks',
        to === undefined ? [slotArg('from', from)] : [slotArg('from', from), slotArg('to', to)],
      ),
    getGenesis: async () => request('getGenesis', []),
    getPohStatus: async () => request('getPohStatus', []),
    async getVerifiedChain({ from, to, genesis }) {
      if (slotArg('to', to) < slotArg('from', from))
        throw new InvalidParameterError('to', 'a slot ≥ from');
      const chain: SignedBlock[] = [];
      for (let s = from; s <= to; s++) {
        const prev = chain.at(-1);
        const lastEntry = prev?.entries.at(-1);
        const block = await client.getVerifiedBlock({
          slot: s,
          genesis,
          ...(prev === undefined ? {} : { expectedParentHash: blockHash(prev) }),
          ...(lastEntry === undefined ? {} : { expectedPohStart: lastEntry.hash }),
        });
        chain.push(block);
      }
      return chain;
    },
    async getVerifiedBlock({ slot, genesis, expectedPohStart, expectedParentHash }) {
      const json = await client.getBlock({ slot });
      if (json === null)
        throw new VerificationError(
          `no block at slot ${slot}`,
          'the slot was skipped or is not stored yet',
        );
      const block = blockFromJson(json);
      if (block === null)
        throw new VerificationError(
          `block ${slot} is malformed`,
          'a field is missing or has the wrong size',
        );
      if (block.slot !== slot)
        throw new VerificationError(
          `block ${slot} is for slot ${block.slot}`,
          'the node served another slot',
        );
      if (block.shard !== genesis.shard)
        throw new VerificationError(
          `block ${slot} is of shard ${block.shard}`,
          `the genesis is of shard ${genesis.shard}`,
        );
      if (
        expectedParentHash !== undefined &&
        Buffer.compare(Buffer.from(expectedParentHash), Buffer.from(block.parentHash)) !== 0
      )
        throw new VerificationError(
          `block ${slot} does not link to the expected parent`,
          'parentHash differs from the expected parent block hash',
        );
      const leaderHex = json.leader;
      if (
        !genesis.validators.some((v) => v.pubkey.toLowerCase().replace(/^0x/, '') === leaderHex)
      ) {
        throw new VerificationError(
          `block ${slot} has an unknown leader`,
          `leader ${leaderHex} is not a genesis validator`,
        );
      }
      if (!verifyBlockSignature(block, importPublicKey(block.leader))) {
        throw new VerificationError(
          `block ${slot} signature is invalid`,
          'the leader did not sign these bytes',
        );
      }
      const start = expectedPohStart ?? (slot === 0 ? genesisHash(genesis) : undefined);
      if (
        start !== undefined &&
        Buffer.compare(Buffer.from(start), Buffer.from(block.pohStart)) !== 0
      ) {
        throw new VerificationError(
          `block ${slot} does not continue the PoH chain`,
          'pohStart differs from the expected start',
        );
      }
      const v = verifyEntries(block.pohStart, block.entries, {
        hashesPerTick: genesis.hashesPerTick,
        ticksPerSlot: genesis.ticksPerSlot,
      });
      if (v.kind !== 'valid')
        throw new VerificationError(`block ${slot} PoH is invalid`, JSON.stringify(v));
      return block;
    },
  };
  return client;
}
