import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * Everything under sdk/src/moltdm/crypto except nodeCrypto.ts must load in a browser: no file it
 * reaches, through any chain of imports — @noble's own files included, resolved with the
 * conditions a browser bundler uses — may import a `node:` module or a Node builtin.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src/moltdm/crypto');
const CONDITIONS = ['browser', 'import', 'module', 'default'];
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(IMPORT)) if (m[1] === undefined && m[2]) out.push(m[2]);
  for (const m of source.matchAll(DYNAMIC)) out.push((m[1] ?? m[2]) as string);
  return out;
}

function pick(target: unknown): string | null {
  if (typeof target === 'string') return target;
  if (typeof target !== 'object' || target === null) return null;
  for (const c of CONDITIONS) {
    const t = (target as Record<string, unknown>)[c];
    if (t !== undefined) return pick(t);
  }
  return null;
}

function resolvePackage(spec: string, fromFile: string): string {
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  const sub = `.${spec.slice(name.length)}`;
  for (let dir = dirname(fromFile); ; dir = dirname(dir)) {
    const pkgDir = join(dir, 'node_modules', name);
    if (existsSync(join(pkgDir, 'package.json'))) {
      const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
        exports?: Record<string, unknown>;
      };
      const target = pick(pkg.exports?.[sub === '.' ? '.' : sub]);
      assert.ok(target, `${spec}: no browser export for ${sub} in ${pkgDir}`);
      return join(pkgDir, target);
    }
    assert.notEqual(dirname(dir), dir, `cannot resolve ${spec} from ${fromFile}`);
  }
}

function walk(file: string, seen: Map<string, string>, via: string): void {
  if (seen.has(file)) return;
  seen.set(file, via);
  for (const spec of specifiers(readFileSync(file, 'utf8'))) {
    const chain = `${via} → ${spec}`;
    assert.ok(
      !spec.startsWith('node:') && !builtinModules.includes(spec),
      `Node builtin reached: ${chain}`,
    );
    if (spec.startsWith('.')) {
      const target = resolve(dirname(file), spec);
      assert.notEqual(target, join(SRC, 'nodeCrypto.ts'), `nodeCrypto reached: ${chain}`);
      walk(target, seen, chain);
    } else {
      assert.ok(spec.startsWith('@noble/'), `only @noble packages may be imported: ${chain}`);
      walk(resolvePackage(spec, file), seen, chain);
    }
  }
}

describe('the portable build imports nothing from Node', () => {
  it('no node: module is reachable from any browser-side crypto file', () => {
    const entries = readdirSync(SRC).filter((f) => f.endsWith('.ts') && f !== 'nodeCrypto.ts');
    assert.ok(entries.includes('portableCrypto.ts') && entries.includes('doubleRatchet.ts'));
    const seen = new Map<string, string>();
    for (const f of entries) walk(join(SRC, f), seen, f);
    const noble = [...seen.keys()].filter((f) => f.includes('node_modules/@noble/'));
    assert.ok(noble.length > 5, 'the walk followed @noble into its own files');
    assert.ok(
      noble.some((f) => f.endsWith('/esm/crypto.js')),
      'hashes 1.x resolves its browser crypto',
    );
  });

  it('the walker itself catches a node: import', () => {
    assert.deepEqual(
      specifiers("import { x } from 'node:crypto';\nimport type { Y } from './y.ts';"),
      ['node:crypto'],
    );
  });
});
