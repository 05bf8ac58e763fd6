#!/usr/bin/env node
// A `solc` executable for forge backed by the npm `solc` package (solcjs), so nothing is ever
// downloaded (foundry.toml: solc = "scripts/solc-offline.mjs"). It implements only what forge
// uses: `--version`, and `--standard-json` reading the input from stdin, resolving imports that
// are not already inlined the way solc does: relative to `--base-path`, then each
// `--include-path`, and only inside the base, include and `--allow-paths` directories.
// Plain ES2020 + CommonJS `solc`, so it also runs on the system Node 20.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const solc = createRequire(import.meta.url)('solc');
const args = process.argv.slice(2);

if (args.includes('--version')) {
  // forge parses the `Version: x.y.z+commit...` line.
  process.stdout.write(
    `solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`,
  );
  process.exit(0);
}
if (!args.includes('--standard-json')) {
  process.stderr.write('solc-offline: only --version and --standard-json are supported\n');
  process.exit(1);
}

/** Every value of a repeatable `--flag value` / `--flag=value` option. */
const optionValues = (flag) =>
  args.flatMap((arg, i) => {
    if (arg === flag && i + 1 < args.length) return [args[i + 1]];
    if (arg.startsWith(`${flag}=`)) return [arg.slice(flag.length + 1)];
    return [];
  });

const basePath = path.resolve(optionValues('--base-path')[0] ?? '.');
const includePaths = optionValues('--include-path').map((p) => path.resolve(p));
const allowed = [
  basePath,
  ...includePaths,
  ...optionValues('--allow-paths').flatMap((list) => list.split(',').filter(Boolean)),
].map((p) => path.resolve(p));
const isAllowed = (file) => allowed.some((dir) => file === dir || file.startsWith(dir + path.sep));

function findImport(sourceUnitName) {
  for (const root of [basePath, ...includePaths]) {
    const file = path.resolve(root, sourceUnitName);
    if (!isAllowed(file)) continue;
    try {
      return { contents: readFileSync(file, 'utf8') };
    } catch {
      // not under this root; try the next one
    }
  }
  return { error: `File not found inside the allowed paths: ${sourceUnitName}` };
}

const input = readFileSync(0, 'utf8');
process.stdout.write(solc.compile(input, { import: findImport }));
