import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTENT_POOL_GRACE_SLOTS, ContentPool } from '../../src/mempool/contentPool.ts';

const body = (n: number, fill = 1) => new Uint8Array(n).fill(fill);
const G = CONTENT_POOL_GRACE_SLOTS;

describe('ContentPool (bodies waiting for inclusion)', () => {
  it('keeps a body per content hash, shared by the transactions that reference it', () => {
    const p = new ContentPool();
    assert.equal(p.add('aa', body(10), 'tx1', 5), 'added');
    assert.equal(p.add('aa', body(10), 'tx2', 6), 'known');
    assert.equal(p.size, 1);
    assert.equal(p.bytes, 10);
    assert.deepEqual(p.get('aa'), body(10));
    assert.equal(p.get('bb'), null);
    p.delete('aa');
    assert.equal(p.size, 0);
    assert.equal(p.bytes, 0);
  });

  it('is bounded in bytes and in bodies', () => {
    const p = new ContentPool({ maxBytes: 25, maxBodies: 2 });
    assert.equal(p.add('a', body(10), 't', 0), 'added');
    assert.equal(p.add('b', body(16), 't', 0), 'full', 'bytes');
    assert.equal(p.add('b', body(15), 't', 0), 'added');
    p.delete('a');
    assert.equal(p.add('c', body(1), 't', 0), 'added');
    assert.equal(p.add('d', body(1), 't', 0), 'full', 'count');
  });

  it('sweep drops bodies whose transactions left the mempool a grace period ago, never live ones', () => {
    const p = new ContentPool();
    p.add('live', body(1), 'in-mempool', 0);
    p.add('gone', body(1), 'evicted', 0);
    p.add('young', body(1), 'included-just-now', 100);
    const live = (id: string) => id === 'in-mempool';
    assert.equal(p.sweep(100, live), 0, 'nothing older than the grace period');
    assert.equal(p.sweep(G, live), 1);
    assert.equal(p.get('gone'), null);
    assert.notEqual(p.get('live'), null);
    // A sweep that finds a body live restarts its grace period: the period counts from when the
    // body's transactions left the mempool, however long they waited there.
    assert.equal(p.sweep(10 * G, live), 1, 'young goes');
    assert.notEqual(p.get('live'), null);
    assert.equal(
      p.sweep(11 * G - 1, () => false),
      0,
      'left the mempool, still in its grace',
    );
    assert.equal(
      p.sweep(11 * G, () => false),
      1,
    );
    assert.equal(p.size, 0);
  });
});
