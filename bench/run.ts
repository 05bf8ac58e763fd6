/**
 * `npm run bench <name>` — runs bench/<name>.ts in its own process (so one scenario's JIT and
 * heap state never colour another's). Each prints one JSON line per figure and a table.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .sort();
const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
/** Flags (`--update`, …) go to every bench named. */
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
if (names.length === 0 || names.some((n) => !available.includes(n))) {
  const bad = names.filter((n) => !available.includes(n));
  process.stderr.write(
    `${bad.length > 0 ? `error: unknown bench ${bad.join(', ')}\n` : ''}usage: npm run bench <name…>   (available: ${available.join(', ')})\n`,
  );
  process.exit(2);
}
let failed = 0;
for (const name of names) {
  process.stderr.write(`━━ bench ${name} (${new Date().toISOString().slice(0, 10)})\n`);
  const r = spawnSync(process.execPath, [join(here, `${name}.ts`), ...flags], { stdio: 'inherit' });
  if (r.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
