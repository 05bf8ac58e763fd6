import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ensureWebBuilt } from '../build.ts';
import { type LocalRelay, startLocalRelay } from '../startLocalRelay.ts';

const WEB = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('web page build and serving', () => {
  let dir: string;
  let relay: LocalRelay;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'moltdm-webbuild-'));
    relay = await startLocalRelay({
      dataDir: join(dir, 'data'),
      webDir: join(dir, 'web'),
      port: 0,
    });
  });
  after(async () => {
    await relay.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the page sources typecheck against the DOM alone (no Node types reach the browser code)', () => {
    const tsc = join(WEB, '..', 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(WEB, 'tsconfig.json'), '--noEmit'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  });

  it('builds once and then only when a source changed', async () => {
    assert.equal(await ensureWebBuilt(join(dir, 'web')), false, 'startLocalRelay built it');
    const html = readFileSync(join(dir, 'web', 'pair', 'index.html'), 'utf8');
    assert.match(html, /<script type="module" src="\/assets\/pair\.js"><\/script>/);
    assert.doesNotMatch(html, /<script>/, 'no inline script: the relay’s CSP forbids it');
  });

  it('the relay serves /pair/<token>, /dm and the assets beside its API', async () => {
    const pair = await fetch(`${relay.pairUrlBase}ABCD2345`);
    assert.equal(pair.status, 200);
    assert.match(pair.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(await pair.text(), /Link this browser/);
    const dm = await fetch(relay.dmUrl);
    assert.equal(dm.status, 200);
    assert.match(await dm.text(), /\/assets\/dm\.js/);
    const js = await fetch(`${relay.url}/assets/dm.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    const meta = await fetch(`${relay.url}/.build.json`);
    assert.equal(meta.status, 404, 'the build’s own notes are not served');
    const health = await fetch(`${relay.url}/health`);
    assert.equal(health.status, 200);
  });
});
