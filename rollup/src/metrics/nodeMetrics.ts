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
  readonly confirmedSlot: Gauge;
  readonly finalizedSlot: Gauge;
  readonly txsIncluded: Counter<'leader'>;
  readonly mempoolSize: Gauge;
  readonly peers: Gauge;
  readonly votes: Counter;
  readonly voteLatency: Histogram;
  readonly confirmationLatency: Histogram;
  readonly evidence: Counter<'kind'>;
  readonly partitioned: Gauge;
  readonly censoredBlocks: Counter<'leader'>;
  readonly forcedTxs: Counter;
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
    confirmedSlot: new Gauge({
      name: 'moltbook_consensus_confirmed_slot',
      help: 'Highest slot optimistically confirmed (> 2/3 of stake voted on it or a descendant)',
      registers,
    }),
    finalizedSlot: new Gauge({
      name: 'moltbook_consensus_finalized_slot',
      help: 'Root of this validator’s tower (32 confirmations, §7.5)',
      registers,
    }),
    txsIncluded: new Counter({
      name: 'moltbook_node_transactions_included_total',
      help: 'Transactions in blocks added to the fork tree, by leader (inclusion rate per validator; rate() gives tx/s)',
      labelNames: ['leader'],
      registers,
    }),
    mempoolSize: new Gauge({
      name: 'moltbook_mempool_transactions',
      help: 'Transactions waiting in the mempool',
      registers,
    }),
    peers: new Gauge({ name: 'moltbook_p2p_peers', help: 'Connected libp2p peers', registers }),
    votes: new Counter({
      name: 'moltbook_consensus_votes_total',
      help: 'Tower BFT votes this validator cast',
      registers,
    }),
    voteLatency: new Histogram({
      name: 'moltbook_consensus_vote_latency_seconds',
      help: 'From a block being added to the fork tree to this validator voting on it',
      buckets: [0.005, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2],
      registers,
    }),
    confirmationLatency: new Histogram({
      name: 'moltbook_consensus_confirmation_latency_seconds',
      help: 'From a block being added to the fork tree to its optimistic confirmation',
      buckets: [0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.5, 2, 4, 8],
      registers,
    }),
    censoredBlocks: new Counter({
      name: 'moltbook_consensus_censoring_blocks_total',
      help: 'Blocks refused because they left out a transaction forced by the crLists (§7.6), by leader',
      labelNames: ['leader'],
      registers,
    }),
    forcedTxs: new Counter({
      name: 'moltbook_consensus_forced_transactions_total',
      help: 'Transactions that crLists of more than half the stake made mandatory (§7.6)',
      registers,
    }),
    partitioned: new Gauge({
      name: 'moltbook_consensus_partitioned',
      help: '1 while the shard is stalled: no optimistic confirmation for 75 slots (§7.7)',
      registers,
    }),
    evidence: new Counter({
      name: 'moltbook_consensus_evidence_total',
      help: 'Equivocation evidence recorded, by kind',
      labelNames: ['kind'],
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
