import { peerIdFromString } from '@libp2p/peer-id';
import { RpcError } from './rpcError.ts';
import type { RpcHandler } from './rpcServer.ts';

/** Most peers one block list holds. */
const MAX_BLOCKED_PEERS = 1_000;

export interface AdminRpcView {
  blockPeers(peerIds: readonly string[]): Promise<void>;
}

/**
 * Operator methods (Geth's `admin_` namespace), served only with `--admin-rpc`: they change what
 * the node connects to, so they are never on by default.
 */
export function adminRpcHandlers(node: AdminRpcView): Record<string, RpcHandler> {
  return {
    /** Replaces the peer block list; `[]` lifts it. Answers the list now in force. */
    admin_blockPeers: async (params) => {
      const list = params[0];
      if (!Array.isArray(list) || list.length > MAX_BLOCKED_PEERS)
        throw RpcError.invalidParams('peers', 'peers must be a list of libp2p peer ids');
      const ids = list.map((p: unknown) => {
        try {
          if (typeof p !== 'string') throw new TypeError('not a string');
          return peerIdFromString(p).toString();
        } catch {
          throw RpcError.invalidParams('peers', `'${String(p)}' is not a libp2p peer id`);
        }
      });
      await node.blockPeers(ids);
      return { blocked: ids };
    },
  };
}
