import type { Genesis } from '../genesis/genesis.ts';
import type { BlockStore } from '../store/blockStore.ts';
import { type BlockJson, blockToJson } from './blockJson.ts';
import { RpcError } from './rpcError.ts';
import type { NodeHealth, RpcHandler } from './rpcServer.ts';

/** Largest slot range `getBlocks` answers in one call. */
export const MAX_BLOCKS_RANGE = 500;

export interface NodeRpcDeps {
  readonly store: BlockStore;
  readonly genesis: Genesis;
  readonly genesisHash: string;
  readonly identity: string;
  readonly health: () => NodeHealth;
  readonly pohStatus: () => { tickHeight: number; hashesPerTick: number; ticksPerSlot: number };
}

function slotParam(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw RpcError.invalidParams(field, `${field} must be a non-negative integer`);
  }
  return v;
}

/** The read API of a validator (Solana-style method names). */
export function nodeRpcHandlers(deps: NodeRpcDeps): Record<string, RpcHandler> {
  return {
    getHealth: async () => {
      const h = deps.health();
      if (!h.ok) throw new RpcError(-32005, 'node.unhealthy', h.reason);
      return 'ok';
    },
    getIdentity: async () => ({ identity: deps.identity }),
    getGenesis: async () => ({ genesis: deps.genesis, genesisHash: deps.genesisHash }),
    getSlot: async () => deps.store.latestSlot(),
    getPohStatus: async () => deps.pohStatus(),
    getBlock: async (params): Promise<BlockJson | null> => {
      const slot = slotParam(params[0], 'slot');
      const block = await deps.store.get(slot);
      return block === null ? null : blockToJson(block);
    },
    getBlocks: async (params): Promise<number[]> => {
      const from = slotParam(params[0], 'from');
      const to = params[1] === undefined ? from + MAX_BLOCKS_RANGE - 1 : slotParam(params[1], 'to');
      if (to < from) throw RpcError.invalidParams('to', 'to must not be below from');
      if (to - from >= MAX_BLOCKS_RANGE) {
        throw RpcError.invalidParams('to', `a range spans at most ${MAX_BLOCKS_RANGE} slots`);
      }
      return deps.store.slots(from, to, MAX_BLOCKS_RANGE);
    },
  };
}
