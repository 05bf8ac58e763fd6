import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { blockHash } from '../../src/codec/blockCodec.ts';
import { decodeEvidence, verifyEvidence } from '../../src/consensus/equivocation.ts';
import { type Ed25519KeyPair, generateEd25519 } from '../../src/crypto/ed25519.ts';
import { TX_VERSION } from '../../src/params/txParams.ts';
import { blockFromJson } from '../../src/rpc/blockJson.ts';
import { signTransaction } from '../../src/tx/signTransaction.ts';
import { encodeTransaction } from '../../src/tx/txCodec.ts';
import { toHex } from '../../src/utils/hex.ts';
import { content, postIdOfTxId, send, signedTx, waitForPost } from '../helpers/economyTx.ts';
import { rpcCall } from '../helpers/rpc.ts';
import { Cluster } from './clusterHarness.ts';

/** A transfer from one of the cluster's funded accounts (default: `funded`). */
function transfer(
  c: Cluster,
  to: Uint8Array,
  amount: bigint,
  nonce: bigint,
  from: Ed25519KeyPair = c.funded,
): string {
  return toHex(
    encodeTransaction(
      signTransaction(
        {
          version: TX_VERSION,
          shard: 0,
          sender: from.publicKey,
          nonce,
          maxFee: 10_000n,
          payload: { kind: 'transfer', to, amount },
        },
        from.privateKey,
      ),
    ),
  );
}

async function balance(
  c: Cluster,
  i: number,
  key: Uint8Array,
  commitment: string,
): Promise<bigint> {
  const a = (await rpcCall(c.url(i), 'getAccount', [toHex(key), commitment])) as {
    balance: string;
  };
  return BigInt(a.balance);
}

/** Hash and state root of the finalized block at `slot` as node i serves it. */
async function finalizedBlock(c: Cluster, i: number, slot: number): Promise<string | null> {
  const b = blockFromJson(await rpcCall(c.url(i), 'getBlock', [slot]));
  return b === null ? null : `${toHex(blockHash(b))}:${toHex(b.stateRoot)}`;
}

describe('cluster: 4 validator processes on loopback', { timeout: 240_000 }, () => {
  let c: Cluster;
  before(async () => {
    c = await Cluster.start(4);
  });
  after(async () => {
    await c?.stop();
  });

  it('produce and finalize one chain; a transfer sent to one node is final on all', async () => {
    await c.waitFinalized(5);
    const bob = generateEd25519().publicKey;
    await rpcCall(c.url(0), 'sendTransaction', [transfer(c, bob, 7_000n, 0n)]);
    await c.waitUntil('the transfer is final everywhere', async () => {
      const b = await Promise.all([0, 1, 2, 3].map((i) => balance(c, i, bob, 'finalized')));
      return b.every((x) => x === 7_000n);
    });
    // Every node serves the same finalized blocks.
    const slot = Math.min(
      ...(await Promise.all([0, 1, 2, 3].map(async (i) => (await c.status(i)).finalizedSlot))),
    );
    const slots = (await rpcCall(c.url(0), 'getBlocks', [1, slot])) as number[];
    assert.ok(slots.length > 0);
    for (const s of slots.slice(-5)) {
      const seen = await Promise.all([0, 1, 2, 3].map((i) => finalizedBlock(c, i, s)));
      assert.ok(
        seen.every((x) => x !== null && x === seen[0]),
        `slot ${s} is the same block everywhere`,
      );
    }
    for (let i = 0; i < 4; i++) assert.equal((await c.status(i)).evidence, 0, 'no equivocation');
  });

  it('a post sent to one validator has its body served by every other (content gossip)', async () => {
    const [ada, bea] = c.agents;
    const body = content({ v: 1, type: 'post', title: 'Gossip', body: 'Bodies travel too.' });
    const sent = await send(
      c.url(0),
      signedTx(ada, 0n, { kind: 'createPost', community: 'dev', content: body.ref }),
      body.bytes,
    );
    assert.ok('id' in sent, JSON.stringify(sent));
    const id = postIdOfTxId(sent.id);
    const expected = { v: 1, type: 'post', title: 'Gossip', body: 'Bodies travel too.' };
    for (const i of [1, 2, 3])
      assert.deepEqual((await waitForPost(c.url(i), id, 'confirmed')).body, expected, `v${i}`);
    // A reply sent to another validator: its body reaches v0, and v3's feed has the thread.
    const reply = content({ v: 1, type: 'reply', body: 'Seen on v2.' });
    const r = await send(
      c.url(2),
      signedTx(bea, 0n, { kind: 'reply', parent: Buffer.from(id, 'hex'), content: reply.ref }),
      reply.bytes,
    );
    assert.ok('id' in r, JSON.stringify(r));
    const rid = postIdOfTxId(r.id);
    assert.deepEqual((await waitForPost(c.url(0), rid, 'confirmed')).body, {
      v: 1,
      type: 'reply',
      body: 'Seen on v2.',
    });
    const feed = (await rpcCall(c.url(3), 'getFeed', [{ community: 'dev' }, 'confirmed'])) as {
      posts: { id: string; replies: number; body: unknown }[];
    };
    assert.deepEqual(
      feed.posts.map((p) => [p.id, p.replies, p.body]),
      [[id, 1, expected]],
    );
  });

  it('one validator is SIGKILLed: the others keep finalizing; restarted, it catches up to the same state', async () => {
    await c.kill(3);
    const at = Math.max(
      ...(await Promise.all([0, 1, 2].map(async (i) => (await c.status(i)).finalizedSlot))),
    );
    // 3 of 4 (75 % > 2/3) go on finalizing without it.
    await c.waitFinalized(at + 20, [0, 1, 2]);
    const carol = generateEd25519().publicKey;
    await rpcCall(c.url(1), 'sendTransaction', [transfer(c, carol, 9_000n, 1n)]);
    await c.waitUntil('the transfer is final on the three', async () => {
      const b = await Promise.all([0, 1, 2].map((i) => balance(c, i, carol, 'finalized')));
      return b.every((x) => x === 9_000n);
    });

    await c.startNode(3);
    const target = (await c.status(0)).finalizedSlot;
    await c.waitFinalized(target, [3]);
    // The restarted node has the transfer it missed, and the same finalized blocks and state.
    assert.equal(await balance(c, 3, carol, 'finalized'), 9_000n);
    for (const s of [target - 1, target]) {
      const mine = await finalizedBlock(c, 3, s);
      const theirs = await finalizedBlock(c, 0, s);
      assert.equal(mine, theirs, `slot ${s}: same block and state root after the restart`);
    }
    // And it votes again: the four finalize on.
    await c.waitFinalized(target + 10);
    assert.match(c.output(3), /restored \d+ block/);
  });
});

