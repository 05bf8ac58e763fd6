import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Public test vectors are not copied into the repository: they are read at run time from the
 * shared folder beside the checkout (`../shared/vectors`), or from $MOLTBOOK_VECTORS_DIR — the
 * way consensus clients keep their spec vectors in a cache. When they are absent, the test fails
 * with this message rather than passing without them.
 */
export function vectorsDir(): string {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return process.env.MOLTBOOK_VECTORS_DIR ?? join(repo, '..', 'shared', 'vectors');
}

export function loadWycheproof<T>(file: string): T {
  const path = join(vectorsDir(), 'wycheproof', file);
  if (!existsSync(path)) {
    throw new Error(
      `Wycheproof vectors not found at ${path}. Put the shared vectors beside the checkout (../shared/vectors) or set MOLTBOOK_VECTORS_DIR.`,
    );
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
