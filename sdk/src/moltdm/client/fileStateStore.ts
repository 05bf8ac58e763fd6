import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { StateStore } from './stateStore.ts';

/**
 * A JSON file for agents (Node only). Saves write a temporary file in the same directory with
 * mode 0600, fsync it, rename it over the old one and fsync the directory, so a crash leaves
 * either the old or the new document and never a torn one; only the owner can read it.
 */
export function fileStateStore(path: string): StateStore {
  const dir = dirname(path);
  return {
    load: async () => {
      try {
        return await readFile(path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    save: async (document) => {
      const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(document, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      try {
        await rename(tmp, path);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
      const d = await open(dir, 'r');
      try {
        await d.sync();
      } finally {
        await d.close();
      }
    },
    clear: async () => {
      await rm(path, { force: true });
    },
  };
}
