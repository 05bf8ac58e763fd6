import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { errorCode, Harness } from './helpers/relayHarness.ts';

const web = mkdtempSync(join(tmpdir(), 'moltdm-web-'));
const outside = mkdtempSync(join(tmpdir(), 'moltdm-outside-'));
writeFileSync(join(outside, 'secret.txt'), 'outside the web root');
writeFileSync(join(web, 'index.html'), '<!doctype html><title>root</title>');
mkdirSync(join(web, 'pair'));
writeFileSync(join(web, 'pair', 'index.html'), '<!doctype html><title>pair page</title>');
mkdirSync(join(web, 'assets'));
writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(web, 'assets', 'app.css'), 'body{}');
writeFileSync(join(web, 'assets', 'm.wasm'), new Uint8Array([0, 97, 115, 109]));
writeFileSync(join(web, '.env'), 'SECRET=1');
symlinkSync(join(outside, 'secret.txt'), join(web, 'assets', 'link.txt'));

let h: Harness;
before(async () => {
  h = await Harness.start({ staticDir: web });
});
after(async () => {
  await h.destroy();
  rmSync(web, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** Raw path, not normalised by a URL parser (for traversal attempts). */
function rawGet(path: string): Promise<{
  status: number;
  type: string | undefined;
  body: string;
  headers: Record<string, unknown>;
}> {
  const { hostname, port } = new URL(h.url);
  return new Promise((resolve, reject) => {
    request({ hostname, port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'],
          body: Buffer.concat(chunks).toString(),
          headers: res.headers,
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('health and metrics', () => {
  it('GET /health answers without authentication', async () => {
    const r = await h.raw('GET', '/health');
    assert.deepEqual([r.status, (r.json as { status: string }).status], [200, 'ok']);
  });

  it('GET /metrics is Prometheus text with the relay’s figures', async () => {
    const a = await h.register();
    const b = await h.register();
    const conv = await h.conversation(a, [b]);
    await h.signed(a, 'POST', '/messages', {
      conversationId: conv,
      clientMessageId: 'metric-1',
      items: [{ toDeviceId: b.id, type: 'ratchet', ciphertext: 'AAAA' }],
    });
    await h.raw('GET', '/nope');
    const r = await h.raw('GET', '/metrics');
    assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = String(r.json);
    assert.match(
      text,
      /moltbook_relay_http_requests_total\{route="POST \/messages",method="POST",status="201"\} 1/,
    );
    assert.match(
      text,
      /moltbook_relay_http_requests_total\{route="unmatched",method="GET",status="404"\} 1/,
    );
    assert.match(text, /moltbook_relay_messages_stored_total 1\n/);
    assert.match(text, /moltbook_relay_queue_depth_rows 3\n/); // 2 member_added + 1 message
    assert.match(text, /moltbook_relay_longpoll_waiters 0\n/);
    assert.match(text, /# TYPE moltbook_relay_rate_limit_rejections_total counter/);
    assert.match(text, /moltbook_relay_http_request_duration_seconds_count \d+/);
  });
});

describe('the web page hook (staticDir)', () => {
  it('serves /pair/<token> and /dm pages and their assets with the right types', async () => {
    const pair = await rawGet('/pair/ABCD2345');
    assert.deepEqual([pair.status, pair.type], [200, 'text/html; charset=utf-8']);
    assert.match(pair.body, /pair page/);
    assert.equal(
      pair.headers['referrer-policy'],
      'no-referrer',
      'the token never leaks in a Referer',
    );
    assert.match(String(pair.headers['content-security-policy']), /default-src 'self'/);
    const dm = await rawGet('/dm');
    assert.deepEqual([dm.status, dm.type], [200, 'text/html; charset=utf-8']);
    assert.match(dm.body, /root/, 'falls back to the root index.html');
    for (const [path, type] of [
      ['/assets/app.js', 'text/javascript; charset=utf-8'],
      ['/assets/app.css', 'text/css; charset=utf-8'],
      ['/assets/m.wasm', 'application/wasm'],
    ]) {
      const r = await rawGet(path as string);
      assert.deepEqual([r.status, r.type], [200, type], path);
    }
    // API routes still win over the page.
    const status = await rawGet('/pair/status/ABCD2345');
    assert.equal(JSON.parse(status.body).error.code, 'pair.token_not_found');
  });

  it('never serves a file outside the directory, a dotfile or a symlink leading out', async () => {
    for (const path of [
      '/../../etc/passwd',
      '/assets/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/assets/..%5c..%5cetc%5cpasswd',
      '/.env',
      '/assets/link.txt',
      '/assets/%00app.js',
      '/%E0%A4%A',
    ]) {
      const r = await rawGet(path);
      assert.equal(r.status, 404, path);
      assert.doesNotMatch(r.body, /root:|SECRET|outside the web root/);
    }
  });

  it('without staticDir the page routes are plain 404s', async () => {
    const bare = await Harness.start();
    try {
      const r = await bare.raw('GET', '/pair/ABCD2345');
      assert.deepEqual([r.status, errorCode(r)], [404, 'request.not_found']);
    } finally {
      await bare.destroy();
    }
  });
});

describe('storage', () => {
  it('is one SQLite file in WAL mode with a versioned schema, and survives a restart', async () => {
    const a = await h.register();
    await h.stop();
    const db = new DatabaseSync(h.dbPath, { readOnly: true });
    assert.equal(
      (db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode,
      'wal',
    );
    assert.equal(
      (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version,
      1,
    );
    db.close();
    await h.open({ staticDir: web });
    assert.equal((await h.signed(a, 'GET', '/devices')).status, 200);
  });
});

describe('crash safety', () => {
  it('every message answered 201 is still there after the relay is killed with SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moltdm-crash-'));
    const cli = new URL('../src/cli.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, [cli, '--port', '0', '--db', join(dir, 'relay.db')], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const url = await new Promise<string>((resolve) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1] as string);
        });
      });
      // Drive the child with a harness pointed at its URL.
      const remote = await Harness.start();
      await remote.stop();
      remote.url = url;
      const a = await remote.register();
      const b = await remote.register();
      const conv = await remote.conversation(a, [b]);
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          remote.signed(a, 'POST', '/messages', {
            conversationId: conv,
            clientMessageId: `crash-${i}`,
            items: [{ toDeviceId: b.id, type: 'ratchet', ciphertext: 'AAAA' }],
          }),
        ),
      );
      assert.ok(answers.every((r) => r.status === 201));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      rmSync(remote.dir, { recursive: true, force: true });
      const again = await Harness.start({ dir });
      try {
        const list = (await again.signed(b, 'GET', '/messages?limit=500')).json as {
          messages: { type: string }[];
        };
        assert.equal(list.messages.filter((m) => m.type === 'ratchet').length, 40);
      } finally {
        await again.stop();
      }
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the relay command', () => {
  const cli = new URL('../src/cli.ts', import.meta.url).pathname;
  const run = (args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const p = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      let killed = false;
      p.stdout.on('data', (d) => {
        out += d;
        if (out.includes('metrics') && !killed) {
          killed = true;
          p.kill('SIGTERM');
        }
      });
      p.stderr.on('data', (d) => {
        err += d;
      });
      p.on('exit', (code) => resolve({ code, out, err }));
    });

  it('validates its flags', async () => {
    for (const [args, message] of [
      [['--port', 'abc'], /--port must be 0-65535/],
      [['--port', '70000'], /--port must be 0-65535/],
      [['--db', '/no/such/dir/relay.db'], /does not exist/],
      [['--public-url', 'ftp://x'], /http or https/],
      [['--static', '/no/such/dir'], /not a directory/],
      [['--bogus'], /Unknown option/],
    ] as const) {
      const r = await run([...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, message);
      assert.match(r.err, /usage: relay/);
    }
  });

  it('starts, prints its URLs, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moltdm-cli-'));
    try {
      const r = await run([
        '--port',
        '0',
        '--db',
        join(dir, 'r.db'),
        '--public-url',
        'https://relay.example/',
      ]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /MoltDM relay listening on http:\/\/127\.0\.0\.1:\d+/);
      assert.match(r.out, /public URL {2}https:\/\/relay\.example\n/);
      assert.match(r.out, /pairing {5}https:\/\/relay\.example\/pair\/<token>/);
      assert.match(r.out, /health {6}http:\/\/127\.0\.0\.1:\d+\/health/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
