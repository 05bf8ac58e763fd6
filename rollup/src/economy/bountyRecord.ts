import { BOUNTY_MAX_ANSWERS } from '../params/economyParams.ts';
import { RecordReader, RecordWriter } from './recordCodec.ts';

/**
 * The §10.3 bounty record and its canonical codec (table `bounties`, economyState.ts). The rules
 * that move it are in bounties.ts; docs/economy.md "Bounties".
 */
export const BOUNTY_STATUS = { open: 0, resolved: 1 } as const;
export type BountyStatus = keyof typeof BOUNTY_STATUS;
const BOUNTY_STATUS_BY_ID: readonly BountyStatus[] = ['open', 'resolved'];

/** §10.3 which resolution path closed a bounty (`open` while open). */
export const BOUNTY_PATH = { open: 0, askerSelected: 1, communityVote: 2, noAnswers: 3 } as const;
export type BountyPath = keyof typeof BOUNTY_PATH;
const BOUNTY_PATH_BY_ID: readonly BountyPath[] = [
  'open',
  'askerSelected',
  'communityVote',
  'noAnswers',
];

/** One answer of a bounty (§10.3 `BountyAnswer`; its body and votes are in its post record). */
export interface BountyAnswer {
  /** The answer post's id. */
  readonly post: Uint8Array;
  /** The answering identity. */
  readonly answerer: bigint;
  /**
   * §10.3 path 1: upvotes from independent agents (bounties.ts `noteAnswerUpvote`: neither side
   * upvoted the other in the vote's epoch or the one before, not the asker, not sybil-flagged).
   */
  independentUpvotes: number;
}

/** §10.3 a bounty (its id is the question post's id); the escrow is held in `totals.escrowed`. */
export interface BountyRecord {
  readonly id: Uint8Array;
  readonly asker: bigint;
  readonly askerKey: Uint8Array;
  readonly amount: bigint;
  readonly createdSlot: bigint;
  /** Last slot at which answers and the asker's selection are taken; resolved at deadline + 1. */
  readonly deadline: bigint;
  /** §10.3 `min_reputation`, whole points. */
  readonly minReputation: number;
  /** §17.3 newcomer bounty pool: only identities < 30 days old with < 100 interactions answer. */
  readonly newcomerOnly: boolean;
  /** In arrival order (≤ BOUNTY_MAX_ANSWERS): the order breaks ties of the community vote. */
  answers: BountyAnswer[];
  status: BountyStatus;
  path: BountyPath;
  /** Slot of the resolution (0 while open). */
  resolvedSlot: bigint;
}

export const bountyCodec = {
  encode(b: BountyRecord): Uint8Array {
    const w = new RecordWriter()
      .bytes32(b.id)
      .u64(b.asker)
      .bytes32(b.askerKey)
      .u64(b.amount)
      .u64(b.createdSlot)
      .u64(b.deadline)
      .u32(b.minReputation)
      .u8(b.newcomerOnly ? 1 : 0)
      .u32(b.answers.length);
    for (const a of b.answers) w.bytes32(a.post).u64(a.answerer).u32(a.independentUpvotes);
    return w.u8(BOUNTY_STATUS[b.status]).u8(BOUNTY_PATH[b.path]).u64(b.resolvedSlot).finish();
  },
  decode(bytes: Uint8Array): BountyRecord {
    const r = new RecordReader(bytes);
    const id = r.bytes32();
    const asker = r.u64();
    const askerKey = r.bytes32();
    const amount = r.u64();
    const createdSlot = r.u64();
    const deadline = r.u64();
    const minReputation = r.u32();
    const flag = r.u8();
    if (flag > 1) throw new RangeError('bad bounty newcomer flag');
    const n = r.count(BOUNTY_MAX_ANSWERS);
    const answers: BountyAnswer[] = [];
    for (let k = 0; k < n; k++)
      answers.push({ post: r.bytes32(), answerer: r.u64(), independentUpvotes: r.u32() });
    const status = BOUNTY_STATUS_BY_ID[r.u8()];
    const path = BOUNTY_PATH_BY_ID[r.u8()];
    if (status === undefined || path === undefined) throw new RangeError('bad bounty state');
    if ((status === 'open') !== (path === 'open'))
      throw new RangeError('bounty status and path disagree');
    const resolvedSlot = r.u64();
    r.end();
    return {
      id,
      asker,
      askerKey,
      amount,
      createdSlot,
      deadline,
      minReputation,
      newcomerOnly: flag === 1,
      answers,
      status,
      path,
      resolvedSlot,
    };
  },
  clone: (b: BountyRecord): BountyRecord => ({
    ...b,
    answers: b.answers.map((a) => ({ ...a })),
  }),
};
