import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  decodeTransaction,
  encodeTransaction,
  importPublicKey,
  txId,
  validateTransaction,
  verifyEd25519,
} from '@moltbook/rollup';
import {
  commitDeposit,
  INITIAL_BASE_FEE,
  MOLT,
  postIdOf,
  revealCommitment,
  TX_VERSION,
  txFee,
  txMaxCharge,
  txSigningMessage,
  U64_MAX,
} from '@moltbook/rollup/verify';
import fc from 'fast-check';
// The node's own signer-key cache, so the node's edge validation checks the SDK's bytes.
import { SignerKeyCache } from '../../rollup/src/tx/signerKeyCache.ts';
import {
  acceptAnswerTx,
  answerBountyTx,
  boostBidTx,
  type CreateTransactionReturnType,
  commitPostTx,
  createBountyTx,
  createCommunityTx,
  createPostTx,
  createTransaction,
  createTransfer,
  defaultMaxFee,
  flagTx,
  generateSignerKey,
  InvalidContentError,
  InvalidParameterError,
  nextBoostWindow,
  parseContent,
  replyTx,
  revealPostTx,
  type TxOptions,
  type TxPayload,
  updateProfileTx,
  voteTx,
} from '../src/index.ts';

const alice = generateSignerKey();
const bob = generateSignerKey();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const POST = 'ab'.repeat(32);
const ANSWER = 'cd'.repeat(32);
const keys = new SignerKeyCache();

interface Case {
  readonly name: string;
  readonly kind: TxPayload['kind'];
  readonly build: (o: TxOptions) => CreateTransactionReturnType;
  /** The body type the content carries, when the transaction references one. */
  readonly contentType?: string;
  /** The transaction creates a post (postId = postIdOf(txId)). */
  readonly createsPost?: boolean;
}

const commitThread = (o: TxOptions) =>
  commitPostTx({ ...o, community: 'general', content: { title: 'Later', body: 'revealed soon' } });

const CASES: readonly Case[] = [
  {
    name: 'createPostTx',
    kind: 'createPost',
    contentType: 'post',
    createsPost: true,
    build: (o) =>
      createPostTx({
        ...o,
        community: 'general',
        content: { title: 'Hello', body: 'First post', tags: ['intro'] },
      }),
  },
  {
    name: 'replyTx',
    kind: 'reply',
    contentType: 'reply',
    createsPost: true,
    build: (o) => replyTx({ ...o, parent: POST, content: { body: 'Welcome!' } }),
  },
  {
    name: 'voteTx',
    kind: 'vote',
    build: (o) => voteTx({ ...o, post: POST, direction: 'down' }),
  },
  {
    name: 'createCommunityTx',
    kind: 'createCommunity',
    build: (o) => createCommunityTx({ ...o, name: 'rust-lang' }),
  },
  {
    name: 'updateProfileTx',
    kind: 'updateProfile',
    contentType: 'profile',
    build: (o) => updateProfileTx({ ...o, content: { name: 'Alice', body: 'I answer Rust.' } }),
  },
  { name: 'flagTx', kind: 'flag', build: (o) => flagTx({ ...o, post: POST }) },
  {
    name: 'boostBidTx',
    kind: 'boostBid',
    build: (o) => boostBidTx({ ...o, post: POST, window: 7n, amount: 2n * MOLT }),
  },
  {
    name: 'createBountyTx',
    kind: 'createBounty',
    contentType: 'question',
    createsPost: true,
    build: (o) =>
      createBountyTx({
        ...o,
        community: 'general',
        content: { title: 'Why?', body: 'Explain.' },
        amount: 3n * MOLT,
        deadline: 500_000n,
        minReputation: 10,
        newcomerOnly: true,
      }),
  },
  {
    name: 'answerBountyTx',
    kind: 'answerBounty',
    contentType: 'answer',
    createsPost: true,
    build: (o) => answerBountyTx({ ...o, bounty: POST, content: { body: 'Because.' } }),
  },
  {
    name: 'acceptAnswerTx',
    kind: 'acceptAnswer',
    build: (o) => acceptAnswerTx({ ...o, bounty: POST, answer: ANSWER }),
  },
  { name: 'commitPostTx', kind: 'commitPost', build: commitThread },
  {
    name: 'revealPostTx',
    kind: 'revealPost',
    contentType: 'post',
    createsPost: true,
    build: (o) => revealPostTx({ ...o, reveal: commitThread({ ...o, nonce: 0n }).reveal }),
  },
  {
    name: 'createTransaction (transfer)',
    kind: 'transfer',
    build: (o) =>
      createTransaction({
        ...o,
        payload: {
          kind: 'transfer',
          to: Uint8Array.from(Buffer.from(bob.publicKeyHex, 'hex')),
          amount: 5n,
        },
      }),
  },
];

