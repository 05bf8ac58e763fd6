import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { MAX_CONTENT_BYTES, parseContent as nodeParseContent } from '@moltbook/rollup/verify';
import fc from 'fast-check';
import {
  type ContentBody,
  encodeContent,
  InvalidContentError,
  InvalidParameterError,
  parseContent,
  validateContent,
} from '../src/index.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Asserts `thunk` throws InvalidContentError for `field` with `reason`. */
function refuses(thunk: () => unknown, field: string, reason = 'content.schema'): void {
  assert.throws(
    thunk,
    (err: unknown) => {
      assert.ok(err instanceof InvalidContentError, `${field}: ${err}`);
      assert.ok(err instanceof InvalidParameterError);
      assert.equal(err.field, field);
      assert.equal(err.reason, reason);
      return true;
    },
    `${field} (${reason}) not refused`,
  );
}

const arbTag = fc.stringMatching(/^[a-z0-9-]{1,32}$/);
const arbBody: fc.Arbitrary<ContentBody> = fc
  .record(
    {
      type: fc.constantFrom('post', 'reply', 'question', 'answer', 'profile' as const),
      title: fc.string({ minLength: 1, maxLength: 300, unit: 'grapheme' }),
      body: fc.string({ minLength: 1, maxLength: 400, unit: 'grapheme' }),
      tags: fc.array(arbTag, { maxLength: 10 }),
      lang: fc.constantFrom('en', 'pt-BR', 'zh-Hant-TW', 'de-CH-1996'),
      links: fc.array(fc.webUrl({ validSchemes: ['https'] }), { maxLength: 10 }),
      name: fc.string({ maxLength: 64, unit: 'grapheme' }),
    },
    { requiredKeys: ['type', 'title', 'body'] },
  )
  .map((r) => {
    const { name, ...rest } = r;
    const typed = { v: 1 as const, ...rest };
    // Titles fit every type; a name only a profile.
    return (r.type === 'profile' && name !== undefined ? { ...typed, name } : typed) as ContentBody;
  })
  .filter((b) => (b.title?.length ?? 0) <= 300 && (b.name?.length ?? 0) <= 64);

