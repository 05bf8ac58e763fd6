import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';

/*
 * Runs in a child process: a leaked worker thread keeps a process alive forever, and in this
 * test process it would hang the run before node:test reports anything. The child is killed after
 * a generous minute, so a regression fails the test instead (it normally exits in under a second).
 */
async function runChild(
  code: string,
): Promise<{ out: string; exitCode: number | null; signal: string | null }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const [exitCode, signal] = await new Promise<[number | null, string | null]>((done) =>
    child.on('exit', (c, s) => done([c, s])),
  );
  return { out: out.trim(), exitCode, signal };
}

const api = JSON.stringify(new URL('../src/shutdownProver.ts', import.meta.url).href);

test('concurrent callers share one curve, and shutdownProver lets the process exit', async () => {
  const result = await runChild(`
    const { acquireProverCurve, shutdownProver } = await import(${api});
    const [a, b, c] = await Promise.all([acquireProverCurve(), acquireProverCurve(), acquireProverCurve()]);
    await shutdownProver();
    console.log(JSON.stringify({ shared: a === b && b === c, cleared: globalThis.curve_bn128 === null }));
  `);
  assert.deepEqual(result, {
    out: JSON.stringify({ shared: true, cleared: true }),
    exitCode: 0,
    signal: null,
  });
});

test('the prover can be used again after shutdownProver, and shut down again', async () => {
  const result = await runChild(`
    const { acquireProverCurve, shutdownProver } = await import(${api});
    const first = await acquireProverCurve();
    await shutdownProver();
    const second = await acquireProverCurve();
    await shutdownProver();
    await shutdownProver(); // idempotent
    console.log(JSON.stringify({ fresh: first !== second }));
  `);
  assert.deepEqual(result, { out: JSON.stringify({ fresh: true }), exitCode: 0, signal: null });
});
