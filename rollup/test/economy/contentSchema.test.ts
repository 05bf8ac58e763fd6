import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ContentError,
  type ContentErrorCode,
  contentTypeFor,
  parseContent,
} from '../../src/economy/contentSchema.ts';
import { MAX_CONTENT_BYTES } from '../../src/params/economyParams.ts';
import type { ContentRef, TxPayload } from '../../src/tx/transaction.ts';

const enc = new TextEncoder();
const bytes = (x: unknown) => enc.encode(typeof x === 'string' ? x : JSON.stringify(x));

function refused(input: Uint8Array | unknown, code: ContentErrorCode, match?: RegExp): void {
  const b = input instanceof Uint8Array ? input : bytes(input);
  assert.throws(
    () => parseContent(b),
    (err: unknown) => {
      assert.ok(err instanceof ContentError, `a ContentError, not ${String(err)}`);
      assert.equal(err.code, code, err.message);
      if (match !== undefined) assert.match(err.message, match);
      return true;
    },
  );
}

describe('contentSchema: valid bodies (§14.2)', () => {
  it('takes a post, a reply, a question, an answer and a profile with every field they allow', () => {
    const post = {
      v: 1,
      type: 'post',
      title: 'Benchmarks of PoH on ARM',
      body: 'Numbers below.\n\n| cores | hashes/s |',
      tags: ['poh', 'arm64', 'bench-2'],
      lang: 'en',
      links: ['https://example.org/a?b=c#d'],
    };
    assert.deepEqual(parseContent(bytes(post)), post);
    assert.deepEqual(parseContent(bytes({ v: 1, type: 'reply', body: 'Agreed.' })), {
      v: 1,
      type: 'reply',
      body: 'Agreed.',
    });
    assert.deepEqual(
      parseContent(bytes({ v: 1, type: 'question', title: 'Why 400 ms?', body: '' })).title,
      'Why 400 ms?',
    );
    assert.equal(
      parseContent(bytes({ v: 1, type: 'answer', body: 'See §7.3.', lang: 'zh-Hant-TW' })).lang,
      'zh-Hant-TW',
    );
    assert.deepEqual(parseContent(bytes({ v: 1, type: 'profile', name: 'Ada' })), {
      v: 1,
      type: 'profile',
      name: 'Ada',
    });
  });

  it('returns only the fields given, in a fresh object', () => {
    const p = parseContent(bytes('{"body":"x","type":"reply","v":1}'));
    assert.deepEqual(Object.keys(p).sort(), ['body', 'type', 'v']);
  });

  it('counts code points, not UTF-16 units: 300 emoji make a valid title', () => {
    const title = '🦞'.repeat(300);
    assert.equal(parseContent(bytes({ v: 1, type: 'post', title, body: '' })).title, title);
    refused({ v: 1, type: 'post', title: `${title}a`, body: '' }, 'content.schema', /title/);
  });

  it('takes a body of exactly MAX_CONTENT_BYTES', () => {
    const head = '{"v":1,"type":"reply","body":"';
    const fill = 'a'.repeat(MAX_CONTENT_BYTES - head.length - 2);
    const b = enc.encode(`${head}${fill}"}`);
    assert.equal(b.length, MAX_CONTENT_BYTES);
    // 65,536 bytes hold more than 60,000 characters of body: the character limit bites first.
    refused(b, 'content.schema', /body/);
    const ok = enc.encode(`{"v":1,"type":"reply","body":"${'é'.repeat(30_000)}"}`);
    assert.equal(parseContent(ok).body?.length, 30_000);
  });

  it('contentTypeFor: the body type each content transaction takes', () => {
    const content: ContentRef = { hash: new Uint8Array(32), size: 1, storage: 'days30' };
    const zero = new Uint8Array(32);
    const one = new Uint8Array(32).fill(1);
    const cases: [TxPayload, string | null][] = [
      [{ kind: 'createPost', community: 'dev', content }, 'post'],
      [{ kind: 'reply', parent: one, content }, 'reply'],
      [
        {
          kind: 'createBounty',
          community: 'dev',
          content,
          amount: 1n,
          deadline: 1n,
          minReputation: 0,
          newcomerOnly: false,
        },
        'question',
      ],
      [{ kind: 'answerBounty', bounty: one, content }, 'answer'],
      [{ kind: 'updateProfile', content }, 'profile'],
      [{ kind: 'revealPost', community: 'dev', parent: zero, content, salt: one }, 'post'],
      [{ kind: 'revealPost', community: '', parent: one, content, salt: one }, 'reply'],
      [{ kind: 'vote', post: one, direction: 'up' }, null],
      [{ kind: 'transfer', to: one, amount: 1n }, null],
    ];
    for (const [p, t] of cases) assert.equal(contentTypeFor(p), t, p.kind);
  });

  it('checks the expected type', () => {
    const reply = bytes({ v: 1, type: 'reply', body: 'x' });
    assert.equal(parseContent(reply, 'reply').type, 'reply');
    assert.throws(() => parseContent(reply, 'post'), { code: 'content.schema' });
  });
});

