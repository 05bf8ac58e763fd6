import { parentPort, workerData } from 'node:worker_threads';
import { ZERO_HASH } from '../../../src/economy/ids.ts';
import { MOLT } from '../../../src/params/economyParams.ts';
import type { TxPayload } from '../../../src/tx/transaction.ts';
import { toHex } from '../../../src/utils/hex.ts';
import { BODY, COMMUNITY, TxWorld } from './txWorld.ts';

/**
 * A fixed pseudo-random history (xorshift from `seed`, no Math.random) of posts, replies, votes,
 * bounties, flags and transfers over many blocks; returns the final state root as hex. Run on the
 * main thread and on worker threads by the determinism test, which compares the roots.
 */
export function determinismRun(seed: number, steps: number): string {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  const w = new TxWorld({ identities: 8, balance: 1_000n * MOLT, treasury: 100n * MOLT });
  w.begin();
  const posts: Uint8Array[] = [w.post(1)];
  for (let i = 0; i < steps; i++) {
    if (next() % 7 === 0) w.begin(w.slot + BigInt(1 + (next() % 300)));
    const from = 1 + (next() % 8);
    const target = posts[next() % posts.length] as Uint8Array;
    let payload: TxPayload;
    switch (next() % 6) {
      case 0:
        payload = { kind: 'createPost', community: COMMUNITY, content: BODY };
        break;
      case 1:
        payload = { kind: 'reply', parent: target, content: BODY };
        break;
      case 2:
        payload = { kind: 'vote', post: target, direction: next() % 4 === 0 ? 'down' : 'up' };
        break;
      case 3:
        payload = {
          kind: 'createBounty',
          community: COMMUNITY,
          content: BODY,
          amount: MOLT + BigInt(next() % 1_000_000),
          deadline: w.slot + 1_000n + BigInt(next() % 500),
          minReputation: 0,
          newcomerOnly: false,
        };
        break;
      case 4:
        payload = { kind: 'flag', post: target };
        break;
      default:
        payload = { kind: 'transfer', to: ZERO_HASH, amount: BigInt(next() % 1_000) };
    }
    const { r, post } = w.do(from, payload);
    if (r.kind === 'success' && 'content' in payload) posts.push(post);
  }
  w.begin(w.slot + 5_000n);
  return toHex(w.state.root());
}

if (parentPort !== null) {
  const { seed, steps } = workerData as { seed: number; steps: number };
  parentPort.postMessage(determinismRun(seed, steps));
}