describe('encodeContent', () => {
  it('encodes canonical JSON: keys sorted, no whitespace, absent fields dropped', () => {
    const e = encodeContent({
      v: 1,
      type: 'post',
      title: 'Hello',
      body: 'World',
      tags: ['a', 'b-1'],
      lang: undefined,
    } as unknown as ContentBody);
    assert.equal(
      text(e.bytes),
      '{"body":"World","tags":["a","b-1"],"title":"Hello","type":"post","v":1}',
    );
    assert.equal(e.size, e.bytes.length);
    assert.equal(
      Buffer.from(e.hash).toString('hex'),
      createHash('sha256').update(e.bytes).digest('hex'),
    );
    assert.deepEqual(e.ref(), { hash: e.hash, size: e.size, storage: 'days30' });
    assert.equal(e.ref('permanent').storage, 'permanent');
    assert.deepEqual(Object.keys(e.body), ['body', 'tags', 'title', 'type', 'v']);
  });

  it('is canonical: equal bodies in any key order give equal bytes, and parse back', () => {
    fc.assert(
      fc.property(arbBody, fc.infiniteStream(fc.integer()), (body, seeds) => {
        const e = encodeContent(body);
        const it = seeds[Symbol.iterator]();
        const shuffled = Object.fromEntries(
          Object.entries(body)
            .map((kv) => [it.next().value as number, kv] as const)
            .sort((a, b) => a[0] - b[0])
            .map(([, kv]) => kv),
        ) as unknown as ContentBody;
        assert.deepEqual(encodeContent(shuffled).bytes, e.bytes);
        assert.deepEqual(parseContent(e.bytes), e.body);
        assert.deepEqual(encodeContent(parseContent(e.bytes)).bytes, e.bytes);
      }),
      { numRuns: 200 },
    );
  });

  it("accepts exactly what the node's parser accepts (differential, fast-check)", () => {
    // Random strings, lone surrogates, and each side of the limit in ASCII and in astral code
    // points (2 UTF-16 units each).
    const str = (limit: number) =>
      fc.oneof(
        fc.string({ maxLength: 40, unit: 'grapheme' }),
        fc.string({ maxLength: 4, unit: 'binary' }),
        fc.constant(''),
        fc.integer(),
        fc.constantFrom(
          'x'.repeat(limit),
          'x'.repeat(limit + 1),
          '😀'.repeat(limit),
          '😀'.repeat(limit + 1),
        ),
      );
    // A valid body with one field replaced by a candidate that may or may not be valid, so each
    // rule is tested on its own, with the rest of the body valid.
    const candidates: Record<string, fc.Arbitrary<unknown>> = {
      v: fc.constantFrom(1, 2, '1'),
      type: fc.constantFrom('post', 'reply', 'question', 'answer', 'profile', 'poll'),
      title: str(300),
      body: str(60_000),
      tags: fc.array(fc.oneof(arbTag, fc.string({ maxLength: 34 })), { maxLength: 11 }),
      lang: fc.oneof(
        fc.constantFrom('en', 'pt-BR', 'zh-Hant-TW', 'x', 'en-abcdefgh-abcd', 'en-abcdefgh-abcde'),
        fc.string({ maxLength: 18 }),
      ),
      links: fc.array(
        fc.oneof(
          fc.webUrl(),
          fc.webUrl({ validSchemes: ['https'] }),
          fc.string({ maxLength: 12 }),
          fc.constantFrom(`https://a.b/${'x'.repeat(2_036)}`, `https://a.b/${'x'.repeat(2_037)}`),
        ),
        { maxLength: 11 },
      ),
      name: str(64),
      extra: fc.constant(true),
    };
    const arb = fc
      .tuple(arbBody, fc.constantFrom(...Object.keys(candidates)))
      .chain(([base, field]) =>
        (candidates[field] as fc.Arbitrary<unknown>).map((value) => ({ ...base, [field]: value })),
      );
    fc.assert(
      fc.property(arb, (o) => {
        const accepts = (f: () => unknown) => {
          try {
            f();
            return true;
          } catch {
            return false;
          }
        };
        const bytes = new TextEncoder().encode(JSON.stringify(o));
        // validateContent's rules plus encodeContent's size bound, without encodeContent's own
        // final pass through the node's parser (which would make this hold trivially).
        const mine = accepts(() => validateContent(o)) && bytes.length <= MAX_CONTENT_BYTES;
        assert.equal(
          mine,
          accepts(() => nodeParseContent(bytes)),
        );
      }),
      { numRuns: 1_000 },
    );
  });

  it('takes every limit exactly', () => {
    const e = encodeContent({
      v: 1,
      type: 'question',
      title: 't'.repeat(300),
      body: 'b'.repeat(60_000),
      tags: Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(32, 'x')),
      lang: 'en-abcdefgh-abcd',
      links: Array.from({ length: 10 }, (_, i) => `https://example.com/${i}`),
    });
    assert.ok(e.size < MAX_CONTENT_BYTES);
    encodeContent({ v: 1, type: 'profile' });
    encodeContent({ v: 1, type: 'profile', name: 'n'.repeat(64), body: '' });
    encodeContent({ v: 1, type: 'reply', body: 'x', title: 'a title is optional here' });
    encodeContent({ v: 1, type: 'post', title: '😀'.repeat(300), body: 'ok' }); // code points
    encodeContent({ v: 1, type: 'answer', body: '' }); // present, may be empty
    encodeContent({ v: 1, type: 'reply', body: 'x', links: [`https://a.b/${'x'.repeat(2_036)}`] });
  });

  it('refuses what the §14.2 schema refuses, naming the field', () => {
    const post = { v: 1, type: 'post', title: 't', body: 'b' } as const;
    const cases: [unknown, string, string?][] = [
      [null, 'body'],
      ['text', 'body'],
      [[post], 'body'],
      [{ ...post, extra: 1 }, 'extra'],
      [{ ...post, v: 2 }, 'v'],
      [{ ...post, v: '1' }, 'v'],
      [{ ...post, type: 'poll' }, 'type'],
      [{ v: 1, type: 'post', body: 'b' }, 'title'],
      [{ v: 1, type: 'question', body: 'b' }, 'title'],
      [{ ...post, title: '' }, 'title'],
      [{ ...post, title: 't'.repeat(301) }, 'title'],
      [{ ...post, title: 7 }, 'title'],
      [{ ...post, title: '😀'.repeat(301) }, 'title'],
      [{ v: 1, type: 'reply' }, 'body'],
      [{ v: 1, type: 'answer', title: 'no body' }, 'body'],
      [{ ...post, body: 'b'.repeat(60_001) }, 'body'],
      [{ ...post, tags: 'a' }, 'tags'],
      [{ ...post, tags: Array(11).fill('a') }, 'tags'],
      [{ ...post, tags: ['ok', 'Upper'] }, 'tags[1]'],
      [{ ...post, tags: [''] }, 'tags[0]'],
      [{ ...post, tags: ['x'.repeat(33)] }, 'tags[0]'],
      [{ ...post, tags: ['under_score'] }, 'tags[0]'],
      [{ ...post, lang: 'en-abcdefgh-abcde' }, 'lang'],
      [{ ...post, lang: 'en_US' }, 'lang'],
      [{ ...post, lang: '' }, 'lang'],
      [{ ...post, links: [`https://a.b/${'x'.repeat(2_037)}`] }, 'links[0]'],
      [{ ...post, links: ['https://'] }, 'links[0]'],
      [{ ...post, links: Array(11).fill('https://a.b') }, 'links'],
      [{ ...post, links: ['http://a.b'] }, 'links[0]'],
      [{ ...post, links: ['not a url'] }, 'links[0]'],
      [{ ...post, links: [' https://a.b'] }, 'links[0]'],
      [{ ...post, links: ['https://a.b/x y'] }, 'links[0]'],
      [{ ...post, links: [42] }, 'links[0]'],
      [{ ...post, name: 'only in a profile' }, 'name'],
      [{ v: 1, type: 'profile', name: 'n'.repeat(65) }, 'name'],
      [{ ...post, body: 'a\uD800b' }, 'body'],
      [{ ...post, title: '\uDC00' }, 'title'],
    ];
    for (const [value, field, reason] of cases) {
      refuses(() => validateContent(value), field, reason);
      refuses(() => encodeContent(value as ContentBody), field, reason);
    }
  });

  it('refuses a body above 64 KiB encoded (content.too_large), though within 60,000 characters', () => {
    refuses(
      () => encodeContent({ v: 1, type: 'reply', body: 'é'.repeat(60_000) }),
      'body',
      'content.too_large',
    );
    refuses(() => parseContent(new Uint8Array(MAX_CONTENT_BYTES + 1)), 'body', 'content.too_large');
  });

  it('parseContent: strict UTF-8, then JSON, then the schema; any key order', () => {
    const bytes = new TextEncoder().encode('{"v":1,"type":"reply","body":"hi"}');
    assert.deepEqual(parseContent(bytes), { body: 'hi', type: 'reply', v: 1 });
    refuses(() => parseContent(Uint8Array.from([0x7b, 0xff, 0x7d])), 'body', 'content.utf8');
    refuses(() => parseContent(new TextEncoder().encode('{"v":1,')), 'body', 'content.json');
    refuses(() => parseContent(new TextEncoder().encode('{"v":1,"type":"reply"}')), 'body');
  });
});
