import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { isPairingToken } from '../protocol/pairingToken.ts';
import type { Reply } from './http/reply.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The page hook: `/pair/<token>` and `/dm` are the web app's pages (their `index.html`, or the
 * root one for a single-page build); everything else is a file under the directory. The token
 * in the page URL never reaches another site: Referrer-Policy no-referrer on every answer.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
};

export class StaticFiles {
  readonly #root: string;
  #realRoot: string | null = null;

  constructor(dir: string) {
    this.#root = resolve(dir);
  }

  /** A reply for GET `path`, or null when nothing there (the caller answers 404). */
  async serve(path: string): Promise<Reply | null> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return null;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return null;
    const segments = decoded.split('/').filter((s) => s.length > 0);
    if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return null;
    const page = this.#pageOf(segments);
    const candidates = page ?? [segments.join('/') || 'index.html'];
    for (const rel of candidates) {
      const file = await this.#safeFile(rel);
      if (file === null) continue;
      const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      return {
        status: 200,
        bytes: await readFile(file),
        contentType: type,
        headers: type.startsWith('text/html')
          ? { ...PAGE_HEADERS, 'cache-control': 'no-store' }
          : { 'cache-control': 'public, max-age=300' },
      };
    }
    return null;
  }

  #pageOf(segments: readonly string[]): string[] | null {
    if (
      segments.length === 2 &&
      segments[0] === 'pair' &&
      isPairingToken((segments[1] as string).toUpperCase())
    ) {
      return ['pair/index.html', 'pair.html', 'index.html'];
    }
    if (segments.length === 1 && segments[0] === 'dm')
      return ['dm/index.html', 'dm.html', 'index.html'];
    return null;
  }

  /** The real path of a regular file inside the root (symlinks resolved), or null. */
  async #safeFile(rel: string): Promise<string | null> {
    try {
      this.#realRoot ??= await realpath(this.#root);
      const real = await realpath(join(this.#realRoot, rel));
      if (!real.startsWith(this.#realRoot + sep)) return null;
      return (await stat(real)).isFile() ? real : null;
    } catch {
      return null;
    }
  }
}
