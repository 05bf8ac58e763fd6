import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian's `chromium` package puts the browser binary. */
export const CHROMIUM_PATH = '/usr/lib/chromium/chromium';

/** Launch flags for headless Chromium in CI containers (../shared/TOOLCHAIN.md, "Browser tests"). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function log(line: string): void {
  process.stderr.write(`[chromium] ${line}\n`);
}

function aptGet(args: readonly string[]): number {
  const root = process.getuid?.() === 0;
  const cmd = root ? 'apt-get' : 'sudo';
  const argv = root ? [...args] : ['-n', 'apt-get', ...args];
  log(`$ ${cmd} ${argv.join(' ')}`);
  const r = spawnSync(cmd, argv, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.error !== undefined) log(`could not run ${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

/**
 * The Chromium binary, installed from Debian's packages first when it is missing (a clean CI
 * machine: `playwright install` cannot download browsers there). Throws — never skips — with
 * what to do when the installation fails.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  log(`${CHROMIUM_PATH} is missing: installing the Debian package "chromium" (~480 MB)…`);
  let status = aptGet(['install', '-y', 'chromium']);
  if (status !== 0) {
    log('install failed; refreshing the package lists and trying again…');
    aptGet(['update']);
    status = aptGet(['install', '-y', 'chromium']);
  }
  if (status !== 0 || !existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is required for the web tests and could not be installed (apt-get exit ${status}). ` +
        'Install it as root with `apt-get install -y chromium`, then run the tests again.',
    );
  }
  log('installed.');
  return CHROMIUM_PATH;
}