describe('cluster: an equivocating leader', { timeout: 240_000 }, () => {
  let c: Cluster;
  before(async () => {
    c = await Cluster.start(4, (i) => (i === 3 ? ['--fault', 'equivocate'] : []));
  });
  after(async () => {
    await c?.stop();
  });

  it('is caught with portable evidence, and no two honest nodes finalize different blocks', async () => {
    const honest = [0, 1, 2];
    await c.waitUntil('evidence on every honest node', async () => {
      const st = await Promise.all(honest.map((i) => c.status(i)));
      return st.every((s) => s.evidence > 0);
    });
    const faulty = toHex((c.keys[3] as { publicKey: Uint8Array }).publicKey);
    for (const i of honest) {
      const list = (await rpcCall(c.url(i), 'getEvidence', [])) as string[];
      const e = decodeEvidence(Buffer.from(list[0] as string, 'hex'));
      const v = verifyEvidence(e);
      assert.equal(v.kind, 'valid', 'anyone can check the evidence from its bytes');
      assert.equal(v.kind === 'valid' && v.offender, faulty, 'it names the equivocating leader');
    }
    // The honest 75 % keep finalizing, and agree on every finalized block.
    const at = Math.max(
      ...(await Promise.all(honest.map(async (i) => (await c.status(i)).finalizedSlot))),
    );
    await c.waitFinalized(at + 20, honest);
    const upTo = Math.min(
      ...(await Promise.all(honest.map(async (i) => (await c.status(i)).finalizedSlot))),
    );
    const slots = (await rpcCall(c.url(0), 'getBlocks', [1, upTo])) as number[];
    for (const s of slots) {
      const seen = await Promise.all(honest.map((i) => finalizedBlock(c, i, s)));
      assert.ok(
        seen.every((x) => x === seen[0]),
        `slot ${s}: one finalized block on every honest node`,
      );
    }
    // Neither version of an equivocated slot is final anywhere.
    const evidenced = new Set<number>();
    for (const i of honest)
      for (const hex of (await rpcCall(c.url(i), 'getEvidence', [])) as string[]) {
        const e = decodeEvidence(Buffer.from(hex, 'hex'));
        if (e.kind === 'duplicateBlock') evidenced.add(e.first.slot);
      }
    assert.ok(evidenced.size > 0);
    for (const s of evidenced)
      if (s <= upTo)
        for (const i of honest)
          assert.equal(
            await rpcCall(c.url(i), 'getBlock', [s]),
            null,
            `slot ${s} is not final on v${i}`,
          );
  });
});

