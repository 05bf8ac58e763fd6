import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SignerKeyCache } from '../../src/tx/signerKeyCache.ts';
import { encodeTransaction } from '../../src/tx/txCodec.ts';
import { TxVerifierPool } from '../../src/tx/txVerifierPool.ts';
import { validateStateless } from '../../src/tx/validateTransaction.ts';
import { testKey, testTransfer } from './txFixtures.ts';

describe('TxVerifierPool (edge steps 1-4 on worker threads)', () => {
  const pool = new TxVerifierPool({ threads: 2, shard: 0 });
  after(() => pool.close());

  it('answers every call in a batch exactly as validateStateless does on the main thread', async () => {
    const key = testKey(7);
    const good = Array.from({ length: 600 }, (_, i) =>
      encodeTransaction(testTransfer(key, { nonce: BigInt(i) })),
    );
    const forged = Uint8Array.from(good[0] as Uint8Array);
    forged[forged.length - 1] = (forged[forged.length - 1] as number) ^ 1;
    const otherShard = encodeTransaction(testTransfer(key, { shard: 3 }));
    const inputs = [...good, forged, Uint8Array.of(1, 2, 3), otherShard, new Uint8Array(5_000)];
    const got = await Promise.all(inputs.map((b) => pool.verify(b)));
    const keys = new SignerKeyCache();
    for (const [i, b] of inputs.entries()) {
      const want = validateStateless(b, { shard: 0, keys });
      const g = got[i];
      assert.equal(g?.kind, want.kind, `input ${i}`);
      if (g?.kind === 'valid' && want.kind === 'valid') {
        assert.equal(g.id, want.id);
        assert.equal(g.tx.nonce, want.tx.nonce);
      }
      if (g?.kind === 'rejected' && want.kind === 'rejected') assert.equal(g.code, want.code);
    }
    assert.deepEqual(
      got.slice(600).map((r) => (r.kind === 'rejected' ? r.code : r.kind)),
      ['tx.signature_invalid', 'tx.malformed', 'tx.wrong_shard', 'tx.too_large'],
    );
  });

  it('refuses work after close', async () => {
    const p = new TxVerifierPool({ threads: 1, shard: 0 });
    await p.close();
    await assert.rejects(p.verify(new Uint8Array(10)), /closed/);
  });
});