describe('transaction builders', () => {
  for (const c of CASES) {
    it(`${c.name}: round-trips through the rollup codec, signed by the key`, () => {
      const tx = c.build({ key: alice, nonce: 7n, shard: 3 });
      const decoded = decodeTransaction(tx.transaction);
      assert.deepEqual(decoded, tx.signed);
      assert.deepEqual(encodeTransaction(decoded), tx.transaction);
      assert.equal(decoded.version, TX_VERSION);
      assert.equal(decoded.shard, 3);
      assert.equal(decoded.nonce, 7n);
      assert.equal(hex(decoded.sender), alice.publicKeyHex);
      assert.equal(decoded.payload.kind, c.kind);
      assert.ok(
        verifyEd25519(
          importPublicKey(decoded.sender),
          txSigningMessage(decoded),
          decoded.signature,
        ),
      );
      assert.equal(tx.id, hex(txId(tx.transaction)));

      const withContent = tx as Partial<{ content: Uint8Array; contentHash: string }>;
      if (c.contentType === undefined) {
        assert.equal(withContent.content, undefined);
      } else {
        assert.ok('content' in decoded.payload);
        const ref = decoded.payload.content;
        const content = withContent.content as Uint8Array;
        assert.equal(ref.size, content.length);
        assert.equal(hex(ref.hash), createHash('sha256').update(content).digest('hex'));
        assert.equal(withContent.contentHash, hex(ref.hash));
        assert.equal(parseContent(content).type, c.contentType);
      }
      const postId = (tx as Partial<{ postId: string }>).postId;
      if (c.createsPost) assert.equal(postId, hex(postIdOf(txId(tx.transaction))));
      else assert.equal(postId, undefined);
    });
  }

  it("every builder's default max fee passes the node's edge validation at the base fee given", () => {
    for (const baseFee of [INITIAL_BASE_FEE, 1n, 299n, 12_345_678n]) {
      for (const c of CASES) {
        const tx = c.build({ key: alice, nonce: 0n, baseFee });
        const v = validateTransaction(tx.transaction, {
          shard: 0,
          baseFee,
          account: () => ({ nonce: 0n, balance: U64_MAX }),
          keys,
        });
        assert.equal(
          v.kind,
          'valid',
          `${c.name} at B = ${baseFee}: ${v.kind === 'rejected' ? v.reason : ''}`,
        );
        assert.equal(tx.fee, txMaxCharge(tx.signed.payload, baseFee));
      }
    }
  });

  it('the default max fee covers one slot of the largest rise (§10.5: B × 1.5), not more', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: 12 }),
        (b, i) => {
          const c = CASES[i] as Case;
          const tx = c.build({ key: alice, nonce: 0n, baseFee: b });
          const risen = (b * 3n) / 2n;
          assert.equal(tx.maxFee, defaultMaxFee(tx.signed.payload, b));
          assert.ok(tx.maxFee >= txFee(tx.signed.payload, risen));
          const edge = (baseFee: bigint) =>
            validateTransaction(tx.transaction, {
              shard: 0,
              baseFee,
              account: () => ({ nonce: 0n, balance: U64_MAX }),
              keys,
            }).kind;
          assert.equal(edge(risen), 'valid');
          // Well past one slot's rise the node refuses it, unless the action costs nothing.
          if (txMaxCharge(tx.signed.payload, b * 3n) > tx.maxFee)
            assert.equal(edge(b * 3n), 'rejected');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('default max fees at the genesis base fee (100,000 µMOLT)', () => {
    const o = { key: alice, nonce: 0n };
    assert.equal(voteTx({ ...o, post: POST, direction: 'up' }).maxFee, 1_500n); // 1 % × 150,000
    assert.equal(voteTx({ ...o, post: POST, direction: 'down' }).maxFee, 7_500n); // 5 %
    assert.equal(createCommunityTx({ ...o, name: 'abc' }).maxFee, 150_000_000n); // 1,000 × B
    // Accepting is free when it succeeds (§10.2), but a failed accept pays the failure fee (1 %).
    assert.equal(acceptAnswerTx({ ...o, bounty: POST, answer: ANSWER }).maxFee, 1_500n);
    const post = createPostTx({ ...o, community: 'abc', content: { title: 't', body: 'b' } });
    // 150,000 + storage (1 µMOLT/byte × 30 days, not padded).
    assert.equal(post.maxFee, 150_000n + BigInt(post.content.length));
    const kept = createPostTx({
      ...o,
      community: 'abc',
      content: { title: 't', body: 'b' },
      storage: 'permanent',
    });
    assert.equal(kept.maxFee, 150_000n + 120n * BigInt(kept.content.length));
    assert.equal(
      createTransfer({ key: alice, to: bob.publicKeyHex, amount: 1n, nonce: 0n }).length,
      158,
    );
  });

  it('takes an explicit max fee, and refuses one below the fee at an explicit base fee', () => {
    const o = { key: alice, nonce: 0n, post: POST, direction: 'up' } as const;
    assert.equal(voteTx({ ...o, maxFee: 1_000n }).maxFee, 1_000n);
    assert.equal(voteTx({ ...o, maxFee: 999n }).maxFee, 999n, 'B may have fallen: no check');
    assert.throws(() => voteTx({ ...o, maxFee: 999n, baseFee: INITIAL_BASE_FEE }), /maxFee/);
    assert.throws(() => voteTx({ ...o, maxFee: U64_MAX + 1n }), InvalidParameterError);
  });

  it('commit-reveal: the reveal hashes to the commitment, and the commit escrows 2 × the post fee', () => {
    const salt = '11'.repeat(32);
    const commit = commitPostTx({
      key: alice,
      nonce: 0n,
      baseFee: 200_000n,
      community: 'general',
      content: { title: 'T', body: 'B' },
      salt,
    });
    const p = commit.signed.payload;
    assert.ok(p.kind === 'commitPost');
    assert.equal(hex(p.commitment), commit.commitment);
    assert.equal(
      hex(revealCommitment(Buffer.from(alice.publicKeyHex, 'hex'), commit.reveal.payload)),
      commit.commitment,
    );
    assert.equal(commit.value, commitDeposit(200_000n));
    assert.equal(commit.value, 400_000n);
    assert.equal(hex(commit.reveal.payload.salt), salt);
    assert.equal(
      commitPostTx({
        key: alice,
        nonce: 0n,
        community: 'general',
        content: { title: 'T', body: 'B' },
        salt,
      }).commitment,
      commit.commitment,
      'same salt, same commitment',
    );
    assert.notEqual(
      commitThread({ key: alice, nonce: 0n }).commitment,
      commitThread({ key: alice, nonce: 0n }).commitment,
      'a fresh random salt each time',
    );

    const reveal = revealPostTx({ key: alice, nonce: 1n, reveal: commit.reveal });
    assert.equal(reveal.commitment, commit.commitment);
    assert.deepEqual(reveal.signed.payload, commit.reveal.payload);
    assert.deepEqual(reveal.content, commit.reveal.content);

    // A reply: community '' and the parent; the body is a reply.
    const r = commitPostTx({ key: alice, nonce: 0n, parent: POST, content: { body: 'x' } });
    assert.equal(r.reveal.payload.community, '');
    assert.equal(hex(r.reveal.payload.parent), POST);
    assert.equal(parseContent(r.reveal.content).type, 'reply');

    // Another key's reveal does not match the commitment: the node would not find it.
    assert.notEqual(
      revealPostTx({ key: bob, nonce: 0n, reveal: commit.reveal }).commitment,
      commit.commitment,
    );
  });

  it('nextBoostWindow: bids are for the window after the current slot', () => {
    assert.equal(nextBoostWindow(0), 1n);
    assert.equal(nextBoostWindow(8_999), 1n);
    assert.equal(nextBoostWindow(9_000n), 2n);
  });

  it('refuses bad inputs with InvalidParameterError before signing', () => {
    const o = { key: alice, nonce: 0n };
    const body = { title: 't', body: 'b' };
    const other = generateKeyPairSync('ed25519').privateKey;
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const bad: [string, () => unknown, RegExp][] = [
      ['nonce', () => voteTx({ ...o, nonce: -1n, post: POST, direction: 'up' }), /nonce/],
      [
        'nonce type',
        () => voteTx({ ...o, nonce: 1 as unknown as bigint, post: POST, direction: 'up' }),
        /nonce/,
      ],
      ['shard', () => flagTx({ ...o, shard: 2 ** 32, post: POST }), /shard/],
      [
        'key mismatch',
        () => flagTx({ key: { ...alice, privateKey: other }, nonce: 0n, post: POST }),
        /key.publicKeyHex/,
      ],
      [
        'not ed25519',
        () => flagTx({ key: { ...alice, privateKey: p256 }, nonce: 0n, post: POST }),
        /key.privateKey/,
      ],
      ['baseFee', () => flagTx({ ...o, baseFee: -1n, post: POST }), /baseFee/],
      ['post id', () => voteTx({ ...o, post: 'ab', direction: 'up' }), /post/],
      ['post id bytes', () => flagTx({ ...o, post: new Uint8Array(31) }), /post/],
      ['direction', () => voteTx({ ...o, post: POST, direction: 'sideways' as 'up' }), /direction/],
      ['community', () => createPostTx({ ...o, community: 'General', content: body }), /community/],
      ['community dash', () => createCommunityTx({ ...o, name: '-ab' }), /name/],
      ['community short', () => createCommunityTx({ ...o, name: 'ab' }), /name/],
      [
        'storage',
        () => createPostTx({ ...o, community: 'abc', content: body, storage: 'forever' as 'year' }),
        /storage/,
      ],
      [
        'parent',
        () => replyTx({ ...o, parent: 'zz'.repeat(32), content: { body: 'b' } }),
        /parent/,
      ],
      ['boost amount 0', () => boostBidTx({ ...o, post: POST, window: 1n, amount: 0n }), /amount/],
      ['boost window', () => boostBidTx({ ...o, post: POST, window: -1n, amount: 1n }), /window/],
      [
        'bounty < 1 MOLT',
        () =>
          createBountyTx({
            ...o,
            community: 'abc',
            content: body,
            amount: MOLT - 1n,
            deadline: 10n,
          }),
        /amount/,
      ],
      [
        'newcomer > 5 MOLT',
        () =>
          createBountyTx({
            ...o,
            community: 'abc',
            content: body,
            amount: 5n * MOLT + 1n,
            deadline: 10n,
            newcomerOnly: true,
          }),
        /amount/,
      ],
      [
        'deadline max',
        () =>
          createBountyTx({
            ...o,
            community: 'abc',
            content: body,
            amount: MOLT,
            deadline: U64_MAX,
          }),
        /deadline/,
      ],
      [
        'minReputation',
        () =>
          createBountyTx({
            ...o,
            community: 'abc',
            content: body,
            amount: MOLT,
            deadline: 10n,
            minReputation: -1,
          }),
        /minReputation/,
      ],
      [
        'accept answer',
        () => acceptAnswerTx({ ...o, bounty: POST, answer: 1 as unknown as string }),
        /answer/,
      ],
      ['commit neither', () => commitPostTx({ ...o, content: body }), /community/],
      [
        'commit both',
        () => commitPostTx({ ...o, community: 'abc', parent: POST, content: body }),
        /community/,
      ],
      [
        'commit salt',
        () => commitPostTx({ ...o, community: 'abc', content: body, salt: '00' }),
        /salt/,
      ],
      ['reveal junk', () => revealPostTx({ ...o, reveal: {} as never }), /reveal/],
      [
        'reveal tampered',
        () => {
          const c = commitThread(o);
          const content = Uint8Array.from(c.reveal.content);
          content[2] = (content[2] as number) ^ 1;
          return revealPostTx({ ...o, reveal: { ...c.reveal, content } });
        },
        /reveal.content/,
      ],
      [
        'raw payload',
        () => createTransaction({ ...o, payload: { kind: 'flag', post: new Uint8Array(5) } }),
        /payload/,
      ],
      [
        'raw kind',
        () => createTransaction({ ...o, payload: { kind: 'nope' } as unknown as TxPayload }),
        /payload/,
      ],
      ['transfer to', () => createTransfer({ ...o, to: 'xyz', amount: 1n }), /to/],
      [
        'transfer amount',
        () => createTransfer({ ...o, to: bob.publicKeyHex, amount: -1n }),
        /amount/,
      ],
    ];
    for (const [what, thunk, message] of bad) {
      assert.throws(thunk, (err: unknown) => {
        assert.ok(err instanceof InvalidParameterError, `${what}: ${err}`);
        assert.match(err.shortMessage, message, what);
        return true;
      });
    }
  });

  it('refuses a body the schema refuses, per builder type, with InvalidContentError', () => {
    const o = { key: alice, nonce: 0n };
    const bad: [() => unknown, string][] = [
      [
        () => createPostTx({ ...o, community: 'abc', content: { body: 'no title' } as never }),
        'title',
      ],
      [
        () =>
          createBountyTx({
            ...o,
            community: 'abc',
            content: { title: '', body: 'b' },
            amount: MOLT,
            deadline: 9n,
          }),
        'title',
      ],
      [() => replyTx({ ...o, parent: POST, content: {} as never }), 'body'],
      [
        () => answerBountyTx({ ...o, bounty: POST, content: { body: 'b', name: 'x' } as never }),
        'name',
      ],
      [() => updateProfileTx({ ...o, content: { name: 'x'.repeat(65) } }), 'name'],
      [() => replyTx({ ...o, parent: POST, content: { body: 'b', tags: ['UPPER'] } }), 'tags[0]'],
      [() => replyTx({ ...o, parent: POST, content: 'text' as never }), 'content'],
    ];
    for (const [thunk, field] of bad) {
      assert.throws(thunk, (err: unknown) => {
        if (field === 'content') return err instanceof InvalidParameterError;
        assert.ok(err instanceof InvalidContentError, String(err));
        assert.equal(err.field, field);
        assert.equal(err.reason, 'content.schema');
        return true;
      });
    }
    // The builder sets the type: a `type` smuggled in the fields is overridden.
    const r = replyTx({ ...o, parent: POST, content: { body: 'b', type: 'post' } as never });
    assert.equal(parseContent(r.content).type, 'reply');
  });
});
