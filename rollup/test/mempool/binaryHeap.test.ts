import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BinaryHeap } from '../../src/mempool/binaryHeap.ts';

describe('BinaryHeap', () => {
  it('property: pops in the order a stable sort gives, under interleaved pushes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined })),
        (ops) => {
          // Items are [key, seq]: smaller key first, then smaller seq — the mempool's (fee, arrival).
          const heap = new BinaryHeap<[number, number]>((a, b) =>
            a[0] !== b[0] ? a[0] < b[0] : a[1] < b[1],
          );
          const model: [number, number][] = [];
          ops.forEach((op, seq) => {
            if (op === undefined) {
              model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
              assert.deepEqual(heap.pop(), model.shift());
            } else {
              heap.push([op, seq]);
              model.push([op, seq]);
            }
            assert.equal(heap.size, model.length);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
