/**
 * `npm test [suite…]` — runs every test suite of the repository, one after the other (2 cores:
 * suites run their own tests in parallel), streams their output, and ends with one summary.
 * Exit status is non-zero when any test fails or any suite cannot run.
 */
import { spawn } from 'node:child_process';
import { parseArgs, stripVTControlCharacters } from 'node:util';
import { type Counts, parseCounts } from './lib/parseCounts.ts';
import { usageError } from './lib/usageError.ts';

interface Suite {
  readonly name: string;
  readonly cwd: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly runner: 'node' | 'hardhat' | 'forge';
}

const NODE_TEST = ['--test', '--test-reporter=spec', '--test-concurrency=2'];
const SUITES: readonly Suite[] = [
  {
    name: 'contracts-hardhat',
    cwd: '.',
    cmd: 'hardhat',
    args: ['test', 'nodejs'],
    runner: 'hardhat',
  },
  { name: 'contracts-forge', cwd: '.', cmd: 'forge', args: ['test'], runner: 'forge' },
  {
    name: 'rollup',
    cwd: 'rollup',
    cmd: process.execPath,
    args: [...NODE_TEST, 'test/**/*.test.ts'],
    runner: 'node',
  },
  {
    name: 'sdk',
    cwd: 'sdk',
    cmd: process.execPath,
    args: [...NODE_TEST, 'test/**/*.test.ts'],
    runner: 'node',
  },
  {
    name: 'relay',
    cwd: 'relay',
    cmd: process.execPath,
    args: [...NODE_TEST, 'test/**/*.test.ts'],
    runner: 'node',
  },
  {
    name: 'web',
    cwd: 'web',
    cmd: process.execPath,
    args: [...NODE_TEST, 'test/**/*.test.ts'],
    runner: 'node',
  },
  {
    name: 'circuits',
    cwd: 'circuits',
    cmd: process.execPath,
    args: [...NODE_TEST, 'test/**/*.test.ts'],
    runner: 'node',
  },
  {
    name: 'scripts',
    cwd: '.',
    cmd: process.execPath,
    args: [...NODE_TEST, 'test/scripts/**/*.test.ts'],
    runner: 'node',
  },
  {
    name: 'e2e',
    cwd: '.',
    cmd: process.execPath,
    args: [...NODE_TEST, 'test/e2e/**/*.test.ts'],
    runner: 'node',
  },
];

const { positionals } = (() => {
  try {
    return parseArgs({ allowPositionals: true, options: {} });
  } catch (err) {
    return usageError(`npm test: ${(err as Error).message}`, 'usage: npm test [suite…]');
  }
})();
const unknown = positionals.filter((p) => !SUITES.some((s) => s.name === p));
if (unknown.length > 0) {
  usageError(
    `npm test: unknown suite ${unknown.join(', ')}`,
    `suites: ${SUITES.map((s) => s.name).join(', ')}`,
  );
}
const selected =
  positionals.length === 0 ? SUITES : SUITES.filter((s) => positionals.includes(s.name));

function runSuite(s: Suite): Promise<{ code: number; output: string; seconds: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(s.cmd, s.args, {
      cwd: s.cwd,
      env: {
        ...process.env,
        FORCE_COLOR: process.env.CI === 'true' ? '0' : (process.env.FORCE_COLOR ?? '1'),
        // forge's CI profile runs 10,000 fuzz runs per test (foundry.toml).
        ...(process.env.CI === 'true' && process.env.FOUNDRY_PROFILE === undefined
          ? { FOUNDRY_PROFILE: 'ci' }
          : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const tee = (chunk: Buffer, to: NodeJS.WriteStream) => {
      output += chunk.toString('utf8');
      to.write(chunk);
    };
    child.stdout.on('data', (c: Buffer) => tee(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => tee(c, process.stderr));
    const done = (code: number) =>
      resolve({ code, output, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    child.on('error', (err) => {
      output += `\n${err.message}\n`;
      done(127);
    });
    child.on('close', (code, signal) => done(code ?? (signal === null ? 1 : 128)));
  });
}

const rows: { suite: string; counts: Counts; seconds: number; note: string }[] = [];
for (const s of selected) {
  process.stdout.write(
    `\n━━ ${s.name} ━━ ${[s.cmd === process.execPath ? 'node' : s.cmd, ...s.args].join(' ')}\n`,
  );
  const r = await runSuite(s);
  const counts = parseCounts(s.runner, stripVTControlCharacters(r.output));
  let note = '';
  if (counts === null) {
    rows.push({
      suite: s.name,
      counts: { passed: 0, failed: 1, skipped: 0 },
      seconds: r.seconds,
      note: `exit ${r.code}, no test report`,
    });
    continue;
  }
  if (r.code !== 0 && counts.failed === 0) {
    counts.failed = 1;
    note = `exit ${r.code}`;
  }
  if (counts.passed + counts.failed === 0) {
    counts.failed = 1;
    note = 'ran no test';
  }
  rows.push({ suite: s.name, counts, seconds: r.seconds, note });
}

const total = rows.reduce(
  (t, r) => ({
    passed: t.passed + r.counts.passed,
    failed: t.failed + r.counts.failed,
    skipped: t.skipped + r.counts.skipped,
  }),
  { passed: 0, failed: 0, skipped: 0 },
);
const w = Math.max(...rows.map((r) => r.suite.length), 5);
const out = [
  '',
  '━━ summary ━━',
  `${'suite'.padEnd(w)}  passed  failed  skipped     time`,
  ...rows.map(
    (r) =>
      `${r.suite.padEnd(w)}  ${String(r.counts.passed).padStart(6)}  ${String(r.counts.failed).padStart(6)}  ${String(r.counts.skipped).padStart(7)}  ${r.seconds.toFixed(1).padStart(6)} s${r.counts.failed > 0 ? '  ✖' : '  ✔'}${r.note ? `  (${r.note})` : ''}`,
  ),
  '',
  total.failed === 0 ? 'PASS' : 'FAIL',
  `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`,
];
process.stdout.write(`${out.join('\n')}\n`);
process.exit(total.failed === 0 && total.skipped === 0 ? 0 : 1);
