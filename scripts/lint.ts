/**
 * `npm run lint` — types and lint for TypeScript (tsc strict + Biome) and Solidity (solhint +
 * forge fmt). Hardhat's generated contract types are refreshed first so tsc sees current ABIs.
 * `npm run lint -- --fix` applies Biome's and forge's safe fixes.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { usageError } from './lib/usageError.ts';

const { values } = (() => {
  try {
    return parseArgs({ options: { fix: { type: 'boolean', default: false } }, strict: true });
  } catch (err) {
    return usageError((err as Error).message, 'usage: npm run lint [-- --fix]');
  }
})();

const steps: [string, string, string[]][] = [
  ['hardhat build (contract types)', 'hardhat', ['build', '--quiet']],
  ['tsc', 'tsc', ['-p', 'tsconfig.json', '--noEmit']],
  // The web page's sources target the browser (DOM types), so they have their own project.
  ['tsc web', 'tsc', ['-p', 'web/tsconfig.json', '--noEmit']],
  ['biome', 'biome', values.fix ? ['check', '--write', '.'] : ['check', '.']],
  ['solhint', 'solhint', ['--max-warnings', '0', 'contracts/**/*.sol']],
  [
    'forge fmt',
    'forge',
    values.fix
      ? ['fmt', 'contracts', 'test/contracts']
      : ['fmt', '--check', 'contracts', 'test/contracts'],
  ],
];

const failed: string[] = [];
for (const [name, cmd, args] of steps) {
  process.stdout.write(`━━ ${name}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) failed.push(name);
}
process.stdout.write(
  failed.length === 0 ? '\nlint: all clean\n' : `\nlint: FAILED in ${failed.join(', ')}\n`,
);
process.exit(failed.length === 0 ? 0 : 1);
