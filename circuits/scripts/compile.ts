/**
 * `npm run build -w @moltbook/circuits [-- file.circom ...]` — compiles the given circuits, or
 * every .circom file of this package outside test/, lib/ and build/, into build/<name>/ (cached: an
 * unchanged circuit is not recompiled). Prints one JSON line per circuit.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CircuitsError, compileCircuit, shutdownProver } from '../src/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
// lib/ holds templates without a main component; ceremony/ holds keys, not sources.
const SKIP = new Set(['build', 'test', 'node_modules', 'lib', 'ceremony']);

async function findCircuits(): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.circom'))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !SKIP.has(relative(root, path).split(sep)[0] ?? ''))
    .sort();
}

const args = process.argv.slice(2);
const files = args.length > 0 ? args.map((a) => resolve(a)) : await findCircuits();
if (files.length === 0)
  console.error('no circuits found (test fixtures are compiled by the tests)');
try {
  for (const file of files) {
    const t0 = performance.now();
    const c = await compileCircuit(file);
    const seconds = Math.round(performance.now() - t0) / 1000;
    console.log(
      JSON.stringify({ name: c.name, constraints: c.constraints, cached: c.cached, seconds }),
    );
  }
} catch (err) {
  process.exitCode = 1;
  console.error(err instanceof CircuitsError ? err.message : err);
} finally {
  await shutdownProver();
}
