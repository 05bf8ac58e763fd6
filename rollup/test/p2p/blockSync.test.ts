import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Stream } from '@libp2p/interface';
import { blockSyncProtocol, registerBlockSync, requestBlocks } from '../../src/p2p/blockSync.ts';
import {
  encodeBlocksByHashRequest,
  encodeItemPrefix,
  MAX_SYNC_BLOCKS,
  MAX_SYNC_ITEM_BYTES,
} from '../../src/p2p/blockSyncCodec.ts';
import { createP2pNode, type P2pNode } from '../../src/p2p/createP2pNode.ts';
import { SyncError } from '../../src/p2p/syncError.ts';
import { toHex } from '../../src/utils/hex.ts';

const LISTEN = { listen: ['/ip4/127.0.0.1/tcp/0'] };

/** A chain of fake blocks: random bytes keyed by a random hash, parent links in a Map. */
function fakeChain(length: number) {
  const blocks = new Map<string, Uint8Array>();
  const parent = new Map<string, Uint8Array>();
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < length; i++) {
    const hash = randomBytes(32);
    blocks.set(toHex(hash), randomBytes(100 + i));
    const prev = hashes.at(-1);
    if (prev !== undefined) parent.set(toHex(hash), prev);
    hashes.push(hash);
  }
  /** The store lookup a node does: the block and its ancestors, newest first. */
  async function provider(hash: Uint8Array, count: number): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for (let h: Uint8Array | undefined = hash; h !== undefined && out.length < count; ) {
      const block = blocks.get(toHex(h));
      if (block === undefined) break;
      out.push(block);
      h = parent.get(toHex(h));
    }
    return out;
  }
  return { blocks, hashes, provider };
}

function isSyncError(code: SyncError['code']) {
  return (err: unknown) => err instanceof SyncError && err.code === code;
}

/** A peer that breaks the protocol: registers `serve` as the handler of `shard`'s protocol. */
async function misbehave(node: P2pNode, shard: number, serve: (stream: Stream) => Promise<void>) {
  await node.handle(blockSyncProtocol(shard), (stream) =>
    serve(stream).catch((err: unknown) => stream.abort(new Error(String(err)))),
  );
}

/** Reads a raw stream to its end; resolves 'reset' if it was reset or aborted instead. */
async function drain(stream: Stream): Promise<{ bytes: number } | 'reset'> {
  let bytes = 0;
  try {
    for await (const chunk of stream) bytes += chunk.byteLength;
    return { bytes };
  } catch {
    return 'reset';
  }
}

