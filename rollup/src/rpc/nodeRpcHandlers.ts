import type { Genesis } from '../genesis/genesis.ts';
import { MAX_CONTENT_BYTES } from '../params/economyParams.ts';
import type { SignedBlock } from '../types/block.ts';
import { fromHex } from '../utils/hex.ts';
import { type BlockJson, blockToJson } from './blockJson.ts';
import { RpcError } from './rpcError.ts';
import type { NodeHealth, RpcHandler } from './rpcServer.ts';

/** Largest slot range `getBlocks` answers in one call. */
export const MAX_BLOCKS_RANGE = 500;

/**
 * Solana's commitment levels (§7.5): `processed` = the node's best fork, `confirmed` = optimistic
 * confirmation (> 2/3 of stake voted), `finalized` = rooted by the node's tower (32 confirmations).
 */
export type Commitment = 'processed' | 'confirmed' | 'finalized';

export interface AccountJson {
  readonly pubkey: string;
  readonly nonce: string;
  readonly balance: string;
  /** The identity the key is a signer of (decimal), '0' for none. */
  readonly identity: string;
  readonly slot: number;
}

/** What a transaction submission answers: its id, or a rejection with a stable code. */
export type SubmitResult =
  | { readonly kind: 'accepted'; readonly id: string }
  | { readonly kind: 'rejected'; readonly code: string; readonly reason: string };

/** The node as the RPC sees it (implemented by ValidatorNode). */
export interface NodeRpcView {
  readonly genesis: Genesis;
  readonly genesisHash: string;
  readonly identity: string;
  health(): NodeHealth;
  slot(commitment: Commitment): number;
  block(slot: number): Promise<SignedBlock | null>;
  blockSlots(from: number, to: number, limit: number): Promise<number[]>;
  account(pubkey: Uint8Array, commitment: Commitment): AccountJson;
  /** Admits a transaction; `content` is its body when it references one (§9.1, §14.2). */
  submitTransaction(bytes: Uint8Array, content?: Uint8Array): Promise<SubmitResult>;
  pohStatus(): { tickHeight: number; hashesPerTick: number; ticksPerSlot: number };
  status(): Record<string, unknown>;
  evidence(): string[];
}

function slotParam(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw RpcError.invalidParams(field, `${field} must be a non-negative integer`);
  }
  return v;
}

export function commitmentParam(v: unknown): Commitment {
  if (v === undefined) return 'processed';
  const c = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).commitment : v;
  if (c === 'processed' || c === 'confirmed' || c === 'finalized') return c;
  throw RpcError.invalidParams(
    'commitment',
    'commitment must be "processed", "confirmed" or "finalized"',
  );
}

/** Largest transaction hex string accepted before decoding (2 × MAX_TX_BYTES, with slack). */
const MAX_TX_HEX = 8_192;

/** Longest base64 of a body of MAX_CONTENT_BYTES (4 characters per 3 bytes, padded). */
const MAX_CONTENT_BASE64 = Math.ceil(MAX_CONTENT_BYTES / 3) * 4;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The optional content body of `sendTransaction`: standard base64 (RFC 4648 §4), padded. */
function contentParam(v: unknown): Uint8Array | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v.length > MAX_CONTENT_BASE64)
    throw new RpcError(
      -32003,
      'content.too_large',
      `a body holds at most ${MAX_CONTENT_BYTES} bytes`,
    );
  if (typeof v !== 'string' || v.length === 0 || !BASE64.test(v))
    throw RpcError.invalidParams('content', 'content must be the body in base64');
  return new Uint8Array(Buffer.from(v, 'base64'));
}

/** The API of a validator (Solana-style method names). */
export function nodeRpcHandlers(node: NodeRpcView): Record<string, RpcHandler> {
  return {
    getHealth: async () => {
      const h = node.health();
      if (!h.ok) throw new RpcError(-32005, 'node.unhealthy', h.reason);
      return 'ok';
    },
    getGenesis: async () => ({ genesis: node.genesis, genesisHash: node.genesisHash }),
    getSlot: async (params) => node.slot(commitmentParam(params[0])),
    getStatus: async () => node.status(),
    getPohStatus: async () => node.pohStatus(),
    getEvidence: async () => node.evidence(),
    getBlock: async (params): Promise<BlockJson | null> => {
      const block = await node.block(slotParam(params[0], 'slot'));
      return block === null ? null : blockToJson(block);
    },
    getBlocks: async (params): Promise<number[]> => {
      const from = slotParam(params[0], 'from');
      const to = params[1] === undefined ? from + MAX_BLOCKS_RANGE - 1 : slotParam(params[1], 'to');
      if (to < from) throw RpcError.invalidParams('to', 'to must not be below from');
      if (to - from >= MAX_BLOCKS_RANGE) {
        throw RpcError.invalidParams('to', `a range spans at most ${MAX_BLOCKS_RANGE} slots`);
      }
      return node.blockSlots(from, to, MAX_BLOCKS_RANGE);
    },
    getAccount: async (params): Promise<AccountJson> => {
      const key = fromHex(params[0], 32);
      if (key === null) throw RpcError.invalidParams('pubkey', 'pubkey must be 32 bytes of hex');
      return node.account(key, commitmentParam(params[1]));
    },
    sendTransaction: async (params) => {
      const hex = params[0];
      if (typeof hex !== 'string' || hex.length > MAX_TX_HEX)
        throw RpcError.invalidParams('transaction', 'transaction must be a hex string');
      const bytes = fromHex(hex);
      if (bytes === null)
        throw RpcError.invalidParams('transaction', 'transaction must be a hex string');
      const content = contentParam(params[1]);
      const r = await node.submitTransaction(bytes, content);
      if (r.kind === 'rejected') throw new RpcError(-32003, r.code, r.reason);
      return { id: r.id };
    },
  };
}
