#!/usr/bin/env node
// The entry point of every root `npm` script. It must run on whatever Node the machine has
// (Debian's system Node 20 here), so it is plain ESM JavaScript without dependencies.
//
//   1. Node 22 from npm into toolchain/ (pinned by toolchain/package-lock.json).
//   2. `npm install` of the repository with npm itself running under that Node 22:
//      npm on Node 20 silently skips Hardhat's platform package and builds native modules for
//      the wrong Node (docs/TOOLCHAIN.md).
//   3. Runs the requested command (scripts/<command>.ts) under Node 22.
//
// Steps 1 and 2 are skipped when their stamp matches, so a second run costs milliseconds.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const TOOLCHAIN = join(ROOT, 'toolchain');
const NODE_BIN_DIR = join(TOOLCHAIN, 'node_modules', 'node', 'bin');
const NODE22 = join(NODE_BIN_DIR, 'node');
const INSTALL_STAMP = join(ROOT, 'node_modules', '.moltbook-install-stamp');
const COMMANDS = {
  start: 'scripts/start.ts',
  test: 'scripts/test.ts',
  lint: 'scripts/lint.ts',
  bench: 'bench/run.ts',
  setup: null,
};

const say = (msg) => process.stderr.write(`[setup] ${msg}\n`);

function fail(msg) {
  process.stderr.write(`error: ${msg}\n`);
  process.exit(1);
}

function pinnedNodeVersion() {
  const pkg = JSON.parse(readFileSync(join(TOOLCHAIN, 'package.json'), 'utf8'));
  return pkg.dependencies.node;
}

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

function envWithNode22() {
  const PATH = [NODE_BIN_DIR, join(ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(
    delimiter,
  );
  return { ...process.env, PATH };
}

function installedNodeVersion() {
  if (!existsSync(NODE22)) return null;
  const r = spawnSync(NODE22, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().replace(/^v/, '') : null;
}

function ensureNode22() {
  const want = pinnedNodeVersion();
  if (installedNodeVersion() === want) return;
  say(`installing Node ${want} from npm into toolchain/ (one time, ~10 s)…`);
  const code = run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: TOOLCHAIN,
  });
  if (code !== 0 || installedNodeVersion() !== want) {
    fail(
      `installing Node ${want} failed (npm exit ${code}); check that the npm registry is reachable`,
    );
  }
}

function installStamp() {
  const h = createHash('sha256');
  for (const f of ['package.json', 'package-lock.json']) {
    h.update(existsSync(join(ROOT, f)) ? readFileSync(join(ROOT, f)) : '');
  }
  h.update(pinnedNodeVersion());
  return h.digest('hex');
}

function ensureInstall() {
  if (existsSync(INSTALL_STAMP) && readFileSync(INSTALL_STAMP, 'utf8') === installStamp()) return;
  const fresh = !existsSync(join(ROOT, 'node_modules'));
  // `npm install`, not `npm ci`: npm 11.19 leaves other platforms' optional packages out of the
  // lockfile it writes and then `npm ci` refuses that same lockfile (npm/cli#8320). `npm install`
  // still installs exactly the locked version of every package this platform needs.
  say(
    fresh
      ? `npm install under Node ${pinnedNodeVersion()} (first run: ~1 min, compiles c-kzg)…`
      : `dependencies changed: npm install under Node ${pinnedNodeVersion()}…`,
  );
  const started = Date.now();
  const code = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: ROOT,
    env: envWithNode22(),
  });
  if (code !== 0) fail(`npm install failed (exit ${code}); see the npm output above`);
  // Stamped after the install, so a lockfile npm rewrote does not trigger another install.
  writeFileSync(INSTALL_STAMP, installStamp());
  say(`dependencies installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const [command, ...args] = process.argv.slice(2);
if (command === undefined || !Object.hasOwn(COMMANDS, command)) {
  fail(`unknown command '${command ?? ''}'; use one of: ${Object.keys(COMMANDS).join(', ')}`);
}

ensureNode22();
ensureInstall();

const script = COMMANDS[command];
if (script === null) process.exit(0);

// The child gets the terminal's signals itself (same process group); the parent only waits
// so that Ctrl-C ends with the child's own exit status (0 after a clean shutdown).
// `npm start` runs the MoltDM relay in-process; node:sqlite, its store, is still flagged
// experimental in Node 22, which Node would otherwise announce on every start.
const nodeFlags = command === 'start' ? ['--disable-warning=ExperimentalWarning'] : [];
const child = spawn(NODE22, [...nodeFlags, join(ROOT, script), ...args], {
  cwd: ROOT,
  env: envWithNode22(),
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    // A SIGTERM/SIGHUP sent to this process alone (not the group) must still reach the child.
    if (sig !== 'SIGINT') child.kill(sig);
  });
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal === null ? 1 : 128 + (signal === 'SIGINT' ? 2 : 15)));
});
