/**
 * Builds the MoltDM web page into web/dist (or `outDir`) for the relay's `staticDir`:
 *
 *   index.html, pair/index.html (served at /pair/<token>), dm/index.html (served at /dm),
 *   assets/pair.js, assets/dm.js (esbuild bundles, ES2022 modules, a shared chunk), assets/style.css
 *
 * Usage: `node web/build.ts [outDir]`. `ensureWebBuilt()` rebuilds only when a source is newer
 * than the last build (esbuild's list of inputs is kept in `<outDir>/.build.json`, a dot file the
 * relay never serves).
 */
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const WEB = dirname(fileURLToPath(import.meta.url));
const SRC = join(WEB, 'src');
export const DEFAULT_OUT_DIR = join(WEB, 'dist');
const PAGES = {
  'index.html': 'index.html',
  'pair/index.html': 'pair.html',
  'dm/index.html': 'dm.html',
};
const META = '.build.json';

interface BuildMeta {
  readonly inputs: readonly string[];
}

export async function buildWeb(outDir: string = DEFAULT_OUT_DIR): Promise<void> {
  const out = resolve(outDir);
  await rm(out, { recursive: true, force: true });
  await mkdir(join(out, 'assets'), { recursive: true });
  const result = await build({
    entryPoints: { pair: join(SRC, 'pair.ts'), dm: join(SRC, 'dm.ts') },
    outdir: join(out, 'assets'),
    bundle: true,
    format: 'esm',
    splitting: true,
    chunkNames: 'chunk-[hash]',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  for (const [dest, src] of Object.entries(PAGES)) {
    await mkdir(dirname(join(out, dest)), { recursive: true });
    await copyFile(join(SRC, src), join(out, dest));
  }
  await copyFile(join(SRC, 'style.css'), join(out, 'assets', 'style.css'));
  const inputs = [
    ...Object.keys(result.metafile.inputs).map((f) => resolve(f)),
    ...Object.values(PAGES).map((f) => join(SRC, f)),
    join(SRC, 'style.css'),
    fileURLToPath(import.meta.url),
  ];
  await writeFile(join(out, META), JSON.stringify({ inputs } satisfies BuildMeta));
}

/** Builds unless `outDir` holds a build at least as new as every one of its inputs. */
export async function ensureWebBuilt(outDir: string = DEFAULT_OUT_DIR): Promise<boolean> {
  try {
    const meta = JSON.parse(await readFile(join(outDir, META), 'utf8')) as BuildMeta;
    const built = (await stat(join(outDir, META))).mtimeMs;
    let fresh = true;
    for (const f of meta.inputs) {
      if ((await stat(f)).mtimeMs > built) fresh = false;
    }
    if (fresh) return false;
  } catch {
    // no build, or an input is gone: build
  }
  await buildWeb(outDir);
  return true;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? DEFAULT_OUT_DIR;
  await buildWeb(out);
  process.stdout.write(`MoltDM web page built into ${resolve(out)}\n`);
}
