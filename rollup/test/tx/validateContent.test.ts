import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeContentMessage, encodeContentMessage } from '../../src/p2p/contentGossipCodec.ts';
import { MAX_CONTENT_BYTES } from '../../src/params/economyParams.ts';
import { MAX_TX_BYTES } from '../../src/params/txParams.ts';
import type { TxPayload } from '../../src/tx/transaction.ts';
import { validateContent } from '../../src/tx/validateContent.ts';
import { content } from '../helpers/economyTx.ts';

const reply = content({ v: 1, type: 'reply', body: 'ok' });
const parent = new Uint8Array(32).fill(1);
const payload = (c = reply): TxPayload => ({ kind: 'reply', parent, content: c.ref });

describe('validateContent (the body against its transaction’s ContentRef)', () => {
  it('takes the body the transaction references', () => {
    const v = validateContent(payload(), reply.bytes);
    assert.equal(v.kind, 'valid');
    assert.deepEqual(v.kind === 'valid' && v.body, { v: 1, type: 'reply', body: 'ok' });
  });

  it('says none for a payload without content, whatever the body', () => {
    assert.deepEqual(validateContent({ kind: 'vote', post: parent, direction: 'up' }, null), {
      kind: 'none',
    });
  });

  it('refuses in order: missing, size, hash, then the schema of the type', () => {
    const code = (p: TxPayload, b: Uint8Array | null) => {
      const v = validateContent(p, b);
      return v.kind === 'rejected' ? v.code : v.kind;
    };
    assert.equal(code(payload(), null), 'content.missing');
    assert.equal(code(payload(), new Uint8Array(reply.bytes.length + 1)), 'content.size_mismatch');
    assert.equal(code(payload(), new Uint8Array(reply.bytes.length)), 'content.hash_mismatch');
    const post = content({ v: 1, type: 'post', title: 't', body: 'b' });
    assert.equal(code(payload(post), post.bytes), 'content.schema', 'a post body for a reply');
    const bad = content('{"v":1');
    assert.equal(code(payload(bad), bad.bytes), 'content.json');
  });
});

describe('contentGossipCodec', () => {
  it('round-trips a transaction and its body', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: MAX_TX_BYTES }),
        fc.uint8Array({ minLength: 1, maxLength: 2_000 }),
        (tx, body) => {
          assert.deepEqual(decodeContentMessage(encodeContentMessage({ tx, body })), { tx, body });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses other versions, empty or oversized bodies, trailing bytes, any truncation', () => {
    const ok = encodeContentMessage({ tx: new Uint8Array(10), body: new Uint8Array(5) });
    const codeOf = (b: Uint8Array) => {
      try {
        decodeContentMessage(b);
        return 'ok';
      } catch (err) {
        return (err as { code: string }).code;
      }
    };
    assert.equal(codeOf(Uint8Array.of(2, ...ok.subarray(1))), 'codec.content_version');
    assert.equal(
      codeOf(encodeContentMessage({ tx: new Uint8Array(1), body: new Uint8Array() })),
      'codec.content_empty',
    );
    assert.equal(
      codeOf(
        encodeContentMessage({
          tx: new Uint8Array(1),
          body: new Uint8Array(MAX_CONTENT_BYTES + 1),
        }),
      ),
      'codec.too_long',
    );
    assert.equal(codeOf(Uint8Array.of(...ok, 0)), 'codec.trailing_bytes');
    for (let n = 0; n < ok.length; n++) assert.match(codeOf(ok.subarray(0, n)), /^codec\./);
  });
});
