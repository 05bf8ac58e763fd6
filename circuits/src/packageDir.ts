import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Directory of an installed npm package, found the way Node resolves it from this package (so
 * workspace hoisting does not matter). Resolves the package's entry point because some packages
 * (snarkjs) do not export their package.json; every package used here has its entry point at its
 * root.
 */
export function packageDir(name: string): string {
  return dirname(fileURLToPath(import.meta.resolve(name)));
}

/** The `version` field of an installed package's package.json. */
export async function packageVersion(name: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(packageDir(name), 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
