import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Operator metrics of one validator, named `moltbook_<component>_<name>_<unit>` (STYLE.md). */
export interface NodeMetrics {
  readonly registry: Registry;
  readonly pohTickHeight: Gauge;
  readonly pohHashes: Counter;
  readonly slot: Gauge;
  readonly blocksProduced: Counter;
  readonly slotDuration: Histogram;
  readonly rpcRequests: Counter<'method' | 'outcome'>;
}

/** One registry per node: no module singletons, several nodes can share a process. */
export function createNodeMetrics(labels: Record<string, string> = {}): NodeMetrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry, prefix: 'moltbook_' });
  const registers = [registry];
  return {
    registry,
    pohTickHeight: new Gauge({
      name: 'moltbook_poh_tick_height',
      help: 'PoH tick height',
      registers,
    }),
    pohHashes: new Counter({
      name: 'moltbook_poh_hashes_total',
      help: 'SHA-256 hashes in the PoH chain',
      registers,
    }),
    slot: new Gauge({
      name: 'moltbook_node_slot',
      help: 'Latest slot stored by this node',
      registers,
    }),
    blocksProduced: new Counter({
      name: 'moltbook_node_blocks_produced_total',
      help: 'Blocks this node produced as leader',
      registers,
    }),
    slotDuration: new Histogram({
      name: 'moltbook_node_slot_duration_seconds',
      help: 'Wall time from the start of a slot to its block being built and signed',
      buckets: [0.2, 0.3, 0.38, 0.4, 0.42, 0.5, 0.8, 1.6],
      registers,
    }),
    rpcRequests: new Counter({
      name: 'moltbook_rpc_requests_total',
      help: 'JSON-RPC requests by method and outcome',
      labelNames: ['method', 'outcome'],
      registers,
    }),
  };
}