describe('contentSchema: each violation has its code', () => {
  it('content.too_large: above MAX_CONTENT_BYTES, before anything is decoded', () => {
    refused(new Uint8Array(MAX_CONTENT_BYTES + 1).fill(0xff), 'content.too_large');
  });

  it('content.utf8: invalid UTF-8 (overlong, lone continuation, surrogate half, truncated)', () => {
    for (const b of [[0xc0, 0xaf], [0x80], [0xed, 0xa0, 0x80], [0x7b, 0xe2, 0x82]])
      refused(Uint8Array.from(b), 'content.utf8');
  });

  it('content.json: not JSON, empty, trailing garbage, a byte order mark', () => {
    for (const s of ['', '{', '{"v":1}x', "{'v':1}", 'NaN']) refused(enc.encode(s), 'content.json');
    refused(
      Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes({ v: 1, type: 'reply', body: 'x' })]),
      'content.json',
    );
  });

  it('content.schema: not an object', () => {
    for (const s of ['[]', '1', '"post"', 'null', 'true']) refused(enc.encode(s), 'content.schema');
  });

  it('content.schema: a duplicate key, also when spelled with escapes or nested', () => {
    refused('{"v":1,"type":"reply","body":"a","body":"b"}', 'content.schema', /duplicate/);
    refused('{"v":1,"type":"reply","body":"a","\\u0062ody":"b"}', 'content.schema', /duplicate/);
    refused(
      '{"v":1,"type":"reply","body":"a","tags":[{"x":1,"x":2}]}',
      'content.schema',
      /duplicate/,
    );
    // The same key in sibling objects, or a key-like string value, is no duplicate (then the
    // nested object is refused as a tag, which is a different message).
    refused(
      '{"v":1,"type":"reply","body":"body","tags":[{"x":1},{"x":2}]}',
      'content.schema',
      /tag/,
    );
    assert.equal(
      parseContent(bytes('{"v":1,"type":"reply","body":"\\"body\\":"}')).body,
      '"body":',
    );
  });

  it('content.schema: unknown fields, wrong version, unknown type', () => {
    refused({ v: 1, type: 'reply', body: 'x', extra: 1 }, 'content.schema', /unknown field/);
    refused('{"v":1,"type":"reply","body":"x","__proto__":{}}', 'content.schema', /unknown/);
    refused({ v: 2, type: 'reply', body: 'x' }, 'content.schema', /"v"/);
    refused({ v: '1', type: 'reply', body: 'x' }, 'content.schema', /"v"/);
    refused({ type: 'reply', body: 'x' }, 'content.schema', /"v"/);
    refused({ v: 1, type: 'poll', body: 'x' }, 'content.schema', /type/);
  });

  it('content.schema: title required (non-empty) for posts and questions, ≤ 300 characters', () => {
    refused({ v: 1, type: 'post', body: 'x' }, 'content.schema', /title/);
    refused({ v: 1, type: 'question', body: 'x' }, 'content.schema', /title/);
    refused({ v: 1, type: 'post', title: '', body: 'x' }, 'content.schema', /title/);
    refused({ v: 1, type: 'post', title: 7, body: 'x' }, 'content.schema', /title/);
    refused({ v: 1, type: 'post', title: 'a'.repeat(301), body: 'x' }, 'content.schema');
    refused({ v: 1, type: 'reply', title: 'a'.repeat(301), body: 'x' }, 'content.schema');
    // Optional elsewhere, and then any string within the limit.
    assert.equal(parseContent(bytes({ v: 1, type: 'reply', title: '', body: 'x' })).title, '');
  });

  it('content.schema: body required except for profiles, ≤ 60,000 characters, well-formed', () => {
    refused({ v: 1, type: 'reply' }, 'content.schema', /body/);
    refused({ v: 1, type: 'answer', body: null }, 'content.schema', /body/);
    refused({ v: 1, type: 'reply', body: 'a'.repeat(60_001) }, 'content.schema', /body/);
    refused('{"v":1,"type":"reply","body":"\\ud800"}', 'content.schema', /surrogate/);
    assert.equal(parseContent(bytes({ v: 1, type: 'profile' })).body, undefined);
  });

  it('content.schema: tags', () => {
    refused({ v: 1, type: 'reply', body: 'x', tags: 'poh' }, 'content.schema', /tags/);
    refused({ v: 1, type: 'reply', body: 'x', tags: ['Poh'] }, 'content.schema', /tag/);
    refused({ v: 1, type: 'reply', body: 'x', tags: [''] }, 'content.schema', /tag/);
    refused({ v: 1, type: 'reply', body: 'x', tags: ['a'.repeat(33)] }, 'content.schema', /tag/);
    const eleven = Array.from({ length: 11 }, (_, i) => `t${i}`);
    refused({ v: 1, type: 'reply', body: 'x', tags: eleven }, 'content.schema', /tags/);
    assert.equal(
      parseContent(bytes({ v: 1, type: 'reply', body: 'x', tags: eleven.slice(1) })).tags?.length,
      10,
    );
  });

  it('content.schema: lang', () => {
    for (const lang of ['e', 'en_US', 'en-', '-en', 'a'.repeat(17), 'en-toolongsubtag', 1])
      refused({ v: 1, type: 'reply', body: 'x', lang }, 'content.schema', /lang/);
  });

  it('content.schema: links are https, printable ASCII, ≤ 2,048 characters, no credentials', () => {
    const bad = [
      'http://example.org',
      'ftp://example.org',
      'javascript:alert(1)',
      'https://',
      'not a url',
      ' https://example.org',
      'https://exa mple.org',
      'https://example.org/\u0085',
      'https://example.org/\ud800',
      `https://example.org/${'a'.repeat(2_030)}`,
    ];
    for (const l of bad)
      refused({ v: 1, type: 'reply', body: 'x', links: [l] }, 'content.schema', /link/);
    refused({ v: 1, type: 'reply', body: 'x', links: 'https://a.example' }, 'content.schema');
    const ok = ['https://example.org/é', `https://example.org/${'a'.repeat(2_028)}`];
    assert.deepEqual(parseContent(bytes({ v: 1, type: 'reply', body: 'x', links: ok })).links, ok);
    const eleven = Array.from({ length: 11 }, (_, i) => `https://a.example/${i}`);
    refused({ v: 1, type: 'reply', body: 'x', links: eleven }, 'content.schema', /links/);
  });

  it('content.schema: name belongs to profiles, ≤ 64 characters', () => {
    refused(
      { v: 1, type: 'post', title: 't', body: 'x', name: 'Ada' },
      'content.schema',
      /profiles/,
    );
    refused({ v: 1, type: 'profile', name: 'a'.repeat(65) }, 'content.schema', /name/);
    refused({ v: 1, type: 'profile', name: 64 }, 'content.schema', /name/);
  });
});

