// Worker for prekeyPop.test.ts: its own connection to the same database file, popping bundles
// as fast as it can once both workers are released at the same instant.
import { parentPort, workerData } from 'node:worker_threads';
import { resolveLimits } from '../../src/protocol/limits.ts';
import { openSqliteRelayStore } from '../../src/store/sqlite/sqliteRelayStore.ts';

const { path, moltbotId, requester, pops, gate } = workerData as {
  path: string;
  moltbotId: string;
  requester: string;
  pops: number;
  gate: SharedArrayBuffer;
};
const big = { limit: 1e9, windowMs: 60_000 };
const store = openSqliteRelayStore({
  path,
  limits: resolveLimits({ rates: { bundleFetch: big } }),
});
const flag = new Int32Array(gate);
Atomics.add(flag, 1, 1);
Atomics.wait(flag, 0, 0);
const got: number[] = [];
for (let i = 0; i < pops; i++) {
  const r = await store.identities.fetchBundles({
    requesterDeviceId: requester,
    moltbotId,
    deviceId: null,
    now: Date.now(),
  });
  if (r.kind !== 'ok') throw new Error(r.kind);
  const p = r.devices[0]?.preKey;
  if (p?.kind === 'one_time') got.push(p.id);
}
await store.close();
parentPort?.postMessage(got);
