import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { peerIdOfValidator } from '../../src/p2p/createP2pNode.ts';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'molt-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function runSync(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
}

/** Resolves with the first stdout line matching `re`, collecting everything printed. */
function waitForLine(child: ChildProcess, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = buf.match(re);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before printing ${re}: ${buf}`)));
  });
}

describe('moltbook-node CLI', () => {
  it('an unknown flag is a one-line error with usage, exit 2, no stack trace', () => {
    const r = runSync(['run', '--bogus']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^error: Unknown option '--bogus'/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('a port in use is a one-line error naming the flag, exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const r = runSync(['run', '--data-dir', join(dir, 'a'), '--rpc-port', String(port)]);
    blocker.close();
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      new RegExp(`^error: rollup RPC port ${port} is already in use; .*--rpc-port`),
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('bad --peer, --p2p-port and config keys are one-line errors, exit 2', () => {
    const peer = runSync(['run', '--peer', 'not-a-multiaddr']);
    assert.equal(peer.status, 2);
    assert.match(peer.stderr, /^error: --peer 'not-a-multiaddr' is not a multiaddr/);
    const port = runSync(['run', '--p2p-port', '70000']);
    assert.equal(port.status, 2);
    assert.match(port.stderr, /^error: --p2p-port must be an integer 0-65535/);
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ rpcPort: 1, bogus: true }));
    const unknown = runSync(['run', '--config', cfg]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^error: unknown config key 'bogus'/);
    for (const r of [peer, port, unknown]) assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('a --shard that is not the genesis shard is refused, exit 1', () => {
    const r = runSync(['run', '--data-dir', join(dir, 's'), '--shard', '7']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error: --shard 7, but the genesis is of shard 0/);
  });

  it('peer-id prints the libp2p id that follows from a validator key', () => {
    const out = join(dir, 'p.pem');
    const pub = runSync(['keygen', '--out', out]).stdout.trim();
    const r = runSync(['peer-id', '--key', out]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim(), peerIdOfValidator(Buffer.from(pub, 'hex')));
    assert.match(r.stdout, /^12D3KooW/);
  });

  it('keygen writes a 0600 key and refuses to overwrite it', () => {
    const out = join(dir, 'k.pem');
    const r = runSync(['keygen', '--out', out]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^[0-9a-f]{64}\n$/);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    assert.equal(runSync(['keygen', '--out', out]).status, 1);
  });

  it('run serves RPC, produces slots, and stops cleanly on SIGINT with exit 0', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'run', '--data-dir', join(dir, 'b'), '--rpc-port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const line = await waitForLine(child, /RPC (http:\/\/\S+)/);
    const url = line.slice(4);
    let slot: number | null = null;
    while (slot === null) {
      const res = await fetch(url, {
        method: 'POST',
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getSlot' }),
      });
      slot = ((await res.json()) as { result: number | null }).result;
    }
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const stopped = waitForLine(child, /stopped cleanly/);
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.equal(await stopped, 'stopped cleanly');
  });
});
