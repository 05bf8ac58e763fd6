import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import {
  createP2pNode,
  type P2pNode,
  PEER_SCORE_THRESHOLDS,
  peerScore,
  setGossipValidator,
  shardTopic,
} from '../../src/p2p/createP2pNode.ts';

const LISTEN = { listen: ['/ip4/127.0.0.1/tcp/0'] };
const TOPIC = shardTopic(0, 'blocks');

/** Polls `cond` every 25 ms, at most `tries` times (a bound, not a timing assertion). */
async function until(cond: () => boolean, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail('condition not reached');
}

function connected(from: P2pNode, to: P2pNode): boolean {
  return from.getConnections(to.peerId).length > 0;
}

/** A TCP port that was free a moment ago (for a peer that starts after it is first dialed). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise((r) => server.close(r));
  if (address === null || typeof address === 'string') return assert.fail('tcp address');
  return address.port;
}

describe('gossipsub peer scoring', () => {
  const nodes: P2pNode[] = [];
  after(() => Promise.all(nodes.map((n) => n.stop())));

  it('lowers the score of a peer whose gossip is rejected, down to the graylist', async () => {
    const opts = { ...LISTEN, shard: 0, heartbeatIntervalMs: 100 };
    const b = await createP2pNode(opts);
    const c = await createP2pNode(opts);
    nodes.push(b, c);
    const delivered: Uint8Array[] = [];
    setGossipValidator(b, TOPIC, () => 'reject');
    b.services.pubsub.addEventListener('message', (ev) => delivered.push(ev.detail.data));
    b.services.pubsub.subscribe(TOPIC);
    c.services.pubsub.subscribe(TOPIC);
    await c.dial(b.getMultiaddrs()[0] ?? assert.fail('b listens'));
    await until(() => c.services.pubsub.getSubscribers(TOPIC).length === 1);
    assert.ok(peerScore(b, c.peerId) >= 0);

    const junk = new TextEncoder().encode('junk');
    await c.services.pubsub.publish(TOPIC, junk);
    await until(() => peerScore(b, c.peerId) < 0);
    // Each further REJECT deepens the (squared) P4 penalty until b ignores c altogether.
    for (
      let i = 0;
      i < 20 && peerScore(b, c.peerId) >= PEER_SCORE_THRESHOLDS.graylistThreshold;
      i++
    ) {
      await c.services.pubsub.publish(TOPIC, junk);
      await new Promise((r) => setTimeout(r, 150));
    }
    assert.ok(peerScore(b, c.peerId) < PEER_SCORE_THRESHOLDS.graylistThreshold);
    assert.equal(delivered.length, 0);
    // The honest side keeps a neutral view of b: scoring is about the sender only.
    assert.ok(peerScore(c, b.peerId) >= 0);
  });

  it('scores the content topic like the others: a rejected body lowers its sender', async () => {
    const topic = shardTopic(0, 'content');
    const opts = { ...LISTEN, shard: 0, heartbeatIntervalMs: 100 };
    const b = await createP2pNode(opts);
    const c = await createP2pNode(opts);
    nodes.push(b, c);
    setGossipValidator(b, topic, () => 'reject');
    b.services.pubsub.subscribe(topic);
    c.services.pubsub.subscribe(topic);
    await c.dial(b.getMultiaddrs()[0] ?? assert.fail('b listens'));
    await until(() => c.services.pubsub.getSubscribers(topic).length === 1);
    await c.services.pubsub.publish(topic, new TextEncoder().encode('a body for nothing'));
    await until(() => peerScore(b, c.peerId) <= PEER_SCORE_THRESHOLDS.gossipThreshold);
  });

  it('dials bootstrap peers at start', async () => {
    const b = await createP2pNode(LISTEN);
    nodes.push(b);
    const addr = b.getMultiaddrs()[0] ?? assert.fail('b listens');
    const a = await createP2pNode({ ...LISTEN, bootstrap: [addr.toString()] });
    nodes.push(a);
    await until(() => connected(a, b));
  });

  it('keeps retrying a bootstrap peer that is not up yet', async () => {
    const port = await freePort();
    const a = await createP2pNode({ ...LISTEN, bootstrap: [`/ip4/127.0.0.1/tcp/${port}`] });
    nodes.push(a);
    const b = await createP2pNode({ listen: [`/ip4/127.0.0.1/tcp/${port}`] });
    nodes.push(b);
    await until(() => connected(a, b));
  });
});
