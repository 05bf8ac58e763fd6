import type { KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { privateKeyFromRaw, publicKeyFromRaw } from '@libp2p/crypto/keys';
import { type GossipSub, gossipsub, TopicValidatorResult } from '@libp2p/gossipsub';
import {
  createPeerScoreParams,
  createPeerScoreThresholds,
  createTopicScoreParams,
  type PeerScoreParams,
  type PeerScoreThresholds,
  type TopicScoreParams,
} from '@libp2p/gossipsub/score';
import { identify } from '@libp2p/identify';
import type { PeerId, PrivateKey } from '@libp2p/interface';
import { peerIdFromPublicKey } from '@libp2p/peer-id';
import { tcp } from '@libp2p/tcp';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import { createLibp2p, type Libp2p } from 'libp2p';

export type ShardTopicKind = 'blocks' | 'txs' | 'votes' | 'inclusion' | 'content';
const SHARD_TOPIC_KINDS: readonly ShardTopicKind[] = [
  'blocks',
  'txs',
  'votes',
  'inclusion',
  'content',
];

/** Gossip topic of one shard (DESIGN.md §5: gossipsub topics per shard). Versioned. */
export function shardTopic(shard: number, kind: ShardTopicKind): string {
  return `/moltbook/shard/${shard}/${kind}/1`;
}

/** Verdict of gossip validation (Lodestar style): REJECT also penalises the sending peer. */
export type GossipVerdict = 'accept' | 'ignore' | 'reject';

export interface P2pNodeOpts {
  /** Multiaddrs to listen on, e.g. `/ip4/127.0.0.1/tcp/0`. */
  readonly listen: readonly string[];
  /** Shard whose gossip topics get score parameters (invalid messages lower a peer's score). */
  readonly shard?: number;
  /** Multiaddrs (with `/p2p/<id>`) dialed at start and retried every second until connected. */
  readonly bootstrap?: readonly string[];
  /**
   * The node's libp2p identity. A validator passes `libp2pKeyFromEd25519(validatorKey)`, so its
   * peer id follows from its genesis public key (`peerIdOfValidator`). A random key when absent.
   */
  readonly privateKey?: PrivateKey;
  /**
   * Peer ids (strings) never to connect with, checked on every dial and inbound connection; the
   * caller may change the set at any time (an operator's block list, a partition test).
   */
  readonly blocklist?: ReadonlySet<string>;
  /** Gossipsub heartbeat (mesh upkeep, score cache); gossipsub's default is 1 s. Tests shorten it. */
  readonly heartbeatIntervalMs?: number;
}

/**
 * gossipsub 17's exported `GossipSub` interface omits `getScore`, which its implementation class
 * has (dist/src/gossipsub.d.ts); the peer-scoring test checks that it is there.
 */
export type ScoredGossipSub = GossipSub & { getScore(peerId: string): number };

export type P2pNode = Libp2p<{
  identify: ReturnType<ReturnType<typeof identify>>;
  pubsub: ScoredGossipSub;
}>;

/**
 * A libp2p node with the transport set that works together here (docs/TOOLCHAIN.md): TCP, Noise,
 * Yamux, identify, and gossipsub 17 with signed messages.
 */
export async function createP2pNode(opts: P2pNodeOpts): Promise<P2pNode> {
  const node = (await createLibp2p({
    ...(opts.privateKey === undefined ? {} : { privateKey: opts.privateKey }),
    addresses: { listen: [...opts.listen] },
    ...(opts.blocklist === undefined ? {} : { connectionGater: blocklistGater(opts.blocklist) }),
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pubsub: gossipsub({
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        scoreParams: peerScoreParams(opts.shard),
        scoreThresholds: PEER_SCORE_THRESHOLDS,
        ...(opts.heartbeatIntervalMs === undefined
          ? {}
          : { heartbeatInterval: opts.heartbeatIntervalMs }),
      }),
    },
  })) as P2pNode;
  if (opts.bootstrap !== undefined) dialPeers(node, opts.bootstrap);
  return node;
}

/**
 * Gossipsub v1.1 score thresholds (libp2p specs, gossipsub-v1.1.md §Score Thresholds), at the
 * spec's suggested scale: below `gossipThreshold` no IHAVE/IWANT, below `publishThreshold` no
 * publishing to the peer, below `graylistThreshold` every RPC from the peer is ignored.
 */
export const PEER_SCORE_THRESHOLDS: PeerScoreThresholds = createPeerScoreThresholds({
  gossipThreshold: -10,
  publishThreshold: -50,
  graylistThreshold: -80,
  acceptPXThreshold: 100, // we do not do peer exchange (doPX is off); only a very good peer may
  opportunisticGraftThreshold: 5,
});

