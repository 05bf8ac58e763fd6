import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export type CircuitSources = {
  /** sha256 over `salt` and every file's content, in a fixed (depth-first include) order. */
  hash: string;
  /** Absolute paths of the main file and everything it includes, transitively, main first. */
  files: readonly string[];
  /** Includes that resolve nowhere; the compiler will report them. */
  unresolved: readonly string[];
};

const INCLUDE = /\binclude\s+"([^"]+)"\s*;/g;

/**
 * Finds the files a circom source depends on and hashes them, so a build can be skipped when
 * nothing changed. Includes resolve as circom resolves them: relative to the including file, then
 * against each include path in order. Library files (circomlib) are hashed too, so upgrading a
 * library invalidates the cache as well.
 */
export async function hashCircuitSources(
  mainFile: string,
  includePaths: readonly string[],
  salt: string,
): Promise<CircuitSources> {
  const files: string[] = [];
  const unresolved: string[] = [];
  const seen = new Set<string>();
  const hash = createHash('sha256').update(salt).update('\0');

  const visit = async (file: string): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    files.push(file);
    hash.update(`${files.length}\0`).update(text).update('\0');
    for (const match of stripComments(text).matchAll(INCLUDE)) {
      const spec = match[1] ?? '';
      const target = await resolveInclude(spec, dirname(file), includePaths);
      if (target === undefined) unresolved.push(spec);
      else await visit(target);
    }
  };
  await visit(resolve(mainFile));
  return { hash: hash.digest('hex'), files, unresolved };
}

async function resolveInclude(
  spec: string,
  fromDir: string,
  includePaths: readonly string[],
): Promise<string | undefined> {
  const candidates = isAbsolute(spec)
    ? [spec]
    : [join(fromDir, spec), ...includePaths.map((dir) => join(dir, spec))];
  for (const candidate of candidates) {
    if (await exists(candidate)) return resolve(candidate);
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Removes // and /* *\/ comments so a commented-out include is not followed. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}
