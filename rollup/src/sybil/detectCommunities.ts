import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { seededRng } from './seededRng.ts';
import { SybilError } from './sybilError.ts';

// The package is CommonJS (`module.exports = louvain`) but its .d.ts says `export default`, so
// under NodeNext TypeScript types the default import as the module object; at runtime it is the
// function itself.
const louvain = louvainModule as unknown as typeof louvainModule.default;

/** One entry of the interaction log (§12.1 layer 5): `from` voted for / replied to `to`. */
export interface Interaction {
  /** Agent id: a non-negative safe integer. */
  readonly from: number;
  readonly to: number;
  /** How many times, or how much stake-weighted: a positive safe integer. */
  readonly weight: number;
}

export interface DetectCommunitiesInput {
  readonly interactions: readonly Interaction[];
  /** Agents to include even without interactions (each ends up alone in its community). */
  readonly agents?: readonly number[];
}

export interface DetectCommunitiesOptions {
  /** 32 bytes, e.g. the epoch's beacon randomness: the same seed gives the same output. */
  readonly seed: Uint8Array;
  /** Modularity resolution γ; > 1 favours smaller communities. Default 1. */
  readonly resolution?: number;
}

export interface Communities {
  /** Agent id → community id. Community ids are 0..count-1, numbered by their smallest member. */
  readonly communityOf: ReadonlyMap<number, number>;
  /** Members of each community, ascending. */
  readonly members: readonly (readonly number[])[];
  readonly count: number;
  /** Modularity of the partition (weighted, undirected); 0 when the graph has no edges. */
  readonly modularity: number;
}

/**
 * Louvain community detection over the interaction graph (§12.1 layer 5: dense clusters are sybil
 * farm candidates). Interactions are folded into an undirected graph: the weights of a→b and b→a
 * are summed into one edge, since a tie in either direction is evidence of coordination.
 *
 * Deterministic: nodes and edges are inserted in ascending id order (so the input's order does not
 * matter) and Louvain's random node order comes from `seededRng(seed)`, never Math.random.
 *
 * FLOATING POINT: Louvain computes modularity gains in IEEE doubles, and the order of float sums
 * decides ties; engines and library versions may differ in the last bit. The output is therefore
 * off-chain evidence only (flags, reports, governance review), never an input to a state root. A
 * later issue that needs it in consensus must quantize it (e.g. integer community ids agreed
 * through a vote or a committee-signed report), not recompute it on every validator.
 */
export function detectCommunities(
  input: DetectCommunitiesInput,
  opts: DetectCommunitiesOptions,
): Communities {
  const rng = seededRng(opts.seed);
  const resolution = opts.resolution ?? 1;
  if (!Number.isFinite(resolution) || resolution <= 0) {
    throw new SybilError('sybil.resolution', 'resolution must be a positive finite number', {
      resolution: String(resolution),
    });
  }

  // 1. Validate and fold interactions into undirected pairs.
  const nodes = new Set<number>();
  for (const agent of input.agents ?? []) nodes.add(assertAgentId(agent));
  const pairs = new Map<string, { a: number; b: number; weight: number }>();
  input.interactions.forEach((interaction, index) => {
    const from = assertAgentId(interaction.from);
    const to = assertAgentId(interaction.to);
    const { weight } = interaction;
    if (from === to) {
      throw new SybilError('sybil.self_interaction', `interaction ${index} is a self-loop`, {
        index,
        agent: from,
      });
    }
    if (!Number.isSafeInteger(weight) || weight <= 0) {
      throw new SybilError(
        'sybil.weight',
        `interaction ${index} weight must be a positive integer`,
        {
          index,
          weight: String(weight),
        },
      );
    }
    nodes.add(from).add(to);
    const a = Math.min(from, to);
    const b = Math.max(from, to);
    const key = `${a},${b}`;
    const pair = pairs.get(key) ?? { a, b, weight: 0 };
    pair.weight += weight;
    if (!Number.isSafeInteger(pair.weight)) {
      throw new SybilError('sybil.weight', `summed weight of ${a}-${b} overflows`, { a, b });
    }
    pairs.set(key, pair);
  });

  // 2. Build the graph in canonical order.
  const graph = new UndirectedGraph({ multi: false, allowSelfLoops: false });
  const sortedNodes = [...nodes].sort((x, y) => x - y);
  for (const node of sortedNodes) graph.addNode(String(node));
  const sortedPairs = [...pairs.values()].sort((p, q) => p.a - q.a || p.b - q.b);
  for (const { a, b, weight } of sortedPairs) graph.addEdge(String(a), String(b), { weight });

  // 3. Louvain (skipped without edges: modularity is 0/0 there, every agent is alone).
  let labelOf = (node: number): number => node;
  let modularity = 0;
  if (graph.size > 0) {
    const result = louvain.detailed(graph, { getEdgeWeight: 'weight', resolution, rng });
    labelOf = (node) => result.communities[String(node)] as number;
    modularity = result.modularity;
  }

  // 4. Renumber communities by their smallest member (nodes are visited ascending).
  const idOfLabel = new Map<number, number>();
  const communityOf = new Map<number, number>();
  const members: number[][] = [];
  for (const node of sortedNodes) {
    const label = labelOf(node);
    let id = idOfLabel.get(label);
    if (id === undefined) {
      id = members.length;
      idOfLabel.set(label, id);
      members.push([]);
    }
    communityOf.set(node, id);
    members[id]?.push(node);
  }
  return { communityOf, members, count: members.length, modularity };
}

function assertAgentId(agent: number): number {
  if (!Number.isSafeInteger(agent) || agent < 0) {
    throw new SybilError('sybil.agent_id', `agent id ${agent} is not a non-negative integer`, {
      agent: String(agent),
    });
  }
  return agent;
}
