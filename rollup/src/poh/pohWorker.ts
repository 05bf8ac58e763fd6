// Worker entry of PohService: drives the pure Poh state machine as fast as the tick schedule
// allows (Agave `PohService::tick_producer`), without ever yielding to an event loop, so PoH is
// never stalled by networking or execution on the main thread. Messages are polled
// synchronously with receiveMessageOnPort between hash batches.
//
// Every event carries the generation it was produced under: a `reset` control message (Agave
// `PohRecorder::reset`) starts a new chain and a new generation, so the main thread can drop the
// events of the old chain that were still in flight.
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { PohEntry } from './poh.ts';
import { Poh } from './poh.ts';

export interface PohWorkerData {
  readonly startHash: Uint8Array;
  readonly tickHeight: number;
  readonly hashesPerTick: number;
  /** Never finish a tick before this many ns after the previous one; 0 = as fast as possible. */
  readonly targetTickNs: bigint;
  /** Hashes between two polls of the control port. */
  readonly batch: number;
  readonly port: MessagePort;
}

export type PohControl =
  | { readonly type: 'record'; readonly id: number; readonly mixin: Uint8Array }
  | {
      readonly type: 'reset';
      readonly generation: number;
      readonly startHash: Uint8Array;
      readonly tickHeight: number;
    }
  | { readonly type: 'stop' };

export type PohEvent =
  | {
      readonly type: 'tick';
      readonly generation: number;
      readonly tickHeight: number;
      readonly entry: PohEntry;
    }
  | {
      readonly type: 'recorded';
      readonly generation: number;
      readonly id: number;
      readonly tickHeight: number;
      readonly entry: PohEntry;
    }
  | { readonly type: 'stopped'; readonly tickHeight: number; readonly hash: Uint8Array };

const data = workerData as PohWorkerData;
const { port } = data;
let poh = new Poh({
  startHash: data.startHash,
  tickHeight: data.tickHeight,
  hashesPerTick: data.hashesPerTick,
});
let generation = 0;
const pending: { id: number; mixin: Uint8Array }[] = [];
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let nextTickAt = process.hrtime.bigint() + data.targetTickNs;

function send(ev: PohEvent): void {
  port.postMessage(ev);
}

loop: for (;;) {
  for (let msg = receiveMessageOnPort(port); msg !== undefined; msg = receiveMessageOnPort(port)) {
    const ctl = msg.message as PohControl;
    if (ctl.type === 'stop') break loop;
    if (ctl.type === 'reset') {
      // Continue from another block's last entry. Records still queued belong to the old chain:
      // drop them (the main thread has already rejected them), and restart the tick schedule.
      poh = new Poh({
        startHash: ctl.startHash,
        tickHeight: ctl.tickHeight,
        hashesPerTick: data.hashesPerTick,
      });
      generation = ctl.generation;
      pending.length = 0;
      nextTickAt = process.hrtime.bigint() + data.targetTickNs;
      continue;
    }
    pending.push({ id: ctl.id, mixin: ctl.mixin });
  }
  // Records go in as soon as they arrive, except that the tick's own hash is never taken.
  while (pending.length > 0) {
    const next = pending[0] as { id: number; mixin: Uint8Array };
    const entry = poh.record(next.mixin);
    if (entry === null) break;
    pending.shift();
    send({ type: 'recorded', generation, id: next.id, tickHeight: poh.tickHeight, entry });
  }
  if (poh.hash(data.batch)) {
    if (data.targetTickNs > 0n) {
      // Ahead of schedule: sleep until the tick is due, but wake early to take in records.
      const now = process.hrtime.bigint();
      if (now < nextTickAt) {
        const ms = Number((nextTickAt - now) / 1_000_000n);
        if (ms >= 1) {
          Atomics.wait(sleeper, 0, 0, Math.min(ms, 1));
          continue;
        }
        if (pending.length === 0) continue;
      }
    }
    const entry = poh.tick() as PohEntry;
    nextTickAt += data.targetTickNs;
    // After a long stall (e.g. the machine was suspended) do not try to catch up in a burst.
    const now = process.hrtime.bigint();
    if (nextTickAt < now - data.targetTickNs * 4n) nextTickAt = now + data.targetTickNs;
    send({ type: 'tick', generation, tickHeight: poh.tickHeight, entry });
  }
}
send({ type: 'stopped', tickHeight: poh.tickHeight, hash: poh.lastHash });
port.close();
