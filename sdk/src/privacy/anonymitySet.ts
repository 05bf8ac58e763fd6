import { LeanImt } from '@moltbook/circuits';
import { type Address, type BlockNumber, type BlockTag, parseAbi } from 'viem';
import { InvalidParameterError } from '../errors/baseError.ts';

/** The AnonymitySet events the tree is rebuilt from (contracts/privacy/IAnonymitySet.sol). */
export const ANONYMITY_SET_EVENTS = parseAbi([
  'event MemberAdded(uint256 indexed identityId, uint256 indexed leafIndex, uint256 commitment)',
  'event MemberRemoved(uint256 indexed identityId, uint256 indexed leafIndex)',
]);

/** One membership change, in chain order (block, then log index). */
export type AnonymitySetChange =
  | { readonly kind: 'added'; readonly leafIndex: bigint; readonly commitment: bigint }
  | { readonly kind: 'removed'; readonly leafIndex: bigint };

/**
 * The anonymity set after `changes` (in chain order): each `MemberAdded` appends its commitment
 * at its leaf index, each `MemberRemoved` sets its leaf to 0 (what the contract does, so the
 * roots agree). A change out of order (an index that is not the next, a removal of a leaf that
 * does not exist) means logs are missing: InvalidParameterError, never a wrong tree.
 */
export function anonymitySetFromChanges(changes: Iterable<AnonymitySetChange>): LeanImt {
  const tree = new LeanImt();
  for (const c of changes) {
    if (c.kind === 'added') {
      if (c.leafIndex !== BigInt(tree.size))
        throw new InvalidParameterError(
          'changes',
          `MemberAdded at leaf ${c.leafIndex} while the set has ${tree.size} leaves (missing logs?)`,
        );
      tree.insert(c.commitment);
    } else {
      if (c.leafIndex >= BigInt(tree.size))
        throw new InvalidParameterError(
          'changes',
          `MemberRemoved of leaf ${c.leafIndex}, the set has ${tree.size} leaves (missing logs?)`,
        );
      tree.update(Number(c.leafIndex), 0n);
    }
  }
  return tree;
}

/** The part of a viem public client `fetchAnonymitySet` uses (any chain's client has it). */
export interface AnonymitySetEventReader {
  getContractEvents(args: {
    address: Address;
    abi: typeof ANONYMITY_SET_EVENTS;
    fromBlock: BlockNumber;
    toBlock: BlockNumber | BlockTag;
  }): Promise<
    readonly {
      eventName?: string;
      args?: unknown;
      blockNumber: bigint | null;
      logIndex: number | null;
    }[]
  >;
}

export interface FetchAnonymitySetParameters {
  /** A viem public client of the L2. */
  readonly client: AnonymitySetEventReader;
  /** The AnonymitySet contract. */
  readonly address: Address;
  /** Its deployment block (default: 0n, the whole chain). */
  readonly fromBlock?: BlockNumber;
  readonly toBlock?: BlockNumber | BlockTag;
}

/**
 * The anonymity set as the L2's AnonymitySet holds it, rebuilt from its `MemberAdded` and
 * `MemberRemoved` events — what `createIdentityProof` proves membership in. Its root equals the
 * contract's `root()` at `toBlock`.
 *
 * ```ts
 * const tree = await fetchAnonymitySet({ client: publicClient, address: anonymitySet });
 * tree.root; // == await anonymitySet.read.root()
 * ```
 */
export async function fetchAnonymitySet(params: FetchAnonymitySetParameters): Promise<LeanImt> {
  const logs = await params.client.getContractEvents({
    address: params.address,
    abi: ANONYMITY_SET_EVENTS,
    fromBlock: params.fromBlock ?? 0n,
    toBlock: params.toBlock ?? 'latest',
  });
  const ordered = [...logs].sort((a, b) => {
    const x = a.blockNumber ?? 0n;
    const y = b.blockNumber ?? 0n;
    return x === y ? (a.logIndex ?? 0) - (b.logIndex ?? 0) : x < y ? -1 : 1;
  });
  return anonymitySetFromChanges(
    ordered.map((l): AnonymitySetChange => {
      const a = l.args as { leafIndex: bigint; commitment?: bigint };
      return l.eventName === 'MemberAdded'
        ? { kind: 'added', leafIndex: a.leafIndex, commitment: a.commitment as bigint }
        : { kind: 'removed', leafIndex: a.leafIndex };
    }),
  );
}
