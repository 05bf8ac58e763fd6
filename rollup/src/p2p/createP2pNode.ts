import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { type GossipSub, gossipsub, TopicValidatorResult } from '@libp2p/gossipsub';
import { identify } from '@libp2p/identify';
import { tcp } from '@libp2p/tcp';
import { createLibp2p, type Libp2p } from 'libp2p';

export type ShardTopicKind = 'blocks' | 'txs' | 'votes';

/** Gossip topic of one shard (DESIGN.md §5: gossipsub topics per shard). Versioned. */
export function shardTopic(shard: number, kind: ShardTopicKind): string {
  return `/moltbook/shard/${shard}/${kind}/1`;
}

/** Verdict of gossip validation (Lodestar style): REJECT also penalises the sending peer. */
export type GossipVerdict = 'accept' | 'ignore' | 'reject';

export interface P2pNodeOpts {
  /** Multiaddrs to listen on, e.g. `/ip4/127.0.0.1/tcp/0`. */
  readonly listen: readonly string[];
}

export type P2pNode = Libp2p<{
  identify: ReturnType<ReturnType<typeof identify>>;
  pubsub: GossipSub;
}>;

/**
 * A libp2p node with the transport set that works together here (docs/TOOLCHAIN.md): TCP, Noise,
 * Yamux, identify, and gossipsub 17 with signed messages.
 */
export async function createP2pNode(opts: P2pNodeOpts): Promise<P2pNode> {
  return createLibp2p({
    addresses: { listen: [...opts.listen] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pubsub: gossipsub({ allowPublishToZeroTopicPeers: true, emitSelf: false }),
    },
  }) as Promise<P2pNode>;
}

const VERDICTS: Record<GossipVerdict, TopicValidatorResult> = {
  accept: TopicValidatorResult.Accept,
  ignore: TopicValidatorResult.Ignore,
  reject: TopicValidatorResult.Reject,
};

/**
 * Validates every message on `topic` before it is delivered or forwarded. A validator that throws
 * counts as REJECT: nothing a peer sends can crash the node.
 */
export function setGossipValidator(
  node: P2pNode,
  topic: string,
  validate: (data: Uint8Array) => GossipVerdict,
): void {
  node.services.pubsub.topicValidators.set(topic, (_peer, msg) => {
    try {
      return VERDICTS[validate(msg.data)];
    } catch {
      return TopicValidatorResult.Reject;
    }
  });
}
