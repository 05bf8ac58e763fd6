// Worker thread of SignatureVerifierPool: verifies batches of Ed25519 signatures with node:crypto,
// caching imported keys (importing costs as much as a verification).
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

const cache = new Map<string, KeyObject>();

function keyOf(raw: Uint8Array): KeyObject {
  const x = Buffer.from(raw).toString('base64url');
  let k = cache.get(x);
  if (k === undefined) {
    if (cache.size >= 10_000) cache.clear();
    k = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    cache.set(x, k);
  }
  return k;
}

/** Batches packed by SignatureVerifierPool: key(32) ‖ signature(64) ‖ u32 length ‖ message. */
parentPort?.on(
  'message',
  (m: { readonly batch: number; readonly count: number; readonly packed: Uint8Array }) => {
    const results = new Uint8Array(m.count);
    const view = new DataView(m.packed.buffer, m.packed.byteOffset, m.packed.byteLength);
    let o = 0;
    for (let i = 0; i < m.count; i++) {
      const key = m.packed.subarray(o, o + 32);
      const signature = m.packed.subarray(o + 32, o + 96);
      const length = view.getUint32(o + 96);
      const message = m.packed.subarray(o + 100, o + 100 + length);
      o += 100 + length;
      try {
        results[i] = verify(null, message, keyOf(key), signature) ? 1 : 0;
      } catch {
        results[i] = 0;
      }
    }
    parentPort?.postMessage({ batch: m.batch, results }, [results.buffer]);
  },
);
