import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { bytesToBase64 } from '../src/protocol/index.ts';
import type { ListMessagesResponse } from '../src/protocol/wireTypes.ts';
import { TestDevice } from './helpers/keys.ts';
import { Harness } from './helpers/relayHarness.ts';

/**
 * The relay sees only what clients send it. Here clients encrypt with AES-256-GCM under a key the
 * relay never sees; every ciphertext starts with a marker so the test can find it in the file.
 */
const MARKER = Buffer.from('MOLTDM-CIPHERTEXT-MARKER');
const key = randomBytes(32);
function encrypt(plaintext: string): Uint8Array {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]);
  return new Uint8Array(Buffer.concat([MARKER, iv, body]));
}

const PLAINTEXTS = [
  'meet me at the north gate at 23:15 — PLAINTEXT-ALPHA',
  'the vault code is 7431-9902 PLAINTEXT-BRAVO',
  'attachment: quarterly numbers PLAINTEXT-CHARLIE',
  'link bundle: sender keys for every conversation PLAINTEXT-DELTA',
];

function storedBytes(dbPath: string): Buffer {
  return Buffer.concat(
    [dbPath, `${dbPath}-wal`, `${dbPath}-shm`].filter(existsSync).map((f) => readFileSync(f)),
  );
}

let h: Harness;
before(async () => {
  h = await Harness.start();
});
after(() => h.destroy());

describe('the relay stores no plaintext', () => {
  it('the database file holds the ciphertexts verbatim and none of the plaintexts', async () => {
    const alice = await h.register();
    const bob = await h.register();
    const conv = await h.conversation(alice, [bob]);
    const sent: Uint8Array[] = [];
    for (const [i, text] of PLAINTEXTS.slice(0, 2).entries()) {
      const ct = encrypt(text);
      sent.push(ct);
      const r = await h.signed(alice, 'POST', '/messages', {
        conversationId: conv,
        clientMessageId: `secret-${i}`,
        items: [{ toDeviceId: bob.id, type: 'ratchet', ciphertext: bytesToBase64(ct) }],
      });
      assert.equal(r.status, 201);
    }
    const attachment = encrypt(PLAINTEXTS[2] as string);
    sent.push(attachment);
    assert.equal((await h.signed(alice, 'POST', '/attachments', attachment)).status, 201);

    // Pairing: the link bundle is ciphertext too.
    const init = (await h.signed(bob, 'POST', '/pair/init', {})).json as { token: string };
    const browser = new TestDevice();
    await h.raw('POST', '/pair/request', {
      body: {
        token: init.token,
        name: 'Laptop',
        device: { signingKey: bytesToBase64(browser.signingKey), ...browser.keys() },
      },
    });
    const bundle = encrypt(PLAINTEXTS[3] as string);
    sent.push(bundle);
    const approve = await h.signed(bob, 'POST', '/pair/approve', {
      token: init.token,
      certificate: bob.certify(bob.id, browser),
      linkBundle: bytesToBase64(bundle),
    });
    assert.equal(approve.status, 200);

    // The recipient gets back exactly the bytes that were sent.
    const got = (await h.signed(bob, 'GET', '/messages')).json as ListMessagesResponse;
    const received = got.messages.flatMap((m) => (m.type === 'system' ? [] : [m.ciphertext]));
    assert.deepEqual(received, sent.slice(0, 2).map(bytesToBase64));

    for (const phase of ['running', 'closed'] as const) {
      if (phase === 'closed') await h.stop();
      const bytes = storedBytes(h.dbPath);
      // The test can fail: what the clients sent is there, verbatim (not re-encoded).
      for (const ct of sent)
        assert.ok(bytes.includes(Buffer.from(ct)), `${phase}: ciphertext stored verbatim`);
      for (const text of PLAINTEXTS) {
        for (const form of [
          Buffer.from(text),
          Buffer.from(text).toString('base64'),
          text.split(' ').at(-1) as string,
        ]) {
          assert.equal(
            bytes.includes(form),
            false,
            `${phase}: found plaintext ${String(form).slice(0, 30)}`,
          );
        }
      }
    }
    await h.open();
  });
});