describe('blocks-by-hash req/resp on loopback', () => {
  const nodes: P2pNode[] = [];
  const chain = fakeChain(100);
  let a: P2pNode;
  let b: P2pNode;
  let evil: P2pNode;
  const tip = () => chain.hashes.at(-1) ?? assert.fail('chain has a tip');

  before(async () => {
    for (let i = 0; i < 3; i++) nodes.push(await createP2pNode(LISTEN));
    [a, b, evil] = nodes as [P2pNode, P2pNode, P2pNode];
    await registerBlockSync(b, 0, chain.provider, { requestTimeoutMs: 300 });
    await a.dial(b.getMultiaddrs()[0] ?? assert.fail('b listens'));
    await a.dial(evil.getMultiaddrs()[0] ?? assert.fail('evil listens'));
  });
  after(() => Promise.all(nodes.map((n) => n.stop())));

  it('returns the tip and 63 ancestors, newest first', async () => {
    const got = await requestBlocks(a, b.peerId, 0, tip(), MAX_SYNC_BLOCKS);
    assert.equal(got.length, 64);
    const want = chain.hashes
      .slice(-64)
      .reverse()
      .map((h) => toHex(chain.blocks.get(toHex(h)) ?? assert.fail('block')));
    assert.deepEqual(got.map(toHex), want);
  });

  it('stops at genesis when fewer ancestors exist', async () => {
    const third = chain.hashes[2] ?? assert.fail('chain');
    const got = await requestBlocks(a, b.peerId, 0, third, 10);
    assert.equal(got.length, 3);
  });

  it('answers an unknown hash with an empty list', async () => {
    assert.deepEqual(await requestBlocks(a, b.peerId, 0, randomBytes(32), 5), []);
  });

  it('rejects count 0, count 65 and a short hash locally with RangeError', async () => {
    for (const count of [0, MAX_SYNC_BLOCKS + 1, 1.5])
      await assert.rejects(requestBlocks(a, b.peerId, 0, tip(), count), RangeError);
    await assert.rejects(requestBlocks(a, b.peerId, 0, new Uint8Array(31), 1), RangeError);
  });

  it('rejects with sync.dial_failed when the peer does not serve the shard', async () => {
    await assert.rejects(requestBlocks(a, b.peerId, 7, tip(), 1), isSyncError('sync.dial_failed'));
  });

  it('resets the stream when the provider fails: sync.bad_response, not an empty list', async () => {
    await registerBlockSync(b, 5, async () => {
      throw new Error('store unavailable');
    });
    await assert.rejects(requestBlocks(a, b.peerId, 5, tip(), 2), isSyncError('sync.bad_response'));
  });

  it('rejects an item larger than 1 MiB with sync.item_too_large', async () => {
    await misbehave(evil, 1, async (stream) => {
      stream.send(encodeItemPrefix(MAX_SYNC_ITEM_BYTES + 1));
      stream.send(new Uint8Array(1024));
      await stream.close();
    });
    await assert.rejects(
      requestBlocks(a, evil.peerId, 1, tip(), 4),
      isSyncError('sync.item_too_large'),
    );
  });

  it('rejects more items than requested with sync.too_many', async () => {
    await misbehave(evil, 2, async (stream) => {
      for (let i = 0; i < 3; i++) {
        stream.send(encodeItemPrefix(3));
        stream.send(new Uint8Array([1, 2, 3]));
      }
      await stream.close();
    });
    await assert.rejects(requestBlocks(a, evil.peerId, 2, tip(), 2), isSyncError('sync.too_many'));
  });

  it('rejects a response cut inside an item with sync.bad_response', async () => {
    await misbehave(evil, 3, async (stream) => {
      stream.send(encodeItemPrefix(10));
      stream.send(new Uint8Array(4));
      await stream.close();
    });
    await assert.rejects(
      requestBlocks(a, evil.peerId, 3, tip(), 2),
      isSyncError('sync.bad_response'),
    );
  });

  it('rejects a peer that never answers with sync.timeout', async () => {
    await misbehave(evil, 4, async () => {});
    await assert.rejects(
      requestBlocks(a, evil.peerId, 4, tip(), 2, { timeoutMs: 300 }),
      isSyncError('sync.timeout'),
    );
  });

  it('resets garbage requests without an answer and keeps serving', async () => {
    const garbage = [
      new Uint8Array(0),
      randomBytes(7),
      randomBytes(35), // right length, wrong version (or count) with overwhelming probability
      new Uint8Array([...encodeBlocksByHashRequest({ hash: tip(), count: 1 }), 0]), // trailing
      randomBytes(10_000), // more than a request can be
    ];
    for (const bytes of garbage) {
      const stream = await a.dialProtocol(b.peerId, blockSyncProtocol(0));
      if (bytes.length > 0) stream.send(bytes);
      await stream.close().catch(() => undefined);
      assert.equal(await drain(stream), 'reset', `garbage of ${bytes.length} bytes`);
    }
    assert.equal((await requestBlocks(a, b.peerId, 0, tip(), MAX_SYNC_BLOCKS)).length, 64);
  });

  it('resets a stream whose request does not arrive in time', async () => {
    const stream = await a.dialProtocol(b.peerId, blockSyncProtocol(0));
    // Nothing sent, write side left open: the server's request timeout (300 ms here) must fire.
    assert.equal(await drain(stream), 'reset');
    assert.equal((await requestBlocks(a, b.peerId, 0, tip(), 1)).length, 1);
  });
});
