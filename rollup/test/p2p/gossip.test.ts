import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { decodeBlock, encodeBlock } from '../../src/codec/blockCodec.ts';
import { CodecError } from '../../src/codec/codecError.ts';
import { generateEd25519 } from '../../src/crypto/ed25519.ts';
import { signBlock } from '../../src/crypto/signBlock.ts';
import {
  createP2pNode,
  type P2pNode,
  setGossipValidator,
  shardTopic,
} from '../../src/p2p/createP2pNode.ts';
import { toHex } from '../../src/utils/hex.ts';
import { testBlock } from '../helpers/testBlock.ts';

const TOPIC = shardTopic(0, 'blocks');

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 25));
}

/** REJECT what does not decode as a block (the real validator adds signatures and PoH). */
function blockValidator(data: Uint8Array) {
  try {
    decodeBlock(data);
    return 'accept' as const;
  } catch (err) {
    if (err instanceof CodecError) return 'reject' as const;
    throw err;
  }
}

describe('libp2p gossipsub on loopback (3 nodes in a line: a — b — c)', () => {
  const nodes: P2pNode[] = [];
  after(() => Promise.all(nodes.map((n) => n.stop())));

  it('delivers a block two hops away and never forwards junk', async () => {
    for (let i = 0; i < 3; i++)
      nodes.push(await createP2pNode({ listen: ['/ip4/127.0.0.1/tcp/0'] }));
    const [a, b, c] = nodes as [P2pNode, P2pNode, P2pNode];
    const received: Uint8Array[] = [];
    const grafted = new Set<string>();
    b.services.pubsub.addEventListener('gossipsub:graft', (ev) => {
      if (ev.detail.topic === TOPIC) grafted.add(ev.detail.peerId.toString());
    });
    for (const n of nodes) {
      setGossipValidator(n, TOPIC, blockValidator);
      n.services.pubsub.subscribe(TOPIC);
    }
    c.services.pubsub.addEventListener('message', (ev) => {
      if (ev.detail.topic === TOPIC) received.push(ev.detail.data);
    });
    await a.dial(b.getMultiaddrs()[0] ?? assert.fail('b listens'));
    await c.dial(b.getMultiaddrs()[0] ?? assert.fail('b listens'));
    // The mesh forms on gossipsub heartbeats: wait until b sees both subscribers.
    await until(
      () =>
        b.services.pubsub.getSubscribers(TOPIC).length === 2 &&
        a.services.pubsub.getSubscribers(TOPIC).length === 1,
    );
    await until(() => grafted.size === 2);

    const key = generateEd25519();
    const block = signBlock(testBlock({ leader: key.publicKey, tickHeight: 64 }), key.privateKey);
    const junk = new TextEncoder().encode('not a block');
    await a.services.pubsub.publish(TOPIC, junk);
    await a.services.pubsub.publish(TOPIC, encodeBlock(block));
    await until(() => received.length >= 1);
    // Give the junk every chance to arrive after the block (it was sent first): one more round.
    await a.services.pubsub.publish(TOPIC, encodeBlock({ ...block, slot: 2, parentSlot: 1 }));
    await until(() => received.length >= 2);
    assert.deepEqual(
      received.map((d) => decodeBlock(d).slot),
      [1, 2],
    );
    assert.equal(toHex(received[0] as Uint8Array), toHex(encodeBlock(block)));
  });
});