describe('contentSchema: fuzz', () => {
  it('random bytes: a body or a ContentError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (b) => {
        try {
          parseContent(b);
        } catch (err) {
          assert.ok(err instanceof ContentError, String(err));
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('random JSON values and objects with schema-like keys: a body or a ContentError', () => {
    const key = fc.constantFrom('v', 'type', 'title', 'body', 'tags', 'lang', 'links', 'name', 'x');
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom('post', 'reply', 'question', 'answer', 'profile', 1, 'https://a.example'),
      fc.array(fc.string({ maxLength: 40 }), { maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(key, value)), (j) => {
        const b = bytes(JSON.stringify(j) ?? 'null');
        try {
          const p = parseContent(b);
          // What parses is what JSON.parse sees: no field was dropped or invented.
          const raw = JSON.parse(new TextDecoder().decode(b)) as Record<string, unknown>;
          assert.deepEqual(p, raw);
        } catch (err) {
          assert.ok(err instanceof ContentError, String(err));
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('JSON text with random duplicate keys is refused, and without them parses as JSON.parse does', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.boolean(),
        (keys, pick, dup) => {
          const pairs = keys.map((k, i) => `${JSON.stringify(k)}:${i}`);
          if (dup) pairs.push(`${JSON.stringify(keys[pick % keys.length])}:99`);
          const text = `{"v":1,"type":"reply","body":"x","tags":[{${pairs.join(',')}}]}`;
          assert.throws(
            () => parseContent(enc.encode(text)),
            (e: unknown) =>
              e instanceof ContentError &&
              e.code === 'content.schema' &&
              (dup ? /duplicate/.test(e.message) : /tag/.test(e.message)),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
