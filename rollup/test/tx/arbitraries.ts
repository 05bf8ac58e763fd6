import fc from 'fast-check';
import { MAX_CONTENT_BYTES } from '../../src/params/economyParams.ts';
import { U64_MAX } from '../../src/params/txParams.ts';
import type { TxPayload } from '../../src/tx/transaction.ts';

/** fast-check arbitraries of transaction fields: every payload kind, fields across their range. */
export const u64 = fc.bigInt({ min: 0n, max: U64_MAX });
export const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const name = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{1,30}[a-z0-9])$/);
const content = fc.record({
  hash: bytes(32),
  size: fc.integer({ min: 1, max: MAX_CONTENT_BYTES }),
  storage: fc.constantFrom('days30' as const, 'year' as const, 'permanent' as const),
});
const mode = fc.constantFrom('pseudonymous' as const, 'anonymous' as const);
const zk = fc.record({
  root: bytes(32),
  nullifier: bytes(32),
  epoch: u64,
  index: fc.integer({ min: 0, max: 255 }),
  pseudonymNonce: u64,
  proof: bytes(256),
});
/** Every payload kind with random fields (the codec round-trips all of them). */
export const arbPayload: fc.Arbitrary<TxPayload> = fc.oneof(
  fc.record({ kind: fc.constant('transfer' as const), to: bytes(32), amount: u64 }),
  fc.record({ kind: fc.constant('createCommunity' as const), name }),
  fc.record({ kind: fc.constant('createPost' as const), community: name, content }),
  fc.record({ kind: fc.constant('reply' as const), parent: bytes(32), content }),
  fc.record({
    kind: fc.constant('vote' as const),
    post: bytes(32),
    direction: fc.constantFrom('up' as const, 'down' as const),
  }),
  fc.record({ kind: fc.constant('updateProfile' as const), content }),
  fc.record({ kind: fc.constant('flag' as const), post: bytes(32) }),
  fc.record({ kind: fc.constant('boostBid' as const), post: bytes(32), window: u64, amount: u64 }),
  fc.record({
    kind: fc.constant('createBounty' as const),
    community: name,
    content,
    amount: u64,
    deadline: u64,
    minReputation: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    newcomerOnly: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('answerBounty' as const), bounty: bytes(32), content }),
  fc.record({ kind: fc.constant('acceptAnswer' as const), bounty: bytes(32), answer: bytes(32) }),
  fc.record({ kind: fc.constant('commitPost' as const), commitment: bytes(32) }),
  fc.record({
    kind: fc.constant('revealPost' as const),
    community: fc.oneof(fc.constant(''), name),
    parent: bytes(32),
    content,
    salt: bytes(32),
  }),
  fc.record({ kind: fc.constant('zkPost' as const), mode, community: name, content, zk }),
  fc.record({ kind: fc.constant('zkReply' as const), mode, parent: bytes(32), content, zk }),
);
