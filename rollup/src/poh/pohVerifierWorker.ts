// Worker entry of PohVerifierPool: verifies one piece of a PoH chain.
import { parentPort } from 'node:worker_threads';
import { unpackEntries } from './packEntries.ts';
import { verifyHashChain } from './verifyEntries.ts';

if (parentPort === null) throw new Error('pohVerifierWorker must run in a worker thread');
const port = parentPort;
port.on('message', (msg: { id: number; packed: ArrayBuffer }) => {
  const { start, entries } = unpackEntries(msg.packed);
  port.postMessage({ id: msg.id, bad: verifyHashChain(start, entries) });
});