describe('cluster: a 2/2 partition (§7.7)', { timeout: 300_000 }, () => {
  let c: Cluster;
  before(async () => {
    c = await Cluster.start(4, () => ['--admin-rpc']);
  });
  after(async () => {
    await c?.stop();
  });

  it('finalizes nothing on either side, then converges with no final block reverted and no transaction lost', async () => {
    const all = [0, 1, 2, 3];
    await c.waitFinalized(5);
    const finalBefore = Math.min(
      ...(await Promise.all(all.map(async (i) => (await c.status(i)).finalizedSlot))),
    );
    const kept = await Promise.all(
      ((await rpcCall(c.url(0), 'getBlocks', [1, finalBefore])) as number[]).map(async (s) => ({
        s,
        b: await finalizedBlock(c, 0, s),
      })),
    );
    await c.partition([
      [0, 1],
      [2, 3],
    ]);
    const cut = Math.max(...(await Promise.all(all.map(async (i) => (await c.status(i)).slot))));
    // One transfer into each side while they are apart.
    const x = generateEd25519().publicKey;
    const y = generateEd25519().publicKey;
    await rpcCall(c.url(0), 'sendTransaction', [transfer(c, x, 1_111n, 0n)]);
    await rpcCall(c.url(2), 'sendTransaction', [transfer(c, y, 2_222n, 0n, c.funded2)]);
    // Both sides keep producing past the 75-slot stall mark and enter partition mode…
    await c.waitUntil('both sides stalled', async () => {
      const st = await Promise.all(all.map((i) => c.status(i)));
      return st.every((s) => s.partitionedSince !== null && s.slot > cut + 80);
    });
    // …but neither finalizes anything produced after the cut.
    for (const i of all)
      assert.ok(
        (await c.status(i)).finalizedSlot <= cut,
        `v${i} finalized nothing of the partition`,
      );

    await c.heal();
    const healedAt = Math.max(
      ...(await Promise.all(all.map(async (i) => (await c.status(i)).slot))),
    );
    await c.waitFinalized(healedAt);
    // Nothing final before the partition was reverted, on any node.
    for (const { s, b } of kept)
      for (const i of all)
        assert.equal(await finalizedBlock(c, i, s), b, `v${i} slot ${s} unchanged`);
    // Both transfers are final everywhere: the losing side's went back to the mempool.
    for (const i of all) {
      assert.equal(await balance(c, i, x, 'finalized'), 1_111n, `v${i} has the side-A transfer`);
      assert.equal(await balance(c, i, y, 'finalized'), 2_222n, `v${i} has the side-B transfer`);
    }
    // Blocks produced while the shard was stalled carry the partition-recovery flag: those of the
    // winning side after the 75-slot mark, and everyone's until confirmation resumed after healing.
    const upTo = Math.min((await c.status(0)).finalizedSlot, cut + 499);
    const during = (await rpcCall(c.url(0), 'getBlocks', [cut + 1, upTo])) as number[];
    const flagged = await Promise.all(
      during.map(
        async (s) => (blockFromJson(await rpcCall(c.url(0), 'getBlock', [s]))?.flags ?? 0) & 1,
      ),
    );
    assert.ok(
      flagged.some((f) => f === 1),
      'some block of the partition is flagged',
    );
  });
});

describe('cluster: a censoring leader (§7.6 forced inclusion)', { timeout: 240_000 }, () => {
  let c: Cluster;
  before(async () => {
    // Validators list pending txs at once (crList delay 0) so forcing happens inside one window.
    c = await Cluster.start(4, (i) => [
      '--cr-delay-slots',
      '0',
      ...(i === 3 ? ['--fault', 'censor'] : []),
    ]);
  });
  after(async () => {
    await c?.stop();
  });

  async function censoringRefusals(i: number): Promise<number> {
    const text = await (await fetch(`${c.url(i)}/metrics`)).text();
    return [...text.matchAll(/^moltbook_consensus_censoring_blocks_total\{[^}]*\} (\d+)/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  }

  it('is overridden: its blocks without the forced transaction are refused and the transaction is included', async () => {
    const censor = toHex((c.keys[3] as { publicKey: Uint8Array }).publicKey);
    await c.waitFinalized(3);
    let refused = 0;
    for (let attempt = 0; attempt < 10 && refused === 0; attempt++) {
      // Submit at the start of one of the censor's 4-slot windows (windows start at slot ≡ 0 mod 4).
      await c.waitUntil('the censor leads', async () => {
        const s = (await rpcCall(c.url(0), 'getStatus', [])) as { pohSlot: number; leader: string };
        return s.leader === censor && s.pohSlot % 4 === 0;
      });
      const to = generateEd25519().publicKey;
      await rpcCall(c.url(0), 'sendTransaction', [transfer(c, to, 500n, BigInt(attempt))]);
      await c.waitUntil(
        'the transfer is confirmed',
        async () => (await balance(c, 0, to, 'confirmed')) === 500n,
      );
      refused = (await Promise.all([0, 1, 2].map((i) => censoringRefusals(i)))).reduce(
        (a, b) => a + b,
        0,
      );
    }
    assert.ok(refused > 0, 'honest validators refused a block that left out a forced transaction');
    // The censor's refused blocks are not final anywhere; the honest chain finalizes on.
    const at = (await c.status(0)).finalizedSlot;
    await c.waitFinalized(at + 10, [0, 1, 2]);
  });
});