/**
 * Score parameters of one shard topic. P4 (invalid deliveries, the square of a counter) is what
 * REJECT feeds (Lodestar: REJECT penalises the sender): with weight -10, one invalid message puts
 * a peer at the gossip threshold, three (-90) below the graylist. The counter decays 1 % per second
 * (half-life ≈ 69 s), so a peer that sent one bad message by mistake recovers.
 */
const SHARD_TOPIC_SCORE: TopicScoreParams = createTopicScoreParams({
  topicWeight: 1,
  // P1: a little credit for staying in the mesh (≤ 3 after five minutes).
  timeInMeshWeight: 0.01,
  timeInMeshQuantum: 1_000,
  timeInMeshCap: 300,
  // P2: credit for being first with a valid message (≤ 5).
  firstMessageDeliveriesWeight: 1,
  firstMessageDeliveriesDecay: 0.9,
  firstMessageDeliveriesCap: 5,
  // P3/P3b off: per-slot traffic is bursty, and a delivery-rate penalty needs thresholds tuned on
  // real traffic (gossipsub-v1.1.md warns a wrong P3 prunes honest peers; Lodestar tunes it per topic).
  meshMessageDeliveriesWeight: 0,
  meshFailurePenaltyWeight: 0,
  invalidMessageDeliveriesWeight: -10,
  invalidMessageDeliveriesDecay: 0.99,
});

function peerScoreParams(shard: number | undefined): PeerScoreParams {
  const topics: Record<string, TopicScoreParams> = {};
  if (shard !== undefined)
    for (const kind of SHARD_TOPIC_KINDS) topics[shardTopic(shard, kind)] = SHARD_TOPIC_SCORE;
  return createPeerScoreParams({
    topics,
    topicScoreCap: 10, // positive topic credit cannot outweigh penalties by much
    decayInterval: 1_000,
    decayToZero: 0.01,
  });
}

/** The local gossipsub score of `peer` (0 for a peer never seen); negative means misbehaving. */
export function peerScore(node: P2pNode, peer: PeerId | string): number {
  return node.services.pubsub.getScore(peer.toString());
}

/** How long a failed bootstrap dial waits before the next attempt. */
export const DIAL_RETRY_MS = 1_000;

/**
 * Dials each multiaddr in the background (validators find each other by multiaddr from config); a
 * failed dial is retried every DIAL_RETRY_MS until it succeeds or the node stops. Call it on a
 * started node. A malformed multiaddr is a configuration error and throws here, synchronously.
 */
export function dialPeers(node: P2pNode, addrs: readonly string[]): void {
  const targets = addrs.map((a) => multiaddr(a));
  const stopped = new AbortController();
  node.addEventListener('stop', () => stopped.abort(), { once: true });
  for (const target of targets) void dialUntilConnected(node, target, stopped.signal);
}

async function dialUntilConnected(node: P2pNode, target: Multiaddr, stop: AbortSignal) {
  while (!stop.aborted && node.status === 'started') {
    try {
      await node.dial(target, { signal: stop });
      return;
    } catch {
      await sleep(DIAL_RETRY_MS, undefined, { signal: stop }).catch(() => undefined);
    }
  }
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

/**
 * Like `setGossipValidator` for a validator that needs to wait (e.g. for signature checks on
 * worker threads); gossipsub holds the message until it answers. A rejection or throw is REJECT.
 */
export function setAsyncGossipValidator(
  node: P2pNode,
  topic: string,
  validate: (data: Uint8Array) => Promise<GossipVerdict>,
): void {
  node.services.pubsub.topicValidators.set(topic, async (_peer, msg) => {
    try {
      return VERDICTS[await validate(msg.data)];
    } catch {
      return TopicValidatorResult.Reject;
    }
  });
}

/** The libp2p identity of a validator: the same Ed25519 key pair as its validator key. */
export function libp2pKeyFromEd25519(key: KeyObject): PrivateKey {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string')
    throw new TypeError('not an Ed25519 private key');
  const seed = Buffer.from(jwk.d, 'base64url');
  const raw = new Uint8Array(64);
  raw.set(seed);
  raw.set(Buffer.from(jwk.x, 'base64url'), 32);
  seed.fill(0);
  return privateKeyFromRaw(raw);
}

/** Peer id of the validator with raw Ed25519 public key `pubkey` (see `libp2pKeyFromEd25519`). */
export function peerIdOfValidator(pubkey: Uint8Array): string {
  return peerIdFromPublicKey(publicKeyFromRaw(pubkey)).toString();
}

function blocklistGater(blocked: ReadonlySet<string>) {
  const deny = (peer: { toString(): string }) => blocked.has(peer.toString());
  return {
    denyDialPeer: deny,
    denyInboundEncryptedConnection: deny,
    denyOutboundEncryptedConnection: deny,
  };
}
